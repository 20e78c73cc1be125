//! Verifying a received bundle at the central office: [`verify_bundle`] against the caller's
//! [`TrustStore`], at the office's own receipt time (the bag's claimed dates are never trusted
//! for key validity).
//!
//! Order of checks (a check marked *stop* ends verification, because nothing after it could
//! be trusted):
//! 1. safe unzip in memory — `bag_invalid`, stop;
//! 2. the root has `bagit.txt`, `bag-info.txt`, both manifests and one signature file —
//!    `bag_invalid` / `bad_signature`, stop;
//! 3. the key id: from the minisign signature file (which must be byte-for-byte canonical, so a
//!    change to its unsigned comment line is caught too), or for SM2 from `bag-info.txt`'s
//!    `Signing-Key-Id` — unknown to the trust store: `unknown_key`, stop (but a minisign
//!    signature naming an unknown key while `bag-info.txt` names an enrolled one is a changed
//!    signature file: `bad_signature`);
//! 4. the signature over `tagmanifest-sha256.txt` — `bad_signature`, stop;
//! 5. the key's state at `received_at` — `key_revoked` (received at or after the revocation),
//!    `key_retired` (received after the end of the overlap, or before activation);
//! 6. the tag files against the (now authenticated) tag manifest — `checksum_mismatch`, stop;
//! 7. `bagit.txt`, `bag-info.txt` fields, the folder name, the trusted comment (`unit=`,
//!    `submission=`, `key=`), stray files at the root — `bag_invalid` / `bad_signature`;
//! 8. the payload: every file under `data/` listed in the manifest and every listed file
//!    present, `Payload-Oxum` — `bag_invalid`; checksums — `checksum_mismatch`; stop if any;
//! 9. `data/submission.json`: parses, same submission id, its file list matches the payload,
//!    exactly one `policy_docx` — `bag_invalid`;
//! 10. units: `Unit-Code`, the trusted comment's `unit=` and `submission.json`'s `unit_code`
//!     against the key's unit — `unit_mismatch`;
//! 11. `needs_interpretation` without an `interpretation_docx` — `missing_interpretation`;
//! 12. the submission id seen before: same content hash → [`Verdict::duplicate`] (not a
//!     failure: the office answers with the receipt it already issued); different content →
//!     `replay`.
//!
//! The content hash ([`Verdict::content_sha256`]) is the SHA-256 of `tagmanifest-sha256.txt`:
//! it fixes every tag file and, through the manifest, every payload byte, yet does not change
//! when the same bag is signed again or zipped differently.
//!
//! The caller then runs its own checks on [`Verdict::submission`] and [`Verdict::payload`]
//! (re-scan of the published texts for personal information, deadlines) and adds
//! [`ReasonCode::ResidualPii`] / [`ReasonCode::DeadlineOverdue`] with [`Verdict::add_reason`].

use crate::bag::{
    bag_folder_name, parse_bag_info, parse_manifest, parse_trusted_comment, sha256_hex, BAGIT_TXT,
    BAG_INFO, MANIFEST, SUBMISSION_JSON, TAGMANIFEST,
};
use crate::keys::{Algorithm, MinisignSig, PublicKey};
use crate::safezip;
use crate::submission::{FileRole, Submission, SCHEMA_VERSION};
use crate::PayloadFile;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

/// What the office knows: enrolled keys, and submissions already received.
pub trait TrustStore {
    /// The enrolled key with this id, whatever its state.
    fn key(&self, key_id: &str) -> Option<TrustedKey>;
    /// The content hash ([`Verdict::content_sha256`]) of the submission with this id, if one
    /// was received before.
    fn seen(&self, submission_id: &Uuid) -> Option<String>;
}

/// An enrolled device key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustedKey {
    /// The key id.
    pub key_id: String,
    /// The unit it signs for.
    pub unit_code: String,
    /// Its algorithm.
    pub algorithm: Algorithm,
    /// The public key string (as in [`crate::DeviceKey::public_key`]).
    pub public_key: String,
    /// Active, retired or revoked.
    pub state: KeyState,
    /// From when bags signed with it are accepted.
    pub activated_at: DateTime<Utc>,
}

