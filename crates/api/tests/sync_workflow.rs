//! The publication record between two PCs of a unit, through a real hub (SQLite, or
//! PostgreSQL when `GONGKAI_TEST_PG` is set), driven through the API as the window drives it.
//!
//! The story: PC A sets the disclosure attribute, writes the interpretation package and moves
//! the document on; PC B sees the same attribute, package, stage and log. Offline, A moves the
//! document forward while B withdraws it, and both edit the package: each PC keeps showing its
//! own clerk's stage, both are flagged 冲突, B may not move the document on until the 冲突 is
//! handled, and B's choice (with the reason, logged) and A's package merge reach the other PC.
//! The de-identification review made on A (with the original names and numbers) lets B go on
//! from there. The hub's database holds none of it in clear.

use gongkai_api::*;
use gongkai_core::Stage;

mod common;
#[path = "../../../tests/support/test_hub.rs"]
mod test_hub;
#[path = "../../../tests/support/sync_world.rs"]
mod world;
use common::{dr, to};
use test_hub::TestHub;
use world::{point, sync, World};

fn stage(api: &Api, doc: &str) -> Stage {
    api.workflow_status(dr(doc)).unwrap().stage
}

fn log(api: &Api, doc: &str) -> Vec<(Stage, Stage, String, String)> {
    api.workflow_status(dr(doc))
        .unwrap()
        .log
        .into_iter()
        .map(|l| (l.from, l.to, l.actor, l.reason))
        .collect()
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn the_publication_record_travels_and_concurrent_moves_are_settled_by_the_clerk() {
    let mut w = World::new();
    let (a, _, _) = w.pc("zazd", "王晓明");
    let (b, _, _) = w.pc("zazd", "李娜");
    let hub_dir = w.hub_dir();
    let hub = TestHub::start(
        &hub_dir,
        &w.office_pub,
        "127.0.0.1:0".parse().unwrap(),
        Some("api_sync_workflow"),
    );
    for pc in [&w.office, &a, &b] {
        point(pc, &hub.url);
    }
    sync(&w.office);
    sync(&a);
    sync(&b);

    // A: the attribute, the package, two stage moves.
    let doc = a
        .doc_create(CreateDocRequest {
            fields: Some(common::fields()),
        })
        .unwrap()
        .summary
        .doc_id
        .to_string();
    a.disclosure_set(DisclosureSetRequest {
        doc_id: doc.clone(),
        disclosure: common::partial(),
    })
    .unwrap();
    to(&a, &doc, Stage::AttributeSet, "").unwrap();
    let p1 = a
        .package_save(PackageSaveRequest {
            doc_id: doc.clone(),
            base_rev_id: None,
            package: common::package(),
        })
        .unwrap()
        .head
        .unwrap()
        .rev_id;
    sync(&a);
    sync(&b);
    sync(&a); // wraps the unit key for B
    let rb = sync(&b);
    assert_eq!(rb.new_conflicts, 0, "{rb:?}");
    assert_eq!(stage(&b, &doc), Stage::AttributeSet);
    assert_eq!(log(&b, &doc), log(&a, &doc));
    let (da, db) = (
        a.disclosure_get(dr(&doc)).unwrap(),
        b.disclosure_get(dr(&doc)).unwrap(),
    );
    assert_eq!(db.disclosure, da.disclosure);
    assert_eq!(db.decided_by.as_deref(), Some("王晓明"));
    let pb = b.package_get(dr(&doc)).unwrap();
    assert_eq!(pb.package, common::package());
    assert_eq!(pb.head.as_ref().map(|h| h.rev_id.clone()), Some(p1.clone()));
    assert_eq!(b.sync_status().unwrap().waiting, 0);

    // Offline: A moves forward, B withdraws; both edit the package from the same version.
    to(&a, &doc, Stage::InterpretationSynced, "").unwrap();
    to(&b, &doc, Stage::Drafting, "属性理由要改写").unwrap();
    let edit = |api: &Api, contact: &str| {
        let mut p = common::package();
        p.contact = contact.into();
        api.package_save(PackageSaveRequest {
            doc_id: doc.clone(),
            base_rev_id: Some(p1.clone()),
            package: p,
        })
        .unwrap()
    };
    edit(&a, "0533-2134100");
    edit(&b, "0533-2134199");
    let ra = sync(&a);
    let rb = sync(&b);
    let ra2 = sync(&a);
    assert!(rb.new_conflicts >= 2, "{rb:?}");
    assert!(ra.new_conflicts + ra2.new_conflicts >= 2, "{ra:?} {ra2:?}");
    // Each PC keeps its own clerk's stage and package; nothing was chosen for them.
    assert_eq!(stage(&a, &doc), Stage::InterpretationSynced);
    assert_eq!(stage(&b, &doc), Stage::Drafting);
    assert_eq!(
        a.package_get(dr(&doc)).unwrap().package.contact,
        "0533-2134100"
    );
    assert_eq!(
        b.package_get(dr(&doc)).unwrap().package.contact,
        "0533-2134199"
    );
    for pc in [&a, &b] {
        assert_eq!(pc.sync_status().unwrap().conflicts, 1);
        let c = pc.sync_conflicts().unwrap();
        assert_eq!(c.len(), 1);
        assert!(c[0].leaves.is_empty(), "the text itself is not in conflict");
        assert_eq!(c[0].package_leaves.len(), 2);
        assert!(c[0].package_leaves[0].is_head);
        assert!(c[0]
            .package_leaves
            .iter()
            .any(|l| l.lines.contains(&"联系方式：0533-2134199".to_string())));
        assert_eq!(c[0].records.len(), 1);
        let r = &c[0].records[0];
        assert_eq!(
            (r.register.as_str(), r.label.as_str()),
            ("workflow", "流程环节")
        );
        let mut sums: Vec<&str> = r.leaves.iter().map(|l| l.summary.as_str()).collect();
        sums.sort();
        assert_eq!(sums.len(), 2);
        assert!(
            sums.iter()
                .any(|s| s.ends_with("→ 拟稿，理由：属性理由要改写")),
            "{sums:?}"
        );
        assert!(
            sums.iter()
                .any(|s| s.contains("→ 解读已同步") || s.contains("→ 解读")),
            "{sums:?}"
        );
    }
    // While 冲突, B may not move the document on.
    let e = to(&b, &doc, Stage::AttributeSet, "").unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict);
    assert!(e.message.contains("冲突"), "{}", e.message);

    // B keeps A's stage; a kept record needs a reason.
    let c = b.sync_conflicts().unwrap().remove(0);
    let keep = c.records[0]
        .leaves
        .iter()
        .find(|l| l.author == "王晓明")
        .unwrap()
        .event_id
        .clone();
    let choice = vec![RecordChoice {
        register: "workflow".into(),
        keep_event_id: keep,
    }];
    let e = b
        .doc_resolve(ResolveRequest {
            doc_id: doc.clone(),
            records: choice.clone(),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert!(e.message.contains("理由"), "{}", e.message);
    b.doc_resolve(ResolveRequest {
        doc_id: doc.clone(),
        records: choice,
        reason: Some("解读已经同步，不必撤回".into()),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(stage(&b, &doc), Stage::InterpretationSynced);
    // A settles the package with its own version.
    let pa = a
        .sync_conflicts()
        .unwrap()
        .remove(0)
        .package_leaves
        .remove(0);
    assert!(pa.is_head);
    a.doc_resolve(ResolveRequest {
        doc_id: doc.clone(),
        keep_package_rev_id: Some(pa.rev_id.clone()),
        ..Default::default()
    })
    .unwrap();
    sync(&b);
    sync(&a);
    sync(&b);
    for pc in [&a, &b] {
        assert!(pc.sync_conflicts().unwrap().is_empty());
        assert_eq!(stage(pc, &doc), Stage::InterpretationSynced);
        assert_eq!(
            pc.package_get(dr(&doc)).unwrap().package.contact,
            "0533-2134100"
        );
        let l = log(pc, &doc);
        let last = l.last().unwrap();
        assert_eq!(last.1, Stage::InterpretationSynced);
        assert_eq!(last.2, "李娜");
        assert_eq!(last.3, "处理流程冲突：解读已经同步，不必撤回");
        let st = pc.sync_status().unwrap();
        assert_eq!((st.pending, st.waiting, st.conflicts), (0, 0, 0));
    }
    // The document goes on from one agreed stage on either PC: A does the de-identification
    // review, B takes it from there (the review travelled with its decisions and report).
    let review = a.deid_review(dr(&doc)).unwrap();
    assert!(!review.findings.is_empty());
    a.deid_decide(DeidDecideRequest {
        doc_id: doc.clone(),
        rev_id: review.rev_id.clone(),
        finding_ids: review.findings.iter().map(|f| f.id.clone()).collect(),
        decision: Decision::Accepted,
        replacement: None,
    })
    .unwrap();
    a.deid_apply(dr(&doc)).unwrap();
    to(&a, &doc, Stage::Deidentified, "").unwrap();
    sync(&a);
    sync(&b);
    assert_eq!(stage(&b, &doc), Stage::Deidentified);
    let rb = b.deid_review(dr(&doc)).unwrap();
    assert_eq!(rb.rev_id, review.rev_id);
    assert!(rb.findings.iter().all(|f| f.decision == Decision::Accepted));
    assert!(rb.report.is_some(), "the applied review's report is on B");
    b.secrecy_record(SecrecyRecordRequest {
        doc_id: doc.clone(),
        review: common::secrecy(),
    })
    .unwrap();
    to(&b, &doc, Stage::SecrecyCleared, "").unwrap();
    sync(&b);
    sync(&a);
    assert_eq!(stage(&a, &doc), Stage::SecrecyCleared);
    assert_eq!(
        a.secrecy_get(dr(&doc)).unwrap().review,
        Some(common::secrecy())
    );
    assert!(a.sync_conflicts().unwrap().is_empty());

    // The hub saw none of it in clear: attribute reason, package text, stage-move reasons.
    // (The grounds' ids are there: the office publishes the law's table as reference data.)
    if let Some(bytes) = test_hub::sqlite_hub_bytes(&hub_dir) {
        assert!(bytes.len() > 10_000);
        for needle in [
            "来信群众",
            "0533-2134199",
            "属性理由要改写",
            "解读已经同步",
            "租赁住房",
            "13812345678",
            "张伟同志",
        ] {
            assert!(
                !contains(&bytes, needle),
                "the hub holds “{needle}” in clear"
            );
        }
    }
    hub.stop();
}
