//! The API as the desktop and the CLI use it, on a real database file.

use chrono::{Duration, TimeZone, Utc};
use gongkai_api::*;
use gongkai_core::{DocFields, FixedClock, SeqIds, Severity};
use gongkai_store::WriteFailure;
use std::sync::Arc;

fn open_api(dir: &std::path::Path) -> Api {
    let clock = FixedClock::new(
        Utc.with_ymd_and_hms(2026, 11, 23, 2, 0, 0).unwrap(),
        Duration::seconds(1),
    );
    Api::open_with(dir, Arc::new(clock), Arc::new(SeqIds::default()))
}

fn ready(dir: &std::path::Path) -> Api {
    let api = open_api(dir);
    api.setup(SetupRequest {
        unit_id: "zazd".into(),
        clerk_name: "王晓明".into(),
        role: Default::default(),
    })
    .unwrap();
    api
}

#[test]
fn first_run_then_setup() {
    let dir = tempfile::tempdir().unwrap();
    let api = open_api(dir.path());
    let st = api.status();
    assert!(st.setup_needed);
    assert!(st.open_error.is_none());
    assert_eq!(st.seeds.len(), 8);
    let err = api.doc_create(CreateDocRequest::default()).unwrap_err();
    assert_eq!(err.code, ErrorCode::SetupRequired);
    let err = api
        .setup(SetupRequest {
            unit_id: "nope".into(),
            clerk_name: "王晓明".into(),
            role: Default::default(),
        })
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(err.message.contains("单位"));
    let err = api
        .setup(SetupRequest {
            unit_id: "zazd".into(),
            clerk_name: "  ".into(),
            role: Default::default(),
        })
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    api.setup(SetupRequest {
        unit_id: "zazd".into(),
        clerk_name: " 王晓明 ".into(),
        role: Default::default(),
    })
    .unwrap();
    let st = api.status();
    assert!(!st.setup_needed);
    assert_eq!(st.clerk.unwrap().name, "王晓明");
    assert_eq!(st.unit.unwrap().name, "治安支队");
}

#[test]
fn draft_save_history_restore_and_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let doc_id;
    let first_rev;
    {
        let api = ready(dir.path());
        let view = api.doc_create(CreateDocRequest::default()).unwrap();
        assert_eq!(view.fields.issuing_authority, "治安支队");
        doc_id = view.summary.doc_id.to_string();
        first_rev = view.head.rev_id.to_string();
        let mut fields = view.fields.clone();
        fields.title = "关于规范户籍窗口服务的通知".into();
        fields.doc_number = "淄公发[2026]5号".into();
        fields.body = vec![
            "一、总体要求".into(),
            "（一）工作目标".into(),
            "正文内容".into(),
        ];
        let saved = api
            .doc_save(SaveRequest {
                doc_id: doc_id.clone(),
                base_rev_id: first_rev.clone(),
                fields: fields.clone(),
            })
            .unwrap();
        assert!(saved.saved);
        assert_eq!(saved.head.rev_no, 2);
        let issue = saved
            .issues
            .iter()
            .find(|i| i.field == "doc_number")
            .unwrap();
        assert_eq!(issue.severity, Severity::Error);
        assert!(issue.message.contains("〔〕"));
        let levels: Vec<_> = saved.paragraphs.iter().map(|p| p.level).collect();
        use gongkai_core::ParagraphLevel::*;
        assert_eq!(levels, vec![H1, H2, Body]);
        // Unchanged content: no new revision.
        let again = api
            .doc_save(SaveRequest {
                doc_id: doc_id.clone(),
                base_rev_id: saved.head.rev_id.to_string(),
                fields: fields.clone(),
            })
            .unwrap();
        assert!(!again.saved);
        assert_eq!(again.head.rev_id, saved.head.rev_id);
        // Restore the empty first revision: a new head with the old content.
        let restored = api
            .doc_restore(RestoreRequest {
                doc_id: doc_id.clone(),
                base_rev_id: saved.head.rev_id.to_string(),
                rev_id: first_rev.clone(),
            })
            .unwrap();
        assert_eq!(restored.head.rev_no, 3);
        assert_eq!(restored.fields.title, "");
        assert_eq!(restored.head.restored_from.unwrap().to_string(), first_rev);
    }
    // Quit and relaunch: everything is there.
    let api = open_api(dir.path());
    assert!(!api.status().setup_needed);
    let list = api.doc_list(ListRequest::default()).unwrap();
    assert_eq!(list.len(), 1);
    let revs = api
        .doc_revisions(DocRef {
            doc_id: doc_id.clone(),
        })
        .unwrap();
    assert_eq!(
        revs.iter().map(|r| r.rev_no).collect::<Vec<_>>(),
        vec![3, 2, 1]
    );
    let r2 = api
        .doc_revision(RevRef {
            rev_id: revs[1].rev_id.to_string(),
        })
        .unwrap();
    assert_eq!(r2.revision.fields.title, "关于规范户籍窗口服务的通知");
    let hits = api
        .doc_search(SearchRequest {
            query: "工作目标".into(),
            limit: None,
        })
        .unwrap();
    assert!(
        hits.is_empty(),
        "search follows the head, which was restored to empty"
    );
    api.doc_delete(DocRef {
        doc_id: doc_id.clone(),
    })
    .unwrap();
    assert!(api.doc_list(ListRequest::default()).unwrap().is_empty());
    assert_eq!(api.doc_list(ListRequest { in_bin: true }).unwrap().len(), 1);
    api.doc_undelete(DocRef { doc_id }).unwrap();
    assert_eq!(api.doc_list(ListRequest::default()).unwrap().len(), 1);
}