/// The state of an enrolled key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum KeyState {
    /// In use.
    Active,
    /// Replaced by a newer key; still accepted until `until` (the overlap).
    Retired {
        /// The end of the overlap.
        until: DateTime<Utc>,
    },
    /// Lost or compromised: bags received from `at` on are refused.
    Revoked {
        /// When it was revoked.
        at: DateTime<Utc>,
        /// Why.
        reason: String,
    },
}

/// Why a bundle is not accepted for review. The snake_case names are stable (append-only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReasonCode {
    /// Not a well-formed bag (or an unsafe zip).
    BagInvalid,
    /// A file does not match its manifest checksum.
    ChecksumMismatch,
    /// The signature is missing, malformed, or does not verify.
    BadSignature,
    /// The signing key is not enrolled.
    UnknownKey,
    /// The signing key was revoked before the bundle was received.
    KeyRevoked,
    /// The signing key was retired (past its overlap) or not yet active when received.
    KeyRetired,
    /// The unit named by the bag differs from the key's unit.
    UnitMismatch,
    /// A document that needs an interpretation came without one.
    MissingInterpretation,
    /// The submission id was received before with different content.
    Replay,
    /// The published texts still contain personal information (caller's check).
    ResidualPii,
    /// A deadline of the document is missed (caller's check).
    DeadlineOverdue,
    /// An image was not confirmed in the unit's de-identification review (caller's check).
    ImageUnreviewed,
    /// An image still carries metadata (EXIF, XMP, text chunks) (caller's check).
    ImageMetadata,
}

impl ReasonCode {
    /// The stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            ReasonCode::BagInvalid => "bag_invalid",
            ReasonCode::ChecksumMismatch => "checksum_mismatch",
            ReasonCode::BadSignature => "bad_signature",
            ReasonCode::UnknownKey => "unknown_key",
            ReasonCode::KeyRevoked => "key_revoked",
            ReasonCode::KeyRetired => "key_retired",
            ReasonCode::UnitMismatch => "unit_mismatch",
            ReasonCode::MissingInterpretation => "missing_interpretation",
            ReasonCode::Replay => "replay",
            ReasonCode::ResidualPii => "residual_pii",
            ReasonCode::DeadlineOverdue => "deadline_overdue",
            ReasonCode::ImageUnreviewed => "image_unreviewed",
            ReasonCode::ImageMetadata => "image_metadata",
        }
    }

    /// A short Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            ReasonCode::BagInvalid => "报送包结构无效",
            ReasonCode::ChecksumMismatch => "文件校验值不符",
            ReasonCode::BadSignature => "签名无效",
            ReasonCode::UnknownKey => "签名密钥未登记",
            ReasonCode::KeyRevoked => "签名密钥已吊销",
            ReasonCode::KeyRetired => "签名密钥已停用或未启用",
            ReasonCode::UnitMismatch => "单位与密钥不符",
            ReasonCode::MissingInterpretation => "缺少政策解读",
            ReasonCode::Replay => "重复报送编号但内容不同",
            ReasonCode::ResidualPii => "仍含个人信息",
            ReasonCode::DeadlineOverdue => "已超过时限",
            ReasonCode::ImageUnreviewed => "图片未经去标识化确认",
            ReasonCode::ImageMetadata => "图片含元数据",
        }
    }
}

/// One reason, with a Chinese message naming the file, key or field concerned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    /// The stable code.
    pub code: ReasonCode,
    /// What is wrong, in Chinese.
    pub message: String,
}

