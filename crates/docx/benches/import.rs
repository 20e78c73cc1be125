//! Import speed of a generated ~30-page GB/T 9704 document as Word would save it (runs with
//! rsids and fonts, four numbered heading levels, tables, tracked changes, comments).
//! `cargo bench -p gongkai-docx --bench import`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

#[path = "../tests/import_support/mod.rs"]
mod import_support;

fn bench(c: &mut Criterion) {
    let (docx, paragraphs) = import_support::thirty_page_document();
    let imported = gongkai_docx::import_docx(&docx).expect("the bench document imports");
    assert!(imported.fields.body.len() >= paragraphs);
    let mut g = c.benchmark_group("docx_import");
    g.throughput(Throughput::Bytes(docx.len() as u64));
    g.sample_size(30);
    g.bench_function("thirty_pages", |b| {
        b.iter(|| gongkai_docx::import_docx(std::hint::black_box(&docx)))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
