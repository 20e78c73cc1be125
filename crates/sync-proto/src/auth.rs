//! Signed requests. The PC signs, with its enrolled device key, the canonical text of each
//! request: a fixed tag, the method, the path with its query, the key id, the date, a fresh
//! nonce and the body's SHA-256. The hub checks the signature against the office's key list,
//! the date against its clock and the nonce against those it has seen, so a captured request
//! can be neither altered nor replayed. No passwords travel.

use base64::Engine;
use gongkai_bundle::{verify_message, Algorithm, Signer};
use sha2::{Digest, Sha256};

/// Header: the signing key's id.
pub const HEADER_KEY: &str = "gongkai-key";
/// Header: RFC 3339 time of signing.
pub const HEADER_DATE: &str = "gongkai-date";
/// Header: a fresh random value per request.
pub const HEADER_NONCE: &str = "gongkai-nonce";
/// Header: base64 of the detached signature.
pub const HEADER_SIGNATURE: &str = "gongkai-signature";

const TAG: &str = "GONGKAI-SYNC-REQUEST-1";
const COMMENT: &str = "gongkai sync request";

/// The headers of a signed request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestAuth {
    pub key_id: String,
    pub date: String,
    pub nonce: String,
    pub signature: String,
}

/// The text that is signed.
pub fn canonical_request(
    method: &str,
    path_and_query: &str,
    key_id: &str,
    date: &str,
    nonce: &str,
    body: &[u8],
) -> Vec<u8> {
    let digest = hex::encode(Sha256::digest(body));
    format!(
        "{TAG}\n{}\n{path_and_query}\n{key_id}\n{date}\n{nonce}\n{digest}\n",
        method.to_ascii_uppercase()
    )
    .into_bytes()
}

/// Sign a request with `signer`; `date` and `nonce` come from the caller (clock, random).
pub fn sign_request(
    signer: &Signer,
    method: &str,
    path_and_query: &str,
    date: &str,
    nonce: &str,
    body: &[u8],
) -> Result<RequestAuth, String> {
    let msg = canonical_request(method, path_and_query, signer.key_id(), date, nonce, body);
    let sig = signer
        .sign_message(&msg, COMMENT)
        .map_err(|e| e.to_string())?;
    Ok(RequestAuth {
        key_id: signer.key_id().to_string(),
        date: date.to_string(),
        nonce: nonce.to_string(),
        signature: base64::engine::general_purpose::STANDARD.encode(sig),
    })
}

/// Check a request's signature with the public key the key list holds for `auth.key_id`.
pub fn verify_request(
    algorithm: Algorithm,
    public_key: &str,
    method: &str,
    path_and_query: &str,
    auth: &RequestAuth,
    body: &[u8],
) -> Result<(), String> {
    let sig = base64::engine::general_purpose::STANDARD
        .decode(auth.signature.as_bytes())
        .map_err(|_| "请求签名不是有效的 base64".to_string())?;
    let msg = canonical_request(
        method,
        path_and_query,
        &auth.key_id,
        &auth.date,
        &auth.nonce,
        body,
    );
    verify_message(algorithm, public_key, &msg, &sig)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_request_verifies_and_any_change_breaks_it() {
        for alg in [Algorithm::MinisignEd25519, Algorithm::Sm2Sm3] {
            let s = Signer::ephemeral(alg).unwrap();
            let auth = sign_request(
                &s,
                "post",
                "/v1/changes",
                "2026-12-04T10:00:00Z",
                "n1",
                b"{}",
            )
            .unwrap();
            verify_request(alg, s.public_key(), "POST", "/v1/changes", &auth, b"{}").unwrap();
            assert!(
                verify_request(alg, s.public_key(), "POST", "/v1/changes", &auth, b"{ }").is_err()
            );
            assert!(verify_request(alg, s.public_key(), "POST", "/v1/feed", &auth, b"{}").is_err());
            let mut other = auth.clone();
            other.nonce = "n2".into();
            assert!(
                verify_request(alg, s.public_key(), "POST", "/v1/changes", &other, b"{}").is_err()
            );
            let stranger = Signer::ephemeral(alg).unwrap();
            assert!(verify_request(
                alg,
                stranger.public_key(),
                "POST",
                "/v1/changes",
                &auth,
                b"{}"
            )
            .is_err());
        }
    }
}
