//! Gongkai's domain core: the rules of drafting a policy document, free of storage, UI and Tauri.
//!
//! Everything here is deterministic: time comes from a [`Clock`] and identifiers from an
//! [`IdSource`], both passed in by the caller, so that tests can replay exactly.

pub mod body;
pub mod calendar;
pub mod clock;
pub mod consultation;
pub mod disclosure;
pub mod doc_number;
pub mod document;
pub mod duty;
pub mod ids;
pub mod interpretation;
pub mod org;
pub mod placeholder;
pub mod request;
pub mod revision;
pub mod schedule;
pub mod validate;
pub mod workflow;

pub use body::{classify_paragraph, Paragraph, ParagraphLevel};
pub use calendar::{due_date, time_rules_from_json, CalendarError, Due, TimeRule, WorkCalendar};
pub use clock::{Clock, FixedClock, ManualClock, SystemClock};
pub use disclosure::{
    check_disclosure, check_secrecy, Attribute, CatalogItem, Channel, Disclosure, DisclosureIssue,
    Ground, LawBook, Opinion, SecrecyConclusion, SecrecyReview, SECRECY_CHECKLIST,
};
pub use doc_number::{DocNumber, DocNumberError};
pub use document::{
    BodyTable, Classification, ClassificationLevel, DocFields, DocFormat, DocStatus, DocType,
    TableCell, Urgency, VMerge, CONTENT_SCHEMA,
};
pub use ids::{ClerkId, DeviceId, DocId, IdSource, RevId, SeqIds, UuidV7Ids};
pub use interpretation::{
    check_package, needs_interpretation, required_sections, Graphic, InterpForm, MediaLink,
    Package, PackageCheck, PackageIssue, Place, QaItem, Reach, Section, SectionKey, Span,
    PACKAGE_SCHEMA,
};
pub use org::{clean_clerk_name, Clerk, Unit};
pub use placeholder::{placeholders, Placeholder};
pub use revision::{DocSummary, Revision, RevisionMeta, SearchHit};
pub use schedule::{obligations, Applies, DueState, Events, Obligation};
pub use validate::{validate, FieldIssue, Severity};
pub use workflow::{
    can_withdraw, check_transition, closed_gates, receipt_moves, Facts, Gate, Outcome, Stage,
    TransitionError,
};
