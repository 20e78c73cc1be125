//! The policy document laid out in its GB/T 9704 format ([`DocFormat`]): 文件格式 (with 签发人
//! for 上行文, and every issuer for 联合行文), 信函格式, 命令（令）格式, 纪要格式, 公告/通告.
//!
//! Element order, per format:
//! - 文件: 份号/密级/紧急程度 → 发文机关标志 (…文件; joint: one issuer per line, “文件” beside them)
//!   → 发文字号 (+ 签发人) → red rule → 标题 → 主送机关 → 正文 → 附件说明 → 署名 (each issuer) +
//!   成文日期 → 附注 → 版记.
//! - 信函: 标志 (full name, red) and a red double rule in the first page's header, another double
//!   rule at the foot of the first page, no page number there → 发文字号 top right → 标题 → 主送 →
//!   正文 → … → 署名 + 日期 → 附注 → 抄送 only (no 印发 line, no rules).
//! - 令: “…令” 20 mm below the top of the 版心 → 令号 → 正文 → signatory (职务 姓名) + 日期.
//! - 纪要: “…纪要” → 期号/号 → red rule → (标题) → 正文 → 日期 (no 署名) → 版记.
//! - 公告/通告: 标题 → 号 → 正文 → 署名 + 日期 (no 主送机关, no red head).
//!
//! The 版记 is printed only from the document's own fields (抄送, 印发机关, 印发日期): nothing is
//! made up. Its lines are frames anchored to the bottom of the 版心, so it sits at the foot of the
//! last page whatever the body's length.

use docx_rs::{
    AlignmentType, BorderType, BreakType, Docx, Footer, Header, LineSpacing, LineSpacingType,
    Paragraph, ParagraphBorderPosition, ParagraphBorders, Run, SpecialIndentType, Tab,
    TabValueType, Table, TableCell, TableRow, VAlignType, VMergeType, WidthType,
};
use gongkai_core::{
    classify_paragraph, BodyTable, DocFields, DocFormat, ParagraphLevel, Urgency, VMerge,
};

use super::title::title_lines;
use super::*;

/// The 版头 lines above the 发文机关标志: 密级和保密期限, 紧急程度 (3号黑体, top left).
fn top_left_lines(f: &DocFields) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(c) = &f.classification {
        let period = c.period.trim();
        out.push(if period.is_empty() {
            c.level.label().to_string()
        } else {
            format!("{}★{}", c.level.label(), period)
        });
    }
    if let Some(u) = f.urgency {
        out.push(
            match u {
                Urgency::Extra => "特急",
                Urgency::Urgent => "加急",
            }
            .to_string(),
        );
    }
    out
}

/// Runs of `text` in one face, line breaks kept as breaks.
fn add_text_runs(mut p: Paragraph, text: &str, font: &str, size: usize) -> Paragraph {
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            p = p.add_run(Run::new().add_break(BreakType::TextWrapping));
        }
        if !line.is_empty() {
            p = p.add_run(run(line, font, size));
        }
    }
    p
}

/// Where a run-in heading ends: `一、总体要求。坚持…` is a heading (`一、总体要求。`) followed by
/// body text. `None` when the whole paragraph is the heading.
fn run_in_split(text: &str) -> Option<usize> {
    let mut count = 0;
    for (i, c) in text.char_indices() {
        count += 1;
        if count > 40 {
            return None;
        }
        if matches!(c, '。' | '：' | ':') {
            let end = i + c.len_utf8();
            return (!text[end..].trim().is_empty()).then_some(end);
        }
    }
    None
}

