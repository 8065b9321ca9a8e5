#!/usr/bin/env bash
# npm run bench: brings up a network of its own (.run/bench, ports from 19000, gateways from 19401) and measures the
# REST gateways against the Fabric client directly. Not part of npm test.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
bash scripts/ensure-dependencies.sh
TRADEDOCS_FABRIC_DIR="$(bash scripts/build-fabric.sh)"
export TRADEDOCS_FABRIC_DIR
node node_modules/tsx/dist/cli.mjs test/bench/run.ts
