#!/usr/bin/env python3
"""Scores the de-identification pass the way a clerk meets it: the text goes through
`gongkai deid scan --jsonl` (the shipped binary), the findings are compared with the labels.

    python3 scripts/deid-eval.py [--bin target/release/gongkai] [FILE.jsonl ...]

Default files: crates/deid/tests/data/{eval,fresh,labelled,holdout,probe}.jsonl. A label is
{"kind","start","end"} (code points) or {"kind","text"} (every occurrence). Prints per kind:
gold, found, precision / recall / F1 on exact spans and on overlapping spans (a finding of the
same kind that overlaps a label counts), then for the `keep_*` labels (officials, published
contacts, 双公示 legal representatives, agency addresses) the share that was flagged anyway.
"""
import argparse
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def labels(rec):
    text = rec["text"]
    out = []
    for s in rec["spans"]:
        if "start" in s:
            out.append((s["kind"], s["start"], s["end"]))
        else:
            i = text.find(s["text"])
            while i >= 0:
                out.append((s["kind"], i, i + len(s["text"])))
                i = text.find(s["text"], i + len(s["text"]))
    return out


def scan(binary, records):
    lines = "".join(json.dumps({"id": str(i), "text": r["text"]}, ensure_ascii=False) + "\n"
                    for i, r in enumerate(records))
    out = subprocess.run([binary, "deid", "scan", "--jsonl", "-"], input=lines.encode(),
                         capture_output=True, check=True).stdout.decode()
    found = {}
    for line in out.splitlines():
        v = json.loads(line)
        found[int(v["id"])] = [(f["kind"], f["start"], f["end"]) for f in v["findings"]]
    return found


def f1(p, r):
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def score(records, found, show_errors=0):
    gold_n, got_n = defaultdict(int), defaultdict(int)
    tp_exact, tp_over_gold, tp_over_got = defaultdict(int), defaultdict(int), defaultdict(int)
    keep_n, keep_flagged = defaultdict(int), defaultdict(int)
    errors = []
    for i, rec in enumerate(records):
        gold = labels(rec)
        got = found.get(i, [])
        private = [g for g in gold if not g[0].startswith("keep_")]
        for k, s, e in got:
            got_n[k] += 1
            if any(g == (k, s, e) for g in private):
                tp_exact[k] += 1
            if any(g[0] == k and g[1] < e and s < g[2] for g in private):
                tp_over_got[k] += 1
            elif not any(g[1] < e and s < g[2] for g in gold if g[0].startswith("keep_")):
                errors.append(("FP", k, rec["text"][s:e], rec["text"]))
        for k, s, e in private:
            gold_n[k] += 1
            if any(f[0] == k and f[1] < e and s < f[2] for f in got):
                tp_over_gold[k] += 1
            else:
                errors.append(("FN", k, rec["text"][s:e], rec["text"]))
        for k, s, e in gold:
            if k.startswith("keep_"):
                keep_n[k] += 1
                if any(f[1] < e and s < f[2] for f in got):
                    keep_flagged[k] += 1
                    errors.append(("FLAGGED", k, rec["text"][s:e], rec["text"]))
    rows = []
    for k in sorted(set(gold_n) | set(got_n)):
        pe = tp_exact[k] / got_n[k] if got_n[k] else 0.0
        re_ = tp_exact[k] / gold_n[k] if gold_n[k] else 0.0
        po = tp_over_got[k] / got_n[k] if got_n[k] else 0.0
        ro = tp_over_gold[k] / gold_n[k] if gold_n[k] else 0.0
        rows.append((k, gold_n[k], got_n[k], pe, re_, f1(pe, re_), po, ro, f1(po, ro)))
    return rows, keep_n, keep_flagged, errors


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=str(ROOT / "target/release/gongkai"))
    ap.add_argument("--errors", type=int, default=0, help="print this many errors")
    ap.add_argument("--kinds", default="", help="only these kinds, comma-separated (e.g. person_name)")
    ap.add_argument("files", nargs="*")
    a = ap.parse_args()
    files = a.files or [str(ROOT / "crates/deid/tests/data" / f) for f in ("eval.jsonl", "fresh.jsonl", "labelled.jsonl", "holdout.jsonl", "probe.jsonl")]
    for path in files:
        records = [json.loads(l) for l in Path(path).read_text(encoding="utf-8").splitlines() if l.strip()]
        found = scan(a.bin, records)
        if a.kinds:
            only = set(a.kinds.split(","))
            found = {i: [f for f in fs if f[0] in only] for i, fs in found.items()}
            for r in records:
                r["spans"] = [s for s in r["spans"] if s["kind"] in only or s["kind"].startswith("keep_")]
        rows, keep_n, keep_flagged, errors = score(records, found)
        print(f"\n{Path(path).name}: {len(records)} paragraphs")
        print(f"{'kind':<16} {'gold':>5} {'found':>5} | {'exact P':>7} {'R':>6} {'F1':>6} | {'overlap P':>9} {'R':>6} {'F1':>6}")
        for k, g, n, pe, re_, fe, po, ro, fo in rows:
            print(f"{k:<16} {g:>5} {n:>5} | {pe:>7.3f} {re_:>6.3f} {fe:>6.3f} | {po:>9.3f} {ro:>6.3f} {fo:>6.3f}")
        for k in sorted(keep_n):
            print(f"{k:<22} {keep_n[k]:>5} kept visible; flagged {keep_flagged[k]:>4} ({keep_flagged[k] / keep_n[k]:.1%})")
        for e in errors[: a.errors]:
            print(" ", e[0], e[1], repr(e[2]), " in ", e[3][:160].replace("\n", "⏎"))


if __name__ == "__main__":
    sys.exit(main())
