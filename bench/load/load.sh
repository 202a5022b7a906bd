#!/usr/bin/env bash
# Load test: wrk POSTs small CSV bodies to /api/v1/ingest and GETs /metrics at the same time,
# while files keep landing in the inbox. Afterwards every accepted request and every file must
# be in the store (no lost rows) and wrk must report no errors. Prints p99 latency and RSS.
#
#   bench/load/load.sh BUILD_DIR [SECONDS=20] [CONNECTIONS=8]
set -euo pipefail
build="${1:?usage: $0 BUILD_DIR [SECONDS] [CONNECTIONS]}"
seconds="${2:-20}"
connections="${3:-8}"
here="$(cd "$(dirname "$0")" && pwd)"
bin="$(cd "$build" && pwd)/parkwatch"
work="$(mktemp -d /tmp/parkwatch-load.XXXXXX)"
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

port=$(( 20000 + RANDOM % 20000 ))
export TOKEN=load-token
cat >"$work/parkwatch.yml" <<YML
storage: {path: pw.db}
web: {listen_address: "127.0.0.1:$port", ingest_token: $TOKEN}
collectors: [{name: inbox, directory: inbox}, {name: push, type: http}]
YML
"$bin" serve --config.file="$work/parkwatch.yml" 2>"$work/daemon.log" &
pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/-/ready" >/dev/null && break; sleep 0.1; done
url="http://127.0.0.1:$port"

# Files land in the inbox for the whole run: 50 enterprises x 12 months each, distinct codes.
"$bin" bench-data --out="$work/base.csv" --enterprises=50 --months=12 >/dev/null
(
  n=0
  end=$(( $(date +%s) + seconds ))
  while [ "$(date +%s)" -lt "$end" ]; do
    n=$((n + 1))
    # Same enterprises, values scaled: each file revises the last one's figures.
    awk -F, -v OFS=, -v k="$n" 'NR==1 {print; next} {$3 = $3 * (1 + k / 1000); print}' \
      "$work/base.csv" >"$work/f$n.tmp"
    mv "$work/f$n.tmp" "$work/inbox/f$n.csv"
    sleep 0.5
  done
  echo "$n" >"$work/files"
) &
dropper=$!

wrk -t2 -c"$connections" -d"${seconds}s" --timeout 10s --latency -s "$here/ingest.lua" \
  "$url" >"$work/ingest.txt" &
ingest=$!
wrk -t1 -c2 -d"${seconds}s" --timeout 10s --latency "$url/metrics" >"$work/metrics.txt" &
metrics=$!
wait $ingest $metrics $dropper

files=$(cat "$work/files")
for _ in $(seq 300); do
  [ "$(ls "$work/inbox/processed" | wc -l)" -ge "$files" ] && break
  sleep 0.1
done
rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
kill -TERM "$pid"; wait "$pid" || true; pid=""

requests=$(awk '/requests in/ {print $1}' "$work/ingest.txt")
non2xx=$(awk '/Non-2xx/ {print $NF}' "$work/ingest.txt"); non2xx=${non2xx:-0}
errors=$(grep -h 'Socket errors' "$work/ingest.txt" "$work/metrics.txt" || true)
db="$work/pw.db"
pushed=$(sqlite3 "$db" "SELECT count(*) FROM batches WHERE collector='push' AND status='committed'")
push_figures=$(sqlite3 "$db" "SELECT count(*) FROM figures f JOIN batches b ON b.id=f.batch_id WHERE b.collector='push'")
inbox_batches=$(sqlite3 "$db" "SELECT count(*) FROM batches WHERE collector='inbox' AND status='committed'")

echo "== POST /api/v1/ingest ($connections connections, ${seconds}s)"; grep -E 'Latency|99%|Requests/sec|Non-2xx|Socket' "$work/ingest.txt"
echo "== GET /metrics (2 connections)"; grep -E 'Latency|99%|Requests/sec|Non-2xx|Socket' "$work/metrics.txt"
echo "== store: $pushed push batches committed, $push_figures push figures, $inbox_batches of $files inbox files"
echo "== daemon peak RSS: $((rss_kb / 1024)) MiB"
fail=0
[ -z "$errors" ] || { echo "FAIL: socket errors: $errors"; fail=1; }
[ "$non2xx" -eq 0 ] || { echo "FAIL: $non2xx non-2xx responses"; fail=1; }
# wrk counts the requests it saw answered; at most one per connection was still in flight when
# it stopped (committed, answer not read). Each batch brought exactly one figure.
[ "$pushed" -ge "$requests" ] && [ "$pushed" -le $((requests + connections)) ] &&
  [ "$push_figures" -eq "$pushed" ] ||
  { echo "FAIL: $requests requests answered, $pushed batches, $push_figures figures"; fail=1; }
[ "$inbox_batches" -eq "$files" ] || { echo "FAIL: $files files dropped, $inbox_batches committed"; fail=1; }
grep -E ' (error|critical) ' "$work/daemon.log" | head -5 || true
[ $fail -eq 0 ] && echo "load: OK"
exit $fail
