//! The rows of the three forms, in the print order of `shared/reference/review-forms.md`, and
//! the small builders they share (label/value rows, signature rows, check boxes ■/□); and the
//! rows and header of the 签名密钥登记表 ([`key_enrolment`]).

pub(crate) mod duty_summary;
mod fawen;
mod interpretation;
pub(crate) mod key_enrolment;
mod secrecy;

use crate::layout::{mm, Cell, Foot, Para, Row, Style};
use crate::{FormData, FormKind};
use gongkai_core::{Attribute, Channel, Opinion};

/// The rows of a form.
pub(crate) fn rows(kind: FormKind, data: &FormData) -> Vec<Row> {
    match kind {
        FormKind::Fawen => fawen::rows(data),
        FormKind::Secrecy => secrecy::rows(data),
        FormKind::Interpretation => interpretation::rows(data),
    }
}

/// Width of a label column.
const LABEL_W: f32 = 30.0;
/// Width of the first value column of a two-pair row (30 + 55 + 30 + 55 = 170 mm).
const PAIR_W: f32 = 55.0;
/// Blank space for a handwritten opinion above the signature line.
const SIGN_SPACE: f32 = 13.0;
/// The signature line.
const SIGN_LINE: &str = "签名：　　　　　　　　　　　　　年　　月　　日";

/// Shown for a field that has no value and is not to be filled by hand.
const NONE: &str = "无";

fn label_cell(text: &str, width_mm: f32) -> Cell {
    Cell {
        width: mm(width_mm),
        paras: vec![Para::new(text, Style::LABEL)],
        foot: None,
        label: true,
    }
}

fn value_cell(paras: Vec<Para>, width_mm: f32) -> Cell {
    Cell {
        width: mm(width_mm),
        paras,
        foot: None,
        label: false,
    }
}

/// A value paragraph.
fn v(text: impl Into<String>) -> Para {
    Para::new(text, Style::VALUE)
}

/// A grey hint paragraph.
fn note(text: impl Into<String>) -> Para {
    Para::new(text, Style::NOTE)
}

/// The text, or a grey “无”-style placeholder when it is blank.
fn or_blank(text: &str, placeholder: &str) -> Para {
    if text.trim().is_empty() {
        note(placeholder)
    } else {
        v(text.trim())
    }
}

/// `label | value`.
fn kv(label: &str, value: Vec<Para>) -> Row {
    Row {
        cells: vec![label_cell(label, LABEL_W), value_cell(value, 0.0)],
        min_height: 0.0,
        keep: false,
    }
}

/// `label | value | label | value`.
fn kv2(l1: &str, v1: Vec<Para>, l2: &str, v2: Vec<Para>) -> Row {
    Row {
        cells: vec![
            label_cell(l1, LABEL_W),
            value_cell(v1, PAIR_W),
            label_cell(l2, LABEL_W),
            value_cell(v2, 0.0),
        ],
        min_height: 0.0,
        keep: false,
    }
}

/// A box for a handwritten opinion: the printed paragraphs (a recorded opinion, hints), blank
/// space, then the signature line at the bottom.
fn sign_cell(paras: Vec<Para>, width_mm: f32, space_mm: f32, line: &str) -> Cell {
    Cell {
        width: mm(width_mm),
        paras,
        foot: Some(Foot {
            space: mm(space_mm),
            para: Para::new(line, Style::SIGN),
        }),
        label: false,
    }
}

/// Blank space left for handwriting: less when an opinion is already printed in the box.
fn space_for(paras: &[Para], space_mm: f32) -> f32 {
    if paras.iter().any(|p| !p.style.grey) {
        (space_mm - 4.0).max(6.0)
    } else {
        space_mm
    }
}

/// `label | opinion box with signature line`.
fn sign(label: &str, paras: Vec<Para>, space_mm: f32) -> Row {
    let space_mm = space_for(&paras, space_mm);
    Row {
        cells: vec![
            label_cell(label, LABEL_W),
            sign_cell(paras, 0.0, space_mm, SIGN_LINE),
        ],
        min_height: 0.0,
        keep: true,
    }
}

/// Two signature boxes side by side.
fn sign2(l1: &str, p1: Vec<Para>, l2: &str, p2: Vec<Para>, space_mm: f32) -> Row {
    let line = "签名：　　　　　　年　月　日";
    let space_mm = space_for(&p1, space_mm).max(space_for(&p2, space_mm));
    Row {
        cells: vec![
            label_cell(l1, LABEL_W),
            sign_cell(p1, PAIR_W, space_mm, line),
            label_cell(l2, LABEL_W),
            sign_cell(p2, 0.0, space_mm, line),
        ],
        min_height: 0.0,
        keep: true,
    }
}

