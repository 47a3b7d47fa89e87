#!/usr/bin/env bash
# Runs one Node test file of tests/clients with node:test, for ctest. Fails (never skips) with a
# clear message when Node or the pinned clients are missing.
#   run-node-test.sh <file relative to tests/clients>
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# scripts/install-node-clients.sh puts a newer Node.js here when the system's is too old.
[[ -x "$here/.node/bin/node" ]] && export PATH="$here/.node/bin:$PATH"
if ! command -v node >/dev/null 2>&1; then
  echo "node is not installed: run scripts/install-deps.sh test (it installs nodejs and npm)" >&2
  exit 1
fi
if [[ ! -d "$here/node_modules/@modelcontextprotocol/sdk" || ! -d "$here/node_modules/@a2a-js/sdk" ||
      ! -d "$here/node_modules/playwright-core" ]]; then
  echo "the pinned test clients are not installed: run scripts/install-node-clients.sh" >&2
  exit 1
fi
cd "$here"
exec node --test --test-reporter=spec "$1"
