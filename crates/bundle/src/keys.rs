//! Device keys, signers and enrolment.
//!
//! One key per device (clerk PC), grouped under its unit. Two algorithms:
//! - [`Algorithm::MinisignEd25519`] (default): the `minisign` format. The secret key box is a
//!   minisign secret key file, encrypted with the password by scrypt (minisign's own
//!   parameters). Key id = the 8-byte key number as 16 uppercase hex digits, as `minisign`
//!   prints it. Public key string = the base64 line of a minisign `.pub` file (what
//!   `minisign -P` takes); fingerprint = SHA-256 of the 42 bytes that line decodes to.
//! - [`Algorithm::Sm2Sm3`] (国密 profile): SM2 signatures with SM3 and the distinguishing id
//!   [`SM2_DISTID`]. The secret scalar is encrypted at rest: scrypt (log N = 15, r = 8, p = 1)
//!   derives a key for XChaCha20-Poly1305; the box is JSON. Key id = the first 16 hex digits
//!   (uppercase) of SM3 over the 65-byte uncompressed public point; public key string = PEM
//!   SubjectPublicKeyInfo (OpenSSL reads it as is); fingerprint = SHA-256 of the 65 bytes.
//!
//! Fingerprints print as 16 groups of 4 uppercase hex digits, for the paper enrolment form.
//! An [`EnrolmentRequest`] is signed by the key it enrols (proof of possession).

use crate::canonical;
use crate::error::BundleError;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::Digest as _;
use sm2::dsa::signature::{Signer as _, Verifier as _};
use sm2::elliptic_curve::sec1::ToSec1Point;
use sm2::pkcs8::{DecodePublicKey, EncodePublicKey, LineEnding};
use sm3::Digest as _;
use std::fmt;
use std::io::Cursor;

/// The SM2 distinguishing identifier (the GM/T 0009 default). OpenSSL needs
/// `-sigopt distid:1234567812345678` to verify.
pub const SM2_DISTID: &str = "1234567812345678";

const SM2_BOX_FORMAT: &str = "gongkai-sm2-secret-v1";
const SM2_LOG_N: u8 = 15;
const SM2_R: u32 = 8;
const SM2_P: u32 = 1;
const MINISIGN_KEY_COMMENT: &str = "gongkai device secret key (minisign, encrypted)";
const ENROLMENT_FORMAT: &str = "gongkai-enrolment-v1";

/// A signature algorithm (profile).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Algorithm {
    /// minisign: Ed25519 over the BLAKE2b-512 prehash. `tagmanifest-sha256.txt.minisig`.
    #[serde(rename = "minisign-ed25519")]
    MinisignEd25519,
    /// SM2 with SM3, DER signature. `tagmanifest-sha256.txt.sm2sig`.
    #[serde(rename = "sm2-sm3")]
    Sm2Sm3,
}

impl Algorithm {
    /// The name written in `bag-info.txt` (`Signature-Algorithm`) and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Algorithm::MinisignEd25519 => "minisign-ed25519",
            Algorithm::Sm2Sm3 => "sm2-sm3",
        }
    }

    /// The algorithm named `s`, if any.
    pub fn parse(s: &str) -> Option<Algorithm> {
        match s {
            "minisign-ed25519" => Some(Algorithm::MinisignEd25519),
            "sm2-sm3" => Some(Algorithm::Sm2Sm3),
            _ => None,
        }
    }

    /// The detached signature file at the bag root.
    pub fn signature_file(self) -> &'static str {
        match self {
            Algorithm::MinisignEd25519 => "tagmanifest-sha256.txt.minisig",
            Algorithm::Sm2Sm3 => "tagmanifest-sha256.txt.sm2sig",
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A newly generated device key: the public part to enrol, and the secret, encrypted with the
/// clerk's password, to keep on the device. Nothing here is secret in clear.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceKey {
    /// The algorithm.
    pub algorithm: Algorithm,
    /// The key id (16 uppercase hex digits).
    pub key_id: String,
    /// SHA-256 of the public key bytes, as 16 groups of 4 hex digits.
    pub fingerprint: String,
    /// The public key string (minisign base64 line, or SM2 PEM).
    pub public_key: String,
    /// The secret key, encrypted with the password (minisign secret key file, or SM2 JSON box).
    pub secret_box: String,
}

