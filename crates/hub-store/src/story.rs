//! The story every backend must tell the same way. Each backend's tests call [`run_all`] on a
//! fresh store (SQLite always; PostgreSQL when `GONGKAI_TEST_PG` is set).

use crate::{Counts, HubStore, HubStoreError, StoredKeyList};
use chrono::{DateTime, Duration, TimeZone, Utc};
use gongkai_sync_proto::{
    Change, ChangeKind, DatasetHead, PushStatus, SignedDataset, SignedKeyList,
};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 4, 9, 0, 0)
        .single()
        .expect("valid time")
}

/// A change for the story (the payload is opaque to the hub).
pub fn change(unit: &str, series: &str, seq: i64, doc: Option<(&str, &str, &[&str])>) -> Change {
    Change {
        change_id: format!("{series}-{seq}-{}", doc.map(|d| d.1).unwrap_or("x")),
        unit_id: unit.into(),
        series: series.into(),
        seq,
        kind: if doc.is_some() {
            ChangeKind::DocRevision
        } else {
            ChangeKind::DeviceRecipient
        },
        doc_id: doc.map(|d| d.0.to_string()),
        rev_id: doc.map(|d| d.1.to_string()),
        parents: doc
            .map(|d| d.2.iter().map(|p| p.to_string()).collect())
            .unwrap_or_default(),
        key_version: None,
        payload: format!("cipher-{series}-{seq}"),
        created_at: "2026-12-04T09:00:00Z".into(),
    }
}

/// Every story in order, on one fresh store.
pub async fn run_all(store: &dyn HubStore) {
    batches_are_idempotent_and_ordered(store).await;
    gaps_and_reuse_are_refused_whole(store).await;
    concurrent_revisions_are_flagged_and_merged(store).await;
    the_feed_pages_one_unit_only(store).await;
    key_lists_only_move_forward(store).await;
    datasets_only_move_forward_each_by_name(store).await;
    nonces_are_used_once(store).await;
    submissions_are_stored_once(store).await;
}

async fn batches_are_idempotent_and_ordered(store: &dyn HubStore) {
    let batch: Vec<Change> = (1..=3)
        .map(|i| change("u1", "devA/main", i, None))
        .collect();
    let acks = store.push(&batch, t0()).await.expect("push");
    assert_eq!(acks.len(), 3);
    assert!(acks.iter().all(|a| a.status == PushStatus::Applied));
    assert!(acks.windows(2).all(|w| w[0].server_seq < w[1].server_seq));
    let again = store.push(&batch, t0()).await.expect("push again");
    assert!(again.iter().all(|a| a.status == PushStatus::Duplicate));
    let seqs: Vec<i64> = acks.iter().map(|a| a.server_seq).collect();
    let again_seqs: Vec<i64> = again.iter().map(|a| a.server_seq).collect();
    assert_eq!(seqs, again_seqs, "a retry gets the first answer");
    // A retry that overlaps: two old, one new.
    let mut overlap = batch[1..].to_vec();
    overlap.push(change("u1", "devA/main", 4, None));
    let acks = store.push(&overlap, t0()).await.expect("overlap");
    assert_eq!(
        acks.iter().map(|a| a.status).collect::<Vec<_>>(),
        vec![
            PushStatus::Duplicate,
            PushStatus::Duplicate,
            PushStatus::Applied
        ]
    );
    let heads = store.series_heads("u1").await.expect("heads");
    assert!(heads
        .iter()
        .any(|h| h.series == "devA/main" && h.last_seq == 4));
}

async fn gaps_and_reuse_are_refused_whole(store: &dyn HubStore) {
    let before = store.counts().await.expect("counts");
    let gap = vec![
        change("u1", "devA/main", 5, None),
        change("u1", "devA/main", 7, None),
    ];
    match store.push(&gap, t0()).await {
        Err(HubStoreError::SeqGap { expected, got, .. }) => assert_eq!((expected, got), (6, 7)),
        other => panic!("a gap must be refused, got {other:?}"),
    }
    assert_eq!(
        store.counts().await.expect("counts"),
        before,
        "nothing of the batch stays"
    );
    let mut reused = change("u1", "devA/main", 2, None);
    reused.change_id = "another-id".into();
    assert!(matches!(
        store.push(&[reused], t0()).await,
        Err(HubStoreError::SeqReused { seq: 2, .. })
    ));
    let fresh_series = change("u1", "devB/main", 2, None);
    assert!(matches!(
        store.push(&[fresh_series], t0()).await,
        Err(HubStoreError::SeqGap { expected: 1, .. })
    ));
}

