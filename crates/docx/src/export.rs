//! GB/T 9704-2012 .docx export (in progress).