impl DeviceKey {
    /// Generate a key pair and encrypt its secret with `password` (not empty). Slow on purpose
    /// (scrypt with 32 MB of memory).
    pub fn generate(algorithm: Algorithm, password: &str) -> Result<DeviceKey, BundleError> {
        if password.is_empty() {
            return Err(BundleError::InvalidInput(
                "保护签名密钥的密码不能为空".to_string(),
            ));
        }
        match algorithm {
            Algorithm::MinisignEd25519 => {
                let kp = minisign::KeyPair::generate_encrypted_keypair(Some(password.to_string()))
                    .map_err(|e| BundleError::Random(e.to_string()))?;
                let secret_box = kp
                    .sk
                    .to_box(Some(MINISIGN_KEY_COMMENT))
                    .map_err(|e| BundleError::BadKey(e.to_string()))?
                    .into_string();
                Ok(DeviceKey {
                    algorithm,
                    key_id: minisign_key_id(kp.pk.keynum()),
                    fingerprint: fingerprint(&kp.pk.to_bytes()),
                    public_key: kp.pk.to_base64(),
                    secret_box,
                })
            }
            Algorithm::Sm2Sm3 => {
                let key = random_sm2_key()?;
                let point = sm2_point(key.verifying_key());
                let key_id = sm2_key_id(&point);
                let secret_box = seal_sm2(&key, &key_id, password)?;
                Ok(DeviceKey {
                    algorithm,
                    key_id,
                    fingerprint: fingerprint(&point),
                    public_key: sm2_pem(key.verifying_key())?,
                    secret_box,
                })
            }
        }
    }

    /// Unlock the secret with `password`: a [`Signer`], or [`BundleError::WrongPassword`].
    pub fn unlock(&self, password: &str) -> Result<Signer, BundleError> {
        let signer = Signer::unlock(self.algorithm, &self.secret_box, password)?;
        if signer.key_id != self.key_id {
            return Err(BundleError::BadKey(
                "密钥文件与记录的密钥编号不一致".to_string(),
            ));
        }
        Ok(signer)
    }
}

/// An unlocked secret key that signs bags, enrolment requests and receipts. Holds the secret
/// in memory only; `Debug` does not print it.
pub struct Signer {
    algorithm: Algorithm,
    key_id: String,
    public_key: String,
    fingerprint: String,
    inner: Inner,
}

enum Inner {
    Minisign {
        pk: minisign::PublicKey,
        sk: minisign::SecretKey,
    },
    Sm2(Box<sm2::dsa::SigningKey>),
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signer")
            .field("algorithm", &self.algorithm)
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

impl Signer {
    /// Decrypt `secret_box` (as in [`DeviceKey::secret_box`]) with `password`.
    /// A wrong password is [`BundleError::WrongPassword`]; an unencrypted or damaged box is
    /// [`BundleError::BadKey`].
    pub fn unlock(
        algorithm: Algorithm,
        secret_box: &str,
        password: &str,
    ) -> Result<Signer, BundleError> {
        match algorithm {
            Algorithm::MinisignEd25519 => {
                let sk_box = minisign::SecretKeyBox::from_string(secret_box)
                    .map_err(|e| BundleError::BadKey(e.to_string()))?;
                let sk = minisign::SecretKey::from_box(sk_box, Some(password.to_string()))
                    .map_err(|e| match e.kind() {
                        minisign::ErrorKind::Verify => BundleError::WrongPassword,
                        _ => BundleError::BadKey(e.to_string()),
                    })?;
                let pk = minisign::PublicKey::from_secret_key(&sk)
                    .map_err(|e| BundleError::BadKey(e.to_string()))?;
                Ok(Signer::from_minisign(pk, sk))
            }
            Algorithm::Sm2Sm3 => {
                let key = open_sm2(secret_box, password)?;
                Signer::from_sm2(key)
            }
        }
    }