async fn concurrent_revisions_are_flagged_and_merged(store: &dyn HubStore) {
    let first = change("u1", "devA/docs", 1, Some(("d1", "r1", &[])));
    let a = store.push(&[first], t0()).await.expect("first");
    assert_eq!(a[0].status, PushStatus::Applied);
    let on_a = change("u1", "devA/docs", 2, Some(("d1", "r2a", &["r1"])));
    assert_eq!(
        store.push(&[on_a], t0()).await.expect("a")[0].status,
        PushStatus::Applied
    );
    let on_b = change("u1", "devB/docs", 1, Some(("d1", "r2b", &["r1"])));
    assert_eq!(
        store
            .push(std::slice::from_ref(&on_b), t0())
            .await
            .expect("b")[0]
            .status,
        PushStatus::Conflict,
        "two children of one revision: 冲突"
    );
    assert_eq!(
        store.push(&[on_b], t0()).await.expect("b again")[0].status,
        PushStatus::Duplicate
    );
    let merge = change("u1", "devB/docs", 2, Some(("d1", "m", &["r2b", "r2a"])));
    assert_eq!(
        store.push(&[merge], t0()).await.expect("merge")[0].status,
        PushStatus::Applied
    );
    let next = change("u1", "devA/docs", 3, Some(("d1", "r3", &["m"])));
    assert_eq!(
        store.push(&[next], t0()).await.expect("next")[0].status,
        PushStatus::Applied
    );
    // Within one batch: a revision and its child apply in order, a second copy of a change is
    // a duplicate of the first, and a sibling is flagged.
    let s1 = change("u1", "devA/docs", 4, Some(("d2", "s1", &[])));
    let s2 = change("u1", "devA/docs", 5, Some(("d2", "s2", &["s1"])));
    let s2x = change("u1", "devC/docs", 1, Some(("d2", "s2x", &["s1"])));
    let acks = store
        .push(&[s1.clone(), s2, s1, s2x], t0())
        .await
        .expect("one batch");
    assert_eq!(
        acks.iter().map(|a| a.status).collect::<Vec<_>>(),
        vec![
            PushStatus::Applied,
            PushStatus::Applied,
            PushStatus::Duplicate,
            PushStatus::Conflict
        ]
    );
    assert_eq!(acks[0].server_seq, acks[2].server_seq);
}

async fn the_feed_pages_one_unit_only(store: &dyn HubStore) {
    store
        .push(&[change("u2", "devZ/main", 1, None)], t0())
        .await
        .expect("other unit");
    let all = store.feed("u1", 0, 1000).await.expect("feed");
    assert!(all.iter().all(|e| e.change.unit_id == "u1"));
    assert!(all.windows(2).all(|w| w[0].server_seq < w[1].server_seq));
    let mut paged = Vec::new();
    let mut since = 0;
    loop {
        let page = store.feed("u1", since, 3).await.expect("page");
        if page.is_empty() {
            break;
        }
        assert!(page.len() <= 3);
        since = page.last().map(|e| e.server_seq).unwrap_or(since);
        paged.extend(page);
    }
    assert_eq!(paged, all, "pages add up to the whole feed");
    let other = store.feed("u2", 0, 10).await.expect("u2");
    assert_eq!(other.len(), 1);
    assert_eq!(other[0].change.payload, "cipher-devZ/main-1");

    // The office reads a unit's recipients only: that unit's, of that kind, oldest first.
    let recipients = store.recipients("u1").await.expect("recipients");
    assert!(!recipients.is_empty());
    assert!(recipients
        .iter()
        .all(|c| c.unit_id == "u1" && c.kind == ChangeKind::DeviceRecipient));
    let expected: Vec<Change> = all
        .iter()
        .filter(|e| e.change.kind == ChangeKind::DeviceRecipient)
        .map(|e| e.change.clone())
        .collect();
    assert_eq!(recipients, expected);
    assert!(all
        .iter()
        .any(|e| e.change.kind != ChangeKind::DeviceRecipient));
    assert_eq!(store.recipients("u3").await.expect("none"), Vec::new());
}

