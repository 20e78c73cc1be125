//! Removable media between the PCs of one unit: PC B never reaches the hub. Its recipient goes
//! to PC A on a transfer bag; A's next bag carries the office's key list, the unit key wrapped
//! for B and A's sealed drafts, and B reads them. Importing twice changes nothing; a bag that
//! skips numbers is refused with the missing ones; a tampered bag is refused by this reader and
//! by `bagit.py --validate`; B's own edits travel back the same way. No byte of any bag holds
//! the draft's personal data in clear.
//!
//! A unit with no hub at all: its bundle reaches the office on the unit PC's bag, and the
//! office's bag for the unit brings back the key list, a newer reference table and the receipt
//! that moves the document. Each bag is checked by `bagit.py`; a bag for another unit, a bag
//! signed by a key the office does not trust and a tampered bag are refused.

mod common;
#[path = "../../../tests/support/sync_world.rs"]
mod world;

use gongkai_api::*;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use world::{point, sync, World, PW};

fn export(pc: &Api, path: PathBuf) -> MediaExported {
    pc.sync_export_media(MediaExportRequest {
        password: PW.into(),
        path: path.display().to_string(),
        all: false,
        unit: None,
    })
    .unwrap()
}

fn office_export(office: &Api, unit: &str, path: PathBuf) -> ApiResult<MediaExported> {
    office.sync_export_media(MediaExportRequest {
        password: PW.into(),
        path: path.display().to_string(),
        all: false,
        unit: Some(unit.into()),
    })
}

fn import(pc: &Api, path: &Path) -> ApiResult<MediaImported> {
    pc.sync_import_media(MediaImportRequest {
        password: PW.into(),
        path: path.display().to_string(),
    })
}

fn body(pc: &Api, doc: &str) -> Vec<String> {
    pc.doc_get(DocRef { doc_id: doc.into() })
        .unwrap()
        .fields
        .body
}

fn edit(pc: &Api, doc: &str, line: &str) {
    let v = pc.doc_get(DocRef { doc_id: doc.into() }).unwrap();
    let mut f = v.fields;
    f.body.push(line.into());
    pc.doc_save(SaveRequest {
        doc_id: doc.into(),
        base_rev_id: v.head.rev_id.to_string(),
        fields: f,
    })
    .unwrap();
}

/// Unzips a bag into `dir` and runs `bagit.py --validate` on it.
fn bagit_validates(zip_path: &Path, dir: &Path) -> bool {
    let mut z = zip::ZipArchive::new(std::fs::File::open(zip_path).unwrap()).unwrap();
    let mut root = None;
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let name = f.name().to_string();
        root.get_or_insert_with(|| name.split('/').next().unwrap().to_string());
        let out = dir.join(&name);
        std::fs::create_dir_all(out.parent().unwrap()).unwrap();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        std::fs::write(out, bytes).unwrap();
    }
    Command::new("bagit.py")
        .arg("--validate")
        .arg(dir.join(root.unwrap()))
        .output()
        .expect("bagit.py (pip install bagit)")
        .status
        .success()
}

/// The bag with one byte of its messages changed (the zip rewritten around it).
fn tampered(src: &Path, dst: &Path) {
    let mut z = zip::ZipArchive::new(std::fs::File::open(src).unwrap()).unwrap();
    let mut w = zip::ZipWriter::new(std::fs::File::create(dst).unwrap());
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let name = f.name().to_string();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        if name.ends_with("data/messages.jsonl") {
            let at = bytes.len() / 2;
            bytes[at] ^= 0x01;
        }
        w.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(&bytes).unwrap();
    }
    w.finish().unwrap();
}

