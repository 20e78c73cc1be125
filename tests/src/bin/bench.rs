//! Storage and search benchmark: save latency on a real file (WAL, synchronous=FULL), search
//! latency over N generated documents, and this process's resident memory with 1,000 documents
//! listed through the API. Run by `scripts/bench.sh` (release build).
//!
//! Usage: `bench [DOCS=10000]` or `bench rss` (memory only, in a fresh process)

use anyhow::Result;
use gongkai_api::{Api, ListRequest, SearchRequest, SetupRequest};
use gongkai_core::{Clerk, ClerkId, DeviceId, DocId, RevId, UuidV7Ids};
use gongkai_store::{NewDocument, SaveRevision, Store};
use gongkai_tests::generated_doc;
use rand::{rngs::StdRng, SeedableRng};
use std::time::{Duration, Instant};

fn pct(v: &mut [Duration], p: f64) -> f64 {
    v.sort();
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i].as_secs_f64() * 1000.0
}

fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn main() -> Result<()> {
    let arg = std::env::args().nth(1);
    let dir = tempfile_dir()?;
    if arg.as_deref() == Some("rss") {
        memory(&dir)?;
        std::fs::remove_dir_all(&dir)?;
        return Ok(());
    }
    let n: usize = arg.map(|s| s.parse()).transpose()?.unwrap_or(10_000);
    let ids = UuidV7Ids;
    let mut rng = StdRng::seed_from_u64(7);
    let mut store = Store::open(&dir.join("bench.db"), chrono::Utc::now())?;
    let clerk = Clerk {
        id: ClerkId::new(&ids),
        name: "基准测试".into(),
        unit_id: "zazd".into(),
        device_id: DeviceId::new(&ids),
    };
    store.add_clerk(&clerk, chrono::Utc::now())?;

    let t = Instant::now();
    let mut docs = Vec::with_capacity(n);
    for i in 0..n {
        let f = generated_doc(&mut rng, i);
        let (doc_id, rev_id) = (DocId::new(&ids), RevId::new(&ids));
        store.create_document(NewDocument {
            doc_id,
            rev_id,
            author: &clerk,
            fields: &f,
            now: chrono::Utc::now(),
        })?;
        docs.push((doc_id, rev_id, f));
    }
    println!(
        "created {n} documents in {:.1} s",
        t.elapsed().as_secs_f64()
    );

    // Save latency: an autosave of a typical document (one more paragraph each time).
    let mut saves = Vec::new();
    let (doc_id, mut base, mut f) = docs[n / 2].clone();
    for i in 0..200 {
        f.body
            .push(format!("补充第{i}条：各单位要及时报送政务公开工作情况。"));
        let rev_id = RevId::new(&ids);
        let t = Instant::now();
        store.save_revision(SaveRevision {
            doc_id,
            base_rev_id: base,
            rev_id,
            author: &clerk,
            fields: &f,
            now: chrono::Utc::now(),
            restored_from: None,
        })?;
        saves.push(t.elapsed());
        base = rev_id;
    }
    println!(
        "save (WAL, synchronous=FULL, 200 saves): p50 {:.2} ms  p95 {:.2} ms  max {:.2} ms",
        pct(&mut saves, 0.5),
        pct(&mut saves, 0.95),
        pct(&mut saves, 1.0)
    );

    let queries: &[(&str, &[&str])] = &[
        ("2 chars", &["户籍", "交通", "公开", "监督", "登记", "许可"]),
        (
            "3 chars",
            &["出入境", "易制毒", "满意度", "责任制", "居住证", "机动车"],
        ),
        (
            "8 chars",
            &[
                "推动政务公开标准化",
                "实行一窗通办和容缺",
                "对群众反映强烈的问",
            ],
        ),
        ("2 terms", &["户籍 通知", "交通 监督检查", "保安 管理办法"]),
        ("1 char", &["犬", "保"]),
        // Rare or absent terms, alone and beside common ones: no walk over every match.
        (
            "rare",
            &["量子纠缠态", "户籍 量子", "公开 监督 量子纠缠", "第1、2条"],
        ),
    ];
    for (label, qs) in queries {
        let mut times = Vec::new();
        let mut found = 0;
        for _ in 0..20 {
            for q in qs.iter() {
                let t = Instant::now();
                found += store.search(q, 50)?.len();
                times.push(t.elapsed());
            }
        }
        println!(
            "search {label:8} over {n} docs ({} queries, {} hits): p50 {:.2} ms  p95 {:.2} ms  max {:.2} ms",
            times.len(),
            found,
            pct(&mut times, 0.5),
            pct(&mut times, 0.95),
            pct(&mut times, 1.0)
        );
    }
    drop(store);
    let size: u64 = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok()?.metadata().ok())
        .map(|m| m.len())
        .sum();
    println!(
        "database with {n} documents: {:.0} MB",
        size as f64 / 1_048_576.0
    );
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

/// Resident memory of this process after creating 1,000 documents through the API, listing and
/// searching them.
fn memory(dir: &std::path::Path) -> Result<()> {
    let small = dir.join("small");
    let base_rss = rss_mb();
    {
        let api = Api::open(&small);
        api.setup(SetupRequest {
            unit_id: "zazd".into(),
            clerk_name: "基准测试".into(),
            role: Default::default(),
        })?;
        let mut rng = StdRng::seed_from_u64(8);
        for i in 0..1000 {
            api.doc_create(gongkai_api::CreateDocRequest {
                fields: Some(generated_doc(&mut rng, i)),
            })?;
        }
        let list = api.doc_list(ListRequest::default())?;
        let hits = api.doc_search(SearchRequest {
            query: "户籍".into(),
            limit: None,
        })?;
        println!(
            "api with 1000 docs: listed {}, search hits {}, process RSS {:.1} MB (before: {:.1} MB)",
            list.len(),
            hits.len(),
            rss_mb(),
            base_rss
        );
    }
    Ok(())
}

fn tempfile_dir() -> Result<std::path::PathBuf> {
    let d = std::env::temp_dir().join(format!("gongkai-bench-{}", std::process::id()));
    std::fs::create_dir_all(&d)?;
    Ok(d)
}
