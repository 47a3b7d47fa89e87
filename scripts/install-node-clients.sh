#!/usr/bin/env bash
# Installs the pinned Node test clients of tests/clients (package-lock.json) with `npm ci`, and
# a Node.js new enough for them (the MCP conformance runner needs Node 22: it imports
# fs.globSync; Debian 12's nodejs is 18) from the npm registry's node-linux-<arch> package when
# the system's is older. Idempotent and quiet: does nothing when node_modules already matches
# the lockfile and tests/clients/.node is the wanted version.
set -euo pipefail
dir="$(cd "$(dirname "$0")/../tests/clients" && pwd)"
node_version=22.23.3  # run-node-test.sh uses $dir/.node when it exists
if ! command -v npm >/dev/null 2>&1; then
  echo "npm is not installed: run scripts/install-deps.sh test" >&2
  exit 1
fi
major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
have="$("$dir/.node/bin/node" --version 2>/dev/null || true)"
# An older .node (20.x from before) is replaced.
if ((major < 22)) && [[ "$have" != "v$node_version" ]]; then
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64) arch=arm64 ;;
    *) echo "no Node.js package for $(uname -m): install Node.js 22 or later" >&2 && exit 1 ;;
  esac
  echo "installing Node.js $node_version for the test clients (npm package node-linux-$arch)" >&2
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "node-linux-$arch@$node_version" >/dev/null &&
    tar xzf node-linux-*.tgz)
  rm -rf "$dir/.node"
  mkdir -p "$dir/.node"
  cp -a "$tmp/package/." "$dir/.node/"
  rm -rf "$tmp"
fi
[[ -x "$dir/.node/bin/node" ]] && export PATH="$dir/.node/bin:$PATH"
stamp="$dir/node_modules/.apflow-lock.sha256"
want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  exit 0
fi
echo "installing the Node test clients (npm ci in tests/clients)" >&2
(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
echo "$want" >"$stamp"
