# Helpers shared by the benchmark scripts (sourced, not run). Every script appends its table rows
# to $BENCH_ROWS as tab-separated fields: figure, parkwatch, baseline, ratio, goal, verdict.

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.4f", b - a }'; }
# calc 'EXPR' [awk -v assignments...]: awk arithmetic, e.g. calc 'a / b' -v a=1 -v b=2.
calc() {
  local expr=$1
  shift
  awk "$@" "BEGIN { printf \"%.4g\", $expr }"
}
# int 'EXPR' [awk -v ...]: the same, rounded to an integer (rates).
int() {
  local expr=$1
  shift
  awk "$@" "BEGIN { printf \"%.0f\", $expr }"
}
# verdict OK: prints "met" or "MISSED".
verdict() { if [ "$1" = 1 ]; then echo met; else echo MISSED; fi; }
# at_least VALUE GOAL -> 1 or 0
at_least() { awk -v v="$1" -v g="$2" 'BEGIN { print (v ~ /^[0-9.]+([eE][-+]?[0-9]+)?$/ && v + 0 >= g) ? 1 : 0 }'; }

row() {
  local IFS=$'\t'
  echo "$*" >>"${BENCH_ROWS:?}"
}

free_port() {
  /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_ready URL SECONDS: polls every 5 ms until URL answers 200; fails after SECONDS.
wait_ready() {
  local deadline
  deadline=$(awk -v t="$(now)" -v s="$2" 'BEGIN { printf "%.3f", t + s }')
  until curl -fs -o /dev/null "$1"; do
    awk -v t="$(now)" -v d="$deadline" 'BEGIN { exit !(t > d) }' && return 1
    sleep 0.005
  done
}

# rss_kb PID FIELD: VmRSS or VmHWM of a live process, in kB.
rss_kb() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"; }

# peak_rss_of FILE: the "Maximum resident set size" GNU time -v wrote, in kB.
peak_rss_of() { awk -F': ' '/Maximum resident set size/ { print $2 }' "$1"; }

mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

# measured_ingest PARKWATCH FILE DIR [YAML] -> "seconds peak_kb": `parkwatch ingest FILE` into a
# fresh store in DIR (YAML added to its config), under GNU time for its peak RSS (polling VmHWM
# without it); its output in DIR/ingest.out.
measured_ingest() {
  local parkwatch=$1 file=$2 dir=$3
  rm -rf "$dir" && mkdir -p "$dir"
  printf 'storage: {path: %s/pw.db}\n%s\n' "$dir" "${4:-}" >"$dir/pw.yml"
  local t0 peak=0 pid kb
  t0=$(now)
  if [ -x "${BENCH_TIME_BIN:=/usr/bin/time}" ]; then
    if ! "$BENCH_TIME_BIN" -v -o "$dir/time.txt" "$parkwatch" ingest --config.file="$dir/pw.yml" "$file" \
      >"$dir/ingest.out" 2>&1; then
      cat "$dir/ingest.out" >&2
      return 1
    fi
    peak=$(peak_rss_of "$dir/time.txt")
  else  # no GNU time (make test's packages): poll the high-water mark
    "$parkwatch" ingest --config.file="$dir/pw.yml" "$file" >"$dir/ingest.out" 2>&1 &
    pid=$!
    while kb=$(rss_kb "$pid" VmHWM 2>/dev/null) && [ -n "$kb" ]; do
      [ "$kb" -gt "$peak" ] && peak=$kb
      sleep 0.02
    done
    wait "$pid" || { cat "$dir/ingest.out" >&2; return 1; }
  fi
  echo "$(since "$t0") $peak"
}