/// `■主动公开　□依申请公开 …`.
fn checks<'a>(items: impl IntoIterator<Item = (bool, &'a str)>) -> String {
    items
        .into_iter()
        .map(|(on, label)| format!("{}{}", if on { '■' } else { '□' }, label))
        .collect::<Vec<_>>()
        .join("　")
}

/// A recorded opinion: its text, then who recorded it and when.
fn recorded(o: &Opinion) -> Vec<Para> {
    let mut out = Vec::new();
    if !o.opinion.trim().is_empty() {
        out.push(v(o.opinion.trim()));
    }
    if !o.name.trim().is_empty() || !o.date.trim().is_empty() {
        out.push(note(format!(
            "（已登记：{} {}）",
            o.name.trim(),
            o.date.trim()
        )));
    }
    out
}

/// The attribute check boxes with the chosen one marked.
fn attribute_checks(a: Option<Attribute>) -> String {
    checks(Attribute::ALL.iter().map(|x| (Some(*x) == a, x.label())))
}

/// The channel check boxes with the chosen ones marked.
fn channel_checks(chosen: &[Channel]) -> String {
    checks(Channel::ALL.iter().map(|c| (chosen.contains(c), c.label())))
}

/// The 去标识化 summary line.
fn deid_text(data: &FormData) -> Para {
    match &data.deid_counts {
        None => note("尚未进行去标识化检查"),
        Some(counts) => {
            let total: u64 = counts.iter().map(|(_, n)| u64::from(*n)).sum();
            if total == 0 {
                v("已检查，未发现需处理的个人信息")
            } else {
                let parts: Vec<String> = counts
                    .iter()
                    .filter(|(_, n)| *n > 0)
                    .map(|(k, n)| format!("{}{}处", k.trim(), n))
                    .collect();
                v(format!("已去标识化{}处：{}", total, parts.join("、")))
            }
        }
    }
}

/// Legal grounds, the statute detail and the concrete reason of a 不予公开/部分公开 decision.
fn grounds_text(data: &FormData) -> Vec<Para> {
    let Some(d) = &data.disclosure else {
        return vec![note("尚未确定公开属性")];
    };
    let mut out = Vec::new();
    let n = data.ground_labels.len();
    if n > 1 {
        out.push(v("法定理由："));
    }
    for (i, g) in data.ground_labels.iter().enumerate() {
        let head = if n > 1 {
            format!("{}. ", i + 1)
        } else {
            "法定理由：".to_string()
        };
        let article = g.article.trim();
        if article.is_empty() {
            out.push(v(format!("{head}{}", g.label.trim())));
        } else {
            out.push(v(format!(
                "{head}《中华人民共和国政府信息公开条例》{article}，{}",
                g.label.trim()
            )));
        }
    }
    if data.ground_labels.is_empty() && !d.grounds.is_empty() {
        out.push(v(format!("理由代码：{}", d.grounds.join("、"))));
    }
    if !d.ground_detail.trim().is_empty() {
        out.push(v(format!(
            "所依据的法律、行政法规：{}",
            d.ground_detail.trim()
        )));
    }
    if !d.reason.trim().is_empty() {
        out.push(v(format!("具体理由：{}", d.reason.trim())));
    }
    if out.is_empty() {
        if d.attribute.needs_ground() {
            out.push(note("须注明法定理由和具体理由"));
        } else {
            out.push(note("不适用（不需要不予公开的理由）"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_boxes_mark_the_chosen_items() {
        assert_eq!(
            attribute_checks(Some(Attribute::Partial)),
            "□主动公开　□依申请公开　□不予公开　■部分公开"
        );
        assert!(channel_checks(&[Channel::Website]).starts_with("■政府网站信息公开专栏　□"));
    }

    #[test]
    fn deid_summary_distinguishes_not_run_from_nothing_found() {
        let mut d = FormData::default();
        assert_eq!(deid_text(&d).text, "尚未进行去标识化检查");
        d.deid_counts = Some(vec![]);
        assert!(deid_text(&d).text.contains("未发现"));
        d.deid_counts = Some(vec![
            ("姓名".into(), 2),
            ("身份证号".into(), 3),
            ("电话".into(), 0),
        ]);
        assert_eq!(deid_text(&d).text, "已去标识化5处：姓名2处、身份证号3处");
    }
}
