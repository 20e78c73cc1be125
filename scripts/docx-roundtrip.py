#!/usr/bin/env python3
"""Round trip of real .docx files: import, export in the recognised GB/T 9704 format, and compare
what a reader sees (LibreOffice → PDF → pdftotext) before and after.

    python3 scripts/docx-roundtrip.py [DIR] [--min 0.99]

For each file: the share of the original's body characters (the file without its page headers
and footers; whitespace, page numbers and “（此页无正文）” left out) that the export keeps in the
same order (longest matching blocks over the original's length), in pdftotext's reading order and
in its raw order, and the original's own document order (LibreOffice's text export, tables row by
row) against the export's raw text; and the format the import recognised. A renderer may draw a
table out of document order (pdftotext then reads the original's text in another order than the
document's), so the best of the three orders is held against --min; the script exits 1 if a file
is below it. "Any order" counts characters kept anywhere: where it is high and the in-order
figures lower, text was moved, not lost.
DIR defaults to ../shared/reference/real-docx (third-party files: never committed).
"""

import argparse
import difflib
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE_NUMBER = re.compile(r"^[\s—–\-\d第页共/]*$")


# Layout words, not content: the page numbers, and the mark of a 落款 set on a page of its own
# (the export keeps the 落款 with the body instead).
LAYOUT = re.compile(r"[（(]此页无正文[）)]")


def visible_text(pdf: Path, mode: str) -> str:
    args = ["pdftotext"] + (["-raw"] if mode == "raw" else []) + [str(pdf), "-"]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    lines = [l for l in out.splitlines() if not PAGE_NUMBER.match(l)]
    return LAYOUT.sub("", "".join("".join(lines).split()))


def body_only(src: Path, dst: Path):
    """The original without its page headers and footers: the body is what is measured."""
    import zipfile

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                text = data.decode("utf-8")
                text = re.sub(r"<w:(header|footer)Reference\b[^>]*/>", "", text)
                data = text.encode("utf-8")
            zout.writestr(item, data)


def kept_in_order(original: str, export: str) -> float:
    if not original:
        return 1.0
    sm = difflib.SequenceMatcher(None, original, export, autojunk=False)
    return sum(b.size for b in sm.get_matching_blocks()) / len(original)


def kept_any_order(original: str, export: str) -> float:
    """The share of the original's characters the export holds somewhere (a multiset overlap):
    where this is high and the in-order figure lower, text was moved, not lost."""
    from collections import Counter

    if not original:
        return 1.0
    o, e = Counter(original), Counter(export)
    return sum(min(n, e[c]) for c, n in o.items()) / len(original)


def to_pdf(files, outdir: Path, to: str = "pdf"):
    subprocess.run(
        ["soffice", "--headless", "--norestore", "--convert-to", to, "--outdir", str(outdir), *map(str, files)],
        capture_output=True,
        check=True,
        timeout=900,
    )


def document_text(txt: Path) -> str:
    """LibreOffice's plain-text export of the original: its body in document order (tables row
    by row), free of any renderer's drawing order."""
    text = txt.read_text(encoding="utf-8-sig")
    return LAYOUT.sub("", "".join(text.split()))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir", nargs="?", default=str(ROOT.parent / "shared/reference/real-docx"))
    ap.add_argument("--min", type=float, default=0.99)
    args = ap.parse_args()
    files = sorted(Path(args.dir).glob("*.docx"))
    if not files:
        sys.exit(f"no .docx in {args.dir}")
    subprocess.run(["cargo", "build", "-q", "-p", "gongkai-docx", "--examples"], cwd=ROOT, check=True)
    examples = ROOT / "target/debug/examples"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "export").mkdir()
        (tmp / "orig").mkdir()
        (tmp / "exp").mkdir()
        subprocess.run([str(examples / "reexport"), str(tmp / "export"), *map(str, files)], check=True)
        (tmp / "body").mkdir()
        for f in files:
            body_only(f, tmp / "body" / f.name)
        to_pdf(sorted((tmp / "body").glob("*.docx")), tmp / "orig")
        to_pdf(sorted((tmp / "body").glob("*.docx")), tmp / "orig", "txt:Text (encoded):UTF8")
        to_pdf(sorted((tmp / "export").glob("*.docx")), tmp / "exp")
        probe = subprocess.run([str(examples / "probe"), *map(str, files)], capture_output=True, text=True, check=True).stdout
        kinds = {}
        for block in probe.split("== ")[1:]:
            path, _, body = block.partition("\n")
            try:
                fields = json.loads(body)["fields"]
                kinds[Path(path).stem] = fields.get("format", "file") + ("+joint" if fields.get("co_issuers") else "")
            except (ValueError, KeyError):
                kinds[Path(path).stem] = "error"
        worst = 1.0
        print(f"{'file':<34} {'chars':>6} {'reading':>8} {'raw':>8} {'doc order':>9} {'any order':>9}  format")
        for f in files:
            stem = f.stem
            o, e = tmp / "orig" / f"{stem}.pdf", tmp / "exp" / f"{stem}.pdf"
            if not o.exists() or not e.exists():
                print(f"{stem:<34} conversion failed")
                worst = 0.0
                continue
            # pdftotext's reading order (its layout analysis) and the content-stream order: a
            # table may be read down its columns in one PDF and across its rows in the other,
            # so both are shown and the better is held against the target.
            orig, exp = visible_text(o, "reading"), visible_text(e, "reading")
            reading = kept_in_order(orig, exp)
            raw = kept_in_order(visible_text(o, "raw"), visible_text(e, "raw"))
            anywhere = kept_any_order(orig, exp)
            # The original in its own document order against the export's raw pdftotext text.
            txt = tmp / "orig" / f"{stem}.txt"
            doc_order = kept_in_order(document_text(txt), visible_text(e, "raw")) if txt.exists() else 0.0
            worst = min(worst, max(reading, raw, doc_order))
            print(
                f"{stem:<34} {len(orig):>6} {reading:>8.2%} {raw:>8.2%} {doc_order:>9.2%} {anywhere:>9.2%}  {kinds.get(stem, '?')}"
            )
        print(f"worst: {worst:.2%} (target {args.min:.0%})")
        sys.exit(0 if worst >= args.min else 1)


if __name__ == "__main__":
    main()