    /// A signer whose key lives only in memory and is never stored: for tests, benches and
    /// one-off tools. Production keys come from [`DeviceKey::generate`].
    pub fn ephemeral(algorithm: Algorithm) -> Result<Signer, BundleError> {
        match algorithm {
            Algorithm::MinisignEd25519 => {
                let kp = minisign::KeyPair::generate_unencrypted_keypair()
                    .map_err(|e| BundleError::Random(e.to_string()))?;
                Ok(Signer::from_minisign(kp.pk, kp.sk))
            }
            Algorithm::Sm2Sm3 => Signer::from_sm2(random_sm2_key()?),
        }
    }

    fn from_minisign(pk: minisign::PublicKey, sk: minisign::SecretKey) -> Signer {
        Signer {
            algorithm: Algorithm::MinisignEd25519,
            key_id: minisign_key_id(pk.keynum()),
            public_key: pk.to_base64(),
            fingerprint: fingerprint(&pk.to_bytes()),
            inner: Inner::Minisign { pk, sk },
        }
    }

    fn from_sm2(key: sm2::dsa::SigningKey) -> Result<Signer, BundleError> {
        let point = sm2_point(key.verifying_key());
        Ok(Signer {
            algorithm: Algorithm::Sm2Sm3,
            key_id: sm2_key_id(&point),
            public_key: sm2_pem(key.verifying_key())?,
            fingerprint: fingerprint(&point),
            inner: Inner::Sm2(Box::new(key)),
        })
    }

    /// The algorithm.
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// The key id (16 uppercase hex digits).
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The public key string (minisign base64 line, or SM2 PEM).
    pub fn public_key(&self) -> &str {
        &self.public_key
    }

    /// The fingerprint (16 groups of 4 hex digits).
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// A detached signature of `msg` for other protocols (sync requests, key lists): the same
    /// bytes as the bundle's signatures, verified by [`verify_message`].
    pub fn sign_message(&self, msg: &[u8], trusted_comment: &str) -> Result<Vec<u8>, BundleError> {
        self.sign_detached(msg, trusted_comment)
    }

