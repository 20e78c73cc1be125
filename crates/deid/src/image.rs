//! Image metadata (EXIF with its GPS position and camera serial, XMP, IPTC, comments, PNG text
//! chunks) is personal data a picture carries unseen. [`strip_metadata`] removes it losslessly
//! (with `img-parts`: the metadata segments and chunks are dropped, the pixel data is copied
//! unchanged, never re-compressed); [`metadata`] names what an image still carries, for the
//! office's check of a received bundle.

use bytes::Bytes;
use img_parts::jpeg::{markers, Jpeg};
use img_parts::png::Png;

/// Why an image could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImageError {
    #[error(
        "图片文件已损坏或不是 PNG/JPEG 图片，无法读取。请在看图软件中另存为 PNG 或 JPEG 后再添加。"
    )]
    Unreadable,
    #[error("只能添加 PNG 或 JPEG 格式的图片，请另存为这两种格式后再添加。")]
    Unsupported,
}

/// The image without its metadata, and what was removed (for the clerk's notice).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stripped {
    pub bytes: Vec<u8>,
    pub media_type: &'static str,
    /// Names of what was removed (`EXIF`, `XMP`, `PNG tEXt` …), empty when the image was clean.
    pub removed: Vec<String>,
}

const PNG_SIG: &[u8] = b"\x89PNG\r\n\x1a\n";

/// What one JPEG segment carries that is metadata, or `None` for image data (and ICC colour
/// profiles, which describe the screen, not a person).
fn jpeg_meta(marker: u8, contents: &[u8]) -> Option<&'static str> {
    match marker {
        markers::APP1 if contents.starts_with(b"Exif\0") => Some("EXIF"),
        markers::APP1 => Some("XMP"),
        markers::APP13 => Some("IPTC"),
        markers::COM => Some("JPEG 注释"),
        markers::APP2 if contents.starts_with(b"ICC_PROFILE\0") => None,
        markers::APP0 if contents.starts_with(b"JFIF\0") || contents.starts_with(b"JFXX\0") => None,
        // APP14 (Adobe) says how colours are encoded: keep it, the picture needs it.
        markers::APP14 => None,
        m if (markers::APP0..=markers::APP15).contains(&m) => Some("应用数据段"),
        _ => None,
    }
}

fn png_meta(kind: [u8; 4]) -> Option<&'static str> {
    match &kind {
        b"tEXt" | b"zTXt" | b"iTXt" => Some("PNG 文本"),
        b"eXIf" => Some("EXIF"),
        b"tIME" => Some("PNG 修改时间"),
        _ => None,
    }
}

fn names(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v.dedup();
    v
}

/// The metadata `bytes` still carries (empty: none): what [`strip_metadata`] would remove.
pub fn metadata(bytes: &[u8]) -> Result<Vec<String>, ImageError> {
    strip_metadata(bytes).map(|s| s.removed)
}

