#!/usr/bin/env python3
"""The console's tuning preview (POST /api/v1/tuning/preview) timed over HTTP, as the console
sends it: one level of one rule changed, over a range of months. Every threshold rule of the
daemon is previewed in turn (its least severe level moved a fifth of the way away from the more
severe ones: more alerts, never a level out of order) and each rule's median of RUNS calls, after
one warm-up call, is printed, with the daemon's CPU time during the call (--pid; on a shared
machine the wall time also counts other jobs' turns); the last lines are key=value for the shell
(the slowest rule).
Imported by console.py for the demo park; run by preview.sh on the 20 000-enterprise store.

usage: tuning_preview.py --url URL --token ADMIN_TOKEN --from 2023-01 --to 2024-12 [--runs 3]
                         [--pid DAEMON_PID] [--tuning-out FILE]
"""
import argparse
import json
import os
import statistics
import sys
import time
import urllib.error
import urllib.request

LEVELS = ["blue", "yellow", "orange", "red"]


def call(url, token, method="GET", body=None, timeout=600):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"Authorization": "Bearer " + token,
                                          "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def changes(url, token):
    """(rule, body) for every threshold rule: its least severe level made less severe."""
    status, answer = call(url + "/api/v1/tuning", token)
    if status != 200:
        raise RuntimeError(f"GET /api/v1/tuning: {status} {answer}")
    out = []
    for rule in answer["data"]["rules"]:
        th = rule["thresholds"]
        present = [l for l in LEVELS if l in th["levels"]]
        if not present:
            continue
        level, value = present[0], th["levels"][present[0]]
        step = abs(value) * 0.2 if value else 0.05
        moved = value + step if th["direction"] == "below" else value - step
        out.append((rule["name"], {"rule": rule["name"], "levels": {level: round(moved, 6)}}))
    return out


def cpu_seconds(pid):
    """User + system CPU time of a process so far (0 without a pid)."""
    if not pid:
        return 0.0
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def time_rule(url, token, body, runs, pid=None):
    """Medians of RUNS previews after one warm-up: wall time over HTTP, the daemon's CPU time;
    and the last answer (added, removed, changed)."""
    walls, cpus, answer = [], [], None
    for i in range(runs + 1):
        cpu = cpu_seconds(pid)
        started = time.perf_counter()
        status, answer = call(url + "/api/v1/tuning/preview", token, "POST", body)
        wall = time.perf_counter() - started
        cpu = cpu_seconds(pid) - cpu
        if status != 200:
            return None, None, answer
        if i:
            walls.append(wall)
            cpus.append(cpu)
    return statistics.median(walls), statistics.median(cpus), answer["data"]


def run(url, token, since, until, runs, pid=None, out=sys.stdout):
    """Previews every rule; returns (slowest rule, its median seconds, {rule: median}, {rule:
    the change sent}, {rule: median CPU seconds})."""
    print(f"{'rule':34} {'median s':>9} {'CPU s':>9} {'before':>7} {'after':>7} "
          f"{'added':>6} {'removed':>7} {'changed':>7}", file=out)
    medians, sent, cpus = {}, {}, {}
    for name, body in changes(url, token):
        sent[name] = body
        body = dict(body, **{"from": since, "to": until})
        wall, cpu, d = time_rule(url, token, body, runs, pid)
        if wall is None:
            print(f"{name:34} refused: {d.get('error', d)}", file=out)
            continue
        medians[name] = wall
        cpus[name] = cpu
        print(f"{name:34} {wall:9.3f} {cpu:9.2f} {d['alerts_before']:7d} {d['alerts_after']:7d} "
              f"{d['added']:6d} {d['removed']:7d} {d['changed']:7d}", file=out)
    if not medians:
        raise RuntimeError("no rule could be previewed")
    slowest = max(medians, key=medians.get)
    return slowest, medians[slowest], medians, sent, cpus


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--url", required=True)
    p.add_argument("--token", required=True)
    p.add_argument("--from", dest="since", required=True)
    p.add_argument("--to", dest="until", required=True)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--pid", type=int, help="the daemon's process id: its CPU time is shown")
    p.add_argument("--tuning-out", help="writes the slowest rule's change as a tuning file")
    a = p.parse_args()
    slowest, seconds, medians, sent, cpus = run(a.url, a.token, a.since, a.until, a.runs, a.pid)
    if a.tuning_out:
        with open(a.tuning_out, "w") as f:
            f.write(f"tuning:\n  - {{rule: {slowest}, levels: {json.dumps(sent[slowest]['levels'])}}}\n")
    print(f"slowest_rule={slowest}")
    print(f"slowest_s={seconds:.4f}")
    print(f"slowest_cpu_s={cpus[slowest]:.2f}")
    print(f"max_cpu_s={max(cpus.values()):.2f}")
    print(f"rules={len(medians)}")


if __name__ == "__main__":
    main()
