#!/usr/bin/env bash
# Abuse of the studio server while a well-behaved client plays: see
# tests/studio/studio_abuse_test.py. Arguments: performance_rnn binary, source dir.
set -euo pipefail
exec /usr/bin/python3 "$2/tests/studio/studio_abuse_test.py" "$1" "$2"