#[test]
fn an_air_gapped_pc_gets_the_key_and_the_drafts_on_a_transfer_bag() {
    let mut w = World::new();
    let (a, _, _) = w.pc("zazd", "王晓明");
    let (b, _, _) = w.pc("zazd", "李娜");
    let hub_dir = w.hub_dir();
    let out = w.out.clone();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let db = format!("sqlite://{}", hub_dir.join("hub.db").display());
    let hub = rt.block_on(async {
        let store = gongkai_hub::open_store(&db).await.unwrap();
        let state =
            gongkai_hub::HubState::new(store, &w.office_pub, Arc::new(gongkai_hub::WallClock))
                .unwrap();
        gongkai_hub::start("127.0.0.1:0".parse().unwrap(), state)
            .await
            .unwrap()
    });
    let url = format!("http://{}", hub.addr);
    point(&w.office, &url);
    point(&a, &url);
    sync(&w.office);
    let secret = "申请人张卫国，身份证号110101199003071234";
    let doc = a
        .doc_create(CreateDocRequest {
            fields: Some(gongkai_core::DocFields {
                title: "关于介质传输的通知".into(),
                body: vec!["一、总则".into(), secret.into()],
                ..Default::default()
            }),
        })
        .unwrap()
        .summary
        .doc_id
        .to_string();
    sync(&a);

    // B has no key list yet: nothing to verify A's bag with until it brings one.
    let b1 = export(&b, out.join("b1.zip"));
    assert!(
        b1.ranges.iter().any(|r| r.ends_with("/keys=1-1")),
        "{:?}",
        b1.ranges
    );
    let got = import(&a, &out.join("b1.zip")).unwrap();
    assert_eq!(got.changes, 1);
    let a1 = export(&a, out.join("a1.zip"));
    assert!(
        a1.changes >= 3,
        "recipient, unit keys, the revision: {a1:?}"
    );
    let got = import(&b, &out.join("a1.zip")).unwrap();
    assert_eq!(got.applied_revisions, 1, "{got:?}");
    assert_eq!(got.waiting, 0);
    assert_eq!(
        body(&b, &doc),
        vec!["一、总则".to_string(), secret.to_string()]
    );
    // Twice is harmless.
    let again = import(&b, &out.join("a1.zip")).unwrap();
    assert_eq!(again.applied_revisions, 0);
    assert_eq!(
        b.doc_revisions(DocRef {
            doc_id: doc.clone()
        })
        .unwrap()
        .len(),
        1
    );
    // The bags are valid BagIt and hold no personal data in clear.
    assert!(bagit_validates(&out.join("a1.zip"), &out.join("a1")));
    for name in ["a1.zip", "b1.zip"] {
        let bytes = std::fs::read(out.join(name)).unwrap();
        assert!(!String::from_utf8_lossy(&bytes).contains("110101199003071234"));
    }
    // A bag that skips numbers is refused, naming them; in order it goes in.
    edit(&a, &doc, "二、第二次修改");
    export(&a, out.join("a2.zip"));
    edit(&a, &doc, "三、第三次修改");
    let a3 = export(&a, out.join("a3.zip"));
    let e = import(&b, &out.join("a3.zip")).unwrap_err();
    assert_eq!(e.code, ErrorCode::BadFile);
    assert!(e.message.contains("缺少第"), "{}", e.message);
    assert!(a3.ranges.iter().any(|r| r.contains("/main=")));
    import(&b, &out.join("a2.zip")).unwrap();
    import(&b, &out.join("a3.zip")).unwrap();
    assert_eq!(body(&b, &doc).last().unwrap(), "三、第三次修改");
    // A tampered bag: refused here and by bagit.py.
    tampered(&out.join("a3.zip"), &out.join("a3-bad.zip"));
    let e = import(&b, &out.join("a3-bad.zip")).unwrap_err();
    assert_eq!(e.code, ErrorCode::BadFile);
    assert!(!bagit_validates(
        &out.join("a3-bad.zip"),
        &out.join("a3-bad")
    ));
    // B's own edit travels back.
    edit(&b, &doc, "四、隔离电脑上的修改");
    export(&b, out.join("b2.zip"));
    let got = import(&a, &out.join("b2.zip")).unwrap();
    assert_eq!(got.applied_revisions, 1, "{got:?}");
    assert_eq!(body(&a, &doc).last().unwrap(), "四、隔离电脑上的修改");
    assert!(a.sync_conflicts().unwrap().is_empty());
    // Another unit's PC cannot read the bag.
    let (c, _, _) = w.pc("jjzd", "陈刚");
    point(&c, &url);
    sync(&w.office);
    sync(&c);
    let e = import(&c, &out.join("a1.zip")).unwrap_err();
    assert_eq!(e.code, ErrorCode::BadFile);
    rt.block_on(hub.stop()).unwrap();
}

