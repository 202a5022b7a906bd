#!/usr/bin/python3
"""Arrival-to-notification latency: parkwatch against Pushgateway -> Prometheus -> Alertmanager.

One breach per event, each at a different enterprise, so every event is an alert of its own:

  parkwatch: a one-row CSV (this ISO week's output, half of the same week last year) is renamed
    into the watched inbox; the rule BenchDrop (yoy(output_value) <= -10%, for: 1) fires. The
    arrival is seen by the loopback sink receiving the webhook when the daemon delivers them (the
    `alerting:` section is accepted by `parkwatch check-config`), the alert then checked to be
    firing; then as many events again by polling GET /api/v1/alerts (every ~2 ms), which is
    only polled in that second half (the polling takes the CPU the daemon needs). Events go one
    after the other.
  baseline: `bench_output_yoy{event=...} -0.5` is PUT to a Pushgateway; Prometheus scrapes it
    every 1 s and evaluates `bench_output_yoy <= -0.10` every 1 s; Alertmanager (group_by all
    labels, group_wait 1 s) posts the webhook to the same sink. Events start 250 ms apart (each is
    its own alert and group, so they do not wait for each other) to keep the run short.

  floor: what no design can beat, measured beside them: the same one-row batch committed to a
    SQLite file (WAL, synchronous=FULL, as the store), then one JSON POST to the same sink over a
    new loopback connection; from before the commit to the sink's arrival. With --side=both one
    floor event runs just before each of parkwatch's webhook events (after the previous one was
    checked firing), so both sides see the same disk and the same load: on a shared machine an
    fsync costs 0.2 ms one minute and 12 ms the next, and a floor measured after parkwatch's
    events gave ratios from 2x to 33x for the same binary. --side=floor runs them in a row.

Prints `key=value` lines (p50, p99 in seconds, mode) for bench/run.sh; details on stderr.
Usage: latency.py --parkwatch=BIN --workdir=DIR [--events=100]
                  [--side=both|parkwatch|baseline|floor]  (both: all three)
"""
import argparse
import datetime
import http.server
import json
import os
import http.client
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values, q):
    v = sorted(values)
    if not v:
        return float("nan")
    k = min(len(v) - 1, max(0, int(round(q * (len(v) - 1)))))
    return v[k]


class Sink:
    """A loopback webhook receiver: records when each event key first arrives in a body."""

    def __init__(self):
        self.arrivals = {}
        self.keys = set()
        self.cond = threading.Condition()
        sink = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                now = time.monotonic()
                text = body.decode("utf-8", "replace")
                if os.environ.get("LATENCY_DEBUG"):
                    log(f"sink {now:.3f} {self.path} {text[:300]}")
                with sink.cond:
                    for key in sink.keys:
                        # Alertmanager's payload carries the key as the label `event`; parkwatch's
                        # (format still open) as the label `enterprise` somewhere in the body.
                        if key not in sink.arrivals and (f'"{key}"' in text):
                            sink.arrivals[key] = now
                    sink.cond.notify_all()
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"{}")
                except OSError:
                    pass  # the sender gave up or is shutting down

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def expect(self, key):
        with self.cond:
            self.keys.add(key)

    def wait(self, key, timeout):
        deadline = time.monotonic() + timeout
        with self.cond:
            while key not in self.arrivals:
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.cond.wait(left)
            return self.arrivals[key]


def get(url, timeout=2):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.status, r.read()


def wait_http(url, timeout, ok=lambda body: True):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            status, body = get(url)
            if status == 200 and ok(body):
                return True
        except Exception:
            pass
        time.sleep(0.05)
    return False


class Children:
    def __init__(self):
        self.procs = []

    def start(self, args, logfile):
        p = subprocess.Popen(args, stdout=logfile, stderr=subprocess.STDOUT)
        self.procs.append(p)
        return p

    def stop(self):
        for p in self.procs:
            if p.poll() is None:
                p.terminate()
        for p in self.procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()


