#!/usr/bin/env bash
# Builds the organisations' web portal (gateway/portal, Vite) into gateway/portal/dist, which each gateway serves at /.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
printf '\033[0;32m[tradedocs]\033[0m building the portal\n' >&2
npx vite build --config gateway/portal/vite.config.ts --logLevel warn >&2
