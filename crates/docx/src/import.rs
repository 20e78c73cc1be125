//! .docx import (in progress).
