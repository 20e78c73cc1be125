//! Sync through a real hub (axum on a port-0 loopback socket, its storage a temporary SQLite
//! file, or PostgreSQL when `GONGKAI_TEST_PG` is set): two PCs of one unit, a PC of another
//! unit and the office, each a real installation with its own database file, driven through
//! the API as the window and the CLI drive it.
//!
//! The story: the office publishes its key list; a draft with personal data made on PC A
//! reaches PC B only after A wraps the unit key for B, and no byte of the hub's database holds
//! the draft's text; concurrent edits are flagged 冲突 on both PCs, kept side by side, and end
//! with a merge that both PCs converge on; a bundle exported at A reaches the office's intake
//! through the hub; another unit's PC sees nothing of it; a revoked PC is refused and the unit
//! key is rotated without it.

use gongkai_api::*;
use gongkai_core::{DocFields, DocType, Stage};

mod common;
#[path = "../../../tests/support/sync_world.rs"]
mod world;
use std::path::Path;
use world::{point, sync, World, PW};
#[path = "../../../tests/support/test_hub.rs"]
mod test_hub;
use test_hub::TestHub;

fn draft(body: &[&str]) -> DocFields {
    DocFields {
        doc_type: DocType::Normative,
        title: "关于规范户籍窗口服务的通知".into(),
        doc_number: "X公发〔2026〕7号".into(),
        body: body.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    }
}

fn body_of(api: &Api, doc_id: &str) -> Vec<String> {
    api.doc_get(DocRef {
        doc_id: doc_id.into(),
    })
    .unwrap()
    .fields
    .body
}

