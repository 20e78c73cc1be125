//! The store against real SQLite files: migrations, refusal, revisions, search, seeds.

use chrono::{Duration, TimeZone, Utc};
use gongkai_core::{Clerk, ClerkId, DocFields, DocId, IdSource, RevId, SeqIds};
use gongkai_store::{
    migrations, Dataset, NewDocument, SaveOutcome, SaveRevision, SeedSet, Store, StoreError,
};
use std::path::Path;

fn t0() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap()
}

fn setup(store: &mut Store, ids: &SeqIds) -> Clerk {
    let clerk = Clerk {
        id: ClerkId::new(ids),
        name: "王晓明".into(),
        unit_id: "zazd".into(),
        device_id: store.device_id(ids).unwrap(),
    };
    store.add_clerk(&clerk, t0()).unwrap();
    clerk
}

fn doc(title: &str, body: &[&str]) -> DocFields {
    DocFields {
        title: title.into(),
        body: body.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    }
}

fn create(store: &mut Store, ids: &SeqIds, clerk: &Clerk, f: &DocFields) -> (DocId, RevId) {
    let (doc_id, rev_id) = (DocId::new(ids), RevId::new(ids));
    store
        .create_document(NewDocument {
            doc_id,
            rev_id,
            author: clerk,
            fields: f,
            now: t0(),
        })
        .unwrap();
    (doc_id, rev_id)
}

fn sha(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

#[test]
fn migration_journey_from_an_empty_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub/gongkai.db");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, b"").unwrap();
    let store = Store::open(&path, t0()).unwrap();
    assert_eq!(store.schema_version().unwrap(), migrations::LATEST);
    assert_eq!(store.integrity_check().unwrap(), "ok");
    let units = store.units().unwrap();
    assert_eq!(units.len(), 28);
    assert_eq!(units[0].name, "指挥中心");
    let names: Vec<_> = store
        .seed_versions()
        .unwrap()
        .into_iter()
        .map(|s| s.0)
        .collect();
    assert_eq!(
        names,
        [
            "deid_policy",
            "disclosure_catalog",
            "disclosure_law",
            "duties",
            "holidays",
            "reply_templates",
            "time_rules",
            "units"
        ]
    );
    let mode: String = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn migration_journey_keeps_data_from_each_step() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.db");
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        assert_eq!(migrations::migrate(&mut conn, 1).unwrap(), 1);
        conn.execute(
            "INSERT INTO settings(key, value) VALUES ('device_id', 'kept')",
            [],
        )
        .unwrap();
    }
    let store = Store::open(&path, t0()).unwrap();
    assert_eq!(store.schema_version().unwrap(), migrations::LATEST);
    assert_eq!(store.setting("device_id").unwrap().as_deref(), Some("kept"));
    // Reopening is a no-op.
    drop(store);
    let store = Store::open(&path, t0()).unwrap();
    assert_eq!(store.units().unwrap().len(), 28);
}

#[test]
fn a_newer_database_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.db");
    drop(Store::open(&path, t0()).unwrap());
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", migrations::LATEST + 1)
            .unwrap();
        conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let before = sha(&path);
    let err = Store::open(&path, t0()).unwrap_err();
    assert!(
        matches!(err, StoreError::NewerSchema { found, supported } if found == migrations::LATEST + 1 && supported == migrations::LATEST),
        "{err:?}"
    );
    assert_eq!(sha(&path), before);
    assert!(!dir.path().join("g.db-wal").exists());
}

#[test]
fn a_file_that_is_not_a_database_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.db");
    let junk: Vec<u8> = (0..8192u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(&path, &junk).unwrap();
    let err = Store::open(&path, t0()).unwrap_err();
    assert!(matches!(err, StoreError::NotADatabase(_)), "{err:?}");
    assert_eq!(sha(&path), junk);
}

