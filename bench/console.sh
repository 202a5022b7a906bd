#!/usr/bin/env bash
# Figure 7, the console on the demo park: every page's load in headless chromium (median and p90
# from navigation start to the page drawn with every API call answered), against the login page
# (the assets and session calls every page shares), and the tuning preview of every rule over the
# console's default 24 months (bench/console.py says how; it uses the console browser test's
# DevTools client and demo park). Without chromium (a --smoke run where `make test`'s packages
# are missing) it says so and is skipped.
# Usage: bench/console.sh BUILD_DIR [--smoke]   (rows go to $BENCH_ROWS)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$1 smoke=${2:-}
if ! command -v chromium >/dev/null || ! /usr/bin/python3 -c 'import websocket' 2>/dev/null; then
  [ "$smoke" = --smoke ] || { echo "console.sh: needs chromium and python3-websocket" >&2; exit 1; }
  echo "(smoke: chromium or python3-websocket not installed, the console bench is skipped)"
  exit 0
fi
if [ "$smoke" = --smoke ]; then
  exec /usr/bin/python3 "$here/console.py" --parkwatch="$build/parkwatch" --loads=1 --warmup=0 --preview-runs=1
fi
exec /usr/bin/python3 "$here/console.py" --parkwatch="$build/parkwatch" --loads="${BENCH_CONSOLE_LOADS:-15}" \
  --warmup=2 --preview-runs=3