/// A body paragraph, first line indented two characters. A heading (一、黑体, （一）楷体) sets only
/// the heading in its face: a run-in heading's sentence that follows is 仿宋, and a paragraph that
/// merely starts with a marker but runs on (over 40 characters with no full stop) is body text.
pub(crate) fn body_paragraph(text: &str) -> Paragraph {
    let text = text.trim();
    let level = classify_paragraph(text).level;
    let face = match level {
        ParagraphLevel::H1 => HT,
        ParagraphLevel::H2 => KT,
        _ => FS,
    };
    let split = run_in_split(text);
    let whole_heading = split.is_none() && text.chars().count() <= 40;
    let mut p = indented();
    if level != ParagraphLevel::Body && (split.is_some() || whole_heading) {
        if let Some(depth) = level.depth() {
            p = p.outline_lvl(depth - 1);
        }
    }
    match split {
        Some(end) if face != FS => {
            p = add_text_runs(p, &text[..end], face, SIZE_3);
            add_text_runs(p, &text[end..], FS, SIZE_3)
        }
        _ if whole_heading => add_text_runs(p, text, face, SIZE_3),
        _ => add_text_runs(p, text, FS, SIZE_3),
    }
}

/// A table of the 正文 as a Word table the width of the 版心: ruled, 4号仿宋, merged cells kept
/// (gridSpan across, vMerge down), vertical centring kept, columns in the source's proportions.
pub(crate) fn body_table(t: &BodyTable) -> Table {
    let cols = t
        .rows
        .iter()
        .map(|r| r.iter().map(|c| c.span.max(1) as usize).sum::<usize>())
        .max()
        .unwrap_or(1)
        .max(1);
    let width = mm(BLOCK_W_MM) as usize;
    // The source's proportions when it gave one width per column; else equal columns.
    let total: u64 = t.widths.iter().map(|&w| u64::from(w)).sum();
    let grid: Vec<usize> = if t.widths.len() == cols && total > 0 {
        t.widths
            .iter()
            .map(|&w| ((u64::from(w) * width as u64) / total).max(200) as usize)
            .collect()
    } else {
        vec![width / cols; cols]
    };
    let rows = t
        .rows
        .iter()
        .map(|row| {
            let mut col = 0usize;
            let cells = row
                .iter()
                .map(|c| {
                    let span = c.span.max(1) as usize;
                    let w: usize = grid.iter().skip(col).take(span).sum();
                    col += span;
                    let mut cell = TableCell::new().width(w.max(200), WidthType::Dxa);
                    if c.middle {
                        cell = cell.vertical_align(VAlignType::Center);
                    }
                    if span > 1 {
                        cell = cell.grid_span(span);
                    }
                    cell = match c.merge {
                        VMerge::Start => cell.vertical_merge(VMergeType::Restart),
                        VMerge::Continue => cell.vertical_merge(VMergeType::Continue),
                        VMerge::None => cell,
                    };
                    let text = if c.merge == VMerge::Continue {
                        ""
                    } else {
                        c.text.as_str()
                    };
                    for line in text.split('\n') {
                        cell = cell.add_paragraph(
                            exact(Paragraph::new(), 400).add_run(run(line, FS, SIZE_4)),
                        );
                    }
                    cell
                })
                .collect();
            TableRow::new(cells)
        })
        .collect();
    Table::new(rows).set_grid(grid).width(width, WidthType::Dxa)
}

/// The red 发文机关标志, centred, sized to fit one line of the 版心 (at most 小初, 36 pt), its top
/// `from_top` below the top of the 版心 (less the lines above it).
fn mark_paragraph(mark: &str, from_top_mm: f64, lines_above: usize) -> Paragraph {
    let chars = mark.chars().count().max(1) as f64;
    let mark_pt = (BLOCK_W_MM / 0.3528 / chars).clamp(16.0, 36.0);
    let mark_half = (mark_pt * 2.0).floor() as usize;
    let mark_line = (mark_pt * 20.0 * 1.2).round() as i32;
    let before = (mm(from_top_mm) - lines_above as i32 * LINE_TWIPS).max(0);
    let mut p = exact(Paragraph::new(), mark_line)
        .align(AlignmentType::Center)
        .add_run(run(mark, XBS, mark_half).color(RED));
    p.property = p.property.line_spacing(
        LineSpacing::new()
            .line_rule(LineSpacingType::Exact)
            .line(mark_line)
            .before(before as u32)
            .after(0),
    );
    p
}

