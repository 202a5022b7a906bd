#!/usr/bin/env bash
# parkwatch benchmarks: every figure beside its baseline, measured in the same run on the same
# data, printed as one table. See bench/README.md.
#
#   bench/run.sh BUILD_DIR [--record] [--smoke]
#                [--only=ingest,xlsx,latency,evaluate,serve,start,report,console,preview]
#
#   --record  also write bench/RESULTS.md: the machine (nproc, CPU, memory, kernel, compiler) and
#             the table.
#   --smoke   every benchmark at a tiny size, in seconds: checks that they run (make test uses
#             this). Times are never a failure; only a benchmark that cannot run is.
# Peers that are not installed (prometheus-pushgateway, wrk) are skipped in --smoke and are an
# error otherwise (`make bench` installs them).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"

build="" record=0 smoke=0 only="ingest,xlsx,latency,evaluate,serve,start,report,console,preview"
for arg in "$@"; do
  case $arg in
    --record) record=1 ;;
    --smoke) smoke=1 ;;
    --only=*) only=${arg#--only=} ;;
    -*) echo "usage: $0 BUILD_DIR [--record] [--smoke] [--only=LIST]" >&2; exit 2 ;;
    *) build=$(cd "$arg" && pwd) ;;
  esac
done
[ -n "$build" ] || { echo "usage: $0 BUILD_DIR [--record] [--smoke] [--only=LIST]" >&2; exit 2; }
for f in parkwatch bench/insert_loop bench/csv_to_xlsx bench/bench_store bench/evaluator_bench \
  bench/metrics_bench bench/report_bench; do
  [ -x "$build/$f" ] || { echo "run.sh: $build/$f is missing: build all targets first" >&2; exit 1; }
done
wants() { [[ ",$only," == *",$1,"* ]]; }

if [ "$smoke" = 1 ]; then
  enterprises=200 months=4 events=3 store_enterprises=200 start_sizes=200
  export BENCH_MIN_TIME=0.01 BENCH_SCRAPE_SECONDS=1 BENCH_SQL_REPEAT=2 BENCH_PREVIEW_RUNS=1
else
  enterprises=20000 months=60 events=100 store_enterprises=20000 start_sizes="20000 50000"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/parkwatch-bench-XXXXXX")
trap 'rm -rf "$work"' EXIT
export BENCH_ROWS=$work/rows.tsv
: >"$BENCH_ROWS"
# Everything printed before the summary is kept for RESULTS.md's details.
exec 3>&1 > >(tee "$work/details.txt" >&3)
started=$(now)
echo "parkwatch benchmarks, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores; the machine may be shared:"
echo "absolute numbers are noisy, compare each figure with its baseline from this same run."
echo

if wants ingest; then
  "$here/ingest.sh" "$build" "$work/ingest" "$enterprises" "$months"
  rm -rf "$work/ingest"
  echo
fi

if wants xlsx; then
  "$here/xlsx.sh" "$build" "$work/xlsx" "$enterprises" "$months"
  rm -rf "$work/xlsx"
  echo
fi