async fn key_lists_only_move_forward(store: &dyn HubStore) {
    let list = |v: u64| StoredKeyList {
        version: v,
        signed: SignedKeyList {
            list: format!("{{\"version\":{v}}}"),
            signature: "sig".into(),
        },
    };
    assert!(store.key_list().await.expect("none").is_none());
    assert!(store.put_key_list(&list(2), t0()).await.expect("v2"));
    assert!(!store.put_key_list(&list(1), t0()).await.expect("v1 older"));
    assert!(!store.put_key_list(&list(2), t0()).await.expect("v2 again"));
    assert!(store.put_key_list(&list(5), t0()).await.expect("v5"));
    assert_eq!(store.key_list().await.expect("newest"), Some(list(5)));
}

async fn datasets_only_move_forward_each_by_name(store: &dyn HubStore) {
    let head = |name: &str, version: u32| DatasetHead {
        name: name.into(),
        version,
    };
    let signed = |name: &str, v: u32| SignedDataset {
        dataset: format!("{{\"name\":\"{name}\",\"version\":{v}}}"),
        signature: format!("sig-{v}"),
    };
    assert!(store.dataset_heads().await.expect("none").is_empty());
    assert!(store.dataset("holidays").await.expect("none").is_none());
    let put = |n: &'static str, v: u32| async move {
        store
            .put_dataset(&head(n, v), &signed(n, v), t0())
            .await
            .expect("put")
    };
    assert!(put("holidays", 3).await);
    assert!(!put("holidays", 2).await, "older");
    assert!(!put("holidays", 3).await, "the same again");
    assert!(put("units", 1).await, "another name has its own versions");
    assert!(put("holidays", 4).await);
    let mut heads = store.dataset_heads().await.expect("heads");
    heads.sort_by(|a, b| a.name.cmp(&b.name));
    assert_eq!(heads, vec![head("holidays", 4), head("units", 1)]);
    assert_eq!(
        store.dataset("holidays").await.expect("newest"),
        Some(signed("holidays", 4))
    );
}

async fn nonces_are_used_once(store: &dyn HubStore) {
    let old = t0() - Duration::minutes(30);
    assert!(store.use_nonce("K1", "n1", t0(), old).await.expect("n1"));
    assert!(!store
        .use_nonce("K1", "n1", t0(), old)
        .await
        .expect("n1 again"));
    assert!(store
        .use_nonce("K2", "n1", t0(), old)
        .await
        .expect("other key"));
}

async fn submissions_are_stored_once(store: &dyn HubStore) {
    let a = store
        .put_submission("u1", "s1", "aa", b"bytes-1", t0())
        .await
        .expect("s1");
    assert!(!a.duplicate);
    let again = store
        .put_submission("u1", "s1", "aa", b"bytes-1", t0())
        .await
        .expect("s1 again");
    assert!(again.duplicate);
    assert_eq!(again.server_seq, a.server_seq);
    assert!(matches!(
        store
            .put_submission("u1", "s1", "bb", b"bytes-2", t0())
            .await,
        Err(HubStoreError::SubmissionReplay(_))
    ));
    store
        .put_submission("u2", "s2", "cc", b"bytes-3", t0())
        .await
        .expect("s2");
    let listed = store.submissions(0, 10).await.expect("list");
    assert_eq!(
        listed
            .iter()
            .map(|s| s.submission_id.as_str())
            .collect::<Vec<_>>(),
        vec!["s1", "s2"]
    );
    let after = store
        .submissions(listed[0].server_seq, 10)
        .await
        .expect("after");
    assert_eq!(after.len(), 1);
    assert_eq!(
        store.submission_bytes("s1").await.expect("bytes"),
        Some(("u1".to_string(), b"bytes-1".to_vec()))
    );
    let c: Counts = store.counts().await.expect("counts");
    assert_eq!(c.submissions, 2);
}