#[test]
fn a_unit_without_any_hub_reaches_the_office_and_back_on_transfer_bags() {
    let mut w = World::new();
    let (u, _, _) = w.pc("zazd", "王晓明");
    let (other, _, _) = w.pc("jjzd", "陈刚");
    let out = w.out.clone();
    let office = &w.office;
    let holidays = |api: &Api| {
        api.status()
            .seeds
            .into_iter()
            .find(|s| s.name == "holidays")
            .unwrap()
            .version
    };
    // The office loads next year's holidays; nothing links it to the unit but media.
    let shipped = holidays(office);
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../seeds/holidays.json");
    let mut data: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(seeds).unwrap()).unwrap();
    data["years"]["2027"] = serde_json::json!({"holidays": ["2027-01-01"], "workdays": []});
    let file = out.join("holidays-2027.json");
    std::fs::write(
        &file,
        serde_json::json!({"name": "holidays", "version": shipped + 1, "data": data}).to_string(),
    )
    .unwrap();
    office
        .reference_import(FileRequest {
            path: file.display().to_string(),
        })
        .unwrap();

    // Office → unit: key list and reference data.
    let o1 = office_export(office, "zazd", out.join("o1.zip")).unwrap();
    assert!(o1.reference >= 1);
    assert_eq!(o1.receipts, 0);
    assert!(bagit_validates(&out.join("o1.zip"), &out.join("o1")));
    let got = import(&u, &out.join("o1.zip")).unwrap();
    assert_eq!(got.reference, 1, "only the newer holiday table: {got:?}");
    assert_eq!(holidays(&u), shipped + 1);
    assert_eq!(import(&u, &out.join("o1.zip")).unwrap().reference, 0);
    // A bag for another unit is refused here.
    office_export(office, "jjzd", out.join("o-other.zip")).unwrap();
    let e = import(&u, &out.join("o-other.zip")).unwrap_err();
    assert_eq!(e.code, ErrorCode::BadFile);
    assert!(e.message.contains("其他单位"), "{}", e.message);
    // A unit code the office does not know is refused.
    let e = office_export(office, "nosuch", out.join("x.zip")).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);

    // Unit → office: the bundle travels in the unit PC's bag.
    let (doc, _) = common::in_review_document(&u);
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    u.signoff_record(SignoffRequest {
        doc_id: doc.clone(),
        signer: "刘副局长".into(),
        signed_on: today.to_string(),
        opinion: "同意印发".into(),
    })
    .unwrap();
    let exported = u
        .bundle_export(BundleExportRequest {
            doc_id: doc.clone(),
            password: PW.into(),
            path: out.join("bundle.zip").display().to_string(),
        })
        .unwrap();
    let u1 = export(&u, out.join("u1.zip"));
    assert_eq!(u1.submissions, 1, "{u1:?}");
    assert!(bagit_validates(&out.join("u1.zip"), &out.join("u1")));
    let bytes = std::fs::read(out.join("u1.zip")).unwrap();
    assert!(
        !contains(&bytes, "13812345678"),
        "the original never leaves the unit"
    );
    let got = import(office, &out.join("u1.zip")).unwrap();
    assert_eq!(got.received, 1, "{got:?}");
    assert_eq!(import(office, &out.join("u1.zip")).unwrap().received, 0);
    let intake = office.intake_list().unwrap();
    assert_eq!(intake.len(), 1);
    assert_eq!(intake[0].submission_id, exported.submission.submission_id);
    // A bag signed by a key the office never activated is refused.
    let stranger = tempfile::tempdir().unwrap();
    let s = world::install(stranger.path(), "zazd", "冒名者", Role::Unit);
    s.keys_generate(KeyGenerateRequest {
        password: PW.into(),
        algorithm: String::new(),
    })
    .unwrap();
    s.office_key_pin(OfficeKeyRequest {
        public_key: w.office_pub.clone(),
    })
    .unwrap();
    s.sync_export_media(MediaExportRequest {
        password: PW.into(),
        path: out.join("forged.zip").display().to_string(),
        all: true,
        unit: None,
    })
    .unwrap();
    let e = import(office, &out.join("forged.zip")).unwrap_err();
    assert_eq!(e.code, ErrorCode::BadFile);
    assert!(e.message.contains("已启用的单位密钥"), "{}", e.message);
    // The office's bag is not a unit's to read at the office.
    let e = import(office, &out.join("o1.zip")).unwrap_err();
    assert_eq!(e.code, ErrorCode::BadFile);

    // The decision comes back on the office's next bag for the unit and moves the document.
    office
        .intake_decide(DecideRequest {
            submission_id: intake[0].submission_id.clone(),
            decision: "accepted".into(),
            reasons: vec![],
            published_on: String::new(),
            url: String::new(),
            password: PW.into(),
            path: out.join("receipt.json").display().to_string(),
        })
        .unwrap();
    let o2 = office_export(office, "zazd", out.join("o2.zip")).unwrap();
    assert_eq!(o2.receipts, 1);
    assert!(bagit_validates(&out.join("o2.zip"), &out.join("o2")));
    tampered_file(&out.join("o2.zip"), &out.join("o2-bad.zip"), "receipts/");
    let e = import(&u, &out.join("o2-bad.zip")).unwrap_err();
    assert_eq!(e.code, ErrorCode::BadFile);
    assert_eq!(
        u.workflow_status(DocRef {
            doc_id: doc.clone()
        })
        .unwrap()
        .stage,
        gongkai_core::Stage::Packaged,
        "a refused bag moves nothing"
    );
    let got = import(&u, &out.join("o2.zip")).unwrap();
    assert_eq!(got.receipts, 1, "{got:?}");
    assert_eq!(
        u.workflow_status(DocRef {
            doc_id: doc.clone()
        })
        .unwrap()
        .stage,
        gongkai_core::Stage::Accepted
    );
    assert_eq!(import(&u, &out.join("o2.zip")).unwrap().receipts, 0);
    // The other unit's PC takes its own bag, which holds none of zazd's receipts.
    let o3 = office_export(office, "jjzd", out.join("o3.zip")).unwrap();
    assert_eq!(o3.receipts, 0);
    assert_eq!(import(&other, &out.join("o3.zip")).unwrap().receipts, 0);
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// The bag with one byte of a file under `data/<prefix>` changed.
fn tampered_file(src: &Path, dst: &Path, prefix: &str) {
    let mut z = zip::ZipArchive::new(std::fs::File::open(src).unwrap()).unwrap();
    let mut w = zip::ZipWriter::new(std::fs::File::create(dst).unwrap());
    let mut done = false;
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let name = f.name().to_string();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        if !done && name.contains(&format!("data/{prefix}")) {
            let at = bytes.len() / 2;
            bytes[at] ^= 0x01;
            done = true;
        }
        w.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(&bytes).unwrap();
    }
    assert!(done, "nothing under data/{prefix}");
    w.finish().unwrap();
}

