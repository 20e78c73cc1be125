//! A realistic document for the form tests and the benchmark: a 规范性文件 of the 治安支队 with
//! its interpretation package, a 部分公开 decision on the real ground from the seeded regulation,
//! a recorded confidentiality review and de-identification counts. Also two key enrolments of
//! the same unit, one minisign (Ed25519) key and one SM2 key with its PEM.

#![allow(dead_code)]

use chrono::{NaiveDate, TimeZone, Utc};
use gongkai_core::{
    Attribute, Channel, DocFields, DocType, Graphic, InterpForm, LawBook, Opinion, Package, QaItem,
    Reach, SecrecyConclusion, SecrecyReview, Section, SectionKey, Urgency,
};
use gongkai_forms::{Disclosure, FormData, KeyEnrolmentData, LegalGround};

pub const TITLE: &str = "淄博市公安局关于进一步规范旅馆业治安管理信息登记工作的通知";
pub const DOC_NUMBER: &str = "淄公发〔2026〕12号";
pub const REASON: &str = "附件2《旅馆业从业人员培训名单》载有从业人员的姓名、公民身份号码和手机号码，属于个人隐私，公开会对其合法权益造成损害；该部分作去标识化处理后公开，其余内容全文公开。";

pub fn law() -> LawBook {
    LawBook::from_json(
        include_str!("../../../../seeds/disclosure-law.json"),
        include_str!("../../../../seeds/disclosure-catalog.json"),
    )
    .expect("seeded law")
}

pub fn fields() -> DocFields {
    DocFields {
        doc_type: DocType::Normative,
        issuing_authority: "淄博市公安局".into(),
        doc_number: DOC_NUMBER.into(),
        title: TITLE.into(),
        main_recipients: "各区县公安（分）局，高新区、经济开发区、文昌湖区公安分局，市局各部门".into(),
        cc: "市司法局，市文化和旅游局".into(),
        classification: None,
        urgency: Some(Urgency::Urgent),
        date_written: NaiveDate::from_ymd_opt(2026, 3, 4),
        signers: vec![],
        attachments: vec![
            "旅馆业治安管理信息登记规范".into(),
            "旅馆业从业人员培训名单".into(),
        ],
        notes: "（此件公开发布）".into(),
        body: vec![
            "为进一步规范全市旅馆业治安管理信息登记工作，根据《旅馆业治安管理办法》等规定，结合我市实际，现就有关事项通知如下。".into(),
            "一、登记范围".into(),
            "全市范围内取得特种行业许可证的旅馆、民宿等住宿经营单位。".into(),
        ],
        ..Default::default()
    }
}

pub fn package() -> Package {
    let s = |key, text: &str| Section {
        key,
        text: text.into(),
    };
    Package {
        title: String::new(),
        interpreter_unit: "zazd".into(),
        interpreter: "李娜".into(),
        contact: "0533-3185678".into(),
        first_interpreter: "张建国".into(),
        forms: vec![InterpForm::Text, InterpForm::Graphic, InterpForm::Qa],
        sections: vec![
            s(SectionKey::Background, "近年来，部分住宿经营单位存在入住登记不全、信息上传不及时等问题，给治安管理带来隐患。为堵塞漏洞、便利群众，制定本通知。"),
            s(SectionKey::Basis, "《旅馆业治安管理办法》《山东省旅馆业治安管理办法》等。"),
            s(SectionKey::MainContent, "通知明确了登记范围、登记内容、上传时限和监督检查四方面要求，住宿人员信息应在入住后2小时内上传。"),
            s(SectionKey::CoreConcepts, "“住宿经营单位”包括旅馆、宾馆、酒店、民宿、网约房等向社会提供住宿服务的单位。"),
            s(SectionKey::Changes, "与原规定相比，上传时限由24小时缩短为2小时，并将网约房纳入登记范围。"),
            s(SectionKey::Scope, "全市各类住宿经营单位及其从业人员。"),
            s(SectionKey::Standards, "未按规定登记或上传的，由属地公安机关责令改正，依法予以处罚。"),
        ],
        qa: (1..=6)
            .map(|i| QaItem {
                question: format!("问题{i}：民宿是否也要按照通知要求登记住宿人员信息？"),
                answer: "需要。取得特种行业许可证的民宿适用本通知。".into(),
                clause: format!("第{i}条"),
            })
            .collect(),
        graphics: vec![Graphic {
            sha256: "0".repeat(64),
            file_name: "tujie.png".into(),
            media_type: "image/png".into(),
            size: 123_456,
            caption: "一图读懂旅馆业信息登记新规".into(),
        }],
        links: vec![],
    }
}

pub fn secrecy() -> SecrecyReview {
    let o = |name: &str, opinion: &str| Opinion {
        name: name.into(),
        opinion: opinion.into(),
        date: "2026-03-03".into(),
    };
    SecrecyReview {
        section: o(
            "张科长",
            "经初审，附件2涉及个人信息，已去标识化，同意区分处理后公开。",
        ),
        secrecy_office: o("王保密员", "同意区分处理后公开。"),
        conclusion: SecrecyConclusion::ApproveRedacted,
        leader: o("刘副局长", "同意。"),
        checklist: [true; 6],
    }
}