#[test]
fn revision_chain_unchanged_saves_and_conflicts() {
    let ids = SeqIds::default();
    let mut store = Store::open_in_memory(t0()).unwrap();
    let clerk = setup(&mut store, &ids);
    let mut f = doc("关于加强窗口服务的通知", &["一、总体要求"]);
    let (doc_id, r1) = create(&mut store, &ids, &clerk, &f);
    let mut base = r1;
    let mut expected = vec![r1];
    for i in 0..5 {
        f.body.push(format!("第{i}段"));
        let rev_id = RevId::new(&ids);
        let out = store
            .save_revision(SaveRevision {
                doc_id,
                base_rev_id: base,
                rev_id,
                author: &clerk,
                fields: &f,
                now: t0() + Duration::seconds(i + 1),
                restored_from: None,
            })
            .unwrap();
        assert!(matches!(out, SaveOutcome::Saved(ref m) if m.parent_rev_id == Some(base)));
        base = rev_id;
        expected.push(rev_id);
    }
    // Same content again: no new revision.
    let out = store
        .save_revision(SaveRevision {
            doc_id,
            base_rev_id: base,
            rev_id: RevId::new(&ids),
            author: &clerk,
            fields: &f,
            now: t0(),
            restored_from: None,
        })
        .unwrap();
    assert_eq!(out, SaveOutcome::Unchanged(out.meta().clone()));
    assert_eq!(out.meta().rev_id, base);
    // A save based on an old revision is a conflict and writes nothing.
    let err = store
        .save_revision(SaveRevision {
            doc_id,
            base_rev_id: r1,
            rev_id: RevId::new(&ids),
            author: &clerk,
            fields: &doc("别处的修改", &[]),
            now: t0(),
            restored_from: None,
        })
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }));

    let revs = store.revisions(doc_id).unwrap();
    let got: Vec<RevId> = revs.iter().rev().map(|m| m.rev_id).collect();
    assert_eq!(got, expected);
    for w in revs.windows(2) {
        assert_eq!(w[0].parent_rev_id, Some(w[1].rev_id));
        assert_eq!(w[0].rev_no, w[1].rev_no + 1);
    }
    let head = store.head(doc_id).unwrap();
    assert_eq!(head.fields, f);
    assert_eq!(head.meta.content_sha256, f.content_hash());
    let first = store.revision(r1).unwrap();
    assert_eq!(first.fields.body, vec!["一、总体要求".to_string()]);
    let summary = store.document(doc_id).unwrap();
    assert_eq!(summary.rev_count, 6);
    assert_eq!(summary.updated_by, "王晓明");
}

#[test]
fn search_finds_2_3_and_8_character_chinese_queries() {
    let ids = SeqIds::default();
    let mut store = Store::open_in_memory(t0()).unwrap();
    let clerk = setup(&mut store, &ids);
    let (a, _) = create(
        &mut store,
        &ids,
        &clerk,
        &doc(
            "关于规范户籍窗口服务的通知",
            &[
                "为进一步优化营商环境，方便群众办事。",
                "一、户口迁移业务实行一窗通办",
            ],
        ),
    );
    let (b, _) = create(
        &mut store,
        &ids,
        &clerk,
        &doc(
            "道路交通安全管理办法",
            &["机动车驾驶人应当遵守道路交通安全法律法规。"],
        ),
    );
    fn ids_in(store: &Store, q: &str) -> Vec<DocId> {
        store
            .search(q, 50)
            .unwrap()
            .into_iter()
            .map(|h| h.doc.doc_id)
            .collect()
    }
    let ids_of = |q: &str| ids_in(&store, q);
    assert_eq!(ids_of("户籍"), vec![a]); // 2 characters
    assert_eq!(ids_of("交通"), vec![b]);
    assert_eq!(ids_of("营商环"), vec![a]); // 3 characters
    assert_eq!(ids_of("户口迁移业务实行"), vec![a]); // 8 characters
    assert_eq!(ids_of("驶"), vec![b]); // 1 character
    assert_eq!(ids_of("户籍 交通"), Vec::<DocId>::new()); // all terms must match
    assert_eq!(ids_of("通知 户口"), vec![a]);
    assert!(ids_of("不存在的内容").is_empty());
    assert!(ids_of("  ").is_empty());
    let hit = &store.search("一窗通办", 10).unwrap()[0];
    let marked: String = hit
        .snippet
        .chars()
        .skip(hit.highlights[0].0 as usize)
        .take((hit.highlights[0].1 - hit.highlights[0].0) as usize)
        .collect();
    assert_eq!(marked, "一窗通办");
    // Odd input is searched literally, never as FTS syntax.
    for q in ["\"", "a OR", "NEAR(", "%", "_", "户\"籍", "*"] {
        store.search(q, 10).unwrap();
    }
    // The recycle bin hides a document from search; restoring brings it back.
    store.set_deleted(a, Some(t0())).unwrap();
    assert!(ids_in(&store, "户籍").is_empty());
    assert_eq!(store.list_documents(true).unwrap().len(), 1);
    store.set_deleted(a, None).unwrap();
    assert_eq!(ids_in(&store, "户籍"), vec![a]);
}

