//! The table model of a form and its pagination onto A4 pages.
//!
//! A form is a list of [`Row`]s; a row is a list of [`Cell`]s side by side, each with a width,
//! wrapped paragraphs and optionally a *foot* anchored at the bottom (the “签名：　年　月　日” line
//! under the blank space for a handwritten opinion). Pagination keeps a row whole when it fits on
//! the page, moves it to the next page when it does not (always for signature rows, which are
//! never split), and splits a tall text row line by line across pages otherwise, so that nothing
//! is ever cut off. Label cells are repeated on every part of a split row.

use crate::font::Font;
use crate::text::{wrap_styled, Line};

/// Millimetres to points.
pub fn mm(v: f32) -> f32 {
    v * 72.0 / 25.4
}

/// Horizontal alignment of a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

/// How a paragraph is set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    pub size: f32,
    pub bold: bool,
    pub align: Align,
    /// Grey (hints and notes), otherwise black.
    pub grey: bool,
    /// Hex digits (0–9, A–F, a–f) set on one fixed advance, so that groups of them line up in
    /// columns (the key fingerprint); see [`crate::text::wrap_styled`].
    pub tabular: bool,
}

impl Style {
    /// 五号 (10.5 pt), left.
    pub const VALUE: Style = Style {
        size: 10.5,
        bold: false,
        align: Align::Left,
        grey: false,
        tabular: false,
    };
    /// 五号, centred: field labels.
    pub const LABEL: Style = Style {
        size: 10.5,
        bold: false,
        align: Align::Center,
        grey: false,
        tabular: false,
    };
    /// 小五 (9 pt), grey: hints.
    pub const NOTE: Style = Style {
        size: 9.0,
        bold: false,
        align: Align::Left,
        grey: true,
        tabular: false,
    };
    /// 10 pt, right: the signature line.
    pub const SIGN: Style = Style {
        size: 10.0,
        bold: false,
        align: Align::Right,
        grey: false,
        tabular: false,
    };

    /// Height of one line of this style.
    pub fn line_height(&self) -> f32 {
        self.size * LEADING
    }
}

/// A paragraph of a cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Para {
    pub text: String,
    pub style: Style,
}

impl Para {
    pub fn new(text: impl Into<String>, style: Style) -> Para {
        Para {
            text: text.into(),
            style,
        }
    }
}

/// Bottom-anchored part of a cell: blank writing space, then a line.
#[derive(Debug, Clone, PartialEq)]
pub struct Foot {
    /// Blank space above the line, in points.
    pub space: f32,
    pub para: Para,
}

/// One cell of a row.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// Width in points; the last cell of a row takes whatever is left of the table width.
    pub width: f32,
    pub paras: Vec<Para>,
    pub foot: Option<Foot>,
    /// A field label: vertically centred, repeated on every part of a split row.
    pub label: bool,
}

/// One row of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub cells: Vec<Cell>,
    /// Minimum height in points (space to write by hand).
    pub min_height: f32,
    /// Never split (signature rows): moved whole to the next page instead.
    pub keep: bool,
}

/// Page geometry (points, measured from the top-left corner).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    pub page_w: f32,
    pub page_h: f32,
    pub left: f32,
    pub right: f32,
    /// Top of the table (below the header with title and QR code).
    pub body_top: f32,
    /// Bottom of the table (above the footer).
    pub body_bottom: f32,
}

impl Frame {
    /// A4 portrait, 22 mm left margin (binding side), 18 mm right, 15 mm top and bottom; the
    /// header takes 28.5 mm and the footer 6 mm.
    pub fn a4() -> Frame {
        Frame {
            page_w: mm(210.0),
            page_h: mm(297.0),
            left: mm(22.0),
            right: mm(18.0),
            body_top: mm(15.0 + 28.5),
            body_bottom: mm(297.0 - 15.0 - 6.0),
        }
    }

    /// Width of the table.
    pub fn width(&self) -> f32 {
        self.page_w - self.left - self.right
    }
}

