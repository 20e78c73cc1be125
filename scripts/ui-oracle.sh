#!/usr/bin/env bash
# Re-records the UI tests' answers from the real API (see ui/src/test/oracle.ts):
# 1. the Vitest run writes every question it asked to ui/src/test/oracle/asked/;
# 2. those become ui/src/test/oracle/queries.json (questions no test asks any more are dropped);
# 3. crates/api/tests/ui_oracle.rs has the real Api answer every question (answers.json);
# repeated until the tests ask nothing new (an answer can lead a test on to a new question),
# then the UI tests run once more and must pass. Commit queries.json and answers.json.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DIR=ui/src/test/oracle
for round in 1 2 3 4 5 6 7 8; do
  rm -rf "$DIR/asked"
  (cd ui && ORACLE_RECORD=1 npx vitest run --silent >/dev/null 2>&1) || true
  if [[ ! -d "$DIR/asked" ]]; then
    echo "the UI tests asked nothing: they did not run (see: cd ui && npx vitest run)" >&2
    exit 1
  fi
  new=$(node -e '
    const fs = require("fs"), path = require("path")
    const dir = process.argv[1]
    const key = (q) => q.kind + " " + JSON.stringify(q.input)
    const before = new Set(JSON.parse(fs.readFileSync(path.join(dir, "queries.json"), "utf8")).map(key))
    const asked = new Map()
    const askedDir = path.join(dir, "asked")
    for (const f of fs.existsSync(askedDir) ? fs.readdirSync(askedDir) : []) {
      const q = JSON.parse(fs.readFileSync(path.join(askedDir, f), "utf8"))
      asked.set(key(q), q)
    }
    const out = [...asked.values()].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
    fs.writeFileSync(path.join(dir, "queries.json"), JSON.stringify(out, null, 1) + "\n")
    console.log([...asked.keys()].filter((k) => !before.has(k)).length)
  ' "$DIR")
  rm -rf "$DIR/asked"
  echo "round $round: $new new question(s), $(grep -c '"kind"' "$DIR/queries.json") asked"
  cargo test -q -p gongkai-api --test ui_oracle >/dev/null
  [[ "$new" == 0 ]] && break
done
(cd ui && npx vitest run --silent)