    /// A detached signature of `msg`: a minisign signature file whose trusted comment is
    /// `trusted_comment`, or a DER-encoded SM2 signature (no comment).
    pub(crate) fn sign_detached(
        &self,
        msg: &[u8],
        trusted_comment: &str,
    ) -> Result<Vec<u8>, BundleError> {
        match &self.inner {
            Inner::Minisign { pk, sk } => {
                let untrusted = minisign_untrusted_comment(&self.key_id);
                let sig = minisign::sign(
                    Some(pk),
                    sk,
                    Cursor::new(msg),
                    Some(trusted_comment),
                    Some(&untrusted),
                )
                .map_err(|e| BundleError::Signing(e.to_string()))?;
                Ok(sig.into_string().into_bytes())
            }
            Inner::Sm2(key) => {
                let sig: sm2::dsa::Signature = key
                    .try_sign(msg)
                    .map_err(|e| BundleError::Signing(e.to_string()))?;
                Ok(sig.to_der().as_bytes().to_vec())
            }
        }
    }
}

/// The untrusted comment this crate writes, and requires, in a minisign signature file.
pub(crate) fn minisign_untrusted_comment(key_id: &str) -> String {
    format!("signature from gongkai key {key_id}")
}

/// Key id of a minisign key number: little-endian u64 as 16 uppercase hex (as minisign prints).
fn minisign_key_id(keynum: &[u8]) -> String {
    let mut bytes = [0u8; 8];
    for (dst, src) in bytes.iter_mut().zip(keynum.iter()) {
        *dst = *src;
    }
    format!("{:016X}", u64::from_le_bytes(bytes))
}

fn sm2_point(vk: &sm2::dsa::VerifyingKey) -> Vec<u8> {
    vk.to_sec1_point(false).as_bytes().to_vec()
}

fn sm2_key_id(point: &[u8]) -> String {
    let digest = sm3::Sm3::digest(point);
    let mut id = hex::encode_upper(digest);
    id.truncate(16);
    id
}

fn sm2_pem(vk: &sm2::dsa::VerifyingKey) -> Result<String, BundleError> {
    let pk: sm2::PublicKey = vk.into();
    pk.to_public_key_pem(LineEnding::LF)
        .map_err(|e| BundleError::BadKey(e.to_string()))
}

/// SHA-256 of `bytes` as 16 groups of 4 uppercase hex digits.
fn fingerprint(bytes: &[u8]) -> String {
    let hex = hex::encode_upper(sha2::Sha256::digest(bytes));
    let groups: Vec<&str> = hex
        .as_bytes()
        .chunks(4)
        .filter_map(|c| std::str::from_utf8(c).ok())
        .collect();
    groups.join(" ")
}

fn random_bytes<const N: usize>() -> Result<[u8; N], BundleError> {
    let mut buf = [0u8; N];
    getrandom::fill(&mut buf).map_err(|e| BundleError::Random(e.to_string()))?;
    Ok(buf)
}

fn random_sm2_key() -> Result<sm2::dsa::SigningKey, BundleError> {
    // A random 256-bit string is a valid scalar unless it is zero or ≥ n (probability ~2^-32).
    for _ in 0..64 {
        let bytes = random_bytes::<32>()?;
        if let Ok(key) = sm2::dsa::SigningKey::from_slice(SM2_DISTID, &bytes) {
            return Ok(key);
        }
    }
    Err(BundleError::Random("无法生成有效的 SM2 私钥".to_string()))
}

/// The SM2 secret at rest.
#[derive(Serialize, Deserialize)]
struct Sm2SecretBox {
    format: String,
    algorithm: Algorithm,
    key_id: String,
    kdf: String,
    log_n: u8,
    r: u32,
    p: u32,
    salt: String,
    cipher: String,
    nonce: String,
    ciphertext: String,
}

fn sm2_box_key(
    password: &str,
    salt: &[u8],
    log_n: u8,
    r: u32,
    p: u32,
) -> Result<XChaCha20Poly1305, BundleError> {
    let params = scrypt::Params::new(log_n, r, p, 32)
        .map_err(|e| BundleError::BadKey(format!("scrypt 参数无效（{e}）")))?;
    let mut key = [0u8; 32];
    scrypt::scrypt(password.as_bytes(), salt, &params, &mut key)
        .map_err(|e| BundleError::BadKey(format!("scrypt 失败（{e}）")))?;
    XChaCha20Poly1305::new_from_slice(&key).map_err(|e| BundleError::BadKey(e.to_string()))
}

fn sm2_aad(key_id: &str) -> Vec<u8> {
    format!("{SM2_BOX_FORMAT}:{key_id}").into_bytes()
}

fn seal_sm2(
    key: &sm2::dsa::SigningKey,
    key_id: &str,
    password: &str,
) -> Result<String, BundleError> {
    let salt = random_bytes::<32>()?;
    let nonce = random_bytes::<24>()?;
    let cipher = sm2_box_key(password, &salt, SM2_LOG_N, SM2_R, SM2_P)?;
    let xnonce = XNonce::try_from(&nonce[..]).map_err(|e| BundleError::BadKey(e.to_string()))?;
    let secret = key.to_bytes();
    let aad = sm2_aad(key_id);
    let ciphertext = cipher
        .encrypt(
            &xnonce,
            Payload {
                msg: secret.as_slice(),
                aad: &aad,
            },
        )
        .map_err(|e| BundleError::BadKey(e.to_string()))?;
    let sealed = Sm2SecretBox {
        format: SM2_BOX_FORMAT.to_string(),
        algorithm: Algorithm::Sm2Sm3,
        key_id: key_id.to_string(),
        kdf: "scrypt".to_string(),
        log_n: SM2_LOG_N,
        r: SM2_R,
        p: SM2_P,
        salt: hex::encode(salt),
        cipher: "xchacha20poly1305".to_string(),
        nonce: hex::encode(nonce),
        ciphertext: hex::encode(ciphertext),
    };
    serde_json::to_string_pretty(&sealed).map_err(|e| BundleError::BadKey(e.to_string()))
}

fn open_sm2(secret_box: &str, password: &str) -> Result<sm2::dsa::SigningKey, BundleError> {
    let bad = |what: &str| BundleError::BadKey(format!("SM2 密钥文件{what}"));
    let sealed: Sm2SecretBox =
        serde_json::from_str(secret_box).map_err(|_| bad("不是有效的 JSON"))?;
    if sealed.format != SM2_BOX_FORMAT
        || sealed.algorithm != Algorithm::Sm2Sm3
        || sealed.kdf != "scrypt"
        || sealed.cipher != "xchacha20poly1305"
    {
        return Err(bad("的格式版本不受支持"));
    }
    // Refuse parameters that would make unlocking take minutes or gigabytes.
    if sealed.log_n > 20 || sealed.r == 0 || sealed.r > 32 || sealed.p == 0 || sealed.p > 4 {
        return Err(bad("的 scrypt 参数超出允许范围"));
    }
    let salt = hex::decode(&sealed.salt).map_err(|_| bad("的盐值无效"))?;
    let nonce = hex::decode(&sealed.nonce).map_err(|_| bad("的随机数无效"))?;
    let ciphertext = hex::decode(&sealed.ciphertext).map_err(|_| bad("的密文无效"))?;
    let xnonce = XNonce::try_from(&nonce[..]).map_err(|_| bad("的随机数长度不对"))?;
    let cipher = sm2_box_key(password, &salt, sealed.log_n, sealed.r, sealed.p)?;
    let aad = sm2_aad(&sealed.key_id);
    let secret = cipher
        .decrypt(
            &xnonce,
            Payload {
                msg: &ciphertext,
                aad: &aad,
            },
        )
        .map_err(|_| BundleError::WrongPassword)?;
    let key =
        sm2::dsa::SigningKey::from_slice(SM2_DISTID, &secret).map_err(|_| bad("中的私钥无效"))?;
    if sm2_key_id(&sm2_point(key.verifying_key())) != sealed.key_id {
        return Err(bad("中的密钥编号与私钥不符"));
    }
    Ok(key)
}

/// Verify `sig` over `msg` with the public key `public_key` of `algorithm` (as made by
/// [`Signer::sign_message`]). The error is a Chinese sentence naming what failed.
pub fn verify_message(
    algorithm: Algorithm,
    public_key: &str,
    msg: &[u8],
    sig: &[u8],
) -> Result<(), String> {
    PublicKey::parse(algorithm, public_key)?
        .verify_detached(msg, sig)
        .map(|_| ())
}

/// The key id of a public key string of `algorithm`, or why it is not one.
pub fn key_id_of(algorithm: Algorithm, public_key: &str) -> Result<String, String> {
    Ok(PublicKey::parse(algorithm, public_key)?.key_id())
}

/// A parsed public key of either algorithm.
pub(crate) enum PublicKey {
    Minisign(minisign::PublicKey),
    Sm2(Box<sm2::dsa::VerifyingKey>),
}

impl PublicKey {
    /// Parse `s` as a public key of `algorithm`: for minisign, the base64 line (a whole `.pub`
    /// file is accepted too); for SM2, PEM SubjectPublicKeyInfo.
    pub(crate) fn parse(algorithm: Algorithm, s: &str) -> Result<PublicKey, String> {
        match algorithm {
            Algorithm::MinisignEd25519 => {
                let line = s
                    .lines()
                    .map(str::trim)
                    .rfind(|l| !l.is_empty() && !l.starts_with("untrusted comment:"))
                    .ok_or_else(|| "minisign 公钥为空".to_string())?;
                let pk = minisign::PublicKey::from_base64(line)
                    .map_err(|_| "minisign 公钥格式不对".to_string())?;
                if !pk.to_bytes().starts_with(b"Ed") {
                    return Err("minisign 公钥的算法标记不是 Ed".to_string());
                }
                Ok(PublicKey::Minisign(pk))
            }
            Algorithm::Sm2Sm3 => {
                let pk = sm2::PublicKey::from_public_key_pem(s.trim())
                    .map_err(|_| "SM2 公钥不是有效的 PEM（SubjectPublicKeyInfo）".to_string())?;
                let vk = sm2::dsa::VerifyingKey::new(SM2_DISTID, pk)
                    .map_err(|_| "SM2 公钥无效".to_string())?;
                Ok(PublicKey::Sm2(Box::new(vk)))
            }
        }
    }

