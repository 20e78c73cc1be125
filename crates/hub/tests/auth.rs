//! The hub's refusals, over real HTTP on a port-0 socket with real signed requests: who may
//! read and write what, replays, clock skew, forged signatures, oversized bodies — each a JSON
//! error with its stable code.

use gongkai_bundle::{Algorithm, Signer};
use gongkai_hub::{HubState, RunningHub, WallClock};
use gongkai_hub_store_sqlite::SqliteHub;
use gongkai_sync::{HubClient, Stamp, SyncError};
use gongkai_sync_proto::{
    Change, ChangeKind, Dataset, DatasetHead, FeedPage, KeyList, ListedKey, ListedState,
    PushRequest, PushResponse, SignedDataset, SignedKeyList,
};
use reqwest::Method;
use std::sync::Arc;

struct Fixture {
    rt: tokio::runtime::Runtime,
    hub: Option<RunningHub>,
    client: HubClient,
    office: Signer,
}

impl Drop for Fixture {
    fn drop(&mut self) {
        if let Some(h) = self.hub.take() {
            let _ = self.rt.block_on(h.stop());
        }
    }
}

fn office_pub(office: &Signer) -> String {
    format!(
        "untrusted comment: minisign public key {}\n{}\n",
        office.key_id(),
        office.public_key()
    )
}

fn fixture() -> Fixture {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let office = Signer::ephemeral(Algorithm::MinisignEd25519).unwrap();
    let pk = office_pub(&office);
    let hub = rt.block_on(async {
        let store = Arc::new(SqliteHub::open_in_memory().unwrap());
        let state = HubState::new(store, &pk, Arc::new(WallClock)).unwrap();
        gongkai_hub::start("127.0.0.1:0".parse().unwrap(), state)
            .await
            .unwrap()
    });
    let client = HubClient::new(&format!("http://{}", hub.addr), None).unwrap();
    Fixture {
        rt,
        hub: Some(hub),
        client,
        office,
    }
}

