//! Marginalia: a local-first workbench for annotating claims, figures and
//! source attributions in news articles.
//!
//! Layers (each in its own module): [`model`] (pure data and edits),
//! [`store`] (RON project files), [`formats`] (import and export),
//! [`team`] (agreement and merge over projects), [`assist`] (find and
//! suggest), [`cli`] (command line),
//! [`ui`] (the window); [`clock`] sits below formats, cli and ui.

pub mod analysis;
pub mod assist;
pub mod cli;
pub mod clock;
pub mod formats;
pub mod model;
pub mod store;
pub mod team;
#[cfg(feature = "gui")]
pub mod ui;
