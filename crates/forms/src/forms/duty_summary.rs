//! 政务公开职责落实情况汇总表: the one-page summary of the duty board for the leaders' meeting.
//! One row per unit — its overdue, stale, due and done counts and the titles of what is overdue
//! or stale — under a header row, with the period and the day it stood on in the meta lines.

use super::*;
use crate::layout::Align;
use crate::pdf::{beijing_time, cn_time, cut, Sheet};
use crate::qr::Matrix;
use crate::DutySummaryData;

const TITLE: &str = "政务公开职责落实情况汇总表";

/// Column widths (mm): 单位, four counts, then the rest for 超期及未及时更新事项.
const UNIT_W: f32 = 30.0;
const COUNT_W: f32 = 12.0;

const HEAD: Style = Style {
    size: 9.0,
    bold: true,
    align: Align::Center,
    grey: false,
    tabular: false,
};

const COUNT: Style = Style {
    size: 9.0,
    bold: false,
    align: Align::Center,
    grey: false,
    tabular: true,
};

const ITEMS: Style = Style {
    size: 8.0,
    bold: false,
    align: Align::Left,
    grey: false,
    tabular: false,
};

const NAME: Style = Style {
    size: 9.0,
    bold: false,
    align: Align::Left,
    grey: false,
    tabular: false,
};

fn cell(text: impl Into<String>, style: Style, width_mm: f32) -> Cell {
    Cell {
        width: mm(width_mm),
        paras: vec![Para::new(text, style)],
        foot: None,
        label: false,
    }
}

pub(crate) fn rows(data: &DutySummaryData) -> Vec<Row> {
    let mut rows = vec![Row {
        cells: vec![
            cell("单位", HEAD, UNIT_W),
            cell("超期", HEAD, COUNT_W),
            cell("未更新", HEAD, COUNT_W),
            cell("待完成", HEAD, COUNT_W),
            cell("已完成", HEAD, COUNT_W),
            cell("超期及未及时更新的事项", HEAD, 0.0),
        ],
        min_height: 0.0,
        keep: true,
    }];
    for u in &data.units {
        let items = if u.late_items.is_empty() {
            note("—")
        } else {
            Para::new(u.late_items.join("；"), ITEMS)
        };
        rows.push(Row {
            cells: vec![
                cell(u.unit_name.as_str(), NAME, UNIT_W),
                cell(u.overdue.to_string(), COUNT, COUNT_W),
                cell(u.stale.to_string(), COUNT, COUNT_W),
                cell(u.due.to_string(), COUNT, COUNT_W),
                cell(u.done.to_string(), COUNT, COUNT_W),
                value_cell(vec![items], 0.0),
            ],
            min_height: 0.0,
            keep: false,
        });
    }
    rows
}

pub(crate) fn sheet<'a>(data: &DutySummaryData, payload: &'a str, qr: &'a Matrix) -> Sheet<'a> {
    let title = format!("{}{TITLE}", cut(data.org_name.trim(), 40));
    let total = |f: fn(&crate::DutySummaryUnit) -> u32| data.units.iter().map(f).sum::<u32>();
    Sheet {
        info_title: title.clone(),
        title,
        meta: [
            format!(
                "期间：{}　　截至：{}　　单位 {} 个",
                cut(&data.period, 20),
                cut(&data.on, 20),
                data.units.len()
            ),
            format!(
                "合计：超期 {} 项，未及时更新 {} 项，待完成 {} 项，已完成 {} 项　　打印时间：{}",
                total(|u| u.overdue),
                total(|u| u.stale),
                total(|u| u.due),
                total(|u| u.done),
                cn_time(beijing_time(data.printed_at))
            ),
        ],
        foot_left: format!("{}　截至 {}", cut(&data.period, 20), cut(&data.on, 20)),
        foot_right: TITLE.to_string(),
        info_subject: format!("职责看板 {} 截至 {}", data.period, data.on),
        printed_at: data.printed_at,
        payload,
        qr,
    }
}