/// Line height as a multiple of the font size.
pub const LEADING: f32 = 1.4;
/// Inner padding of a cell.
pub const PAD_X: f32 = 4.0;
pub const PAD_Y: f32 = 2.5;
/// Below this much room a row is not started on a page but moved to the next one.
const MIN_SPLIT_ROOM: f32 = 48.0;

/// A line ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct SetLine {
    pub line: Line,
    pub style: Style,
}

impl SetLine {
    fn height(&self) -> f32 {
        self.style.line_height()
    }
}

/// A cell ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedCell {
    pub x: f32,
    pub w: f32,
    pub lines: Vec<SetLine>,
    /// The foot: blank space, then its lines.
    pub foot: Option<(f32, Vec<SetLine>)>,
    pub label: bool,
}

/// A row (or part of a split row) placed on a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    /// Top, from the top of the page.
    pub y: f32,
    pub h: f32,
    pub cells: Vec<PlacedCell>,
}

/// The rows of one page.
pub type Page = Vec<Placed>;

struct LaidCell {
    x: f32,
    w: f32,
    lines: Vec<SetLine>,
    foot: Option<(f32, Vec<SetLine>)>,
    label: bool,
    /// “（续）”, added under a label on the later parts of a split row.
    cont: Vec<SetLine>,
}

impl LaidCell {
    fn lines_h(lines: &[SetLine]) -> f32 {
        lines.iter().map(SetLine::height).sum()
    }
    fn foot_h(&self) -> f32 {
        self.foot
            .as_ref()
            .map_or(0.0, |(space, l)| space + Self::lines_h(l))
    }
    fn natural_h(&self) -> f32 {
        2.0 * PAD_Y + Self::lines_h(&self.lines) + self.foot_h()
    }
    fn cont_h(&self) -> f32 {
        self.natural_h() + Self::lines_h(&self.cont)
    }
}

fn set_lines(font: &Font, paras: &[Para], width: f32) -> Vec<SetLine> {
    let inner = (width - 2.0 * PAD_X).max(1.0);
    paras
        .iter()
        .flat_map(|p| {
            wrap_styled(font, &p.text, p.style.size, inner, p.style.tabular)
                .into_iter()
                .map(move |line| SetLine {
                    line,
                    style: p.style,
                })
        })
        .collect()
}

fn lay_row(font: &Font, row: &Row, frame: &Frame) -> Vec<LaidCell> {
    let mut x = frame.left;
    let right = frame.left + frame.width();
    let n = row.cells.len();
    row.cells
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let w = if i + 1 == n {
                (right - x).max(1.0)
            } else {
                c.width.min(right - x).max(1.0)
            };
            let cell = LaidCell {
                x,
                w,
                lines: set_lines(font, &c.paras, w),
                foot: c
                    .foot
                    .as_ref()
                    .map(|f| (f.space, set_lines(font, std::slice::from_ref(&f.para), w))),
                label: c.label,
                cont: if c.label {
                    set_lines(font, &[Para::new("（续）", Style::NOTE)], w)
                        .into_iter()
                        .map(|mut l| {
                            l.style.align = Align::Center;
                            l
                        })
                        .collect()
                } else {
                    Vec::new()
                },
            };
            x += w;
            cell
        })
        .collect()
}

