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
import re
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.error
import urllib.parse
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


def override_stays(browser, park):
    """An industry's override is a decision of its own: a rule-wide change leaves a level the
    override set, even one equal to the rule's old level (it used to move with the rule)."""
    admin = {"Authorization": "Bearer demo-admin-token"}
    tuning = lambda: json.loads(request(park.url + "/api/v1/tuning", headers=admin)[1])["data"]
    before = next(r for r in tuning()["rules"] if r["name"] == RULE)["thresholds"]["levels"]["yellow"]
    for change in ({"rule": RULE, "industry": "医药化工", "levels": {"yellow": before}},
                   {"rule": RULE, "levels": {"yellow": -0.06}}):
        status, body, _ = request(park.url + "/api/v1/tuning/apply", "POST",
                                  dict(change, comment="行业阈值单独决定", hash=tuning()["hash"]), admin)
        assert status == 200, (status, body)
    rule = next(r for r in tuning()["rules"] if r["name"] == RULE)
    assert rule["thresholds"]["levels"]["yellow"] == -0.06, rule
    override = next(o for o in rule["overrides"] if o["industry"] == "医药化工")
    assert override["thresholds"]["levels"]["yellow"] == before, override
    # The rules page says so in words.
    browser.goto(park.url + "/rules")
    # The worker re-evaluates after the two reloads: give the page time on a loaded machine.
    browser.wait(f"document.querySelector('.rule-levels[data-rule=\"{RULE}\"]')", 60)
    row = browser.eval(f"document.querySelector('.rule-levels[data-rule=\"{RULE}\"]').closest('tr').innerText")
    assert "医药化工" in row and "下降≥10.0%" in row and "下降≥6.0%" in row, row


def figure_pages(browser, park, shot):
    """企业 and 行业: find an enterprise by a part of its Chinese name and of its credit code, open
    its page (figures in 万元 with YoY in words, a chart, its alerts), go to its industry's page
    (totals, its enterprises by their pull on the industry, which sum to the industry's growth)."""
    admin = {"Authorization": "Bearer demo-admin-token"}
    alerts = json.loads(request(park.url + "/api/v1/alerts", headers=admin)[1])["data"]
    code = next(a["labels"]["enterprise"] for a in alerts if a["labels"].get("enterprise"))
    e = json.loads(request(park.url + "/api/v1/enterprises/" + code, headers=admin)[1])["data"]
    part = e["name"][2:5]
    # A revised figure: its latest month sent again, one 万元 higher, as an office corrects a return.
    latest = json.loads(request(park.url + f"/api/v1/series?enterprise={code}&indicator=output_value&cadence=monthly",
                                headers=admin)[1])["data"]["points"][-1]
    year, month = latest["period"].split("-")
    csv = ("统一社会信用代码,企业名称,报告期,工业总产值(万元)\n"
           f"{code},{e['name']},{year}年{int(month)}月,{latest['value'] / 1e4 + 1:.2f}\n").encode()
    req = urllib.request.Request(park.url + "/api/v1/ingest?source=correction.csv", data=csv, method="POST",
                                 headers={"Content-Type": "text/csv", "Authorization": "Bearer demo-ingest-token"})
    with urllib.request.urlopen(req, timeout=60) as r:
        assert json.loads(r.read())["data"]["figures_revised"] == 1
    browser.goto(park.url + "/enterprises")
    browser.wait("document.querySelector('#enterprise-q') && document.querySelector('#search-results tbody tr')", 60)
    browser.eval(f"""(() => {{ const q = document.querySelector('#enterprise-q'); q.value = {json.dumps(part)};
        q.dispatchEvent(new Event('input', {{bubbles: true}})); return true; }})()""")
    browser.wait(f"document.querySelector('#search-status').innerText.includes('找到') && "
                 f"[...document.querySelectorAll('#search-results a.enterprise-link')].some(a => a.innerText === {json.dumps(e['name'])})", 60)
    shot(browser, "enterprises-search")
    # A part of the credit code, in lower case.
    browser.eval(f"""(() => {{ const q = document.querySelector('#enterprise-q'); q.value = {json.dumps(code[-7:].lower())};
        q.dispatchEvent(new Event('input', {{bubbles: true}})); return true; }})()""")
    browser.wait(f"[...document.querySelectorAll('#search-results tbody tr')].length === 1 && "
                 f"document.querySelector('#search-results').innerText.includes({json.dumps(code)})", 60)
    started = time.time()
    browser.eval("document.querySelector('#search-results a.enterprise-link').click(), true")
    browser.wait("document.querySelector('#enterprise-facts') && Chart.getChart('enterprise-monthly') && Chart.getChart('enterprise-weekly')", 60)
    print(f"page /enterprises/{{code}}: ready in {(time.time() - started) * 1000:.0f} ms (this build)")
    page = browser.eval("document.querySelector('main').innerText")
    for words in (e["name"], code, e["industry"], "万元", "同比", "月度数据", "周数据", "修订记录", "历史预警"):
        assert words in page, f"the enterprise page lacks {words}: {page[:800]}"
    assert "增长-" not in page and "NaN" not in page and "undefined" not in page, page[:800]
    assert browser.eval("document.querySelectorAll('#enterprise-alerts a.alert-link').length") >= 1
    # The revision, with the value it replaced.
    browser.eval("document.querySelector('#revisions button.show-revisions').click(), true")
    browser.wait("document.querySelector('#revisions .revision-detail div')", 60)
    revisions = browser.eval("document.querySelector('#revisions').innerText")
    assert "修订1次" in revisions and "初报" in revisions and "correction.csv" in revisions, revisions
    assert f"{latest['value'] / 1e4:,.2f}万元" in revisions, revisions
    # The chart's bars are the API's figures in 万元.
    series = json.loads(request(park.url + f"/api/v1/series?enterprise={code}&indicator=output_value&cadence=monthly",
                                headers=admin)[1])["data"]["points"][-25:]
    bars = browser.eval("Chart.getChart('enterprise-monthly').data.datasets[0].data")
    assert bars == [round(p["value"] / 1e4, 2) for p in series], (bars[:3], series[:3])
    shot(browser, "enterprise")
    # Its industry, from the link on the page.
    started = time.time()
    browser.eval("document.querySelector('#enterprise-facts a.industry-link').click(), true")
    browser.wait("document.querySelector('#industry-members tbody tr') && Chart.getChart('industry-monthly')", 60)
    print(f"page /industries/{{name}}: ready in {(time.time() - started) * 1000:.0f} ms (this build)")
    page = browser.eval("document.querySelector('main').innerText")
    for words in (e["industry"], "万元", "同比", "拉动行业", "个百分点", e["name"]):
        assert words in page, f"the industry page lacks {words}: {page[:800]}"
    assert "NaN" not in page and "undefined" not in page, page[:800]
    industry = json.loads(request(park.url + "/api/v1/industries/" + urllib.parse.quote(e["industry"]),
                                  headers=admin)[1])["data"]
    # The pulls of an industry's enterprises add up to its growth (the Measures' property).
    total = sum(m["pull"] for m in industry["members"] if m["pull"] is not None)
    assert abs(total - industry["yoy"]) < 1e-9, (total, industry["yoy"])
    # Sorted by pull: the enterprise dragging the industry down most comes first.
    first = browser.eval("document.querySelector('#industry-members tbody a.enterprise-link').innerText")
    worst = min((m for m in industry["members"] if m["pull"] is not None), key=lambda m: m["pull"])
    assert first == worst["name"], (first, worst)
    shot(browser, "industry")
    browser.goto(park.url + "/industries")
    browser.wait("document.querySelector('a.industry-link')", 60)
    shot(browser, "industries")
    return code, e["industry"]


