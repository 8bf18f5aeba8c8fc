#!/usr/bin/env bash
# Installs dbt (dbt-core with the DuckDB adapter, from PyPI) into a virtualenv under .tools/ for the
# dbt suites, and prints the virtualenv's bin directory as the last line of stdout (progress goes to
# stderr):
#   OUTFLOW_TEST_DBT_BIN="$(bash .ci/install-dbt.sh | tail -1)"   # -> .../.tools/dbt-venv/bin
# Skips the install when the virtualenv already has these versions.
#
# dbt 1.12 depends on a parser package whose build downloads a wheel from outside the package
# registries, so the 1.11 line is pinned: dbt-core 1.11.16 with dbt-duckdb 1.11.1 (manifest v12).
# DuckDB itself is pinned to the version of Outflow's @duckdb/node-api (1.5.5): a file written by
# DuckDB 2 has a storage version DuckDB 1.5 cannot open.
#
# Env: DBT_PYTHON (default python3), DBT_VENV (default .tools/dbt-venv).
set -euo pipefail
cd "$(dirname "$0")/.."

DBT_CORE_VERSION=1.11.16
DBT_DUCKDB_VERSION=1.11.1
DUCKDB_VERSION=1.5.5
PY="${DBT_PYTHON:-python3}"
VENV="${DBT_VENV:-$PWD/.tools/dbt-venv}"
BIN="$VENV/bin"

log() { echo "install-dbt: $*" >&2; }
die() { echo "install-dbt: ERROR: $*" >&2; exit 1; }

installed() {
  [ -x "$BIN/dbt" ] && "$BIN/python" - "$DBT_CORE_VERSION" "$DBT_DUCKDB_VERSION" "$DUCKDB_VERSION" <<'PY' >/dev/null 2>&1
import importlib.metadata as m, sys
versions = [m.version('dbt-core'), m.version('dbt-duckdb'), m.version('duckdb')]
sys.exit(versions != sys.argv[1:])
PY
}

if installed; then
  log "dbt-core $DBT_CORE_VERSION, dbt-duckdb $DBT_DUCKDB_VERSION and duckdb $DUCKDB_VERSION already in $VENV"
else
  command -v "$PY" >/dev/null || die "$PY not found"
  [ -x "$BIN/python" ] || { log "creating a virtualenv in $VENV"; "$PY" -m venv "$VENV" >&2; }
  log "installing dbt-core==$DBT_CORE_VERSION dbt-duckdb==$DBT_DUCKDB_VERSION duckdb==$DUCKDB_VERSION"
  "$BIN/python" -m pip install --quiet --disable-pip-version-check \
    "dbt-core==$DBT_CORE_VERSION" "dbt-duckdb==$DBT_DUCKDB_VERSION" "duckdb==$DUCKDB_VERSION" >&2
  installed || die "dbt installed but the versions do not match"
fi
"$BIN/python" - <<'PY' >&2
import importlib.metadata as m
print(f"install-dbt: dbt-core {m.version('dbt-core')}, dbt-duckdb {m.version('dbt-duckdb')}, duckdb {m.version('duckdb')}")
PY
echo "$BIN"
