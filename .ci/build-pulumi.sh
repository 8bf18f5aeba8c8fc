#!/usr/bin/env bash
# Builds the Pulumi CLI (`pulumi`) and the Node.js language host (`pulumi-language-nodejs`) from Go modules,
# because the official downloads (get.pulumi.com) are not reachable from our machines; the Go module proxy is.
# Caches them in ${OUTFLOW_TOOLS:-<repo>/.tools}/pulumi/v<version>/bin and prints that directory as the last
# line of stdout (progress goes to stderr), so callers can do:
#   PATH="$(bash .ci/build-pulumi.sh | tail -1):$PATH"
set -euo pipefail

# Newest release whose pkg/v3 module the proxy serves in full (v3.260.0+ are refused there).
PULUMI_VERSION=3.259.0
# The language host's own module (sdk/nodejs/cmd/pulumi-language-nodejs/v3) is untagged and the proxy
# refuses every pseudo-version of it, so we build the last release that still shipped the host inside
# sdk/v3 (it moved out in v3.69.0). The engine falls back for the RPCs this older host lacks.
LANGHOST_SDK_VERSION=3.68.0

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${OUTFLOW_TOOLS:-$repo/.tools}/pulumi/v$PULUMI_VERSION/bin"

log() { echo "build-pulumi: $*" >&2; }
die() { echo "build-pulumi: ERROR: $*" >&2; exit 1; }

# The engine looks for the dynamic-provider plugin next to `pulumi` before $PATH; this is the launcher that
# @pulumi/pulumi ships, resolving the SDK from the project directory the engine runs it in. Having it here
# means callers need not put node_modules/@pulumi/pulumi on PATH (which also makes the engine warn).
install_dynamic_provider_launcher() {
  mkdir -p "$bin"
  cat >"$bin/pulumi-resource-pulumi-nodejs" <<'SH'
#!/bin/sh
PULUMI_DYNAMIC_PROVIDER_SCRIPT_PATH=$(node -e "console.log(require.resolve('@pulumi/pulumi/cmd/dynamic-provider'))")
if [ ! -z "$PULUMI_DYNAMIC_PROVIDER_SCRIPT_PATH" ]; then
    node "$PULUMI_DYNAMIC_PROVIDER_SCRIPT_PATH" "$@"
fi
SH
  chmod +x "$bin/pulumi-resource-pulumi-nodejs"
}

if [[ -x "$bin/pulumi" && -x "$bin/pulumi-language-nodejs" ]] && "$bin/pulumi" version >/dev/null 2>&1; then
  install_dynamic_provider_launcher
  log "cached: $bin ($("$bin/pulumi" version))"
  echo "$bin"
  exit 0
fi

# Go may be installed without being on PATH (the image puts it in /usr/local/go).
if ! command -v go >/dev/null 2>&1; then
  [[ -x /usr/local/go/bin/go ]] || die "go not found on PATH nor at /usr/local/go/bin/go; install Go >= 1.25"
  PATH="/usr/local/go/bin:$PATH"
fi
log "using $(go version)"

# The default GOMODCACHE/GOCACHE are kept on purpose: they outlive a fresh clone (CI clones anew, so the
# bin dir above starts empty there), turning a rebuild into a mostly-cached link, and the module cache's
# read-only files would make `rm -rf .tools` fail. -mod=mod lets `go build` fill go.mod/go.sum itself.
export GOFLAGS="-mod=mod"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# build <module> <version> <package> <output>: builds <package> from a scratch main module that requires
# <module>@v<version>. The module's own go.mod has `replace` directives (which is why `go install pkg@v`
# refuses it); the non-local ones are copied, since they only take effect in the main module.
build() {
  local module=$1 version=$2 package=$3 out=$4 dir gomod
  dir="$(mktemp -d "$work/mod.XXXX")"
  (
    cd "$dir"
    go mod init outflow.local/build-pulumi >/dev/null 2>&1
    gomod="$(go mod download -json "$module@v$version" | sed -n 's/^\s*"GoMod": "\(.*\)",\?$/\1/p')" || true
    [[ -f "$gomod" ]] || die "cannot download $module@v$version from the Go module proxy"
    # pkg's go.mod points sdk/v3 at ../sdk, so pin sdk to the same release explicitly.
    go mod edit -require="$module@v$version" -require="github.com/pulumi/pulumi/sdk/v3@v$version"
    # `replace old [v] => new [v]`, single-line or in a block; local-path targets (../sdk) are dropped.
    awk '/^replace \(/{b=1;next} b&&/^\)/{b=0;next} /^replace /{sub(/^replace /,"");print;next} b' "$gomod" |
      awk '{ if ($2=="=>") { o=$1; n=$3; v=$4 } else { o=$1"@"$2; n=$4; v=$5 }
             if (n !~ /^[.\/]/) print o"="n (v ? "@"v : "") }' |
      while read -r r; do go mod edit -replace="$r"; done
    # The release builds' flags (.goreleaser.yml); -X makes `pulumi version` report the pinned release.
    go build -trimpath -tags osusergo,grpcnotrace \
      -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version" \
      -o "$out" "$package"
  ) || die "building $package from $module@v$version failed (see the go output above)"
}

install_dynamic_provider_launcher
log "building pulumi v$PULUMI_VERSION (cold: ~11 min on 2 cores, ~2 GB module cache + ~2 GB build cache)"
build github.com/pulumi/pulumi/pkg/v3 "$PULUMI_VERSION" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi "$bin/pulumi"
log "building pulumi-language-nodejs from sdk v$LANGHOST_SDK_VERSION"
build github.com/pulumi/pulumi/sdk/v3 "$LANGHOST_SDK_VERSION" \
  github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs "$bin/pulumi-language-nodejs"

"$bin/pulumi" version >/dev/null 2>&1 || die "built $bin/pulumi but \`pulumi version\` fails"
log "built: $bin ($("$bin/pulumi" version))"
echo "$bin"
