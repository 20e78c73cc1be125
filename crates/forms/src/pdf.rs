//! Writes the paginated form as a PDF: on every page the header (title, two small lines — for the
//! review forms the form number, revision, short hash and print time —, QR code), the table rows
//! with their grid lines, and the footer (“第1页 共N页” when there is more than one page); then the
//! subset font and the document info. [`write_sheet`] does this for any [`Sheet`] (the header,
//! footer and document info as plain text); [`write`] builds the sheet of a review form.
//! Output is deterministic: the same data gives the same bytes.

use crate::font::{deflate, Font, Glyph, UsedGlyphs};
use crate::layout::{mm, Align, Frame, Page, Placed, SetLine, Style, PAD_X, PAD_Y};
use crate::qr::{short_hash, Matrix};
use crate::text::{wrap, Line};
use crate::{FormData, FormError, FormKind};
use chrono::{DateTime, Datelike, NaiveDateTime, Timelike, Utc};
use pdf_writer::types::TextRenderingMode;
use pdf_writer::{Content, Date, Filter, Name, Pdf, Rect, Ref, Str, TextStr};
use sha2::{Digest, Sha256};

const FONT_NAME: Name<'static> = Name(b"F1");
/// Grid line width.
const RULE: f32 = 0.6;
/// Side of the QR code's dark-module area in mm: 26 mm puts a version-11 code (a payload with a
/// package) at 0.43 mm per module, which zbar still decodes from a 120 dpi scan. The white
/// margins and the table keep at least 4 modules of quiet zone around it.
const QR_SIZE: f32 = 26.0;

/// 9 pt black, for the header and footer lines.
fn small(align: Align) -> Style {
    Style {
        size: 9.0,
        bold: false,
        align,
        grey: false,
        tabular: false,
    }
}

/// A time in Beijing time (UTC+8), as a naive local time.
pub(crate) fn beijing_time(t: DateTime<Utc>) -> NaiveDateTime {
    let utc = t.naive_utc();
    utc.checked_add_signed(chrono::Duration::hours(8))
        .unwrap_or(utc)
}

/// The print time in Beijing time (UTC+8), as a naive local time.
pub(crate) fn beijing(data: &FormData) -> NaiveDateTime {
    beijing_time(data.printed_at)
}