/// 联合行文's 标志: the issuers one per line on the left, “文件” once on the right, centred on them.
fn joint_mark(issuers: &[&str], suffix: &str) -> Table {
    let longest = issuers.iter().map(|i| i.chars().count()).max().unwrap_or(1);
    // The names and the suffix side by side, with a character's gap and the cells' margins, fill
    // at most the 版心.
    let total = (longest + suffix.chars().count() + 2).max(1) as f64;
    let pt = (BLOCK_W_MM / 0.3528 / total).clamp(16.0, 36.0);
    let half = (pt * 2.0).floor() as usize;
    let line = (pt * 20.0 * 1.2).round() as i32;
    let block_w = mm(BLOCK_W_MM) as usize;
    let suffix_w = ((suffix.chars().count() as f64 + 1.0) * pt * 20.0).round() as usize;
    let name_w = block_w.saturating_sub(suffix_w);
    let rows = issuers
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let name_cell = TableCell::new()
                .width(name_w, WidthType::Dxa)
                .vertical_align(VAlignType::Center)
                .add_paragraph(
                    exact(Paragraph::new(), line)
                        .align(AlignmentType::Distribute)
                        .add_run(run(name, XBS, half).color(RED)),
                );
            let suffix_cell = TableCell::new()
                .width(suffix_w, WidthType::Dxa)
                .vertical_align(VAlignType::Center);
            let suffix_cell = if i == 0 {
                suffix_cell
                    .vertical_merge(VMergeType::Restart)
                    .add_paragraph(
                        exact(Paragraph::new(), line)
                            .align(AlignmentType::Center)
                            .add_run(run(suffix, XBS, half).color(RED)),
                    )
            } else {
                suffix_cell
                    .vertical_merge(VMergeType::Continue)
                    .add_paragraph(Paragraph::new())
            };
            TableRow::new(vec![name_cell, suffix_cell])
        })
        .collect();
    Table::without_borders(rows)
        .set_grid(vec![name_w, suffix_w])
        .width(block_w, WidthType::Dxa)
}

/// The red rule under the 发文字号 (4 mm below it).
fn red_rule(p: Paragraph) -> Paragraph {
    with_borders(
        p,
        ParagraphBorders::with_empty().set(border(ParagraphBorderPosition::Bottom, 12, RED, 11)),
    )
}

/// 文件格式: 标志, 发文字号 (with 签发人 for 上行文) and the red rule.
fn file_head(mut d: Docx, f: &DocFields) -> Docx {
    let tops = top_left_lines(f);
    for t in &tops {
        d = d.add_paragraph(para().add_run(run(t, HT, SIZE_3)));
    }
    let issuers = f.issuers();
    if issuers.len() > 1 {
        // The table sits where the single-line 标志 would: 35 mm below the top of the 版心.
        let before = (mm(35.0) - tops.len() as i32 * LINE_TWIPS).max(0);
        let mut spacer = Paragraph::new();
        spacer.property = spacer.property.line_spacing(
            LineSpacing::new()
                .line_rule(LineSpacingType::Exact)
                .line(before.max(20))
                .before(0)
                .after(0),
        );
        d = d
            .add_paragraph(spacer)
            .add_table(joint_mark(&issuers, "文件"));
    } else if !f.mark.trim().is_empty() {
        d = d.add_paragraph(mark_paragraph(f.mark.trim(), 35.0, tops.len()));
    } else if let Some(authority) = issuers.first() {
        let mark = if authority.ends_with("文件") {
            authority.to_string()
        } else {
            format!("{authority}文件")
        };
        d = d.add_paragraph(mark_paragraph(&mark, 35.0, tops.len()));
    }
    d = d.add_paragraph(blank()).add_paragraph(blank());
    let number = f.doc_number.trim();
    let mut num_p = para();
    if !f.signers.is_empty() {
        num_p = num_p
            .add_tab(
                Tab::new()
                    .val(TabValueType::Right)
                    .pos((28 - 1) * CHAR_TWIPS as usize),
            )
            .add_run(run(&format!("\u{3000}{number}"), FS, SIZE_3))
            .add_run(Run::new().add_tab())
            .add_run(run("签发人：", FS, SIZE_3))
            .add_run(run(&f.signers.join("\u{3000}"), KT, SIZE_3));
    } else {
        num_p = num_p
            .align(AlignmentType::Center)
            .add_run(run(number, FS, SIZE_3));
    }
    d.add_paragraph(red_rule(num_p))
        .add_paragraph(blank())
        .add_paragraph(blank())
}

