#!/usr/bin/env bash
# npm run test:faults: fault tests on a network of their own (.run/faults, ports from 18000), so they can run while
# `npm start` or `npm test` networks are up. Includes hostile input, security checks and schema-driven fuzzing with
# schemathesis (installed once into a venv in the cache, outside the repository).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
bash scripts/ensure-dependencies.sh
TRADEDOCS_FABRIC_DIR="$(bash scripts/build-fabric.sh)"
# Installed here rather than inside the test, so a first-time install does not count against the test's timeout.
bash scripts/ensure-schemathesis.sh >/dev/null
export TRADEDOCS_FABRIC_DIR
export TRADEDOCS_TEST_RUN_NAME="${TRADEDOCS_TEST_RUN_NAME:-faults}" TRADEDOCS_TEST_BASE_PORT="${TRADEDOCS_TEST_BASE_PORT:-18000}"
npx mocha --config test/.mocharc.faults.json "$@"
