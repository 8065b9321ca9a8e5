#!/usr/bin/env bash
# npm run test:hosts: each organisation on a test host of its own (Linux network namespaces on a private bridge,
# 10.77.0.0/24), so that nothing but bundles and network traffic crosses between organisations. Needs root for
# `ip netns`. Every tdh-* namespace and link is removed on exit, also when the suite fails or is interrupted.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

if [[ "$(id -u)" -ne 0 ]]; then
  printf 'test:hosts creates network namespaces and needs root (ip netns)\n' >&2
  exit 1
fi

cleanup() {
  local ns link
  for ns in $(ip netns list | awk '$1 ~ /^tdh-/ {print $1}'); do
    ip netns delete "$ns" || true
  done
  for link in $(ip -o link show | awk -F': ' '$2 ~ /^tdh-/ {split($2, a, "@"); print a[1]}'); do
    ip link delete "$link" 2>/dev/null || true
  done
}
trap cleanup EXIT

bash scripts/ensure-dependencies.sh
TRADEDOCS_FABRIC_DIR="$(bash scripts/build-fabric.sh)"
export TRADEDOCS_FABRIC_DIR
npx mocha --config test/.mocharc.hosts.json "$@"
