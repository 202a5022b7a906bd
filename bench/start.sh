#!/usr/bin/env bash
# Figure 5, the first start after a bulk load: ENTERPRISES x MONTHS of monthly figures
# (`parkwatch bench-data`, two indicators) loaded with `parkwatch ingest` while no daemon runs,
# then `parkwatch serve` with the default rules: spawn -> /-/ready 200 (store opened, the loaded
# batch evaluated through every rule and period, the first deadline check done) and RSS at ready,
# with the CPU time to ready beside the wall clock (the machine may be shared). Baselines from the
# same run: one sqlite3 scan of every figure (start-to-ready goal <= 3x) and the store's size on
# disk (RSS goal <= 2x).
# Usage: bench/start.sh BUILD_DIR WORKDIR ENTERPRISES MONTHS   (rows go to $BENCH_ROWS)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
build=$1 work=$2/start-$3 enterprises=$3 months=$4
rm -rf "$work" && mkdir -p "$work"
port=$(free_port)
cat >"$work/parkwatch.yml" <<YML
park: {name: bench park}
storage: {path: pw.db}
web: {listen_address: 127.0.0.1:$port}
rule_files: [$(cd "$here/.." && pwd)/deploy/rules/default.yml]
YML
"$build/parkwatch" bench-data --out="$work/bulk.csv" --enterprises="$enterprises" \
  --months="$months" >/dev/null
t0=$(now)
"$build/parkwatch" ingest --config.file="$work/parkwatch.yml" "$work/bulk.csv" >"$work/ingest.log" 2>&1
t_ingest=$(since "$t0")
rm -f "$work/bulk.csv"
store_bytes=$(stat -c %s "$work/pw.db")
store_mb=$(awk -v b="$store_bytes" 'BEGIN { printf "%.1f", b / 1048576 }')
echo "## first start after a bulk load: $enterprises enterprises x $months months, store $store_mb MB (ingested in $t_ingest s)"

t0=$(now)
sqlite3 -readonly "$work/pw.db" "SELECT count(*), total(value) FROM figures" >/dev/null
t_scan=$(since "$t0")

t0=$(now)
"$build/parkwatch" serve --config.file="$work/parkwatch.yml" >"$work/serve.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
if ! wait_ready "http://127.0.0.1:$port/-/ready" 1200; then
  cat "$work/serve.log" >&2
  exit 1
fi
t_ready=$(since "$t0")
rss=$(rss_kb "$pid" VmRSS)
hwm=$(rss_kb "$pid" VmHWM)
# CPU time to ready (user + system): on a shared machine the wall clock measures the load too.
cpu=$(awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$pid/stat")
kill "$pid"
wait "$pid" || true
trap - EXIT
grep -E "rules after|rules in" "$work/serve.log" | sed 's/^[^ ]* [^ ]* //' || true
echo "start-to-ready $t_ready s (CPU $cpu s); RSS at ready $(mb "$rss") MB (peak $(mb "$hwm") MB); sqlite3 scan of figures $t_scan s"

ratio=$(calc 'a / b' -v a="$t_ready" -v b="$t_scan")
row "5 first serve after bulk load, ${enterprises}x$months: start-to-ready" "${t_ready} s (CPU $cpu s)" \
  "sqlite3 scan of figures ${t_scan} s" "${ratio}x" "<= 3x" \
  "$(verdict "$(awk -v r="$ratio" 'BEGIN { print (r <= 3) ? 1 : 0 }')")"
rss_ratio=$(calc 'a / b' -v a="$((rss * 1024))" -v b="$store_bytes")
row "5 first serve after bulk load, ${enterprises}x$months: RSS at ready (peak)" \
  "$(mb "$rss") MB ($(mb "$hwm"))" "store $store_mb MB" "${rss_ratio}x" "<= 2x" \
  "$(verdict "$(awk -v r="$rss_ratio" 'BEGIN { print (r <= 2) ? 1 : 0 }')")"
rm -rf "$work"
