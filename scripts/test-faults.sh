#!/usr/bin/env bash
# npm run test:faults: fault tests on a network of their own (.run/faults, ports from 18000), so they can run while
# `npm start` or `npm test` networks are up.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
bash scripts/ensure-dependencies.sh
TRADEDOCS_FABRIC_DIR="$(bash scripts/build-fabric.sh)"
export TRADEDOCS_FABRIC_DIR TRADEDOCS_TEST_RUN_NAME=faults TRADEDOCS_TEST_BASE_PORT=18000
npx mocha --config test/.mocharc.faults.json
