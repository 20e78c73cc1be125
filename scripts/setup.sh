#!/usr/bin/env bash
# Installs what Gongkai needs on a Debian/Ubuntu machine that already has Rust and Node:
# Debian packages (only the missing ones), the UI's npm packages, and (with --test) the Python
# test tools. Safe to run again: it only installs what is missing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

want=(libwebkit2gtk-4.1-dev build-essential curl wget file libxdo-dev libssl-dev
      libayatana-appindicator3-dev librsvg2-dev pkg-config fonts-noto-cjk)
if [[ "${1:-}" == "--test" ]]; then
  # LibreOffice converts exported .docx to PDF and makes test .docx, and reads .xlsx back;
  # poppler reads PDFs.
  want+=(xvfb xauth webkit2gtk-driver python3-venv libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils zbar-tools minisign openssl
        postgresql)
fi

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "== 安装系统软件包: ${missing[*]}"
  SUDO=""; [[ "$(id -u)" -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

for tool in cargo node npm; do
  command -v "$tool" >/dev/null || { echo "缺少 $tool：请先安装 Rust (rustup) 和 Node.js 20+。" >&2; exit 1; }
done

stamp="ui/node_modules/.package-lock.json"
if [[ ! -f "$stamp" || ui/package-lock.json -nt "$stamp" ]]; then
  echo "== npm ci (ui/)"
  # Some npm 11 set-ups write locks without other platforms' optional packages and then refuse
  # them in `npm ci`; `npm install` installs the same locked versions without changing the lock.
  (cd ui && { npm ci --no-audit --no-fund --loglevel=error ||
    { echo "npm ci refused the lock file; installing the locked versions with npm install";
      npm install --no-audit --no-fund --loglevel=error; }; })
fi

if [[ "${1:-}" == "--test" ]]; then
  if ! python3 -c "import pytest" 2>/dev/null; then
    echo "== pip install pytest"
    python3 -m pip install --quiet --disable-pip-version-check pytest
  fi
  # bagit.py checks every exported bundle (Debian does not package it).
  if ! command -v bagit.py >/dev/null; then
    echo "== pip install bagit"
    python3 -m pip install --quiet --disable-pip-version-check bagit==1.9.0
  fi
fi