if wants latency; then
  echo "## arrival-to-notification latency, $events events"
  side=both
  if ! command -v prometheus-pushgateway >/dev/null || ! command -v prometheus >/dev/null ||
    ! command -v prometheus-alertmanager >/dev/null; then
    [ "$smoke" = 1 ] || { echo "run.sh: the baseline needs prometheus, alertmanager, pushgateway" >&2; exit 1; }
    side=parkwatch
    echo "(smoke: Prometheus peers not installed, baseline skipped)"
  fi
  if [ "$side" = parkwatch ]; then
    /usr/bin/python3 "$here/latency.py" --parkwatch="$build/parkwatch" --workdir="$work/latency" \
      --events="$events" --side=floor >"$work/latency.floor" 2>>"$work/latency.err" ||
      { cat "$work/latency.err" >&2; exit 1; }
  fi
  /usr/bin/python3 "$here/latency.py" --parkwatch="$build/parkwatch" --workdir="$work/latency" \
    --events="$events" --side="$side" >"$work/latency.out" 2>"$work/latency.err" ||
    { cat "$work/latency.err" >&2; exit 1; }
  declare -A lat
  cat "$work/latency.floor" 2>/dev/null >>"$work/latency.out" || true
  while IFS='=' read -r k v; do lat[$k]=$v; done <"$work/latency.out"
  if [ "${lat[parkwatch_mode]}" = webhook ]; then
    pw_what="file drop -> webhook at the sink"
    echo "(parkwatch delivers webhooks: measured at the sink; the alert itself was visible in"
    echo " GET /api/v1/alerts after p50 $(calc '1000 * x' -v x="${lat[parkwatch_alert_p50]}") ms)"
  else
    pw_what="file drop -> firing in /api/v1/alerts"
    echo "NOTE: this parkwatch does not deliver webhooks yet (its config has no \`alerting:\`), so its"
    echo "      side ends at the alert in GET /api/v1/alerts; once delivery lands (branch notifiers)"
    echo "      latency.py switches to the webhook sink by itself (--webhook=auto)."
  fi
  ms() { calc '1000 * x' -v x="$1"; }
  echo "parkwatch ($pw_what): p50 $(ms "${lat[parkwatch_p50]}") ms, p99 $(ms "${lat[parkwatch_p99]}") ms"
  if [ "$side" = both ]; then
    echo "baseline (pushgateway -> Prometheus 1s/1s -> Alertmanager group_wait 1s -> sink):" \
      "p50 $(ms "${lat[baseline_p50]}") ms, p99 $(ms "${lat[baseline_p99]}") ms"
    r50=$(calc 'b / p' -v b="${lat[baseline_p50]}" -v p="${lat[parkwatch_p50]}")
    r99=$(calc 'b / p' -v b="${lat[baseline_p99]}" -v p="${lat[parkwatch_p99]}")
    base50="$(ms "${lat[baseline_p50]}") ms" base99="$(ms "${lat[baseline_p99]}") ms"
  else
    r50=- r99=- base50=- base99=-
  fi
  row "2 latency p50 ($pw_what)" "$(ms "${lat[parkwatch_p50]}") ms" "Prometheus chain $base50" \
    "${r50}x faster" ">= 20x" "$(verdict "$(at_least "${r50/-/0}" 20)")"
  row "2 latency p99" "$(ms "${lat[parkwatch_p99]}") ms" "Prometheus chain $base99" \
    "${r99}x faster" "-" "-"
  if [ -n "${lat[floor_p50]:-}" ]; then
    echo "floor (SQLite commit of the batch, synchronous=FULL, + one loopback POST to the sink):" \
      "p50 $(ms "${lat[floor_p50]}") ms, p99 $(ms "${lat[floor_p99]}") ms"
    rf=$(calc 'p / f' -v p="${lat[parkwatch_p50]}" -v f="${lat[floor_p50]}")
    row "2 latency p50 against its floor" "$(ms "${lat[parkwatch_p50]}") ms" \
      "commit + POST $(ms "${lat[floor_p50]}") ms" "${rf}x" "<= 2x" \
      "$(verdict "$(awk -v r="$rf" 'BEGIN { print (r <= 2) ? 1 : 0 }')")"
  fi
  echo
fi

if wants evaluate || wants serve || wants preview; then
  # The rule park as a store, cached in the build directory (rebuilt when bench_store changes).
  store=$build/bench-cache/store-$store_enterprises.db
  if [ ! -f "$store" ] || [ "$build/bench/bench_store" -nt "$store" ]; then
    mkdir -p "$build/bench-cache"
    "$build/bench/bench_store" --out="$store.tmp" --enterprises="$store_enterprises"
    rm -f "$store.tmp-wal" "$store.tmp-shm"
    mv "$store.tmp" "$store"
  fi
fi
if wants evaluate; then
  "$here/evaluate.sh" "$build" "$store" "$store_enterprises"
  echo
fi
if wants serve; then
  "$here/serve.sh" "$build" "$work" "$store" "$store_enterprises"
  echo
fi
if wants start; then
  # The first start after a bulk load, at a park's and at a province's size.
  for n in $start_sizes; do
    "$here/start.sh" "$build" "$work" "$n" "$months"
    echo
  done
fi

if wants report; then
  "$here/report.sh" "$build" "$enterprises"
  echo
fi

if wants console; then
  "$here/console.sh" "$build" "$([ "$smoke" = 1 ] && echo --smoke)"
  echo
fi
if wants preview; then
  "$here/preview.sh" "$build" "$work" "$store" "$store_enterprises"
  echo
fi

exec >&3  # the summary is not part of the details
sleep 0.2  # let tee drain
table() {
  echo "| figure | parkwatch | baseline (same run) | ratio | goal | |"
  echo "|---|---|---|---|---|---|"
  awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6 }' "$BENCH_ROWS"
}
echo "## summary ($(since "$started") s$([ "$smoke" = 1 ] && echo ", smoke sizes: numbers mean nothing"))"
table

if [ "$record" = 1 ] && [ "$smoke" = 0 ]; then
  {
    echo "# parkwatch benchmark results"
    echo
    echo "Written by \`make bench BENCH_ARGS=--record\` ($(date -u +%Y-%m-%d), commit"
    echo "$(git -C "$here/.." rev-parse --short HEAD 2>/dev/null || echo unknown)). Every ratio compares parkwatch with a"
    echo "baseline measured in the same run on the same data; the machine was shared with other"
    echo "jobs, so absolute times are noisy and only the ratios are meant to be read."
    echo
    echo "- cores: $(nproc)"
    echo "- CPU: $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
    echo "- memory: $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
    echo "- kernel: $(uname -sr)"
    echo "- compiler: $(c++ --version | head -1), Release (-O3 -DNDEBUG)"
    echo "- SQLite: $(sqlite3 --version | cut -d' ' -f1)"
    echo
    table
    echo
    echo "## Details of that run"
    echo
    echo "What each step printed (bench/README.md says what each one measures)."
    echo
    echo '```'
    cat "$work/details.txt"
    echo '```'
  } >"$here/RESULTS.md"
  echo "wrote $here/RESULTS.md"
fi
