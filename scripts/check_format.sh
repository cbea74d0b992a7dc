#!/bin/bash
# Checks (default) or applies (--fix) the C++ formatting of .clang-format (clang-format 14,
# Debian's clang-format-14) over src/, tools/, tests/, fuzz/ and python/. Run by CTest
# (check_format), so CI fails on a file that clang-format would change.
#   scripts/check_format.sh [--fix] [source root]
set -euo pipefail
fix=0
if [ "${1:-}" = "--fix" ]; then fix=1; shift; fi
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
format=$(command -v clang-format-14 || command -v clang-format || true)
[ -n "$format" ] || { echo "check_format: clang-format-14 is not installed"; exit 1; }
cd "$root"
mapfile -t files < <(find src tools tests fuzz python \( -name '*.cc' -o -name '*.h' \) \
                       -not -path 'tests/fixtures/*' | sort)
if [ "$fix" = 1 ]; then
  "$format" -i --style=file "${files[@]}"
  exit 0
fi
bad=0
for f in "${files[@]}"; do
  if ! "$format" --style=file "$f" | cmp -s - "$f"; then
    echo "check_format: $f differs from clang-format (scripts/check_format.sh --fix)"
    bad=1
  fi
done
[ "$bad" = 0 ] && echo "check_format: ${#files[@]} files formatted"
exit $bad
