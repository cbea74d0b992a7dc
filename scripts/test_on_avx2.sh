#!/usr/bin/env bash
# Runs the built test suite as a CPU with AVX2 but without AVX-512 would, on any x86-64
# machine: the test executable and every performance_rnn it or a script test starts run
# under qemu-user with `-cpu max`, which in Debian 12's QEMU 7.2 is every feature its
# emulator implements: x86-64-v3 (AVX2, FMA, BMI2, F16C) and no AVX-512. So every CPU
# feature check (cpuid, oneDNN's ISA detection, target_clones dispatch) sees an AVX2 CPU. Tests that need AVX512-BF16
# skip; every other test must pass. Needs Debian's qemu-user (not needed to build or test
# normally) and a built tree; the real binaries are put back however the run ends.
# Usage: scripts/test_on_avx2.sh BUILD_DIR [ctest arguments, e.g. -R Generation]
set -euo pipefail
build=$(cd "${1:?usage: test_on_avx2.sh BUILD_DIR [ctest arguments]}" && pwd)
shift
command -v qemu-x86_64 >/dev/null || { echo "needs qemu-x86_64 (apt-get install qemu-user)" >&2; exit 2; }
for binary in performance_rnn prnn_tests; do
  [ -x "$build/$binary" ] || { echo "$build/$binary: not built" >&2; exit 2; }
  [ ! -e "$build/$binary.native" ] || { echo "$build/$binary.native exists: a run in progress?" >&2; exit 2; }
done
restore() {
  for binary in performance_rnn prnn_tests; do
    if [ -e "$build/$binary.native" ]; then mv -f "$build/$binary.native" "$build/$binary"; fi
  done
}
trap restore EXIT
for binary in performance_rnn prnn_tests; do
  mv "$build/$binary" "$build/$binary.native"
  # -0 keeps the name it was called by (the Magenta-named links choose their command by it).
  cat > "$build/$binary" <<EOF
#!/bin/sh
exec qemu-x86_64 -cpu max -0 "\$(basename "\$0")" "$build/$binary.native" "\$@"
EOF
  chmod +x "$build/$binary"
done
ctest --test-dir "$build" --output-on-failure "$@"
