#!/usr/bin/env bash
# CTest's python_module_test: pytest (Debian's python3-pytest) over tests/python with the
# configured interpreter. A missing pytest or module is a failure with its reason (CI
# installs them through scripts/install_deps.sh), and so is pytest's exit status 5 (no
# tests collected).
# Usage: run_pytest.sh PYTHON TEST_DIR   (environment: PYTHONPATH, PRNN_BINARY, PRNN_SOURCE_DIR)
set -uo pipefail
python=$1
tests=$2
if ! "$python" -c "import pytest" 2>/dev/null; then
  echo "FAIL: $python has no pytest (Debian: python3-pytest; see scripts/install_deps.sh)"
  exit 1
fi
"$python" -m pytest -q -p no:cacheprovider "$tests"
status=$?
if [ "$status" -eq 5 ]; then
  echo "FAIL: pytest collected no tests in $tests"
  exit 1
fi
exit "$status"
