//! The signed submission bundle, timed through the API on a real database file: a 30-page
//! policy document with a 10-page interpretation taken to 已签发, then `bundle_export` (the
//! de-identified policy .docx, the interpretation .docx, the three review forms, the bag, the
//! signature, the record and the file), and the office's `bundle_verify` (unzip, checksums,
//! signature, re-import and re-scan of both texts). The password unlock (scrypt, slow on
//! purpose) is timed on its own. Run by `scripts/bench.sh` (release build).
//!
//! Usage: `bench_bundle [RUNS=15]`

use anyhow::{anyhow, Result};
use gongkai_api::*;
use gongkai_core::{
    Attribute, Channel, Disclosure, DocFields, DocType, Opinion, Reach, SecrecyConclusion,
    SecrecyReview, Stage,
};
use gongkai_tests::{long_package, median, text_of};
use std::time::Instant;

const PW: &str = "bench password";

/// Today in Beijing (the API's local date).
fn today() -> String {
    (chrono::Utc::now() + chrono::Duration::hours(8))
        .date_naive()
        .to_string()
}

fn e(err: ApiError) -> anyhow::Error {
    anyhow!("{:?}: {}", err.code, err.message)
}

/// A document taken through every step up to 已签发.
fn signed_doc(api: &Api, n: usize) -> Result<String> {
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
        })
        .map_err(e)?
        .summary
        .doc_id
        .to_string();
    let to = |stage| {
        api.workflow_transition(TransitionRequest {
            doc_id: doc.clone(),
            to: stage,
            reason: String::new(),
        })
        .map_err(e)
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
    })
    .map_err(e)?;
    to(Stage::AttributeSet)?;
    api.package_save(PackageSaveRequest {
        doc_id: doc.clone(),
        base_rev_id: None,
        package: long_package(),
    })
    .map_err(e)?;
    to(Stage::InterpretationSynced)?;
    let review = api
        .deid_review(DocRef {
            doc_id: doc.clone(),
        })
        .map_err(e)?;
    api.deid_decide(DeidDecideRequest {
        doc_id: doc.clone(),
        rev_id: review.rev_id.clone(),
        finding_ids: review.findings.iter().map(|f| f.id.clone()).collect(),
        decision: Decision::Accepted,
        replacement: None,
    })
    .map_err(e)?;
    api.deid_apply(DocRef {
        doc_id: doc.clone(),
    })
    .map_err(e)?;
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
    })
    .map_err(e)?;
    to(Stage::SecrecyCleared)?;
    to(Stage::InReview)?;
    api.signoff_record(SignoffRequest {
        doc_id: doc.clone(),
        signer: "刘副局长".into(),
        signed_on: today(),
        opinion: "同意印发".into(),
    })
    .map_err(e)?;
    Ok(doc)
}

fn main() -> Result<()> {
    let runs: usize = std::env::args()
        .nth(1)
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(15);
    let root = std::env::temp_dir().join(format!("gongkai-bench-bundle-{}", std::process::id()));
    let (unit_dir, office_dir, out) = (root.join("unit"), root.join("office"), root.join("out"));
    std::fs::create_dir_all(&out)?;
    let unit = Api::open(&unit_dir);
    unit.setup(SetupRequest {
        unit_id: "zazd".into(),
        clerk_name: "王晓明".into(),
        role: Role::Unit,
    })
    .map_err(e)?;
    let office = Api::open(&office_dir);
    office
        .setup(SetupRequest {
            unit_id: "zhzx-wsgaban".into(),
            clerk_name: "赵审核".into(),
            role: Role::Office,
        })
        .map_err(e)?;
    let key = unit
        .keys_generate(KeyGenerateRequest {
            password: PW.into(),
            algorithm: String::new(),
        })
        .map_err(e)?;
    let req = unit
        .keys_enrolment_request(KeyUseRequest {
            password: PW.into(),
            path: out.join("enrol.json").display().to_string(),
        })
        .map_err(e)?;
    office
        .trust_enrol(FileRequest { path: req.path })
        .map_err(e)?;
    office
        .trust_activate(KeyActivateRequest {
            key_id: key.key_id.clone(),
            fingerprint: key.fingerprint.clone(),
        })
        .map_err(e)?;

    eprintln!("preparing {} signed documents …", runs + 1);
    let docs: Vec<String> = (0..=runs)
        .map(|n| signed_doc(&unit, n))
        .collect::<Result<_>>()?;

    // The password unlock alone (scrypt): an enrolment request is little more than that.
    let mut unlock = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        unit.keys_enrolment_request(KeyUseRequest {
            password: PW.into(),
            path: out.join("enrol-again.json").display().to_string(),
        })
        .map_err(e)?;
        unlock.push(t.elapsed().as_secs_f64() * 1000.0);
    }

    let mut export_ms = Vec::new();
    let mut files = Vec::new();
    for (i, doc) in docs.iter().enumerate() {
        let t = Instant::now();
        let b = unit
            .bundle_export(BundleExportRequest {
                doc_id: doc.clone(),
                password: PW.into(),
                path: out.join(format!("b{i}.zip")).display().to_string(),
            })
            .map_err(e)?;
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        if i > 0 {
            export_ms.push(ms);
        }
        files.push(b);
    }
    let mut verify_ms = Vec::new();
    for (i, b) in files.iter().enumerate() {
        let t = Instant::now();
        let v = office
            .bundle_verify(FileRequest {
                path: b.file.path.clone(),
            })
            .map_err(e)?;
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        if !v.accepted_for_review {
            return Err(anyhow!("verification failed: {:?}", v.reasons));
        }
        if i > 0 {
            verify_ms.push(ms);
        }
    }
    let b = &files[0];
    let sizes: Vec<String> = b
        .files
        .iter()
        .map(|f| format!("{} {} KB", f.path, f.size / 1024))
        .collect();
    println!(
        "bundle: {} KB zip ({})",
        b.file.bytes / 1024,
        sizes.join(", ")
    );
    println!(
        "password unlock (scrypt): median {:.1} ms",
        median(unlock.clone())
    );
    let export = median(export_ms);
    println!(
        "bundle export, 30-page policy + 10-page interpretation: median {export:.1} ms including the unlock, {:.1} ms without",
        export - median(unlock)
    );
    println!(
        "bundle verify (office, incl. re-scan): median {:.1} ms",
        median(verify_ms)
    );
    std::fs::remove_dir_all(&root)?;
    Ok(())
}
