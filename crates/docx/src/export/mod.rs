//! GB/T 9704-2012 .docx export (docx-rs) of a policy document and of its interpretation package.
//!
//! Page: A4, 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm; 22 lines of 28 characters (an exact line
//! pitch of 579 twips and a line grid; 3号 characters set 0.25 pt closer so 28 fill a line).
//! 发文机关标志 in red 小标宋 with the red separator line; 发文字号 with 〔〕; 标题 2号小标宋; 正文
//! 3号仿宋, level-one headings 黑体, level-two 楷体, levels three and four 仿宋; 成文日期 in Arabic
//! numerals; 附注 from the disclosure attribute; 版记 with 抄送 and 印发机关 / 印发日期 between
//! full-width rules; page numbers 4号半角宋体 “— 1 —” on the outer side (odd right, even left).
//! Fonts are named as Chinese offices have them (方正小标宋简体, 仿宋_GB2312, 黑体, 楷体_GB2312) on
//! the east-Asian slot, and the font table gives each an alternative (宋体, 仿宋, SimHei, 楷体) for
//! machines without them. Layout parameters: shared/reference/gbt9704.md.

use chrono::{Datelike, NaiveDate};
use docx_rs::{
    AlignmentType, BorderType, DocGrid, DocGridType, Docx, FieldCharType, Footer, InstrPAGE,
    InstrText, LineSpacing, LineSpacingType, PageMargin, Paragraph, ParagraphBorder,
    ParagraphBorderPosition, ParagraphBorders, Pic, Run, RunFonts, SpecialIndentType,
};
use gongkai_core::{Attribute, Package, SectionKey};

mod letter;
mod policy;
mod report;
mod title;

pub use letter::{export_reply_letter, ReplyLetter};
use policy::body_paragraph;
pub use policy::export_policy;
pub use report::{export_annual_report, AnnualReportDoc};
pub use title::title_lines;

/// Twips per millimetre.
const TW_PER_MM: f64 = 56.692_913;
/// 版心 width and height.
const BLOCK_W_MM: f64 = 156.0;
const BLOCK_H_MM: f64 = 225.0;
/// 天头: the top margin.
const TOP_MM: f64 = 37.0;
/// One line of the 22-line grid, in twips (225 mm / 22).
pub const LINE_TWIPS: i32 = 579;
/// One character of the 28-character grid, in twips (156 mm / 28).
pub const CHAR_TWIPS: i32 = 316;

/// Half-points of the Chinese sizes used.
const SIZE_2: usize = 44; // 二号 22 pt
const SIZE_3: usize = 32; // 三号 16 pt
const SIZE_4: usize = 28; // 四号 14 pt

/// The fonts, with the alternative each falls back to.
const XBS: &str = "方正小标宋简体";
const FS: &str = "仿宋_GB2312";
const HT: &str = "黑体";
const KT: &str = "楷体_GB2312";
const SONG: &str = "宋体";
const LATIN: &str = "Times New Roman";
const RED: &str = "FF0000";

fn mm(v: f64) -> i32 {
    (v * TW_PER_MM).round() as i32
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("生成 Word 文件失败：{0}。请重试；若反复出现，请联系信息化管理员。")]
    Write(String),
}

/// What the export needs besides the document's own fields.
#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// The settled disclosure attribute: its 附注 is printed (（此件公开发布） …).
    pub attribute: Option<Attribute>,
    /// The date written into the file's properties (no clock is read here).
    pub created_on: Option<NaiveDate>,
}

fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new()
        .east_asia(east_asia)
        .ascii(LATIN)
        .hi_ansi(LATIN)
        .cs(LATIN)
        .hint("eastAsia")
}

/// 3号 characters are drawn 0.25 pt closer so that 28 of them fill the 156 mm line exactly
/// (16 pt × 28 = 448 pt would overflow 442 pt). A run property rather than the document grid's
/// `charSpace`, because LibreOffice reads a negative `charSpace` wrongly.
const GRID_SPACING: i32 = -5;

fn run(text: &str, font: &str, size: usize) -> Run {
    let r = Run::new().add_text(text).fonts(fonts(font)).size(size);
    if size == SIZE_3 {
        r.character_spacing(GRID_SPACING)
    } else {
        r
    }
}