    /// The key id this public key has.
    pub(crate) fn key_id(&self) -> String {
        match self {
            PublicKey::Minisign(pk) => minisign_key_id(pk.keynum()),
            PublicKey::Sm2(vk) => sm2_key_id(&sm2_point(vk)),
        }
    }

    /// The fingerprint of this public key.
    pub(crate) fn fingerprint(&self) -> String {
        match self {
            PublicKey::Minisign(pk) => fingerprint(&pk.to_bytes()),
            PublicKey::Sm2(vk) => fingerprint(&sm2_point(vk)),
        }
    }

    /// Verify a detached signature made by [`Signer::sign_detached`]. For minisign, the
    /// signature file must be exactly as this crate writes it (every byte counts, the
    /// untrusted comment included); returns its trusted comment. For SM2, returns `None`.
    pub(crate) fn verify_detached(&self, msg: &[u8], sig: &[u8]) -> Result<Option<String>, String> {
        match self {
            PublicKey::Minisign(pk) => {
                let parsed = MinisignSig::parse(sig)?;
                let key_id = minisign_key_id(pk.keynum());
                if parsed.key_id != key_id {
                    return Err(format!(
                        "签名所用密钥 {} 与公钥 {} 不一致",
                        parsed.key_id, key_id
                    ));
                }
                minisign::verify(pk, &parsed.sig_box, Cursor::new(msg), true, false, false)
                    .map_err(|_| "签名与内容不符".to_string())?;
                Ok(Some(parsed.trusted_comment))
            }
            PublicKey::Sm2(vk) => {
                let sig = sm2::dsa::Signature::from_der(sig)
                    .map_err(|_| "SM2 签名不是有效的 DER 编码".to_string())?;
                vk.verify(msg, &sig)
                    .map_err(|_| "签名与内容不符".to_string())?;
                Ok(None)
            }
        }
    }
}

/// A minisign signature file, parsed strictly.
pub(crate) struct MinisignSig {
    pub(crate) key_id: String,
    pub(crate) trusted_comment: String,
    sig_box: minisign::SignatureBox,
}

impl MinisignSig {
    /// Parse `bytes`: four LF-terminated lines, byte-for-byte what this crate writes (so a
    /// changed byte anywhere, even in the unsigned comment line, is refused), prehashed `ED`.
    pub(crate) fn parse(bytes: &[u8]) -> Result<MinisignSig, String> {
        let text = std::str::from_utf8(bytes).map_err(|_| "签名文件不是 UTF-8 文本".to_string())?;
        if text.len() > 4096 || text.contains('\r') || text.lines().count() != 4 {
            return Err("签名文件格式不对（应为 4 行）".to_string());
        }
        let sig_box = minisign::SignatureBox::from_string(text)
            .map_err(|_| "签名文件格式不对".to_string())?;
        if !sig_box.is_prehashed() {
            return Err("签名文件使用了旧版（非预哈希）算法".to_string());
        }
        if sig_box.to_string() != text {
            return Err("签名文件不是规范格式（有多余或被改动的字符）".to_string());
        }
        let key_id = minisign_key_id(sig_box.keynum());
        let untrusted = sig_box
            .untrusted_comment()
            .map_err(|_| "签名文件缺少注释行".to_string())?;
        if untrusted != minisign_untrusted_comment(&key_id) {
            return Err("签名文件的注释行被改动".to_string());
        }
        let trusted_comment = sig_box
            .trusted_comment()
            .map_err(|_| "签名文件缺少可信注释".to_string())?;
        Ok(MinisignSig {
            key_id,
            trusted_comment,
            sig_box,
        })
    }
}

/// A key enrolment request: the new key's public part with the unit and device it belongs
/// to, signed by that key (proof of possession). Travels as JSON; the office confirms the
/// fingerprint out of band before activating the key.
///
/// The signature covers the canonical JSON of every other member (keys sorted, compact; see
/// the `canonical` module): a minisign signature file whose trusted comment is
/// `gongkai-enrolment v1 unit=<unit> key=<KEYID>`, or for SM2 the DER signature in hex.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolmentRequest {
    /// `gongkai-enrolment-v1`.
    pub format: String,
    /// The algorithm.
    pub algorithm: Algorithm,
    /// The public key string.
    pub public_key: String,
    /// The key id.
    pub key_id: String,
    /// The fingerprint.
    pub fingerprint: String,
    /// The unit the key signs for.
    pub unit_code: String,
    /// The device that holds it.
    pub device_id: String,
    /// The clerk who asks.
    pub clerk: String,
    /// When (passed in).
    pub created_at: DateTime<Utc>,
    /// The self-signature.
    pub signature: String,
}