#[test]
fn search_ranks_title_matches_first_then_the_latest_edit_and_pages() {
    let ids = SeqIds::default();
    let mut store = Store::open_in_memory(t0()).unwrap();
    let clerk = setup(&mut store, &ids);
    let (old_title, r_old) = create(&mut store, &ids, &clerk, &doc("户籍管理通知", &["正文"]));
    let (text_only, _) = create(
        &mut store,
        &ids,
        &clerk,
        &doc("其他通知", &["办理户籍业务"]),
    );
    let (new_title, _) = create(&mut store, &ids, &clerk, &doc("户籍窗口安排", &["正文"]));
    let (text_long, _) = create(&mut store, &ids, &clerk, &doc("关于", &["出入境户籍办理"]));
    let order = |store: &Store, q: &str, limit: u32| -> Vec<DocId> {
        let hits = store.search(q, limit).unwrap();
        hits.into_iter().map(|h| h.doc.doc_id).collect()
    };
    // Two characters: titles first, each group newest first.
    assert_eq!(
        order(&store, "户籍", 50),
        vec![new_title, old_title, text_long, text_only]
    );
    // Editing the older title document makes it the most recent.
    store
        .save_revision(SaveRevision {
            doc_id: old_title,
            base_rev_id: r_old,
            rev_id: RevId::new(&ids),
            author: &clerk,
            fields: &doc("户籍管理通知", &["正文有修改"]),
            now: t0() + Duration::minutes(5),
            restored_from: None,
        })
        .unwrap();
    assert_eq!(
        order(&store, "户籍", 50),
        vec![old_title, new_title, text_long, text_only]
    );
    // A page is a prefix of the full order.
    assert_eq!(
        order(&store, "户籍", 3),
        vec![old_title, new_title, text_long]
    );
    assert_eq!(order(&store, "户籍", 1), vec![old_title]);
    // Longer terms, and several.
    assert_eq!(order(&store, "户籍管", 50), vec![old_title]);
    assert_eq!(order(&store, "户籍办理", 50), vec![text_long]);
    assert_eq!(order(&store, "通知 户籍", 50), vec![old_title, text_only]);
    assert_eq!(order(&store, "出入境 户籍", 50), vec![text_long]);
    // A title match of the first term only: "业务" is in no title.
    assert_eq!(order(&store, "业务 户籍", 50), vec![text_only]);
    // A punctuation term is matched literally, in title or text.
    assert_eq!(order(&store, "户籍 ，", 50), Vec::<DocId>::new());
}

/// Undoes migration 19 (unit events), outbox rows included; the requests table keeps its
/// serial index (a unique one before), which migration 19 rebuilds anyway.
const ROLLBACK_V19: &str = "
    DROP TABLE unit_heads; DROP TABLE unit_event_merges; DROP TRIGGER unit_events_outbox;
    DROP TABLE unit_events;
    DROP TRIGGER sync_outbox_keep;
    DELETE FROM sync_outbox WHERE kind = 'unit_event';
    CREATE TRIGGER sync_outbox_keep BEFORE DELETE ON sync_outbox
    BEGIN SELECT RAISE(ABORT, 'the outbox is append-only'); END;
    PRAGMA user_version = 18;";

