//! Render time and size of the three forms for the realistic test document, of the 3-page
//! 发文稿纸 (30 会签 rows, long reason), and of the 签名密钥登记表 with an SM2 key. Run with `cargo bench -p gongkai-forms`; the sizes are
//! printed before the timings.

#[path = "../tests/common/mod.rs"]
mod common;

use criterion::{criterion_group, criterion_main, Criterion};
use gongkai_forms::{render, render_key_enrolment, FormKind};
use std::hint::black_box;

fn forms(c: &mut Criterion) {
    let data = common::data();
    let long = common::long_data();
    let cases = [
        ("fawen", FormKind::Fawen, &data),
        ("secrecy", FormKind::Secrecy, &data),
        ("interpretation", FormKind::Interpretation, &data),
        ("fawen_3_pages", FormKind::Fawen, &long),
    ];
    for (name, kind, d) in cases {
        match render(kind, d) {
            Ok(pdf) => eprintln!(
                "{name}: {} bytes ({:.1} KB)",
                pdf.len(),
                pdf.len() as f64 / 1024.0
            ),
            Err(e) => eprintln!("{name}: {e}"),
        }
    }
    let key = common::key_sm2();
    match render_key_enrolment(&key) {
        Ok(pdf) => eprintln!(
            "key_enrolment: {} bytes ({:.1} KB)",
            pdf.len(),
            pdf.len() as f64 / 1024.0
        ),
        Err(e) => eprintln!("key_enrolment: {e}"),
    }
    let mut g = c.benchmark_group("render");
    for (name, kind, d) in cases {
        g.bench_function(name, |b| b.iter(|| render(black_box(kind), black_box(d))));
    }
    g.bench_function("key_enrolment", |b| {
        b.iter(|| render_key_enrolment(black_box(&key)))
    });
    g.finish();
}

criterion_group!(benches, forms);
criterion_main!(benches);
