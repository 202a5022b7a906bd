#!/usr/bin/env python3
"""Signal-quality harness, part 2: runs the default rules over generated parks and scores them.

For each park size: tools/eval/generate.py writes the park; `parkwatch ingest` loads its files in
order and `parkwatch backtest` replays the default rules; the planted events (truth.json) score
the episodes: recall per event class (an expected rule fires on the event's scope between its
first period and its last plus the rule's `for`), precision per rule (episodes that overlap a
planted event on their scope: an enterprise's own events; for an industry or the park, also the
events of their enterprises), and the episodes that start in a Spring Festival week. For parks up
to --daemon-max enterprises the same files go through the real daemon too, moved into its inbox
in a shuffled order (a wrong first version still before its correction), and the daemon's alert
states are compared with the backtest's: every alert the backtest ends firing, the daemon ends
firing since the same period, and no other (missing-report rules are left out: the daemon runs
them on the clock, the backtest at every period).

    tools/eval/run.py --parkwatch build/release/parkwatch --sizes 100x5,1000x5,20000

A size NxK scores K parks of N enterprises (seeds --seed to --seed+K-1) together, so that a
class has enough events for its recall to mean something.
"""
import argparse
import datetime as dt
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import generate  # noqa: E402

WEEKLY_RULES = {"KeyEnterpriseOutputDrop", "KeyEnterpriseElectricityDrop", "WeeklyUnitSlip",
                "WeeklyReportMissing"}
MISSING_RULES = {"WeeklyReportMissing", "MonthlyReportMissing"}
CLASSES = ["weekly_drop", "monthly_drop", "missing_end", "missing_middle", "unit_slip",
           "industry_decline", "park_below", "revision_create", "revision_clear", "anomaly",
           "shrinking"]


def start_of(period):
    """First day of a period: 2024-W05, 2024-03, 2024-01/02."""
    if "-W" in period:
        y, w = period.split("-W")
        return dt.date.fromisocalendar(int(y), int(w), 1)
    y, m = period[:4], period[5:7]
    return dt.date(int(y), int(m), 1)


def end_of(period):
    if "-W" in period:
        return start_of(period) + dt.timedelta(days=6)
    y, m = int(period[:4]), int(period[-2:])
    return (dt.date(y + (m == 12), m % 12 + 1, 1)) - dt.timedelta(days=1)


def slack(period):
    """The rules' `for` plus one period of reporting, in days."""
    return dt.timedelta(days=21 if "-W" in period else 62)


def in_festival(period):
    if "-W" not in period:
        return False
    y, w = (int(x) for x in period.split("-W"))
    return (y, w) in generate.festival_weeks(y)


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)


def backtest(parkwatch, d):
    files = sorted(os.listdir(os.path.join(d, "files")))
    cfg = os.path.join(d, "parkwatch.yml")
    t0 = time.time()
    for i in range(0, len(files), 50):
        run([parkwatch, "ingest", "--config.file=" + cfg] +
            [os.path.join(d, "files", f) for f in files[i:i + 50]])
    t1 = time.time()
    out = run([parkwatch, "backtest", "--config.file=" + cfg, "--from=%d-01" % generate.FIRST,
               "--to=%d-12" % generate.YEARS[-1],
               "--format=json"]).stdout
    t2 = time.time()
    return json.loads(out)["rule_sets"][0]["rules"], t1 - t0, t2 - t1


def episodes_of(rules):
    out = []
    for r in rules:
        for e in r["episodes"]:
            out.append(dict(e, rule=r["rule"]))
    return out


