//! The 政府信息公开工作年度报告 as GB/T 9704 .docx in the national format of 国办公开办函〔2021〕30号:
//! the title, sections 一 to 六 with the clerk's text, and the tables laid out as the format shows
//! them — table 二's four sub-tables (行政规范性文件 counted from the documents, the other figures
//! as the clerk entered them, blank where none was entered),
//! table 三 with 申请人情况 split into 自然人, the five kinds of 法人或其他组织 and 总计, and
//! table 四's fifteen columns under 行政复议 and the two kinds of 行政诉讼.

use super::policy::body_table;
use super::{
    blank, exact, heading, pack, page_setup, run, text_paragraphs, ExportError, LINE_TWIPS, SIZE_2,
    XBS,
};
use chrono::NaiveDate;
use docx_rs::{AlignmentType, Docx, Paragraph};
use gongkai_core::request::{PrintedRow, FOUR_COLUMNS, THREE_CHECK_NOTE};
use gongkai_core::{BodyTable, TableCell, VMerge};

/// What the report holds.
#[derive(Debug, Clone)]
pub struct AnnualReportDoc<'a> {
    /// e.g. 淄博市公安局治安支队2026年政府信息公开工作年度报告.
    pub title: &'a str,
    /// 一、总体情况.
    pub overview: &'a str,
    /// 五、存在的主要问题及改进情况.
    pub problems: &'a str,
    /// 六、其他需要报告的事项.
    pub other: &'a str,
    pub three: &'a [PrintedRow],
    pub four: [u32; 15],
    /// Table 二（一）: 规章 and 行政规范性文件, each 本年制发, 本年废止, 现行有效.
    pub issued: [[u32; 3]; 2],
    /// 行政许可, 行政处罚, 行政强制 (counts) and 行政事业性收费 (万元), as entered (None: blank).
    pub figures: [Option<f64>; 4],
}

fn cell(text: impl Into<String>) -> TableCell {
    TableCell {
        text: text.into(),
        span: 1,
        merge: VMerge::None,
        middle: true,
    }
}

fn span(text: &str, n: u32) -> TableCell {
    TableCell {
        span: n,
        ..cell(text)
    }
}

fn start(text: &str) -> TableCell {
    TableCell {
        merge: VMerge::Start,
        ..cell(text)
    }
}

fn cont() -> TableCell {
    TableCell {
        merge: VMerge::Continue,
        ..cell("")
    }
}

fn table(rows: Vec<Vec<TableCell>>, widths: Vec<u32>) -> BodyTable {
    BodyTable {
        at: 0,
        rows,
        widths,
    }
}

/// Table 二: the four sub-tables of 第二十条.
fn table_two(issued: [[u32; 3]; 2], figures: [Option<f64>; 4]) -> Vec<BodyTable> {
    let fig = |v: Option<f64>| {
        v.map(|v| {
            if v.fract() == 0.0 {
                format!("{v:.0}")
            } else {
                format!("{v}")
            }
        })
        .unwrap_or_default()
    };
    let sub = |item: &str, cols: &[&str], rows: &[(&str, Vec<String>)]| {
        let mut out = vec![
            vec![span(item, cols.len() as u32 + 1)],
            std::iter::once(cell("信息内容"))
                .chain(cols.iter().map(|c| cell(*c)))
                .collect(),
        ];
        for (r, values) in rows {
            out.push(
                std::iter::once(cell(*r))
                    .chain(values.iter().map(|v| cell(v.clone())))
                    .collect(),
            );
        }
        let mut widths = vec![30];
        widths.extend(cols.iter().map(|_| 20));
        table(out, widths)
    };
    vec![
        sub(
            "第二十条第（一）项",
            &["本年制发件数", "本年废止件数", "现行有效件数"],
            &[
                ("规章", issued[0].iter().map(u32::to_string).collect()),
                (
                    "行政规范性文件",
                    issued[1].iter().map(u32::to_string).collect(),
                ),
            ],
        ),
        sub(
            "第二十条第（五）项",
            &["本年处理决定数量"],
            &[("行政许可", vec![fig(figures[0])])],
        ),
        sub(
            "第二十条第（六）项",
            &["本年处理决定数量"],
            &[
                ("行政处罚", vec![fig(figures[1])]),
                ("行政强制", vec![fig(figures[2])]),
            ],
        ),
        sub(
            "第二十条第（八）项",
            &["本年收费金额（单位：万元）"],
            &[("行政事业性收费", vec![fig(figures[3])])],
        ),
    ]
}

