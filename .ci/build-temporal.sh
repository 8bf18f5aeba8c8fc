#!/usr/bin/env bash
# Builds the Temporal CLI (`temporal`, which carries the dev server: `temporal server start-dev`) from
# Go modules, since its release downloads are unreachable from our machines; the Go module proxy is.
# Caches it in ${OUTFLOW_TOOLS:-<repo>/.tools}/temporal/v<version>/bin and prints that directory as
# the last line of stdout (progress goes to stderr).
set -euo pipefail

# v1.5.1 builds from the proxy; later tags replace a nested module (cliext) the proxy does not serve.
TEMPORAL_CLI_VERSION=1.5.1

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${OUTFLOW_TOOLS:-$repo/.tools}/temporal/v$TEMPORAL_CLI_VERSION/bin"

log() { echo "build-temporal: $*" >&2; }
die() { echo "build-temporal: ERROR: $*" >&2; exit 1; }

if [[ -x "$bin/temporal" ]] && "$bin/temporal" --version >/dev/null 2>&1; then
  log "cached: $bin ($("$bin/temporal" --version))"
  echo "$bin"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  [[ -x /usr/local/go/bin/go ]] || die "go not found on PATH nor at /usr/local/go/bin/go; install Go >= 1.24"
  PATH="/usr/local/go/bin:$PATH"
fi
log "using $(go version)"

export GOFLAGS="-mod=mod"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$bin"
log "building temporal v$TEMPORAL_CLI_VERSION (cold: several minutes on 2 cores)"
(
  cd "$work"
  go mod init outflow.local/build-temporal >/dev/null 2>&1
  go mod edit -require="github.com/temporalio/cli@v$TEMPORAL_CLI_VERSION"
  go build -trimpath -ldflags "-s -w -X github.com/temporalio/cli/temporalcli.Version=$TEMPORAL_CLI_VERSION" \
    -o "$bin/temporal" github.com/temporalio/cli/cmd/temporal
) || die "building github.com/temporalio/cli@v$TEMPORAL_CLI_VERSION failed (see the go output above)"

"$bin/temporal" --version >/dev/null 2>&1 || die "built $bin/temporal but \`temporal --version\` fails"
log "built: $bin ($("$bin/temporal" --version))"
echo "$bin"