/// Takes the next part of a row that fits in `room`; `next[i]` is the first line of cell `i` not
/// yet placed (`usize::MAX` once its foot is placed too). Labels are repeated on every part,
/// marked “（续）” after the first. Returns `None` when nothing fits.
fn take_part(cells: &[LaidCell], next: &mut [usize], room: f32, first: bool) -> Option<Placed> {
    let mut out = Vec::with_capacity(cells.len());
    let mut h = 0.0f32;
    let mut progress = false;
    let mut new_next = next.to_vec();
    for (i, c) in cells.iter().enumerate() {
        let start = next[i];
        let mut placed = PlacedCell {
            x: c.x,
            w: c.w,
            lines: Vec::new(),
            foot: None,
            label: c.label,
        };
        let label_h = if first { c.natural_h() } else { c.cont_h() };
        if c.label && label_h <= room {
            placed.lines = c.lines.clone();
            if !first {
                placed.lines.extend(c.cont.iter().cloned());
            }
            placed.foot = c.foot.clone();
            h = h.max(label_h);
            if start != usize::MAX {
                progress = true;
                new_next[i] = usize::MAX;
            }
        } else if start != usize::MAX {
            let rest = &c.lines[start.min(c.lines.len())..];
            let all = 2.0 * PAD_Y + LaidCell::lines_h(rest) + c.foot_h();
            if all <= room {
                placed.lines = rest.to_vec();
                placed.foot = c.foot.clone();
                h = h.max(all);
                new_next[i] = usize::MAX;
                progress = true;
            } else {
                let mut used = 2.0 * PAD_Y;
                let mut k = 0;
                while k < rest.len() && used + rest[k].height() <= room {
                    used += rest[k].height();
                    k += 1;
                }
                if k > 0 {
                    progress = true;
                }
                placed.lines = rest[..k].to_vec();
                new_next[i] = start + k;
                h = h.max(used);
            }
        }
        out.push(placed);
    }
    if !progress {
        return None;
    }
    next.copy_from_slice(&new_next);
    Some(Placed {
        y: 0.0,
        h,
        cells: out,
    })
}

/// Lays the rows out on as many pages as they need (at least one).
pub fn paginate(font: &Font, rows: &[Row], frame: &Frame) -> Vec<Page> {
    let body_h = frame.body_bottom - frame.body_top;
    let mut pages: Vec<Page> = vec![Vec::new()];
    let mut y = frame.body_top;
    for row in rows {
        let cells = lay_row(font, row, frame);
        let natural = cells.iter().map(LaidCell::natural_h).fold(0.0, f32::max);
        let full = natural.max(row.min_height);
        let at_top = |y: f32| (y - frame.body_top).abs() < 0.01;
        if y + full <= frame.body_bottom + 0.01 || (at_top(y) && full <= body_h + 0.01) {
            place_whole(&mut pages, &cells, &mut y, full);
            continue;
        }
        if full <= body_h && (row.keep || full <= body_h * 0.3) {
            pages.push(Vec::new());
            y = frame.body_top;
            place_whole(&mut pages, &cells, &mut y, full);
            continue;
        }
        // Split across pages.
        let mut next = vec![0usize; cells.len()];
        for (i, c) in cells.iter().enumerate() {
            if c.lines.is_empty() && c.foot.is_none() && !c.label {
                next[i] = usize::MAX;
            }
        }
        let mut guard = 0usize;
        let mut first = true;
        while next.iter().any(|n| *n != usize::MAX) {
            guard += 1;
            let room = frame.body_bottom - y;
            let part = if room >= MIN_SPLIT_ROOM || at_top(y) {
                take_part(&cells, &mut next, room, first)
            } else {
                None
            };
            match part {
                Some(mut p) => {
                    first = false;
                    let done = next.iter().all(|n| *n == usize::MAX);
                    if done && !p.cells.iter().any(|c| c.foot.is_some()) {
                        p.h = p.h.max(row.min_height.min(room));
                    }
                    p.y = y;
                    y += p.h;
                    if let Some(page) = pages.last_mut() {
                        page.push(p);
                    }
                    if !done {
                        pages.push(Vec::new());
                        y = frame.body_top;
                    }
                }
                None if at_top(y) || guard > 10_000 => {
                    // Nothing fits even on an empty page (cannot happen with the sizes used
                    // here): place the rest regardless rather than loop or drop it.
                    if let Some(mut p) = take_part(&cells, &mut next, f32::MAX, first) {
                        p.y = y;
                        y += p.h;
                        if let Some(page) = pages.last_mut() {
                            page.push(p);
                        }
                    }
                    break;
                }
                None => {
                    pages.push(Vec::new());
                    y = frame.body_top;
                }
            }
        }
    }
    if pages.len() > 1 && pages.last().is_some_and(Vec::is_empty) {
        pages.pop();
    }
    pages
}

