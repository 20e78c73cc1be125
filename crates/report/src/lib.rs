//! The annual report's tables as an .xlsx workbook: sheet 表三 with the format's three header rows
//! (申请人情况 › 自然人 | 法人或其他组织 › five kinds | 总计) and its rows indented as printed, sheet
//! 表四 with 行政复议 and 行政诉讼 (未经复议直接起诉, 复议后起诉) over their fifteen columns. The
//! numbers are cells of their own (not text), so the office can sum the units' sheets.
//!
//! The duty board as a one-sheet workbook (for the leaders' meeting and the office's own
//! sheets) and as an iCalendar file: one all-day event per dated line not yet done.

use gongkai_core::request::{PrintedRow, FOUR_COLUMNS, THREE_CHECK_NOTE, THREE_COLUMNS};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, XlsxError};

/// Why the workbook could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("生成 Excel 文件失败：{0}。请重试；若反复出现，请联系信息化管理员。")]
    Write(#[from] XlsxError),
}

/// Tables 三 and 四 of `title`'s report as .xlsx bytes.
pub fn annual_xlsx(
    title: &str,
    three: &[PrintedRow],
    four: [u32; 15],
) -> Result<Vec<u8>, ReportError> {
    let mut wb = Workbook::new();
    let head = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap();
    let boxed = Format::new().set_border(FormatBorder::Thin);
    let num = Format::new()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center);
    let title_fmt = Format::new().set_bold().set_font_size(14);

    let s = wb.add_worksheet().set_name("表三")?;
    s.write_with_format(
        0,
        0,
        format!("{title} 三、收到和处理政府信息公开申请情况"),
        &title_fmt,
    )?;
    s.set_column_width(0, 46)?;
    for c in 1..=7u16 {
        s.set_column_width(c, 12)?;
    }
    s.merge_range(1, 0, 3, 0, &format!("（{THREE_CHECK_NOTE}）"), &head)?;
    s.merge_range(1, 1, 1, 7, "申请人情况", &head)?;
    s.merge_range(2, 1, 3, 1, THREE_COLUMNS[0], &head)?;
    s.merge_range(2, 2, 2, 6, "法人或其他组织", &head)?;
    s.merge_range(2, 7, 3, 7, THREE_COLUMNS[6], &head)?;
    for (i, c) in THREE_COLUMNS[1..6].iter().enumerate() {
        s.write_with_format(3, 2 + i as u16, *c, &head)?;
    }
    for (i, r) in three.iter().enumerate() {
        let row = 4 + i as u32;
        let indent = "　".repeat(r.level as usize);
        s.write_with_format(row, 0, format!("{indent}{}", r.label), &boxed)?;
        match r.values {
            Some(v) => {
                for (c, n) in v.iter().enumerate() {
                    s.write_number_with_format(row, 1 + c as u16, f64::from(*n), &num)?;
                }
            }
            None => {
                s.merge_range(row, 1, row, 7, "", &boxed)?;
            }
        }
    }

    let s = wb.add_worksheet().set_name("表四")?;
    s.write_with_format(
        0,
        0,
        format!("{title} 四、政府信息公开行政复议、行政诉讼情况"),
        &title_fmt,
    )?;
    for c in 0..15u16 {
        s.set_column_width(c, 10)?;
    }
    s.merge_range(1, 0, 1, 4, "行政复议", &head)?;
    s.merge_range(1, 5, 1, 14, "行政诉讼", &head)?;
    for (i, c) in FOUR_COLUMNS.iter().enumerate() {
        s.merge_range(2, i as u16, 3, i as u16, c, &head)?;
    }
    s.merge_range(2, 5, 2, 9, "未经复议直接起诉", &head)?;
    s.merge_range(2, 10, 2, 14, "复议后起诉", &head)?;
    for g in 0..2u16 {
        for (i, c) in FOUR_COLUMNS.iter().enumerate() {
            s.write_with_format(3, 5 + g * 5 + i as u16, *c, &head)?;
        }
    }
    for (i, n) in four.iter().enumerate() {
        s.write_number_with_format(4, i as u16, f64::from(*n), &num)?;
    }
    Ok(wb.save_to_buffer()?)
}

/// One line of the duty board as exported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardLine {
    /// Stable per duty, unit and due date (the calendar event's uid).
    pub key: String,
    pub title: String,
    pub unit_name: String,
    pub due: Option<chrono::NaiveDate>,
    /// In Chinese (已超期, 待完成 …).
    pub status: String,
    pub done: bool,
    /// What fulfilled it, or since when it is stale, or the rule.
    pub detail: String,
}

/// The board as .xlsx bytes: 状态, 职责, 单位, 期限, 完成情况.
pub fn board_xlsx(title: &str, lines: &[BoardLine]) -> Result<Vec<u8>, ReportError> {
    let mut wb = Workbook::new();
    let head = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center);
    let boxed = Format::new().set_border(FormatBorder::Thin).set_text_wrap();
    let s = wb.add_worksheet().set_name("职责看板")?;
    s.write_with_format(0, 0, title, &Format::new().set_bold().set_font_size(14))?;
    for (c, (name, width)) in [
        ("状态", 12.0),
        ("职责", 60.0),
        ("单位", 22.0),
        ("期限", 12.0),
        ("完成情况", 50.0),
    ]
    .iter()
    .enumerate()
    {
        s.set_column_width(c as u16, *width)?;
        s.write_with_format(1, c as u16, *name, &head)?;
    }
    for (i, l) in lines.iter().enumerate() {
        let r = 2 + i as u32;
        s.write_with_format(r, 0, &l.status, &boxed)?;
        s.write_with_format(r, 1, &l.title, &boxed)?;
        s.write_with_format(r, 2, &l.unit_name, &boxed)?;
        s.write_with_format(
            r,
            3,
            l.due.map(|d| d.to_string()).unwrap_or_default(),
            &boxed,
        )?;
        s.write_with_format(r, 4, &l.detail, &boxed)?;
    }
    Ok(wb.save_to_buffer()?)
}

/// The board's dated lines not yet done as an iCalendar file: an all-day event on each due date.
pub fn board_ics(name: &str, lines: &[BoardLine]) -> String {
    use icalendar::{Calendar, Component, Event, EventLike};
    let mut cal = Calendar::new();
    cal.name(name);
    for l in lines.iter().filter(|l| !l.done) {
        let Some(due) = l.due else { continue };
        let summary = if l.unit_name.is_empty() {
            format!("【{}】{}", l.status, l.title)
        } else {
            format!("【{}】{}（{}）", l.status, l.title, l.unit_name)
        };
        cal.push(
            Event::new()
                .uid(&format!("{}@gongkai", l.key))
                .summary(&summary)
                .description(&l.detail)
                .all_day(due)
                .done(),
        );
    }
    cal.done().to_string()
}