def baseline(args, sink, children):
    d = os.path.join(args.workdir, "baseline")
    os.makedirs(d, exist_ok=True)
    pg, prom, am = free_port(), free_port(), free_port()
    with open(os.path.join(d, "am.yml"), "w") as f:
        f.write(f"""route:
  receiver: sink
  group_by: ['...']
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: sink
    webhook_configs:
      - url: http://127.0.0.1:{sink.port}/alertmanager
        send_resolved: false
""")
    with open(os.path.join(d, "rules.yml"), "w") as f:
        f.write("""groups:
  - name: bench
    interval: 1s
    rules:
      - alert: BenchDrop
        expr: bench_output_yoy <= -0.10
        labels: {severity: red}
""")
    with open(os.path.join(d, "prom.yml"), "w") as f:
        f.write(f"""global: {{scrape_interval: 1s, evaluation_interval: 1s}}
rule_files: [rules.yml]
alerting:
  alertmanagers:
    - static_configs: [{{targets: ['127.0.0.1:{am}']}}]
scrape_configs:
  - job_name: pushgateway
    honor_labels: true
    static_configs: [{{targets: ['127.0.0.1:{pg}']}}]
""")
    logf = open(os.path.join(d, "peers.log"), "w")
    # Debian's pushgateway persists to /var/lib/prometheus by default: keep it in memory.
    children.start(["prometheus-pushgateway", f"--web.listen-address=127.0.0.1:{pg}",
                    "--persistence.file="], logf)
    children.start(["prometheus-alertmanager", f"--config.file={d}/am.yml",
                    f"--storage.path={d}/am", f"--web.listen-address=127.0.0.1:{am}",
                    "--cluster.listen-address="], logf)
    children.start(["prometheus", f"--config.file={d}/prom.yml", f"--storage.tsdb.path={d}/prom",
                    f"--web.listen-address=127.0.0.1:{prom}", "--rules.alert.resend-delay=1s"],
                   logf)
    for url in (f"http://127.0.0.1:{pg}/-/ready", f"http://127.0.0.1:{am}/-/ready",
                f"http://127.0.0.1:{prom}/-/ready"):
        if not wait_http(url, 30):
            raise RuntimeError(f"baseline peer not ready: {url} (see {d}/peers.log)")
    # Prometheus's first scrape comes a few seconds after start: wait for it, never sleep.
    up = f"http://127.0.0.1:{prom}/api/v1/query?query=up%7Bjob%3D%22pushgateway%22%7D%3D%3D1"
    if not wait_http(up, 30, lambda b: json.loads(b)["data"]["result"]):
        raise RuntimeError("Prometheus never scraped the Pushgateway")

    def push(key, value):
        req = urllib.request.Request(f"http://127.0.0.1:{pg}/metrics/job/bench/event/{key}",
                                     data=f"bench_output_yoy {value}\n".encode(), method="PUT")
        urllib.request.urlopen(req, timeout=5).read()

    # A warm-up event through the whole chain, not counted.
    warm = f"b{args.nonce}warm"
    sink.expect(warm)
    push(warm, -0.5)
    if sink.wait(warm, 60) is None:
        raise RuntimeError("the baseline chain never delivered the warm-up alert")
    sent = {}
    for i in range(args.events):
        key = f"b{args.nonce}e{i:04d}"
        sink.expect(key)
        sent[key] = time.monotonic()
        push(key, -0.5)
        time.sleep(args.baseline_gap)
    latencies = []
    for key, t0 in sent.items():
        t1 = sink.wait(key, 60)
        if t1 is None:
            log(f"baseline: {key} never arrived")
            continue
        latencies.append(t1 - t0)
    return latencies


def iso_week(day):
    y, w, _ = day.isocalendar()
    return y, w