fn exact(p: Paragraph, twips: i32) -> Paragraph {
    p.line_spacing(
        LineSpacing::new()
            .line_rule(LineSpacingType::Exact)
            .line(twips)
            .before(0)
            .after(0),
    )
}

/// A paragraph on the line grid. No widow/orphan control: every page of the body holds its 22
/// lines, as official documents do.
fn para() -> Paragraph {
    exact(Paragraph::new(), LINE_TWIPS).widow_control(false)
}

/// A paragraph on the grid whose first line is indented two characters.
fn indented() -> Paragraph {
    para().indent(
        None,
        Some(SpecialIndentType::FirstLine(2 * CHAR_TWIPS)),
        None,
        None,
    )
}

fn blank() -> Paragraph {
    para().add_run(run("", FS, SIZE_3))
}

/// 2026年3月5日: Arabic numerals, no leading zeros (GB/T 9704 7.3.5.4).
pub fn cn_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

fn border(
    pos: ParagraphBorderPosition,
    eighths: usize,
    color: &str,
    space: usize,
) -> ParagraphBorder {
    ParagraphBorder::new(pos)
        .val(BorderType::Single)
        .size(eighths)
        .color(color)
        .space(space)
}

fn with_borders(mut p: Paragraph, borders: ParagraphBorders) -> Paragraph {
    p.property = p.property.set_borders(borders);
    p
}

fn page_number_footer(align: AlignmentType, indent_left: bool) -> Footer {
    let song = || fonts(SONG).east_asia(SONG).ascii(SONG).hi_ansi(SONG);
    let field = |t: FieldCharType| {
        Run::new()
            .fonts(song())
            .size(SIZE_4)
            .add_field_char(t, false)
    };
    let mut p = Paragraph::new()
        .align(align)
        .add_run(Run::new().fonts(song()).size(SIZE_4).add_text("— "))
        .add_run(field(FieldCharType::Begin))
        .add_run(
            Run::new()
                .fonts(song())
                .size(SIZE_4)
                .add_instr_text(InstrText::PAGE(InstrPAGE::new())),
        )
        .add_run(field(FieldCharType::Separate))
        .add_run(Run::new().fonts(song()).size(SIZE_4).add_text("1"))
        .add_run(field(FieldCharType::End))
        .add_run(Run::new().fonts(song()).size(SIZE_4).add_text(" —"));
    // One character in from the outer edge.
    p = if indent_left {
        p.indent(Some(CHAR_TWIPS), None, None, None)
    } else {
        p.indent(None, None, Some(CHAR_TWIPS), None)
    };
    Footer::new().add_paragraph(p)
}

/// A4 with the GB/T 9704 margins, grid, and page numbers.
fn page_setup(docx: Docx, created: Option<NaiveDate>) -> Docx {
    let top = TOP_MM;
    let left = 28.0;
    let right = 210.0 - left - BLOCK_W_MM;
    let bottom = 297.0 - top - BLOCK_H_MM;
    let mut d = docx
        .page_size(11906, 16838)
        .page_margin(
            PageMargin::new()
                .top(mm(top))
                .left(mm(left))
                .right(mm(right))
                .bottom(mm(bottom))
                .header(mm(15.0))
                // The 一字线 of the page number sits 7 mm below the 版心.
                .footer(mm(bottom - 7.0 - 5.0))
                .gutter(0),
        )
        .default_fonts(fonts(FS))
        .default_size(SIZE_3)
        .footer(page_number_footer(AlignmentType::Right, false))
        .even_footer(page_number_footer(AlignmentType::Left, true));
    d.document = d.document.doc_grid(
        DocGrid::new()
            .grid_type(DocGridType::Lines)
            .line_pitch(LINE_TWIPS as usize),
    );
    if let Some(day) = created {
        let stamp = format!("{}T00:00:00Z", day.format("%Y-%m-%d"));
        d = d.created_at(&stamp).updated_at(&stamp);
    }
    d
}

