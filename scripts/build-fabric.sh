#!/usr/bin/env bash
# Builds the Fabric and Fabric CA binaries from their Go modules at pinned versions into a cache outside the
# repository (keyed by version), so every clone on this machine reuses them. Prints the cache directory on stdout.
set -euo pipefail

# Fabric's module has no /v3 path suffix, so releases are only reachable as pseudo-versions of their commit. The
# module proxy on these machines serves the v3.1.0 release commit (8f08391d840c) and refuses later 3.1.x tags; see
# README "Fabric version". Override both variables together to build another commit.
FABRIC_MODULE_VERSION="${FABRIC_MODULE_VERSION:-v1.4.0-rc1.0.20250318174348-8f08391d840c}"
FABRIC_VERSION_LABEL="${FABRIC_VERSION_LABEL:-3.1.0}"
FABRIC_CA_VERSION="${FABRIC_CA_VERSION:-v1.5.21}"
GO_MIN_VERSION="1.26.4"

cache_root="${TRADEDOCS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/tradedocs}"
# Keyed by label and commit, so binaries of another build are never picked up by mistake.
target="$cache_root/fabric-${FABRIC_VERSION_LABEL}-${FABRIC_MODULE_VERSION##*-}_ca-${FABRIC_CA_VERSION#v}"

log() { printf '\033[0;34m[build-fabric]\033[0m %s\n' "$*" >&2; }
fatal() { printf '\033[0;31m[build-fabric] %s\033[0m\n' "$*" >&2; exit 1; }

if [[ -f "$target/.complete" ]]; then
  log "using cached binaries in $target"
  printf '%s\n' "$target"
  exit 0
fi

command -v go >/dev/null 2>&1 || fatal "Go is not installed. Install Go $GO_MIN_VERSION or newer (https://go.dev/dl/) and run again."
go_version="$(go env GOVERSION)"
go_version="${go_version#go}"
if [[ "$(printf '%s\n%s\n' "$GO_MIN_VERSION" "$go_version" | sort -V | head -n 1)" != "$GO_MIN_VERSION" ]]; then
  fatal "Go $go_version is too old: Fabric CA $FABRIC_CA_VERSION needs Go $GO_MIN_VERSION or newer. Install a newer Go and run again."
fi
command -v gcc >/dev/null 2>&1 || fatal "gcc is not installed: fabric-ca-server needs cgo (go-sqlite3). Install gcc (apt-get install gcc)."

# The checksum database is not reachable from these machines while the module proxy is; the pinned versions and the
# modules' own go.sum files still fix the content of every dependency.
export GONOSUMDB="${GONOSUMDB:-github.com/hyperledger}"
export GOFLAGS="-mod=mod"
if ! curl -fsS -m 5 -o /dev/null "https://sum.golang.org/lookup/github.com/google/uuid@v1.6.0" 2>/dev/null; then
  log "checksum database unreachable: verifying downloads against the modules' own go.sum only"
  export GONOSUMDB="*"
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/tradedocs-fabric-build.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/out/bin" "$work/out/config"

# go install pkg@version asks the proxy for the module's version list, which this proxy refuses for Fabric; building
# inside a copy of the downloaded module with its own go.mod needs only the pinned versions.
module_source() { # module@version -> writable copy without the (empty) vendor tree
  local dir
  log "downloading $1"
  dir="$(go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [[ -n "$dir" ]] || fatal "the Go module proxy did not serve $1"
  cp -r "$dir" "$work/src-${1##*@}"
  chmod -R u+w "$work/src-${1##*@}"
  rm -rf "$work/src-${1##*@}/vendor"
  printf '%s\n' "$work/src-${1##*@}"
}

started=$SECONDS
fabric_src="$(module_source "github.com/hyperledger/fabric@$FABRIC_MODULE_VERSION")"
log "building peer, orderer, configtxgen, cryptogen, osnadmin, discover, configtxlator (takes a few minutes on 2 cores)"
(cd "$fabric_src" && CGO_ENABLED=0 go build -trimpath \
  -ldflags "-X github.com/hyperledger/fabric/common/metadata.Version=$FABRIC_VERSION_LABEL" \
  -o "$work/out/bin/" ./cmd/peer ./cmd/orderer ./cmd/configtxgen ./cmd/cryptogen ./cmd/osnadmin ./cmd/discover \
  ./cmd/configtxlator)
cp "$fabric_src/sampleconfig/core.yaml" "$fabric_src/sampleconfig/orderer.yaml" "$work/out/config/"
log "Fabric built in $((SECONDS - started)) s"

ca_src="$(module_source "github.com/hyperledger/fabric-ca@$FABRIC_CA_VERSION")"
log "building fabric-ca-server and fabric-ca-client (cgo)"
(cd "$ca_src" && CGO_ENABLED=1 go build -trimpath \
  -ldflags "-X github.com/hyperledger/fabric-ca/lib/metadata.Version=${FABRIC_CA_VERSION#v}" \
  -o "$work/out/bin/" ./cmd/fabric-ca-server ./cmd/fabric-ca-client)

chmod -R u+w "$work/out"
"$work/out/bin/peer" version >&2
mkdir -p "$cache_root"
rm -rf "$target"
mv "$work/out" "$target"
touch "$target/.complete"
log "built in $((SECONDS - started)) s into $target"
printf '%s\n' "$target"
