#!/usr/bin/env bash
# CTest's notebook_test: executes the notebook with Debian's jupyter-nbconvert (nbclient and
# the ipykernel python3 kernel); any cell error fails. The executed copy is written to
# OUT_DIR (a CI artefact).
# Usage: run_notebook.sh PYTHON NOTEBOOK OUT_DIR   (environment: PYTHONPATH, ...)
set -uo pipefail
python=$1
notebook=$2
out_dir=$3
for module in nbconvert nbclient ipykernel; do
  if ! "$python" -c "import $module" 2>/dev/null; then
    echo "FAIL: $python cannot import $module (Debian: jupyter-nbconvert python3-nbclient" \
      "python3-ipykernel; see scripts/install_deps.sh)"
    exit 1
  fi
done
mkdir -p "$out_dir"
# The kernel runs in the notebook's folder and the notebook writes files there: execute a
# copy in OUT_DIR, in place.
cp "$notebook" "$out_dir/" || exit 1
# Jupyter's and IPython's state in OUT_DIR too: CI's HOME may be missing or read-only.
export JUPYTER_RUNTIME_DIR="$out_dir/.jupyter/runtime" JUPYTER_DATA_DIR="$out_dir/.jupyter/data"
export IPYTHONDIR="$out_dir/.ipython"
"$python" -m nbconvert --to notebook --execute --inplace --ExecutePreprocessor.timeout=300 \
  --ExecutePreprocessor.kernel_name=python3 "$out_dir/$(basename "$notebook")"