/// Undoes migrations 19 to 12 (publication events), outbox rows included.
const ROLLBACK_V12: &str = "
    DROP TABLE unit_heads; DROP TABLE unit_event_merges; DROP TRIGGER unit_events_outbox;
    DROP TABLE unit_events;
    DELETE FROM sync_outbox WHERE kind = 'unit_event';
    DROP TABLE consultation_comments; DROP TABLE consultations;
    DROP TABLE duty_records; DROP TABLE year_end_reviews;
    DROP TABLE register_notes; DROP TABLE register_notes_in; DROP TABLE office_recipients;
    DROP TABLE unit_figures;
    DROP TABLE requests;
    ALTER TABLE submissions DROP COLUMN remote;
    DROP TRIGGER package_revisions_outbox; DROP TRIGGER pub_events_outbox;
    DROP TRIGGER sync_outbox_keep;
    DELETE FROM sync_outbox WHERE kind IN ('pub_event', 'package_revision', 'unit_event');
    CREATE TRIGGER sync_outbox_keep BEFORE DELETE ON sync_outbox
    BEGIN SELECT RAISE(ABORT, 'the outbox is append-only'); END;
    DROP TABLE pub_heads; DROP TABLE pub_event_merges; DROP TABLE pub_events;
    DROP TABLE package_merges; DROP INDEX package_revisions_parent;
    ALTER TABLE package_revisions DROP COLUMN device_id;
    PRAGMA user_version = 11;";

#[test]
fn the_sync_migration_turns_the_publication_record_into_events_for_the_other_pcs() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.db");
    let ids = SeqIds::default();
    let (d, r) = {
        let mut store = Store::open(&path, t0()).unwrap();
        let clerk = setup(&mut store, &ids);
        let (d, r) = create(&mut store, &ids, &clerk, &doc("户籍通知", &["正文"]));
        store
            .save_package(
                d,
                None,
                "pkg-old",
                &clerk,
                &gongkai_core::Package {
                    title: "解读".into(),
                    ..Default::default()
                },
                t0(),
            )
            .unwrap();
        let d_attr: gongkai_core::Disclosure = serde_json::from_value(serde_json::json!({
            "attribute": "withheld", "grounds": ["G1"], "reason": "涉及个人隐私"
        }))
        .unwrap();
        store.set_disclosure(d, &d_attr, "王晓明", t0()).unwrap();
        let rev = r.to_string();
        store
            .transition(&gongkai_store::Transition {
                doc_id: d,
                from: gongkai_core::Stage::Drafting,
                to: gongkai_core::Stage::AttributeSet,
                actor: "王晓明",
                at: t0(),
                reason: "",
                doc_rev_id: &rev,
                package_rev_id: None,
            })
            .unwrap();
        (d, r)
    };
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(ROLLBACK_V12).unwrap();
    }
    let store = Store::open(&path, t0()).unwrap();
    assert_eq!(store.schema_version().unwrap(), migrations::LATEST);
    let pending = store.sync_pending().unwrap();
    let kinds: Vec<&str> = pending.iter().map(|p| p.kind.as_str()).collect();
    assert_eq!(
        kinds,
        vec!["doc_revision", "package_revision", "pub_event", "pub_event"],
        "the revision, then the package, then the attribute and the stage"
    );
    let events: Vec<gongkai_store::PubEvent> = pending
        .iter()
        .filter(|p| p.kind == "pub_event")
        .map(|p| store.sync_pub_event(&p.record_id).unwrap())
        .collect();
    assert!(
        matches!(&events[0].change, gongkai_store::PubChange::Disclosure { value }
        if value.reason == "涉及个人隐私")
    );
    assert!(
        matches!(&events[1].change, gongkai_store::PubChange::Stage { to, doc_rev_id, .. }
        if *to == gongkai_core::Stage::AttributeSet && *doc_rev_id == r.to_string())
    );
    assert!(events.iter().all(|e| e.doc_id == d.to_string()));
    assert_eq!(store.sync_package("pkg-old").unwrap().device_id.len(), 36);
}

