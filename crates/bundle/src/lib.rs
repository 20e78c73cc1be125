//! The signed submission bundle (报送包) a unit sends to 指挥中心网上公安办公室, and the signed
//! receipt the office sends back.
//!
//! A bundle is a **BagIt 1.0 bag** (RFC 8493), zipped, with one top-level folder
//! `SUB-<submission_id>/`:
//!
//! ```text
//! SUB-<submission_id>/
//!   bagit.txt                       BagIt-Version: 1.0 / Tag-File-Character-Encoding: UTF-8
//!   bag-info.txt                    Source-Organization, External-Identifier (= submission id),
//!                                   Bagging-Date, Payload-Oxum, Bag-Software-Agent, Unit-Code,
//!                                   Signing-Key-Id, Signature-Algorithm, Submission-Schema
//!   manifest-sha256.txt             every payload file (data/…)
//!   tagmanifest-sha256.txt          bagit.txt, bag-info.txt, manifest-sha256.txt
//!   tagmanifest-sha256.txt.minisig  minisign (Ed25519) signature of the tag manifest, or
//!   tagmanifest-sha256.txt.sm2sig   SM2-with-SM3 signature (DER), distid 1234567812345678
//!   data/submission.json            [`Submission`]: ids, 公开属性, de-identification counts, sign-off…
//!   data/<payload files>            e.g. policy.docx, interpretation.docx, images/…, forms/….pdf
//! ```
//!
//! Signing the tag manifest covers the whole bag: it hashes `bag-info.txt` and the payload
//! manifest, which hashes every payload file. Outside tools check each half: `bagit.py
//! --validate`, `minisign -V`, `openssl dgst -sm3 -verify … -sigopt distid:1234567812345678`.
//!
//! Entry points:
//! - keys: [`DeviceKey::generate`] (password-protected secret), [`Signer::unlock`],
//!   [`EnrolmentRequest::new`] / [`EnrolmentRequest::verify`];
//! - unit side: [`build_bundle`];
//! - office side: [`verify_bundle`] against the caller's [`TrustStore`], then
//!   [`sign_receipt`]; unit side again: [`verify_receipt`].
//!
//! The crate is pure: no clock, no file system, no network. Times and ids are passed in;
//! verification works on bytes in memory and never writes anything, so a hostile zip cannot
//! plant a file anywhere. Outside bytes never cause a panic: every failure is a [`Reason`] with
//! a stable [`ReasonCode`] and a Chinese message, or a [`BundleError`] with a stable code.

mod bag;
mod canonical;
mod error;
mod inspect;
mod keys;
mod receipt;
mod safezip;
mod submission;
mod transfer;
mod verify;

pub use bag::{
    bag_folder_name, build_bundle, windows_name_problem, BundleInput, PayloadFile,
    MAX_BAG_PATH_CHARS,
};
pub use error::BundleError;
pub use inspect::{content_sha256, public_key_id, read_submission};
pub use keys::{
    key_id_of, verify_message, Algorithm, DeviceKey, EnrolmentRequest, Signer, SM2_DISTID,
};
pub use receipt::{sign_receipt, verify_receipt, Decision, Receipt, ReceiptReason};
pub use safezip::{MAX_BUNDLE_BYTES, MAX_ENTRIES, MAX_RATIO, MAX_UNCOMPRESSED_BYTES};
pub use submission::{
    ConsultationSummary, DeadlineEntry, DeidSummary, FileEntry, FileRole, ImageReview, Signoff,
    Submission, TopicSummary, SCHEMA_VERSION,
};
pub use transfer::{build_transfer, open_transfer, peek_transfer_file, Transfer};
pub use verify::{verify_bundle, KeyState, Reason, ReasonCode, TrustStore, TrustedKey, Verdict};
