#!/usr/bin/env bash
# Sets up, builds and launches the Gongkai desktop app with its embedded SQLite database.
# Extra arguments go to the app, e.g. `bash scripts/run.sh --data-dir /tmp/gongkai-demo`.
# GONGKAI_RELEASE=1 builds an optimised binary.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
echo "== 构建界面 (ui/)"
npm --prefix ui run build --silent
profile=(); dir=debug
if [[ "${GONGKAI_RELEASE:-}" == "1" ]]; then profile=(--release); dir=release; fi
echo "== 构建桌面程序"
cargo build "${profile[@]}" -p gongkai-desktop -p gongkai-cli
if [[ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]]; then
  echo "没有图形桌面（DISPLAY 未设置）：请在桌面会话中运行，或先启动 Xvfb 并设置 DISPLAY。" >&2
  exit 1
fi
exec "target/$dir/gongkai-desktop" "$@"
