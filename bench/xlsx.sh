#!/usr/bin/env bash
# Figure 1b, workbook ingest. The bulk CSV of `parkwatch bench-data` (ENTERPRISES x MONTHS rows)
# and the same rows as an .xlsx (bench/csv_to_xlsx, libxlsxwriter; past the 1 048 576 rows a
# sheet holds the table goes on in a second sheet, read with `sheet: "*"`), each ingested by
# `parkwatch ingest` into a fresh store in the same run: the XLSX rate against the CSV rate, and
# the XLSX peak RSS at full and half size (flat: the sheet is streamed, not loaded).
# Usage: bench/xlsx.sh BUILD_DIR WORKDIR ENTERPRISES MONTHS   (rows go to $BENCH_ROWS)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
build=$1 work=$2 enterprises=$3 months=$4
parkwatch=$build/parkwatch
mkdir -p "$work"

# ingest FILE NAME -> "seconds peak_kb"
ingest() {
  measured_ingest "$parkwatch" "$1" "$work/pw-$2" 'collectors: [{name: office, type: http, sheet: "*"}]'
}

half_months=$(((months + 1) / 2))
"$parkwatch" bench-data --out="$work/bulk.csv" --enterprises="$enterprises" --months="$months" >/dev/null
"$parkwatch" bench-data --out="$work/half.csv" --enterprises="$enterprises" --months="$half_months" >/dev/null
"$build/bench/csv_to_xlsx" "$work/bulk.csv" "$work/bulk.xlsx"
"$build/bench/csv_to_xlsx" "$work/half.csv" "$work/half.xlsx"
rows=$(($(wc -l <"$work/bulk.csv") - 1))
half_rows=$(($(wc -l <"$work/half.csv") - 1))
echo "## workbook ingest: $rows rows, $(du -m "$work/bulk.csv" | cut -f1) MB CSV," \
  "$(du -m "$work/bulk.xlsx" | cut -f1) MB XLSX (same rows)"

read -r t_csv peak_csv < <(ingest "$work/bulk.csv" csv)
read -r t_xlsx peak_xlsx < <(ingest "$work/bulk.xlsx" xlsx)
read -r t_half peak_half < <(ingest "$work/half.xlsx" half)
grep -E "committed|rejected" "$work/pw-xlsx/ingest.out" | head -2

r_csv=$(int 'n / t' -v n="$rows" -v t="$t_csv")
r_xlsx=$(int 'n / t' -v n="$rows" -v t="$t_xlsx")
r_half=$(int 'n / t' -v n="$half_rows" -v t="$t_half")
printf '%-38s %9s %12s\n' method seconds rows/s
printf '%-38s %9.2f %12.0f   peak RSS %s MB\n' "parkwatch ingest, CSV" "$t_csv" "$r_csv" "$(mb "$peak_csv")"
printf '%-38s %9.2f %12.0f   peak RSS %s MB\n' "parkwatch ingest, XLSX" "$t_xlsx" "$r_xlsx" "$(mb "$peak_xlsx")"
printf '%-38s %9.2f %12.0f   peak RSS %s MB\n' "parkwatch ingest, XLSX half size" "$t_half" "$r_half" \
  "$(mb "$peak_half")"

vs_csv=$(calc '100 * x / c' -v x="$r_xlsx" -v c="$r_csv")
row "1b ingest XLSX ${rows} rows (rows/s)" "$r_xlsx" "CSV $r_csv" "${vs_csv}%" ">= 50%" \
  "$(verdict "$(at_least "$vs_csv" 50)")"
flat=$(awk -v a="$peak_xlsx" -v b="$peak_half" 'BEGIN { print (a < 65536 && a <= 1.25 * b) ? 1 : 0 }')
row "1b XLSX peak RSS (full / half sheet)" "$(mb "$peak_xlsx") MB" "half: $(mb "$peak_half") MB" \
  "$(calc 'a / b' -v a="$peak_xlsx" -v b="$peak_half")x" "< 64 MB, flat" "$(verdict "$flat")"