fn place_whole(pages: &mut [Page], cells: &[LaidCell], y: &mut f32, h: f32) {
    let placed = Placed {
        y: *y,
        h,
        cells: cells
            .iter()
            .map(|c| PlacedCell {
                x: c.x,
                w: c.w,
                lines: c.lines.clone(),
                foot: c.foot.clone(),
                label: c.label,
            })
            .collect(),
    };
    if let Some(page) = pages.last_mut() {
        page.push(placed);
    }
    *y += h;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_row(label: &str, value: &str) -> Row {
        Row {
            cells: vec![
                Cell {
                    width: mm(30.0),
                    paras: vec![Para::new(label, Style::LABEL)],
                    foot: None,
                    label: true,
                },
                Cell {
                    width: 0.0,
                    paras: vec![Para::new(value, Style::VALUE)],
                    foot: None,
                    label: false,
                },
            ],
            min_height: 0.0,
            keep: false,
        }
    }

    fn sign_row() -> Row {
        Row {
            cells: vec![
                Cell {
                    width: mm(30.0),
                    paras: vec![Para::new("签发", Style::LABEL)],
                    foot: None,
                    label: true,
                },
                Cell {
                    width: 0.0,
                    paras: vec![],
                    foot: Some(Foot {
                        space: mm(15.0),
                        para: Para::new("签名：　　年　月　日", Style::SIGN),
                    }),
                    label: false,
                },
            ],
            min_height: mm(25.0),
            keep: true,
        }
    }

    #[test]
    fn rows_stack_and_fill_the_width() {
        let f = Font::embedded().unwrap();
        let frame = Frame::a4();
        let pages = paginate(
            &f,
            &[text_row("标题", "关于加强政务公开工作的通知"), sign_row()],
            &frame,
        );
        assert_eq!(pages.len(), 1);
        let rows = &pages[0];
        assert!((rows[0].y - frame.body_top).abs() < 0.01);
        assert!((rows[1].y - (rows[0].y + rows[0].h)).abs() < 0.01);
        assert!(rows[1].h >= mm(25.0));
        let last = rows[0].cells.last().unwrap();
        assert!((last.x + last.w - (frame.left + frame.width())).abs() < 0.01);
    }

    #[test]
    fn a_very_long_value_flows_over_pages_without_losing_a_line() {
        let f = Font::embedded().unwrap();
        let frame = Frame::a4();
        let long = "因涉及个人隐私，附件名单中的姓名、身份证号码已作去标识化处理。".repeat(120);
        let pages = paginate(&f, &[text_row("理由", &long)], &frame);
        assert!(pages.len() >= 2, "{}", pages.len());
        let mut text = String::new();
        for page in &pages {
            for p in page {
                assert!(p.y + p.h <= frame.body_bottom + 0.01);
                // The label is repeated on every part, marked “（续）” after the first.
                let label: String = p.cells[0]
                    .lines
                    .iter()
                    .map(|l| crate::text::line_text(&l.line))
                    .collect();
                assert!(label == "理由" || label == "理由（续）", "{label}");
                for l in &p.cells[1].lines {
                    text.push_str(&crate::text::line_text(&l.line));
                }
            }
        }
        assert_eq!(text, long);
    }

    #[test]
    fn signature_rows_are_never_split() {
        let f = Font::embedded().unwrap();
        let frame = Frame::a4();
        let mut rows = vec![text_row("x", &"甲\n".repeat(60))];
        rows.extend((0..12).map(|_| sign_row()));
        let pages = paginate(&f, &rows, &frame);
        for page in &pages {
            for p in page {
                assert!(p.y + p.h <= frame.body_bottom + 0.01);
            }
        }
        let signs: usize = pages
            .iter()
            .flatten()
            .filter(|p| p.cells[1].foot.is_some())
            .count();
        assert_eq!(signs, 12);
    }

    #[test]
    fn empty_rows_and_no_rows_still_give_a_page() {
        let f = Font::embedded().unwrap();
        let frame = Frame::a4();
        assert_eq!(paginate(&f, &[], &frame).len(), 1);
        let pages = paginate(&f, &[text_row("", "")], &frame);
        assert_eq!(pages.len(), 1);
        assert!(pages[0][0].h > 0.0);
    }
}
