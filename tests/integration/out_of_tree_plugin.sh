#!/usr/bin/env bash
# Builds sdk/examples/hello_executor outside the tree against the SDK installed into a temporary
# prefix, drops the .so into a temporary plugin directory, and checks that apflow lists and runs
# it. Usage: out_of_tree_plugin.sh <apflow build dir> <example source dir> <apflow binary>
#            <test plugin dir with testkit-call>
set -euo pipefail
build_dir=$1 example=$2 apflow=$3 testkit_dir=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

cmake --install "$build_dir" --prefix "$work/prefix" --component sdk >/dev/null
[ -f "$work/prefix/include/apflow/abi.h" ] || fail "the SDK install has no apflow/abi.h"
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
cmake -S "$example" -B "$work/build" "${generator[@]}" -DCMAKE_PREFIX_PATH="$work/prefix" \
      -DCMAKE_BUILD_TYPE=Release >"$work/configure.log" 2>&1 \
  || { cat "$work/configure.log"; fail "configuring the example against the installed SDK"; }
cmake --build "$work/build" >"$work/build.log" 2>&1 \
  || { cat "$work/build.log"; fail "building the example"; }

mkdir -p "$work/plugins"
cp "$work/build/hello_executor.so" "$work/plugins/"
cd "$work"
info=$(env -u APFLOW_CONFIG -u APFLOW_PLUGIN_PATH "$apflow" info --json --plugin-dir "$work/plugins")
grep -q '"id": "apflow.hello_executor"' <<<"$info" || fail "apflow info does not list the module: $info"
grep -A4 '"id": "hello"' <<<"$info" | grep -q '"status": "loaded"' || fail "plugin not loaded: $info"

out=$(APFLOW_PLUGINS__HELLO__GREETING=Bonjour "$apflow" --plugin-dir "$work/plugins" \
      --plugin-dir "$testkit_dir" testkit-call apflow.hello_executor '{"name":"Ada","times":2}')
[ "$out" = '{"greeting":"Bonjour, Ada! Bonjour, Ada!"}' ] || fail "unexpected output: $out"
echo "out-of-tree plugin built, loaded and called: $out"