impl EnrolmentRequest {
    /// A request for `signer`'s key, signed by it.
    pub fn new(
        signer: &Signer,
        unit_code: &str,
        device_id: &str,
        clerk: &str,
        created_at: DateTime<Utc>,
    ) -> Result<EnrolmentRequest, BundleError> {
        crate::bag::check_unit_code(unit_code)?;
        let mut req = EnrolmentRequest {
            format: ENROLMENT_FORMAT.to_string(),
            algorithm: signer.algorithm,
            public_key: signer.public_key.clone(),
            key_id: signer.key_id.clone(),
            fingerprint: signer.fingerprint.clone(),
            unit_code: unit_code.to_string(),
            device_id: device_id.to_string(),
            clerk: clerk.to_string(),
            created_at,
            signature: String::new(),
        };
        let msg = req.signed_bytes()?;
        let sig = signer.sign_detached(&msg, &req.trusted_comment())?;
        req.signature = match signer.algorithm {
            Algorithm::MinisignEd25519 => {
                String::from_utf8(sig).map_err(|e| BundleError::Signing(e.to_string()))?
            }
            Algorithm::Sm2Sm3 => hex::encode(sig),
        };
        Ok(req)
    }

    /// Parse a request from its JSON.
    pub fn from_json(bytes: &[u8]) -> Result<EnrolmentRequest, BundleError> {
        serde_json::from_slice(bytes)
            .map_err(|e| BundleError::Malformed(format!("密钥登记申请不是有效的 JSON（{e}）")))
    }

