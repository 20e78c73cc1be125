#!/usr/bin/env bash
# Benchmarks (release build): sync push/pull and 50 devices on the hub, save latency, search over 10,000 generated documents, memory of the
# core with 1,000 documents; de-identification throughput and memory; then the app itself under Xvfb: cold start and resident memory with
# 1,000 documents. Figures are printed; nothing is asserted.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh --test
npm --prefix ui run build --silent
cargo build --release --locked -p gongkai-cli -p gongkai-desktop
cargo build --release --locked -p gongkai-tests --bin bench --bin bench_files --bin bench_bundle --bin bench_sync
echo "== store and search"
target/release/bench "${BENCH_DOCS:-10000}"
echo "== core memory"
target/release/bench rss
echo "== documents in and out (.docx export and import, review-form PDFs)"
target/release/bench_files "${BENCH_RUNS_FILES:-30}"
echo "== the signed submission bundle (export and office verification)"
target/release/bench_bundle "${BENCH_RUNS_BUNDLE:-15}"
echo "== sync over loopback (SQLite hub; PostgreSQL too when GONGKAI_TEST_PG is set)"
target/release/bench_sync "${BENCH_SYNC_CHANGES:-1000}" "${BENCH_SYNC_DEVICES:-50}"
echo "== de-identification (throughput of deid scan --jsonl, one 50 MB paragraph)"
python3 scripts/bench-deid.py
echo "== the app"
GONGKAI_APP=target/release/gongkai-desktop python3 tests/e2e/bench_app.py "${BENCH_RUNS:-5}"
