#!/usr/bin/env bash
# Starts Debian's PostgreSQL on loopback for the hub's second storage backend and prints the URL
# the tests read from GONGKAI_TEST_PG (role gongkai, database gongkai_test). Installed by
# scripts/setup.sh --test; safe to run again.
set -euo pipefail
as_pg() { if [[ "$(id -u)" -eq 0 ]]; then su postgres -s /bin/sh -c "$1"; else sudo -u postgres sh -c "$1"; fi; }
if ! command -v pg_lsclusters >/dev/null; then
  echo "PostgreSQL is not installed (scripts/setup.sh --test installs it)" >&2
  exit 1
fi
read -r ver name port _ < <(pg_lsclusters -h | head -1) || true
if [[ -z "${ver:-}" ]]; then
  ver=$(ls /usr/lib/postgresql | sort -V | tail -1)
  pg_createcluster "$ver" main >/dev/null
  read -r ver name port _ < <(pg_lsclusters -h | head -1)
fi
pg_ctlcluster "$ver" "$name" start >/dev/null 2>&1 || true
for _ in $(seq 1 30); do
  as_pg "pg_isready -q -p $port" && break
  sleep 1
done
as_pg "psql -q -p $port -c \"DO \\\$\\\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'gongkai') THEN CREATE ROLE gongkai LOGIN PASSWORD 'gongkai'; END IF; END \\\$\\\$;\"" >/dev/null
as_pg "psql -q -p $port -tc \"SELECT 1 FROM pg_database WHERE datname = 'gongkai_test'\" | grep -q 1 || createdb -p $port -O gongkai gongkai_test"
echo "postgres://gongkai:gongkai@127.0.0.1:$port/gongkai_test"