/// 信函格式: the 标志 and its double rule in the first page's header (30 mm from the top edge),
/// the closing double rule in its footer (no page number on page 1), the number top right.
fn letter_head(mut d: Docx, f: &DocFields) -> Docx {
    let name = if f.mark.trim().is_empty() {
        f.issuers().join("\u{3000}")
    } else {
        f.mark.trim().to_string()
    };
    let chars = name.chars().count().max(1) as f64;
    let pt = (170.0 / 0.3528 / chars).clamp(16.0, 36.0);
    let wide = (mm(170.0) - mm(BLOCK_W_MM)) / 2;
    let double = |pos, kind: BorderType| {
        docx_rs::ParagraphBorder::new(pos)
            .val(kind)
            .size(18)
            .color(RED)
            .space(11)
    };
    let mark = exact(Paragraph::new(), (pt * 20.0 * 1.2).round() as i32)
        .align(AlignmentType::Center)
        .indent(Some(-wide), None, Some(-wide), None)
        .add_run(run(&name, XBS, (pt * 2.0).floor() as usize).color(RED));
    let mark = with_borders(
        mark,
        ParagraphBorders::with_empty().set(double(
            ParagraphBorderPosition::Bottom,
            BorderType::ThickThinSmallGap,
        )),
    );
    let foot = with_borders(
        exact(Paragraph::new(), LINE_TWIPS).indent(Some(-wide), None, Some(-wide), None),
        ParagraphBorders::with_empty().set(double(
            ParagraphBorderPosition::Top,
            BorderType::ThinThickSmallGap,
        )),
    );
    d = d
        .first_header(Header::new().add_paragraph(mark))
        .first_footer(Footer::new().add_paragraph(foot))
        .title_pg();
    for t in top_left_lines(f) {
        d = d.add_paragraph(para().add_run(run(&t, HT, SIZE_3)));
    }
    let number = f.doc_number.trim();
    if !number.is_empty() {
        d = d.add_paragraph(
            para()
                .align(AlignmentType::Right)
                .indent(None, None, Some(CHAR_TWIPS), None)
                .add_run(run(number, FS, SIZE_3)),
        );
    }
    d.add_paragraph(blank())
}

/// 命令（令）格式: “…令” 20 mm below the top of the 版心, the 令号 two lines under it.
fn order_head(d: Docx, f: &DocFields) -> Docx {
    let issuer = f.issuers().join("\u{3000}");
    let mark = if !f.mark.trim().is_empty() {
        f.mark.trim().to_string()
    } else if issuer.ends_with('令') {
        issuer
    } else {
        format!("{issuer}令")
    };
    let d = d
        .add_paragraph(mark_paragraph(&mark, 20.0, 0))
        .add_paragraph(blank())
        .add_paragraph(blank());
    let d = centred_number(d, f);
    d.add_paragraph(blank()).add_paragraph(blank())
}

/// The 发文字号 (令号, 期号, 公告号) centred on its line, when there is one.
fn centred_number(d: Docx, f: &DocFields) -> Docx {
    let number = f.doc_number.trim();
    if number.is_empty() {
        return d;
    }
    d.add_paragraph(
        para()
            .align(AlignmentType::Center)
            .add_run(run(number, FS, SIZE_3)),
    )
}

/// The 纪要's 标志: as given, or the title when it names the 纪要 (“…会议纪要”), else the issuer's
/// name + 纪要.
fn minutes_mark(f: &DocFields) -> String {
    let title = f.title.trim();
    if !f.mark.trim().is_empty() {
        f.mark.trim().to_string()
    } else if title.ends_with("纪要") {
        title.to_string()
    } else {
        format!("{}纪要", f.issuers().join(""))
    }
}

