#!/usr/bin/env bash
# Figure 8, the console's tuning preview at a province's size: the daemon on the rule benchmarks'
# store (bench_store: ENTERPRISES enterprises, weekly and monthly figures 2020-2024) with the
# default rules, and POST /api/v1/tuning/preview of every threshold rule over the last two years
# (2023-01 to 2024-12), one level changed, timed over HTTP: median of RUNS after one
# (tuning_preview.py). The slowest rule is the figure. The reference, same run: the same change
# without the console, `parkwatch backtest --compare` from the command line (loads the store,
# replays every rule before and after).
# Usage: bench/preview.sh BUILD_DIR WORKDIR STORE ENTERPRISES   (rows go to $BENCH_ROWS)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
build=$1 work=$2/preview store=$3 enterprises=$4
runs=${BENCH_PREVIEW_RUNS:-3}
rules=$(cd "$here/.." && pwd)/deploy/rules/default.yml
rm -rf "$work" && mkdir -p "$work"
cp --sparse=always "$store" "$work/pw.db"
port=$(free_port)
cat >"$work/parkwatch.yml" <<YML
park: {name: bench park, industries: [医药化工, 装备制造, 轻工食品, 电力电子]}
storage: {path: pw.db}
web: {listen_address: 127.0.0.1:$port, admin_token: bench-admin-token}
rule_files: [$rules]
YML
echo "## tuning preview: $enterprises enterprises, 2023-01 to 2024-12, every rule, median of $runs after one"
echo "(load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores: CPU s is the daemon's own time)"
"$build/parkwatch" serve --config.file="$work/parkwatch.yml" >"$work/serve.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
if ! wait_ready "http://127.0.0.1:$port/-/ready" 600; then
  cat "$work/serve.log" >&2
  exit 1
fi
/usr/bin/python3 "$here/tuning_preview.py" --url="http://127.0.0.1:$port" --token=bench-admin-token \
  --from=2023-01 --to=2024-12 --runs="$runs" --pid="$pid" --tuning-out="$work/tuning.yml" | tee "$work/preview.out" |
  grep -v '='
kill "$pid"
wait "$pid" || true
trap - EXIT
declare -A pv
while IFS='=' read -r k v; do pv[$k]=$v; done < <(grep '=' "$work/preview.out")

# The same change of the slowest rule from the command line: the store loaded, every rule replayed
# before and after.
t0=$(now)
"$build/parkwatch" backtest --config.file="$work/parkwatch.yml" --from=2023-01 --to=2024-12 \
  --compare="$rules,$work/tuning.yml" --format=json >"$work/backtest.json"
t_cli=$(since "$t0")
echo "slowest preview: ${pv[slowest_rule]} ${pv[slowest_s]} s; parkwatch backtest --compare of the same change: $t_cli s"
ratio=$(calc 'a / b' -v a="${pv[slowest_s]}" -v b="$t_cli")
row "8 tuning preview, ${enterprises} enterprises x 2 years (slowest of ${pv[rules]} rules: ${pv[slowest_rule]})" \
  "${pv[slowest_s]} s (CPU ${pv[slowest_cpu_s]} s)" "backtest --compare CLI $t_cli s" "${ratio}x" "<= 3 s" \
  "$(verdict "$(awk -v s="${pv[slowest_s]}" 'BEGIN { print (s <= 3) ? 1 : 0 }')")"