/// An HTTP client that signs nothing (to send hand-made headers).
fn plain_client() -> reqwest::Client {
    reqwest::Client::builder()
        .use_preconfigured_tls(
            rustls::ClientConfig::builder_with_provider(Arc::new(
                rustls::crypto::ring::default_provider(),
            ))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(rustls::RootCertStore::empty())
            .with_no_client_auth(),
        )
        .build()
        .unwrap()
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn nonce() -> String {
    uuid::Uuid::now_v7().to_string()
}

impl Fixture {
    fn call(
        &self,
        who: &Signer,
        method: Method,
        path: &str,
        body: Vec<u8>,
    ) -> Result<Vec<u8>, SyncError> {
        let (d, n) = (now(), nonce());
        self.client.call(
            who,
            method,
            path,
            body,
            Stamp {
                date: &d,
                nonce: &n,
            },
            &[],
        )
    }

    fn publish(
        &self,
        version: u64,
        keys: &[(&Signer, &str, ListedState)],
    ) -> Result<Vec<u8>, SyncError> {
        let list = KeyList {
            version,
            issued_at: now(),
            office_key_id: self.office.key_id().into(),
            keys: keys
                .iter()
                .map(|(s, unit, state)| ListedKey {
                    unit_id: unit.to_string(),
                    key_id: s.key_id().into(),
                    algorithm: s.algorithm().as_str().into(),
                    public_key: s.public_key().into(),
                    device_id: format!("dev-{}", s.key_id()),
                    state: *state,
                })
                .collect(),
        };
        let signed = SignedKeyList::sign(&list, &self.office).unwrap();
        self.call(
            &self.office,
            Method::PUT,
            "/v1/keylist",
            serde_json::to_vec(&signed).unwrap(),
        )
    }
}

fn change(unit: &str, series: &str, seq: i64) -> Change {
    Change {
        change_id: format!("{series}-{seq}"),
        unit_id: unit.into(),
        series: series.into(),
        seq,
        kind: ChangeKind::DocRevision,
        doc_id: Some("d1".into()),
        rev_id: Some(format!("r{seq}")),
        parents: if seq > 1 {
            vec![format!("r{}", seq - 1)]
        } else {
            vec![]
        },
        key_version: Some("k".into()),
        payload: "c2VhbGVk".into(),
        created_at: now(),
    }
}

fn push_body(changes: Vec<Change>) -> Vec<u8> {
    serde_json::to_vec(&PushRequest { changes }).unwrap()
}

fn code(r: Result<Vec<u8>, SyncError>) -> String {
    match r {
        Err(SyncError::Refused { code, message }) => {
            assert!(
                message
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "Chinese message: {message}"
            );
            code
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn who_may_do_what() {
    let f = fixture();
    let a = Signer::ephemeral(Algorithm::MinisignEd25519).unwrap();
    let sm2 = Signer::ephemeral(Algorithm::Sm2Sm3).unwrap();
    let other_unit = Signer::ephemeral(Algorithm::MinisignEd25519).unwrap();
    let retired = Signer::ephemeral(Algorithm::MinisignEd25519).unwrap();
    let revoked = Signer::ephemeral(Algorithm::MinisignEd25519).unwrap();

    // Before any key list: nobody but the office is known.
    assert_eq!(
        code(f.call(&a, Method::GET, "/v1/feed", vec![])),
        "key_unknown"
    );
    // A device cannot publish a key list; the office can, only forward.
    let keys = [
        (&a, "zazd", ListedState::Active),
        (&sm2, "zazd", ListedState::Active),
        (&other_unit, "jjzd", ListedState::Active),
        (&retired, "zazd", ListedState::Retired),
        (&revoked, "zazd", ListedState::Revoked),
    ];
    f.publish(3, &keys).unwrap();
    let older = f.publish(2, &keys).unwrap();
    assert!(String::from_utf8(older)
        .unwrap()
        .contains("\"stored\":false"));
    let list = KeyList {
        version: 9,
        issued_at: now(),
        office_key_id: a.key_id().into(),
        keys: vec![],
    };
    let forged = SignedKeyList::sign(&list, &a).unwrap();
    assert_eq!(
        code(f.call(
            &a,
            Method::PUT,
            "/v1/keylist",
            serde_json::to_vec(&forged).unwrap()
        )),
        "forbidden"
    );

    // Active keys of both algorithms write their own unit's records.
    let ok = f
        .call(
            &a,
            Method::POST,
            "/v1/changes",
            push_body(vec![change("zazd", "devA/main", 1)]),
        )
        .unwrap();
    let acks: PushResponse = serde_json::from_slice(&ok).unwrap();
    assert_eq!(acks.acks.len(), 1);
    f.call(
        &sm2,
        Method::POST,
        "/v1/changes",
        push_body(vec![change("zazd", "devS/main", 1)]),
    )
    .unwrap();
    // Not another unit's, and never a receipt.
    assert_eq!(
        code(f.call(
            &a,
            Method::POST,
            "/v1/changes",
            push_body(vec![change("jjzd", "devA/x", 1)])
        )),
        "forbidden"
    );
    let mut receipt = change("zazd", "devA/r", 1);
    receipt.kind = ChangeKind::Receipt;
    assert_eq!(
        code(f.call(&a, Method::POST, "/v1/changes", push_body(vec![receipt]))),
        "forbidden"
    );
    // A gap is named.
    assert_eq!(
        code(f.call(
            &a,
            Method::POST,
            "/v1/changes",
            push_body(vec![change("zazd", "devA/main", 3)])
        )),
        "seq_gap"
    );

    // Another unit's PC reads nothing of zazd's.
    let feed: FeedPage = serde_json::from_slice(
        &f.call(&other_unit, Method::GET, "/v1/feed?since=0", vec![])
            .unwrap(),
    )
    .unwrap();
    assert!(feed.entries.is_empty());
    let feed: FeedPage =
        serde_json::from_slice(&f.call(&a, Method::GET, "/v1/feed?since=0", vec![]).unwrap())
            .unwrap();
    assert_eq!(feed.entries.len(), 2);
    assert!(feed.key_list.is_some());

    // Retired keys read and do not write; revoked keys do nothing.
    f.call(&retired, Method::GET, "/v1/feed?since=0", vec![])
        .unwrap();
    assert_eq!(
        code(f.call(
            &retired,
            Method::POST,
            "/v1/changes",
            push_body(vec![change("zazd", "devR/main", 1)])
        )),
        "key_retired"
    );
    assert_eq!(
        code(f.call(&revoked, Method::GET, "/v1/feed?since=0", vec![])),
        "key_revoked"
    );
    // Only the office lists submissions.
    assert_eq!(
        code(f.call(&a, Method::GET, "/v1/submissions", vec![])),
        "forbidden"
    );
    f.call(&f.office, Method::GET, "/v1/submissions", vec![])
        .unwrap();
}

#[test]
fn replays_skew_forgeries_and_oversized_bodies_are_refused() {
    let f = fixture();
    let a = Signer::ephemeral(Algorithm::MinisignEd25519).unwrap();
    f.publish(1, &[(&a, "zazd", ListedState::Active)]).unwrap();
    let (d, n) = (now(), nonce());
    let stamp = Stamp {
        date: &d,
        nonce: &n,
    };
    f.client
        .call(&a, Method::GET, "/v1/feed", vec![], stamp, &[])
        .unwrap();
    assert_eq!(
        code(
            f.client
                .call(&a, Method::GET, "/v1/feed", vec![], stamp, &[])
        ),
        "replayed"
    );
    let old = (chrono::Utc::now() - chrono::Duration::hours(1)).to_rfc3339();
    let n2 = nonce();
    assert_eq!(
        code(f.client.call(
            &a,
            Method::GET,
            "/v1/feed",
            vec![],
            Stamp {
                date: &old,
                nonce: &n2
            },
            &[]
        )),
        "clock_skew"
    );
    // A stranger's key claiming a listed key id: the signature does not verify.
    let stranger = Signer::ephemeral(Algorithm::MinisignEd25519).unwrap();
    let (d3, n3) = (now(), nonce());
    let auth =
        gongkai_sync_proto::sign_request(&stranger, "GET", "/v1/feed", &d3, &n3, b"").unwrap();
    let addr = f.hub.as_ref().unwrap().addr;
    let status_and_body = f.rt.block_on(async {
        let r = plain_client()
            .get(format!("http://{addr}/v1/feed"))
            .header("gongkai-key", a.key_id())
            .header("gongkai-date", auth.date)
            .header("gongkai-nonce", auth.nonce)
            .header("gongkai-signature", auth.signature)
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    });
    assert_eq!(status_and_body.0, 401);
    assert!(
        status_and_body.1.contains("\"code\":\"bad_signature\""),
        "{}",
        status_and_body.1
    );
    // Over the body limit: a JSON refusal, not a dropped connection.
    let big = vec![b' '; gongkai_hub::routes::MAX_PUSH_BYTES + 10];
    assert_eq!(
        code(f.call(&a, Method::POST, "/v1/changes", big)),
        "too_large"
    );
    // Health needs no key.
    let health = f.rt.block_on(async {
        plain_client()
            .get(format!("http://{addr}/v1/health"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    });
    assert!(
        health.contains("\"backend\":\"sqlite\"") && health.contains("\"key_list_version\":1"),
        "{health}"
    );
}

#[test]
fn a_client_works_inside_another_runtime_as_the_desktop_shell_calls_it() {
    let f = fixture();
    let a = Signer::ephemeral(Algorithm::MinisignEd25519).unwrap();
    f.publish(1, &[(&a, "zazd", ListedState::Active)]).unwrap();
    let url = format!("http://{}", f.hub.as_ref().unwrap().addr);
    // The shell runs commands on tokio worker threads: blocking there must not panic or hang.
    let got = f.rt.block_on(async move {
        let client = HubClient::new(&url, None).unwrap();
        let (d, n) = (now(), nonce());
        let r = client.call(
            &a,
            Method::GET,
            "/v1/feed",
            vec![],
            Stamp {
                date: &d,
                nonce: &n,
            },
            &[],
        );
        drop(client);
        r
    });
    let page: FeedPage = serde_json::from_slice(&got.unwrap()).unwrap();
    assert!(page.entries.is_empty());
}

#[test]
fn the_same_batch_from_two_tasks_at_once_is_stored_once() {
    let f = fixture();
    let a = Signer::ephemeral(Algorithm::MinisignEd25519).unwrap();
    f.publish(1, &[(&a, "zazd", ListedState::Active)]).unwrap();
    let batch = push_body((1..=20).map(|i| change("zazd", "devA/main", i)).collect());
    let url = format!("http://{}", f.hub.as_ref().unwrap().addr);
    let answers: Vec<PushResponse> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..2)
            .map(|_| {
                let (batch, url, a) = (batch.clone(), url.clone(), &a);
                s.spawn(move || {
                    let c = HubClient::new(&url, None).unwrap();
                    let (d, n) = (now(), nonce());
                    let bytes = c
                        .call(
                            a,
                            Method::POST,
                            "/v1/changes",
                            batch,
                            Stamp {
                                date: &d,
                                nonce: &n,
                            },
                            &[],
                        )
                        .unwrap();
                    serde_json::from_slice::<PushResponse>(&bytes).unwrap()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    // Each change was applied by exactly one of the two, and both got the same sequence numbers.
    for i in 0..20 {
        let (x, y) = (&answers[0].acks[i], &answers[1].acks[i]);
        assert_eq!(x.server_seq, y.server_seq);
        let applied = [x.status, y.status]
            .iter()
            .filter(|s| **s != gongkai_sync_proto::PushStatus::Duplicate)
            .count();
        assert_eq!(applied, 1, "change {i}: {:?} / {:?}", x.status, y.status);
    }
    let feed: FeedPage =
        serde_json::from_slice(&f.call(&a, Method::GET, "/v1/feed?since=0", vec![]).unwrap())
            .unwrap();
    assert_eq!(feed.entries.len(), 20);
}

#[test]
fn reference_data_comes_only_from_the_office_signed_by_it() {
    let f = fixture();
    let a = Signer::ephemeral(Algorithm::MinisignEd25519).unwrap();
    let revoked = Signer::ephemeral(Algorithm::MinisignEd25519).unwrap();
    f.publish(
        1,
        &[
            (&a, "zazd", ListedState::Active),
            (&revoked, "zazd", ListedState::Revoked),
        ],
    )
    .unwrap();
    let dataset = |version: u32| Dataset {
        name: "holidays".into(),
        version,
        issued_at: now(),
        json: format!("{{\"years\":{{}},\"v\":{version}}}"),
    };
    let body = |d: &Dataset, by: &Signer| {
        serde_json::to_vec(&SignedDataset::sign(d, by).unwrap()).unwrap()
    };
    // A device may not publish, even with a dataset the office signed.
    assert_eq!(
        code(f.call(
            &a,
            Method::PUT,
            "/v1/reference",
            body(&dataset(2), &f.office)
        )),
        "forbidden"
    );
    // The office's request with a dataset another key signed is refused.
    assert_eq!(
        code(f.call(
            &f.office,
            Method::PUT,
            "/v1/reference",
            body(&dataset(2), &a)
        )),
        "bad_request"
    );
    let stored = |r: Vec<u8>| -> bool {
        serde_json::from_slice::<serde_json::Value>(&r).unwrap()["stored"]
            .as_bool()
            .unwrap()
    };
    assert!(stored(
        f.call(
            &f.office,
            Method::PUT,
            "/v1/reference",
            body(&dataset(2), &f.office)
        )
        .unwrap()
    ));
    assert!(!stored(
        f.call(
            &f.office,
            Method::PUT,
            "/v1/reference",
            body(&dataset(1), &f.office)
        )
        .unwrap()
    ));
    // A unit's PC reads the versions and the dataset, and can check the office's signature.
    let heads: Vec<DatasetHead> =
        serde_json::from_slice(&f.call(&a, Method::GET, "/v1/reference", vec![]).unwrap()).unwrap();
    assert_eq!(
        heads,
        vec![DatasetHead {
            name: "holidays".into(),
            version: 2
        }]
    );
    let got: SignedDataset = serde_json::from_slice(
        &f.call(&a, Method::GET, "/v1/reference/holidays", vec![])
            .unwrap(),
    )
    .unwrap();
    let d = got.verify(f.office.public_key()).unwrap();
    assert_eq!((d.name.as_str(), d.version), ("holidays", 2));
    assert!(d.json.contains("\"v\":2"), "{}", d.json);
    assert_eq!(
        code(f.call(&a, Method::GET, "/v1/reference/units", vec![])),
        "not_found"
    );
    // A revoked key reads nothing.
    assert_eq!(
        code(f.call(&revoked, Method::GET, "/v1/reference", vec![])),
        "key_revoked"
    );
}
