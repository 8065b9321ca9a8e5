#!/usr/bin/env bash
# npm test: type checks and lint, unit tests, then integration tests against a real Fabric network that this run
# starts itself (its own run directory .run/test and ports from 17000), so a network from `npm start` is untouched.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

step() { printf '\n\033[1;34m==> %s\033[0m\n' "$*" >&2; }

bash scripts/ensure-dependencies.sh

step "building Fabric (cached after the first time)"
TRADEDOCS_FABRIC_DIR="$(bash scripts/build-fabric.sh)"
export TRADEDOCS_FABRIC_DIR

step "type check and lint"
npx tsc -p chaincode
npx tsc -p .
# The portal has its own tsconfig (browser, bundler resolution); vite's build strips types without checking them.
npx tsc -p gateway/portal
npx eslint .
if command -v shellcheck >/dev/null 2>&1; then
  shellcheck scripts/*.sh network/ccaas-builder/bin/* .ci/run
else
  printf 'WARNING: shellcheck is not installed, shell scripts were not linted (apt-get install shellcheck)\n' >&2
fi

step "unit tests"
npx mocha --config test/.mocharc.unit.json

step "integration tests (real Fabric network, gateways, portals in Chromium)"
bash scripts/build-portal.sh
npx mocha --config test/.mocharc.integration.json