fn table_three(rows: &[PrintedRow]) -> BodyTable {
    let mut out = vec![
        vec![
            start(&format!("（{THREE_CHECK_NOTE}）")),
            span("申请人情况", 7),
        ],
        vec![
            cont(),
            start("自然人"),
            span("法人或其他组织", 5),
            start("总计"),
        ],
        std::iter::once(cont())
            .chain(std::iter::once(cont()))
            .chain(
                [
                    "商业企业",
                    "科研机构",
                    "社会公益组织",
                    "法律服务机构",
                    "其他",
                ]
                .into_iter()
                .map(cell),
            )
            .chain(std::iter::once(cont()))
            .collect(),
    ];
    for r in rows {
        let indent = "　".repeat(r.level as usize);
        let label = TableCell {
            middle: true,
            ..cell(format!("{indent}{}", r.label))
        };
        let mut row = vec![label];
        match r.values {
            Some(v) => row.extend(v.iter().map(|n| cell(n.to_string()))),
            None => row.push(span("", 7)),
        }
        out.push(row);
    }
    table(out, vec![34, 10, 10, 10, 10, 10, 10, 10])
}

fn table_four(values: [u32; 15]) -> BodyTable {
    let mut second: Vec<TableCell> = FOUR_COLUMNS.iter().map(|c| start(c)).collect();
    second.push(span("未经复议直接起诉", 5));
    second.push(span("复议后起诉", 5));
    let mut third: Vec<TableCell> = (0..5).map(|_| cont()).collect();
    for _ in 0..2 {
        third.extend(FOUR_COLUMNS.iter().map(|c| cell(*c)));
    }
    let rows = vec![
        vec![span("行政复议", 5), span("行政诉讼", 10)],
        second,
        third,
        values.iter().map(|n| cell(n.to_string())).collect(),
    ];
    table(rows, vec![1; 15])
}

fn section(d: Docx, title: &str, text: &str) -> Docx {
    let d = d.add_paragraph(heading(title));
    if text.trim().is_empty() {
        d
    } else {
        text_paragraphs(d, text)
    }
}

/// The report as .docx.
pub fn export_annual_report(
    r: &AnnualReportDoc<'_>,
    created_on: Option<NaiveDate>,
) -> Result<Vec<u8>, ExportError> {
    let mut d = page_setup(Docx::new(), created_on);
    d = d.add_paragraph(
        exact(Paragraph::new(), LINE_TWIPS * 2)
            .align(AlignmentType::Center)
            .add_run(run(r.title, XBS, SIZE_2)),
    );
    d = d.add_paragraph(blank());
    d = section(d, "一、总体情况", r.overview);
    d = d.add_paragraph(heading("二、主动公开政府信息情况"));
    for t in table_two(r.issued, r.figures) {
        d = d.add_table(body_table(&t)).add_paragraph(blank());
    }
    d = d.add_paragraph(heading("三、收到和处理政府信息公开申请情况"));
    d = d.add_table(body_table(&table_three(r.three)));
    d = d.add_paragraph(blank());
    d = d.add_paragraph(heading("四、政府信息公开行政复议、行政诉讼情况"));
    d = d.add_table(body_table(&table_four(r.four)));
    d = d.add_paragraph(blank());
    d = section(d, "五、存在的主要问题及改进情况", r.problems);
    d = section(d, "六、其他需要报告的事项", r.other);
    pack(d)
}
