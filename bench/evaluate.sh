#!/usr/bin/env bash
# Figure 3, rule evaluation on a store of ENTERPRISES enterprises and five years (bench_store
# writes it; bench/bench_park.h describes it). evaluator_bench loads the store as the daemon does
# (RuleData::Load) and times a full pass of the default rules, the incremental pass after one
# enterprise's new week, and every rule alone. The baseline is the sqlite3 shell computing the
# same outcomes of every default rule from the store (bench/evaluate.sql), checked to agree.
# Usage: bench/evaluate.sh BUILD_DIR STORE ENTERPRISES   (rows go to $BENCH_ROWS)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
build=$1 store=$2 enterprises=$3
min_time=${BENCH_MIN_TIME:-0.5}

echo "## rule evaluation: $enterprises enterprises, 2020-2024, store $(du -m "$store" | cut -f1) MB"
json=$(mktemp)
trap 'rm -f "$json" "$json.sql" "$json.sql.times"' EXIT
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

# The SQL baseline: bench/evaluate.sql, what the full pass computes for every default rule,
# run by the sqlite3 shell on the store opened read-only, REPEAT times after one run that warms
# the page cache; wall and CPU time (the shell's user + system) per run, less a shell that only
# opens the store. Its outcomes are then counted per rule and level beside parkwatch's: a
# difference is a bug in one of them, and the benchmark fails.
/usr/bin/python3 - "$json" "$store" "$here/evaluate.sql" "${BENCH_SQL_REPEAT:-3}" "$json.sql" <<'PY'
import collections, json, os, resource, subprocess, sys, time
bench, store, sql_file, repeat, out = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
sql = open(sql_file, encoding="utf-8").read()

def run(text, keep=None):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    r = subprocess.run(["sqlite3", "-readonly", store], input=text.encode(), check=True,
                       stdout=subprocess.PIPE)
    wall = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    if keep:
        open(keep, "wb").write(r.stdout)
    return wall * 1000, cpu * 1000

run(sql, out)  # warm, and the outcomes compared below
empty = min(run("") for _ in range(3))
runs = sorted(run(sql) for _ in range(repeat))
wall, cpu = runs[len(runs) // 2]
sql_wall, sql_cpu = wall - empty[0], max(cpu - empty[1], 0)

levels = ["blue", "yellow", "orange", "red"]
ours, sums = collections.OrderedDict(), {}
full_wall = full_cpu = 0
for x in json.load(open(bench))["benchmarks"]:
    unit = {"ms": 1, "us": 1e-3, "ns": 1e-6}[x["time_unit"]]
    if x["name"] == "BM_FullEvaluation":
        full_wall, full_cpu = x["real_time"] * unit, x["cpu_time"] * unit
    if x["name"].startswith("BM_Rule/") and x["label"].endswith(" (full)"):
        ours[x["label"][:-7]] = [int(x["valued"])] + [int(x[l]) for l in levels]
        sums[x["label"][:-7]] = x["sum"]
theirs = collections.defaultdict(lambda: [0] * 5)
their_sums = collections.defaultdict(float)
for line in open(out, encoding="utf-8"):
    rule, _, value, level = line.rstrip("\n").split("|")
    theirs[rule][0] += 1
    their_sums[rule] += float(value)
    if level:
        theirs[rule][1 + levels.index(level)] += 1
# Counts must be equal; the sums of the values (added in another order, printed by the shell
# to 15 digits) equal to 1e-9 of their size.
def same(rule):
    a, b = sums.get(rule), their_sums.get(rule)
    return (ours.get(rule) == theirs.get(rule) and a is not None and b is not None
            and abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b)))
print(f"{'with a value / blue yellow orange red, sum':40} {'parkwatch':>38} {'SQL':>38}")
bad = [r for r in set(ours) | set(theirs) if not same(r)]
fmt = lambda c, s: (" ".join(f"{n:>5}" for n in c) + f" {s:13.6g}") if c else "-"
for rule in ours:
    print(f"{rule:40} {fmt(ours[rule], sums[rule]):>38} "
          f"{fmt(theirs.get(rule), their_sums.get(rule, 0)):>38}"
          f"{'  DIFFERENT' if rule in bad else ''}")
for rule in sorted(set(theirs) - set(ours)):
    print(f"{rule:40} {'-':>38} {fmt(theirs[rule], their_sums[rule]):>38}  DIFFERENT")
print(f"sqlite3 shell, every default rule: {sql_wall:.1f} ms (CPU {sql_cpu:.1f} ms), median of "
      f"{repeat}; parkwatch's full pass: {full_wall:.2f} ms (CPU {full_cpu:.2f} ms)")
with open(out + ".times", "w") as f:
    f.write(f"{sql_wall:.4f} {sql_cpu:.4f} {full_cpu:.4f} {len(bad)}\n")
PY
read -r sql_ms sql_cpu full_cpu differ <"$json.sql.times"
[ "$differ" = 0 ] || { echo "evaluate.sh: the SQL and parkwatch disagree on $differ rules" >&2; exit 1; }

ratio_incr=$(calc 'f / i' -v f="$full" -v i="$incr")
ratio_weekly=$(calc 'f / i' -v f="$full" -v i="$weekly")
ratio_sql=$(calc 's / p' -v s="$sql_ms" -v p="$full")
ratio_sql_cpu=$(calc 's / p' -v s="$sql_cpu" -v p="$full_cpu")
rules=$(grep -c -- '- alert:' "$here/../deploy/rules/default.yml")
row "3 full evaluation, $rules default rules" "$(calc 'x' -v x="$full") ms" "-" "-" "-" "($outcomes outcomes)"
# A weekly batch re-evaluates only the weekly group (AlertEngine skips groups of untouched
# cadences), so that is the incremental figure; all groups with `only` is shown for reference.
row "3 incremental, one enterprise's week" "$(calc 'x' -v x="$weekly") ms" \
  "full $(calc 'x' -v x="$full") ms" "${ratio_weekly}x cheaper" ">= 100x" \
  "$(verdict "$(at_least "$ratio_weekly" 100)")"
row "3 (every group re-run for that enterprise)" "$(calc 'x' -v x="$incr") ms" \
  "full $(calc 'x' -v x="$full") ms" "${ratio_incr}x cheaper" "-" "(reference)"
row "3 full evaluation vs the same $rules rules in SQL (sqlite3 shell)" \
  "$(calc 'x' -v x="$full") ms (CPU $(calc 'x' -v x="$full_cpu") ms)" \
  "SQL $(int 'x' -v x="$sql_ms") ms (CPU $(int 'x' -v x="$sql_cpu") ms)" \
  "${ratio_sql}x faster (CPU ${ratio_sql_cpu}x)" ">= 5x" "$(verdict "$(at_least "$ratio_sql" 5)")"
