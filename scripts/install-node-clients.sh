#!/usr/bin/env bash
# Installs the pinned Node test clients of tests/clients (package-lock.json) with `npm ci`.
# Idempotent and quiet: does nothing when node_modules already matches the lockfile.
set -euo pipefail
dir="$(cd "$(dirname "$0")/../tests/clients" && pwd)"
if ! command -v npm >/dev/null 2>&1; then
  echo "npm is not installed: run scripts/install-deps.sh test" >&2
  exit 1
fi
stamp="$dir/node_modules/.apflow-lock.sha256"
want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  exit 0
fi
echo "installing the Node test clients (npm ci in tests/clients)" >&2
(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
echo "$want" >"$stamp"
