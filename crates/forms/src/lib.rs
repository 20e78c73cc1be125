//! The review forms as print-ready A4 PDFs (in progress).
