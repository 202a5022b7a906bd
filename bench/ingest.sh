#!/usr/bin/env bash
# Bulk-ingest benchmark (issue: spine). Generates a wide CSV of ENTERPRISES x MONTHS rows with two
# indicators each, then, in the same run and on the same file:
#   1. sqlite3 .import into a table of the file's shape keyed like the store (the baseline);
#   2. a plain prepared-INSERT loop (python3's sqlite3 executemany: a tight C loop, the ceiling);
#   3. `parkwatch ingest` (validates every field, converts units, keeps revisions, records the batch).
# Prints rows/s and figures/s for each, the ratios, and parkwatch's peak RSS.
# Usage: bench/ingest.sh BUILD_DIR [ENTERPRISES] [MONTHS]
set -euo pipefail
build=${1:?build dir}
enterprises=${2:-20000}
months=${3:-60}
parkwatch=$build/parkwatch
work=$(mktemp -d /tmp/parkwatch-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT

csv=$work/bulk.csv
"$parkwatch" bench-data --out="$csv" --enterprises="$enterprises" --months="$months" >/dev/null
rows=$(($(wc -l <"$csv") - 1))
figures=$((rows * 2))
size=$(du -m "$csv" | cut -f1)

now() { date +%s.%N; }
rate() { awk -v n="$1" -v t="$2" 'BEGIN { printf "%.0f", n / t }'; }

# 1. sqlite3 .import, same durability settings as the store (WAL, synchronous=FULL).
t0=$(now)
sqlite3 "$work/import.db" <<SQL >/dev/null
PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;
CREATE TABLE figures (credit_code TEXT, period TEXT, output_value REAL, electricity REAL,
                      PRIMARY KEY (credit_code, period)) WITHOUT ROWID;
.import --csv --skip 1 $csv figures
SQL
t_import=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { print b - a }')

# 2. prepared INSERT loop, one transaction.
t0=$(now)
/usr/bin/python3 - "$csv" "$work/loop.db" <<'PY'
import csv, sqlite3, sys
db = sqlite3.connect(sys.argv[2])
db.execute("PRAGMA journal_mode=WAL"); db.execute("PRAGMA synchronous=FULL")
db.execute("CREATE TABLE figures (credit_code TEXT, period TEXT, output_value REAL, electricity REAL,"
           " PRIMARY KEY (credit_code, period)) WITHOUT ROWID")
with open(sys.argv[1], encoding="utf-8") as f:
    r = csv.reader(f); next(r)
    with db:
        db.executemany("INSERT INTO figures VALUES (?, ?, ?, ?)", r)
PY
t_loop=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { print b - a }')

# 3. parkwatch ingest, with peak RSS from GNU time if present, else from /proc polling.
printf 'storage: {path: %s/pw.db}\n' "$work" >"$work/pw.yml"
t0=$(now)
"$parkwatch" ingest --config.file="$work/pw.yml" "$csv" >"$work/ingest.out" 2>&1 &
pid=$!
peak=0
while kill -0 "$pid" 2>/dev/null; do
  kb=$(awk '/VmHWM/ { print $2 }' /proc/$pid/status 2>/dev/null || echo 0)
  [ -n "$kb" ] && [ "$kb" -gt "$peak" ] && peak=$kb
  sleep 0.05
done
wait "$pid" || { cat "$work/ingest.out"; exit 1; }
t_pw=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { print b - a }')

echo "# bulk ingest: $rows rows ($figures figures), ${size} MB CSV, $(nproc) cores"
printf '%-34s %10s %12s %14s\n' "method" "seconds" "rows/s" "figures/s"
printf '%-34s %10.2f %12s %14s\n' "sqlite3 .import (baseline)" "$t_import" "$(rate $rows $t_import)" "$(rate $figures $t_import)"
printf '%-34s %10.2f %12s %14s\n' "prepared INSERT loop (ceiling)" "$t_loop" "$(rate $rows $t_loop)" "$(rate $figures $t_loop)"
printf '%-34s %10.2f %12s %14s\n' "parkwatch ingest" "$t_pw" "$(rate $rows $t_pw)" "$(rate $figures $t_pw)"
awk -v a="$t_import" -v b="$t_loop" -v p="$t_pw" 'BEGIN {
  printf "parkwatch vs .import: %.2fx   parkwatch vs INSERT loop: %.0f%%\n", a / p, 100 * b / p }'
echo "parkwatch peak RSS: $((peak / 1024)) MB"
grep -E "committed|rejected" "$work/ingest.out" | head -3