/// The outcome of [`verify_bundle`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// True when there is no reason: the bundle goes to a reviewer.
    pub accepted_for_review: bool,
    /// The same submission id was received before with the same content hash. Not a failure:
    /// answer with the receipt already issued.
    pub duplicate: bool,
    /// Why not, in the order found.
    pub reasons: Vec<Reason>,
    /// The parsed `submission.json`, once the signature and every checksum verified.
    pub submission: Option<Submission>,
    /// The payload files other than `submission.json` (path under `data/`, role, bytes), under
    /// the same condition. Not serialised.
    #[serde(skip)]
    pub payload: Vec<PayloadFile>,
    /// SHA-256 of `tagmanifest-sha256.txt`, once the signature verified.
    pub content_sha256: Option<String>,
    /// The signing key's id, as the signature (or, for SM2, `bag-info.txt`) names it.
    pub key_id: Option<String>,
}

impl Verdict {
    fn new() -> Verdict {
        Verdict {
            accepted_for_review: false,
            duplicate: false,
            reasons: Vec::new(),
            submission: None,
            payload: Vec::new(),
            content_sha256: None,
            key_id: None,
        }
    }

    /// Add a reason (the caller's own checks); the bundle is then not accepted.
    pub fn add_reason(&mut self, code: ReasonCode, message: impl Into<String>) {
        self.reasons.push(Reason {
            code,
            message: message.into(),
        });
        self.accepted_for_review = false;
    }

    /// Whether a reason with `code` was found.
    pub fn has(&self, code: ReasonCode) -> bool {
        self.reasons.iter().any(|r| r.code == code)
    }

    /// The codes found, in order, without repeats.
    pub fn codes(&self) -> Vec<ReasonCode> {
        let mut out: Vec<ReasonCode> = Vec::new();
        for r in &self.reasons {
            if !out.contains(&r.code) {
                out.push(r.code);
            }
        }
        out
    }
}

/// Verification ended early; the reason is already in the verdict.
struct Stop;

fn stop(v: &mut Verdict, code: ReasonCode, message: impl Into<String>) -> Stop {
    v.add_reason(code, message);
    Stop
}

/// Verify a received bundle (the zip's bytes) at `received_at`. Never panics, never writes
/// anything; see the module documentation for the checks and their reason codes.
pub fn verify_bundle(
    zip_bytes: &[u8],
    trust: &dyn TrustStore,
    received_at: DateTime<Utc>,
) -> Verdict {
    let mut v = Verdict::new();
    // Last guard: the zip and signature parsers are third-party code reading hostile bytes.
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut inner = Verdict::new();
        let _ = run(zip_bytes, trust, received_at, &mut inner);
        inner
    }));
    match outcome {
        Ok(inner) => v = inner,
        Err(_) => v.add_reason(ReasonCode::BagInvalid, "报送包无法解析（内部错误），已拒收"),
    }
    v.accepted_for_review = v.reasons.is_empty();
    v
}

