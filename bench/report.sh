#!/usr/bin/env bash
# The monthly analysis for ENTERPRISES enterprises (bench/report_bench.cc): the report with its
# HTML and XLSX against the goal of 2 s, beside the /metrics figures of the same month computed
# from the same data in the same run.
# Usage: bench/report.sh BUILD_DIR ENTERPRISES   (rows go to $BENCH_ROWS)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
build=$1 enterprises=$2
min_time=${BENCH_MIN_TIME:-0.5}

echo "## monthly report: $enterprises enterprises, December 2024 (1—12月, 24 months of history)"
json=$(mktemp)
trap 'rm -f "$json"' EXIT
PARKWATCH_BENCH_ENTERPRISES=$enterprises "$build/bench/report_bench" \
  --benchmark_min_time="$min_time" --benchmark_format=json >"$json" 2>/dev/null
read -r model rendered metrics < <(/usr/bin/python3 - "$json" <<'PY'
import json, sys
b = {x["name"].removesuffix("/real_time"): x for x in json.load(open(sys.argv[1]))["benchmarks"]}
def ms(x): return x["real_time"] * {"ms": 1, "us": 1e-3, "ns": 1e-6}[x["time_unit"]]
print(ms(b["BM_MonthlyReport"]), ms(b["BM_MonthlyReportRendered"]), ms(b["BM_MetricsFiguresOfMonth"]))
PY
)
printf 'report model %.1f ms; with HTML and XLSX %.1f ms; /metrics figures of the month %.1f ms\n' \
  "$model" "$rendered" "$metrics"
ratio=$(calc 'r / m' -v r="$rendered" -v m="$metrics")
row "6 monthly report ($enterprises enterprises, model + HTML + XLSX)" "$(calc 'x' -v x="$rendered") ms" \
  "/metrics figures of the month $(calc 'x' -v x="$metrics") ms" "${ratio}x the /metrics pass" \
  "<= 2000 ms" "$(verdict "$(awk -v v="$rendered" 'BEGIN { print (v <= 2000) ? 1 : 0 }')")"
