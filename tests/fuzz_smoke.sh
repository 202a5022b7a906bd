#!/usr/bin/env bash
# Runs every libFuzzer target in fuzz/ for SECONDS each, seeded from fuzz/corpus/<target>/, and
# fails if any finds a crash, a leak or a timeout (the input is kept in build/fuzz/artifacts/).
#
#   tests/fuzz_smoke.sh [--build] [SECONDS]   default 3 s
#
# With --build the fuzz build (clang, -DPARKWATCH_FUZZ=ON, in build/fuzz) is configured and built
# first; that takes minutes from scratch, so `make test` calls this without --build: it fuzzes
# only when build/fuzz exists (after `make fuzz` or `make soak`, which build it), rebuilding
# incrementally, and otherwise says it skipped. Needs clang, clang++ and libFuzzer (clang 14).
set -euo pipefail
cd "$(dirname "$0")/.."
build=0
if [ "${1:-}" = "--build" ]; then build=1; shift; fi
seconds="${1:-3}"
dir=build/fuzz
jobs="${JOBS:-2}"
targets=(csv_reader json_ingest encoding period credit_code config web_config rule_file xlsx_reader
  xls_reader)

if [ $build -eq 0 ] && [ ! -f $dir/CMakeCache.txt ]; then
  echo "fuzz smoke: skipped, no fuzz build (make fuzz builds one)"
  exit 0
fi
if ! command -v clang++ >/dev/null; then
  echo "fuzz smoke: clang++ not installed" >&2
  exit 1
fi
if [ ! -f $dir/CMakeCache.txt ]; then
  CC=clang CXX=clang++ cmake -S . -B $dir -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPARKWATCH_FUZZ=ON \
    -DPARKWATCH_TESTS=OFF -DPARKWATCH_BENCH=OFF >/dev/null
fi
cmake --build $dir -j"$jobs" --target "${targets[@]/#/fuzz_}" >/dev/null

mkdir -p $dir/artifacts
status=0
for t in "${targets[@]}"; do
  work=$dir/corpus/$t  # grows across runs; the seeds in fuzz/corpus stay as written
  mkdir -p "$work"
  log=$dir/fuzz_$t.log
  if $dir/fuzz/fuzz_$t -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
      -print_final_stats=1 -artifact_prefix="$dir/artifacts/$t-" "$work" "fuzz/corpus/$t" \
      >"$log" 2>&1; then
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    echo "fuzz $t: ${seconds}s, $runs runs, no crash"
  else
    echo "fuzz $t: FAILED, see $log; input in $dir/artifacts/" >&2
    grep -m5 -E 'ERROR|SUMMARY|Test unit written' "$log" >&2 || true
    status=1
  fi
done
exit $status
