//! Property: three PCs of one unit, the office and a real hub (port 0, SQLite file). A random
//! schedule of edits of the text and of the disclosure attribute, deadline pauses (each PC on
//! the document as it sees it, offline in between), syncs in any order, the office's syncs,
//! transfer bags written by one PC and read by another (any bag, again or out of order) and
//! resolutions of whatever 冲突 a PC sees; then everyone settles. Whatever the schedule:
//! - every revision any PC saved is on every PC and on the hub, once; no change twice on the hub;
//! - all PCs end on the same head content and the same attribute, with no 冲突 left;
//! - every line any PC wrote is in the final text: two versions were never silently reduced to
//!   one (each PC's merges keep every line of every version it was shown as 冲突);
//! - every pause any PC recorded is on every PC;
//! - every application any PC registered (under whatever 流水号 it chose offline) is on every
//!   PC, with the same serial and reply everywhere, and no two share a serial once the clerk
//!   has renumbered; two replies written offline are a 冲突 until one is kept;
//! - a bag read out of order is refused naming the missing numbers, and changes nothing.

mod common;
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
    Attribute(usize),
    Pause(usize),
    Sync(usize),
    OfficeSync,
    /// PC i writes a transfer bag.
    Export(usize),
    /// PC j reads bag k (modulo the bags written so far).
    Import(usize, usize),
    Resolve(usize),
    /// PC i registers an application (offline: its serial may be another PC's too).
    Register(usize),
    /// PC i replies to application k (modulo those it has).
    Reply(usize, usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..3usize).prop_map(Op::Edit),
        2 => (0..3usize).prop_map(Op::Attribute),
        1 => (0..3usize).prop_map(Op::Pause),
        4 => (0..3usize).prop_map(Op::Sync),
        1 => Just(Op::OfficeSync),
        1 => (0..3usize).prop_map(Op::Export),
        2 => (0..3usize, 0..8usize).prop_map(|(j, k)| Op::Import(j, k)),
        1 => (0..3usize).prop_map(Op::Resolve),
        2 => (0..3usize).prop_map(Op::Register),
        2 => (0..3usize, 0..8usize).prop_map(|(i, k)| Op::Reply(i, k)),
    ]
}

fn revs(api: &Api, doc: &str) -> BTreeSet<String> {
    api.doc_revisions(DocRef { doc_id: doc.into() })
        .unwrap()
        .into_iter()
        .map(|r| r.rev_id.to_string())
        .collect()
}

fn register(api: &Api) -> Vec<RequestView> {
    let mut l = api
        .request_list(RequestListRequest { open: false })
        .unwrap();
    l.sort_by(|a, b| a.request_id.cmp(&b.request_id));
    l
}