/// 纪要格式: “…纪要” 35 mm below the top of the 版心, the number, then the issuer and the date on
/// one line over the red rule (the 纪要 has no 署名 at its end).
fn minutes_head(d: Docx, f: &DocFields) -> Docx {
    let d = d
        .add_paragraph(mark_paragraph(&minutes_mark(f), 35.0, 0))
        .add_paragraph(blank())
        .add_paragraph(blank());
    let d = centred_number(d, f);
    let issuers = f.issuers().join("\u{3000}");
    let date = written_on(f);
    let num_p = para()
        .add_tab(
            Tab::new()
                .val(TabValueType::Right)
                .pos((28 - 1) * CHAR_TWIPS as usize),
        )
        .add_run(run(&format!("\u{3000}{issuers}"), FS, SIZE_3))
        .add_run(Run::new().add_tab())
        .add_run(run(&date, FS, SIZE_3));
    d.add_paragraph(red_rule(num_p))
        .add_paragraph(blank())
        .add_paragraph(blank())
}

/// The 成文日期 as printed: the date, or while none is chosen the source's unfilled slot.
fn written_on(f: &DocFields) -> String {
    f.date_written
        .map(cn_date)
        .unwrap_or_else(|| f.date_text.trim().to_string())
}

/// The 标题 in 2号小标宋, broken into lines by [`title_lines`].
fn title_paragraph(title: &str) -> Paragraph {
    let mut p = exact(Paragraph::new(), LINE_TWIPS).align(AlignmentType::Center);
    for (i, line) in title_lines(title).iter().enumerate() {
        if i > 0 {
            p = p.add_run(Run::new().add_break(BreakType::TextWrapping));
        }
        p = p.add_run(run(line, XBS, SIZE_2));
    }
    p
}

/// 署名 lines (one per issuer) and the 成文日期: the date 4 characters from the right, each name
/// centred over it.
fn signature(mut d: Docx, names: &[String], date: &str) -> Docx {
    if names.is_empty() && date.is_empty() {
        return d;
    }
    d = d
        .add_paragraph(blank().keep_next(true))
        .add_paragraph(blank().keep_next(true));
    let date_len = date.chars().count() as i32;
    for name in names {
        let len = name.chars().count() as i32;
        let right = (4 * 2 + date_len - len).max(0) * CHAR_TWIPS / 2;
        d = d.add_paragraph(
            para()
                .align(AlignmentType::Right)
                .indent(None, None, Some(right), None)
                .keep_next(!date.is_empty())
                .add_run(run(name, FS, SIZE_3)),
        );
    }
    if !date.is_empty() {
        d = d.add_paragraph(
            para()
                .align(AlignmentType::Right)
                .indent(None, None, Some(4 * CHAR_TWIPS), None)
                .add_run(run(date, FS, SIZE_3)),
        );
    }
    d
}

/// An empty paragraph one twip high: each 版记 frame is anchored to one of its own.
fn hairline() -> Paragraph {
    exact(Paragraph::new(), 20).add_run(run("", FS, 2))
}

/// A 版记 paragraph in a frame the width of the 版心: on the bottom edge of the 版心, or `lift`
/// twips higher. Each line of the 版记 is its own single-paragraph frame anchored to a
/// [`hairline`] of its own: LibreOffice misplaces several paragraphs sharing one frame, and a
/// frame anchored to another frame.
fn record_frame(p: Paragraph, lift: Option<i32>) -> Paragraph {
    let p = p
        .wrap("around")
        .h_anchor("margin")
        .x_align("center")
        .frame_width(mm(BLOCK_W_MM) as u32);
    match lift {
        // Measured from the page's top edge, which Word and LibreOffice read alike.
        Some(lift) => p
            .v_anchor("page")
            .frame_y(mm(TOP_MM) + mm(BLOCK_H_MM) - lift),
        None => p.v_anchor("margin").y_align("bottom"),
    }
}

/// Lines of 4号 type the 抄送 takes: 31 characters fit a line of the 版心, less one character on
/// each side and the three of “抄送：” on every line.
fn cc_lines(text: &str) -> i32 {
    let width = |c: char| if c.is_ascii() { 0.5 } else { 1.0 };
    let chars: f64 = text.chars().map(width).sum();
    (chars / 26.0).ceil().max(1.0) as i32
}

