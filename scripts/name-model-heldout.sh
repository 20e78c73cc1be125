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
source scripts/msra-train.sh
cargo build --quiet --release -p gongkai-cli
cargo run --quiet --release -p gongkai-deid --example name_features -- --heldout "$WORK/heldout.jsonl" \
  "$WORK/msra_train.txt" > "$WORK/items.tsv"
python3 scripts/train-crf.py "$WORK/items.tsv" "$WORK/model.crfsuite"
GONGKAI_NAME_MODEL="$WORK/model.crfsuite" python3 scripts/deid-eval.py --kinds person_name "$WORK/heldout.jsonl"
