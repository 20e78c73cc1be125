//! Sync over loopback against the real hub, on SQLite and (when `GONGKAI_TEST_PG` is set) on
//! PostgreSQL:
//! - 1,000 queued revisions pushed by one PC (`sync_now`: key unlock, push, pull), then pulled
//!   by the unit's other PC (`sync_now`: unlock, pull, decrypt, apply);
//! - 50 devices syncing at once (each its own enrolled key: 10 rounds of pushing 5 changes and
//!   pulling its unit's feed, signed requests end to end); every round's latency, p50/p95.
//!
//! Run by `scripts/bench.sh` (release build). Figures are printed; nothing is asserted.
//!
//! Usage: `bench_sync [CHANGES=1000] [DEVICES=50]`

use anyhow::{anyhow, Context, Result};
use gongkai_api::*;
use gongkai_bundle::{Algorithm, Signer};
use gongkai_sync::{HubClient, Stamp};
use gongkai_sync_proto::{
    Change, ChangeKind, FeedPage, KeyList, ListedKey, ListedState, PushRequest, SignedKeyList,
};
use std::sync::Arc;
use std::time::Instant;

const PW: &str = "bench password";

fn e(err: ApiError) -> anyhow::Error {
    anyhow!("{:?}: {}", err.code, err.message)
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn install(dir: &std::path::Path, unit: &str, role: Role) -> Result<Api> {
    let api = Api::open(dir);
    api.setup(SetupRequest {
        unit_id: unit.into(),
        clerk_name: "测试员".into(),
        role,
    })
    .map_err(e)?;
    Ok(api)
}

fn start(
    rt: &tokio::runtime::Runtime,
    url: &str,
    office_pub: &str,
) -> Result<gongkai_hub::RunningHub> {
    rt.block_on(async {
        let store = gongkai_hub::open_store(url).await?;
        let state =
            gongkai_hub::HubState::new(store, office_pub, Arc::new(gongkai_hub::WallClock))?;
        Ok(gongkai_hub::start("127.0.0.1:0".parse()?, state).await?)
    })
}

fn two_pcs(
    rt: &tokio::runtime::Runtime,
    root: &std::path::Path,
    db: &str,
    changes: usize,
) -> Result<()> {
    let office = install(&root.join("office"), "zhzx-wsgaban", Role::Office)?;
    let ok = office
        .keys_generate(KeyGenerateRequest {
            password: PW.into(),
            algorithm: String::new(),
        })
        .map_err(e)?;
    let office_pub = format!(
        "untrusted comment: minisign public key {}\n{}\n",
        ok.key_id, ok.public_key
    );
    let mut pcs = Vec::new();
    for name in ["a", "b"] {
        let pc = install(&root.join(name), "zazd", Role::Unit)?;
        pc.office_key_pin(OfficeKeyRequest {
            public_key: office_pub.clone(),
        })
        .map_err(e)?;
        let k = pc
            .keys_generate(KeyGenerateRequest {
                password: PW.into(),
                algorithm: String::new(),
            })
            .map_err(e)?;
        let req = pc
            .keys_enrolment_request(KeyUseRequest {
                password: PW.into(),
                path: root.join(format!("{name}.json")).display().to_string(),
            })
            .map_err(e)?;
        office
            .trust_enrol(FileRequest { path: req.path })
            .map_err(e)?;
        office
            .trust_activate(KeyActivateRequest {
                key_id: k.key_id,
                fingerprint: k.fingerprint,
            })
            .map_err(e)?;
        pcs.push(pc);
    }
    let hub = start(rt, db, &office_pub)?;
    let url = format!("http://{}", hub.addr);
    let now = |api: &Api| {
        api.sync_now(SyncNowRequest {
            password: PW.into(),
        })
        .map_err(e)
    };
    for api in [&office, &pcs[0], &pcs[1]] {
        api.sync_config(SyncConfigRequest {
            hub: url.clone(),
            ca_file: None,
        })
        .map_err(e)?;
    }
    now(&office)?;
    let (a, b) = (&pcs[0], &pcs[1]);
    let doc = a
        .doc_create(CreateDocRequest {
            fields: Some(gongkai_core::DocFields {
                title: "关于同步性能测试的通知".into(),
                body: vec!["一、总则".into(); 20],
                ..Default::default()
            }),
        })
        .map_err(e)?
        .summary
        .doc_id
        .to_string();
    now(a)?;
    now(b)?;
    now(a)?;
    now(b)?;
    for i in 0..changes {
        let v = a
            .doc_get(DocRef {
                doc_id: doc.clone(),
            })
            .map_err(e)?;
        let mut f = v.fields;
        f.body[i % 20] = format!("第{i}次修改的条款内容，说明同步的性能。");
        a.doc_save(SaveRequest {
            doc_id: doc.clone(),
            base_rev_id: v.head.rev_id.to_string(),
            fields: f,
        })
        .map_err(e)?;
    }
    let t = Instant::now();
    let r = now(a)?;
    let push = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let s = now(b)?;
    let pull = t.elapsed().as_secs_f64();
    println!(
        "  push: {} revisions in {:.2} s (sync_now, key unlock included)\n  pull: {} entries, {} revisions applied in {:.2} s (sync_now, key unlock included)",
        r.pushed, push, s.pulled, s.applied_revisions, pull
    );
    rt.block_on(hub.stop())?;
    Ok(())
}

fn many_devices(rt: &tokio::runtime::Runtime, db: &str, devices: usize) -> Result<()> {
    let office = Signer::ephemeral(Algorithm::MinisignEd25519).map_err(|e| anyhow!("{e}"))?;
    let office_pub = format!(
        "untrusted comment: minisign public key {}\n{}\n",
        office.key_id(),
        office.public_key()
    );
    let signers: Vec<Signer> = (0..devices)
        .map(|_| Signer::ephemeral(Algorithm::MinisignEd25519).map_err(|e| anyhow!("{e}")))
        .collect::<Result<_>>()?;
    let list = KeyList {
        version: 1,
        issued_at: chrono::Utc::now().to_rfc3339(),
        office_key_id: office.key_id().into(),
        keys: signers
            .iter()
            .enumerate()
            .map(|(i, s)| ListedKey {
                unit_id: format!("unit{}", i % 10),
                key_id: s.key_id().into(),
                algorithm: "minisign-ed25519".into(),
                public_key: s.public_key().into(),
                device_id: format!("dev{i}"),
                state: ListedState::Active,
            })
            .collect(),
    };
    let hub = start(rt, db, &office_pub)?;
    let url = format!("http://{}", hub.addr);
    let signed = SignedKeyList::sign(&list, &office).map_err(|e| anyhow!(e))?;
    let client = HubClient::new(&url, None)?;
    let stamp = |c: &HubClient, s: &Signer, m: reqwest::Method, p: &str, body: Vec<u8>| {
        let (d, n) = (
            chrono::Utc::now().to_rfc3339(),
            uuid::Uuid::now_v7().to_string(),
        );
        c.call(
            s,
            m,
            p,
            body,
            Stamp {
                date: &d,
                nonce: &n,
            },
            &[],
        )
    };
    stamp(
        &client,
        &office,
        reqwest::Method::PUT,
        "/v1/keylist",
        serde_json::to_vec(&signed)?,
    )?;
    let start_all = Instant::now();
    let handles: Vec<_> = signers
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let url = url.clone();
            std::thread::spawn(move || -> Result<Vec<f64>> {
                let client = HubClient::new(&url, None)?;
                let unit = format!("unit{}", i % 10);
                let (mut seq, mut since, mut times) = (0i64, 0i64, Vec::new());
                for _ in 0..10 {
                    let t = Instant::now();
                    let changes: Vec<Change> = (0..5)
                        .map(|_| {
                            seq += 1;
                            Change {
                                change_id: uuid::Uuid::now_v7().to_string(),
                                unit_id: unit.clone(),
                                series: format!("dev{i}/main"),
                                seq,
                                kind: ChangeKind::DocRevision,
                                doc_id: Some(format!("doc{i}")),
                                rev_id: Some(format!("rev{i}-{seq}")),
                                parents: if seq > 1 {
                                    vec![format!("rev{i}-{}", seq - 1)]
                                } else {
                                    vec![]
                                },
                                key_version: Some("k".into()),
                                payload: "x".repeat(2000),
                                created_at: chrono::Utc::now().to_rfc3339(),
                            }
                        })
                        .collect();
                    stamp(
                        &client,
                        &s,
                        reqwest::Method::POST,
                        "/v1/changes",
                        serde_json::to_vec(&PushRequest { changes })?,
                    )?;
                    loop {
                        let page: FeedPage = serde_json::from_slice(&stamp(
                            &client,
                            &s,
                            reqwest::Method::GET,
                            &format!("/v1/feed?since={since}&limit=500"),
                            Vec::new(),
                        )?)?;
                        since = page.next_since;
                        if !page.more {
                            break;
                        }
                    }
                    times.push(t.elapsed().as_secs_f64() * 1000.0);
                }
                Ok(times)
            })
        })
        .collect();
    let mut all = Vec::new();
    let mut errors = 0;
    for h in handles {
        match h.join().map_err(|_| anyhow!("thread panicked"))? {
            Ok(t) => all.extend(t),
            Err(err) => {
                errors += 1;
                eprintln!("  device error: {err:#}");
            }
        }
    }
    let wall = start_all.elapsed().as_secs_f64();
    all.sort_by(|a, b| a.total_cmp(b));
    println!(
        "  {devices} devices at once, {} syncs (push 5 + pull) in {:.2} s: errors {errors}, p50 {:.0} ms, p95 {:.0} ms, max {:.0} ms",
        all.len(),
        wall,
        pct(&all, 0.5),
        pct(&all, 0.95),
        all.last().copied().unwrap_or(0.0)
    );
    rt.block_on(hub.stop())?;
    Ok(())
}

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let changes: usize = args.next().map(|s| s.parse()).transpose()?.unwrap_or(1000);
    let devices: usize = args.next().map(|s| s.parse()).transpose()?.unwrap_or(50);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let root = std::env::temp_dir().join(format!("gongkai-bench-sync-{}", std::process::id()));
    let mut backends = vec![(
        "sqlite",
        format!("sqlite://{}", root.join("hub.db").display()),
    )];
    let mut backends_many = vec![(
        "sqlite",
        format!("sqlite://{}", root.join("hub-many.db").display()),
    )];
    if let Some(pg) = std::env::var("GONGKAI_TEST_PG")
        .ok()
        .filter(|s| !s.is_empty())
    {
        let a = rt.block_on(gongkai_hub_store_postgres::PostgresHub::fresh_schema(
            &pg,
            "bench_two",
        ))?;
        let b = rt.block_on(gongkai_hub_store_postgres::PostgresHub::fresh_schema(
            &pg,
            "bench_many",
        ))?;
        backends.push(("postgres", a));
        backends_many.push(("postgres", b));
    }
    for ((name, db), (_, db_many)) in backends.iter().zip(backends_many.iter()) {
        println!("== hub on {name}");
        let dir = root.join(name);
        std::fs::create_dir_all(&dir).context("bench folder")?;
        two_pcs(&rt, &dir, db, changes)?;
        many_devices(&rt, db_many, devices)?;
    }
    let _ = std::fs::remove_dir_all(&root);
    Ok(())
}