    /// The request as pretty JSON.
    pub fn to_json(&self) -> Result<String, BundleError> {
        serde_json::to_string_pretty(self).map_err(|e| BundleError::Malformed(e.to_string()))
    }

    /// The bytes the signature covers: canonical JSON of every member but `signature`.
    pub fn signed_bytes(&self) -> Result<Vec<u8>, BundleError> {
        let value =
            serde_json::to_value(self).map_err(|e| BundleError::Malformed(e.to_string()))?;
        Ok(canonical::signed_bytes(&value))
    }

    fn trusted_comment(&self) -> String {
        format!(
            "gongkai-enrolment v1 unit={} key={}",
            self.unit_code, self.key_id
        )
    }

    /// Check the request: the format, that the key id and fingerprint are those of the public
    /// key, and that the key itself signed these exact contents.
    pub fn verify(&self) -> Result<(), BundleError> {
        if self.format != ENROLMENT_FORMAT {
            return Err(BundleError::Malformed(format!(
                "密钥登记申请的格式版本“{}”不受支持",
                self.format
            )));
        }
        let pk = PublicKey::parse(self.algorithm, &self.public_key).map_err(BundleError::BadKey)?;
        if pk.key_id() != self.key_id {
            return Err(BundleError::BadSignature(
                "申请中的密钥编号与公钥不符".to_string(),
            ));
        }
        if pk.fingerprint() != self.fingerprint {
            return Err(BundleError::BadSignature(
                "申请中的指纹与公钥不符".to_string(),
            ));
        }
        let sig = match self.algorithm {
            Algorithm::MinisignEd25519 => self.signature.as_bytes().to_vec(),
            Algorithm::Sm2Sm3 => hex::decode(&self.signature)
                .map_err(|_| BundleError::BadSignature("签名不是十六进制".to_string()))?,
        };
        let msg = self.signed_bytes()?;
        let comment = pk
            .verify_detached(&msg, &sig)
            .map_err(BundleError::BadSignature)?;
        if let Some(comment) = comment {
            if comment != self.trusted_comment() {
                return Err(BundleError::BadSignature(
                    "签名的可信注释与申请内容不符".to_string(),
                ));
            }
        }
        Ok(())
    }
}
