//! Team work over git: agreement between annotators' projects and a
//! three-way merge of project versions. Pure functions over the model (no
//! I/O); the CLI and the window call them.

pub mod agree;
pub mod compare;
pub mod merge;
