#!/usr/bin/env python3
"""The console driven by a real browser (Debian's headless chromium, DevTools protocol) against
a real daemon loaded with the demo park: sign in, the overview, an alert opened from the link of
a real message (a webhook receiver), acknowledge, the other pages; roles, CSRF and same-origin
refusals; no JavaScript errors. Screenshots of every page are kept in --artifacts.

usage: browser_test.py --parkwatch BUILD/parkwatch --artifacts DIR
"""
import argparse
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cdp import Browser, free_port  # noqa: E402

USERS = {"zhang": ("operator", "zhang-pass-1"), "li": ("viewer", "li-pass-1"),
         "wang": ("admin", "wang-pass-1")}


class Sink(http.server.BaseHTTPRequestHandler):
    """The webhook receiver: keeps every message the daemon sends."""
    messages = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        Sink.messages.append(json.loads(body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def request(url, method="GET", body=None, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read().decode(), r.headers
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(), e.headers


def wait_for(check, timeout, what):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("timed out: " + what)


class Park:
    """The demo park served by the real daemon with console users and a webhook receiver."""

    def __init__(self, parkwatch, workdir):
        self.parkwatch = parkwatch
        self.dir = workdir
        subprocess.run([parkwatch, "demo", f"--dir={workdir}"], check=True,
                       stdout=subprocess.DEVNULL)
        self.sink = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Sink)
        threading.Thread(target=self.sink.serve_forever, daemon=True).start()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        users = ""
        for name, (role, password) in USERS.items():
            hashed = subprocess.run([parkwatch, "hash-password"], input=password, text=True,
                                    capture_output=True, check=True).stdout.strip()
            users += f"    {name}: {{role: {role}, password: '{hashed}'}}\n"
        with open(os.path.join(workdir, "web.yml"), "w") as f:
            f.write("console:\n  session_ttl: 1h\n  users:\n" + users)
        with open(os.path.join(workdir, "parkwatch.yml"), "a") as f:
            f.write("\nalerting:\n"
                    f"  external_url: {self.url}\n"
                    "  delivery: {poll_interval: 1s, initial_backoff: 100ms}\n"
                    f"  receivers: [{{name: hook, type: webhook, url: \"http://127.0.0.1:{self.sink.server_port}/hook\"}}]\n"
                    "  route: {receiver: hook, group_wait: 0s, group_by: [alertname]}\n")
        self.log = open(os.path.join(workdir, "daemon.log"), "w")
        env = dict(os.environ, ASAN_OPTIONS="detect_leaks=0")
        self.proc = subprocess.Popen(
            [parkwatch, "serve", f"--config.file={workdir}/parkwatch.yml",
             f"--web.config.file={workdir}/web.yml", f"--web.listen-address=127.0.0.1:{self.port}"],
            stdout=self.log, stderr=subprocess.STDOUT, env=env)
        wait_for(lambda: self.ready(), 240, "the daemon to be ready")

    def ready(self):
        if self.proc.poll() is not None:
            raise AssertionError("the daemon exited: " + open(self.log.name).read()[-3000:])
        try:
            return request(self.url + "/-/ready")[0] == 200
        except OSError:
            return False

    def close(self):
        self.proc.terminate()
        self.proc.wait(30)
        self.sink.shutdown()
        self.log.close()


def login_session(park, user):
    """A session cookie and CSRF token for user, through the login endpoint."""
    status, body, headers = request(park.url + "/-/login", "POST",
                                    {"user": user, "password": USERS[user][1]})
    assert status == 200, body
    cookie = headers["Set-Cookie"].split(";")[0]
    return cookie, json.loads(body)["data"]["csrf"]


def check_admission(park, fingerprint):
    """What the browser cannot show: roles, CSRF and same-origin refusals, through plain HTTP."""
    # Reads need a login (the config has users and no anonymous_read).
    status, body, _ = request(park.url + "/api/v1/alerts")
    assert status == 401, (status, body)
    # A wrong password is refused.
    status, _, _ = request(park.url + "/-/login", "POST", {"user": "zhang", "password": "x"})
    assert status == 401
    # The cookie is HttpOnly, SameSite=Strict and expires.
    _, _, headers = request(park.url + "/-/login", "POST", {"user": "li", "password": USERS["li"][1]})
    set_cookie = headers["Set-Cookie"]
    for part in ("HttpOnly", "SameSite=Strict", "Max-Age=3600", "Path=/"):
        assert part in set_cookie, set_cookie
    ack = park.url + f"/api/v1/alerts/{fingerprint}/acknowledge"
    # A viewer reads but may not acknowledge.
    cookie, csrf = login_session(park, "li")
    status, _, _ = request(park.url + "/api/v1/alerts", headers={"Cookie": cookie})
    assert status == 200
    status, body, _ = request(ack, "POST", {"note": "x"}, {"Cookie": cookie, "X-CSRF-Token": csrf})
    assert status == 403 and "operator" in body, (status, body)
    # An operator's write without the CSRF token, or from another origin, is refused.
    cookie, csrf = login_session(park, "zhang")
    status, body, _ = request(ack, "POST", {"note": "x"}, {"Cookie": cookie})
    assert status == 403 and "CSRF" in body, (status, body)
    status, body, _ = request(ack, "POST", {"note": "x"},
                              {"Cookie": cookie, "X-CSRF-Token": csrf, "Origin": "http://evil.example"})
    assert status == 403 and "cross-origin" in body, (status, body)
    # Signed out, the cookie reads nothing.
    request(park.url + "/-/logout", "POST", None, {"Cookie": cookie, "X-CSRF-Token": csrf})
    status, _, _ = request(park.url + "/api/v1/alerts", headers={"Cookie": cookie})
    assert status == 401
    # The route index moved from / (now the console) to /-/routes.
    status, body, _ = request(park.url + "/-/routes")
    assert status == 200 and "/api/v1/alerts" in body
    # The admin bearer token still acknowledges, naming its author.
    status, body, _ = request(park.url + "/api/v1/alerts/nosuch/acknowledge", "POST",
                              {"author": "script", "note": ""},
                              {"Authorization": "Bearer demo-admin-token"})
    assert status == 404, (status, body)


RULE = "KeyEnterpriseMonthlyOutputDrop"


def preview_numbers(browser):
    browser.wait("document.querySelector('#preview-summary')", timeout=60)
    return browser.eval("""(() => { const p = document.querySelector('#preview-summary');
        return {added: +p.dataset.added, removed: +p.dataset.removed, changed: +p.dataset.changed,
                chart: Chart.getChart('preview-chart').data.datasets.map(d => d.data)}; })()""")


def tune(browser, park, shot):
    """规则与阈值: change a level, see its preview equal `backtest --compare --format=json`,
    refuse a bad level with check-config's words, apply, see the audit and the reloaded rule, and
    revert it from 历史."""
    browser.goto(park.url + "/rules?tune=" + RULE)
    browser.wait("document.querySelector('#tune-form') && document.querySelector('#preview-summary')", 60)
    # Levels out of order: the form says what check-config says.
    browser.eval("""(() => { const f = document.querySelector('#tune-form');
        f.elements.yellow.value = '-40'; f.elements.yellow.dispatchEvent(new Event('input', {bubbles: true}));
        return true; })()""")
    browser.wait("document.querySelector('#preview .msg.error') && document.querySelector('#preview').innerText"
                 ".includes('a more severe level must be lower than the one before')")
    # Yellow from -10 % to -5 %.
    browser.eval("""(() => { const f = document.querySelector('#tune-form');
        f.elements.yellow.value = '-5'; f.elements.yellow.dispatchEvent(new Event('input', {bubbles: true}));
        return true; })()""")
    browser.wait("document.querySelector('#preview-summary') && !document.querySelector('#preview .msg.error')", 60)
    started = time.time()
    numbers = preview_numbers(browser)
    since = browser.eval("document.querySelector('#tune-form').elements.from.value")
    until = browser.eval("document.querySelector('#tune-form').elements.to.value")
    # The same change through the command line.
    tuning = os.path.join(park.dir, "cli-tuning.yml")
    with open(tuning, "w") as f:
        f.write(f"tuning:\n  - {{rule: {RULE}, levels: {{yellow: -0.05}}}}\n")
    out = subprocess.run([park.parkwatch, "backtest", f"--config.file={park.dir}/parkwatch.yml",
                          f"--from={since}", f"--to={until}",
                          f"--compare={park.dir}/rules/default.yml,{tuning}", "--format=json"],
                         capture_output=True, text=True, env=dict(os.environ, ASAN_OPTIONS="detect_leaks=0"))
    assert out.returncode == 0, out.stderr
    diff = next(d for d in json.loads(out.stdout)["diff"] if d["rule"] == RULE)
    assert (numbers["added"], numbers["removed"], numbers["changed"]) == \
        (diff["added"], diff["removed"], diff["changed"]), (numbers, diff)
    assert numbers["chart"] == [diff["firing_before"], diff["firing_after"]], (numbers["chart"], diff)
    assert diff["added"] + diff["changed"] > 0, "the change alters nothing on the demo park"
    shot(browser, "rules-tuning")
    # Apply with a comment: the rule is reloaded with the new level, the audit names the user.
    browser.eval("""(() => { const f = document.querySelector('#tune-form');
        f.elements.comment.value = '上半年订单回落，黄色预警提前'; f.requestSubmit(); return true; })()""")
    browser.wait("document.querySelector('#tune-status .msg.ok')", 60)
    admin = {"Authorization": "Bearer demo-admin-token"}
    rules = json.loads(request(park.url + "/api/v1/tuning", headers=admin)[1])["data"]
    rule = next(r for r in rules["rules"] if r["name"] == RULE)
    assert rule["thresholds"]["levels"]["yellow"] == -0.05, rule
    # The worker records the reload's audit entry once it has installed the rules.
    audit = wait_for(lambda: [a for a in json.loads(request(park.url + "/api/v1/audit", headers=admin)[1])["data"]
                              if "上半年订单回落" in a["source"]], 30, "the audit entry")
    assert audit[0]["who"] == "user:zhang" and "上半年订单回落" in audit[0]["source"], audit[0]
    assert any("yellow" in c and "-0.05" in c for c in audit[0]["changes"]), audit[0]
    # A page that read the file before this change may not apply over it.
    stale = request(park.url + "/api/v1/tuning/apply", "POST",
                    {"rule": RULE, "levels": {"red": -0.35}, "comment": "x", "hash": "stale"}, admin)
    assert stale[0] == 409 and "changed on disk" in stale[1], stale
    # 历史: the change with a one-click revert.
    browser.goto(park.url + "/history")
    browser.wait("document.querySelector('button.revert')")
    shot(browser, "history")
    browser.eval("""(() => { const b = document.querySelector('button.revert');
        b.previousElementSibling.value = '恢复原阈值'; b.click(); return true; })()""")
    browser.wait("document.querySelectorAll('button.revert').length === 2 && "
                 "document.querySelector('main').innerText.includes('恢复原阈值')", 60)
    rules = json.loads(request(park.url + "/api/v1/tuning", headers=admin)[1])["data"]
    rule = next(r for r in rules["rules"] if r["name"] == RULE)
    assert rule["thresholds"]["levels"]["yellow"] == -0.10, rule
    print(f"tuning: preview {numbers['added']} added, {numbers['removed']} removed, "
          f"{numbers['changed']} changed; equal to backtest --compare ({time.time() - started:.1f} s)")


def upload(browser, park, shot):
    """数据: a file uploaded in the page is read as the inbox reads it; a bad one is refused with
    every error naming its line and column."""
    browser.goto(park.url + "/data")
    browser.wait("document.querySelector('#upload-form')")
    # The page's own file input, given a file the way a user's pick gives it (DataTransfer).
    browser.eval("""(() => { const dt = new DataTransfer();
        dt.items.add(new File(['统一社会信用代码,企业名称,报告期,工业总产值(万元)\\n91430700MA4L00001H,甲,2026年10月,abc\\n'],
                              'bad.csv', {type: 'text/csv'}));
        const input = document.querySelector('#upload-form').elements.file; input.files = dt.files;
        document.querySelector('#upload-form').requestSubmit(); return true; })()""")
    browser.wait("document.querySelector('#upload-status .msg.error')", 60)
    text = browser.eval("document.querySelector('#upload-status').innerText")
    assert "bad.csv" in text and ":2:" in text and "not a number" in text, text
    shot(browser, "data")


def quarantine(browser, park, shot):
    """数据: a figure typed in 元 into a 万元 column, uploaded in the page, is held out of the
    totals and listed with name, period, figure, recent level and factor in words; the operator's
    confirm lets it in, audited with the signed-in user."""
    admin = {"Authorization": "Bearer demo-admin-token"}
    enterprise = json.loads(request(park.url + "/api/v1/enterprises", headers=admin)[1])["data"][0]
    series = json.loads(request(park.url + "/api/v1/series?indicator=output_value&cadence=monthly"
                                "&enterprise=" + enterprise["credit_code"], headers=admin)[1])["data"]
    last = series["points"][-1]
    # The month again (a revision, checked again), its yuan typed where 万元 belong: ×10 000.
    csv = ("统一社会信用代码,企业名称,报告期,工业总产值(万元)\\n"
           f"{enterprise['credit_code']},{enterprise['name']},{last['period']},{last['value']:.2f}\\n")
    browser.goto(park.url + "/data")
    browser.wait("document.querySelector('#upload-form') && document.querySelector('#quarantine')")
    browser.eval("""(() => { const dt = new DataTransfer();
        dt.items.add(new File(['%s'], 'slip.csv', {type: 'text/csv'}));
        const input = document.querySelector('#upload-form').elements.file; input.files = dt.files;
        document.querySelector('#upload-form').requestSubmit(); return true; })()""" % csv)
    browser.wait("document.querySelector('#quarantine tbody tr button[data-verb=confirm]')", 60)
    text = browser.eval("document.querySelector('#quarantine').innerText")
    for words in (enterprise["name"], "约为近期水平的 10000 倍", "万元", "待核实", "确认无误"):
        assert words in text, f"the quarantine lacks {words}: {text[:800]}"
    assert enterprise["credit_code"] not in text, "a code where the name belongs"
    shot(browser, "data-quarantine")
    browser.eval("document.querySelector('#quarantine button[data-verb=confirm]').click(), true")
    browser.wait("document.querySelector('#quarantine-status .msg.ok')", 60)
    decided = json.loads(request(park.url + "/api/v1/quarantine?all=true", headers=admin)[1])["data"]
    mine = [f for f in decided if f["credit_code"] == enterprise["credit_code"]]
    assert mine and mine[0]["state"] == "confirmed" and mine[0]["decided_by"] == "user:zhang", mine
    shot(browser, "data-quarantine-confirmed")


def run(args):
    os.makedirs(args.artifacts, exist_ok=True)
    shot = lambda b, name: b.screenshot(os.path.join(args.artifacts, name + ".png"))
    workdir = tempfile.mkdtemp(prefix="pw-console-")
    park = Park(args.parkwatch, workdir)
    browser = None
    try:
        # A real message carries the alert's link.
        wait_for(lambda: Sink.messages, 60, "a webhook message")
        link = Sink.messages[0]["alerts"][0]["generatorURL"]
        fingerprint = Sink.messages[0]["alerts"][0]["fingerprint"]
        assert link == f"{park.url}/alerts/{fingerprint}", link
        check_admission(park, fingerprint)

        browser = Browser(1366, 768)
        # Not signed in: the overview sends to the login, which comes back.
        browser.goto(park.url + "/")
        browser.wait("location.pathname === '/login' && document.querySelector('#login-form')")
        shot(browser, "login")
        browser.eval("""(() => { const f = document.querySelector('#login-form');
            f.elements.user.value = 'zhang'; f.elements.password.value = 'zhang-pass-1';
            f.requestSubmit(); return true; })()""")
        browser.wait("location.pathname === '/' && document.querySelector('#park-cards')")
        browser.wait("document.querySelector('#trend') && Chart.getChart('trend')")
        overview = browser.eval("document.querySelector('main').innerText")
        for words in ("总览", "工业增加值", "万元", "同比", "个百分点", "未报企业", "红色预警"):
            assert words in overview, f"overview lacks {words}: {overview[:800]}"
        assert "增长-" not in overview and "NaN" not in overview and "undefined" not in overview
        shot(browser, "overview")
        started = time.time()
        browser.goto(park.url + "/")
        browser.wait("document.querySelector('#park-cards') && Chart.getChart('trend')")
        print(f"page /: ready in {(time.time() - started) * 1000:.0f} ms (this build)")

        # The message's link, in the browser: the alert's page.
        started = time.time()
        browser.goto(link)
        browser.wait("document.querySelector('#why') && Chart.getChart('alert-chart')")
        print(f"page /alerts/{{fingerprint}}: ready in {(time.time() - started) * 1000:.0f} ms (this build)")
        page = browser.eval("document.querySelector('main').innerText")
        alert = json.loads(request(park.url + "/api/v1/alerts/" + fingerprint,
                                   headers={"Authorization": "Bearer demo-admin-token"})[1])["data"]
        name = alert["labels"].get("enterprise_name") or alert["labels"].get("industry") or "园区"
        assert name in page, f"{name} not on the alert page: {page[:600]}"
        assert alert["rule"] not in browser.eval("document.querySelector('h1').innerText"), "a code in the title"
        lines = browser.eval("Chart.getChart('alert-chart').data.datasets.length")
        assert lines >= 2, "the chart has no threshold lines"
        shot(browser, "alert")

        # Acknowledge from the page: recorded with the signed-in user.
        browser.eval("""(() => { const f = document.querySelector('#ack-form');
            f.elements.note.value = '已电话联系企业核实'; f.requestSubmit(); return true; })()""")
        browser.wait("document.querySelector('main').innerText.includes('已电话联系企业核实')")
        acks = json.loads(request(park.url + "/api/v1/acknowledgements?fingerprint=" + fingerprint,
                                  headers={"Authorization": "Bearer demo-admin-token"})[1])["data"]
        assert acks and acks[0]["author"] == "zhang", acks
        shot(browser, "alert-acknowledged")

        tune(browser, park, shot)
        upload(browser, park, shot)
        quarantine(browser, park, shot)

        # The other pages.
        for path, name, ready in (("/alerts", "alerts", "document.querySelector('a.alert-link')"),
                                  ("/rules", "rules", "document.querySelector('tbody tr')"),
                                  ("/data", "data-batches", "document.querySelector('tbody tr')")):
            started = time.time()
            browser.goto(park.url + path)
            browser.wait(ready)
            print(f"page {path}: ready in {(time.time() - started) * 1000:.0f} ms (this build)")
            text = browser.eval("document.querySelector('main').innerText")
            assert "undefined" not in text and "NaN" not in text, (path, text[:500])
            shot(browser, name)

        # English, then a phone.
        browser.eval("document.querySelector('#lang').click(), true")
        browser.wait("document.querySelector('nav a.here') && document.querySelector('nav a.here').innerText === 'Data'")
        browser.eval("document.querySelector('#lang').click(), true")
        browser.resize(390, 844, mobile=True)
        browser.goto(link)
        browser.wait("document.querySelector('#why') && Chart.getChart('alert-chart')")
        width = browser.eval("document.documentElement.scrollWidth")
        assert width <= 390, f"the alert page is {width}px wide on a 390px phone"
        shot(browser, "alert-phone")

        assert not browser.errors, "JavaScript errors:\n" + "\n".join(browser.errors)
        # The only refused request is the preview of levels out of order, on purpose.
        unexpected = [e for e in browser.network_errors
                      if "422" not in e or ("tuning/preview" not in e and "api/v1/upload" not in e)]
        assert not unexpected, "requests that failed:\n" + "\n".join(unexpected)
        print("console browser test: ok; screenshots in", args.artifacts)
    except Exception:
        if browser:  # what the page showed when it failed
            try:
                shot(browser, "failure")
                print("page at failure:", browser.eval("location.href"),
                      browser.eval("document.querySelector('main').innerText")[:2000])
                print("JavaScript errors:", browser.errors)
            except Exception as e:
                print("no screenshot of the failure:", e)
        raise
    finally:
        if browser:
            browser.close()
        park.close()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--parkwatch", required=True)
    parser.add_argument("--artifacts", required=True)
    try:
        run(parser.parse_args())
    except Exception:
        traceback.print_exc()
        sys.exit(1)