fn run(
    zip_bytes: &[u8],
    trust: &dyn TrustStore,
    received_at: DateTime<Utc>,
    v: &mut Verdict,
) -> Result<(), Stop> {
    use ReasonCode::*;

    // 1. Safe unzip.
    let unzipped = safezip::read(zip_bytes).map_err(|m| stop(v, BagInvalid, m))?;
    let files = &unzipped.files;

    // 2. The root.
    for name in ["bagit.txt", BAG_INFO, MANIFEST, TAGMANIFEST] {
        if !files.contains_key(name) {
            return Err(stop(v, BagInvalid, format!("报送包缺少 {name}")));
        }
    }
    let algorithms: Vec<Algorithm> = [Algorithm::MinisignEd25519, Algorithm::Sm2Sm3]
        .into_iter()
        .filter(|a| files.contains_key(a.signature_file()))
        .collect();
    let algorithm = match algorithms.as_slice() {
        [a] => *a,
        [] => {
            return Err(stop(
                v,
                BadSignature,
                "报送包没有签名文件（tagmanifest-sha256.txt.minisig 或 .sm2sig）",
            ))
        }
        _ => return Err(stop(v, BagInvalid, "报送包同时有两种签名文件，只应有一种")),
    };
    let sig_bytes = files
        .get(algorithm.signature_file())
        .map(Vec::as_slice)
        .unwrap_or_default();

    // 3. The key id, and the enrolled key. bag-info.txt is not authenticated yet: its
    // Signing-Key-Id is only a claim here.
    let claimed_key_id = files.get(BAG_INFO).and_then(|b| {
        String::from_utf8_lossy(b)
            .lines()
            .find_map(|l| l.strip_prefix("Signing-Key-Id:"))
            .map(|v| v.trim().to_string())
    });
    let key_id = match algorithm {
        Algorithm::MinisignEd25519 => {
            MinisignSig::parse(sig_bytes)
                .map_err(|m| stop(v, BadSignature, format!("签名文件无效：{m}")))?
                .key_id
        }
        Algorithm::Sm2Sm3 => claimed_key_id.clone().ok_or_else(|| {
            stop(
                v,
                BagInvalid,
                "bag-info.txt 缺少 Signing-Key-Id，无法确定签名密钥",
            )
        })?,
    };
    v.key_id = Some(key_id.clone());
    let key = match trust.key(&key_id).filter(|k| k.key_id == key_id) {
        Some(key) => key,
        None => {
            // A signature naming an unknown key in a bag that names a known one: the
            // signature file was changed, not signed by a stranger.
            let tampered = claimed_key_id
                .as_deref()
                .filter(|claimed| *claimed != key_id)
                .is_some_and(|claimed| trust.key(claimed).is_some());
            return Err(if tampered {
                stop(
                    v,
                    BadSignature,
                    format!(
                        "签名文件中的密钥编号 {key_id} 与 bag-info.txt 所列的登记密钥不符（签名文件被改动？）"
                    ),
                )
            } else {
                stop(
                    v,
                    UnknownKey,
                    format!("签名密钥 {key_id} 未在指挥中心登记；请先办理密钥登记"),
                )
            });
        }
    };
    if key.algorithm != algorithm {
        return Err(stop(
            v,
            BadSignature,
            format!(
                "签名算法 {} 与登记的密钥算法 {} 不一致",
                algorithm, key.algorithm
            ),
        ));
    }
    let public_key = PublicKey::parse(key.algorithm, &key.public_key)
        .ok()
        .filter(|pk| pk.key_id() == key_id)
        .ok_or_else(|| {
            stop(
                v,
                UnknownKey,
                format!("登记的密钥 {key_id} 的公钥无法读取或与编号不符，请核对密钥登记"),
            )
        })?;

    // 4. The signature.
    let tagmanifest = files
        .get(TAGMANIFEST)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let comment = public_key
        .verify_detached(tagmanifest, sig_bytes)
        .map_err(|m| {
            stop(
                v,
                BadSignature,
                format!("tagmanifest-sha256.txt 的签名验证未通过：{m}"),
            )
        })?;
    let content = sha256_hex(tagmanifest);
    v.content_sha256 = Some(content.clone());

    // 5. The key's state when received.
    check_key_state(&key, received_at, v);

    // 6. Tag files.
    let tag_entries =
        parse_manifest(tagmanifest, TAGMANIFEST).map_err(|m| stop(v, BagInvalid, m))?;
    let expected_tags: BTreeSet<&str> = [BAG_INFO, "bagit.txt", MANIFEST].into_iter().collect();
    let listed_tags: BTreeSet<&str> = tag_entries.iter().map(|(_, p)| p.as_str()).collect();
    if listed_tags != expected_tags || tag_entries.len() != expected_tags.len() {
        return Err(stop(
            v,
            BagInvalid,
            "tagmanifest-sha256.txt 应恰好列出 bagit.txt、bag-info.txt 和 manifest-sha256.txt",
        ));
    }
    let mut tag_bad = false;
    for (hash, path) in &tag_entries {
        let actual = files.get(path).map(|b| sha256_hex(b));
        if actual.as_deref() != Some(hash.as_str()) {
            v.add_reason(
                ChecksumMismatch,
                format!("{path} 的校验值与 tagmanifest-sha256.txt 不符（文件被改动或损坏）"),
            );
            tag_bad = true;
        }
    }
    if tag_bad {
        return Err(Stop);
    }

    // 7. bagit.txt, bag-info.txt, the folder, the trusted comment, the root.
    if files.get("bagit.txt").map(Vec::as_slice) != Some(BAGIT_TXT.as_bytes()) {
        return Err(stop(
            v,
            BagInvalid,
            "bagit.txt 应恰好为“BagIt-Version: 1.0”和“Tag-File-Character-Encoding: UTF-8”两行",
        ));
    }
    let info = BagInfo::parse(files.get(BAG_INFO).map(Vec::as_slice).unwrap_or_default())
        .map_err(|m| stop(v, BagInvalid, m))?;
    if info.key_id != key_id {
        return Err(stop(
            v,
            BadSignature,
            format!(
                "bag-info.txt 中的 Signing-Key-Id {} 与签名密钥 {key_id} 不符",
                info.key_id
            ),
        ));
    }
    if info.algorithm != algorithm.as_str() {
        return Err(stop(
            v,
            BadSignature,
            format!(
                "bag-info.txt 中的 Signature-Algorithm “{}” 与签名文件 {} 不符",
                info.algorithm, algorithm
            ),
        ));
    }
    if unzipped.root != bag_folder_name(&info.submission_id) {
        v.add_reason(
            BagInvalid,
            format!(
                "压缩包顶层文件夹“{}”应为“{}”",
                unzipped.root,
                bag_folder_name(&info.submission_id)
            ),
        );
    }
    let mut comment_unit = None;
    if let Some(comment) = comment {
        match parse_trusted_comment(&comment) {
            Some((unit, submission, signed_key))
                if submission == info.submission_id.to_string() && signed_key == key_id =>
            {
                comment_unit = Some(unit);
            }
            _ => {
                return Err(stop(
                    v,
                    BadSignature,
                    format!("签名的可信注释“{comment}”与报送包（编号、密钥）不符"),
                ))
            }
        }
    }
    let root_allowed: BTreeSet<&str> = [
        "bagit.txt",
        BAG_INFO,
        MANIFEST,
        TAGMANIFEST,
        algorithm.signature_file(),
    ]
    .into_iter()
    .collect();
    let stray: Vec<&str> = files
        .keys()
        .map(String::as_str)
        .filter(|p| !p.starts_with("data/") && !root_allowed.contains(p))
        .collect();
    if !stray.is_empty() {
        v.add_reason(
            BagInvalid,
            format!("报送包中有不属于 BagIt 结构的文件：{}", stray.join("、")),
        );
    }

    // 8. The payload.
    let manifest = parse_manifest(
        files.get(MANIFEST).map(Vec::as_slice).unwrap_or_default(),
        MANIFEST,
    )
    .map_err(|m| stop(v, BagInvalid, m))?;
    let mut listed: BTreeMap<&str, &str> = BTreeMap::new();
    let mut payload_bad = false;
    for (hash, path) in &manifest {
        if !path.starts_with("data/") {
            v.add_reason(
                BagInvalid,
                format!("manifest-sha256.txt 列出了 data/ 以外的文件“{path}”"),
            );
            payload_bad = true;
        } else if listed.insert(path.as_str(), hash.as_str()).is_some() {
            v.add_reason(BagInvalid, format!("manifest-sha256.txt 重复列出“{path}”"));
            payload_bad = true;
        }
    }
    let present: BTreeMap<&str, &Vec<u8>> = files
        .iter()
        .filter(|(p, _)| p.starts_with("data/"))
        .map(|(p, b)| (p.as_str(), b))
        .collect();
    for path in listed.keys() {
        if !present.contains_key(path) {
            v.add_reason(
                BagInvalid,
                format!("manifest-sha256.txt 列出的“{path}”不在报送包内"),
            );
            payload_bad = true;
        }
    }
    for path in present.keys() {
        if !listed.contains_key(path) {
            v.add_reason(
                BagInvalid,
                format!("报送包内的“{path}”未列入 manifest-sha256.txt"),
            );
            payload_bad = true;
        }
    }
    let octets: u64 = present.values().map(|b| b.len() as u64).sum();
    if (octets, present.len() as u64) != info.oxum {
        v.add_reason(
            BagInvalid,
            format!(
                "Payload-Oxum 为 {}.{}，实际为 {}.{}",
                info.oxum.0,
                info.oxum.1,
                octets,
                present.len()
            ),
        );
        payload_bad = true;
    }
    for (path, hash) in &listed {
        if let Some(bytes) = present.get(path) {
            if sha256_hex(bytes) != *hash {
                v.add_reason(
                    ChecksumMismatch,
                    format!("“{path}”的校验值与清单不符（文件被改动或损坏）"),
                );
                payload_bad = true;
            }
        }
    }
    if payload_bad {
        return Err(Stop);
    }

    // 9. submission.json.
    let sub_path = format!("data/{SUBMISSION_JSON}");
    let sub_bytes = present
        .get(sub_path.as_str())
        .ok_or_else(|| stop(v, BagInvalid, "报送包缺少 data/submission.json"))?;
    let sub: Submission = serde_json::from_slice(sub_bytes)
        .map_err(|e| stop(v, BagInvalid, format!("data/submission.json 无法读取：{e}")))?;
    if sub.schema_version != SCHEMA_VERSION {
        return Err(stop(
            v,
            BagInvalid,
            format!(
                "data/submission.json 的版本 {} 不受支持（应为 {SCHEMA_VERSION}）",
                sub.schema_version
            ),
        ));
    }
    if sub.submission_id != info.submission_id {
        v.add_reason(
            BagInvalid,
            "data/submission.json 的报送编号与 bag-info.txt 的 External-Identifier 不一致",
        );
    }
    let mut payload = Vec::new();
    let mut described = BTreeSet::new();
    for entry in &sub.files {
        let path = format!("data/{}", entry.path);
        match present.get(path.as_str()) {
            Some(bytes)
                if path != sub_path
                    && bytes.len() as u64 == entry.size
                    && sha256_hex(bytes) == entry.sha256
                    && described.insert(path.clone()) =>
            {
                payload.push(PayloadFile {
                    path: entry.path.clone(),
                    role: entry.role,
                    bytes: bytes.to_vec(),
                });
            }
            _ => {
                v.add_reason(
                    BagInvalid,
                    format!(
                        "data/submission.json 的文件清单中“{}”与包内文件不符",
                        entry.path
                    ),
                );
            }
        }
    }
    let undescribed: Vec<&str> = present
        .keys()
        .copied()
        .filter(|p| *p != sub_path && !described.contains(*p))
        .collect();
    if !undescribed.is_empty() {
        v.add_reason(
            BagInvalid,
            format!(
                "data/submission.json 的文件清单漏列了：{}",
                undescribed.join("、")
            ),
        );
    }
    let policies = sub
        .files
        .iter()
        .filter(|f| f.role == FileRole::PolicyDocx)
        .count();
    if policies != 1 {
        v.add_reason(
            BagInvalid,
            format!("报送包应恰好含一份政策文件（policy_docx），实际 {policies} 份"),
        );
    }

    // 10. Units.
    let mut claims = vec![
        ("bag-info.txt 的 Unit-Code", info.unit_code.clone()),
        ("submission.json 的 unit_code", sub.unit_code.clone()),
    ];
    if let Some(unit) = comment_unit {
        claims.push(("签名可信注释中的 unit", unit));
    }
    let wrong: Vec<String> = claims
        .iter()
        .filter(|(_, unit)| *unit != key.unit_code)
        .map(|(what, unit)| format!("{what}为“{unit}”"))
        .collect();
    if !wrong.is_empty() {
        v.add_reason(
            UnitMismatch,
            format!(
                "签名密钥 {key_id} 登记在单位“{}”名下，但{}",
                key.unit_code,
                wrong.join("，")
            ),
        );
    }

    // 11. Interpretation.
    if sub.needs_interpretation
        && !sub
            .files
            .iter()
            .any(|f| f.role == FileRole::InterpretationDocx)
    {
        v.add_reason(
            MissingInterpretation,
            "该文件须同步报送政策解读，但报送包中没有解读文档（interpretation_docx）",
        );
    }

    // 12. Seen before?
    if let Some(previous) = trust.seen(&sub.submission_id) {
        if previous == content {
            v.duplicate = true;
        } else {
            v.add_reason(
                Replay,
                format!(
                    "报送编号 {} 已收到过内容不同的报送包；修改后重新报送须使用新的报送编号",
                    sub.submission_id
                ),
            );
        }
    }

    v.payload = payload;
    v.submission = Some(sub);
    Ok(())
}

