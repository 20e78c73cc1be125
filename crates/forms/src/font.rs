//! The embedded face (Noto Serif CJK SC, pre-subset, SIL OFL 1.1; see the crate docs and
//! `fonts/README.md`): character → glyph lookup with the 〓 fallback, advance widths, and the
//! per-document subset written into the PDF as a Type0 font over a CID-keyed CFF program
//! (`/CIDFontType0`, `/FontFile3 /CIDFontType0C`) with Identity-H codes and a `/ToUnicode` map.

use crate::FormError;
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Filter, Finish, Name, Pdf, Rect, Ref, Str};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use subsetter::GlyphRemapper;

/// The committed font file (see `fonts/make-font.sh`).
static FONT_DATA: &[u8] = include_bytes!("../fonts/NotoSerifSC-Forms.otf");

/// PostScript name of the face.
const PS_NAME: &str = "NotoSerifCJKsc-Regular";

/// Printed for a character the font lacks (the customary 缺字 mark).
pub const FALLBACK: char = '〓';

/// One glyph to draw: its id in the embedded face, the character it stands for (for text
/// extraction) and its advance in thousandths of an em.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Glyph {
    pub gid: u16,
    pub ch: char,
    pub advance: f32,
}

/// The parsed embedded face.
pub struct Font {
    face: ttf_parser::Face<'static>,
    per_mille: f32,
    fallback: Glyph,
}

impl Font {
    /// Parses the embedded face.
    pub fn embedded() -> Result<Font, FormError> {
        let face =
            ttf_parser::Face::parse(FONT_DATA, 0).map_err(|e| FormError::Font(e.to_string()))?;
        let upem = f32::from(face.units_per_em().max(1));
        let per_mille = 1000.0 / upem;
        let fallback = match face.glyph_index(FALLBACK) {
            Some(g) => Glyph {
                gid: g.0,
                ch: FALLBACK,
                advance: f32::from(face.glyph_hor_advance(g).unwrap_or(0)) * per_mille,
            },
            None => Glyph {
                gid: 0,
                ch: FALLBACK,
                advance: 1000.0,
            },
        };
        Ok(Font {
            face,
            per_mille,
            fallback,
        })
    }

    /// The glyph for a character, or the 〓 fallback when the font lacks it.
    pub fn glyph(&self, c: char) -> Glyph {
        match self.face.glyph_index(c) {
            Some(g) if g.0 != 0 => Glyph {
                gid: g.0,
                ch: c,
                advance: f32::from(self.face.glyph_hor_advance(g).unwrap_or(0)) * self.per_mille,
            },
            _ => self.fallback,
        }
    }

    /// Whether the font has a glyph of its own for `c`.
    #[cfg(test)]
    pub fn has(&self, c: char) -> bool {
        self.face.glyph_index(c).is_some_and(|g| g.0 != 0)
    }

    /// Width of a text at a size, in points.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.glyph(c).advance).sum::<f32>() * size / 1000.0
    }

    /// The face's own advance of a glyph, in thousandths of an em.
    pub fn advance_of(&self, gid: u16) -> f32 {
        f32::from(
            self.face
                .glyph_hor_advance(ttf_parser::GlyphId(gid))
                .unwrap_or(0),
        ) * self.per_mille
    }
}

/// The glyphs a document uses, renumbered for the subset (CID = new glyph id).
pub struct UsedGlyphs {
    remapper: GlyphRemapper,
    chars: BTreeMap<u16, char>,
}

impl Default for UsedGlyphs {
    fn default() -> Self {
        Self::new()
    }
}

impl UsedGlyphs {
    /// Only `.notdef`.
    pub fn new() -> Self {
        UsedGlyphs {
            remapper: GlyphRemapper::new(),
            chars: BTreeMap::new(),
        }
    }

    /// The CID to write for a glyph (assigned on first use).
    pub fn cid(&mut self, g: &Glyph) -> u16 {
        let cid = self.remapper.remap(g.gid);
        self.chars.entry(cid).or_insert(g.ch);
        cid
    }

    /// Encodes glyphs as Identity-H codes (two bytes per glyph, big-endian).
    pub fn encode(&mut self, glyphs: &[Glyph]) -> Vec<u8> {
        let mut out = Vec::with_capacity(glyphs.len() * 2);
        for g in glyphs {
            out.extend_from_slice(&self.cid(g).to_be_bytes());
        }
        out
    }

