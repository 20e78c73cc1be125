//! 政策解读审签表（解读方案）: the policy document, the interpreting unit and people (谁起草、谁解读),
//! forms and channels, the outline of the written interpretation (each section with its length and
//! opening words, required ones marked), the Q&A, graphics and media links, the timing, and the
//! sign-off chain 起草单位负责人 → 办公室/网上公安办公室 → 分管领导, signed together with the 发文稿纸.

use super::*;
use gongkai_core::{required_sections, InterpForm, SectionKey};

/// Characters of one outline line (a 140 mm cell at 10.5 pt holds 37).
const OUTLINE_LINE: usize = 36;

/// The opening of a section, cut so that `prefix` + opening fits on one line.
fn excerpt(text: &str, prefix: &str) -> String {
    let clean = crate::text::clean(text).replace('\n', " ");
    let clean = clean.trim();
    let room = OUTLINE_LINE.saturating_sub(prefix.chars().count()).max(8);
    if clean.chars().count() <= room {
        return clean.to_string();
    }
    let mut out: String = clean.chars().take(room - 1).collect();
    out.push('…');
    out
}

pub(super) fn rows(data: &FormData) -> Vec<Row> {
    let f = &data.fields;
    let pkg = data.package.as_ref();
    let mut rows = vec![kv(
        "政策文件名称",
        vec![or_blank(&f.title, "（未填写标题）")],
    )];
    rows.push(kv2(
        "文　　号",
        vec![or_blank(&f.doc_number, "签发后编号")],
        "文　　种",
        vec![v(f.doc_type.label())],
    ));
    rows.push(kv(
        "解读标题",
        vec![match pkg {
            Some(p) => v(p.display_title(&f.title)),
            None => note("尚未建立解读包"),
        }],
    ));
    rows.push(kv2(
        "起草单位\n（解读单位）",
        vec![or_blank(&data.unit_name, "")],
        "第一解读人",
        vec![or_blank(
            pkg.map_or("", |p| p.first_interpreter.as_str()),
            "（单位主要负责人）",
        )],
    ));
    rows.push(kv2(
        "解 读 人",
        vec![or_blank(pkg.map_or("", |p| p.interpreter.as_str()), "")],
        "联系方式",
        vec![or_blank(pkg.map_or("", |p| p.contact.as_str()), "")],
    ));
    let forms: Vec<InterpForm> = pkg.map(|p| p.forms.clone()).unwrap_or_default();
    rows.push(kv(
        "解读形式",
        vec![v(checks(
            InterpForm::ALL
                .iter()
                .map(|x| (forms.contains(x), x.label())),
        ))],
    ));
    let channels = data
        .disclosure
        .as_ref()
        .map(|d| d.channels.clone())
        .unwrap_or_default();
    rows.push(kv("解读渠道", vec![v(channel_checks(&channels))]));

    let reach = data
        .disclosure
        .as_ref()
        .map(|d| d.reach)
        .unwrap_or_default();
    let required = required_sections(f.doc_type, reach);
    let mut outline = Vec::new();
    for key in SectionKey::ALL {
        let text = pkg.map_or("", |p| p.section(key));
        let is_required = required.contains(&key);
        if text.trim().is_empty() && !is_required {
            continue;
        }
        if text.trim().is_empty() {
            let mark = if is_required { "（必备）" } else { "" };
            outline.push(v(format!("□{}{mark}：尚未撰写", key.label())));
        } else {
            let n = text.chars().filter(|c| !c.is_whitespace()).count();
            let mark = if is_required { "必备，" } else { "" };
            let prefix = format!("■{}（{mark}{n}字）：", key.label());
            let ex = excerpt(text, &prefix);
            outline.push(v(format!("{prefix}{ex}")));
        }
    }
    rows.push(kv("解读提纲\n（内容要点）", outline));

    let qa = pkg.map(|p| p.qa.as_slice()).unwrap_or_default();
    let mut p = Vec::new();
    if qa.is_empty() {
        p.push(v("无"));
    }
    for (i, q) in qa.iter().enumerate() {
        let clause = if q.clause.trim().is_empty() {
            String::new()
        } else {
            format!("（{}）", q.clause.trim())
        };
        p.push(v(format!("{}. {}{clause}", i + 1, q.question.trim())));
    }
    rows.push(kv(&format!("政策问答\n（共{}问）", qa.len()), p));

    let graphics = pkg.map(|p| p.graphics.as_slice()).unwrap_or_default();
    let mut p = Vec::new();
    if graphics.is_empty() {
        p.push(v("无"));
    } else {
        let captions: Vec<String> = graphics
            .iter()
            .map(|g| {
                if g.caption.trim().is_empty() {
                    g.file_name.trim().to_string()
                } else {
                    g.caption.trim().to_string()
                }
            })
            .collect();
        p.push(v(format!(
            "共{}幅：{}",
            graphics.len(),
            captions.join("；")
        )));
    }
    p.push(v(checks([(
        false,
        "已联系指挥中心网上公安办公室制作图文解读（日期：　　年　　月　　日）",
    )])));
    rows.push(kv("图文解读", p));
    let links = pkg.map(|p| p.links.as_slice()).unwrap_or_default();
    if !links.is_empty() {
        rows.push(kv(
            "音视频及访谈",
            links
                .iter()
                .map(|l| {
                    let form = l.form.map_or("链接", |f| f.label());
                    v(format!("{form}：{} {}", l.title.trim(), l.url.trim()))
                })
                .collect(),
        ));
    }
    rows.push(kv(
        "解读时间",
        vec![
            v("与文件同步发布，最迟不超过文件公开后3个工作日"),
            note("计划发布日期：　　年　　月　　日　　（本方案与《发文稿纸》同步审签）"),
        ],
    ));
    let mut risk = kv("舆情风险评估\n及回应预案", vec![]);
    risk.min_height = mm(12.0);
    rows.push(risk);
    rows.push(kv(
        "基层执行人员\n解读培训",
        vec![v(checks([
            (false, "需要（培训计划：　　　　　　　　　　）"),
            (false, "不需要"),
        ]))],
    ));
    rows.push(sign2(
        "起草单位\n负责人意见",
        vec![],
        "网上公安\n办公室意见",
        vec![],
        SIGN_SPACE - 2.0,
    ));
    rows.push(sign("分管领导意见", vec![], SIGN_SPACE - 2.0));
    rows
}
