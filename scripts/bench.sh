#!/usr/bin/env bash
# npm run bench: brings up a network of its own (.run/bench, ports from 19000, gateways from 19401) and measures the
# REST gateways against the Fabric client directly. Not part of npm test.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
bash scripts/ensure-dependencies.sh
TRADEDOCS_FABRIC_DIR="$(bash scripts/build-fabric.sh)"
# The load generator is one person sending thousands of requests a minute: lift the per-user rate limit (600/min).
export TRADEDOCS_FABRIC_DIR TRADEDOCS_GATEWAY_RATE_LIMIT="${TRADEDOCS_GATEWAY_RATE_LIMIT:-1000000}"
node node_modules/tsx/dist/cli.mjs test/bench/run.ts