/// `2026年3月5日`.
pub(crate) fn cn_date(d: chrono::NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// `2026年3月5日 10:20`.
pub(crate) fn cn_time(t: NaiveDateTime) -> String {
    format!("{} {:02}:{:02}", cn_date(t.date()), t.hour(), t.minute())
}

/// The organisation in the title.
pub(crate) fn org_name(data: &FormData) -> String {
    let org = data.org_name.trim();
    if org.is_empty() {
        data.fields.issuing_authority.trim().to_string()
    } else {
        org.to_string()
    }
}

/// The title: 淄博市公安局发文稿纸.
pub(crate) fn form_title(kind: FormKind, data: &FormData) -> String {
    format!("{}{}", org_name(data), kind.title())
}

/// Cuts a text to `max` characters, marking the cut with “…”.
pub(crate) fn cut(s: &str, max: usize) -> String {
    let s = crate::text::clean(s).replace('\n', " ");
    if s.chars().count() <= max {
        s
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

struct Painter<'a> {
    font: &'a Font,
    used: UsedGlyphs,
    frame: Frame,
}

impl Painter<'_> {
    /// Draws one line with its baseline computed from the top of its line box.
    fn line(&mut self, c: &mut Content, line: &Line, x: f32, top: f32, style: Style) {
        if line.glyphs.is_empty() {
            return;
        }
        let size = style.size;
        let baseline = top + (style.line_height() - size) / 2.0 + size * 0.88;
        let bytes = self.used.encode(&line.glyphs);
        if style.grey {
            c.set_fill_gray(0.35);
        }
        c.begin_text();
        c.set_font(FONT_NAME, size);
        if style.bold {
            // Fill and stroke: a slightly heavier face for the title (the font has one weight).
            c.set_text_rendering_mode(TextRenderingMode::FillStroke);
            c.set_line_width(size * 0.03);
        }
        c.set_text_matrix([1.0, 0.0, 0.0, 1.0, x, self.frame.page_h - baseline]);
        if style.tabular {
            // Each run of hex digits centred, with its natural spacing, in the width the line
            // was set with (TJ numbers are thousandths of an em, positive to the left). Within
            // a run nothing moves, so text extraction keeps the group whole.
            let mut shown = c.show_positioned();
            let mut items = shown.items();
            let glyphs: Vec<(&Glyph, &[u8])> = line.glyphs.iter().zip(bytes.chunks(2)).collect();
            for run in
                glyphs.chunk_by(|a, b| a.0.ch.is_ascii_hexdigit() && b.0.ch.is_ascii_hexdigit())
            {
                let natural: f32 = run.iter().map(|(g, _)| self.font.advance_of(g.gid)).sum();
                let set: f32 = run.iter().map(|(g, _)| g.advance).sum();
                let half = (natural - set) / 2.0;
                if half != 0.0 {
                    items.adjust(half);
                }
                let code: Vec<u8> = run.iter().flat_map(|(_, b)| b.iter().copied()).collect();
                items.show(Str(&code));
                if half != 0.0 {
                    items.adjust(half);
                }
            }
        } else {
            c.show(Str(&bytes));
        }
        if style.bold {
            c.set_text_rendering_mode(TextRenderingMode::Fill);
        }
        c.end_text();
        if style.grey {
            c.set_fill_gray(0.0);
        }
    }

    /// Set lines one under the other from `top`, aligned within `inner` points from `x`.
    fn lines(&mut self, c: &mut Content, lines: &[SetLine], x: f32, inner: f32, mut top: f32) {
        for l in lines {
            let dx = match l.style.align {
                Align::Left => 0.0,
                Align::Center => ((inner - l.line.width) / 2.0).max(0.0),
                Align::Right => (inner - l.line.width).max(0.0),
            };
            self.line(c, &l.line, x + dx, top, l.style);
            top += l.style.line_height();
        }
    }

    /// A single-line text fitted into `max_w` by shrinking (down to 6 pt), then cut.
    fn fitted(&mut self, c: &mut Content, text: &str, x: f32, top: f32, max_w: f32, style: Style) {
        let mut style = style;
        while style.size > 6.0 && self.font.width(text, style.size) > max_w {
            style.size -= 0.5;
        }
        let Some(first) = wrap(self.font, text, style.size, max_w).into_iter().next() else {
            return;
        };
        let dx = match style.align {
            Align::Left => 0.0,
            Align::Center => (max_w - first.width) / 2.0,
            Align::Right => max_w - first.width,
        };
        self.line(c, &first, x + dx, top, style);
    }

    fn row(&mut self, c: &mut Content, row: &Placed) {
        let page_h = self.frame.page_h;
        c.set_line_width(RULE);
        for cell in &row.cells {
            c.rect(cell.x, page_h - row.y - row.h, cell.w, row.h);
        }
        c.stroke();
        for cell in &row.cells {
            let inner = cell.w - 2.0 * PAD_X;
            let body: f32 = cell.lines.iter().map(|l| l.style.line_height()).sum();
            // Without a foot the content is centred vertically; with one it starts at the top.
            let top = if cell.foot.is_none() {
                row.y + ((row.h - body) / 2.0).max(PAD_Y)
            } else {
                row.y + PAD_Y
            };
            self.lines(c, &cell.lines, cell.x + PAD_X, inner, top);
            if let Some((_, foot)) = &cell.foot {
                let foot_h: f32 = foot.iter().map(|l| l.style.line_height()).sum();
                self.lines(
                    c,
                    foot,
                    cell.x + PAD_X,
                    inner,
                    row.y + row.h - PAD_Y - foot_h,
                );
            }
        }
    }

    fn qr(&self, c: &mut Content, m: &Matrix) {
        let size = mm(QR_SIZE);
        let module = size / m.width.max(1) as f32;
        let x0 = self.frame.page_w - self.frame.right - size;
        let top = mm(15.0);
        c.set_fill_gray(0.0);
        for (y, x, len) in m.runs() {
            // A hair taller than a module so that rows join without seams when rasterised.
            let h = module * 1.02;
            c.rect(
                x0 + x as f32 * module,
                self.frame.page_h - top - (y as f32 + 1.0) * module,
                len as f32 * module,
                h,
            );
        }
        c.fill_nonzero();
    }
}

/// What a page shows besides its rows, and what goes into the document info: everything
/// [`write_sheet`] needs, as plain text.
pub(crate) struct Sheet<'a> {
    /// Centred between the QR code and its mirror, shrunk to fit (down to 12 pt), at most two
    /// lines (the rest cut with “…”).
    pub title: String,
    /// The two small lines under the title, each fitted into one line.
    pub meta: [String; 2],
    /// The left and right thirds of the footer (the middle third holds “第1页 共N页”).
    pub foot_left: String,
    pub foot_right: String,
    /// Document info.
    pub info_title: String,
    pub info_subject: String,
    /// The creation date in the document info; with the payload and the page contents it makes
    /// the file id.
    pub printed_at: DateTime<Utc>,
    /// The text of the QR code.
    pub payload: &'a str,
    pub qr: &'a Matrix,
}

