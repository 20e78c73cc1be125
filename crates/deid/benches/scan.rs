//! Scanning throughput over about 1 MB of realistic text (the labelled and holdout paragraphs,
//! names included, repeated with varied names and numbers). `cargo bench -p gongkai-deid`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use gongkai_deid::Scanner;

fn corpus() -> String {
    let data = [
        include_str!("../tests/data/labelled.jsonl"),
        include_str!("../tests/data/holdout.jsonl"),
    ];
    let paragraphs: Vec<String> = data
        .iter()
        .flat_map(|d| d.lines())
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .map(|v| v["text"].as_str().unwrap_or_default().to_string())
        .collect();
    let surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"];
    let given = [
        "建华", "秀英", "志强", "晓燕", "海涛", "丽娟", "德胜", "文斌",
    ];
    let mut out = String::new();
    let mut i = 0usize;
    while out.len() < 1 << 20 {
        let p = &paragraphs[i % paragraphs.len()];
        let name = format!(
            "{}{}",
            surnames[i % surnames.len()],
            given[(i / 7) % given.len()]
        );
        out.push_str(
            &p.replace("张伟", &name)
                .replace("13812345678", &format!("139{:08}", i)),
        );
        out.push('\n');
        i += 1;
    }
    out
}

fn bench(c: &mut Criterion) {
    let text = corpus();
    let scanner = Scanner::default();
    gongkai_deid::warm_up();
    let mut g = c.benchmark_group("deid");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.sample_size(10);
    g.bench_function("scan_1mb", |b| {
        b.iter(|| scanner.scan(std::hint::black_box(&text)))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
