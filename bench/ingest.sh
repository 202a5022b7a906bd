#!/usr/bin/env bash
# Figure 1, bulk ingest. Generates a wide CSV of ENTERPRISES x MONTHS rows with two indicators
# each (`parkwatch bench-data`), then, in the same run and on the same file:
#   1. sqlite3 .import into a table of the file's shape keyed like the store (the baseline);
#   2. insert_loop: a C++ prepared-INSERT loop, one row per figure into a table of exactly the
#      store's figures shape (integer ids, same primary key), one transaction (the ceiling);
#   3. `parkwatch ingest` (validates every field and credit code, converts units, keeps revisions,
#      records the batch), under GNU time for its peak RSS (polling VmHWM without it); again at
#      half the months, to show whether memory grows with the file.
# All three with the store's durability: WAL, synchronous=FULL.
# Usage: bench/ingest.sh BUILD_DIR WORKDIR ENTERPRISES MONTHS   (rows go to $BENCH_ROWS)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
build=$1 work=$2 enterprises=$3 months=$4
parkwatch=$build/parkwatch
mkdir -p "$work"

# make_csv MONTHS -> path
make_csv() {
  local csv=$work/bulk-$1.csv
  "$parkwatch" bench-data --out="$csv" --enterprises="$enterprises" --months="$1" >/dev/null
  echo "$csv"
}

# parkwatch_ingest CSV NAME -> "seconds peak_kb"
parkwatch_ingest() { measured_ingest "$parkwatch" "$1" "$work/pw-$2"; }

csv=$(make_csv "$months")
half_months=$(((months + 1) / 2))
half_csv=$(make_csv "$half_months")
rows=$(($(wc -l <"$csv") - 1))
half_rows=$(($(wc -l <"$half_csv") - 1))
size=$(du -m "$csv" | cut -f1)
echo "## bulk ingest: $rows rows ($((rows * 2)) figures, $enterprises enterprises x $months months), ${size} MB CSV"

# 1. sqlite3 .import.
t0=$(now)
sqlite3 "$work/import.db" <<SQL >/dev/null
PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;
CREATE TABLE figures (credit_code TEXT, period TEXT, output_value REAL, electricity REAL,
                      PRIMARY KEY (credit_code, period)) WITHOUT ROWID;
.import --csv --skip 1 $csv figures
SQL
t_import=$(since "$t0")

# 2. prepared INSERT loop.
t0=$(now)
"$build/bench/insert_loop" "$csv" "$work/loop.db" >/dev/null
t_loop=$(since "$t0")

# 3. parkwatch ingest, full and half size.
read -r t_pw peak_pw < <(parkwatch_ingest "$csv" full)
read -r t_half peak_half < <(parkwatch_ingest "$half_csv" half)
grep -E "committed|rejected" "$work/pw-full/ingest.out" | head -2

r_import=$(int 'n / t' -v n="$rows" -v t="$t_import")
r_loop=$(int 'n / t' -v n="$rows" -v t="$t_loop")
r_pw=$(int 'n / t' -v n="$rows" -v t="$t_pw")
r_half=$(int 'n / t' -v n="$half_rows" -v t="$t_half")
printf '%-38s %9s %12s\n' method seconds rows/s
printf '%-38s %9.2f %12.0f\n' "sqlite3 .import (baseline)" "$t_import" "$r_import"
printf '%-38s %9.2f %12.0f\n' "insert_loop, 1 row/figure (ceiling)" "$t_loop" "$r_loop"
printf '%-38s %9.2f %12.0f   peak RSS %s MB\n' "parkwatch ingest" "$t_pw" "$r_pw" "$(mb "$peak_pw")"
printf '%-38s %9.2f %12.0f   peak RSS %s MB\n' "parkwatch ingest, half size" "$t_half" "$r_half" \
  "$(mb "$peak_half")"

vs_import=$(calc 'p / b' -v p="$r_pw" -v b="$r_import")
vs_loop=$(calc '100 * p / b' -v p="$r_pw" -v b="$r_loop")
row "1 ingest ${rows} rows (rows/s)" "$r_pw" ".import $r_import" "${vs_import}x" ">= 1.0x" \
  "$(verdict "$(at_least "$vs_import" 1.0)")"
row "1 ingest vs prepared-INSERT loop" "$r_pw" "loop $r_loop" "${vs_loop}%" ">= 70%" \
  "$(verdict "$(at_least "$vs_loop" 70)")"
flat=$(awk -v a="$peak_pw" -v b="$peak_half" 'BEGIN { print (a < 65536 && a <= 1.25 * b) ? 1 : 0 }')
row "1 ingest peak RSS (full / half file)" "$(mb "$peak_pw") MB" "half: $(mb "$peak_half") MB" \
  "$(calc 'a / b' -v a="$peak_pw" -v b="$peak_half")x" "< 64 MB, flat" "$(verdict "$flat")"