/// The realistic form data.
pub fn data() -> FormData {
    let law = law();
    let ground_id = "partial:art15-personal-privacy";
    let fields = fields();
    FormData {
        org_name: "淄博市公安局".into(),
        unit_name: "治安支队".into(),
        clerk_name: "王晓明".into(),
        contact_phone: "0533-3181234".into(),
        drafted_on: NaiveDate::from_ymd_opt(2026, 3, 2),
        printed_at: Utc.with_ymd_and_hms(2026, 3, 5, 2, 20, 0).unwrap(),
        form_no: "FW-2026-0012".into(),
        doc_id: "0195f1c2-7a10-7c3e-9b21-5d4e3f2a1b00".into(),
        rev_id: "0195f1d8-2b44-7e01-8c77-0a1b2c3d4e5f".into(),
        rev_no: 7,
        content_sha256: fields.content_hash(),
        fields,
        disclosure: Some(Disclosure {
            attribute: Attribute::Partial,
            grounds: vec![ground_id.into()],
            reason: REASON.into(),
            ground_detail: String::new(),
            channels: vec![Channel::Website, Channel::NewMedia],
            catalog_item: Some("C06".into()),
            reach: Reach {
                affects_public: true,
                replaces_policy: true,
                has_benefits: false,
            },
        }),
        ground_labels: vec![LegalGround::from(law.ground(ground_id).expect("ground"))],
        catalog_path: law
            .catalog
            .iter()
            .find(|c| c.id == "C06")
            .map(|c| c.path.clone()),
        package: Some(package()),
        package_rev_id: Some("0195f1e0-1111-7222-8333-444455556666".into()),
        package_rev_no: Some(3),
        secrecy: Some(secrecy()),
        deid_counts: Some(vec![
            ("姓名".into(), 12),
            ("公民身份号码".into(), 12),
            ("手机号码".into(), 12),
        ]),
        countersign_units: vec!["法制支队".into(), "指挥中心".into()],
        signoff: None,
    }
}

/// The same document with 30 会签 units and a long reason: the 发文稿纸 runs to three pages.
pub fn long_data() -> FormData {
    let mut d = data();
    d.countersign_units = (1..=30)
        .map(|i| format!("第{i}会签单位（某某支队）"))
        .collect();
    if let Some(disc) = d.disclosure.as_mut() {
        disc.reason = format!(
            "{}{}",
            REASON,
            "经逐项核对，附件2所列人员信息均已按照去标识化规则处理。".repeat(12)
        );
    }
    d
}

/// A minisign (Ed25519) key of the 治安支队: key id, fingerprint (SHA-256 of the 42 bytes of the
/// public key line, in 16 groups) and public key line are consistent with each other.
pub fn key_minisign() -> KeyEnrolmentData {
    KeyEnrolmentData {
        org_name: "淄博市公安局".into(),
        unit_name: "治安支队".into(),
        unit_code: "zazd".into(),
        clerk_name: "王晓明".into(),
        device_id: "0195e8a4-3c21-7d90-8f12-6b5a4c3d2e1f".into(),
        key_id: "860FD4B2715E9C3A".into(),
        algorithm_label: "Ed25519（minisign）".into(),
        fingerprint:
            "97E7 E324 1E85 70F4 2FD3 3DE9 7B8F 1386 6E75 C6B2 3614 188E 82E1 6A90 D86E 0B50".into(),
        public_key: "RWQ6nF5xstQPhgcMERYbICUqLzQ5PkNITVJXXGFma3B1en+EiY6TmJ2i".into(),
        created_at: Utc.with_ymd_and_hms(2026, 3, 4, 7, 41, 9).unwrap(),
        printed_at: Utc.with_ymd_and_hms(2026, 3, 5, 2, 20, 0).unwrap(),
        form_no: "KEY-2026-0003".into(),
    }
}

/// An SM2 key (made with `openssl genpkey -algorithm SM2`): key id = SM3 of the 65-byte point,
/// fingerprint = SHA-256 of it, public key = the PEM SubjectPublicKeyInfo on four lines.
pub fn key_sm2() -> KeyEnrolmentData {
    KeyEnrolmentData {
        key_id: "EC09D1CC35C8337A".into(),
        algorithm_label: "SM2/SM3（国密）".into(),
        fingerprint:
            "94F5 3114 57BE EA95 18C8 F84E AA4B 3D79 D456 D380 A9A2 3F62 2085 31F9 5C52 0C06".into(),
        public_key: "-----BEGIN PUBLIC KEY-----\n\
            MFkwEwYHKoZIzj0CAQYIKoEcz1UBgi0DQgAEbllL/btjrtBC4l4TgDEv/ane53Gx\n\
            Q+sKiMqn/Of61nDXD6/t3GVZJHcJDU3yNia8js0vB2b5bY/FclmyQYFLJA==\n\
            -----END PUBLIC KEY-----\n"
            .into(),
        form_no: "KEY-2026-0004".into(),
        ..key_minisign()
    }
}

/// Where the tests leave their PDFs and PNGs for a person to look at.
pub fn artefacts() -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/forms-test");
    std::fs::create_dir_all(&dir).expect("create target/forms-test");
    dir
}

/// Runs an outside tool and returns its standard output; panics with the Debian package to
/// install when it is missing, or with its error output when it fails.
pub fn tool(name: &str, args: &[&str], package: &str) -> String {
    let out = std::process::Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!("{name} is needed for this test (apt-get install {package}): {e}")
        });
    assert!(
        out.status.success(),
        "{name} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}
