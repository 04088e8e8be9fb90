//! Analyses of a project's annotations: pure functions of the model, shared
//! by the window, the CLI and the exports.

pub mod sourcing;
