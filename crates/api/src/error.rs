//! The error every API call can return: `{code, message}`.

use gongkai_store::StoreError;
use serde::{Deserialize, Serialize};
use std::path::Path;
use ts_rs::TS;

/// Stable error codes: programs (the UI, scripts using `--format json`) match on these, never on
/// message text. Add new codes at the end; never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum ErrorCode {
    /// The input is not acceptable; the message says what to change.
    InvalidInput,
    /// The thing asked for does not exist (any more).
    NotFound,
    /// First-run setup has not been done.
    SetupRequired,
    /// The document changed elsewhere since it was opened.
    Conflict,
    /// The database was written by a newer Gongkai.
    DatabaseNewer,
    /// The database file is damaged or not a Gongkai database.
    DatabaseCorrupt,
    /// Saving failed (disk full, read-only folder); the draft is kept and saving is retried.
    SaveFailed,
    /// The data folder cannot be used.
    DataDirUnusable,
    /// Anything else; the message carries the detail.
    Internal,
    /// De-identification findings are still undecided.
    DeidPending,
    /// A workflow gate is closed: the message names what is missing.
    GateClosed,
    /// An outside file (a .docx to import, a bundle, a receipt) cannot be read; the message
    /// says why and what to do.
    BadFile,
    /// Sync is not set up on this PC (no hub address).
    SyncNotConfigured,
    /// The hub cannot be reached; work goes on offline and syncs later.
    SyncOffline,
    /// The hub refused; the message carries its reason.
    SyncRefused,
    /// The hub refused this PC's key as revoked: a new key must be made and enrolled.
    SyncKeyRevoked,
    /// The file to write over is held open by another program (Word, WPS, a PDF viewer); the
    /// message names another free name.
    FileInUse,
}

/// An error as the UI and the CLI see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, thiserror::Error)]
#[ts(export)]
#[error("{message}")]
pub struct ApiError {
    pub code: ErrorCode,
    /// Chinese, for the clerk: what happened and what to do next.
    pub message: String,
}

impl ApiError {
    /// An error with this code and message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            code,
            message: message.into(),
        }
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidInput, message)
    }

    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::NotFound, message)
    }

    pub(crate) fn setup_required() -> Self {
        Self::new(
            ErrorCode::SetupRequired,
            "尚未完成首次设置，请先选择所在单位并填写姓名。",
        )
    }

    /// A failure to open the database at `path`.
    pub(crate) fn from_open(e: StoreError, path: &Path) -> Self {
        let p = path.display();
        match e {
            StoreError::NewerSchema { found, supported } => Self::new(
                ErrorCode::DatabaseNewer,
                format!(
                    "数据文件 {p} 由更新版本的公开报送助手创建（数据版本 {found}，本程序支持到 {supported}）。\
                     为保护数据，本程序不会修改该文件。请安装最新版本后再打开。"
                ),
            ),
            StoreError::NotADatabase(_) | StoreError::Corrupt(..) => Self::new(
                ErrorCode::DatabaseCorrupt,
                format!(
                    "数据文件 {p} 已损坏或不是本程序的数据文件，程序未对其做任何修改。\
                     请联系信息化管理员从备份恢复，或将该文件移走后重新启动（将新建空白数据）。"
                ),
            ),
            StoreError::Io(dir, err) => Self::new(
                ErrorCode::DataDirUnusable,
                format!(
                    "无法使用数据文件夹 {}：{err}。请检查该文件夹的权限，或用 --data-dir 指定其他文件夹。",
                    dir.display()
                ),
            ),
            StoreError::ReadOnly => Self::new(
                ErrorCode::DataDirUnusable,
                format!("数据文件 {p} 无法写入（只读或无权限）。请检查文件夹权限后重新启动。"),
            ),
            other => Self::from(other),
        }
    }

    /// A failure while saving: disk full and read-only become [`ErrorCode::SaveFailed`].
    pub(crate) fn from_save(e: StoreError) -> Self {
        match e {
            StoreError::DiskFull => Self::new(
                ErrorCode::SaveFailed,
                "保存失败：磁盘空间已满。您的修改仍保留在窗口中，程序会自动重试；请清理磁盘空间。",
            ),
            StoreError::ReadOnly => Self::new(
                ErrorCode::SaveFailed,
                "保存失败：数据文件夹当前为只读。您的修改仍保留在窗口中，程序会自动重试；请检查文件夹权限或U盘写保护。",
            ),
            other => Self::from(other),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => Self::new(
                ErrorCode::NotFound,
                format!("找不到所需内容（{what}），可能已被删除。请返回列表刷新后重试。"),
            ),
            StoreError::Conflict { .. } => Self::new(
                ErrorCode::Conflict,
                "该文件已在其他窗口或命令行中被修改。请复制您刚才的修改，重新打开文件后再粘贴。",
            ),
            e @ (StoreError::DiskFull | StoreError::ReadOnly) => Self::from_save(e),
            StoreError::NewerSchema { .. }
            | StoreError::NotADatabase(_)
            | StoreError::Corrupt(..) => Self::from_open(e, Path::new("gongkai.db")),
            other => Self::new(
                ErrorCode::Internal,
                format!("程序内部错误：{other}。您的数据未受影响；请重试，若反复出现请联系信息化管理员。"),
            ),
        }
    }
}