/// The font table: each Chinese office font with the alternative Word uses when it is missing.
fn font_table() -> Vec<u8> {
    let font = |name: &str, alt: &str, family: &str| {
        format!(
            r#"<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/><w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>"#
        )
    };
    let mut x = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#,
    );
    x.push_str(&font(XBS, "宋体", "roman"));
    x.push_str(&font(FS, "仿宋", "modern"));
    x.push_str(&font(HT, "SimHei", "modern"));
    x.push_str(&font(KT, "楷体", "modern"));
    x.push_str(&font(SONG, "SimSun", "roman"));
    x.push_str(r#"<w:font w:name="Times New Roman"><w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>"#);
    x.push_str("</w:fonts>");
    x.into_bytes()
}

fn pack(docx: Docx) -> Result<Vec<u8>, ExportError> {
    let mut xml = docx.build();
    xml.font_table = font_table();
    // No punctuation hanging into the margin: every character stays inside the 版心.
    let styles = String::from_utf8_lossy(&xml.styles).replace(
        "<w:pPrDefault><w:pPr>",
        r#"<w:pPrDefault><w:pPr><w:overflowPunct w:val="0" />"#,
    );
    xml.styles = styles.into_bytes();
    // docx-rs spells the frame's spacing attributes `h_space`/`v_space`; OOXML has hSpace/vSpace.
    let document = String::from_utf8_lossy(&xml.document)
        .replace(" w:h_space=\"", " w:hSpace=\"")
        .replace(" w:v_space=\"", " w:vSpace=\"");
    xml.document = document.into_bytes();
    // No author in the file's properties: what is published names no clerk.
    let core = String::from_utf8_lossy(&xml.doc_props.core)
        .replace("<dc:creator>unknown</dc:creator>", "")
        .replace("<cp:lastModifiedBy>unknown</cp:lastModifiedBy>", "");
    xml.doc_props.core = core.into_bytes();
    let mut buf = std::io::Cursor::new(Vec::new());
    xml.pack(&mut buf)
        .map_err(|e| ExportError::Write(e.to_string()))?;
    Ok(buf.into_inner())
}

/// Width and height in pixels of a PNG or JPEG, from its header.
pub fn image_size(bytes: &[u8]) -> Option<(u32, u32)> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.len() >= 24 {
        let w = u32::from_be_bytes(bytes[16..20].try_into().ok()?);
        let h = u32::from_be_bytes(bytes[20..24].try_into().ok()?);
        return (w > 0 && h > 0).then_some((w, h));
    }
    if bytes.starts_with(&[0xFF, 0xD8]) {
        let mut i = 2;
        while i + 9 < bytes.len() {
            if bytes[i] != 0xFF {
                i += 1;
                continue;
            }
            let marker = bytes[i + 1];
            let len = u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]) as usize;
            if matches!(marker, 0xC0..=0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF) {
                let h = u16::from_be_bytes([bytes[i + 5], bytes[i + 6]]) as u32;
                let w = u16::from_be_bytes([bytes[i + 7], bytes[i + 8]]) as u32;
                return (w > 0 && h > 0).then_some((w, h));
            }
            i += 2 + len;
        }
    }
    None
}

fn heading(text: &str) -> Paragraph {
    indented().outline_lvl(0).add_run(run(text, HT, SIZE_3))
}

fn text_paragraphs(d: Docx, text: &str) -> Docx {
    text.split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .fold(d, |d, l| d.add_paragraph(body_paragraph(l)))
}