/// The 版记 (抄送, 印发机关 and 印发日期) from the document's fields, between rules (first and last
/// thick, the middle thin), at the foot of the last page, the body flowing above. 信函格式 prints
/// 抄送 only, without rules.
fn record(mut d: Docx, f: &DocFields) -> Docx {
    let cc = f.cc.trim().trim_end_matches(['。', '.']);
    let office = f.printing_office.trim();
    let printed = f.printed_on.map(cn_date).unwrap_or_default();
    let print_line = f.format != DocFormat::Letter && (!office.is_empty() || !printed.is_empty());
    if cc.is_empty() && !print_line {
        return d;
    }
    let line_4 = (14.0 * 20.0 * 1.5) as i32;
    let ruled = f.format != DocFormat::Letter;
    if !cc.is_empty() {
        // One character in from each side; wrapped lines align after “抄送：”.
        let label = 3 * 280;
        let mut p = exact(Paragraph::new(), line_4)
            .indent(
                Some(CHAR_TWIPS + label),
                Some(SpecialIndentType::Hanging(label)),
                Some(CHAR_TWIPS),
                None,
            )
            .add_run(run(&format!("抄送：{cc}。"), FS, SIZE_4));
        if ruled {
            let mut b = ParagraphBorders::with_empty().set(border(
                ParagraphBorderPosition::Top,
                8,
                "000000",
                1,
            ));
            b = if print_line {
                b.set(border(ParagraphBorderPosition::Bottom, 6, "000000", 1))
            } else {
                b.set(border(ParagraphBorderPosition::Bottom, 8, "000000", 1))
            };
            p = with_borders(p, b);
        }
        // Right above the 印发 line, or on the bottom edge without one.
        let lift = print_line.then(|| (cc_lines(&format!("抄送：{cc}。")) + 1) * line_4 + 6 * 20);
        d = d
            .add_paragraph(record_frame(p, lift))
            .add_paragraph(hairline());
    }
    if print_line {
        let right_tab = Tab::new()
            .val(TabValueType::Right)
            .pos((28 * CHAR_TWIPS - CHAR_TWIPS) as usize);
        let mut p = exact(Paragraph::new(), line_4)
            .add_tab(right_tab)
            .add_run(run(&format!("\u{3000}{office}"), FS, SIZE_4));
        if !printed.is_empty() {
            p = p
                .add_run(Run::new().add_tab())
                .add_run(run(&format!("{printed}印发"), FS, SIZE_4));
        }
        let mut b = ParagraphBorders::with_empty().set(border(
            ParagraphBorderPosition::Bottom,
            8,
            "000000",
            1,
        ));
        if cc.is_empty() {
            b = b.set(border(ParagraphBorderPosition::Top, 8, "000000", 1));
        }
        d = d
            .add_paragraph(record_frame(with_borders(p, b), None))
            .add_paragraph(hairline());
    }
    d
}

