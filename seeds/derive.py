#!/usr/bin/env python3
"""Derive the data Gongkai ships (seeds/*.json) from ../shared/reference/.

Run from the repository root: `python3 seeds/derive.py [REFERENCE_DIR]`.
Each output names its sources in `_source`; bump a dataset's `version` in `seeds/manifest.json`
whenever its content changes, so that installed databases replace the older set on next start.
"""
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
REF = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent.parent / "shared" / "reference"


def write(name, data):
    (ROOT / name).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def units():
    src = json.loads((REF / "units.json").read_text(encoding="utf-8"))
    out = []
    for u in src["units"]:
        verified = not any(s.startswith("typical") for s in u["sources"])
        out.append({"id": u["id"], "name": u["name"], "parent": u["parent"], "kind": u["kind"],
                    "verified": verified, "roles": u.get("roles", []), "sources": u["sources"]})
    write("units.json", {"_source": "shared/reference/units.json (seeds 000_3f29db690d14a6a3.txt, "
                         "004_618bcf0e11bde8bc.txt; units marked verified=false are typical, not seen in the seeds)",
                         "submission_target": src["_meta"]["submission_target"], "units": out})


def holidays():
    src = json.loads((REF / "holidays-cn.json").read_text(encoding="utf-8"))
    years = {}
    for key, val in src.items():
        if key.startswith("_"):
            continue
        years[key] = {"holidays": val["holidays"], "workdays": val["workdays"],
                      "notices": val.get("notices", [])}
    write("holidays.json", {"_source": "shared/reference/holidays-cn.json (NateScarlet/holiday-cn, MIT; "
                            "State Council notices 2019-2026). Keys are the year of the notice.",
                            "years": years})


def catalog():
    src = json.loads((REF / "disclosure-catalog.json").read_text(encoding="utf-8"))
    write("disclosure-catalog.json", {"_source": "shared/reference/disclosure-catalog.json "
                                      "(derived from seed 004_618bcf0e11bde8bc.txt)",
                                      "tree": src["tree"], "items": src["items"]})


def law():
    src = json.loads((REF / "disclosure-law.json").read_text(encoding="utf-8"))
    write("disclosure-law.json", {"_source": "shared/reference/disclosure-law.json "
                                  "(《中华人民共和国政府信息公开条例》国务院令第711号)",
                                  **{k: src[k] for k in ("instrument", "attributes", "grounds",
                                                         "application_outcomes", "articles")}})


def time_rules():
    rules = []
    for line in (REF / "deadlines.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 7 or not re.fullmatch(r"\d+", cells[0]):
            continue
        num, trigger, duration, unit, action, source, status = cells
        m = re.search(r"(\d+)", duration.replace("**", ""))
        rules.append({"id": int(num), "trigger": trigger, "duration": duration.replace("**", ""),
                      "amount": int(m.group(1)) if m and unit in ("WD", "CD", "M") else None,
                      "unit": unit, "action": action, "source": source,
                      "status": status.replace("**", "")})
    write("time-rules.json", {"_source": "shared/reference/deadlines.md", "units": {
        "WD": "工作日", "CD": "自然日", "M": "月", "fixed": "每年固定日期", "freq": "频次"}, "rules": rules})


if __name__ == "__main__":
    units(); holidays(); catalog(); law(); time_rules()
    print("derived from", REF)