/// `bytes` without metadata. The pixel data is not decoded or re-compressed.
pub fn strip_metadata(bytes: &[u8]) -> Result<Stripped, ImageError> {
    let b = Bytes::copy_from_slice(bytes);
    if bytes.starts_with(PNG_SIG) {
        let mut png = Png::from_bytes(b).map_err(|_| ImageError::Unreadable)?;
        let mut removed = Vec::new();
        png.chunks_mut().retain(|c| match png_meta(c.kind()) {
            Some(what) => {
                removed.push(what.to_string());
                false
            }
            None => true,
        });
        return Ok(Stripped {
            bytes: png.encoder().bytes().to_vec(),
            media_type: "image/png",
            removed: names(removed),
        });
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        let mut jpeg = Jpeg::from_bytes(b).map_err(|_| ImageError::Unreadable)?;
        let mut removed = Vec::new();
        jpeg.segments_mut()
            .retain(|s| match jpeg_meta(s.marker(), s.contents()) {
                Some(what) => {
                    removed.push(what.to_string());
                    false
                }
                None => true,
            });
        return Ok(Stripped {
            bytes: jpeg.encoder().bytes().to_vec(),
            media_type: "image/jpeg",
            removed: names(removed),
        });
    }
    Err(ImageError::Unsupported)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 1×1 PNG with a tEXt chunk (Author) and a tIME chunk, written chunk by chunk.
    fn png_with_text() -> Vec<u8> {
        fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
            let mut v = (data.len() as u32).to_be_bytes().to_vec();
            v.extend_from_slice(kind);
            v.extend_from_slice(data);
            let mut h = crc32fast::Hasher::new();
            h.update(kind);
            h.update(data);
            v.extend_from_slice(&h.finalize().to_be_bytes());
            v
        }
        let mut v = PNG_SIG.to_vec();
        v.extend(chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]));
        v.extend(chunk(b"tEXt", b"Author\0Zhang Wei 13812345678"));
        v.extend(chunk(b"tIME", &[7, 232, 3, 5, 12, 0, 0]));
        v.extend(chunk(
            b"IDAT",
            &[0x78, 0x9c, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01],
        ));
        v.extend(chunk(b"IEND", &[]));
        v
    }

    #[test]
    fn png_text_is_removed_and_pixels_kept() {
        let src = png_with_text();
        assert_eq!(metadata(&src).unwrap(), vec!["PNG 修改时间", "PNG 文本"]);
        let s = strip_metadata(&src).unwrap();
        assert_eq!(s.removed, vec!["PNG 修改时间", "PNG 文本"]);
        assert!(metadata(&s.bytes).unwrap().is_empty());
        assert!(!s.bytes.windows(8).any(|w| w == b"13812345"));
        let idat = |b: &[u8]| {
            Png::from_bytes(Bytes::copy_from_slice(b))
                .unwrap()
                .chunk_by_type(*b"IDAT")
                .unwrap()
                .contents()
                .clone()
        };
        assert_eq!(idat(&src), idat(&s.bytes), "pixel data copied unchanged");
        // Clean already: the same bytes.
        assert_eq!(strip_metadata(&s.bytes).unwrap().bytes, s.bytes);
    }

    /// A JPEG with JFIF, EXIF (a GPS tag's bytes), XMP and a comment, segment by segment.
    fn jpeg_with_exif() -> Vec<u8> {
        fn seg(marker: u8, data: &[u8]) -> Vec<u8> {
            let mut v = vec![0xFF, marker];
            v.extend_from_slice(&((data.len() + 2) as u16).to_be_bytes());
            v.extend_from_slice(data);
            v
        }
        let mut v = vec![0xFF, 0xD8];
        v.extend(seg(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"));
        v.extend(seg(
            0xE1,
            b"Exif\0\0MM\0*GPSLatitude 36.81 GPSLongitude 118.05",
        ));
        v.extend(seg(
            0xE1,
            b"http://ns.adobe.com/xap/1.0/\0<dc:creator>Li Na</dc:creator>",
        ));
        v.extend(seg(0xFE, b"shot by 13812345678"));
        v.extend(seg(0xDB, &[0; 65]));
        v.extend(seg(0xDA, &[1, 1, 0, 0, 63, 0]));
        v.extend_from_slice(&[0x12, 0x34, 0x56, 0xFF, 0x00, 0x78]);
        v.extend_from_slice(&[0xFF, 0xD9]);
        v
    }

    #[test]
    fn jpeg_exif_xmp_and_comments_are_removed_and_scan_data_kept() {
        let src = jpeg_with_exif();
        assert_eq!(metadata(&src).unwrap(), vec!["EXIF", "JPEG 注释", "XMP"]);
        let s = strip_metadata(&src).unwrap();
        assert_eq!(s.media_type, "image/jpeg");
        assert!(metadata(&s.bytes).unwrap().is_empty());
        for secret in [&b"GPSLatitude"[..], b"Li Na", b"13812345678"] {
            assert!(!s.bytes.windows(secret.len()).any(|w| w == secret));
        }
        assert!(s.bytes.starts_with(&[0xFF, 0xD8, 0xFF, 0xE0]), "JFIF kept");
        assert!(s
            .bytes
            .ends_with(&[0x12, 0x34, 0x56, 0xFF, 0x00, 0x78, 0xFF, 0xD9]));
    }

    #[test]
    fn bad_images_are_refused_not_panicked_on() {
        assert_eq!(metadata(b"GIF89a").unwrap_err(), ImageError::Unsupported);
        assert_eq!(
            strip_metadata(&[0xFF, 0xD8, 0xFF, 0xE1, 0xFF]).unwrap_err(),
            ImageError::Unreadable
        );
        let mut png = png_with_text();
        png.truncate(40);
        assert!(strip_metadata(&png).is_err());
    }
}
