//! Shared by the API tests: a clock and id source per day, a normative document with personal
//! information, its disclosure, package and secrecy review, and the path up to 已签发.
#![allow(dead_code)]

use chrono::{Duration, TimeZone, Utc};
use gongkai_api::*;
use gongkai_core::{
    Attribute, Channel, Disclosure, DocFields, DocType, FixedClock, InterpForm, Opinion, Package,
    QaItem, Reach, SecrecyConclusion, SecrecyReview, Section, SectionKey, SeqIds, Stage,
};
use std::path::Path;
use std::sync::Arc;

pub fn open_at(dir: &Path, y: i32, m: u32, d: u32) -> Api {
    // 02:00 UTC is 10:00 in Beijing: the local date is the same day.
    let clock = FixedClock::new(
        Utc.with_ymd_and_hms(y, m, d, 2, 0, 0).unwrap(),
        Duration::seconds(1),
    );
    Api::open_with(
        dir,
        Arc::new(clock),
        Arc::new(SeqIds::starting_at(d as u64 * 1000)),
    )
}

pub fn ready(dir: &Path) -> Api {
    ready_at(dir, 2026, 11, 23)
}

/// 治安支队's PC, set up, with its clock on this day.
pub fn ready_at(dir: &Path, y: i32, m: u32, d: u32) -> Api {
    let api = open_at(dir, y, m, d);
    api.setup(SetupRequest {
        unit_id: "zazd".into(),
        clerk_name: "王晓明".into(),
        role: Default::default(),
    })
    .unwrap();
    api
}

pub fn fields() -> DocFields {
    DocFields {
        doc_type: DocType::Normative,
        title: "关于优化户籍迁移登记服务的通知".into(),
        doc_number: "淄公发〔2026〕12号".into(),
        body: vec![
            "为方便群众办理户籍迁移，现就有关事项通知如下。".into(),
            "一、放宽投靠落户条件".into(),
            "在城区合法稳定居住满一年并缴纳社会保险满六个月的人员可以申请登记常住户口。".into(),
            "二、联系方式".into(),
            "群众来信反映的张伟同志（手机13812345678）的意见已采纳。".into(),
        ],
        ..Default::default()
    }
}

pub fn partial() -> Disclosure {
    Disclosure {
        attribute: Attribute::Partial,
        grounds: vec!["partial:art15-personal-privacy".into()],
        reason: "正文中来信群众的姓名和手机号码属于个人隐私，去标识化后公开".into(),
        ground_detail: String::new(),
        channels: vec![Channel::Website, Channel::NewMedia],
        catalog_item: Some("C06".into()),
        reach: Reach {
            affects_public: true,
            ..Default::default()
        },
    }
}

pub fn package() -> Package {
    let s = |key, text: &str| Section {
        key,
        text: text.into(),
    };
    Package {
        interpreter_unit: "zazd".into(),
        interpreter: "王晓明".into(),
        contact: "0533-2134139".into(),
        first_interpreter: String::new(),
        forms: vec![InterpForm::Text, InterpForm::Qa],
        sections: vec![
            s(
                SectionKey::Background,
                "不少来淄就业的群众反映落户手续多，为让群众少跑腿制定本通知。",
            ),
            s(SectionKey::Basis, "依据《户口登记条例》和省里的改革部署。"),
            s(
                SectionKey::MainContent,
                "落户门槛降低：住满一年、社保交满半年就能申请。",
            ),
            s(
                SectionKey::CoreConcepts,
                "合法稳定居住，指有自有住房或登记备案的租赁住房。",
            ),
            s(SectionKey::Scope, "在城区居住工作的外地来淄人员及其家属。"),
            s(
                SectionKey::Standards,
                "派出所五个工作日内办结，不得要求重复提交材料。",
            ),
        ],
        qa: vec![QaItem {
            question: "租房能落户吗？".into(),
            answer: "能，租赁住房登记备案后即可。".into(),
            clause: "第一条".into(),
        }],
        ..Default::default()
    }
}

