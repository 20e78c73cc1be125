//! TLS with the bureau's own CA: certificates made by OpenSSL (a CA, and a hub certificate for
//! 127.0.0.1 signed by it). A PC that trusts that CA talks to the hub; a PC given another CA
//! is refused at the handshake and says so; plain HTTP to the TLS port gets no answer; and the
//! hub will not listen in the clear on an address other than loopback.

use gongkai_bundle::{Algorithm, Signer};
use gongkai_hub::{HubState, WallClock};
use gongkai_hub_store_sqlite::SqliteHub;
use gongkai_sync::{HubClient, Stamp, SyncError};
use std::path::Path;
use std::process::Command;
use std::sync::Arc;

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("openssl");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `ca.pem`/`ca.key` and `hub.pem`/`hub.key` (for IP 127.0.0.1), with a `prefix`.
fn make_ca_and_cert(dir: &Path, prefix: &str) {
    let p = |n: &str| format!("{prefix}{n}");
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            &p("ca.key"),
            "-out",
            &p("ca.pem"),
            "-days",
            "30",
            "-subj",
            "/CN=Test Bureau CA",
        ],
    );
    openssl(
        dir,
        &[
            "req",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            &p("hub.key"),
            "-out",
            &p("hub.csr"),
            "-subj",
            "/CN=hub",
        ],
    );
    std::fs::write(
        dir.join(p("ext.cnf")),
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n",
    )
    .unwrap();
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            &p("hub.csr"),
            "-CA",
            &p("ca.pem"),
            "-CAkey",
            &p("ca.key"),
            "-CAcreateserial",
            "-out",
            &p("hub.pem"),
            "-days",
            "30",
            "-extfile",
            &p("ext.cnf"),
        ],
    );
}

#[test]
fn the_hub_speaks_tls_with_the_bureau_ca_only() {
    let dir = tempfile::tempdir().unwrap();
    make_ca_and_cert(dir.path(), "");
    make_ca_and_cert(dir.path(), "other-");
    let read = |n: &str| std::fs::read(dir.path().join(n)).unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let office = Signer::ephemeral(Algorithm::MinisignEd25519).unwrap();
    let pk = format!("untrusted comment: x\n{}\n", office.public_key());
    let config = gongkai_hub::tls::server_config(&read("hub.pem"), &read("hub.key")).unwrap();
    let state = || {
        HubState::new(
            Arc::new(SqliteHub::open_in_memory().unwrap()),
            &pk,
            Arc::new(WallClock),
        )
        .unwrap()
    };
    let hub = rt
        .block_on(gongkai_hub::start_tls(
            "127.0.0.1:0".parse().unwrap(),
            state(),
            config,
        ))
        .unwrap();
    let url = format!("https://127.0.0.1:{}", hub.addr.port());
    let device = Signer::ephemeral(Algorithm::MinisignEd25519).unwrap();
    let call = |c: &HubClient| {
        let (d, n) = (
            chrono::Utc::now().to_rfc3339(),
            uuid::Uuid::now_v7().to_string(),
        );
        c.call(
            &device,
            reqwest::Method::GET,
            "/v1/feed",
            vec![],
            Stamp {
                date: &d,
                nonce: &n,
            },
            &[],
        )
    };
    // Trusting the bureau CA: the request reaches the hub (which does not know this key).
    let ok = HubClient::new(&url, Some(&read("ca.pem"))).unwrap();
    match call(&ok) {
        Err(SyncError::Refused { code, .. }) => assert_eq!(code, "key_unknown"),
        other => panic!("expected the hub's answer over TLS, got {other:?}"),
    }
    // Another CA: refused at the handshake, and the error says it is the certificate.
    let wrong = HubClient::new(&url, Some(&read("other-ca.pem"))).unwrap();
    match call(&wrong) {
        Err(SyncError::Offline(why)) => {
            assert!(why.to_lowercase().contains("certificate"), "{why}")
        }
        other => panic!("expected a certificate failure, got {other:?}"),
    }
    // https needs a CA; http to the TLS port gets no HTTP answer.
    assert!(matches!(
        HubClient::new(&url, None),
        Err(SyncError::Config(_))
    ));
    let plain = HubClient::new(&format!("http://127.0.0.1:{}", hub.addr.port()), None).unwrap();
    assert!(matches!(call(&plain), Err(SyncError::Offline(_))));
    // No clear text off loopback.
    let e = rt
        .block_on(gongkai_hub::start("0.0.0.0:0".parse().unwrap(), state()))
        .err()
        .expect("refused");
    assert!(e.to_string().contains("TLS"), "{e}");
    rt.block_on(hub.stop()).unwrap();
}
