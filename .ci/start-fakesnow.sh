#!/usr/bin/env bash
# Starts fakesnow (a Snowflake emulator on DuckDB, from PyPI) as a local HTTP server for the Snowflake
# adapter's tests, and prints its URL as the last line of stdout (progress goes to stderr):
#   FAKESNOW_URL="$(bash .ci/start-fakesnow.sh | tail -1)"    # -> http://127.0.0.1:8765
# Connect with snowflake-sdk using { account: 'fakesnow', username: 'fake', password: 'snow',
# accessUrl: FAKESNOW_URL } (or host/port plus protocol: 'http'); any credentials are accepted.
# Idempotent: if our server already answers on the port, it just prints the URL again.
# Stop it with: kill "$(cat "${TMPDIR:-/tmp}/outflow-fakesnow/fakesnow-$PORT.pid")"
#
# Env: FAKESNOW_PORT (default 8765), FAKESNOW_HOST (default 127.0.0.1), FAKESNOW_PYTHON (default python3),
#      FAKESNOW_LOG_LEVEL (uvicorn level, default warning; "info" logs every query).
set -euo pipefail

# fakesnow pins duckdb/sqlglot itself, but not snowflake-connector-python: fakesnow 0.12.1 fails to import
# with connector 5.x (snowflake.connector.converter is gone), so the connector is pinned to the 4.x we tested.
FAKESNOW_VERSION=0.12.1
PIP_PINS=(
  "fakesnow[server]==$FAKESNOW_VERSION"
  "snowflake-connector-python==4.8.1"
  "duckdb==2.0.0"
  "sqlglot==30.22.0"
  "pyarrow==26.0.1"
  "starlette==1.10.0"
  "uvicorn==0.54.0"
)

HOST="${FAKESNOW_HOST:-127.0.0.1}"
PORT="${FAKESNOW_PORT:-8765}"
PY="${FAKESNOW_PYTHON:-python3}"
LOG_LEVEL="${FAKESNOW_LOG_LEVEL:-warning}"
DIR="${TMPDIR:-/tmp}/outflow-fakesnow"
LOG="$DIR/fakesnow-$PORT.log"
PIDFILE="$DIR/fakesnow-$PORT.pid"
LAUNCHER="$(cd "$(dirname "$0")" && pwd)/fakesnow_node_compat.py"
URL="http://$HOST:$PORT"

log() { echo "start-fakesnow: $*" >&2; }
die() { echo "start-fakesnow: ERROR: $*" >&2; exit 1; }

port_open() { (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null; }

# A login request succeeds only against a fakesnow-like server, not whatever else holds the port.
is_fakesnow() {
  "$PY" - "$URL" <<'PY' >/dev/null 2>&1
import json, sys, urllib.request
req = urllib.request.Request(sys.argv[1] + "/session/v1/login-request",
                             data=json.dumps({"data": {"SESSION_PARAMETERS": {}}}).encode(),
                             headers={"Content-Type": "application/json"})
with urllib.request.urlopen(req, timeout=5) as r:
    sys.exit(0 if json.load(r)["data"]["token"] else 1)
PY
}

mkdir -p "$DIR"

if port_open; then
  if is_fakesnow; then
    log "already running on $HOST:$PORT"
    echo "$URL"
    exit 0
  fi
  die "port $HOST:$PORT is taken by something that is not fakesnow (set FAKESNOW_PORT)"
fi

command -v "$PY" >/dev/null || die "$PY not found"
if ! "$PY" -c "
import importlib.metadata as m, sys
import fakesnow.server, uvicorn
sys.exit(m.version('fakesnow') != '$FAKESNOW_VERSION')
" >/dev/null 2>&1; then
  log "installing ${PIP_PINS[*]}"
  "$PY" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore "${PIP_PINS[@]}" >&2
  "$PY" -c 'import fakesnow.server, uvicorn' || die "fakesnow installed but does not import"
fi

# fakesnow replies to queries with Arrow rowsets, which the Node.js snowflake-sdk cannot read (it only reads
# JSON rowsets, and hangs on results without `returned`). fakesnow_node_compat.py, beside this script, wraps
# fakesnow's server app with a middleware that converts replies to Snowflake's JSON result format, and fixes
# two other sdk trip-ups; it changes no query result.

log "starting fakesnow $FAKESNOW_VERSION on $HOST:$PORT (log: $LOG)"
# Detached, with every stream redirected, so `$(start-fakesnow.sh | tail -1)` returns right away.
nohup "$PY" "$LAUNCHER" --host "$HOST" --port "$PORT" --log-level "$LOG_LEVEL" </dev/null >"$LOG" 2>&1 &
pid=$!
echo "$pid" >"$PIDFILE"

# Importing fakesnow (duckdb, pyarrow, sqlglot) takes a few seconds.
for _ in $(seq 1 300); do
  if port_open; then
    log "ready (pid $pid)"
    echo "$URL"
    exit 0
  fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done

kill "$pid" 2>/dev/null || true
rm -f "$PIDFILE"
echo "start-fakesnow: ERROR: fakesnow exited or did not answer on $HOST:$PORT within 30 s; log tail:" >&2
tail -n 40 "$LOG" >&2 || true
exit 1
