//! The QR code that ties a printed form to the revision it was printed from: the payload
//! (`gongkai:form/v1?kind=…&no=…&doc=…&rev=…&sha256=…[&pkg=…]`, values percent-encoded) and its
//! module matrix (error correction level M), drawn by [`crate::pdf`] as vector rectangles. The
//! 签名密钥登记表's code names the key instead: `gongkai:key/v1?unit=…&key=…&fp=…`.

use crate::{FormData, FormError, FormKind, KeyEnrolmentData};

/// Longest accepted form number.
pub const MAX_FORM_NO: usize = 64;
/// Longest accepted document, revision or package revision id; also unit code and key id.
pub const MAX_ID: usize = 64;
/// Longest accepted key fingerprint, without its spaces (a SHA-256 fingerprint has 64).
pub const MAX_FINGERPRINT: usize = 128;

/// Percent-encodes everything but the URI unreserved characters.
fn enc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn id<'a>(what: &'static str, v: &'a str, max: usize) -> Result<&'a str, FormError> {
    let v = v.trim();
    if v.is_empty() {
        return Err(FormError::Missing(what));
    }
    if v.chars().count() > max {
        return Err(FormError::TooLong { what, max });
    }
    Ok(v)
}

/// The content hash, checked and lower-cased.
pub fn content_hash(data: &FormData) -> Result<String, FormError> {
    let h = data.content_sha256.trim();
    if h.len() != 64 || !h.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(FormError::BadHash(h.chars().take(80).collect()));
    }
    Ok(h.to_ascii_lowercase())
}

/// The short hash printed on every page: the first 12 hex digits of the content hash.
pub fn short_hash(data: &FormData) -> Result<String, FormError> {
    Ok(content_hash(data)?[..12].to_string())
}

/// The text encoded in the QR code.
pub fn payload(kind: FormKind, data: &FormData) -> Result<String, FormError> {
    let no = id("表单编号", &data.form_no, MAX_FORM_NO)?;
    let doc = id("文档编号", &data.doc_id, MAX_ID)?;
    let rev = id("修订版本编号", &data.rev_id, MAX_ID)?;
    let sha = content_hash(data)?;
    let mut out = format!(
        "gongkai:form/v1?kind={}&no={}&doc={}&rev={}&sha256={}",
        kind.code(),
        enc(no),
        enc(doc),
        enc(rev),
        sha
    );
    if let Some(pkg) = data
        .package_rev_id
        .as_deref()
        .filter(|p| !p.trim().is_empty())
    {
        let pkg = id("解读包版本编号", pkg, MAX_ID)?;
        out.push_str("&pkg=");
        out.push_str(&enc(pkg));
    }
    Ok(out)
}

/// A key identifier: trimmed, not empty, at most `max` characters.
fn key_field<'a>(what: &'static str, v: &'a str, max: usize) -> Result<&'a str, FormError> {
    let v = v.trim();
    if v.is_empty() {
        return Err(FormError::KeyMissing(what));
    }
    if v.chars().count() > max {
        return Err(FormError::TooLong { what, max });
    }
    Ok(v)
}

/// The fingerprint without its white space, as it goes into the QR code.
pub fn compact_fingerprint(fp: &str) -> String {
    fp.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The text encoded in the 签名密钥登记表's QR code.
pub fn key_payload(data: &KeyEnrolmentData) -> Result<String, FormError> {
    let unit = key_field("单位代码", &data.unit_code, MAX_ID)?;
    let key = key_field("密钥编号", &data.key_id, MAX_ID)?;
    let fp = compact_fingerprint(&data.fingerprint);
    let fp = key_field("密钥指纹", &fp, MAX_FINGERPRINT)?;
    Ok(format!(
        "gongkai:key/v1?unit={}&key={}&fp={}",
        enc(unit),
        enc(key),
        enc(fp)
    ))
}

/// A QR module matrix, row by row (`true` = dark).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matrix {
    pub width: usize,
    pub dark: Vec<bool>,
}

impl Matrix {
    /// Encodes a payload at error correction level M.
    pub fn encode(payload: &str) -> Result<Matrix, FormError> {
        let code = qrcode::QrCode::with_error_correction_level(payload, qrcode::EcLevel::M)
            .map_err(|e| FormError::Qr(e.to_string()))?;
        let width = code.width();
        let dark = code
            .to_colors()
            .into_iter()
            .map(|c| c == qrcode::Color::Dark)
            .collect();
        Ok(Matrix { width, dark })
    }