fn all_bytes_of(dir: &Path, prefix: &str) -> Vec<u8> {
    let mut all = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.file_name().unwrap().to_string_lossy().starts_with(prefix) {
            all.extend(std::fs::read(&p).unwrap());
        }
    }
    all
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn two_pcs_of_a_unit_and_the_office_sync_through_the_hub() {
    let mut w = World::new();
    let (a, _, _) = w.pc("zazd", "王晓明");
    let (b, _, kb) = w.pc("zazd", "李娜");
    let (c, _, _) = w.pc("jjzd", "陈刚");
    let hub_dir = w.hub_dir();
    let hub = TestHub::start(
        &hub_dir,
        &w.office_pub,
        "127.0.0.1:0".parse().unwrap(),
        Some("api_sync"),
    );
    let office = &w.office;
    let out = w.out.clone();
    // Before it is configured, sync says what to do.
    let e = a
        .sync_now(SyncNowRequest {
            password: PW.into(),
        })
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::SyncNotConfigured);
    // Plain http only to this machine.
    let e = a
        .sync_config(SyncConfigRequest {
            hub: "http://10.1.2.3:8443".into(),
            ca_file: None,
        })
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert!(e.message.contains("https"), "{}", e.message);
    for pc in [office, &a, &b, &c] {
        point(pc, &hub.url);
    }
    // A PC the key list does not know yet is refused with the reason.
    let e = a
        .sync_now(SyncNowRequest {
            password: PW.into(),
        })
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::SyncRefused);
    assert!(e.message.contains("key_unknown"), "{}", e.message);
    assert_eq!(
        a.sync_status().unwrap().last_error_code.as_deref(),
        Some("SyncRefused")
    );
    let o = sync(office);
    assert!(o.key_list_version.unwrap() >= 6);

    // A draft with personal data, made on A before A ever synced.
    let secret = "申请人张卫国，身份证号110101199003071234，住址北京市东城区景山前街4号";
    let before = a.sync_status().unwrap().pending;
    let doc = a
        .doc_create(CreateDocRequest {
            fields: Some(draft(&["一、总则", secret])),
        })
        .unwrap();
    let doc_id = doc.summary.doc_id.to_string();
    assert_eq!(
        a.sync_status().unwrap().pending,
        before + 1,
        "the outbox holds the revision"
    );
    let ra = sync(&a);
    assert!(
        ra.pushed >= 2,
        "recipient, unit key and the revision: {ra:?}"
    );
    assert_eq!(a.sync_status().unwrap().pending, 0);
    assert!(a.sync_status().unwrap().last_sync.is_some());

    // B joins: it sees the draft only after A wrapped the unit key for it.
    let rb = sync(&b);
    assert!(rb.waiting_for_key, "{rb:?}");
    assert!(b
        .doc_list(ListRequest { in_bin: false })
        .unwrap()
        .is_empty());
    assert!(b.sync_status().unwrap().waiting >= 1);
    sync(&a);
    let rb = sync(&b);
    assert!(!rb.waiting_for_key, "{rb:?}");
    assert_eq!(
        body_of(&b, &doc_id),
        vec!["一、总则".to_string(), secret.to_string()]
    );
    assert_eq!(b.sync_status().unwrap().waiting, 0);

    // The hub never saw the draft: not in its database, not in its write-ahead log.
    let hub_bytes = all_bytes_of(&hub_dir, "hub.db");
    if std::env::var("GONGKAI_TEST_PG").map_or(true, |v| v.is_empty()) {
        assert!(
            hub_bytes.len() > 10_000,
            "the hub database is where the test looks"
        );
        for needle in ["张卫国", "110101199003071234", "景山前街", "户籍窗口"] {
            assert!(
                !contains(&hub_bytes, needle),
                "the hub holds “{needle}” in clear"
            );
        }
    }

    // Concurrent edits on A and B: both kept, 冲突 on both, never merged silently.
    let head = a
        .doc_get(DocRef {
            doc_id: doc_id.clone(),
        })
        .unwrap()
        .head
        .rev_id
        .to_string();
    let save = |api: &Api, base: &str, line: &str| {
        api.doc_save(SaveRequest {
            doc_id: doc_id.clone(),
            base_rev_id: base.into(),
            fields: draft(&["一、总则", secret, line]),
        })
        .unwrap()
    };
    save(&a, &head, "二、A 电脑上补充的条款");
    save(&b, &head, "二、B 电脑上补充的条款");
    sync(&a);
    let rb = sync(&b);
    assert_eq!(rb.new_conflicts, 1, "{rb:?}");
    let ra = sync(&a);
    assert_eq!(ra.new_conflicts, 1, "{ra:?}");
    for pc in [&a, &b] {
        let conflicts = pc.sync_conflicts().unwrap();
        assert_eq!(conflicts.len(), 1);
        let mut bodies: Vec<String> = conflicts[0]
            .leaves
            .iter()
            .map(|l| l.fields.body[2].clone())
            .collect();
        bodies.sort();
        assert_eq!(
            bodies,
            vec!["二、A 电脑上补充的条款", "二、B 电脑上补充的条款"]
        );
        assert!(conflicts[0].leaves[0].is_head);
        assert_eq!(pc.sync_status().unwrap().conflicts, 1);
    }
    // Each PC still shows and edits its own version.
    assert_eq!(body_of(&a, &doc_id)[2], "二、A 电脑上补充的条款");
    assert_eq!(body_of(&b, &doc_id)[2], "二、B 电脑上补充的条款");
    // B merges by hand; A takes the merge.
    let merged = draft(&[
        "一、总则",
        secret,
        "二、A 电脑上补充的条款",
        "三、B 电脑上补充的条款",
    ]);
    let wrong = b
        .doc_resolve(ResolveRequest {
            doc_id: doc_id.clone(),
            keep_rev_id: None,
            fields: None,
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(wrong.code, ErrorCode::InvalidInput);
    b.doc_resolve(ResolveRequest {
        doc_id: doc_id.clone(),
        keep_rev_id: None,
        fields: Some(merged.clone()),
        ..Default::default()
    })
    .unwrap();
    assert!(b.sync_conflicts().unwrap().is_empty());
    sync(&b);
    sync(&a);
    assert!(a.sync_conflicts().unwrap().is_empty());
    assert_eq!(body_of(&a, &doc_id), merged.body);
    assert_eq!(
        a.doc_get(DocRef {
            doc_id: doc_id.clone()
        })
        .unwrap()
        .head
        .content_sha256,
        b.doc_get(DocRef {
            doc_id: doc_id.clone()
        })
        .unwrap()
        .head
        .content_sha256
    );
    // Revisions are not lost: each PC holds all four.
    let revs = |pc: &Api| {
        pc.doc_revisions(DocRef {
            doc_id: doc_id.clone(),
        })
        .unwrap()
        .len()
    };
    assert_eq!((revs(&a), revs(&b)), (4, 4));

    // A bundle exported at A goes up with A's next sync; the office takes it in from the hub
    // and its decision comes back as a receipt that moves A's document.
    let (signed, _) = common::in_review_document(&a);
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    a.signoff_record(SignoffRequest {
        doc_id: signed.clone(),
        signer: "刘副局长".into(),
        signed_on: today.to_string(),
        opinion: "同意印发".into(),
    })
    .unwrap();
    let exported = a
        .bundle_export(BundleExportRequest {
            doc_id: signed.clone(),
            password: PW.into(),
            path: out.join("bundle.zip").display().to_string(),
        })
        .unwrap();
    let ra = sync(&a);
    assert_eq!(ra.uploaded, 1, "{ra:?}");
    assert_eq!(sync(&a).uploaded, 0, "uploaded once");
    let ro = sync(office);
    assert_eq!(ro.received, 1, "{ro:?}");
    assert_eq!(sync(office).received, 0, "taken in once");
    let intake = office.intake_list().unwrap();
    assert_eq!(intake.len(), 1);
    assert_eq!(intake[0].submission_id, exported.submission.submission_id);
    assert_eq!(intake[0].unit_code, "zazd");
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
    let ro = sync(office);
    assert_eq!(ro.pushed, 1, "the receipt goes to its unit: {ro:?}");
    let ra = sync(&a);
    assert_eq!(ra.received, 1, "{ra:?}");
    assert_eq!(
        a.workflow_status(DocRef {
            doc_id: signed.clone()
        })
        .unwrap()
        .stage,
        Stage::Accepted
    );
    // B made no bundle: the receipt is not B's to record, and nothing waits. B sees the bundle
    // A made, never uploads it itself, and follows A's stage moves without a 冲突.
    let rb = sync(&b);
    assert_eq!((rb.uploaded, rb.received), (0, 0), "{rb:?}");
    assert_eq!(b.sync_status().unwrap().waiting, 0);
    let on_b = b
        .bundle_list(DocRef {
            doc_id: signed.clone(),
        })
        .unwrap();
    assert_eq!(on_b.len(), 1);
    assert_eq!(on_b[0].submission_id, exported.submission.submission_id);
    assert_eq!(
        b.workflow_status(DocRef {
            doc_id: signed.clone()
        })
        .unwrap()
        .stage,
        Stage::Accepted,
        "A's run that imported the receipt also sent the move"
    );
    assert!(b.sync_conflicts().unwrap().is_empty());
    assert_eq!(sync(&a).received, 0);

    // Another unit's PC gets nothing of zazd's.
    sync(&c);
    assert!(c
        .doc_list(ListRequest { in_bin: false })
        .unwrap()
        .is_empty());
    assert_eq!(c.sync_status().unwrap().waiting, 0);

    // Revoking B: B is refused, and A's next sync rotates the unit key without B.
    office
        .trust_revoke(KeyRevokeRequest {
            key_id: kb.key_id.clone(),
            reason: "电脑报废".into(),
        })
        .unwrap();
    sync(office);
    let e = b
        .sync_now(SyncNowRequest {
            password: PW.into(),
        })
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::SyncKeyRevoked);
    assert!(e.message.contains("重新生成密钥"), "{}", e.message);
    save(
        &a,
        &a.doc_get(DocRef {
            doc_id: doc_id.clone(),
        })
        .unwrap()
        .head
        .rev_id
        .to_string(),
        "四、吊销之后写的内容",
    );
    let ra = sync(&a);
    assert_eq!(ra.pushed, 2, "a new unit key and the revision: {ra:?}");
    drop(hub);
}
