//! The background sync as the window runs it: turned on with the key password, it syncs when
//! due, backs off while the hub is down (30 s, 60 s, … on the PC's clock), catches up as soon as
//! the hub answers again on its next try, and pauses with the reason when only the clerk can
//! fix what stops it (a revoked key). A real hub on loopback; the PC's clock is a manual one
//! near the real time (the hub accepts requests within 15 minutes of its own; a PC whose clock
//! is further off is refused with `clock_skew`, a failure the schedule retries).

use chrono::{DateTime, Duration, DurationRound, Utc};
use gongkai_api::*;
use gongkai_core::{Clock, DocFields, ManualClock, UuidV7Ids};
use std::path::Path;
use std::sync::Arc;

mod common;
#[path = "../../../tests/support/sync_world.rs"]
mod world;
use world::{point, sync, World, PW};
#[path = "../../../tests/support/test_hub.rs"]
mod test_hub;
use test_hub::TestHub as Hub;

fn draft(text: &str) -> DocFields {
    DocFields {
        title: "关于进一步做好窗口服务的通知".into(),
        body: vec![text.into()],
        ..Default::default()
    }
}

fn next_at(s: &SyncStatus) -> DateTime<Utc> {
    let b = s.background.as_ref().expect("background on");
    DateTime::parse_from_rfc3339(&b.next_at)
        .unwrap()
        .with_timezone(&Utc)
}

/// The wait until the next run is `secs` stretched by this device's 0–20 %.
fn assert_wait(s: &SyncStatus, now: DateTime<Utc>, secs: i64) {
    let wait = next_at(s) - now;
    assert!(
        wait >= Duration::seconds(secs) && wait <= Duration::seconds(secs * 6 / 5 + 1),
        "waits {wait} where {secs} s (+0–20 %) was expected"
    );
}

#[test]
fn background_sync_runs_when_due_backs_off_offline_and_catches_up() {
    let mut w = World::new();
    let (a, a_dir, ka) = w.pc("zazd", "王晓明");
    let (b, _, _) = w.pc("zazd", "李娜");
    let hub_dir = w.hub_dir();
    let hub = Hub::start(
        &hub_dir,
        &w.office_pub,
        "127.0.0.1:0".parse().unwrap(),
        None,
    );
    let addr = hub.addr();
    let url = format!("http://{addr}");
    for pc in [&w.office, &a, &b] {
        point(pc, &url);
    }
    sync(&w.office);
    // PC A as the window opens it, on a clock the test moves: from ten minutes behind the
    // hub's, so the whole story (about 22 minutes of the PC's time) stays within the hub's
    // 15-minute window.
    drop(a);
    let clock = Arc::new(ManualClock::new(
        (Utc::now() - Duration::minutes(10))
            .duration_trunc(Duration::seconds(1))
            .unwrap(),
    ));
    let a = Api::open_with(&a_dir, clock.clone(), Arc::new(UuidV7Ids));

    // Nothing runs before the clerk turns it on; a wrong password does not turn it on.
    assert_eq!(a.sync_tick().unwrap(), None);
    let e = a
        .sync_background_start(SyncNowRequest {
            password: "wrong password".into(),
        })
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert_eq!(a.sync_status().unwrap().background, None);
    let s = a
        .sync_background_start(SyncNowRequest {
            password: PW.into(),
        })
        .unwrap();
    assert_eq!(next_at(&s), clock.now(), "the first run is due at once");

    // A draft goes out with the first tick; the next run is five minutes on.
    a.doc_create(CreateDocRequest {
        fields: Some(draft("第一稿")),
    })
    .unwrap();
    assert_eq!(a.sync_status().unwrap().pending, 1);
    let s = a.sync_tick().unwrap().expect("due: it ran");
    assert_eq!(s.pending, 0, "{s:?}");
    assert_eq!(s.last_error, None);
    assert!(s.last_sync.is_some());
    assert_eq!(s.background.as_ref().unwrap().failures, 0);
    assert_wait(&s, clock.now(), 300);
    assert_eq!(a.sync_tick().unwrap(), None, "not due again yet");
    clock.advance(Duration::minutes(1));
    assert_eq!(a.sync_tick().unwrap(), None);

    // The hub goes away. Work goes on; each try fails as offline and waits twice as long.
    hub.stop();
    a.doc_create(CreateDocRequest {
        fields: Some(draft("离线时写的第二稿")),
    })
    .unwrap();
    let mut now = next_at(&a.sync_status().unwrap());
    for (failures, wait) in [(1, 30), (2, 60), (3, 120)] {
        clock.set(now);
        let s = a.sync_tick().unwrap().expect("due: it ran");
        assert_eq!(s.last_error_code.as_deref(), Some("SyncOffline"));
        assert!(s.last_error.as_deref().unwrap().contains("连不上"));
        assert_eq!(s.pending, 1, "the draft waits in the outbox");
        assert_eq!(s.background.as_ref().unwrap().failures, failures);
        assert_eq!(s.background.as_ref().unwrap().paused, None);
        assert_wait(&s, now, wait);
        clock.set(now + Duration::seconds(wait - 1));
        assert_eq!(a.sync_tick().unwrap(), None, "not before its time");
        now = next_at(&s);
    }

    // The hub is back (same address): the next try sends the waiting draft and resets.
    let hub = Hub::start(&hub_dir, &w.office_pub, addr, None);
    clock.set(now);
    let s = a.sync_tick().unwrap().expect("due: it ran");
    assert_eq!(s.pending, 0);
    assert_eq!(s.last_error, None);
    assert_eq!(s.background.as_ref().unwrap().failures, 0);
    assert_wait(&s, now, 300);
    // B joins (synced by hand): A's next background run wraps the unit key for it, and B then
    // has both drafts.
    sync(&b);
    clock.set(next_at(&s));
    let s = a.sync_tick().unwrap().expect("due: it ran");
    assert_eq!(s.last_error, None);
    sync(&b);
    let titles = b.doc_list(ListRequest::default()).unwrap();
    assert_eq!(titles.len(), 2);

    // A revoked key pauses the background sync with the reason instead of retrying forever.
    w.office
        .trust_revoke(KeyRevokeRequest {
            key_id: ka.key_id.clone(),
            reason: "电脑报废".into(),
        })
        .unwrap();
    sync(&w.office);
    let now = next_at(&a.sync_status().unwrap());
    clock.set(now);
    let s = a.sync_tick().unwrap().expect("due: it ran");
    assert_eq!(
        s.last_error_code.as_deref(),
        Some("SyncKeyRevoked"),
        "{s:?}"
    );
    let paused = s
        .background
        .as_ref()
        .unwrap()
        .paused
        .clone()
        .expect("paused");
    assert!(paused.contains("重新生成密钥"), "{paused}");
    clock.set(now + Duration::days(2));
    assert_eq!(a.sync_tick().unwrap(), None, "paused: no retries");
    // Turning it off forgets the password.
    let s = a.sync_background_stop().unwrap();
    assert_eq!(s.background, None);
    hub.stop();
}

