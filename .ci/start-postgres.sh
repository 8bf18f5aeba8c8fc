#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the Postgres adapter's tests and prints its connection URL as the
# last line of stdout (progress goes to stderr):
#   DATABASE_URL="$(bash .ci/start-postgres.sh | tail -1)"   # -> postgres://postgres@127.0.0.1:55432/outflow_test
# Trust auth, 127.0.0.1 only, its own port (default 55432, clear of a system cluster on 5432), data under
# ${TMPDIR:-/tmp}, durability off (fsync etc.) because the data is disposable.
# Idempotent: if it is already up on the port, it only makes sure the database exists and prints the URL.
# Stop it with: pg_ctl -D "${TMPDIR:-/tmp}/outflow-pg-$PORT/data" stop   (as the postgres user when root)
#
# Env: PGPORT (default 55432), OUTFLOW_PG_DB (default outflow_test).
set -euo pipefail

PORT="${PGPORT:-55432}"
DB="${OUTFLOW_PG_DB:-outflow_test}"
HOST=127.0.0.1
BASE="${TMPDIR:-/tmp}/outflow-pg-$PORT"
DATA="$BASE/data"
SOCK="$BASE/sock"
LOG="$BASE/postgres.log"
URL="postgres://postgres@$HOST:$PORT/$DB"

log() { echo "start-postgres: $*" >&2; }
die() { echo "start-postgres: ERROR: $*" >&2; exit 1; }

# Debian keeps the server binaries in /usr/lib/postgresql/<major>/bin, off PATH; take the newest.
find_bindir() {
  local d
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  if [ -n "$d" ] && [ -x "$d/initdb" ]; then echo "$d"; return; fi
  d="$(command -v initdb 2>/dev/null || true)"
  if [ -n "$d" ]; then dirname "$(readlink -f "$d")"; fi
}

BIN="$(find_bindir)"
if [ -z "$BIN" ]; then
  [ "$(id -u)" -eq 0 ] || die "PostgreSQL is not installed and we are not root to apt-get it"
  log "installing Debian's postgresql"
  apt-get update >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2
  BIN="$(find_bindir)"
  [ -n "$BIN" ] || die "postgresql installed but initdb not found"
fi

# initdb and postgres refuse to run as root: run them as the postgres user then.
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || die "no postgres user (the postgresql package creates it)"
  as_pg() { runuser -u postgres -- "$@"; }
  OWNER=postgres
else
  as_pg() { "$@"; }
  OWNER="$(id -un)"
fi

ready() { "$BIN/pg_isready" -q -h "$HOST" -p "$PORT" -d postgres -U postgres; }

psql_pg() { "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$HOST" -p "$PORT" -U postgres -d postgres "$@"; }

ensure_db() {
  if [ "$(psql_pg -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != 1 ]; then
    log "creating database $DB"
    psql_pg -c "CREATE DATABASE \"$DB\"" >&2
  fi
}

if ready; then
  log "already running on $HOST:$PORT"
  ensure_db
  echo "$URL"
  exit 0
fi

mkdir -p "$BASE"
chown "$OWNER" "$BASE"
chmod 700 "$BASE"
# A data dir without PG_VERSION is a half-done initdb from an earlier run: start over.
if [ ! -f "$DATA/PG_VERSION" ]; then
  rm -rf "$DATA"
  log "initdb $DATA ($("$BIN/postgres" --version))"
  as_pg "$BIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --no-locale --no-sync >"$BASE/initdb.log" 2>&1 ||
    { tail -n 40 "$BASE/initdb.log" >&2; die "initdb failed"; }
fi
as_pg mkdir -p "$SOCK"

log "starting on $HOST:$PORT (log: $LOG)"
# -w waits until the server accepts connections (bounded by -t).
if ! as_pg "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 30 start \
  -o "-p $PORT -c listen_addresses=$HOST -k $SOCK -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >&2; then
  echo "start-postgres: ERROR: postgres did not start on $HOST:$PORT; log tail:" >&2
  tail -n 40 "$LOG" >&2 || true
  exit 1
fi

for _ in $(seq 1 60); do
  ready && break
  sleep 0.5
done
ready || { tail -n 40 "$LOG" >&2; die "pg_isready still fails on $HOST:$PORT"; }

ensure_db
echo "$URL"
