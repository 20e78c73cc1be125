//! Refusals and failures, each answered as JSON `{code, message}` with its HTTP status. Codes
//! are stable (append-only); messages are Chinese and say what to do.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gongkai_hub_store::HubStoreError;
use gongkai_sync_proto::ErrorBody;

/// What went wrong.
#[derive(Debug, thiserror::Error)]
pub enum HubError {
    #[error("{0}")]
    Config(String),
    /// A request without valid auth headers.
    #[error("请求未签名或签名头不完整：{0}")]
    Unsigned(String),
    #[error("密钥 {0} 不在指挥中心的密钥清单中，请先完成密钥登记")]
    UnknownKey(String),
    #[error("密钥 {0} 已被吊销，不能再同步")]
    RevokedKey(String),
    #[error("密钥 {0} 已停用（更换了新密钥），只能读取，不能写入")]
    RetiredKey(String),
    #[error("请求签名无效：{0}")]
    BadSignature(String),
    #[error("本机时钟与同步服务器相差超过 {0} 分钟，请校准本机时间后再同步")]
    ClockSkew(i64),
    #[error("重复的请求（可能被截获重放），已拒绝")]
    Replayed,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Store(#[from] HubStoreError),
}

impl HubError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            HubError::Config(_) => "config",
            HubError::Unsigned(_) => "unsigned",
            HubError::UnknownKey(_) => "key_unknown",
            HubError::RevokedKey(_) => "key_revoked",
            HubError::RetiredKey(_) => "key_retired",
            HubError::BadSignature(_) => "bad_signature",
            HubError::ClockSkew(_) => "clock_skew",
            HubError::Replayed => "replayed",
            HubError::Forbidden(_) => "forbidden",
            HubError::BadRequest(_) => "bad_request",
            HubError::NotFound(_) => "not_found",
            HubError::Store(HubStoreError::SeqGap { .. }) => "seq_gap",
            HubError::Store(HubStoreError::SeqReused { .. }) => "seq_reused",
            HubError::Store(HubStoreError::SubmissionReplay(_)) => "submission_replay",
            HubError::Store(HubStoreError::NewerSchema { .. }) => "newer_schema",
            HubError::Store(HubStoreError::Backend(_)) => "storage",
        }
    }

    fn status(&self) -> StatusCode {
        match self {
            HubError::Unsigned(_) | HubError::UnknownKey(_) | HubError::BadSignature(_) => {
                StatusCode::UNAUTHORIZED
            }
            HubError::ClockSkew(_) | HubError::Replayed => StatusCode::UNAUTHORIZED,
            HubError::RevokedKey(_) | HubError::RetiredKey(_) | HubError::Forbidden(_) => {
                StatusCode::FORBIDDEN
            }
            HubError::BadRequest(_) => StatusCode::BAD_REQUEST,
            HubError::NotFound(_) => StatusCode::NOT_FOUND,
            HubError::Store(HubStoreError::SeqGap { .. })
            | HubError::Store(HubStoreError::SeqReused { .. })
            | HubError::Store(HubStoreError::SubmissionReplay(_)) => StatusCode::CONFLICT,
            HubError::Config(_) | HubError::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for HubError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(code = self.code(), error = %self, "request failed");
        } else {
            tracing::warn!(code = self.code(), error = %self, "request refused");
        }
        let body = ErrorBody {
            code: self.code().to_string(),
            message: self.to_string(),
        };
        (status, axum::Json(body)).into_response()
    }
}