fn seed_of(api: &Api, name: &str) -> SeedVersion {
    api.status()
        .seeds
        .into_iter()
        .find(|s| s.name == name)
        .expect("dataset loaded")
}

/// The office loads a newer holiday table from a file; its next sync publishes it, signed, and
/// a unit's next sync takes it; an older or unknown dataset changes nothing.
#[test]
fn the_office_publishes_newer_reference_data_and_the_units_take_it() {
    let mut w = World::new();
    let (a, _, _) = w.pc("zazd", "王晓明");
    let hub_dir = w.hub_dir();
    let hub = Hub::start(
        &hub_dir,
        &w.office_pub,
        "127.0.0.1:0".parse().unwrap(),
        None,
    );
    let url = format!("http://{}", hub.addr());
    for pc in [&w.office, &a] {
        point(pc, &url);
    }
    let first = sync(&w.office);
    assert_eq!(
        first.reference as usize,
        w.office.status().seeds.len(),
        "the hub had none: every dataset is published"
    );
    assert_eq!(
        sync(&w.office).reference,
        0,
        "nothing newer the second time"
    );
    assert_eq!(
        sync(&a).reference,
        0,
        "the unit already holds these versions"
    );
    let shipped = seed_of(&a, "holidays");

    // A 2027 table, as the office would write it when the State Council publishes it.
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../seeds/holidays.json");
    let mut data: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(seeds).unwrap()).unwrap();
    data["years"]["2027"] = serde_json::json!({"holidays": ["2027-01-01"], "workdays": []});
    let file = w.out.join("holidays-2027.json");
    let write = |version: u32, name: &str| {
        std::fs::write(
            &file,
            serde_json::json!({"name": name, "version": version, "data": data}).to_string(),
        )
        .unwrap();
        FileRequest {
            path: file.display().to_string(),
        }
    };
    let e = a
        .reference_import(write(shipped.version + 1, "holidays"))
        .unwrap_err();
    assert_eq!(
        e.code,
        ErrorCode::InvalidInput,
        "only the office issues reference data"
    );
    let e = w.office.reference_import(write(9, "holiday")).unwrap_err();
    assert!(e.message.contains("holidays"), "{}", e.message);
    let old = w
        .office
        .reference_import(write(shipped.version, "holidays"))
        .unwrap();
    assert!(!old.loaded, "the same version changes nothing");
    let new = w
        .office
        .reference_import(write(shipped.version + 1, "holidays"))
        .unwrap();
    assert!(new.loaded);
    let issued = seed_of(&w.office, "holidays");
    assert_ne!(issued.sha256, shipped.sha256);

    assert_eq!(sync(&w.office).reference, 1);
    assert_eq!(sync(&a).reference, 1);
    assert_eq!(
        seed_of(&a, "holidays"),
        issued,
        "the unit holds the office's table"
    );
    assert_eq!(sync(&a).reference, 0, "taken once");

    // A new masking policy takes effect on the unit's PC at once, without a restart.
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../seeds/deid-policy.json");
    let mut policy: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(seeds).unwrap()).unwrap();
    policy["mask_char"] = serde_json::json!("●");
    let shipped_policy = seed_of(&a, "deid_policy");
    let file = w.out.join("deid-policy.json");
    std::fs::write(
        &file,
        serde_json::json!({"name": "deid_policy", "version": shipped_policy.version + 1, "data": policy})
            .to_string(),
    )
    .unwrap();
    assert!(
        w.office
            .reference_import(FileRequest {
                path: file.display().to_string(),
            })
            .unwrap()
            .loaded
    );
    assert_eq!(sync(&w.office).reference, 1);
    assert_eq!(sync(&a).reference, 1);
    let doc = a
        .doc_create(CreateDocRequest {
            fields: Some(draft(
                "来信群众联系电话13812345678，身份证号110101199003071234。",
            )),
        })
        .unwrap()
        .summary
        .doc_id
        .to_string();
    let review = a.deid_review(DocRef { doc_id: doc }).unwrap();
    let masked: Vec<&str> = review
        .findings
        .iter()
        .map(|f| f.replacement.as_str())
        .filter(|r| r.contains('●') || r.contains('*'))
        .collect();
    assert!(!masked.is_empty(), "{:?}", review.findings);
    assert!(
        masked.iter().all(|r| r.contains('●') && !r.contains('*')),
        "masked with the new policy's character: {masked:?}"
    );
    hub.stop();
}
