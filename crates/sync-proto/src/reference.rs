//! Reference data the office publishes to every unit through the hub: the holiday table, the
//! units, the disclosure catalogue and law, the time rules, the masking policy — the datasets
//! `seeds/` ships, each with a version. A PC takes a dataset only when the office's signature
//! verifies with a key it pinned and the version is newer than the one it holds.

use crate::keylist::{sign_text, verify_text, TextError};
use gongkai_bundle::Signer;
use serde::{Deserialize, Serialize};

const COMMENT: &str = "gongkai reference data";

/// One dataset as the office issues it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dataset {
    /// `holidays`, `units`, … (the names in `seeds/manifest.json`).
    pub name: String,
    pub version: u32,
    pub issued_at: String,
    /// The dataset's JSON, as in `seeds/`.
    pub json: String,
}

/// A dataset with the office's signature over its exact text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedDataset {
    /// [`Dataset`] as JSON: the signed bytes.
    pub dataset: String,
    /// Base64 minisign signature by the office key.
    pub signature: String,
}

/// Which version of each dataset the hub holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatasetHead {
    pub name: String,
    pub version: u32,
}

impl SignedDataset {
    /// Signs a dataset with the office key.
    pub fn sign(d: &Dataset, office: &Signer) -> Result<SignedDataset, String> {
        let text = serde_json::to_string(d).map_err(|e| e.to_string())?;
        Ok(SignedDataset {
            signature: sign_text(&text, office, COMMENT)?,
            dataset: text,
        })
    }

    /// The dataset, if the office key signed exactly this text and its JSON parses.
    pub fn verify(&self, office_public_key: &str) -> Result<Dataset, String> {
        verify_text(&self.dataset, &self.signature, office_public_key).map_err(|e| match e {
            TextError::Encoding => "参考数据的签名不是 base64".to_string(),
            TextError::Signature(why) => {
                format!("参考数据的签名无法用指挥中心公钥验证：{why}")
            }
        })?;
        let d: Dataset =
            serde_json::from_str(&self.dataset).map_err(|e| format!("参考数据格式不对：{e}"))?;
        serde_json::from_str::<serde_json::Value>(&d.json)
            .map_err(|e| format!("参考数据 {} 的内容不是 JSON：{e}", d.name))?;
        Ok(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_bundle::Algorithm;

    #[test]
    fn a_dataset_verifies_only_with_the_office_key_and_unaltered() {
        let office = Signer::ephemeral(Algorithm::MinisignEd25519).unwrap();
        let d = Dataset {
            name: "holidays".into(),
            version: 3,
            issued_at: "2026-12-05T10:00:00Z".into(),
            json: r#"{"years":{"2027":{}}}"#.into(),
        };
        let signed = SignedDataset::sign(&d, &office).unwrap();
        assert_eq!(signed.verify(office.public_key()).unwrap(), d);
        let other = Signer::ephemeral(Algorithm::MinisignEd25519).unwrap();
        assert!(signed
            .verify(other.public_key())
            .unwrap_err()
            .contains("签名无法"));
        let mut forged = signed.clone();
        forged.dataset = forged.dataset.replace("\"version\":3", "\"version\":4");
        assert!(forged.verify(office.public_key()).is_err());
    }
}
