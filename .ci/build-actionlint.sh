#!/usr/bin/env bash
# Builds actionlint (the GitHub Actions workflow linter) from its Go module, since its release downloads
# are unreachable from our machines; the Go module proxy is. Caches it in
# ${OUTFLOW_TOOLS:-<repo>/.tools}/actionlint/v<version>/bin and prints that directory as the last line of
# stdout (progress goes to stderr). The tests lint examples/github-actions/outflow.yml with it.
set -euo pipefail

ACTIONLINT_VERSION=1.7.12

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${OUTFLOW_TOOLS:-$repo/.tools}/actionlint/v$ACTIONLINT_VERSION/bin"

log() { echo "build-actionlint: $*" >&2; }
die() { echo "build-actionlint: ERROR: $*" >&2; exit 1; }

if [[ -x "$bin/actionlint" ]] && "$bin/actionlint" -version >/dev/null 2>&1; then
  log "cached: $bin (actionlint $("$bin/actionlint" -version | head -1))"
  echo "$bin"
  exit 0
fi

command -v go >/dev/null 2>&1 || PATH="/usr/local/go/bin:$PATH" # where the image puts it
command -v go >/dev/null 2>&1 || die "go not found on PATH nor at /usr/local/go/bin/go; install Go >= 1.25"
log "using $(go version); building actionlint v$ACTIONLINT_VERSION (cold: under a minute)"

# Its go.mod has no `replace`, so `go install module@version` builds it as released, and the build info
# it embeds makes `actionlint -version` report v$ACTIONLINT_VERSION.
mkdir -p "$bin"
GOBIN="$bin" go install -trimpath -ldflags "-s -w" \
  "github.com/rhysd/actionlint/cmd/actionlint@v$ACTIONLINT_VERSION" ||
  die "building github.com/rhysd/actionlint@v$ACTIONLINT_VERSION failed (see the go output above)"

"$bin/actionlint" -version >/dev/null 2>&1 || die "built $bin/actionlint but \`actionlint -version\` fails"
log "built: $bin (actionlint $("$bin/actionlint" -version | head -1))"
echo "$bin"