/// The interpretation package as .docx in the matching style: title 关于《…》的政策解读, the
/// written sections in order, 政策问答, the graphics with captions, the links, and who interprets.
/// `image` returns the bytes of a graphic by its SHA-256.
pub fn export_interpretation(
    pkg: &Package,
    doc_title: &str,
    unit_name: &str,
    created_on: Option<NaiveDate>,
    image: &dyn Fn(&str) -> Option<Vec<u8>>,
) -> Result<Vec<u8>, ExportError> {
    let mut d = page_setup(Docx::new(), created_on);
    d = d.add_paragraph(
        exact(Paragraph::new(), LINE_TWIPS)
            .align(AlignmentType::Center)
            .add_run(run(&pkg.display_title(doc_title), XBS, SIZE_2)),
    );
    d = d.add_paragraph(blank());
    let mut n = 0u32;
    let mut next_heading = |label: &str| {
        n += 1;
        format!("{}、{label}", gongkai_core::body::format_cn_number(n))
    };
    for key in SectionKey::ALL {
        let text = pkg.section(key);
        if text.trim().is_empty() {
            continue;
        }
        d = d.add_paragraph(heading(&next_heading(key.label())));
        d = text_paragraphs(d, text);
    }
    let qa: Vec<_> = pkg
        .qa
        .iter()
        .filter(|q| !q.question.trim().is_empty())
        .collect();
    if !qa.is_empty() {
        d = d.add_paragraph(heading(&next_heading("政策问答")));
        for (i, q) in qa.iter().enumerate() {
            d = d.add_paragraph(indented().add_run(run(
                &format!("{}. 问：{}", i + 1, q.question.trim()),
                KT,
                SIZE_3,
            )));
            let clause = if q.clause.trim().is_empty() {
                String::new()
            } else {
                format!("（对应条款：{}）", q.clause.trim())
            };
            d = d.add_paragraph(indented().add_run(run(
                &format!("答：{}{clause}", q.answer.trim()),
                FS,
                SIZE_3,
            )));
        }
    }
    if !pkg.graphics.is_empty() {
        d = d.add_paragraph(heading(&next_heading("图解")));
        for (i, g) in pkg.graphics.iter().enumerate() {
            if let Some(bytes) = image(&g.sha256) {
                if let Some((w, h)) = image_size(&bytes) {
                    // Fit the 版心 width (156 mm) and at most half its height.
                    let max_w = BLOCK_W_MM * 36_000.0;
                    let max_h = BLOCK_H_MM / 2.0 * 36_000.0;
                    let scale = (max_w / w as f64).min(max_h / h as f64);
                    let (ew, eh) = ((w as f64 * scale) as u32, (h as f64 * scale) as u32);
                    let pic = Pic::new_with_dimensions(bytes, w, h).size(ew, eh);
                    d = d.add_paragraph(
                        Paragraph::new()
                            .align(AlignmentType::Center)
                            .add_run(Run::new().add_image(pic)),
                    );
                }
            }
            d = d.add_paragraph(para().align(AlignmentType::Center).add_run(run(
                &format!("图{} {}", i + 1, g.caption.trim()),
                KT,
                SIZE_4,
            )));
        }
    }
    let links: Vec<_> = pkg
        .links
        .iter()
        .filter(|l| !l.url.trim().is_empty())
        .collect();
    if !links.is_empty() {
        d = d.add_paragraph(heading(&next_heading("其他解读形式")));
        for l in links {
            let form = l.form.map(|f| f.label()).unwrap_or("解读");
            d = d.add_paragraph(body_paragraph(&format!(
                "{form}：{}（{}）",
                l.title.trim(),
                l.url.trim()
            )));
        }
    }
    d = d.add_paragraph(blank());
    let unit = if unit_name.trim().is_empty() {
        pkg.interpreter_unit.trim()
    } else {
        unit_name.trim()
    };
    let mut who = vec![format!("解读单位：{unit}")];
    if !pkg.first_interpreter.trim().is_empty() {
        who.push(format!("第一解读人：{}", pkg.first_interpreter.trim()));
    }
    who.push(format!("解读人：{}", pkg.interpreter.trim()));
    if !pkg.contact.trim().is_empty() {
        who.push(format!("联系电话：{}", pkg.contact.trim()));
    }
    for w in who {
        d = d.add_paragraph(indented().add_run(run(&w, FS, SIZE_3)));
    }
    pack(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_image_headers() {
        assert_eq!(
            cn_date(NaiveDate::from_ymd_opt(2026, 3, 5).unwrap()),
            "2026年3月5日"
        );
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.extend(640u32.to_be_bytes());
        png.extend(480u32.to_be_bytes());
        assert_eq!(image_size(&png), Some((640, 480)));
        assert_eq!(image_size(b"GIF89a"), None);
        assert_eq!(image_size(&[0xFF, 0xD8, 0xFF]), None);
    }

    #[test]
    fn grid_constants_fill_the_block() {
        assert!((LINE_TWIPS * 22 - mm(BLOCK_H_MM)).abs() < 22);
        assert!((CHAR_TWIPS * 28 - mm(BLOCK_W_MM)).abs() < 28);
    }
}
