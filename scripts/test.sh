#!/usr/bin/env bash
# Runs every test: formatting and lints, the Rust tests (unit, store, API, CLI, crash, architecture),
# the generated TypeScript types check, the UI tests (Vitest) and the end-to-end test of the real
# window under Xvfb over WebDriver. Installs what is missing first.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
start=$(date +%s)
step() { echo; echo "== $* ($(( $(date +%s) - start ))s)"; }

step "setup"
bash scripts/setup.sh --test

step "build the UI (type-checks with vue-tsc)"
npm --prefix ui run build --silent

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "PostgreSQL on loopback (the hub's second backend)"
GONGKAI_TEST_PG="$(bash scripts/postgres.sh)"
export GONGKAI_TEST_PG
echo "GONGKAI_TEST_PG=$GONGKAI_TEST_PG"

step "cargo test"
cargo test --workspace --locked
du -sh target 2>/dev/null || true

if git rev-parse --git-dir >/dev/null 2>&1; then
  step "TypeScript bindings are up to date"
  if ! git diff --exit-code --stat -- ui/src/bindings || [[ -n "$(git ls-files --others --exclude-standard ui/src/bindings)" ]]; then
    echo "ui/src/bindings differs from the Rust types: run cargo test -p gongkai-api and commit." >&2
    exit 1
  fi
fi

step "UI tests (Vitest)"
npm --prefix ui test --silent

step "end to end: the real window under Xvfb"
cargo build -p gongkai-desktop --locked
python3 -m pytest tests/e2e -v -s -p no:cacheprovider

step "all tests passed"