    /// Horizontal runs of dark modules: (row, first column, length).
    pub fn runs(&self) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        for y in 0..self.width {
            let mut x = 0;
            while x < self.width {
                if self.dark.get(y * self.width + x).copied().unwrap_or(false) {
                    let start = x;
                    while x < self.width
                        && self.dark.get(y * self.width + x).copied().unwrap_or(false)
                    {
                        x += 1;
                    }
                    out.push((y, start, x - start));
                } else {
                    x += 1;
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> FormData {
        FormData {
            form_no: "FW-2026-0012".into(),
            doc_id: "0190f3a2-0000-7000-8000-000000000001".into(),
            rev_id: "0190f3a2-0000-7000-8000-000000000007".into(),
            content_sha256: "AB".repeat(32),
            ..Default::default()
        }
    }

    #[test]
    fn payload_names_the_revision_and_the_package() {
        let mut d = data();
        assert_eq!(
            payload(FormKind::Secrecy, &d).unwrap(),
            format!(
                "gongkai:form/v1?kind=secrecy&no=FW-2026-0012&doc={}&rev={}&sha256={}",
                d.doc_id,
                d.rev_id,
                "ab".repeat(32)
            )
        );
        d.package_rev_id = Some("p 1/＆".into());
        d.form_no = "发文-1".into();
        let p = payload(FormKind::Interpretation, &d).unwrap();
        assert!(p.contains("&no=%E5%8F%91%E6%96%87-1&"), "{p}");
        assert!(p.ends_with("&pkg=p%201%2F%EF%BC%86"), "{p}");
        assert_eq!(short_hash(&d).unwrap(), "abababababab");
    }

    #[test]
    fn bad_identifiers_are_refused_with_a_message() {
        let mut d = data();
        d.content_sha256 = "xyz".into();
        assert!(matches!(
            payload(FormKind::Fawen, &d),
            Err(FormError::BadHash(_))
        ));
        let mut d = data();
        d.rev_id = "  ".into();
        let e = payload(FormKind::Fawen, &d).unwrap_err();
        assert_eq!(e, FormError::Missing("修订版本编号"));
        assert!(e.to_string().contains("修订版本编号为空"));
        let mut d = data();
        d.form_no = "x".repeat(65);
        assert!(matches!(
            payload(FormKind::Fawen, &d),
            Err(FormError::TooLong { .. })
        ));
    }

    #[test]
    fn a_full_payload_stays_a_version_11_code() {
        // Longest usual payload: a 12-character form number and a package revision (237 bytes).
        // The 26 mm print size and the 150 dpi decode test rely on at most 61 modules.
        let mut d = data();
        d.package_rev_id = Some("0195f1e0-1111-7222-8333-444455556666".into());
        let p = payload(FormKind::Interpretation, &d).unwrap();
        let m = Matrix::encode(&p).unwrap();
        assert_eq!(m.width, 61, "{} bytes", p.len());
    }

    fn key() -> KeyEnrolmentData {
        use chrono::TimeZone;
        let t = chrono::Utc.with_ymd_and_hms(2026, 3, 5, 2, 20, 0).unwrap();
        KeyEnrolmentData {
            org_name: "淄博市公安局".into(),
            unit_name: "治安支队".into(),
            unit_code: "zazd".into(),
            clerk_name: "王晓明".into(),
            device_id: "ZB-ZAZD-PC07".into(),
            key_id: "860FD4B2715E9C3A".into(),
            algorithm_label: "Ed25519（minisign）".into(),
            fingerprint:
                "97E7 E324 1E85 70F4 2FD3 3DE9 7B8F 1386 6E75 C6B2 3614 188E 82E1 6A90 D86E 0B50"
                    .into(),
            public_key: "RWQ6nF5xstQPhgcMERYbICUqLzQ5PkNITVJXXGFma3B1en+EiY6TmJ2i".into(),
            created_at: t,
            printed_at: t,
            form_no: "KEY-2026-0003".into(),
        }
    }

    #[test]
    fn key_payload_names_unit_key_and_fingerprint() {
        let mut k = key();
        assert_eq!(
            key_payload(&k).unwrap(),
            "gongkai:key/v1?unit=zazd&key=860FD4B2715E9C3A&fp=97E7E3241E8570F42FD33DE97B8F13866E75C6B23614188E82E16A90D86E0B50"
        );
        // Short enough for a small code (26 mm, well over 0.5 mm per module).
        assert!(Matrix::encode(&key_payload(&k).unwrap()).unwrap().width <= 45);
        k.unit_code = " 治安 zd/1 ".into();
        assert!(key_payload(&k)
            .unwrap()
            .starts_with("gongkai:key/v1?unit=%E6%B2%BB%E5%AE%89%20zd%2F1&key="));
        k.fingerprint = " \n ".into();
        let e = key_payload(&k).unwrap_err();
        assert_eq!(e, FormError::KeyMissing("密钥指纹"));
        assert!(e.to_string().contains("请先生成签名密钥"));
        let mut k = key();
        k.key_id = "F".repeat(65);
        assert!(matches!(
            key_payload(&k),
            Err(FormError::TooLong {
                what: "密钥编号",
                ..
            })
        ));
    }

    #[test]
    fn the_matrix_is_square_with_finder_patterns() {
        let m = Matrix::encode("gongkai:form/v1?kind=fawen").unwrap();
        assert_eq!(m.dark.len(), m.width * m.width);
        // Top-left finder: dark 7-module border.
        assert!(m.dark[0] && m.dark[6] && m.dark[6 * m.width]);
        assert!(!m.runs().is_empty());
    }
}