def score(truth, episodes):
    ents = truth["enterprises"]
    events = truth["events"]

    def scope_matches(event, ep):
        labels = ep["labels"]
        scope = labels.get("scope")
        code = event.get("enterprise")
        if scope == "enterprise":
            return code is not None and labels.get("enterprise") == code
        if scope == "industry":
            if event["class"] == "park_below":
                return True
            if event.get("industry"):
                return event["industry"] == labels.get("industry")
            return code is not None and ents[code]["industry"] == labels.get("industry")
        return True  # the park: any event moves it

    def overlaps(ep, frm, to):
        return start_of(ep["from"]) <= to and end_of(ep["to"]) >= frm

    recall = {}
    by_depth = {}  # (class, band) -> (caught, planted) for the drops, whose depth varies
    missed = []
    for c in CLASSES:
        planted = [e for e in events if e["class"] == c]
        hit = 0
        for e in planted:
            before = hit
            frm, to = start_of(e["from"]), end_of(e["to"]) + slack(e["to"])
            found = [ep for ep in episodes if ep["rule"] in e["rules"] and scope_matches(e, ep)
                     and overlaps(ep, frm, to)]
            if c == "revision_clear":
                quiet = not any(ep["rule"] == "KeyEnterpriseOutputDrop" and scope_matches(e, ep)
                                and overlaps(ep, frm, to) for ep in episodes)
                hit += quiet
            else:
                hit += bool(found)
            if hit == before:
                missed.append(e)
            if "depth" in e:  # the drops by depth: 10-12 % is at the rules' -10 % level
                d = e["depth"]
                band = "10–12 %" if d < 0.12 else "12–15 %" if d < 0.15 else \
                    "%d–%d %%" % (int(d * 10) * 10, int(d * 10) * 10 + 10)
                if band == "10–20 %":
                    band = "15–20 %"
                n, ok = by_depth.get((c, band), (0, 0))
                by_depth[(c, band)] = (n + 1, ok + (hit > before))
            if c == "anomaly":
                band = "×0.45–0.60" if e["factor"] < 1 else "×1.6–2.5"
                n, ok = by_depth.get((c, band), (0, 0))
                by_depth[(c, band)] = (n + 1, ok + (hit > before))
        recall[c] = (hit, len(planted))

    def explained(ep):
        for e in events:
            if e["class"] == "revision_clear" or not scope_matches(e, ep):
                continue
            if "explains" in e and ep["rule"] not in e["explains"]:
                continue
            windows = [(start_of(e["from"]), end_of(e["to"]) + slack(e["to"]))]
            if e["class"] in ("unit_slip", "weekly_drop", "monthly_drop", "industry_decline",
                              "park_below", "revision_create"):
                # A year later the event is the base a growth is measured against.
                year = dt.timedelta(days=364)
                windows.append((windows[0][0] + year, windows[0][1] + year))
            if any(overlaps(ep, a, b) for a, b in windows):
                return True
        return False

    precision = {}
    unexplained = {}  # (rule, profile of the enterprise) -> episodes no event explains
    for ep in episodes:
        n, ok = precision.get(ep["rule"], (0, 0))
        why = explained(ep)
        precision[ep["rule"]] = (n + 1, ok + why)
        if not why:
            code = ep["labels"].get("enterprise")
            key = (ep["rule"], ents[code]["profile"] if code in ents else ep["labels"]["scope"])
            unexplained[key] = unexplained.get(key, 0) + 1
    festival = [ep for ep in episodes if ep["rule"] in WEEKLY_RULES - MISSING_RULES
                and in_festival(ep["from"])]
    return recall, precision, festival, by_depth, missed, unexplained


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def through_daemon(parkwatch, d):
    """The files into a running daemon's inbox in a shuffled order; its alerts at the end."""
    dd = os.path.join(d, "daemon")
    shutil.rmtree(dd, ignore_errors=True)
    os.makedirs(os.path.join(dd, "inbox"))
    shutil.copy(os.path.join(d, "parkwatch.yml"), dd)
    files = sorted(os.listdir(os.path.join(d, "files")))
    rng = random.Random(7)
    order = files[:]
    rng.shuffle(order)
    # A correction still comes after the wrong first version it corrects.
    for f in [f for f in order if f.endswith("-revised.csv")]:
        first = f[5:].replace("-revised", "")
        i_first = next(i for i, g in enumerate(order) if g[5:] == first)
        i_fix = order.index(f)
        if i_fix < i_first:
            order[i_fix], order[i_first] = order[i_first], order[i_fix]
    port = free_port()
    log = open(os.path.join(dd, "daemon.log"), "w")
    proc = subprocess.Popen([parkwatch, "serve", "--config.file=" + os.path.join(dd, "parkwatch.yml"),
                             "--web.listen-address=127.0.0.1:%d" % port], stdout=log, stderr=log)
    t0 = time.time()
    try:
        db = os.path.join(dd, "parkwatch.db")
        while not os.path.exists(db):
            time.sleep(0.2)
        time.sleep(1)
        for f in order:
            tmp = os.path.join(dd, "inbox", "." + f)
            shutil.copy(os.path.join(d, "files", f), tmp)
            os.rename(tmp, os.path.join(dd, "inbox", f))
        done = lambda: len(os.listdir(os.path.join(dd, "inbox", "processed"))) + \
            len([x for x in os.listdir(os.path.join(dd, "inbox", "rejected"))
                 if not x.endswith(".errors.txt")])
        while done() < len(order):
            if proc.poll() is not None:
                raise RuntimeError("the daemon exited; see " + log.name)
            time.sleep(0.5)
        while True:
            con = sqlite3.connect(db, timeout=30)
            pending = con.execute("SELECT COUNT(*) FROM batches WHERE evaluated = 0").fetchone()[0]
            con.close()
            if pending == 0:
                break
            time.sleep(0.5)
        seconds = time.time() - t0
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    con = sqlite3.connect(db)
    rows = con.execute("SELECT rule, labels, state, active_since_period FROM alerts").fetchall()
    rejected = len(os.listdir(os.path.join(dd, "inbox", "rejected")))
    return rows, seconds, rejected


