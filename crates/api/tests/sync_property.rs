//! Property: three PCs of one unit and a real hub (port 0, SQLite file). A random schedule of
//! edits (each PC on the document as it sees it, offline in between), syncs in any order and
//! resolutions of whatever 冲突 a PC sees; then everyone settles. Whatever the schedule:
//! - every revision any PC saved is on every PC and on the hub, once;
//! - all PCs end on the same head content with no 冲突 left;
//! - every line any PC wrote is in the final text: two versions were never silently reduced to
//!   one (each PC's merges keep every line of every version it was shown as 冲突).

#[path = "../../../tests/support/sync_world.rs"]
mod world;

use gongkai_api::*;
use proptest::prelude::*;
use std::collections::BTreeSet;
use std::sync::Arc;
use world::{point, sync, World};

#[derive(Debug, Clone)]
enum Op {
    Edit(usize),
    Sync(usize),
    Resolve(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..3usize).prop_map(Op::Edit),
        4 => (0..3usize).prop_map(Op::Sync),
        1 => (0..3usize).prop_map(Op::Resolve),
    ]
}

fn revs(api: &Api, doc: &str) -> BTreeSet<String> {
    api.doc_revisions(DocRef { doc_id: doc.into() })
        .unwrap()
        .into_iter()
        .map(|r| r.rev_id.to_string())
        .collect()
}

fn resolve_all(api: &Api) {
    for c in api.sync_conflicts().unwrap() {
        // Keep every line of every version: the merge a careful clerk would make.
        let mut body: Vec<String> = Vec::new();
        for l in &c.leaves {
            for line in &l.fields.body {
                if !body.contains(line) {
                    body.push(line.clone());
                }
            }
        }
        let mut fields = c.leaves[0].fields.clone();
        fields.body = body;
        api.doc_resolve(ResolveRequest {
            doc_id: c.doc_id.clone(),
            keep_rev_id: None,
            fields: Some(fields),
            ..Default::default()
        })
        .unwrap();
    }
}

fn run(ops: Vec<Op>) {
    let mut w = World::new();
    let pcs: Vec<Api> = (0..3)
        .map(|i| w.pc("zazd", ["甲", "乙", "丙"][i]).0)
        .collect();
    let hub_dir = w.hub_dir();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let db = format!("sqlite://{}", hub_dir.join("hub.db").display());
    let (store, hub) = rt.block_on(async {
        let store = gongkai_hub::open_store(&db).await.unwrap();
        let state = gongkai_hub::HubState::new(
            store.clone(),
            &w.office_pub,
            Arc::new(gongkai_hub::WallClock),
        )
        .unwrap();
        let hub = gongkai_hub::start("127.0.0.1:0".parse().unwrap(), state)
            .await
            .unwrap();
        (store, hub)
    });
    let url = format!("http://{}", hub.addr);
    point(&w.office, &url);
    for pc in &pcs {
        point(pc, &url);
    }
    sync(&w.office);
    let doc = pcs[0]
        .doc_create(CreateDocRequest {
            fields: Some(gongkai_core::DocFields {
                title: "关于收敛测试的通知".into(),
                body: vec!["一、总则".into()],
                ..Default::default()
            }),
        })
        .unwrap()
        .summary
        .doc_id
        .to_string();
    // Everyone joins and gets the unit key and the document.
    for _ in 0..2 {
        for pc in &pcs {
            sync(pc);
        }
    }
    let mut saved: BTreeSet<String> = revs(&pcs[0], &doc);
    let mut n = 0;
    for op in ops {
        match op {
            Op::Edit(i) => {
                let v = pcs[i]
                    .doc_get(DocRef {
                        doc_id: doc.clone(),
                    })
                    .unwrap();
                let mut f = v.fields;
                n += 1;
                f.body.push(format!("第{n}条（{i}号电脑）"));
                let r = pcs[i]
                    .doc_save(SaveRequest {
                        doc_id: doc.clone(),
                        base_rev_id: v.head.rev_id.to_string(),
                        fields: f,
                    })
                    .unwrap();
                saved.insert(r.head.rev_id.to_string());
            }
            Op::Sync(i) => {
                sync(&pcs[i]);
            }
            Op::Resolve(i) => resolve_all(&pcs[i]),
        }
    }
    // Settle: sync, merge what is left on one PC, sync again.
    for _ in 0..2 {
        for pc in &pcs {
            sync(pc);
        }
    }
    resolve_all(&pcs[0]);
    for _ in 0..2 {
        for pc in &pcs {
            sync(pc);
        }
    }
    let all = revs(&pcs[0], &doc);
    assert!(saved.is_subset(&all), "every save survives");
    let mut heads = BTreeSet::new();
    for pc in &pcs {
        assert_eq!(revs(pc, &doc), all, "every PC holds every revision");
        assert!(pc.sync_conflicts().unwrap().is_empty());
        let st = pc.sync_status().unwrap();
        assert_eq!((st.pending, st.waiting), (0, 0));
        heads.insert(
            pc.doc_get(DocRef {
                doc_id: doc.clone(),
            })
            .unwrap()
            .head
            .content_sha256,
        );
    }
    assert_eq!(heads.len(), 1, "one head content everywhere");
    // Every line anyone wrote is in the final text (merges kept every line).
    let body = pcs[0]
        .doc_get(DocRef {
            doc_id: doc.clone(),
        })
        .unwrap()
        .fields
        .body;
    for k in 1..=n {
        assert!(
            body.iter().any(|l| l.starts_with(&format!("第{k}条（"))),
            "line {k} lost: {body:?}"
        );
    }
    let feed = rt.block_on(store.feed("zazd", 0, 100_000)).unwrap();
    let on_hub: Vec<String> = feed
        .iter()
        .filter(|e| e.change.kind == gongkai_sync_proto::ChangeKind::DocRevision)
        .filter_map(|e| e.change.rev_id.clone())
        .collect();
    let unique: BTreeSet<String> = on_hub.iter().cloned().collect();
    assert_eq!(on_hub.len(), unique.len(), "no revision twice on the hub");
    assert_eq!(unique, all, "the hub holds every revision");
    rt.block_on(hub.stop()).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 6,
        max_shrink_iters: 8,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]
    #[test]
    fn three_pcs_converge_whatever_the_schedule(ops in prop::collection::vec(op(), 6..24)) {
        run(ops);
    }
}
