//! The PC's side of sync (the hub's is `gongkai-hub`).
//!
//! - [`crypto`]: this PC's age identity (secret sealed with the key password), the unit data
//!   key wrapped per PC, payloads sealed with XChaCha20-Poly1305 bound to their routing fields;
//! - [`messages`]: what the changes carry, key messages signed by the device key;
//! - [`client`]: signed HTTP requests to the hub (office CA as the only trust anchor);
//! - [`engine`]: one run — announce, pull, apply, keep keys, push, upload;
//! - [`media`]: the same changes in a signed transfer bag on removable media;
//! - [`schedule`]: when the background sync runs next (interval, backoff, pause).
//!
//! The outbox itself is filled by the store (a trigger in the same transaction as each
//! revision), so nothing a clerk saves can miss it.

pub mod client;
pub mod crypto;
pub mod engine;
pub mod media;
pub mod messages;
pub mod schedule;

pub use client::{check_hub_url, HubClient, Stamp};
pub use engine::{SyncReport, UnitSync};

/// What stops a sync run.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("{0}")]
    Config(String),
    #[error("连不上同步服务器（{0}）。离线时照常工作，联网后再点“立即同步”")]
    Offline(String),
    #[error("同步服务器拒绝了请求：{message}")]
    Refused { code: String, message: String },
    #[error("签名失败：{0}")]
    Signing(String),
    #[error("{0}")]
    KeyList(String),
    #[error("同步数据格式不对：{0}")]
    Protocol(String),
    #[error("{0}")]
    Crypto(#[from] crypto::CryptoError),
    #[error("{0}")]
    Media(String),
    #[error("本机数据库出错：{0}")]
    Store(#[from] gongkai_store::StoreError),
}

impl SyncError {
    pub(crate) fn internal(e: impl std::fmt::Display) -> SyncError {
        SyncError::Protocol(e.to_string())
    }
}
