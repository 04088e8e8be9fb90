//! The egui workbench.

pub mod geometry;
