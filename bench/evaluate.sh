#!/usr/bin/env bash
# Figure 3, rule evaluation on a store of ENTERPRISES enterprises and five years (bench_store
# writes it; bench/bench_park.h describes it). evaluator_bench loads the store as the daemon does
# (RuleData::Load) and times a full pass of the default rules, the incremental pass after one
# enterprise's new week, and every rule alone. The baseline is the sqlite3 shell answering the two
# weekly YoY-threshold rules (KeyEnterpriseOutputDrop, KeyEnterpriseElectricityDrop at 2024-W52)
# from the store's figures table with primary-key lookups.
# Usage: bench/evaluate.sh BUILD_DIR STORE ENTERPRISES   (rows go to $BENCH_ROWS)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
build=$1 store=$2 enterprises=$3
min_time=${BENCH_MIN_TIME:-0.5}

echo "## rule evaluation: $enterprises enterprises, 2020-2024, store $(du -m "$store" | cut -f1) MB"
json=$(mktemp)
trap 'rm -f "$json" "$json.sql"' EXIT
PARKWATCH_BENCH_STORE=$store "$build/bench/evaluator_bench" --benchmark_min_time="$min_time" \
  --benchmark_format=json >"$json" 2>/dev/null
# name -> real time in ms, and the per-rule split.
read -r full incr weekly load outcomes < <(/usr/bin/python3 - "$json" <<'PY'
import json, sys
b = {x["name"]: x for x in json.load(open(sys.argv[1]))["benchmarks"]}
def ms(x): return x["real_time"] * {"ms": 1, "us": 1e-3, "ns": 1e-6}[x["time_unit"]]
f = b["BM_FullEvaluation"]
print(ms(f), ms(b["BM_IncrementalOneEnterprise"]), ms(b["BM_IncrementalWeeklyRules"]),
      f["load_s"], int(f["outcomes"]))
PY
)
/usr/bin/python3 - "$json" <<'PY'
import json, sys
rules = {}
for x in json.load(open(sys.argv[1]))["benchmarks"]:
    if x["name"].startswith("BM_Rule/"):
        name, mode = x["label"].rsplit(" (", 1)
        t = x["real_time"] * {"ms": 1, "us": 1e-3, "ns": 1e-6}[x["time_unit"]]
        rules.setdefault(name, {})[mode.rstrip(")")] = (t, int(x["outcomes"]))
print(f"{'rule':32} {'full ms':>9} {'outcomes':>9} {'only-1 ms':>10} {'outcomes':>9}")
for name, m in rules.items():
    (f, fo), (o, oo) = m["full"], m["only 1"]
    print(f"{name:32} {f:9.3f} {fo:9d} {o:10.3f} {oo:9d}")
PY
printf 'RuleData::Load from the store: %.2f s; full pass %.2f ms (%s outcomes); one enterprise %.3f ms; weekly rules only %.4f ms\n' \
  "$load" "$full" "$outcomes" "$incr" "$weekly"

# The SQL baseline, run by the shell on the store opened read-only: the query REPEAT times minus
# the shell with no query at all, over REPEAT (the shell's .timer rounds to milliseconds).
read -r -d '' query <<'SQL' || true
WITH thresholds(indicator, blue, yellow, orange, red) AS (
  VALUES ('output_value', -0.05, -0.10, -0.20, -0.30), ('electricity', -0.10, -0.15, -0.25, -0.40))
SELECT e.credit_code, e.name, t.indicator, c.value / p.value - 1 AS yoy,
       CASE WHEN c.value / p.value - 1 <= t.red THEN 'red'
            WHEN c.value / p.value - 1 <= t.orange THEN 'orange'
            WHEN c.value / p.value - 1 <= t.yellow THEN 'yellow' ELSE 'blue' END AS level
FROM enterprises e
CROSS JOIN thresholds t
JOIN indicators i ON i.name = t.indicator
JOIN figures c ON c.enterprise_id = e.id AND c.indicator_id = i.id AND c.cadence = 'W'
              AND c.period = 202452
JOIN figures p ON p.enterprise_id = e.id AND p.indicator_id = i.id AND p.cadence = 'W'
              AND p.period = 202352
WHERE e.is_key = 1 AND c.value / p.value - 1 <= t.blue;
SQL
repeat=${BENCH_SQL_REPEAT:-20}
shell_ms() {  # shell_ms N: wall ms of one sqlite3 process running the query N times
  local t0
  t0=$(now)
  for ((i = 0; i < $1; i++)); do echo "$query"; done | sqlite3 -readonly "$store" >/dev/null
  calc '1000 * t' -v t="$(since "$t0")"
}
shell_ms 1 >/dev/null  # warm the page cache
empty=$(shell_ms 0)
sql_ms=$(calc '(a - b) / n' -v a="$(shell_ms "$repeat")" -v b="$empty" -v n="$repeat")
sqlite3 -readonly "$store" "$query" >"$json.sql"
echo "the SQL finds $(wc -l <"$json.sql") breaches; e.g. $(head -1 "$json.sql")"
weekly_full=$(/usr/bin/python3 - "$json" <<'PY'
import json, sys
t = 0
for x in json.load(open(sys.argv[1]))["benchmarks"]:
    if x["name"].startswith("BM_Rule/") and x["label"] in (
            "KeyEnterpriseOutputDrop (full)", "KeyEnterpriseElectricityDrop (full)"):
        t += x["real_time"] * {"ms": 1, "us": 1e-3, "ns": 1e-6}[x["time_unit"]]
print(f"{t:.4f}")
PY
)
echo "sqlite3 shell, the two weekly YoY rules: $sql_ms ms; parkwatch, the same two rules: $weekly_full ms"

ratio_incr=$(calc 'f / i' -v f="$full" -v i="$incr")
ratio_weekly=$(calc 'f / i' -v f="$full" -v i="$weekly")
ratio_sql=$(calc 's / p' -v s="$sql_ms" -v p="$weekly_full")
ratio_full_sql=$(calc 's / p' -v s="$sql_ms" -v p="$full")
rules=$(grep -c -- '- alert:' "$here/../deploy/rules/default.yml")
row "3 full evaluation, $rules default rules" "$(calc 'x' -v x="$full") ms" "-" "-" "-" "($outcomes outcomes)"
# A weekly batch re-evaluates only the weekly group (AlertEngine skips groups of untouched
# cadences), so that is the incremental figure; all groups with `only` is shown for reference.
row "3 incremental, one enterprise's week" "$(calc 'x' -v x="$weekly") ms" \
  "full $(calc 'x' -v x="$full") ms" "${ratio_weekly}x cheaper" ">= 100x" \
  "$(verdict "$(at_least "$ratio_weekly" 100)")"
row "3 (every group re-run for that enterprise)" "$(calc 'x' -v x="$incr") ms" \
  "full $(calc 'x' -v x="$full") ms" "${ratio_incr}x cheaper" "-" "(reference)"
row "3 two weekly YoY rules vs sqlite3 shell" "$(calc 'x' -v x="$weekly_full") ms" "SQL $sql_ms ms" \
  "${ratio_sql}x faster" ">= 5x" "$(verdict "$(at_least "$ratio_sql" 5)")"
row "3 full evaluation vs that SQL" "$(calc 'x' -v x="$full") ms" "SQL $sql_ms ms" \
  "${ratio_full_sql}x faster" ">= 5x" "$(verdict "$(at_least "$ratio_full_sql" 5)")"