/// 转办 with no hub at all: the unit PC's bag teaches the office the PC's recipient; the
/// office's bag carries the application (sealed for that PC) and later its decision; the unit's
/// bag carries the draft reply and the year figures. The same bag twice, or an older one after
/// a newer one, changes nothing.
#[test]
fn an_application_passed_on_by_bag_comes_back_by_bag() {
    let mut w = World::new();
    let (a, _, _) = w.pc("zazd", "王晓明");
    let dir = w.hub_dir();
    let bag = |name: &str| dir.join(name);

    // Before the office knows any PC of the unit, the 转办 waits (and says so).
    let r = w
        .office
        .request_new(RequestNewRequest {
            received: "2026-11-02".into(),
            channel: "当面".into(),
            applicant_type: "自然人".into(),
            applicant_name: "张建国".into(),
            applicant_contact: "13912345678".into(),
            content: "申请公开辖区娱乐场所治安检查的次数".into(),
            unit: Some("zazd".into()),
        })
        .unwrap();
    let early = office_export(&w.office, "zazd", bag("o0.zip")).unwrap();
    assert_eq!((early.notes, early.notes_waiting), (0, 1));

    // The unit's bag: the office learns the PC's recipient from it.
    export(&a, bag("u1.zip"));
    import(&w.office, &bag("u1.zip")).unwrap();
    let out = office_export(&w.office, "zazd", bag("o1.zip")).unwrap();
    assert_eq!((out.notes, out.notes_waiting), (1, 0));
    let raw = std::fs::read(bag("o1.zip")).unwrap();
    for secret in ["娱乐场所", "张建国", "13912345678"] {
        assert!(
            !raw.windows(secret.len()).any(|x| x == secret.as_bytes()),
            "{secret} in clear in the office's bag"
        );
    }
    let got = import(&a, &bag("o1.zip")).unwrap();
    assert_eq!(got.register, 1, "{got:?}");
    let at_unit = a
        .request_get(DocRef {
            doc_id: r.request_id.clone(),
        })
        .unwrap();
    assert_eq!(
        (at_unit.origin.as_str(), at_unit.content.as_str()),
        ("office", "申请公开辖区娱乐场所治安检查的次数")
    );
    assert_eq!(import(&a, &bag("o1.zip")).unwrap().register, 0);

    // The draft and the figures go back on the unit's next bag.
    a.request_change(RequestChangeRequest {
        request_id: r.request_id.clone(),
        action: "draft".into(),
        outcome: "1".into(),
        reason: "检查次数已统计".into(),
        ..Default::default()
    })
    .unwrap();
    a.report_figures_queue(AnnualRequest { year: 2026 })
        .unwrap();
    let u2 = export(&a, bag("u2.zip"));
    assert_eq!(u2.notes, 2);
    let took = import(&w.office, &bag("u2.zip")).unwrap();
    assert_eq!(took.register, 2, "{took:?}");
    assert!(took.problems.is_empty(), "{took:?}");
    let office_view = w
        .office
        .request_get(DocRef {
            doc_id: r.request_id.clone(),
        })
        .unwrap();
    assert_eq!(office_view.draft.unwrap().note, "检查次数已统计");
    let figures = w
        .office
        .report_figures_collection(AnnualRequest { year: 2026 })
        .unwrap();
    assert!(!figures.missing.contains(&"治安支队".to_string()));

    // The office pauses the clock, then replies with the draft: two bags, read newest first.
    w.office
        .request_change(RequestChangeRequest {
            request_id: r.request_id.clone(),
            action: "pause".into(),
            date: "2026-11-05".into(),
            to: "2026-11-09".into(),
            reason: "第三方".into(),
            ..Default::default()
        })
        .unwrap();
    office_export(&w.office, "zazd", bag("o2.zip")).unwrap();
    w.office
        .request_change(RequestChangeRequest {
            request_id: r.request_id.clone(),
            action: "accept".into(),
            ..Default::default()
        })
        .unwrap();
    let o3 = office_export(&w.office, "zazd", bag("o3.zip")).unwrap();
    assert_eq!(o3.notes, 1);
    assert_eq!(import(&a, &bag("o3.zip")).unwrap().register, 1);
    let replied = a
        .request_get(DocRef {
            doc_id: r.request_id.clone(),
        })
        .unwrap();
    assert_eq!(replied.status, "replied");
    assert_eq!(
        replied.pauses.len(),
        1,
        "the newest record carries the pause too"
    );
    // The older bag arrives late: it does not undo the reply.
    assert_eq!(import(&a, &bag("o2.zip")).unwrap().register, 0);
    let still = a
        .request_get(DocRef {
            doc_id: r.request_id.clone(),
        })
        .unwrap();
    assert_eq!(still.status, "replied");
}