fn resolve_all(api: &Api) {
    // The unit's registers: keep the side this PC shows; renumber all but the first of the
    // applications sharing a serial.
    for c in api.unit_conflicts().unwrap() {
        if c.kind == "serial" {
            for r in c.requests.iter().skip(1) {
                api.request_renumber(RenumberRequest {
                    request_id: r.request_id.clone(),
                })
                .unwrap();
            }
        } else {
            api.unit_resolve(UnitResolveRequest {
                register: c.register.clone(),
                keep_event_id: c
                    .leaves
                    .iter()
                    .find(|l| l.is_head)
                    .unwrap()
                    .event_id
                    .clone(),
                reason: "保留本机所示的记录".into(),
            })
            .unwrap();
        }
    }
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
        let mut fields = c
            .leaves
            .first()
            .map(|l| l.fields.clone())
            .unwrap_or_default();
        fields.body = body;
        let text = !c.leaves.is_empty();
        // A record in 冲突: keep the side this PC shows, saying so.
        let records: Vec<RecordChoice> = c
            .records
            .iter()
            .map(|r| RecordChoice {
                register: r.register.clone(),
                keep_event_id: r
                    .leaves
                    .iter()
                    .find(|l| l.is_head)
                    .unwrap()
                    .event_id
                    .clone(),
            })
            .collect();
        api.doc_resolve(ResolveRequest {
            doc_id: c.doc_id.clone(),
            keep_rev_id: None,
            fields: text.then_some(fields),
            reason: Some("保留本机所示的记录".into()),
            records,
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
    let mut pauses: BTreeSet<String> = BTreeSet::new();
    let mut written: Vec<u32> = Vec::new();
    let mut bags: Vec<(usize, std::path::PathBuf)> = Vec::new();
    let mut applications: BTreeSet<String> = BTreeSet::new();
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
                written.push(n);
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
            Op::Attribute(i) => {
                n += 1;
                let mut d = common::partial();
                d.reason = format!("来信群众的姓名属于个人隐私，第{n}次认定（{i}号电脑）");
                pcs[i]
                    .disclosure_set(DisclosureSetRequest {
                        doc_id: doc.clone(),
                        disclosure: d,
                    })
                    .unwrap();
            }
            Op::Pause(i) => {
                n += 1;
                let reason = format!("征求第三方意见，第{n}次（{i}号电脑）");
                pcs[i]
                    .deadline_pause(PauseRequest {
                        doc_id: doc.clone(),
                        start: "2026-12-07".into(),
                        end: "2026-12-09".into(),
                        reason: reason.clone(),
                    })
                    .unwrap();
                pauses.insert(reason);
            }
            Op::Sync(i) => {
                sync(&pcs[i]);
            }
            Op::OfficeSync => {
                sync(&w.office);
            }
            Op::Export(i) => {
                let path = w.out.join(format!("bag-{}.zip", bags.len()));
                pcs[i]
                    .sync_export_media(MediaExportRequest {
                        password: world::PW.into(),
                        path: path.display().to_string(),
                        all: false,
                        unit: None,
                    })
                    .unwrap();
                bags.push((i, path));
            }
            Op::Import(j, k) => {
                if bags.is_empty() {
                    continue;
                }
                let (from, path) = &bags[k % bags.len()];
                let before = revs(&pcs[j], &doc);
                let r = pcs[j].sync_import_media(MediaImportRequest {
                    password: world::PW.into(),
                    path: path.display().to_string(),
                });
                match r {
                    Ok(_) => {}
                    Err(e) if *from == j => panic!("a PC reads its own bag: {e:?}"),
                    Err(e) => {
                        // Only a bag read ahead of an earlier one is refused, and it names
                        // what is missing; nothing changed.
                        assert_eq!(e.code, ErrorCode::BadFile, "{e:?}");
                        assert!(e.message.contains("缺少第"), "{}", e.message);
                        assert_eq!(revs(&pcs[j], &doc), before);
                    }
                }
            }
            Op::Resolve(i) => resolve_all(&pcs[i]),
            Op::Register(i) => {
                n += 1;
                let r = pcs[i]
                    .request_new(RequestNewRequest {
                        received: "2026-12-01".into(),
                        channel: "信函".into(),
                        applicant_type: "自然人".into(),
                        applicant_name: format!("申请人{n}"),
                        applicant_contact: String::new(),
                        content: format!("第{n}件申请（{i}号电脑）"),
                        unit: None,
                    })
                    .unwrap();
                applications.insert(r.request_id);
            }
            Op::Reply(i, k) => {
                let here = register(&pcs[i]);
                if here.is_empty() {
                    continue;
                }
                let r = &here[k % here.len()];
                let outcome = ["1", "2", "5-1"][(i + k) % 3];
                // A reply already recorded here is refused (the API's rule); that is fine.
                let _ = pcs[i].request_change(RequestChangeRequest {
                    request_id: r.request_id.clone(),
                    action: "reply".into(),
                    outcome: outcome.into(),
                    date: "2026-12-03".into(),
                    ..Default::default()
                });
            }
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
    for k in &written {
        assert!(
            body.iter().any(|l| l.starts_with(&format!("第{k}条（"))),
            "line {k} lost: {body:?}"
        );
    }
    let attrs: BTreeSet<String> = pcs
        .iter()
        .map(|pc| {
            serde_json::to_string(
                &pc.disclosure_get(DocRef {
                    doc_id: doc.clone(),
                })
                .unwrap()
                .disclosure,
            )
            .unwrap()
        })
        .collect();
    assert_eq!(attrs.len(), 1, "one attribute everywhere: {attrs:?}");
    for pc in &pcs {
        let here: BTreeSet<String> = pc
            .workflow_status(DocRef {
                doc_id: doc.clone(),
            })
            .unwrap()
            .pauses
            .into_iter()
            .map(|p| p.reason)
            .collect();
        assert_eq!(here, pauses, "every pause on every PC");
    }
    let registers: BTreeSet<Vec<(String, String, Option<String>)>> = pcs
        .iter()
        .map(|pc| {
            assert!(pc.unit_conflicts().unwrap().is_empty());
            register(pc)
                .into_iter()
                .map(|r| (r.request_id, r.serial, r.reply.map(|x| x.outcome.id)))
                .collect()
        })
        .collect();
    assert_eq!(registers.len(), 1, "one register everywhere: {registers:?}");
    let one = registers.into_iter().next().unwrap();
    let ids: BTreeSet<String> = one.iter().map(|r| r.0.clone()).collect();
    assert_eq!(ids, applications, "every application on every PC");
    let serials: BTreeSet<&String> = one.iter().map(|r| &r.1).collect();
    assert_eq!(serials.len(), one.len(), "no serial given twice: {one:?}");
    let feed = rt.block_on(store.feed("zazd", 0, 100_000)).unwrap();
    let ids: Vec<&String> = feed.iter().map(|e| &e.change.change_id).collect();
    let unique_ids: BTreeSet<&String> = ids.iter().copied().collect();
    assert_eq!(ids.len(), unique_ids.len(), "no change twice on the hub");
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
