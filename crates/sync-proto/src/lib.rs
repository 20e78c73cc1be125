//! The sync protocol between the PCs and the hub, shared by both sides.
//!
//! - [`wire`]: a [`Change`] (routing metadata in clear, the unit-internal payload encrypted by
//!   the PC), push acks, feed pages, submissions, and the JSON error every refusal carries.
//! - [`auth`]: every request is signed by the device key the office enrolled (or by the office
//!   key), over method, path, key, date, nonce and the body's SHA-256.
//! - [`keylist`]: the office's signed list of device keys by unit, the hub's only source of who
//!   may write.
//! - [`reference`]: the office's signed reference datasets (holidays, units, catalogue, …).
//! - [`leaves`]: the rule that tells a fast-forward from a concurrent edit, the same on the hub
//!   and on every PC.

pub mod auth;
pub mod keylist;
pub mod leaves;
pub mod reference;
pub mod wire;

pub use auth::{
    canonical_request, sign_request, verify_request, RequestAuth, HEADER_DATE, HEADER_KEY,
    HEADER_NONCE, HEADER_SIGNATURE,
};
pub use keylist::{KeyList, KeyListError, ListedKey, ListedState, SignedKeyList};
pub use leaves::advance_leaves;
pub use reference::{Dataset, DatasetHead, SignedDataset};
pub use wire::*;

/// The protocol version, in every path (`/v1/…`).
pub const PROTOCOL: &str = "v1";