def period_key(p):
    """Period::key() of the store (see core/period.h): compares with active_since_period."""
    if "-W" in p:
        y, w = p.split("-W")
        return int(y) * 100 + int(w)
    y, m = int(p[:4]), int(p[5:7])
    return y * 10000 + (102 if "/" in p else m * 101)


def compare(rules, daemon_rows):
    want = {}
    for r in rules:
        if r["rule"] in MISSING_RULES:
            continue
        for e in r["episodes"]:
            if e["ongoing"]:
                want[(r["rule"], json.dumps(e["labels"], sort_keys=True))] = e["from"]
    got = {}
    for rule, labels, state, since in daemon_rows:
        if rule in MISSING_RULES or state != "firing":
            continue
        got[(rule, json.dumps(json.loads(labels), sort_keys=True))] = since
    differences = set(want) ^ set(got)
    return len(want), len(got), sorted(differences)[:5], \
        [k for k in set(want) & set(got) if period_key(want[k]) != got[k]][:5]


def add(total, part):
    """Sums {key: (a, b)} or {key: n} dictionaries over seeds."""
    for k, v in part.items():
        if isinstance(v, tuple):
            a, b = total.get(k, (0, 0))
            total[k] = (a + v[0], b + v[1])
        else:
            total[k] = total.get(k, 0) + v