#[test]
fn a_failed_save_says_so_keeps_nothing_half_written_and_the_retry_succeeds() {
    let dir = tempfile::tempdir().unwrap();
    let api = ready(dir.path());
    let view = api.doc_create(CreateDocRequest::default()).unwrap();
    let doc_id = view.summary.doc_id.to_string();
    let big = DocFields {
        title: "大文件".into(),
        body: (0..400)
            .map(|i| format!("第{i}段：{}", "政务公开".repeat(50)))
            .collect(),
        ..Default::default()
    };
    for failure in [WriteFailure::DiskFull, WriteFailure::ReadOnly] {
        api.simulate_write_failure(failure).unwrap();
        let err = api
            .doc_save(SaveRequest {
                doc_id: doc_id.clone(),
                base_rev_id: view.head.rev_id.to_string(),
                fields: big.clone(),
            })
            .unwrap_err();
        assert_eq!(err.code, ErrorCode::SaveFailed, "{failure:?}: {err:?}");
        assert!(err.message.contains("自动重试"), "{}", err.message);
        api.simulate_write_failure(WriteFailure::None).unwrap();
        assert_eq!(
            api.doc_revisions(DocRef {
                doc_id: doc_id.clone()
            })
            .unwrap()
            .len(),
            1
        );
    }
    let ok = api
        .doc_save(SaveRequest {
            doc_id: doc_id.clone(),
            base_rev_id: view.head.rev_id.to_string(),
            fields: big.clone(),
        })
        .unwrap();
    assert!(ok.saved);
    assert_eq!(api.doc_get(DocRef { doc_id }).unwrap().fields, big);
}

#[test]
fn conflicting_save_and_bad_ids_have_codes() {
    let dir = tempfile::tempdir().unwrap();
    let api = ready(dir.path());
    let view = api.doc_create(CreateDocRequest::default()).unwrap();
    let doc_id = view.summary.doc_id.to_string();
    let mut f = view.fields.clone();
    f.title = "甲".into();
    api.doc_save(SaveRequest {
        doc_id: doc_id.clone(),
        base_rev_id: view.head.rev_id.to_string(),
        fields: f.clone(),
    })
    .unwrap();
    f.title = "乙".into();
    let err = api
        .doc_save(SaveRequest {
            doc_id: doc_id.clone(),
            base_rev_id: view.head.rev_id.to_string(),
            fields: f,
        })
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Conflict);
    let err = api
        .doc_get(DocRef {
            doc_id: "not-an-id".into(),
        })
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound);
    let json = serde_json::to_value(&err).unwrap();
    assert_eq!(json["code"], "NotFound");
    assert!(json["message"].as_str().unwrap().contains("文件"));
    let err = api
        .doc_search(SearchRequest {
            query: "长".repeat(201),
            limit: None,
        })
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
}

#[test]
fn a_newer_or_damaged_database_is_reported_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE);
    std::fs::write(&path, b"this is not sqlite at all, but a clerk's file").unwrap();
    let api = open_api(dir.path());
    let st = api.status();
    let err = st.open_error.unwrap();
    assert_eq!(err.code, ErrorCode::DatabaseCorrupt);
    assert!(err.message.contains("未对其做任何修改"));
    assert_eq!(api.units().unwrap_err().code, ErrorCode::DatabaseCorrupt);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        b"this is not sqlite at all, but a clerk's file"
    );

    let dir = tempfile::tempdir().unwrap();
    drop(api_for_newer(dir.path()));
    let err = open_api(dir.path()).status().open_error.unwrap();
    assert_eq!(err.code, ErrorCode::DatabaseNewer);
    assert!(err.message.contains("最新版本"));
}

fn api_for_newer(dir: &std::path::Path) -> Api {
    let a = open_api(dir);
    drop(a);
    let conn = rusqlite_conn(dir);
    conn.pragma_update(None, "user_version", 999).unwrap();
    open_api(dir)
}

fn rusqlite_conn(dir: &std::path::Path) -> rusqlite::Connection {
    rusqlite::Connection::open(dir.join(DB_FILE)).unwrap()
}

#[test]
fn check_reports_without_saving() {
    let dir = tempfile::tempdir().unwrap();
    let api = ready(dir.path());
    let check = api.doc_check(DocFields {
        doc_type: gongkai_core::DocType::Request,
        title: "关于请求拨付经费的请示".into(),
        body: vec!["1.第一项".into()],
        ..Default::default()
    });
    assert!(check.issues.iter().any(|i| i.field == "signers"));
    assert_eq!(check.paragraphs[0].level, gongkai_core::ParagraphLevel::H3);
    assert!(api.doc_list(ListRequest::default()).unwrap().is_empty());
}
