//! Word documents in and out of Gongkai: [`export`] writes a policy document and its
//! interpretation package as GB/T 9704-2012 .docx; [`import`] reads a clerk's Word draft into
//! [`gongkai_core::DocFields`], leaving out what must not travel (tracked changes, comments,
//! hidden text, document properties) and saying what it left out.

pub mod export;
pub mod import;

pub use import::{
    import_docx, import_docx_with, import_path, import_path_with, BodyLevel, ImageInfo,
    ImportError, Imported, LeftOut, LevelSource, Limits,
};