#[test]
fn the_unit_records_migration_queues_the_register_for_the_other_pcs() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.db");
    let ids = SeqIds::default();
    let row = {
        let mut store = Store::open(&path, t0()).unwrap();
        setup(&mut store, &ids);
        let row = gongkai_store::RequestRow {
            request_id: "r1".into(),
            serial: store.request_next_serial(2026).unwrap(),
            channel: "letter".into(),
            applicant_type: "citizen".into(),
            applicant_name: "张三丰".into(),
            applicant_contact: String::new(),
            content: "户籍窗口投诉处理情况".into(),
            unit_id: "zazd".into(),
            facts: gongkai_core::request::ClockFacts {
                received: "2026-11-02".parse().unwrap(),
                ..Default::default()
            },
            reply: None,
            appeals: Vec::new(),
            created_by: "王晓明".into(),
            created_at: t0(),
            origin: gongkai_store::ORIGIN_LOCAL.into(),
            draft: None,
        };
        store.request_save(&row, t0()).unwrap();
        let duty = gongkai_store::DutyRecordRow {
            record_id: "dr1".into(),
            duty_id: "T03-1".into(),
            unit_id: "zazd".into(),
            on_date: "2026-11-03".parse().unwrap(),
            for_due: None,
            note: "培训".into(),
            by: "王晓明".into(),
        };
        store.duty_record_add(&duty, t0()).unwrap();
        row
    };
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(ROLLBACK_V19).unwrap();
        let queued: i64 = conn
            .query_row(
                "SELECT count(*) FROM sync_outbox WHERE kind = 'unit_event'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(queued, 0);
    }
    let mut store = Store::open(&path, t0()).unwrap();
    assert_eq!(store.schema_version().unwrap(), migrations::LATEST);
    let events: Vec<gongkai_store::UnitEvent> = store
        .sync_pending()
        .unwrap()
        .iter()
        .filter(|p| p.kind == "unit_event")
        .map(|p| store.sync_unit_event(&p.record_id).unwrap())
        .collect();
    let registers: Vec<&str> = events.iter().map(|e| e.register.as_str()).collect();
    assert_eq!(registers, vec!["request:r1", "duty:dr1"]);
    assert!(
        matches!(&events[0].change, gongkai_store::UnitChange::Request { row: r } if **r == row)
    );
    // The rebuilt register keeps the application and takes a second one under the same serial
    // (as another PC of the unit may send).
    assert_eq!(store.request("r1").unwrap(), row);
    let twin = gongkai_store::RequestRow {
        request_id: "r2".into(),
        ..row.clone()
    };
    store.request_save(&twin, t0()).unwrap();
    assert_eq!(store.requests().unwrap().len(), 2);
    assert_eq!(store.request_next_serial(2026).unwrap(), "2026-002");
}

#[test]
fn the_search_migration_reindexes_documents_written_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.db");
    let ids = SeqIds::default();
    let (a, b) = {
        let mut store = Store::open(&path, t0()).unwrap();
        let clerk = setup(&mut store, &ids);
        let (a, _) = create(
            &mut store,
            &ids,
            &clerk,
            &doc("户籍通知", &["旧库里的正文"]),
        );
        let (b, _) = create(&mut store, &ids, &clerk, &doc("交通", &["户籍相关"]));
        (a, b)
    };
    // Put the database back to schema 10: no search keys, the old single-column indexes, empty.
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(ROLLBACK_V12).unwrap();
        conn.execute_batch(
            "DROP INDEX documents_search_key;
             ALTER TABLE documents DROP COLUMN search_key;
             DROP TABLE doc_text; DROP TABLE doc_grams;
             CREATE VIRTUAL TABLE doc_fts USING fts5(title, text, tokenize = 'trigram');
             CREATE VIRTUAL TABLE doc_bigram USING fts5(grams, tokenize = 'unicode61 remove_diacritics 0');
             PRAGMA user_version = 10;",
        )
        .unwrap();
    }
    let store = Store::open(&path, t0()).unwrap();
    assert_eq!(store.schema_version().unwrap(), migrations::LATEST);
    let found: Vec<DocId> = store
        .search("户籍", 10)
        .unwrap()
        .into_iter()
        .map(|h| h.doc.doc_id)
        .collect();
    assert_eq!(found, vec![a, b]);
    assert_eq!(store.search("旧库里", 10).unwrap().len(), 1);
}

