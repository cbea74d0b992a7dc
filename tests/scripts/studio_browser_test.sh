#!/usr/bin/env bash
# The studio in a real browser (headless Chromium through Selenium): see
# tests/studio/studio_browser_test.py. Arguments: performance_rnn binary, source dir.
set -euo pipefail
exec /usr/bin/python3 "$2/tests/studio/studio_browser_test.py" "$1" "$2"