def manage_users(browser, park, shot):
    """用户: an admin adds an operator in the console, who then signs in; the change is audited
    with who; a viewer may not manage users."""
    browser.eval("document.querySelector('#logout').click(), true")
    browser.wait("location.pathname === '/login' && document.querySelector('#login-form')", 60)
    browser.eval("""(() => { const f = document.querySelector('#login-form');
        f.elements.user.value = 'wang'; f.elements.password.value = 'wang-pass-1';
        f.requestSubmit(); return true; })()""")
    browser.wait("location.pathname === '/' && [...document.querySelectorAll('nav a')].some(a => a.getAttribute('href') === '/users')", 60)
    browser.goto(park.url + "/users")
    browser.wait("document.querySelector('#add-user')", 60)
    browser.eval("""(() => { const f = document.querySelector('#add-user');
        f.elements.user.value = '赵敏'; f.elements.role.value = 'operator'; f.elements.password.value = 'zhao-pass-1';
        f.requestSubmit(); return true; })()""")
    browser.wait("document.querySelector('#users-status .msg.ok') && document.querySelector('[data-user=\"赵敏\"]')", 60)
    shot(browser, "users")
    # The new operator signs in and may acknowledge.
    status, body, headers = request(park.url + "/-/login", "POST", {"user": "赵敏", "password": "zhao-pass-1"})
    assert status == 200 and json.loads(body)["data"]["role"] == "operator", (status, body)
    zhao_cookie = headers["Set-Cookie"].split(";")[0]
    assert request(park.url + "/api/v1/alerts", headers={"Cookie": zhao_cookie})[0] == 200
    # In the file the console manages, hashed; in the audit with who.
    text = open(os.path.join(park.dir, "console-users.yml"), encoding="utf-8").read()
    assert "赵敏" in text and "zhao-pass-1" not in text and "$2" in text, text
    admin = {"Authorization": "Bearer demo-admin-token"}
    audit = wait_for(lambda: [a for a in json.loads(request(park.url + "/api/v1/audit", headers=admin)[1])["data"]
                              if "console user 赵敏: added (operator)" in a["changes"]], 30, "the audit entry")
    assert audit[0]["who"] == "user:wang", audit[0]
    # 历史 says it in words.
    browser.goto(park.url + "/history")
    browser.wait("document.querySelector('main').innerText.includes('添加用户 赵敏（操作员）')", 60)
    browser.goto(park.url + "/users")
    browser.wait("document.querySelector('[data-user=\"赵敏\"]')", 60)
    # Reset the password from the page: the old one no longer signs in.
    browser.eval("""(() => { const row = document.querySelector('[data-user="赵敏"]');
        row.querySelector('input[name=password]').value = 'zhao-pass-2'; row.querySelector('button.set-password').click(); return true; })()""")
    browser.wait("document.querySelector('#users-status .msg.ok') && document.querySelector('#users-status').innerText.includes('重置')", 60)
    assert request(park.url + "/-/login", "POST", {"user": "赵敏", "password": "zhao-pass-1"})[0] == 401
    assert request(park.url + "/-/login", "POST", {"user": "赵敏", "password": "zhao-pass-2"})[0] == 200
    # Whoever signed in with the old password is signed out.
    assert request(park.url + "/api/v1/alerts", headers={"Cookie": zhao_cookie})[0] == 401
    # A viewer may not list or add users; an admin may not remove a user of web.yml here.
    cookie, csrf = login_session(park, "li")
    status, body, _ = request(park.url + "/api/v1/users", "POST",
                              {"user": "x", "role": "admin", "password": "12345678", "hash": ""},
                              {"Cookie": cookie, "X-CSRF-Token": csrf})
    assert status == 403, (status, body)
    assert request(park.url + "/api/v1/users", headers={"Cookie": cookie})[0] == 403
    users = json.loads(request(park.url + "/api/v1/users", headers=admin)[1])["data"]
    status, body, _ = request(park.url + f"/api/v1/users/zhang?hash={users['hash']}", "DELETE", None, admin)
    assert status == 409 and "web.yml" in body, (status, body)
    # Removed in the page: the user no longer signs in.
    browser.eval("window.confirm = () => true; document.querySelector('[data-user=\"赵敏\"] button.remove-user').click(), true")
    browser.wait("document.querySelector('#users-status .msg.ok') && !document.querySelector('[data-user=\"赵敏\"]')", 60)
    assert request(park.url + "/-/login", "POST", {"user": "赵敏", "password": "zhao-pass-2"})[0] == 401
    print("users: an admin added, reset and removed an operator in the console; a viewer was refused")