#[test]
fn search_follows_the_head_revision() {
    let ids = SeqIds::default();
    let mut store = Store::open_in_memory(t0()).unwrap();
    let clerk = setup(&mut store, &ids);
    let (d, r) = create(&mut store, &ids, &clerk, &doc("旧标题", &["旧的正文内容"]));
    store
        .save_revision(SaveRevision {
            doc_id: d,
            base_rev_id: r,
            rev_id: RevId::new(&ids),
            author: &clerk,
            fields: &doc("新标题", &["新的正文内容"]),
            now: t0(),
            restored_from: None,
        })
        .unwrap();
    assert!(store.search("旧的正文", 10).unwrap().is_empty());
    assert_eq!(store.search("新的正文", 10).unwrap().len(), 1);
    assert_eq!(store.search("新标", 10).unwrap().len(), 1);
}

#[test]
fn a_newer_seed_set_replaces_an_older_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.db");
    let ids = SeqIds::default();
    {
        let mut store = Store::open(&path, t0()).unwrap();
        setup(&mut store, &ids);
    }
    let mut seeds = SeedSet::embedded().unwrap();
    let units = seeds
        .datasets
        .iter_mut()
        .find(|d| d.name == "units")
        .unwrap();
    units.version += 1;
    units.json = r#"{"units":[{"id":"zazd","name":"治安管理支队","parent":null,"kind":"unit","verified":true},
                               {"id":"new","name":"新设单位","parent":null,"kind":"unit","verified":true}]}"#
        .into();
    let store = Store::open_with_seeds(&path, &seeds, t0()).unwrap();
    let names: Vec<_> = store.units().unwrap().into_iter().map(|u| u.name).collect();
    assert_eq!(names, ["治安管理支队", "新设单位"]);
    // A unit dropped from the list is retired, not deleted: old records still name it.
    assert_eq!(store.unit("zhzx").unwrap().name, "指挥中心");
    assert_eq!(store.current_clerk().unwrap().unwrap().unit_id, "zazd");
    // An older set does not replace the newer one.
    drop(store);
    let store = Store::open(&path, t0()).unwrap();
    assert_eq!(store.units().unwrap().len(), 2);
    let v = store.seed_versions().unwrap();
    assert!(v.iter().any(|(n, ver, _)| n == "units" && *ver == 2));
    let _ = Dataset {
        name: String::new(),
        version: 0,
        json: String::new(),
    };
}

#[test]
fn device_id_is_stable() {
    let ids = SeqIds::default();
    let store = Store::open_in_memory(t0()).unwrap();
    let a = store.device_id(&ids).unwrap();
    assert_eq!(store.device_id(&ids).unwrap(), a);
    assert_ne!(ids.new_uuid(), a.0);
}

mod search_oracle {
    //! The search answers exactly what a plain substring scan would, whatever the terms.
    use super::*;
    use proptest::prelude::*;

    const ALPHABET: &[char] = &[
        '户', '籍', '公', '开', '户', 'a', 'B', '1', '，', '·', '%', '_', '"', 'ⅷ', '²', ' ',
    ];

    fn text(max: usize) -> impl Strategy<Value = String> {
        proptest::collection::vec(proptest::sample::select(ALPHABET), 1..max)
            .prop_map(|v| v.into_iter().collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn hits_are_the_documents_holding_every_term(
            docs in proptest::collection::vec((text(8), text(24)), 1..10),
            query in text(7),
        ) {
            let ids = SeqIds::default();
            let mut store = Store::open_in_memory(t0()).unwrap();
            let clerk = setup(&mut store, &ids);
            let mut made = Vec::new();
            for (title, body) in &docs {
                let f = doc(title, &[body]);
                let (id, _) = create(&mut store, &ids, &clerk, &f);
                made.push((id, format!("{}\n{}", f.title.trim(), f.search_text()).to_lowercase()));
            }
            let terms: Vec<String> =
                query.split_whitespace().take(8).map(str::to_lowercase).collect();
            let mut expected: Vec<DocId> = made
                .iter()
                .filter(|(_, t)| !terms.is_empty() && terms.iter().all(|q| t.contains(q.as_str())))
                .map(|(id, _)| *id)
                .collect();
            let mut found: Vec<DocId> =
                store.search(&query, 500).unwrap().into_iter().map(|h| h.doc.doc_id).collect();
            expected.sort();
            found.sort();
            prop_assert_eq!(found, expected, "query {:?}", query);
        }
    }
}
