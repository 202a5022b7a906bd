#!/usr/bin/env bash
# Figures 4 and 5, the daemon on the rule benchmarks' store (bench_store, ENTERPRISES enterprises,
# five years) with the default rules:
#   5. start-to-ready (spawn of `parkwatch serve` until /-/ready answers 200: store opened, rules
#      loaded and evaluated) and RSS at ready; the reference is one sqlite3 scan of the figures
#      table (what reading the store once costs).
#   4. /metrics over one keep-alive connection (wrk, or curl reusing its connection), p50 latency
#      and bytes, against metrics_bench: the same registry (the daemon's families and FigureMetrics
#      refreshed from the store copy the daemon ran on) serialised by prometheus-cpp's
#      TextSerializer alone, in process.
# The store is copied first: starting writes alert states into it.
# Usage: bench/serve.sh BUILD_DIR WORKDIR STORE ENTERPRISES   (rows go to $BENCH_ROWS)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
build=$1 work=$2/serve store=$3 enterprises=$4
scrape_seconds=${BENCH_SCRAPE_SECONDS:-10}
min_time=${BENCH_MIN_TIME:-0.5}
rm -rf "$work" && mkdir -p "$work"
cp --sparse=always "$store" "$work/pw.db"
port=$(free_port)
cat >"$work/parkwatch.yml" <<YML
park: {name: bench park, industries: [医药化工, 装备制造, 轻工食品, 电力电子]}
storage: {path: pw.db}
web: {listen_address: 127.0.0.1:$port}
rule_files: [$(cd "$here/.." && pwd)/deploy/rules/default.yml]
YML
echo "## daemon on the bench store: $enterprises enterprises, $(du -m "$store" | cut -f1) MB"

# The reference: one scan of the figures table by the sqlite3 shell.
t0=$(now)
sqlite3 -readonly "$store" "SELECT count(*), total(value) FROM figures" >/dev/null
t_scan=$(since "$t0")

t0=$(now)
"$build/parkwatch" serve --config.file="$work/parkwatch.yml" >"$work/serve.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
if ! wait_ready "http://127.0.0.1:$port/-/ready" 600; then
  cat "$work/serve.log" >&2
  exit 1
fi
t_ready=$(since "$t0")
rss=$(rss_kb "$pid" VmRSS)
hwm=$(rss_kb "$pid" VmHWM)
grep -E "rules after|rules in" "$work/serve.log" | sed 's/^[^ ]* [^ ]* //' || true
echo "start-to-ready $t_ready s; RSS at ready $(mb "$rss") MB (peak $(mb "$hwm") MB); sqlite3 scan of figures $t_scan s"

url=http://127.0.0.1:$port/metrics
curl -fs -o /dev/null "$url"  # so that /metrics's own series exist, as while it is scraped
if command -v wrk >/dev/null; then
  wrk -t1 -c1 -d"${scrape_seconds}s" --timeout 60s --latency "$url" >"$work/wrk.txt"
  # "50%  123.45us" -> ms
  p50=$(awk '$1 == "50%" { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
         m = (u == "us") ? 0.001 : (u == "s") ? 1000 : 1; printf "%.4f", v * m }' "$work/wrk.txt")
  rps=$(awk '/Requests\/sec/ { print $2 }' "$work/wrk.txt")
  how="wrk -c1"
else
  # curl keeps one connection open across the URLs it is given.
  urls=()
  for ((i = 0; i < 200; i++)); do urls+=("$url"); done
  p50=$(curl -s -o /dev/null -w '%{time_total}\n' "${urls[@]}" | sort -n |
    awk '{ v[NR] = $1 } END { printf "%.4f", 1000 * v[int((NR + 1) / 2)] }')
  rps="-"
  how="curl keep-alive"
fi
curl -fs "$url" >"$work/metrics.txt"
bytes=$(wc -c <"$work/metrics.txt")
kill "$pid"
wait "$pid" || true
trap - EXIT

json=$work/metrics_bench.json
# On the copy the daemon ran on: the same figures and alert states as the registry just scraped.
PARKWATCH_BENCH_STORE=$work/pw.db PARKWATCH_BENCH_METRICS_OUT=$work/metrics_bench.txt \
  PARKWATCH_BENCH_ENTERPRISES=$enterprises \
  "$build/bench/metrics_bench" --benchmark_min_time="$min_time" \
  --benchmark_format=json >"$json" 2>/dev/null
read -r ser_ms ser_bytes park_ms park_bytes park_series first_ms again_ms store_ms < <(/usr/bin/python3 - "$json" <<'PY'
import json, sys
b = {x["name"]: x for x in json.load(open(sys.argv[1]))["benchmarks"]}
def ms(x): return x["real_time"] * {"ms": 1, "us": 1e-3, "ns": 1e-6}[x["time_unit"]]
d, p = b["BM_SerializeStoreRegistry"], b["BM_SerializeParkRegistry"]
f, a, s = b["BM_FigureRefreshFirst"], b["BM_FigureRefreshAgain"], b["BM_ParkFiguresFromStore"]
print(f'{ms(d):.4f} {int(d["bytes"])} {ms(p):.3f} {int(p["bytes"])} {int(p["series"])} '
      f'{ms(f):.1f} {ms(a):.1f} {ms(s):.1f}')
PY
)
echo "/metrics ($how, ${scrape_seconds}s): p50 $p50 ms, $bytes bytes, $rps req/s; TextSerializer alone: $ser_ms ms for $ser_bytes bytes"
echo "TextSerializer alone, a synthetic registry with $park_series park-sized series: $park_ms ms, $park_bytes bytes"
echo "figure refresh from the engine's data: first $first_ms ms, again $again_ms ms; reading them from the store instead (the export's path): $store_ms ms"
echo "largest families in the daemon's /metrics (series):"
grep -v '^#' "$work/metrics.txt" | sed 's/[{ ].*//' | sort | uniq -c | sort -rn | head -5

ratio=$(calc 'a / b' -v a="$p50" -v b="$ser_ms")
row "4 /metrics scrape p50, keep-alive ($bytes B)" "$p50 ms" "TextSerializer $ser_ms ms ($ser_bytes B)" \
  "${ratio}x" "<= 1.2x" "$(verdict "$(awk -v r="$ratio" 'BEGIN { print (r <= 1.2) ? 1 : 0 }')")"
start_ratio=$(calc 'a / b' -v a="$t_ready" -v b="$t_scan")
row "5 serve start-to-ready (rule store, ${enterprises})" "${t_ready} s" "sqlite3 scan of figures ${t_scan} s" \
  "${start_ratio}x" "<= 3x" "$(verdict "$(awk -v r="$start_ratio" 'BEGIN { print (r <= 3) ? 1 : 0 }')")"
store_bytes=$(stat -c %s "$store")
rss_ratio=$(calc 'a / b' -v a="$((rss * 1024))" -v b="$store_bytes")
row "5 serve RSS at ready (peak)" "$(mb "$rss") MB ($(mb "$hwm"))" "store $(du -m "$store" | cut -f1) MB" \
  "${rss_ratio}x" "<= 2x" "$(verdict "$(awk -v r="$rss_ratio" 'BEGIN { print (r <= 2) ? 1 : 0 }')")"
