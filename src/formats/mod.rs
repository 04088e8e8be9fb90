//! Importers and exporters. Every offset they read or write is a half-open
//! range of Unicode code points in the document's stored text.

pub mod text;
