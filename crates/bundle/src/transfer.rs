//! Transfer bags: sync messages on removable media, as a signed BagIt bag (zipped) that
//! `bagit.py --validate` accepts. The payload is the caller's (for sync: `messages.jsonl` and
//! the office's key list); `bag-info.txt` carries the caller's labels (the series ranges for
//! gap detection) next to the signing key; the tag manifest is signed like a bundle's. Reading
//! goes through the same safe unzip as bundles and checks every manifest line and the signature
//! before anything is returned.

use crate::bag::{
    format_bag_info, manifest_line, parse_bag_info, parse_manifest, sha256_hex, write_zip,
    BAGIT_TXT, BAG_INFO, MANIFEST, TAGMANIFEST,
};
use crate::error::BundleError;
use crate::keys::{verify_message, Algorithm, Signer};
use chrono::NaiveDate;
use std::collections::BTreeMap;

const COMMENT: &str = "gongkai transfer bag";

/// An opened, verified transfer bag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    /// `bag-info.txt` labels in order.
    pub info: Vec<(String, String)>,
    /// Payload files by path under `data/`.
    pub files: BTreeMap<String, Vec<u8>>,
    /// The key that signed it.
    pub key_id: String,
}

impl Transfer {
    /// The first value of a `bag-info.txt` label.
    pub fn label(&self, name: &str) -> Option<&str> {
        self.info
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Makes a transfer bag in folder `root` with `files` (paths under `data/`) and extra
/// `bag-info.txt` labels, signed by `signer`.
pub fn build_transfer(
    root: &str,
    labels: &[(&str, String)],
    files: &[(String, Vec<u8>)],
    bagging_date: NaiveDate,
    signer: &Signer,
) -> Result<Vec<u8>, BundleError> {
    let mut data: Vec<(String, &[u8])> = files
        .iter()
        .map(|(p, b)| (format!("data/{p}"), b.as_slice()))
        .collect();
    data.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let total: usize = data.iter().map(|(_, b)| b.len()).sum();
    let manifest: String = data
        .iter()
        .map(|(path, bytes)| manifest_line(&sha256_hex(bytes), path))
        .collect();
    let mut fields: Vec<(&str, String)> = vec![
        ("Bagging-Date", bagging_date.format("%Y-%m-%d").to_string()),
        ("Payload-Oxum", format!("{}.{}", total, data.len())),
        (
            "Bag-Software-Agent",
            format!("gongkai-bundle {}", env!("CARGO_PKG_VERSION")),
        ),
        ("Signing-Key-Id", signer.key_id().to_string()),
        (
            "Signature-Algorithm",
            signer.algorithm().as_str().to_string(),
        ),
    ];
    fields.extend(labels.iter().map(|(k, v)| (*k, v.clone())));
    let bag_info = format_bag_info(&fields);
    let tagmanifest: String = [
        (BAG_INFO, bag_info.as_bytes()),
        ("bagit.txt", BAGIT_TXT.as_bytes()),
        (MANIFEST, manifest.as_bytes()),
    ]
    .iter()
    .map(|(path, bytes)| manifest_line(&sha256_hex(bytes), path))
    .collect();
    let signature = signer.sign_detached(tagmanifest.as_bytes(), COMMENT)?;
    let mut entries: Vec<(String, &[u8])> = vec![
        ("bagit.txt".to_string(), BAGIT_TXT.as_bytes()),
        (BAG_INFO.to_string(), bag_info.as_bytes()),
        (MANIFEST.to_string(), manifest.as_bytes()),
        (TAGMANIFEST.to_string(), tagmanifest.as_bytes()),
        (
            signer.algorithm().signature_file().to_string(),
            signature.as_slice(),
        ),
    ];
    entries.extend(data.iter().map(|(p, b)| (p.clone(), *b)));
    let zip = write_zip(root, &entries, bagging_date, false)?;
    if crate::safezip::precheck(&zip).is_ok() {
        Ok(zip)
    } else {
        write_zip(root, &entries, bagging_date, true)
    }
}

/// One payload file of a transfer bag, read **without** verifying the bag: only for what
/// verifies itself (the office's signed key list, which the reader checks with its pinned
/// office key before it trusts a device key from it).
pub fn peek_transfer_file(bytes: &[u8], path: &str) -> Result<Option<Vec<u8>>, BundleError> {
    let unz = crate::safezip::read(bytes).map_err(bad)?;
    Ok(unz.files.get(&format!("data/{path}")).cloned())
}

fn bad(why: impl Into<String>) -> BundleError {
    BundleError::Malformed(why.into())
}

/// Opens and verifies a transfer bag. `key_of(key_id)` gives the public key a signer may
/// have (from the office's key list); a bag signed by any other key, or with any file that
/// differs from its manifest, is refused with the reason.
pub fn open_transfer(
    bytes: &[u8],
    key_of: impl Fn(&str) -> Option<(Algorithm, String)>,
) -> Result<Transfer, BundleError> {
    let unz = crate::safezip::read(bytes).map_err(bad)?;
    let get = |name: &str| {
        unz.files
            .get(name)
            .ok_or_else(|| bad(format!("传输包缺少 {name}")))
    };
    if get("bagit.txt")?.as_slice() != BAGIT_TXT.as_bytes() {
        return Err(bad("bagit.txt 内容不对"));
    }
    let info = parse_bag_info(get(BAG_INFO)?).map_err(bad)?;
    let label = |name: &str| {
        info.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .ok_or_else(|| bad(format!("bag-info.txt 缺少 {name}")))
    };
    let key_id = label("Signing-Key-Id")?;
    let algorithm =
        Algorithm::parse(&label("Signature-Algorithm")?).ok_or_else(|| bad("签名算法无法识别"))?;
    let (listed_alg, public_key) = key_of(&key_id).ok_or_else(|| {
        BundleError::BadSignature(format!(
            "签名密钥 {key_id} 不在指挥中心的密钥清单中（或已吊销）"
        ))
    })?;
    if listed_alg != algorithm {
        return Err(BundleError::BadSignature("签名算法与登记的密钥不符".into()));
    }
    let tagmanifest = get(TAGMANIFEST)?;
    let signature = get(algorithm.signature_file())?;
    verify_message(algorithm, &public_key, tagmanifest, signature)
        .map_err(|e| BundleError::BadSignature(format!("传输包签名无效：{e}")))?;
    // Every tag file the signature covers, then every payload file, against its hash.
    let tags = parse_manifest(tagmanifest, TAGMANIFEST).map_err(bad)?;
    for name in [BAG_INFO, "bagit.txt", MANIFEST] {
        let line = tags
            .iter()
            .find(|(_, p)| p == name)
            .ok_or_else(|| bad(format!("{TAGMANIFEST} 未列出 {name}")))?;
        if sha256_hex(get(name)?) != line.0 {
            return Err(bad(format!("{name} 与签名的清单不符（被改动过）")));
        }
    }
    let manifest = parse_manifest(get(MANIFEST)?, MANIFEST).map_err(bad)?;
    let mut files = BTreeMap::new();
    for (hash, path) in &manifest {
        let bytes = get(path)?;
        if &sha256_hex(bytes) != hash {
            return Err(bad(format!("{path} 与清单中的校验值不符（被改动或损坏）")));
        }
        let rel = path
            .strip_prefix("data/")
            .ok_or_else(|| bad(format!("清单中的 {path} 不在 data/ 下")))?;
        files.insert(rel.to_string(), bytes.clone());
    }
    let listed = manifest.len();
    let present = unz.files.keys().filter(|p| p.starts_with("data/")).count();
    if present != listed {
        return Err(bad("data/ 下有清单未列出的文件"));
    }
    Ok(Transfer {
        info,
        files,
        key_id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 4).unwrap()
    }

    #[test]
    fn a_bag_opens_with_its_key_and_not_altered() {
        let s = Signer::ephemeral(Algorithm::MinisignEd25519).unwrap();
        let files = vec![("messages.jsonl".to_string(), b"{\"a\":1}\n".to_vec())];
        let zip = build_transfer(
            "gongkai-transfer-x",
            &[("Gongkai-Series", "dev/main=1-3".into())],
            &files,
            date(),
            &s,
        )
        .unwrap();
        let key =
            |id: &str| (id == s.key_id()).then(|| (s.algorithm(), s.public_key().to_string()));
        let t = open_transfer(&zip, key).unwrap();
        assert_eq!(t.label("Gongkai-Series"), Some("dev/main=1-3"));
        assert_eq!(t.files["messages.jsonl"], b"{\"a\":1}\n");
        let stranger = Signer::ephemeral(Algorithm::MinisignEd25519).unwrap();
        let other = |id: &str| {
            (id == s.key_id()).then(|| (stranger.algorithm(), stranger.public_key().to_string()))
        };
        assert!(matches!(
            open_transfer(&zip, other),
            Err(BundleError::BadSignature(_))
        ));
        assert!(matches!(
            open_transfer(&zip, |_| None),
            Err(BundleError::BadSignature(_))
        ));
    }
}
