#!/usr/bin/env bash
# Starts the Temporal dev server (`temporal server start-dev`: SQLite, loopback only, no UI) for the
# worker tests and benchmarks, and prints its gRPC address as the last line of stdout:
#   OUTFLOW_TEST_TEMPORAL_ADDRESS="$(bash .ci/start-temporal.sh | tail -1)"   # -> 127.0.0.1:7233
# Builds the CLI first when it is not cached (.ci/build-temporal.sh). Idempotent: a server already
# answering on the port is reused. Stop it with: kill "$(cat "${TMPDIR:-/tmp}/outflow-temporal/temporal-$PORT.pid")"
#
# Env: TEMPORAL_DEV_PORT (default 7233), TEMPORAL_DEV_DB (SQLite file; default: in memory).
set -euo pipefail

HOST=127.0.0.1
PORT="${TEMPORAL_DEV_PORT:-7233}"
DIR="${TMPDIR:-/tmp}/outflow-temporal"
LOG="$DIR/temporal-$PORT.log"
PIDFILE="$DIR/temporal-$PORT.pid"

log() { echo "start-temporal: $*" >&2; }
die() { echo "start-temporal: ERROR: $*" >&2; exit 1; }
port_open() { (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null; }

bin="$(bash "$(dirname "$0")/build-temporal.sh" | tail -1)"
mkdir -p "$DIR"

ready() { "$bin/temporal" operator cluster health --address "$HOST:$PORT" >/dev/null 2>&1; }

if port_open; then
  ready || die "port $HOST:$PORT is taken by something that is not a Temporal server (set TEMPORAL_DEV_PORT)"
  log "already running on $HOST:$PORT"
  echo "$HOST:$PORT"
  exit 0
fi

args=(server start-dev --ip "$HOST" --port "$PORT" --headless --log-level warn
  # One partition per task queue: a queue's activity rate limit (what holds a destination's limit
  # across workers) is then enforced in one place instead of split over four partitions.
  --dynamic-config-value matching.numTaskqueueReadPartitions=1
  --dynamic-config-value matching.numTaskqueueWritePartitions=1)
[[ -n "${TEMPORAL_DEV_DB:-}" ]] && args+=(--db-filename "$TEMPORAL_DEV_DB")

log "starting $("$bin/temporal" --version) on $HOST:$PORT (log: $LOG)"
nohup "$bin/temporal" "${args[@]}" </dev/null >"$LOG" 2>&1 &
pid=$!
echo "$pid" >"$PIDFILE"

for _ in $(seq 1 300); do
  if port_open && ready; then
    log "ready (pid $pid)"
    echo "$HOST:$PORT"
    exit 0
  fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.2
done
kill "$pid" 2>/dev/null || true
rm -f "$PIDFILE"
echo "start-temporal: ERROR: the dev server exited or did not answer on $HOST:$PORT within 60 s; log tail:" >&2
tail -n 40 "$LOG" >&2 || true
exit 1