def parkwatch(args, sink, children, floor_between=None):
    d = os.path.join(args.workdir, "parkwatch")
    os.makedirs(os.path.join(d, "inbox"), exist_ok=True)
    # Warm-up + events measured at the sink, then (when the daemon delivers webhooks) as many
    # measured by polling the alerts API: polling every 2 ms costs the CPU the daemon needs, so
    # the webhook events are measured without it.
    n = 2 * args.events + 2
    codes_csv = os.path.join(d, "codes.csv")
    subprocess.run([args.parkwatch, "bench-data", f"--out={codes_csv}", f"--enterprises={n}",
                    "--months=1"], check=True, stdout=subprocess.DEVNULL)
    with open(codes_csv, encoding="utf-8") as f:
        codes = [line.split(",")[0] for line in f.read().splitlines()[1:]]
    # This ISO week in the park's time zone, and the same week a year before.
    today = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=8)).date()
    year, week = iso_week(today)
    if week == 53:
        year, week = iso_week(today - datetime.timedelta(days=7))
    now_p, last_p = f"{year}-W{week:02d}", f"{year - 1}-W{week:02d}"
    header = "统一社会信用代码,报告期,工业总产值(万元)\n"
    with open(os.path.join(d, "history.csv"), "w", encoding="utf-8") as f:
        f.write(header + "".join(f"{c},{last_p},1000\n" for c in codes))
    with open(os.path.join(d, "rules.yml"), "w") as f:
        f.write("""groups:
  - name: bench
    cadence: weekly
    timezone: Asia/Shanghai
    rules:
      - alert: BenchDrop
        scope: enterprise
        measure: yoy(output_value)
        levels: {red: -0.10}
        for: 1
        annotations:
          summary: "{{ .enterprise }} output {{ .value | pct }} YoY in {{ .period }}"
""")
    port = free_port()
    config = f"""storage: {{path: {d}/pw.db}}
web: {{listen_address: 127.0.0.1:{port}}}
collectors:
  - {{name: office, type: inbox, directory: inbox}}
rule_files: [rules.yml]
"""
    alerting = f"""alerting:
  receivers:
    - {{name: sink, type: webhook, url: 'http://127.0.0.1:{sink.port}/parkwatch'}}
  route: {{receiver: sink, group_by: ['...'], group_wait: 0s, group_interval: 1s, repeat_interval: 1h}}
"""
    cfg = os.path.join(d, "parkwatch.yml")
    webhook = False
    if args.webhook != "off":
        with open(cfg, "w") as f:
            f.write(config + alerting)
        webhook = subprocess.run([args.parkwatch, "check-config", cfg], stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL).returncode == 0
        if args.webhook == "on" and not webhook:
            raise RuntimeError("--webhook=on but this parkwatch does not accept `alerting:`")
    if not webhook:
        with open(cfg, "w") as f:
            f.write(config)
    subprocess.run([args.parkwatch, "ingest", f"--config.file={cfg}",
                    os.path.join(d, "history.csv")], check=True, stdout=subprocess.DEVNULL)
    logf = open(os.path.join(d, "serve.log"), "w")
    children.start([args.parkwatch, "serve", f"--config.file={cfg}"], logf)
    base = f"http://127.0.0.1:{port}"
    if not wait_http(base + "/-/ready", 60):
        raise RuntimeError(f"parkwatch not ready (see {d}/serve.log)")

    def firing(code):
        try:
            _, body = get(base + "/api/v1/alerts?rule=BenchDrop&state=firing")
        except Exception:
            return False
        return any(a["labels"].get("enterprise") == code for a in json.loads(body)["data"])

    store = None

    def settled(n):
        nonlocal store
        if store is None:
            store = sqlite3.connect(f"file:{d}/pw.db?mode=ro", uri=True, isolation_level=None)
        deadline = time.monotonic() + 30
        while store.execute("SELECT COUNT(*) FROM deliveries WHERE seq = 0 AND "
                            "state = 'delivered'").fetchone()[0] < n:
            if time.monotonic() > deadline:
                raise RuntimeError(f"parkwatch never recorded delivery {n} (see {d}/serve.log)")
            time.sleep(0.001)

    latencies, alert_latencies = [], []
    half = args.events + 1
    for i, code in enumerate(codes if webhook else codes[:half]):
        key = code
        sink.expect(key)
        tmp = os.path.join(d, "inbox", f".ev{i}.tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(header + f"{code},{now_p},500\n")
        polled = not webhook or i >= half
        if floor_between and not polled:
            # Once the daemon has recorded the previous delivery (its commit would otherwise
            # share the disk with the floor's), the floor's event, then this one: both on an
            # idle daemon, the same disk and the same load.
            settled(i)
            floor_between.event()
        t0 = time.monotonic()
        os.rename(tmp, os.path.join(d, "inbox", f"ev{i}.csv"))
        if polled:
            deadline = t0 + 30
            while not firing(code):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"parkwatch never fired for event {i} (see {d}/serve.log)")
                time.sleep(0.002)
            if i % half:  # warm-ups (0 and half) not counted
                alert_latencies.append(time.monotonic() - t0)
        if webhook:
            t1 = sink.wait(key, 30)
            if t1 is None:
                raise RuntimeError(f"parkwatch webhook for event {i} never reached the sink")
            # The alert was committed before its notification was sent.
            if not polled and not firing(code):
                raise RuntimeError(f"webhook for event {i} arrived before its alert was firing")
            if not polled and i:
                latencies.append(t1 - t0)
    return (latencies if webhook else alert_latencies), webhook, alert_latencies


