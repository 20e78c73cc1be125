//! [`BundleError`]: what can go wrong when making keys, bundles and receipts, or when reading a
//! key box, an enrolment request or a receipt. `Display` is a Chinese message that says what to
//! do next; [`BundleError::code`] is stable (append-only) for callers to match on.
//!
//! Verifying a bundle does not fail with this type: [`crate::verify_bundle`] always returns a
//! [`crate::Verdict`] whose reasons carry their own codes.

/// Errors of the bundle crate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BundleError {
    /// The caller's submission, payload or receipt cannot be packaged as given.
    #[error("报送内容有误：{0}")]
    InvalidInput(String),
    /// The password does not unlock the secret key.
    #[error("密码不正确，无法解锁签名密钥。请确认密码（区分大小写）后重试。")]
    WrongPassword,
    /// A key box or public key string is damaged or not in the expected format.
    #[error("密钥格式不对或已损坏：{0}。请重新导入密钥，或联系管理员重新生成。")]
    BadKey(String),
    /// The operating system's random number source failed.
    #[error("系统随机数不可用，无法生成密钥或签名：{0}")]
    Random(String),
    /// Signing failed inside the cryptographic library.
    #[error("签名失败：{0}")]
    Signing(String),
    /// Writing the zip failed.
    #[error("生成报送包失败：{0}")]
    Packaging(String),
    /// A signature (enrolment request or receipt) does not verify.
    #[error("签名验证未通过：{0}。该文件可能被改动过，或不是由所称的密钥签发。")]
    BadSignature(String),
    /// An enrolment request or receipt is not well-formed JSON of the expected shape.
    #[error("文件格式不对：{0}")]
    Malformed(String),
}

impl BundleError {
    /// The stable code of this error (snake_case; never renamed, only added to).
    pub fn code(&self) -> &'static str {
        match self {
            BundleError::InvalidInput(_) => "invalid_input",
            BundleError::WrongPassword => "wrong_password",
            BundleError::BadKey(_) => "bad_key",
            BundleError::Random(_) => "random_unavailable",
            BundleError::Signing(_) => "signing_failed",
            BundleError::Packaging(_) => "packaging_failed",
            BundleError::BadSignature(_) => "bad_signature",
            BundleError::Malformed(_) => "malformed",
        }
    }
}