    /// Writes the Type0 font `font_ref` and its descendants (refs `font_ref + 1 ..= font_ref + 4`).
    pub fn write(&self, font: &Font, pdf: &mut Pdf, font_ref: Ref) -> Result<(), FormError> {
        let cid_ref = Ref::new(font_ref.get() + 1);
        let descriptor_ref = Ref::new(font_ref.get() + 2);
        let file_ref = Ref::new(font_ref.get() + 3);
        let cmap_ref = Ref::new(font_ref.get() + 4);

        let subset = subsetter::subset(FONT_DATA, 0, &self.remapper)
            .map_err(|e| FormError::Font(e.to_string()))?;
        let cff = ttf_parser::RawFace::parse(&subset, 0)
            .ok()
            .and_then(|raw| raw.table(ttf_parser::Tag::from_bytes(b"CFF ")))
            .ok_or_else(|| FormError::Font("子集字体缺少 CFF 表".into()))?;
        let cff = deflate(cff);

        let old_gids: Vec<u16> = self.remapper.remapped_gids().collect();
        let mut hasher = Sha256::new();
        for g in &old_gids {
            hasher.update(g.to_be_bytes());
        }
        let tag: String = hasher
            .finalize()
            .iter()
            .take(6)
            .map(|b| char::from(b'A' + b % 26))
            .collect();
        let base = format!("{tag}+{PS_NAME}");
        let type0_name = format!("{base}-Identity-H");
        let system_info = SystemInfo {
            registry: Str(b"Adobe"),
            ordering: Str(b"Identity"),
            supplement: 0,
        };

        pdf.type0_font(font_ref)
            .base_font(Name(type0_name.as_bytes()))
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid_ref)
            .to_unicode(cmap_ref);

        let widths: Vec<f32> = old_gids.iter().map(|g| font.advance_of(*g)).collect();
        let mut cid = pdf.cid_font(cid_ref);
        cid.subtype(CidFontType::Type0)
            .base_font(Name(base.as_bytes()))
            .system_info(system_info)
            .font_descriptor(descriptor_ref)
            .default_width(1000.0);
        cid.widths().consecutive(0, widths);
        cid.finish();

        let face = &font.face;
        let bbox = face.global_bounding_box();
        let s = font.per_mille;
        pdf.font_descriptor(descriptor_ref)
            .name(Name(base.as_bytes()))
            .flags(FontFlags::SERIF | FontFlags::SYMBOLIC)
            .bbox(Rect::new(
                f32::from(bbox.x_min) * s,
                f32::from(bbox.y_min) * s,
                f32::from(bbox.x_max) * s,
                f32::from(bbox.y_max) * s,
            ))
            .italic_angle(0.0)
            .ascent(f32::from(face.ascender()) * s)
            .descent(f32::from(face.descender()) * s)
            .cap_height(f32::from(face.capital_height().unwrap_or(733)) * s)
            .stem_v(80.0)
            .font_file3(file_ref);

        pdf.stream(file_ref, &cff)
            .filter(Filter::FlateDecode)
            .pair(Name(b"Subtype"), Name(b"CIDFontType0C"));

        let mut cmap = UnicodeCmap::new(Name(b"Custom"), system_info);
        for (cid, ch) in &self.chars {
            cmap.pair(*cid, *ch);
        }
        let cmap = deflate(&cmap.finish());
        pdf.cmap(cmap_ref, &cmap).filter(Filter::FlateDecode);
        Ok(())
    }
}

/// zlib-compresses a stream for `/FlateDecode`.
pub(crate) fn deflate(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 6)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_face_covers_the_form_vocabulary_and_falls_back_to_geta() {
        let f = Font::embedded().unwrap();
        for c in "淄博市公安局发文稿纸签发会签核稿〔〕□■★№，。（）0123456789ABCxyz 喆堃玥".chars()
        {
            assert!(f.has(c), "missing {c}");
        }
        assert!(!f.has('😀'));
        let g = f.glyph('😀');
        assert_eq!(g.ch, FALLBACK);
        assert!(g.gid != 0);
        assert_eq!(f.glyph('\u{10FFFF}').ch, FALLBACK);
        // CJK is one em wide; ASCII is proportional.
        assert!((f.glyph('公').advance - 1000.0).abs() < 0.5);
        assert!(f.glyph('i').advance < 500.0);
        assert!((f.width("公安", 10.0) - 20.0).abs() < 0.01);
    }

    #[test]
    fn used_glyphs_are_numbered_from_one_in_order_of_use() {
        let f = Font::embedded().unwrap();
        let mut u = UsedGlyphs::new();
        let a = f.glyph('公');
        let b = f.glyph('安');
        assert_eq!(u.encode(&[a, b, a]), vec![0, 1, 0, 2, 0, 1]);
        let mut pdf = Pdf::new();
        u.write(&f, &mut pdf, Ref::new(10)).unwrap();
        assert!(pdf.finish().len() > 500);
    }
}
