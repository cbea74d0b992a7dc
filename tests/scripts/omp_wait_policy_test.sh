#!/usr/bin/env bash
# tools/omp_wait_policy.cc: every command but training runs libgomp with a short spin
# (GOMP_SPINCOUNT 10000 in libgomp's own report of its settings), training keeps the default
# spin count, and an OMP_WAIT_POLICY or GOMP_SPINCOUNT in the environment is left as it is.
# Usage: omp_wait_policy_test.sh BINARY SOURCE_DIR SHARED_DIR
set -uo pipefail
binary=$1
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
# The spin count libgomp runs the command with: the last report (after the re-execution).
spincount() { OMP_DISPLAY_ENV=verbose "$@" 2>&1 >/dev/null | sed -n "s/.*GOMP_SPINCOUNT = '\([0-9]*\)'.*/\1/p" | tail -1; }

short=10000
[[ $(spincount "$binary" version) == "$short" ]] || fail "version: spin count $(spincount "$binary" version), want $short"
[[ $(spincount "$binary" generate --help) == "$short" ]] || fail "generate --help: not the short spin"
[[ $(spincount "$binary" benchmark generate --steps 1 --layers 8 --vocab 4) == "$short" ]] ||
  fail "benchmark generate: not the short spin"
train_spin=$(spincount "$binary" train --help)
[[ -n $train_spin && $train_spin != 0 ]] || fail "train --help: spin count '$train_spin', want libgomp's default"
[[ $(spincount "$binary" benchmark train --help) == "$train_spin" ]] || fail "benchmark train: not the default"
kept=$(OMP_WAIT_POLICY=active OMP_DISPLAY_ENV=true "$binary" version 2>&1 >/dev/null | grep OMP_WAIT_POLICY)
[[ $kept == *"'ACTIVE'"* && $(wc -l <<<"$kept") == 1 ]] || fail "OMP_WAIT_POLICY=active was not kept: $kept"
[[ $(GOMP_SPINCOUNT=123 spincount "$binary" version) == 123 ]] || fail "GOMP_SPINCOUNT=123 was not kept"
# The Magenta-named link runs the same way (argv[0] survives the re-execution).
link_dir=$(mktemp -d)
trap 'rm -rf "$link_dir"' EXIT
ln -s "$(readlink -f "$binary")" "$link_dir/performance_rnn_generate"
"$link_dir/performance_rnn_generate" --help 2>&1 | grep -q "performance_rnn_generate" ||
  fail "performance_rnn_generate --help after re-execution does not name itself"
[[ $(spincount "$link_dir/performance_rnn_generate" --help) == "$short" ]] || fail "performance_rnn_generate: not the short spin"
ln -s "$(readlink -f "$binary")" "$link_dir/performance_rnn_train"
[[ $(spincount "$link_dir/performance_rnn_train" --help) == "$train_spin" ]] || fail "performance_rnn_train: not the default"
if ((failures)); then echo "$failures failure(s)"; exit 1; fi
echo "omp_wait_policy_test: all passed"
