#!/usr/bin/env bash
# Installs the npm dependencies when node_modules is missing or was installed from another package-lock.json.
# Compares content, not modification times: a fresh clone gives every file a new mtime.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
stamp="node_modules/.tradedocs-lock.sha256"
wanted="$(sha256sum package-lock.json | cut -d ' ' -f 1)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$wanted" ]]; then
  printf '\033[0;32m[tradedocs]\033[0m installing npm dependencies\n' >&2
  npm ci --no-audit --no-fund
  printf '%s\n' "$wanted" > "$stamp"
fi