class Floor:
    """A synchronous SQLite commit of the event's batch plus one loopback POST, per event."""

    def __init__(self, args, sink):
        d = os.path.join(args.workdir, "floor")
        os.makedirs(d, exist_ok=True)
        self.args, self.sink, self.count = args, sink, 0
        self.latencies = []
        self.db = sqlite3.connect(os.path.join(d, "floor.db"), isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute("CREATE TABLE IF NOT EXISTS figures (enterprise TEXT, indicator TEXT, "
                        "period TEXT, value REAL, PRIMARY KEY (enterprise, indicator, period)) "
                        "WITHOUT ROWID")

    def event(self):
        i = self.count
        self.count += 1
        key = f"floor-{self.args.nonce}-{i}"
        self.sink.expect(key)
        t0 = time.monotonic()
        self.db.execute("BEGIN IMMEDIATE")
        self.db.execute("INSERT OR REPLACE INTO figures VALUES (?, 'output_value', '2025-W01', "
                        "5e6)", (key,))
        self.db.execute("COMMIT")
        conn = http.client.HTTPConnection("127.0.0.1", self.sink.port, timeout=10)
        conn.request("POST", "/floor", body=json.dumps({"labels": {"enterprise": key}}),
                     headers={"Content-Type": "application/json"})
        conn.getresponse().read()
        conn.close()
        t1 = self.sink.wait(key, 10)
        if t1 is None:
            raise RuntimeError(f"floor POST {i} never reached the sink")
        if i:  # the first is a warm-up, as on the other sides
            self.latencies.append(t1 - t0)


def floor(args, sink):
    f = Floor(args, sink)
    for _ in range(args.events + 1):
        f.event()
    f.db.close()
    return f.latencies


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--parkwatch", required=True)
    p.add_argument("--workdir", required=True)
    p.add_argument("--events", type=int, default=100)
    p.add_argument("--side", default="both", choices=["both", "parkwatch", "baseline", "floor"])
    p.add_argument("--webhook", default="auto", choices=["auto", "on", "off"])
    p.add_argument("--baseline-gap", type=float, default=0.25)
    args = p.parse_args()
    args.nonce = f"{os.getpid():x}{int(time.time()) % 100000:x}"
    # Stop the peers on SIGTERM too (timeout, ctest), not only on normal exit.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    sink = Sink()
    children = Children()
    try:
        interleaved = None
        if args.side in ("both", "parkwatch"):
            interleaved = Floor(args, sink) if args.side == "both" else None
            lat, webhook, alert_lat = parkwatch(args, sink, children, interleaved)
            if not webhook:
                interleaved = None
            print(f"parkwatch_mode={'webhook' if webhook else 'alerts_api'}")
            print(f"parkwatch_events={len(lat)}")
            print(f"parkwatch_p50={percentile(lat, 0.5):.6f}")
            print(f"parkwatch_p99={percentile(lat, 0.99):.6f}")
            print(f"parkwatch_alert_p50={percentile(alert_lat, 0.5):.6f}")
        if args.side in ("both", "floor"):
            lat = interleaved.latencies if interleaved else floor(args, sink)
            print(f"floor_p50={percentile(lat, 0.5):.6f}")
            print(f"floor_p99={percentile(lat, 0.99):.6f}")
        if args.side in ("both", "baseline"):
            lat = baseline(args, sink, children)
            print(f"baseline_events={len(lat)}")
            print(f"baseline_p50={percentile(lat, 0.5):.6f}")
            print(f"baseline_p99={percentile(lat, 0.99):.6f}")
    finally:
        children.stop()
        sink.server.shutdown()


if __name__ == "__main__":
    main()
