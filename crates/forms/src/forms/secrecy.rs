//! 政府信息公开保密审查表: the information to be published (name, number, carrier, channels,
//! scope, source, attribute), the six review points, the de-identification note, and the chain of
//! opinions 承办人 → 承办单位负责人 → 保密办 → 分管领导 (→ 主要领导 for important information), each
//! with the opinion recorded in the app, if any, and a box for the handwritten signature.

use super::*;
use crate::pdf::{beijing, cn_date};
use gongkai_core::{SecrecyConclusion, SECRECY_CHECKLIST};

pub(super) fn rows(data: &FormData) -> Vec<Row> {
    let f = &data.fields;
    let mut rows = Vec::new();
    rows.push(kv2(
        "填表日期",
        vec![v(cn_date(beijing(data).date()))],
        "拟公开时间",
        vec![note("　　年　　月　　日")],
    ));
    rows.push(kv("拟公开信息单位", vec![or_blank(&data.unit_name, "")]));
    rows.push(kv("信息名称", vec![or_blank(&f.title, "（未填写标题）")]));
    let internal: String = data.doc_id.trim().chars().take(8).collect();
    rows.push(kv2(
        "文　　号",
        vec![or_blank(&f.doc_number, "（尚未编号）")],
        "内部编号",
        vec![v(format!("{internal}（第{}版）", data.rev_no))],
    ));
    rows.push(kv(
        "信息载体形式",
        vec![v(checks([
            (true, "公文类"),
            (false, "非公文类（图文、视频、问答等）"),
        ]))],
    ));
    let d = data.disclosure.as_ref();
    let channels = d.map(|d| d.channels.clone()).unwrap_or_default();
    rows.push(kv("拟公开方式", vec![v(channel_checks(&channels))]));
    let attribute = d.map(|d| d.attribute);
    rows.push(kv(
        "拟公开范围",
        vec![v(checks([
            (attribute == Some(gongkai_core::Attribute::Active), "全文"),
            (
                attribute == Some(gongkai_core::Attribute::Partial),
                "部分（区分处理）",
            ),
            (false, "摘要"),
        ]))],
    ));
    rows.push(kv(
        "信息来源",
        vec![v(checks([
            (true, "本机关制作"),
            (false, "从其他机关获取"),
            (false, "从公民、法人或其他组织获取"),
        ]))],
    ));
    let mut p = vec![v(attribute_checks(attribute))];
    if attribute.is_some_and(|a| a.needs_ground()) {
        p.extend(grounds_text(data));
    }
    rows.push(kv("公开属性", p));

    // The six points, the short ones two to a line.
    let checklist = data
        .secrecy
        .as_ref()
        .map(|r| r.checklist)
        .unwrap_or_default();
    let point = |i: usize| (checklist[i], SECRECY_CHECKLIST[i]);
    rows.push(kv(
        "审查要点",
        vec![
            v(checks([point(0), point(1)])),
            v(checks([point(2), point(3)])),
            v(checks([point(4)])),
            v(checks([point(5)])),
            note("依据《中华人民共和国政府信息公开条例》第十七条审查；不能确定是否可以公开的，报有关主管部门或者保密行政管理部门确定"),
        ],
    ));
    rows.push(kv("去标识化说明", vec![deid_text(data)]));

    let space = SIGN_SPACE - 3.0;
    rows.push(sign("承办人意见\n（初审）", vec![], space));
    let r = data.secrecy.as_ref();
    rows.push(sign(
        "承办单位\n负责人意见",
        r.map(|r| recorded(&r.section)).unwrap_or_default(),
        space,
    ));
    let conclusions = [
        SecrecyConclusion::Approve,
        SecrecyConclusion::ApproveRedacted,
        SecrecyConclusion::Refuse,
        SecrecyConclusion::Escalate,
    ];
    let mut p = vec![v(checks(
        conclusions
            .iter()
            .map(|c| (r.map(|r| r.conclusion) == Some(*c), c.label())),
    ))];
    if let Some(r) = r {
        p.extend(recorded(&r.secrecy_office));
    }
    rows.push(sign("保密审查意见\n（保密办）", p, space));
    rows.push(sign2(
        "分管领导意见",
        r.map(|r| recorded(&r.leader)).unwrap_or_default(),
        "主要领导意见\n（重要、敏感\n信息）",
        vec![],
        space,
    ));
    rows
}
