#!/usr/bin/env python3
"""De-identification throughput and memory, end to end through the shipped binary:
1. `gongkai deid scan --jsonl` over about 3 million characters of government-style paragraphs
   (the evaluation set repeated), timed over several runs on one core (the scan is single
   threaded): characters per second;
2. `gongkai deid scan FILE` over one 50 MB paragraph with no line break: time and peak resident
   memory (it must stay far below the input's size: the file is streamed in chunks).

    python3 scripts/bench-deid.py [--bin target/release/gongkai] [--runs 3]
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(cmd, stdin_path):
    """Runs cmd with stdin from a file; returns (seconds, peak RSS of the child in MB)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    with open(stdin_path, "rb") as f:
        t0 = time.perf_counter()
        subprocess.run(cmd, stdin=f, stdout=subprocess.DEVNULL, check=True)
        dt = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return dt, max(peak, before) / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=str(ROOT / "target/release/gongkai"))
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    texts = [json.loads(l)["text"] for l in (ROOT / "crates/deid/tests/data/eval.jsonl").read_text(encoding="utf-8").splitlines()]
    with tempfile.TemporaryDirectory() as d:
        jl = Path(d) / "corpus.jsonl"
        chars = 0
        with jl.open("w", encoding="utf-8") as f:
            i = 0
            while chars < 3_000_000:
                t = texts[i % len(texts)]
                f.write(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n")
                chars += len(t)
                i += 1
        times = []
        for _ in range(a.runs):
            dt, _ = run(["taskset", "-c", "0", a.bin, "deid", "scan", "--jsonl", "-"], jl)
            times.append(dt)
        med = statistics.median(times)
        print(f"deid scan --jsonl: {chars:,} characters in {i:,} paragraphs, median {med:.2f} s "
              f"over {a.runs} runs = {chars / med:,.0f} characters per second (one core)")
        big = Path(d) / "one-paragraph.txt"
        unit = "经查，当事人张伟（身份证号11010519491231002X，手机13812345678）在华光路违法停车，"
        with big.open("w", encoding="utf-8") as f:
            n = 0
            while n < 50 * 1024 * 1024:
                f.write(unit)
                n += len(unit.encode())
        size_mb = big.stat().st_size / 1024 / 1024
        dt, _ = run(["/usr/bin/time", "-f", "%M", "-o", str(Path(d) / "rss"), a.bin, "deid", "scan", str(big)], os.devnull)
        rss = int((Path(d) / "rss").read_text().split()[-1]) / 1024
        print(f"deid scan of one {size_mb:.0f} MB paragraph (no line break): {dt:.1f} s, "
              f"peak resident memory {rss:.0f} MB")


if __name__ == "__main__":
    main()
