//! Shared helpers for the cross-crate tests and benchmarks: deterministic generated documents.

use gongkai_core::{DocFields, DocType};
use rand::{rngs::StdRng, Rng};

const SUBJECTS: &[&str] = &[
    "户籍窗口服务",
    "道路交通安全管理",
    "出入境证件办理",
    "电动自行车登记",
    "网络安全等级保护",
    "特种行业许可",
    "大型群众性活动安全",
    "易制毒化学品管理",
    "机动车检验",
    "居住证申领",
    "养犬登记管理",
    "保安服务管理",
    "危险物品运输",
    "视频监控系统建设",
    "警务公开",
];
const ACTIONS: &[&str] = &["进一步规范", "加强", "做好", "优化", "全面推进", "深化"];
const KINDS: &[&str] = &["通知", "实施意见", "管理办法", "工作方案", "暂行规定"];
const PHRASES: &[&str] = &[
    "坚持以人民为中心的发展思想",
    "严格落实政府信息公开条例",
    "按照谁起草谁解读的原则",
    "切实提高群众满意度",
    "推动政务公开标准化规范化",
    "依法保护个人信息",
    "建立健全工作责任制",
    "办理时限压缩至五个工作日",
    "实行一窗通办和容缺受理",
    "各单位要高度重视",
    "定期开展监督检查",
    "对群众反映强烈的问题及时整改",
    "加强部门协同配合",
    "强化宣传引导",
    "确保各项措施落地见效",
];

/// A plausible policy document; `i` makes titles unique.
pub fn generated_doc(rng: &mut StdRng, i: usize) -> DocFields {
    let subject = SUBJECTS[rng.random_range(0..SUBJECTS.len())];
    let title = format!(
        "关于{}{}工作的{}（第{}号）",
        ACTIONS[rng.random_range(0..ACTIONS.len())],
        subject,
        KINDS[rng.random_range(0..KINDS.len())],
        i
    );
    let mut body = Vec::new();
    for h in 1..=rng.random_range(3..6u32) {
        body.push(format!(
            "{}、{}",
            gongkai_core::body::format_cn_number(h),
            PHRASES[rng.random_range(0..PHRASES.len())]
        ));
        for _ in 0..rng.random_range(2..5) {
            let sentence: Vec<&str> = (0..rng.random_range(3..7))
                .map(|_| PHRASES[rng.random_range(0..PHRASES.len())])
                .collect();
            body.push(format!("围绕{subject}，{}。", sentence.join("，")));
        }
    }
    DocFields {
        doc_type: DocType::Normative,
        issuing_authority: "某市公安局治安支队".into(),
        doc_number: format!("某公治〔2026〕{}号", i + 1),
        title,
        main_recipients: "局直各单位".into(),
        body,
        ..Default::default()
    }
}
