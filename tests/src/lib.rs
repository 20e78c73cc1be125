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

/// Phrases of the long benchmark documents.
const BENCH_PHRASES: &[&str] = &[
    "坚持以人民为中心的发展思想",
    "严格落实政府信息公开条例",
    "按照谁起草谁解读的原则",
    "切实提高群众满意度",
    "推动政务公开标准化规范化",
    "依法保护个人信息",
    "办理时限压缩至五个工作日",
    "实行一窗通办和容缺受理",
    "定期开展监督检查",
    "确保各项措施落地见效",
];

/// About `pages` pages of 22 × 28 characters.
pub fn text_of(pages: usize, seed: usize) -> Vec<String> {
    text_from(BENCH_PHRASES, "各单位要", pages, seed)
}

/// Plain-language phrases of the benchmark interpretation (none copied from the policy text).
const EXPLAIN_PHRASES: &[&str] = &[
    "群众办事少跑腿",
    "材料能减就减",
    "网上能办的不再到窗口",
    "办理进度可以随时查询",
    "有问题可以打咨询电话",
    "外地来淄人员同样适用",
    "逾期未办结的可以投诉",
    "老年人可以请家属代办",
    "窗口午间不休息",
    "周末也有专人值班",
];

/// About `pages` pages of paragraphs joining `phrases` after `lead`, with 一、 headings.
fn text_from(phrases: &[&str], lead: &str, pages: usize, seed: usize) -> Vec<String> {
    let mut out = Vec::new();
    let (mut chars, mut n) = (0, seed);
    let mut h = 0;
    while chars < pages * 22 * 28 * 106 / 100 {
        if out.len() % 6 == 0 {
            h += 1;
            out.push(format!(
                "{}、{}",
                gongkai_core::body::format_cn_number(h),
                phrases[n % phrases.len()]
            ));
        }
        let p: Vec<&str> = (0..6)
            .map(|k| phrases[(n + k * 3) % phrases.len()])
            .collect();
        let para = format!("{lead}{}。", p.join("，"));
        chars += para.chars().count() + 28;
        out.push(para);
        n += 7;
    }
    out
}

/// The median of some timings.
pub fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// Runs `f` once to warm up, then `runs` times; the median in milliseconds and the last result.
pub fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut last = f();
    let mut ms = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = std::time::Instant::now();
        last = f();
        ms.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    (median(ms), last)
}

/// A 10-page interpretation package (text and Q&A) for the benchmarks.
pub fn long_package() -> gongkai_core::Package {
    use gongkai_core::{InterpForm, Package, QaItem, Section, SectionKey};
    let long =
        |pages: usize, seed: usize| text_from(EXPLAIN_PHRASES, "简单说，", pages, seed).join("\n");
    let section = |key, pages, seed| Section {
        key,
        text: long(pages, seed),
    };
    Package {
        interpreter_unit: "zazd".into(),
        interpreter: "王晓明".into(),
        contact: "0533-2134139".into(),
        forms: vec![InterpForm::Text, InterpForm::Qa],
        sections: vec![
            section(SectionKey::Background, 2, 1),
            section(SectionKey::Basis, 1, 2),
            section(SectionKey::MainContent, 3, 3),
            section(SectionKey::CoreConcepts, 1, 6),
            section(SectionKey::Scope, 1, 4),
            section(SectionKey::Standards, 1, 5),
        ],
        qa: (1..=20)
            .map(|i| QaItem {
                question: format!("第{i}个问题：租房能落户吗？"),
                answer: "能，租赁住房经登记备案、居住满一年并交满六个月社保即可申请。".into(),
                clause: format!("第{i}条"),
            })
            .collect(),
        ..Default::default()
    }
}

/// Today in Beijing (the API's local date).
pub fn today() -> String {
    (chrono::Utc::now() + chrono::Duration::hours(8))
        .date_naive()
        .to_string()
}

/// A 30-page policy document with a 10-page interpretation, taken through every step up to
/// 已签发 through the API (the benchmarks and the crash test of the bundle export).
pub fn signed_doc(api: &gongkai_api::Api, n: usize) -> Result<String, gongkai_api::ApiError> {
    use gongkai_api::*;
    use gongkai_core::{
        Attribute, Channel, Disclosure, DocFields, DocType, Opinion, Reach, SecrecyConclusion,
        SecrecyReview, Stage,
    };
    let mut body = text_of(30, n);
    body.push("来信群众张伟（手机13812345678）反映的问题已经解决。".into());
    let fields = DocFields {
        doc_type: DocType::Normative,
        issuing_authority: "淄博市公安局".into(),
        doc_number: format!("淄公发〔2026〕{}号", n + 1),
        title: format!("淄博市公安局关于进一步规范旅馆业治安管理信息登记工作的通知（{n}）"),
        main_recipients: "各区县公安分局，市局各部门".into(),
        body,
        ..Default::default()
    };
    let doc = api
        .doc_create(CreateDocRequest {
            fields: Some(fields),
        })?
        .summary
        .doc_id
        .to_string();
    let to = |stage| {
        api.workflow_transition(TransitionRequest {
            doc_id: doc.clone(),
            to: stage,
            reason: String::new(),
        })
    };
    api.disclosure_set(DisclosureSetRequest {
        doc_id: doc.clone(),
        disclosure: Disclosure {
            attribute: Attribute::Active,
            grounds: vec![],
            reason: String::new(),
            ground_detail: String::new(),
            channels: vec![Channel::Website],
            catalog_item: Some("C06".into()),
            reach: Reach {
                affects_public: true,
                ..Default::default()
            },
        },
    })?;
    to(Stage::AttributeSet)?;
    api.package_save(PackageSaveRequest {
        doc_id: doc.clone(),
        base_rev_id: None,
        package: long_package(),
    })?;
    to(Stage::InterpretationSynced)?;
    let review = api.deid_review(DocRef {
        doc_id: doc.clone(),
    })?;
    api.deid_decide(DeidDecideRequest {
        doc_id: doc.clone(),
        rev_id: review.rev_id.clone(),
        finding_ids: review.findings.iter().map(|f| f.id.clone()).collect(),
        decision: Decision::Accepted,
        replacement: None,
    })?;
    api.deid_apply(DocRef {
        doc_id: doc.clone(),
    })?;
    to(Stage::Deidentified)?;
    let o = |name: &str| Opinion {
        name: name.into(),
        opinion: "同意".into(),
        date: today(),
    };
    api.secrecy_record(SecrecyRecordRequest {
        doc_id: doc.clone(),
        review: SecrecyReview {
            section: o("张科长"),
            secrecy_office: o("李保密员"),
            conclusion: SecrecyConclusion::Approve,
            leader: o("刘副局长"),
            checklist: [true; 6],
        },
    })?;
    to(Stage::SecrecyCleared)?;
    to(Stage::InReview)?;
    api.signoff_record(SignoffRequest {
        doc_id: doc.clone(),
        signer: "刘副局长".into(),
        signed_on: today(),
        opinion: "同意印发".into(),
    })?;
    Ok(doc)
}