# The refused upload's error as the bureau's staff read it: the file as they named it (who
# uploaded it is the batch list's to say, apart), row, column and field, then what is wrong.
ZH_ERROR = re.compile(r'bad\.csv 第2行第31列 · 工业总产值\(万元\)：不是数字："abc"')


def upload(browser, park, shot):
    """数据: a file uploaded in the page is read as the inbox reads it; a bad one is refused with
    every error naming its line, column and field, in Chinese (English under the switch)."""
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
    assert "bad.csv：已拒收，未存入任何数据（1 条错误）" in text, text
    assert ZH_ERROR.search(text), text
    assert "not a number" not in text and "console upload" not in text, text
    shot(browser, "data")
    # The batch list says the same, in Chinese, and in English under the switch.
    browser.goto(park.url + "/data")
    browser.wait("document.querySelector('tbody tr')")
    rows = browser.eval("[...document.querySelectorAll('main table')].pop().innerText")
    assert ZH_ERROR.search(rows), rows
    assert re.search(r'bad\.csv\s+\S+ 上传', rows) and "console upload" not in rows, rows
    browser.eval("document.querySelector('#lang').click(), true")
    browser.wait("document.querySelector('main').innerText.includes('not a number')")
    rows = browser.eval("[...document.querySelectorAll('main table')].pop().innerText")
    assert re.search(r'bad\.csv:2:31: 工业总产值\(万元\): not a number: "abc"', rows), rows
    browser.eval("document.querySelector('#lang').click(), true")
    browser.wait("document.querySelector('main').innerText.includes('不是数字')")


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
        # Each industry's row counts its enterprises alerting this month, once each.
        active = json.loads(request(park.url + "/api/v1/alerts",
                                    headers={"Authorization": "Bearer demo-admin-token"})[1])["data"]
        rows = browser.eval("""[...document.querySelectorAll('main table')[0].querySelectorAll('tbody tr')]
            .map(r => [r.cells[0].innerText, r.cells[r.cells.length - 1].innerText])""")
        for industry, cell in rows:
            expected = {a["labels"]["enterprise"] for a in active
                        if a["state"] == "firing" and a["labels"].get("enterprise")
                        and a["labels"].get("industry") == industry and "-W" not in a["period"]}
            shown = sum(int(n) for n in re.findall(r"(\d+)家", cell))
            assert shown == len(expected), (industry, cell, len(expected))
        assert any(re.search(r"\d+家", cell) for _, cell in rows), rows
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
        override_stays(browser, park)
        upload(browser, park, shot)
        code, industry = figure_pages(browser, park, shot)
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

        # 规则与阈值's 无数据 opens who had no data and why, in Chinese with periods in words.
        browser.goto(park.url + "/rules")
        browser.wait("document.querySelector('details.no-data')")
        why = browser.eval("""(() => { const d = document.querySelector('details.no-data');
            d.open = true; return d.querySelector('ul').innerText; })()""")
        assert why and "has no" not in why and "figure" not in why, why
        assert "年" in why, why
        # The words the measure chose, as GET /api/v1/rules gives them (reason_zh).
        listed = [m["reason_zh"] for r in json.loads(request(park.url + "/api/v1/rules",
                  headers={"Authorization": "Bearer demo-admin-token"})[1])["data"]
                  if r["last_evaluation"] for m in r["last_evaluation"]["no_data"]]
        assert any(reason in why for reason in listed), (why, listed[:5])
        # The drop rules' levels say what else a breach needs: the enterprise's own swings.
        rules_text = browser.eval("document.querySelector('main').innerText")
        assert "且低于企业自身走势2个常规波动幅度以上" in rules_text, rules_text[:800]
        shot(browser, "rules-no-data")

        # The overview's latest complete week, and names that link across pages.
        browser.goto(park.url + "/")
        browser.wait("document.querySelector('#week-cards') && document.querySelector('#week-industries a.industry-link')", 60)
        week = browser.eval("document.querySelector('#week-cards').innerText")
        assert "周" in week and "万元" in week and "同比" in week, week
        browser.goto(link)
        browser.wait("document.querySelector('#why')")
        assert browser.eval("document.querySelectorAll('#alert-subject a').length") >= 1

        # A rule against a target: the page says the gap with what it is the gap between, the
        # year-to-date span, and names the chart's unit (a tick of -6% would read as growth).
        active = json.loads(request(park.url + "/api/v1/alerts",
                                    headers={"Authorization": "Bearer demo-admin-token"})[1])["data"]
        targeted = [a for a in active if "target" in a.get("annotations", {})]
        assert targeted, "the demo has no alert against a target"
        browser.goto(park.url + "/alerts/" + targeted[0]["fingerprint"])
        browser.wait("document.querySelector('#why') && Chart.getChart('alert-chart')")
        value = browser.eval("document.querySelector('#value').innerText")
        assert "个百分点" in value and "目标" in value, value
        assert "与目标之差" in browser.eval("document.querySelector('#measure').innerText")
        assert "1—" in browser.eval("document.querySelector('#alert-period').innerText")
        figures = browser.eval("document.querySelector('#figures').innerText")
        assert "累计" in figures and "万元" in figures and "上年同期" in figures, figures
        assert browser.eval("Chart.getChart('alert-chart').options.scales.y.title.text") == "个百分点"

        manage_users(browser, park, shot)

        # English, then a phone.
        browser.eval("document.querySelector('#lang').click(), true")
        browser.wait("document.querySelector('nav a.here') && document.querySelector('nav a.here').innerText === 'Users'")
        browser.eval("document.querySelector('#lang').click(), true")
        browser.resize(390, 844, mobile=True)
        browser.goto(link)
        browser.wait("document.querySelector('#why') && Chart.getChart('alert-chart')")
        width = browser.eval("document.documentElement.scrollWidth")
        assert width <= 390, f"the alert page is {width}px wide on a 390px phone"
        shot(browser, "alert-phone")
        for path, name, ready in ((f"/enterprises/{code}", "enterprise-phone", "Chart.getChart('enterprise-monthly')"),
                                  (f"/industries/{urllib.parse.quote(industry)}", "industry-phone", "document.querySelector('#industry-members tbody tr')"),
                                  ("/data", "data-phone", "document.querySelector('tbody tr')"),
                                  ("/", "overview-phone", "document.querySelector('#week-cards')")):
            browser.goto(park.url + path)
            browser.wait(ready, 60)
            width = browser.eval("document.documentElement.scrollWidth")
            assert width <= 390, f"{path} is {width}px wide on a 390px phone"
            shot(browser, name)

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
