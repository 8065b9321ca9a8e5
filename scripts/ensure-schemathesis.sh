#!/usr/bin/env bash
# Installs the schema-driven API fuzzer (schemathesis, pinned) into a Python venv in the machine's cache, outside
# the repository, once; prints the path of its `schemathesis` executable on stdout.
set -euo pipefail

SCHEMATHESIS_VERSION="${SCHEMATHESIS_VERSION:-4.32.5}"
cache_root="${TRADEDOCS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/tradedocs}"
venv="$cache_root/venv-schemathesis-$SCHEMATHESIS_VERSION"
bin="$venv/bin/schemathesis"

log() { printf '\033[0;34m[schemathesis]\033[0m %s\n' "$*" >&2; }
fatal() { printf '\033[0;31m[schemathesis] %s\033[0m\n' "$*" >&2; exit 1; }

if [[ -f "$venv/.complete" && -x "$bin" ]]; then
  printf '%s\n' "$bin"
  exit 0
fi

command -v python3 >/dev/null 2>&1 || fatal "python3 is not installed (apt-get install python3 python3-venv)"
log "installing schemathesis $SCHEMATHESIS_VERSION into $venv"
rm -rf "$venv"
mkdir -p "$cache_root"
python3 -m venv "$venv" || fatal "python3 -m venv failed (apt-get install python3-venv)"
"$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION" >&2
"$bin" --version >&2
touch "$venv/.complete"
printf '%s\n' "$bin"