fn check_key_state(key: &TrustedKey, received_at: DateTime<Utc>, v: &mut Verdict) {
    let fmt = |t: &DateTime<Utc>| t.format("%Y-%m-%d %H:%M:%S UTC").to_string();
    if received_at < key.activated_at {
        v.add_reason(
            ReasonCode::KeyRetired,
            format!(
                "签名密钥 {} 自 {} 起启用，收到报送包时尚未生效",
                key.key_id,
                fmt(&key.activated_at)
            ),
        );
    }
    match &key.state {
        KeyState::Active => {}
        KeyState::Retired { until } => {
            if received_at > *until {
                v.add_reason(
                    ReasonCode::KeyRetired,
                    format!(
                        "签名密钥 {} 已停用，过渡期至 {} 结束；请使用新密钥重新签名报送",
                        key.key_id,
                        fmt(until)
                    ),
                );
            }
        }
        KeyState::Revoked { at, reason } => {
            if received_at >= *at {
                v.add_reason(
                    ReasonCode::KeyRevoked,
                    format!(
                        "签名密钥 {} 已于 {} 吊销（{}）；请重新登记密钥后再报送",
                        key.key_id,
                        fmt(at),
                        reason
                    ),
                );
            }
        }
    }
}

/// The fields of `bag-info.txt` the verifier needs.
struct BagInfo {
    submission_id: Uuid,
    oxum: (u64, u64),
    unit_code: String,
    key_id: String,
    algorithm: String,
}