/// The policy document as GB/T 9704 .docx, in its [`DocFormat`].
pub fn export_policy(f: &DocFields, opts: &ExportOptions) -> Result<Vec<u8>, ExportError> {
    let mut d = page_setup(Docx::new(), opts.created_on);
    let title = f.title.trim();
    d = match f.format {
        DocFormat::File => file_head(d, f),
        DocFormat::Letter => letter_head(d, f),
        DocFormat::Order => order_head(d, f),
        DocFormat::Minutes => minutes_head(d, f),
        DocFormat::Announcement => {
            let mut d = d;
            let tops = top_left_lines(f);
            for t in &tops {
                d = d.add_paragraph(para().add_run(run(t, HT, SIZE_3)));
            }
            // “…公告” as the source set it, its number under it, then the title.
            let mark = f.mark.trim();
            if !mark.is_empty() {
                d = d
                    .add_paragraph(mark_paragraph(mark, 20.0, tops.len()))
                    .add_paragraph(blank());
            }
            d
        }
    };
    let number_under_mark = f.format == DocFormat::Announcement && !f.mark.trim().is_empty();
    if number_under_mark && !f.doc_number.trim().is_empty() {
        d = centred_number(d, f).add_paragraph(blank());
    }

    // 标题: a 令 usually has none, a 纪要's is its 标志; print it only when it says more.
    let title_shown = match f.format {
        DocFormat::Order => !title.is_empty() && !title.ends_with('令'),
        DocFormat::Minutes => !title.is_empty() && title != minutes_mark(f),
        _ => !title.is_empty(),
    };
    if title_shown {
        d = d.add_paragraph(title_paragraph(title));
    }
    if f.format == DocFormat::Announcement && !number_under_mark {
        d = centred_number(d, f);
    }
    if title_shown || f.format == DocFormat::Announcement {
        d = d.add_paragraph(blank());
    }
    let recipients = f.main_recipients.trim();
    let addressed = matches!(f.format, DocFormat::File | DocFormat::Letter);
    if addressed && !recipients.is_empty() {
        let r = recipients.trim_end_matches([':', '：']).to_string() + "：";
        d = d.add_paragraph(para().add_run(run(&r, FS, SIZE_3)));
    }
    // The 落款 never stands on a page of its own (which would need “（此页无正文）”): the last
    // body paragraph is kept on the page of what follows it.
    let last = f.body.iter().rposition(|p| !p.trim().is_empty());
    let tables_after = f.tables.iter().any(|t| t.at as usize >= f.body.len());
    for (i, p) in f.body.iter().enumerate() {
        for t in f.tables.iter().filter(|t| t.at as usize == i) {
            d = d.add_table(body_table(t));
        }
        if !p.trim().is_empty() {
            let para = body_paragraph(p);
            let para = if Some(i) == last && !tables_after {
                para.keep_next(true).keep_lines(true)
            } else {
                para
            };
            d = d.add_paragraph(para);
        }
    }
    for t in f.tables.iter().filter(|t| t.at as usize >= f.body.len()) {
        d = d.add_table(body_table(t));
    }

    // 附件说明
    let attachments: Vec<&str> = f
        .attachments
        .iter()
        .map(|a| a.trim())
        .filter(|a| !a.is_empty())
        .collect();
    if !attachments.is_empty() {
        d = d.add_paragraph(blank());
        for (i, a) in attachments.iter().enumerate() {
            let numbered = if attachments.len() == 1 {
                a.to_string()
            } else {
                format!("{}.{a}", i + 1)
            };
            let p = if i == 0 {
                indented().add_run(run(&format!("附件：{numbered}"), FS, SIZE_3))
            } else {
                para()
                    .indent(Some(5 * CHAR_TWIPS), None, None, None)
                    .add_run(run(&numbered, FS, SIZE_3))
            };
            d = d.add_paragraph(p);
        }
    }

    // 署名 and 成文日期: a 令 is signed by its signatory, a 纪要 carries no 署名.
    let date = written_on(f);
    let names: Vec<String> = match f.format {
        DocFormat::Order => vec![f
            .signers
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("\u{3000}")]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect(),
        DocFormat::Minutes => Vec::new(),
        _ => f.issuers().into_iter().map(str::to_string).collect(),
    };
    // A 纪要's date is in its head.
    let date = if f.format == DocFormat::Minutes {
        String::new()
    } else {
        date
    };
    d = signature(d, &names, &date);

    // 附注: the attribute's mark, and the clerk's own note when it says something else.
    let mut notes: Vec<String> = Vec::new();
    if let Some(a) = opts.attribute {
        notes.push(a.document_mark().to_string());
    }
    let own = f.notes.trim();
    if !own.is_empty() && !notes.iter().any(|n| n == own) {
        let wrapped = if own.starts_with('（') {
            own.to_string()
        } else {
            format!("（{own}）")
        };
        if !notes.contains(&wrapped) {
            notes.push(wrapped);
        }
    }
    for n in notes {
        d = d.add_paragraph(indented().add_run(run(&n, FS, SIZE_3)));
    }
    d = record(d, f);
    pack(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_in_headings_split_after_the_first_full_stop() {
        let t = "一、总体要求。坚持来源明确、事实可核的原则。";
        let end = run_in_split(t).unwrap();
        assert_eq!(&t[..end], "一、总体要求。");
        assert_eq!(run_in_split("一、总体要求"), None);
        assert_eq!(run_in_split("一、总体要求。"), None);
        let long = format!("一、{}。后文", "很".repeat(45));
        assert_eq!(run_in_split(&long), None);
    }
}
