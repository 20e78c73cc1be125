//! The hub's storage, behind [`HubStore`].
//!
//! Two backends implement it — `gongkai-hub-store-sqlite` (the default: one file) and
//! `gongkai-hub-store-postgres` — and both run the same [`story`] suite. The rules every
//! backend keeps:
//! - a batch of changes is stored in one transaction; a change id seen before is answered
//!   `duplicate` with its first `server_seq`; a series must continue at its last sequence + 1,
//!   else the whole batch is refused with the missing numbers ([`HubStoreError::SeqGap`]);
//! - `server_seq` only grows, and a reader never sees a higher one before a lower one is
//!   committed (pushes are serialised), so a PC's cursor can never skip a change;
//! - a document revision updates the document's leaves ([`gongkai_sync_proto::advance_leaves`])
//!   and is answered `conflict` when more than one remains;
//! - a key list, and each reference dataset, is stored only when its version is newer; a nonce
//!   is accepted once;
//! - a submission id is stored once: the same bytes again are a duplicate, other bytes a
//!   [`HubStoreError::SubmissionReplay`].

pub mod story;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use gongkai_sync_proto::{
    Change, DatasetHead, FeedEntry, PushAck, SeriesHead, SignedDataset, SignedKeyList,
    SubmissionMeta, SubmissionPut,
};

/// Why the store refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum HubStoreError {
    /// A series skipped numbers: `expected` was due, `got` came.
    #[error("序列 {series} 缺少第 {expected} 至 {} 号变更", got - 1)]
    SeqGap {
        series: String,
        expected: i64,
        got: i64,
    },
    /// A sequence number already holds another change.
    #[error("序列 {series} 的第 {seq} 号已是另一条变更")]
    SeqReused { series: String, seq: i64 },
    /// The same submission id came with other bytes.
    #[error("报送 {0} 已以不同内容上传过，拒绝重放")]
    SubmissionReplay(String),
    /// The database is newer than this hub.
    #[error("同步服务器数据库版本 {found} 高于本程序支持的 {supported}，请升级程序")]
    NewerSchema { found: i64, supported: i64 },
    /// The backend failed (I/O, connection, SQL).
    #[error("同步服务器数据库出错：{0}")]
    Backend(String),
}

/// Result alias.
pub type Result<T> = std::result::Result<T, HubStoreError>;

/// A stored key list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredKeyList {
    pub version: u64,
    pub signed: SignedKeyList,
}

/// Row counts, for health and tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub changes: i64,
    pub submissions: i64,
    pub key_lists: i64,
}

/// The hub's storage.
#[async_trait]
pub trait HubStore: Send + Sync + 'static {
    /// `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;

    /// The newest key list.
    async fn key_list(&self) -> Result<Option<StoredKeyList>>;

    /// Stores `list` if its version is newer than the newest stored; returns whether it did.
    async fn put_key_list(&self, list: &StoredKeyList, now: DateTime<Utc>) -> Result<bool>;

    /// The version of every reference dataset held, by name.
    async fn dataset_heads(&self) -> Result<Vec<DatasetHead>>;

    /// The newest signed dataset of this name.
    async fn dataset(&self, name: &str) -> Result<Option<SignedDataset>>;

    /// Stores a signed dataset (already verified) when `head.version` is newer than the one held;
    /// true when stored.
    async fn put_dataset(
        &self,
        head: &DatasetHead,
        signed: &SignedDataset,
        now: DateTime<Utc>,
    ) -> Result<bool>;

    /// Records a request nonce of `key_id`; false when it was seen before. Nonces older than
    /// `forget_before` may be dropped (requests that old are refused by their date).
    async fn use_nonce(
        &self,
        key_id: &str,
        nonce: &str,
        now: DateTime<Utc>,
        forget_before: DateTime<Utc>,
    ) -> Result<bool>;

    /// Stores a batch (see the crate doc); one ack per change, in order.
    async fn push(&self, changes: &[Change], now: DateTime<Utc>) -> Result<Vec<PushAck>>;

    /// The unit's changes after `since`, in `server_seq` order, at most `limit`.
    async fn feed(&self, unit_id: &str, since: i64, limit: u32) -> Result<Vec<FeedEntry>>;

    /// The unit's PCs' signed recipients (`device_recipient` changes), oldest first: the office
    /// seals its register messages for them.
    async fn recipients(&self, unit_id: &str) -> Result<Vec<Change>>;

    /// The last sequence number of each of the unit's series.
    async fn series_heads(&self, unit_id: &str) -> Result<Vec<SeriesHead>>;

    /// Stores a submission's bytes once (see the crate doc).
    async fn put_submission(
        &self,
        unit_id: &str,
        submission_id: &str,
        sha256: &str,
        bytes: &[u8],
        now: DateTime<Utc>,
    ) -> Result<SubmissionPut>;

    /// Submissions after `since` (their own sequence), oldest first, at most `limit`.
    async fn submissions(&self, since: i64, limit: u32) -> Result<Vec<SubmissionMeta>>;

    /// A submission's unit and bytes.
    async fn submission_bytes(&self, submission_id: &str) -> Result<Option<(String, Vec<u8>)>>;

    /// Row counts.
    async fn counts(&self) -> Result<Counts>;
}

/// What a backend decides for one change inside its push transaction: shared so both backends
/// answer the same.
pub fn check_series(change: &Change, last_seq: i64) -> Result<()> {
    if change.seq <= last_seq {
        return Err(HubStoreError::SeqReused {
            series: change.series.clone(),
            seq: change.seq,
        });
    }
    if change.seq != last_seq + 1 {
        return Err(HubStoreError::SeqGap {
            series: change.series.clone(),
            expected: last_seq + 1,
            got: change.seq,
        });
    }
    Ok(())
}

/// Whether old nonces should be swept now: once a minute at most (`last` holds the Unix
/// seconds of the last sweep and is updated when this says yes).
pub fn sweep_due(last: &std::sync::atomic::AtomicI64, now: DateTime<Utc>) -> bool {
    use std::sync::atomic::Ordering;
    let t = now.timestamp();
    let prev = last.load(Ordering::Relaxed);
    t - prev >= 60
        && last
            .compare_exchange(prev, t, Ordering::Relaxed, Ordering::Relaxed)
            .is_ok()
}

/// The JSON a backend stores for a change (and returns in the feed).
pub fn change_json(change: &Change) -> Result<String> {
    serde_json::to_string(change).map_err(|e| HubStoreError::Backend(e.to_string()))
}

/// Parse a stored change.
pub fn parse_change(json: &str) -> Result<Change> {
    serde_json::from_str(json).map_err(|e| HubStoreError::Backend(format!("stored change: {e}")))
}
