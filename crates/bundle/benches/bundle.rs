//! Bag + sign, and verify, of a bundle with about 2 MB of payload (an incompressible 1.2 MB
//! policy .docx, a 0.5 MB interpretation .docx, two 150 KB images, a 100 KB text-like PDF), for
//! both signature profiles. `cargo bench -p gongkai-bundle`.

use chrono::{NaiveDate, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use gongkai_bundle::{
    build_bundle, verify_bundle, Algorithm, BundleInput, DeidSummary, FileRole, KeyState,
    PayloadFile, Signer, Signoff, Submission, TrustStore, TrustedKey, SCHEMA_VERSION,
};
use std::hint::black_box;
use uuid::Uuid;

fn filler(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

fn input() -> BundleInput {
    let t = Utc
        .with_ymd_and_hms(2026, 3, 1, 16, 0, 0)
        .single()
        .unwrap_or_default();
    let day = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default();
    let id = Uuid::from_u128(0x0195_0000_0000_7000_8000_0000_0000_0001);
    let file = |path: &str, role, bytes| PayloadFile {
        path: path.to_string(),
        role,
        bytes,
    };
    BundleInput {
        submission: Submission {
            schema_version: SCHEMA_VERSION,
            submission_id: id,
            unit_code: "zazd".to_string(),
            unit_name: "治安支队".to_string(),
            clerk: "王晓燕".to_string(),
            device_id: "zazd-pc-01".to_string(),
            doc_id: id,
            doc_rev_id: id,
            doc_content_sha256: "ab".repeat(32),
            title: "关于规范娱乐场所治安管理的通知".to_string(),
            package_rev_id: Some(id),
            attribute: "active".to_string(),
            grounds: vec![],
            reason: None,
            catalog_item: None,
            needs_interpretation: true,
            interpretation_forms: vec!["text".to_string()],
            deid_report: DeidSummary {
                counts: Default::default(),
                reviewer: "李建华".to_string(),
                reviewed_at: t,
                policy_version: "2026.1".to_string(),
                images_reviewed: Vec::new(),
            },
            signoff: Signoff {
                signer: "张志强".to_string(),
                signed_on: day,
                opinion: "同意".to_string(),
                doc_rev_id: id,
                package_rev_id: Some(id),
            },
            deadlines: vec![],
            created_at: t,
            files: vec![],
            consultation: None,
        },
        payload: vec![
            file("policy.docx", FileRole::PolicyDocx, filler(1, 1_200_000)),
            file(
                "interpretation.docx",
                FileRole::InterpretationDocx,
                filler(2, 500_000),
            ),
            file("images/图解1.png", FileRole::Image, filler(3, 150_000)),
            file("images/图解2.png", FileRole::Image, filler(4, 150_000)),
            file(
                "forms/审签单.pdf",
                FileRole::FormPdf,
                "BT /F1 12 Tf (审签单 签发人 张志强) Tj ET\n"
                    .repeat(2_500)
                    .into_bytes(),
            ),
        ],
        source_organization: "某市公安局治安支队".to_string(),
        bagging_date: day,
    }
}

struct OneKey(TrustedKey);

impl TrustStore for OneKey {
    fn key(&self, key_id: &str) -> Option<TrustedKey> {
        (key_id == self.0.key_id).then(|| self.0.clone())
    }
    fn seen(&self, _: &Uuid) -> Option<String> {
        None
    }
}

fn bench(c: &mut Criterion) {
    let input = input();
    let payload: u64 = input.payload.iter().map(|p| p.bytes.len() as u64).sum();
    let received = Utc
        .with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
        .single()
        .unwrap_or_default();
    let mut g = c.benchmark_group("bundle");
    g.throughput(Throughput::Bytes(payload));
    g.sample_size(20);
    for (name, algorithm) in [
        ("minisign", Algorithm::MinisignEd25519),
        ("sm2", Algorithm::Sm2Sm3),
    ] {
        let Ok(signer) = Signer::ephemeral(algorithm) else {
            return;
        };
        let trust = OneKey(TrustedKey {
            key_id: signer.key_id().to_string(),
            unit_code: "zazd".to_string(),
            algorithm,
            public_key: signer.public_key().to_string(),
            state: KeyState::Active,
            activated_at: received - chrono::Duration::days(1),
        });
        let Ok(bytes) = build_bundle(&input, &signer) else {
            return;
        };
        assert!(verify_bundle(&bytes, &trust, received).accepted_for_review);
        g.bench_function(format!("build_and_sign_2mb_{name}"), |b| {
            b.iter(|| build_bundle(black_box(&input), &signer))
        });
        g.bench_function(format!("verify_2mb_{name}"), |b| {
            b.iter(|| verify_bundle(black_box(&bytes), &trust, received))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
