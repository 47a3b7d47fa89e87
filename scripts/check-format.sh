#!/usr/bin/env bash
# Fails when a C or C++ file differs from what the committed .clang-format produces.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files '*.h' '*.hpp' '*.c' '*.cpp' | grep -v '^tests/abi/v1/')
[[ ${#files[@]} -eq 0 ]] && exit 0
if ! clang-format --dry-run --Werror "${files[@]}" 2>/tmp/apflow-format.log; then
  grep -E '^[^ ].*: (error|warning):' /tmp/apflow-format.log | cut -d: -f1 | sort -u >&2 || true
  echo "formatting differs from .clang-format; run: clang-format -i <files above>" >&2
  exit 1
fi