def pct(ok, n):
    return "%.1f %%" % (100.0 * ok / n) if n else "–"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--parkwatch", default=os.path.join(ROOT, "build/release/parkwatch"))
    ap.add_argument("--sizes", default="100,1000")
    ap.add_argument("--daemon-max", type=int, default=1000)
    ap.add_argument("--dir", default=os.path.join(ROOT, "var/eval"))
    ap.add_argument("--seed", type=int, default=1, help="the first seed of every size")
    ap.add_argument("--markdown", help="write the table here as well")
    a = ap.parse_args()
    rules = os.path.join(ROOT, "deploy/rules/default.yml")
    lines = []
    out = lambda s="": (print(s, flush=True), lines.append(s))
    for size in a.sizes.split(","):
        # "1000x5": five parks of 1 000 (seeds seed..seed+4), scored together: one park of a
        # thousand plants a score of events a class, where one miss is 5 points.
        n, _, k = size.partition("x")
        n, seeds = int(n), list(range(a.seed, a.seed + int(k or 1)))
        recall, precision, by_depth, unexplained = {}, {}, {}, {}
        festival, missed_all = [], []
        out("### %s of %d enterprises (%d years, seed%s %s)" % (
            "Park" if len(seeds) == 1 else "%d parks" % len(seeds), n, len(generate.YEARS),
            "s" if len(seeds) > 1 else "", ", ".join(map(str, seeds))))
        out()
        for seed in seeds:
            d = os.path.join(a.dir, "park-%d-seed%d" % (n, seed))
            shutil.rmtree(d, ignore_errors=True)
            os.makedirs(d)
            park = generate.Park(n, seed)
            park.plant()
            generate.write(park, d)
            generate.write_config(d, rules)
            truth = json.load(open(os.path.join(d, "truth.json"), encoding="utf-8"))
            bt_rules, t_ingest, t_backtest = backtest(a.parkwatch, d)
            r, p, f, dep, missed, unexp = score(truth, episodes_of(bt_rules))
            add(recall, r)
            add(precision, p)
            add(by_depth, dep)
            add(unexplained, unexp)
            festival += f
            for e in missed:
                e = dict(e, seed=seed)
                if "enterprise" in e:
                    e.update(truth["enterprises"][e["enterprise"]])
                missed_all.append(e)
            with open(os.path.join(d, "missed.json"), "w", encoding="utf-8") as fh:
                json.dump(missed, fh, ensure_ascii=False, indent=1)
            line = "seed %d: ingest %.1f s, backtest %.1f s" % (seed, t_ingest, t_backtest)
            if n <= a.daemon_max:
                rows, seconds, rejected = through_daemon(a.parkwatch, d)
                want, got, diff, since = compare(bt_rules, rows)
                same = not diff and not since
                line += "; daemon (%d files shuffled into the inbox, %d rejected, %.0f s): %d " \
                    "alerts firing, backtest %d: %s" % (
                        len(os.listdir(os.path.join(d, "files"))), rejected, seconds, got, want,
                        "identical" if same else "DIFFERENT %s %s" % (diff, since))
            else:
                line += "; daemon: not run at this size (--daemon-max %d)" % a.daemon_max
            out("- " + line)
        out()
        out("| event class | planted | caught | recall |")
        out("|---|---:|---:|---:|")
        for c in CLASSES:
            hit, total = recall[c]
            out("| %s | %d | %d | %s |" % (c, total, hit, pct(hit, total)))
        out()
        out("by depth (drops: below the same period a year before; anomaly: times the usual "
            "level): " + ", ".join("%s %s %d/%d" % (c, band, ok, m)
                                    for (c, band), (m, ok) in sorted(by_depth.items())))
        out()
        out("| rule | episodes | explained | precision |")
        out("|---|---:|---:|---:|")
        all_n = all_ok = 0
        for rule in sorted(precision):
            n_ep, ok = precision[rule]
            all_n, all_ok = all_n + n_ep, all_ok + ok
            out("| %s | %d | %d | %s |" % (rule, n_ep, ok, pct(ok, n_ep)))
        out("| all | %d | %d | %s |" % (all_n, all_ok, pct(all_ok, all_n)))
        out()
        out("unexplained episodes by rule and the enterprise's profile: " + (", ".join(
            "%s %s %d" % (rule, prof, k) for (rule, prof), k in sorted(unexplained.items()))
            or "none"))
        out()
        out("missed: " + ("; ".join(
            "%s seed %d %s %s%s%s" % (
                e["class"], e["seed"], e["from"], e.get("profile", ""),
                " noise %.1f %%" % (100 * e["noise"]) if "noise" in e else "",
                " depth %.0f %%" % (100 * e["depth"]) if "depth" in e else
                " ×%g" % e["factor"] if "factor" in e else "")
            for e in missed_all[:40]) or "none") +
            (" (and %d more)" % (len(missed_all) - 40) if len(missed_all) > 40 else ""))
        out()
        out("episodes starting in a Spring Festival week: %d" % len(festival))
        out()
    if a.markdown:
        with open(a.markdown, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
