#!/usr/bin/env bash
# Make sure the test control plane binaries (etcd, kube-apiserver, kube-controller-manager) are built
# and cached for the pins in versions.env. Idempotent: when cached this only checks `--version` (< 1 s).
# Works on a fresh machine: the only needs are Go (installed through apt if missing) and the Go module
# proxy. Recipe: /work/shared/docs/test-cluster.md section 1.
#
#   bash test/cluster/prepare.sh            build if needed, print versions
#   bash test/cluster/prepare.sh --bin-dir  build if needed (logs to stderr), print only the bin dir
#
# Env: K8S_TEST_CACHE (cache root), K8S_TEST_BUILD_JOBS (go build -p, default 2).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
# shellcheck source=versions.env
. "$HERE/versions.env"

MODE=${1:-}
if [ "$MODE" = "--bin-dir" ]; then exec 3>&1 1>&2; else exec 3>&1; fi

log() { echo "[test-cluster] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

CACHE=${K8S_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/helm-ts/test-cluster}
JOBS=${K8S_TEST_BUILD_JOBS:-2}

# ---- Go ---------------------------------------------------------------------------------------------
# k8s 1.34 needs Go >= 1.24. Debian 12's golang-go is 1.19, which predates GOTOOLCHAIN, so an old Go
# only bootstraps: it downloads the pinned toolchain module from the module proxy (what GOTOOLCHAIN
# does in newer Go) and that toolchain builds everything.
go_minor() { GOTOOLCHAIN=local go env GOVERSION 2>/dev/null | sed -n 's/^go1\.\([0-9]*\).*/\1/p'; }
find_go() {
  if ! command -v go >/dev/null 2>&1; then
    for d in /usr/local/go/bin /usr/lib/go/bin "$HOME/go/bin" "$HOME/sdk/go/bin"; do
      if [ -x "$d/go" ]; then PATH="$d:$PATH"; break; fi
    done
  fi
  if ! command -v go >/dev/null 2>&1; then
    log "Go not found; installing golang-go with apt-get"
    command -v apt-get >/dev/null 2>&1 || die "no Go and no apt-get: install Go >= 1.24"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq golang-go >&2
    PATH="/usr/lib/go/bin:$PATH"
  fi
  local minor
  minor=$(go_minor)
  if [ -z "$minor" ] || [ "$minor" -lt 24 ]; then
    local mod dir
    mod="golang.org/toolchain@v0.0.1-$GO_FALLBACK_TOOLCHAIN.$(go env GOOS)-$(go env GOARCH)"
    log "$(go version) is too old; fetching $mod from the module proxy"
    mkdir -p "$CACHE/gomod"
    dir=$(cd "$(mktemp -d)" && GOMODCACHE="$CACHE/gomod" GOFLAGS=-mod=mod GO111MODULE=on \
      go mod download -json "$mod" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p')
    [ -f "$dir/bin/go" ] || die "could not download $mod"
    chmod u+x "$dir"/bin/* "$dir"/pkg/tool/*/* 2>/dev/null || true
    PATH="$dir/bin:$PATH"
    minor=$(go_minor)
    [ -n "$minor" ] && [ "$minor" -ge 24 ] || die "the downloaded toolchain does not run"
  fi
  export GOTOOLCHAIN=local
}
find_go

GOVER=$(go env GOVERSION)
KEY="k8s-$K8S_VERSION.etcd-$ETCD_VERSION.$GOVER.$(go env GOOS)-$(go env GOARCH).$RECIPE_REV"
BIN="$CACHE/bin/$KEY"

# ---- fast path --------------------------------------------------------------------------------------
# Capture first, then match: `cmd | grep -q` under pipefail fails at random when grep exits before
# the command finished writing (SIGPIPE).
version_has() {
  local out
  [ -x "$1" ] && out=$("$1" --version 2>/dev/null) && grep -qx "$2" <<<"$out"
}
k8s_version_ok() { version_has "$1" "Kubernetes $K8S_VERSION"; }
etcd_version_ok() { version_has "$1" "etcd Version: ${ETCD_VERSION#v}"; }
cached() {
  k8s_version_ok "$BIN/kube-apiserver" && k8s_version_ok "$BIN/kube-controller-manager" &&
    etcd_version_ok "$BIN/etcd"
}

print_versions() {
  log "binaries: $BIN"
  "$BIN/kube-apiserver" --version >&2
  "$BIN/kube-controller-manager" --version >&2
  "$BIN/etcd" --version >&2
  local kubectl
  if kubectl=$(cd "$ROOT" && "$ROOT/node_modules/.bin/bun" -e \
    'import { oraclePaths } from "./test/support/oracle.ts"; console.log(oraclePaths().kubectl)' 2>/dev/null); then
    "$kubectl" version --client >&2
  else
    log "kubectl oracle not available (run npm ci first)"
  fi
}

if cached; then
  [ "$MODE" = "--bin-dir" ] || print_versions
  echo "$BIN" >&3
  exit 0
fi

# ---- build (once per key; parallel callers wait on the lock) ----------------------------------------
mkdir -p "$CACHE/bin" "$CACHE/src" "$CACHE/logs"
exec 9>"$CACHE/.lock"
log "waiting for the build lock $CACHE/.lock"
flock 9
if cached; then
  log "built by another process meanwhile"
  [ "$MODE" = "--bin-dir" ] || print_versions
  echo "$BIN" >&3
  exit 0
fi

export GOMODCACHE="$CACHE/gomod" GOCACHE="$CACHE/gocache" CGO_ENABLED=0 GOFLAGS="-mod=mod -buildvcs=false"
STAGE="$CACHE/bin/$KEY.tmp.$$"
rm -rf "$STAGE"
mkdir -p "$STAGE"
trap 'rm -rf "$STAGE"' EXIT

# Run a build step under /usr/bin/time -v when available; keep its report in $CACHE/logs.
timed() {
  local name=$1
  shift
  local report="$CACHE/logs/$name.$KEY.time"
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -v -o "$report" "$@"
    log "$name: $(grep -E 'Elapsed \(wall' "$report" | sed 's/^[[:space:]]*//'); $(grep -E 'Maximum resident' "$report" | sed 's/^[[:space:]]*//')"
  else
    local t0=$SECONDS
    "$@"
    log "$name: $((SECONDS - t0)) s"
  fi
}

# Scratch module for kube-apiserver + kube-controller-manager, outside the project tree.
K8S_SRC="$CACHE/src/k8s-$K8S_VERSION"
PIN_K8S="$HERE/modules/k8s-$K8S_VERSION"
mkdir -p "$K8S_SRC"
if [ -f "$PIN_K8S/go.mod" ] && [ -f "$PIN_K8S/go.sum" ]; then
  log "using the committed go.mod/go.sum from $PIN_K8S"
  cp "$PIN_K8S/go.mod" "$PIN_K8S/go.sum" "$K8S_SRC/"
else
  log "generating the k8s scratch module (replace list from k8s.io/kubernetes@$K8S_VERSION go.mod)"
  modfile=$(cd "$K8S_SRC" && GOFLAGS=-mod=mod go mod download -json "k8s.io/kubernetes@$K8S_VERSION" |
    sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",*$/\1/p')
  [ -f "$modfile" ] || die "could not download k8s.io/kubernetes@$K8S_VERSION"
  goline=$(sed -n 's/^go \([0-9.]*\)$/\1/p' "$modfile" | head -1)
  godebug=$(sed -n 's/^godebug \(.*\)$/\1/p' "$modfile" | head -1)
  {
    echo "module example.invalid/k8sbuild"
    echo
    echo "go ${goline:-1.24.0}"
    [ -z "$godebug" ] || echo "godebug $godebug"
    echo
    sed -n 's#^[[:space:]]*\(k8s\.io/[a-z0-9-]*\) => \./staging/.*#\1#p' "$modfile" |
      while read -r m; do echo "replace $m => $m v0.${K8S_VERSION#v1.}"; done
    echo
    printf 'require k8s.io/kubernetes %s\n' "$K8S_VERSION"
  } >"$K8S_SRC/go.mod"
  rm -f "$K8S_SRC/go.sum"
  log "$(grep -c '^replace' "$K8S_SRC/go.mod") staging modules replaced"
fi

K8S_MINOR=$(echo "$K8S_VERSION" | cut -d. -f2)
BUILD_DATE=$(date -u +%Y-%m-%dT%H:%M:%SZ)
LD="-s -w"
for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  LD+=" -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$K8S_MINOR -X $p.gitTreeState=clean"
  LD+=" -X $p.buildDate=$BUILD_DATE"
done
log "building kube-apiserver + kube-controller-manager $K8S_VERSION with $GOVER, -p $JOBS (slow the first time)"
(cd "$K8S_SRC" && timed k8s-build go build -p "$JOBS" -trimpath -ldflags "$LD" -o "$STAGE/" \
  k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager)
k8s_version_ok "$STAGE/kube-apiserver" || die "kube-apiserver --version is not 'Kubernetes $K8S_VERSION'"
k8s_version_ok "$STAGE/kube-controller-manager" || die "kube-controller-manager --version is wrong"

# etcd gets its own scratch module so MVS keeps etcd's own dependency versions.
ETCD_SRC="$CACHE/src/etcd-$ETCD_VERSION"
PIN_ETCD="$HERE/modules/etcd-$ETCD_VERSION"
mkdir -p "$ETCD_SRC"
if [ -f "$PIN_ETCD/go.mod" ] && [ -f "$PIN_ETCD/go.sum" ]; then
  cp "$PIN_ETCD/go.mod" "$PIN_ETCD/go.sum" "$ETCD_SRC/"
else
  printf 'module example.invalid/etcdbuild\n\ngo 1.24.0\n\nrequire go.etcd.io/etcd/server/v3 %s\n' \
    "$ETCD_VERSION" >"$ETCD_SRC/go.mod"
  rm -f "$ETCD_SRC/go.sum"
fi
log "building etcd $ETCD_VERSION"
(cd "$ETCD_SRC" && timed etcd-build go build -p "$JOBS" -trimpath -ldflags "-s -w" -o "$STAGE/etcd" \
  go.etcd.io/etcd/server/v3)
etcd_version_ok "$STAGE/etcd" || die "etcd --version is not ${ETCD_VERSION#v}"

# Keep the resolved modules next to the script so later builds are checksum-pinned (commit them).
for pair in "$K8S_SRC:$PIN_K8S" "$ETCD_SRC:$PIN_ETCD"; do
  src=${pair%%:*} pin=${pair#*:}
  if [ ! -f "$pin/go.sum" ]; then
    mkdir -p "$pin"
    cp "$src/go.mod" "$src/go.sum" "$pin/"
    log "wrote $pin/go.mod and go.sum: commit them"
  fi
done

rm -rf "$BIN"
mv "$STAGE" "$BIN"
trap - EXIT
log "cached in $BIN"
[ "$MODE" = "--bin-dir" ] || print_versions
echo "$BIN" >&3
