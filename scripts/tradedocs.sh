#!/usr/bin/env bash
# Entry point behind npm start/stop/status/deploy/wipe: installs dependencies and builds Fabric when missing,
# then hands over to the network command line (network/src/cli.ts).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

info() { printf '\033[0;32m[tradedocs]\033[0m %s\n' "$*" >&2; }

ensure_dependencies() {
  bash "$repo/scripts/ensure-dependencies.sh"
}

fabric_dir() {
  if [[ -n "${TRADEDOCS_FABRIC_DIR:-}" ]]; then
    printf '%s\n' "$TRADEDOCS_FABRIC_DIR"
  else
    bash "$repo/scripts/build-fabric.sh"
  fi
}

network() {
  TRADEDOCS_FABRIC_DIR="$(fabric_dir)" node "$repo/node_modules/tsx/dist/cli.mjs" "$repo/network/src/cli.ts" "$@"
}

command="${1:-help}"
case "$command" in
  start)
    # npm start [-- [COMMAND] [--org KEY]... [--listen ADDRESS]]: `up` unless another network command is named
    # (e.g. `npm start -- org init --org exporter` on an organisation's own host).
    shift
    if [[ $# -eq 0 || "$1" == --* ]]; then
      set -- up "$@"
    fi
    ensure_dependencies
    bash "$repo/scripts/build-portal.sh"
    network "$@"
    ;;
  stop|status|logs|org)
    [[ -d node_modules ]] || { info "nothing installed yet: run npm start"; exit 1; }
    network "$@"
    ;;
  deploy)
    ensure_dependencies
    network "$@"
    ;;
  wipe)
    ensure_dependencies
    network wipe
    ;;
  *)
    network help
    ;;
esac