/// Writes a review form's PDF.
pub(crate) fn write(
    font: &Font,
    kind: FormKind,
    data: &FormData,
    qr: &Matrix,
    pages: &[Page],
) -> Result<Vec<u8>, FormError> {
    let short = short_hash(data)?;
    let title = form_title(kind, data);
    let payload = crate::qr::payload(kind, data)?;

    let meta1 = format!(
        "表单编号：{}　　文档修订：第{}版　　校验码：{}",
        cut(&data.form_no, 64),
        data.rev_no,
        short
    );
    let mut meta2 = format!("打印时间：{}", cn_time(beijing(data)));
    if !data.clerk_name.trim().is_empty() {
        meta2.push_str(&format!("（{}）", cut(&data.clerk_name, 20)));
    }
    if let Some(no) = data.package_rev_no {
        meta2.push_str(&format!("　　解读包：第{no}版"));
    }

    let doc_title = cut(&data.fields.title, 200);
    let info_title = if doc_title.is_empty() {
        title.clone()
    } else {
        format!("{title}：{doc_title}")
    };
    let sheet = Sheet {
        title,
        meta: [meta1, meta2],
        foot_left: format!("{}　校验码 {short}", cut(&data.form_no, 64)),
        foot_right: format!("{}　文档第{}版", kind.label(), data.rev_no),
        info_title,
        info_subject: format!(
            "文档 {} 第{}版 SHA-256 {}",
            cut(&data.doc_id, 64),
            data.rev_no,
            crate::qr::content_hash(data)?
        ),
        printed_at: data.printed_at,
        payload: &payload,
        qr,
    };
    write_sheet(font, &sheet, pages)
}

