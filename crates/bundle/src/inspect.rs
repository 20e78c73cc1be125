//! Reading back a bundle this side made, without the trust checks: its content hash and its
//! `submission.json`. The unit keeps these with its record of the bundle; the office never uses
//! them in place of [`crate::verify_bundle`].

use crate::bag::{sha256_hex, SUBMISSION_JSON, TAGMANIFEST};
use crate::error::BundleError;
use crate::keys::{Algorithm, PublicKey};
use crate::safezip;
use crate::submission::Submission;

fn file<'a>(u: &'a safezip::Unzipped, name: &str) -> Result<&'a Vec<u8>, BundleError> {
    u.files
        .get(name)
        .ok_or_else(|| BundleError::Malformed(format!("报送包缺少 {name}")))
}

/// The content hash of a bundle: SHA-256 (hex) of its `tagmanifest-sha256.txt`, the same value
/// the office's verdict and receipts carry.
pub fn content_sha256(zip_bytes: &[u8]) -> Result<String, BundleError> {
    let u = safezip::read(zip_bytes).map_err(BundleError::Malformed)?;
    Ok(sha256_hex(file(&u, TAGMANIFEST)?))
}

/// The `submission.json` of a bundle (not verified).
pub fn read_submission(zip_bytes: &[u8]) -> Result<Submission, BundleError> {
    let u = safezip::read(zip_bytes).map_err(BundleError::Malformed)?;
    let json = file(&u, &format!("data/{SUBMISSION_JSON}"))?;
    serde_json::from_slice(json)
        .map_err(|e| BundleError::Malformed(format!("submission.json 无法解析（{e}）")))
}

/// The key id of a public key string (minisign base64 line, or SM2 PEM).
pub fn public_key_id(algorithm: Algorithm, public_key: &str) -> Result<String, BundleError> {
    PublicKey::parse(algorithm, public_key)
        .map(|pk| pk.key_id())
        .map_err(BundleError::BadKey)
}