pub fn secrecy() -> SecrecyReview {
    let o = |n: &str| Opinion {
        name: n.into(),
        opinion: "同意".into(),
        date: "2026-11-23".into(),
    };
    SecrecyReview {
        section: o("张科长"),
        secrecy_office: o("李保密员"),
        conclusion: SecrecyConclusion::ApproveRedacted,
        leader: o("刘副局长"),
        checklist: [true; 6],
    }
}

pub fn to(api: &Api, doc: &str, stage: Stage, reason: &str) -> ApiResult<WorkflowView> {
    api.workflow_transition(TransitionRequest {
        doc_id: doc.into(),
        to: stage,
        reason: reason.into(),
    })
}

pub fn dr(doc: &str) -> DocRef {
    DocRef { doc_id: doc.into() }
}

pub fn codes(gates: &[gongkai_core::Gate]) -> Vec<&str> {
    gates.iter().map(|g| g.code.as_str()).collect()
}

/// Runs the main path up to 审签中; returns the document id and its package revision id.
pub fn in_review_document(api: &Api) -> (String, String) {
    in_review_with(api, fields(), |_, _| {})
}

/// Runs the main path up to 审签中 for a document with these fields; `review` may mark spans the
/// scanner missed (as the clerk would) before every finding is accepted.
pub fn in_review_with(
    api: &Api,
    fields: DocFields,
    review: impl Fn(&Api, &DeidReview),
) -> (String, String) {
    let (doc, pkg) = cleared_with(api, fields, review);
    to(api, &doc, Stage::InReview, "").unwrap();
    (doc, pkg)
}

/// Runs the main path up to 保密审查通过 (the step before 审签中).
pub fn cleared_with(
    api: &Api,
    fields: DocFields,
    review: impl Fn(&Api, &DeidReview),
) -> (String, String) {
    let doc = api
        .doc_create(CreateDocRequest {
            fields: Some(fields),
        })
        .unwrap()
        .summary
        .doc_id
        .to_string();
    api.disclosure_set(DisclosureSetRequest {
        doc_id: doc.clone(),
        disclosure: partial(),
    })
    .unwrap();
    to(api, &doc, Stage::AttributeSet, "").unwrap();
    let p = api
        .package_save(PackageSaveRequest {
            doc_id: doc.clone(),
            base_rev_id: None,
            package: package(),
        })
        .unwrap();
    to(api, &doc, Stage::InterpretationSynced, "").unwrap();
    let first = api.deid_review(dr(&doc)).unwrap();
    review(api, &first);
    let review = api.deid_review(dr(&doc)).unwrap();
    api.deid_decide(DeidDecideRequest {
        doc_id: doc.clone(),
        rev_id: review.rev_id.clone(),
        finding_ids: review
            .findings
            .iter()
            .filter(|f| f.decision == Decision::Pending)
            .map(|f| f.id.clone())
            .collect(),
        decision: Decision::Accepted,
        replacement: None,
    })
    .unwrap();
    api.deid_apply(dr(&doc)).unwrap();
    to(api, &doc, Stage::Deidentified, "").unwrap();
    api.secrecy_record(SecrecyRecordRequest {
        doc_id: doc.clone(),
        review: secrecy(),
    })
    .unwrap();
    to(api, &doc, Stage::SecrecyCleared, "").unwrap();
    (doc, p.head.unwrap().rev_id)
}

pub fn sign(api: &Api, doc: &str) -> ApiResult<WorkflowView> {
    api.signoff_record(SignoffRequest {
        doc_id: doc.into(),
        signer: "刘副局长".into(),
        signed_on: "2026-11-23".into(),
        opinion: "同意印发".into(),
    })
}

/// Runs the main path up to 已签发 and returns the document id.
pub fn signed_document(api: &Api) -> String {
    let (doc, _) = in_review_document(api);
    sign(api, &doc).unwrap();
    doc
}

/// Sets up a central-office installation.
pub fn office_at(dir: &Path, y: i32, m: u32, d: u32) -> Api {
    let api = open_at(dir, y, m, d);
    api.setup(SetupRequest {
        unit_id: "zhzx-wsgaban".into(),
        clerk_name: "赵审核".into(),
        role: Role::Office,
    })
    .unwrap();
    api
}
