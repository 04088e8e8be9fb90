//! Find and suggest: search in the text, and pattern suggestions for
//! figures and source attributions. Pure functions over the model (no
//! egui, no I/O); the window and the CLI call them.

pub mod currency;
pub mod learn;
pub mod reread;
pub mod rules;
pub mod search;
pub mod suggest;