/// Writes the PDF of a sheet: header, rows and footer on every page, the subset font, the
/// document info and a file id derived from the content.
pub(crate) fn write_sheet(
    font: &Font,
    sheet: &Sheet,
    pages: &[Page],
) -> Result<Vec<u8>, FormError> {
    let frame = Frame::a4();
    let title = &sheet.title;
    let n = pages.len().max(1);
    let mut painter = Painter {
        font,
        used: UsedGlyphs::new(),
        frame,
    };

    let mut streams = Vec::with_capacity(n);
    for (i, page) in pages.iter().enumerate() {
        let mut c = Content::new();
        c.set_fill_gray(0.0);
        c.set_stroke_gray(0.0);
        // Header: the title, centred over the table between the QR code and its mirror.
        let side = mm(QR_SIZE + 3.0);
        let title_w = frame.width() - 2.0 * side;
        let mut size = 18.0f32;
        while size > 12.0 && font.width(title, size) > title_w {
            size -= 0.5;
        }
        let mut lines = wrap(font, title, size, title_w);
        if lines.len() > 2 {
            lines.truncate(2);
            if let Some(last) = lines.last_mut() {
                last.glyphs.pop();
                last.glyphs.push(font.glyph('…'));
            }
        }
        let top0 = if lines.len() > 1 { mm(14.5) } else { mm(16.5) };
        for (k, l) in lines.iter().enumerate() {
            let x = frame.left + side + (title_w - l.width) / 2.0;
            let style = Style {
                size,
                bold: true,
                align: Align::Left,
                grey: false,
                tabular: false,
            };
            painter.line(&mut c, l, x, top0 + k as f32 * size * 1.3, style);
        }
        let meta_w = frame.width() - mm(QR_SIZE + 4.0);
        for (k, meta) in sheet.meta.iter().enumerate() {
            painter.fitted(
                &mut c,
                meta,
                frame.left,
                mm(33.0 + 4.5 * k as f32),
                meta_w,
                small(Align::Left),
            );
        }
        painter.qr(&mut c, sheet.qr);
        for row in page {
            painter.row(&mut c, row);
        }

        // Footer.
        let foot_top = frame.body_bottom + mm(1.5);
        let third = frame.width() / 3.0;
        painter.fitted(
            &mut c,
            &sheet.foot_left,
            frame.left,
            foot_top,
            third,
            small(Align::Left),
        );
        if n > 1 {
            painter.fitted(
                &mut c,
                &format!("第{}页 共{}页", i + 1, n),
                frame.left + third,
                foot_top,
                third,
                small(Align::Center),
            );
        }
        painter.fitted(
            &mut c,
            &sheet.foot_right,
            frame.left + 2.0 * third,
            foot_top,
            third,
            small(Align::Right),
        );
        streams.push(deflate(&c.finish()));
    }

    // Object numbers: 1 catalog, 2 page tree, 3 info, 4–8 font, then page/content pairs.
    let catalog_ref = Ref::new(1);
    let tree_ref = Ref::new(2);
    let info_ref = Ref::new(3);
    let font_ref = Ref::new(4);
    let page_ref = |i: usize| Ref::new(9 + 2 * i as i32);
    let content_ref = |i: usize| Ref::new(10 + 2 * i as i32);

    let mut pdf = Pdf::new();
    {
        let mut cat = pdf.catalog(catalog_ref);
        cat.pages(tree_ref);
        cat.lang(TextStr("zh-CN"));
        let mut prefs = cat.viewer_preferences();
        prefs.display_doc_title(true);
        // Print at 100 %: a form scaled to fit the printer's margins would shift the boxes.
        prefs.pair(Name(b"PrintScaling"), Name(b"None"));
    }
    pdf.pages(tree_ref)
        .kids((0..streams.len()).map(page_ref))
        .count(streams.len() as i32);
    for (i, stream) in streams.iter().enumerate() {
        let mut page = pdf.page(page_ref(i));
        page.parent(tree_ref)
            .media_box(Rect::new(0.0, 0.0, frame.page_w, frame.page_h))
            .contents(content_ref(i));
        page.resources().fonts().pair(FONT_NAME, font_ref);
        drop(page);
        pdf.stream(content_ref(i), stream)
            .filter(Filter::FlateDecode);
    }
    painter.used.write(font, &mut pdf, font_ref)?;

    let utc = sheet.printed_at.naive_utc();
    pdf.document_info(info_ref)
        .title(TextStr(&sheet.info_title))
        .subject(TextStr(&sheet.info_subject))
        .creator(TextStr("Gongkai 政务公开报送助手"))
        .producer(TextStr("gongkai-forms"))
        .creation_date(
            Date::new(u16::try_from(utc.year().clamp(0, 9999)).unwrap_or(0))
                .month(utc.month() as u8)
                .day(utc.day() as u8)
                .hour(utc.hour() as u8)
                .minute(utc.minute() as u8)
                .second(utc.second() as u8)
                .utc_offset_hour(0),
        );

    let mut id = Sha256::new();
    id.update(sheet.payload.as_bytes());
    id.update(sheet.printed_at.to_rfc3339().as_bytes());
    for s in &streams {
        id.update(s);
    }
    let id = id.finalize()[..16].to_vec();
    pdf.set_file_id((id.clone(), id));
    Ok(pdf.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_marks_the_cut() {
        assert_eq!(cut("甲乙丙", 5), "甲乙丙");
        assert_eq!(cut("甲乙丙丁戊己", 4), "甲乙丙…");
        assert_eq!(cut("a\nb", 5), "a b");
    }
}