impl BagInfo {
    fn parse(bytes: &[u8]) -> Result<BagInfo, String> {
        let fields = parse_bag_info(bytes)?;
        let one = |label: &str| -> Result<String, String> {
            let mut values = fields.iter().filter(|(k, _)| k == label).map(|(_, v)| v);
            match (values.next(), values.next()) {
                (Some(v), None) if !v.is_empty() => Ok(v.clone()),
                (None, _) => Err(format!("bag-info.txt 缺少 {label}")),
                _ => Err(format!("bag-info.txt 的 {label} 为空或重复")),
            }
        };
        one("Source-Organization")?;
        let submission_id = Uuid::parse_str(&one("External-Identifier")?)
            .map_err(|_| "bag-info.txt 的 External-Identifier 不是有效的报送编号".to_string())?;
        NaiveDate::parse_from_str(&one("Bagging-Date")?, "%Y-%m-%d")
            .map_err(|_| "bag-info.txt 的 Bagging-Date 应为 YYYY-MM-DD".to_string())?;
        let oxum_text = one("Payload-Oxum")?;
        let oxum = oxum_text
            .split_once('.')
            .and_then(|(a, b)| Some((a.parse::<u64>().ok()?, b.parse::<u64>().ok()?)))
            .ok_or_else(|| "bag-info.txt 的 Payload-Oxum 应为“字节数.文件数”".to_string())?;
        Ok(BagInfo {
            submission_id,
            oxum,
            unit_code: one("Unit-Code")?,
            key_id: one("Signing-Key-Id")?,
            algorithm: one("Signature-Algorithm")?,
        })
    }
}
