//! 发文稿纸 / 发文审签单: 眉首区 (密级, 紧急程度), then 签发, 会签 and 核稿 boxes, the document's
//! elements, the disclosure decision (公开属性 with its legal ground and reason, 公开方式, 目录),
//! interpretation, confidentiality review and de-identification, the drafter, and the print room.

use super::*;
use crate::pdf::cn_date;
use gongkai_core::{needs_interpretation, DocType, Urgency};

pub(super) fn rows(data: &FormData) -> Vec<Row> {
    let f = &data.fields;
    let mut rows = Vec::new();

    let classification = match &f.classification {
        Some(c) if c.period.trim().is_empty() => c.level.label().to_string(),
        Some(c) => format!("{}★{}", c.level.label(), c.period.trim()),
        None => "—（非涉密）".to_string(),
    };
    let urgency = match f.urgency {
        Some(Urgency::Extra) => "特急",
        Some(Urgency::Urgent) => "加急",
        None => "—",
    };
    rows.push(kv2(
        "密级及保密期限",
        vec![v(classification)],
        "紧急程度",
        vec![v(urgency)],
    ));
    if f.classification.is_some() {
        rows.push(kv(
            "份　　号",
            vec![note(
                "涉密文件须填写份号；涉密文件不得公开，公开属性应为“不予公开”",
            )],
        ));
    }

    // 签发: the leader decides the 公开属性 finally.
    let mut p = vec![note("签发领导对本件公开属性作最终决定")];
    if let Some(s) = &data.signoff {
        if !s.opinion.trim().is_empty() {
            p.push(v(format!("意见：{}", s.opinion.trim())));
        }
        p.push(note(format!(
            "（已登记签发：{} {}）",
            s.signer.trim(),
            s.date.trim()
        )));
    }
    rows.push(sign("签　　发", p, SIGN_SPACE + 1.0));

    let units: Vec<&str> = data
        .countersign_units
        .iter()
        .map(|u| u.trim())
        .filter(|u| !u.is_empty())
        .collect();
    if units.is_empty() {
        rows.push(sign("会　　签", vec![note("会签单位：")], SIGN_SPACE - 4.0));
    } else {
        // Two units side by side.
        for pair in units.chunks(2) {
            match pair {
                [a, b] => rows.push(sign2(
                    &format!("会签\n{a}"),
                    vec![],
                    &format!("会签\n{b}"),
                    vec![],
                    SIGN_SPACE - 4.0,
                )),
                [a] => rows.push(sign(&format!("会签\n{a}"), vec![], SIGN_SPACE - 4.0)),
                _ => {}
            }
        }
    }
    rows.push(sign2(
        "拟稿单位\n负责人核稿",
        vec![],
        "办公室\n（秘书室）核稿",
        vec![],
        SIGN_SPACE - 4.0,
    ));

    rows.push(kv("标　　题", vec![or_blank(&f.title, "（未填写标题）")]));
    rows.push(kv2(
        "发文字号",
        vec![or_blank(&f.doc_number, "签发后编号")],
        "成文日期",
        vec![match f.date_written {
            Some(d) => v(cn_date(d)),
            None => note("　　年　　月　　日"),
        }],
    ));
    rows.push(kv("主　　送", vec![or_blank(&f.main_recipients, NONE)]));
    rows.push(kv("抄　　送", vec![or_blank(&f.cc, NONE)]));
    let attachments: Vec<&str> = f
        .attachments
        .iter()
        .map(|a| a.trim())
        .filter(|a| !a.is_empty())
        .collect();
    let attach = match attachments.as_slice() {
        [] => vec![note(NONE)],
        [one] => vec![v(*one)],
        many => many
            .iter()
            .enumerate()
            .map(|(i, a)| v(format!("{}. {a}", i + 1)))
            .collect(),
    };
    rows.push(kv("附　　件", attach));

    let attribute = data.disclosure.as_ref().map(|d| d.attribute);
    let mut p = vec![v(attribute_checks(attribute))];
    match attribute {
        Some(a) => p.push(note(format!("文末附注：{}", a.document_mark()))),
        None => p.push(note("先确定公开属性，再运转呈签")),
    }
    rows.push(kv("公开属性", p));
    rows.push(kv("不予公开或\n部分公开的\n理由及依据", grounds_text(data)));
    let channels = data
        .disclosure
        .as_ref()
        .map(|d| d.channels.clone())
        .unwrap_or_default();
    let catalog = data.catalog_path.as_deref().unwrap_or("").trim();
    let catalog = if !catalog.is_empty() {
        v(format!("公开目录：{catalog}"))
    } else if attribute.is_some_and(|a| a.is_published()) {
        note("公开目录：（未选择目录位置）")
    } else {
        note("公开目录：不适用")
    };
    rows.push(kv(
        "公开方式\n及目录",
        vec![v(channel_checks(&channels)), catalog],
    ));

    let needs = if data.package.is_some() {
        Some(true)
    } else {
        data.disclosure
            .as_ref()
            .map(|d| needs_interpretation(f.doc_type, d.reach, d.attribute.is_published()))
    };
    let mut p = vec![v(format!(
        "是否需要解读：{}",
        checks([(needs == Some(true), "是"), (needs == Some(false), "否")])
    ))];
    if let Some(pkg) = &data.package {
        let forms: Vec<&str> = pkg.forms.iter().map(|x| x.label()).collect();
        p.push(v(format!(
            "解读形式：{}",
            if forms.is_empty() {
                "（未选择）".to_string()
            } else {
                forms.join("、")
            }
        )));
    }
    if needs == Some(true) {
        p.push(note("解读方案见《政策解读审签表》，与本稿同步审签"));
    }
    rows.push(kv("政策解读", p));

    let mut p = match &data.secrecy {
        Some(r) => {
            let mut p = vec![v(format!("保密审查结论：{}", r.conclusion.label()))];
            if !r.secrecy_office.name.trim().is_empty() {
                p.push(note(format!(
                    "保密办：{} {}；详见《政府信息公开保密审查表》",
                    r.secrecy_office.name.trim(),
                    r.secrecy_office.date.trim()
                )));
            }
            p
        }
        None => vec![note(
            "尚未登记保密审查结果，须先完成《政府信息公开保密审查表》",
        )],
    };
    let mut deid = deid_text(data);
    deid.text = format!("去标识化：{}", deid.text);
    p.push(deid);
    rows.push(kv("保密审查\n去标识化", p));
    if f.doc_type == DocType::Normative {
        rows.push(sign("合法性审核\n公平竞争审查", vec![], SIGN_SPACE - 5.0));
    }

    rows.push(kv2(
        "拟稿单位",
        vec![or_blank(&data.unit_name, "")],
        "拟 稿 人",
        vec![or_blank(&data.clerk_name, "")],
    ));
    rows.push(kv2(
        "联系电话",
        vec![or_blank(&data.contact_phone, "")],
        "拟稿日期",
        vec![match data.drafted_on {
            Some(d) => v(cn_date(d)),
            None => note("　　年　　月　　日"),
        }],
    ));
    // The print room's boxes.
    let print_w = (170.0 - 3.0 * 15.0 - 18.0) / 4.0;
    rows.push(Row {
        cells: vec![
            label_cell("印　刷", 15.0),
            value_cell(vec![], print_w),
            label_cell("校　对", 15.0),
            value_cell(vec![], print_w),
            label_cell("份　数", 15.0),
            value_cell(vec![], print_w),
            label_cell("印发日期", 18.0),
            value_cell(vec![], 0.0),
        ],
        min_height: mm(8.0),
        keep: true,
    });
    rows
}
