#!/usr/bin/env python3
# Writes deploy/grafana/dashboards/*.json. The dashboards are generated so that the five share
# one datasource, one colour scale for growth (the four warning colours of the default rules), one
# way to say which period a figure is of (the join with parkwatch_figures_period_info) and one way
# to give a per-enterprise series its name and industry (the join with parkwatch_enterprise_info).
# Figure series carry no period label, so a live gauge continues its backfilled history as one
# series without any aggregation. Run from anywhere:
#   python3 deploy/grafana/generate_dashboards.py
# tests/deploy_test.cc and tests/prometheus_test.cc check the result.
import json
import os

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "dashboards")
DS = {"type": "prometheus", "uid": "prometheus"}
def target(expr, legend="", instant=False, fmt="time_series", ref="A"):
    t = {"datasource": DS, "expr": expr, "refId": ref, "legendFormat": legend}
    if instant: t.update({"instant": True, "range": False})
    if fmt != "time_series": t["format"] = fmt
    return t
class D:
    def __init__(s, uid, title, desc, tags):
        s.d = {"uid": uid, "title": title, "description": desc, "tags": ["parkwatch"] + tags,
               "schemaVersion": 37, "version": 1, "editable": False, "timezone": "Asia/Shanghai",
               "time": {"from": "now-3y", "to": "now"}, "refresh": "1m",
               "templating": {"list": []}, "annotations": {"list": []}, "panels": [], "links": [
                   {"type": "dashboards", "tags": ["parkwatch"], "asDropdown": True, "title": "parkwatch", "includeVars": True, "keepTime": True}]}
        s.y = 0; s.x = 0; s.rowh = 0
    def var(s, name, label, query, multi=False, all_=False, hide=0):
        v = {"name": name, "label": label, "type": "query", "datasource": DS,
             "definition": query, "query": {"query": query, "refId": name}, "refresh": 2,
             "sort": 1, "multi": multi, "includeAll": all_, "hide": hide, "current": {}}
        if all_: v["allValue"] = ".*"
        s.d["templating"]["list"].append(v)
    def custom(s, name, label, options):
        s.d["templating"]["list"].append({"name": name, "label": label, "type": "custom", "query": ",".join(options),
            "current": {"text": options[0], "value": options[0]},
            "options": [{"text": o, "value": o, "selected": i == 0} for i, o in enumerate(options)]})
    def panel(s, ptype, title, targets, w=12, h=8, unit=None, desc="", fc=None, options=None, transformations=None):
        if s.x + w > 24: s.x = 0; s.y += s.rowh; s.rowh = 0
        p = {"id": len(s.d["panels"]) + 1, "type": ptype, "title": title, "description": desc,
             "datasource": DS, "gridPos": {"x": s.x, "y": s.y, "w": w, "h": h},
             "targets": [dict(t, refId=chr(65 + i)) for i, t in enumerate(targets)],
             "fieldConfig": fc or {"defaults": {}, "overrides": []}, "options": options or {}}
        if unit: p["fieldConfig"]["defaults"]["unit"] = unit
        if transformations: p["transformations"] = transformations
        s.d["panels"].append(p); s.x += w; s.rowh = max(s.rowh, h)
        return p
    def write(s, path):
        with open(path, "w") as f: json.dump(s.d, f, ensure_ascii=False, indent=2); f.write("\n")

# Warning colours as the default rules grade drops (growth as ratio).
GROWTH_THRESHOLDS = {"mode": "absolute", "steps": [
    {"color": "red", "value": None}, {"color": "orange", "value": -0.30}, {"color": "yellow", "value": -0.20},
    {"color": "blue", "value": -0.10}, {"color": "text", "value": -0.05}, {"color": "green", "value": 0.10}]}
def growth_fc(): return {"defaults": {"unit": "percentunit", "decimals": 1, "thresholds": GROWTH_THRESHOLDS, "color": {"mode": "thresholds"}}, "overrides": []}
# Figure series carry cadence, not period: which period they are of is one
# parkwatch_figures_period_info{cadence, period} series per cadence. of_period() adds its period
# label, for a panel that shows it (instant queries: the latest complete period).
def of_period(expr): return "(" + expr + ") * on (cadence) group_left (period) parkwatch_figures_period_info"
# Per-enterprise series carry only `enterprise` (the credit code); name, industry and the key flag
# are on one parkwatch_enterprise_info series per enterprise. named() joins them in; only() keeps
# the enterprises an info selector picks (industry, key) without adding labels. topk by
# (enterprise) keeps one info series per enterprise where the live one and the backfilled one (no
# job/instance labels) meet, so the join stays many-to-one.
def info(sel=""): return "topk by (enterprise) (1, parkwatch_enterprise_info" + ("{" + sel + "}" if sel else "") + ")"
def named(expr, sel="", labels="name"): return expr + " * on (enterprise) group_left (" + labels + ") " + info(sel)
def only(expr, sel): return expr + " and on (enterprise) parkwatch_enterprise_info{" + sel + "}"

# 1. Park overview
d = D("parkwatch-park", "parkwatch / Park overview", "The park's output, value-added growth against its target, year-to-date growth and the four leading industries (周监测、月分析).", ["park"])
d.panel("stat", "Output value, latest month", [target(of_period('parkwatch_park_output_value_yuan{cadence="monthly"}'), "{{period}}", instant=True)], w=6, h=5, unit="currencyCNY")
d.panel("stat", "Value added YTD growth (累计同比)", [target(of_period('parkwatch_park_value_added_ytd_ratio{cadence="monthly"}'), "{{period}}", instant=True)], w=6, h=5, fc=growth_fc())
d.panel("stat", "Value added YTD vs target (points)", [target(of_period('parkwatch_park_value_added_ytd_ratio{cadence="monthly"} - on () group_left () max(parkwatch_park_growth_target_ratio{target="value_added_growth"})'), "{{period}}", instant=True)], w=6, h=5, fc=growth_fc())
d.panel("stat", "Output value YoY, latest week", [target(of_period('parkwatch_park_output_value_yoy_ratio{cadence="weekly"}'), "{{period}}", instant=True)], w=6, h=5, fc=growth_fc())
d.panel("timeseries", "Value added growth vs target", [
    target('parkwatch_park_value_added_yoy_ratio{cadence="monthly"}', "month YoY (当月同比)"),
    target('parkwatch_park_value_added_ytd_ratio{cadence="monthly"}', "YTD (累计同比)"),
    target('max(parkwatch_park_growth_target_ratio{target="value_added_growth"})', "annual target")], w=12, h=9, unit="percentunit")
d.panel("timeseries", "Output value and electricity use (monthly)", [
    target('parkwatch_park_output_value_yuan{cadence="monthly"}', "output value (yuan)"),
    target('parkwatch_park_electricity_kwh{cadence="monthly"}', "electricity (kWh)")], w=12, h=9,
    fc={"defaults": {"unit": "currencyCNY"}, "overrides": [{"matcher": {"id": "byName", "options": "electricity (kWh)"}, "properties": [{"id": "unit", "value": "kwatth"}, {"id": "custom.axisPlacement", "value": "right"}]}]})
d.panel("bargauge", "Four industries: value added YTD growth", [target('parkwatch_industry_value_added_ytd_ratio{cadence="monthly"}', "{{industry}}", instant=True)], w=8, h=8, fc=growth_fc(), options={"orientation": "horizontal", "displayMode": "basic"})
d.panel("bargauge", "Four industries: value added YTD vs target", [target('parkwatch_industry_value_added_ytd_ratio{cadence="monthly"} - on (industry) group_left () max by (industry) (parkwatch_industry_growth_target_ratio{target="value_added_growth"})', "{{industry}}", instant=True)], w=8, h=8, fc=growth_fc(), options={"orientation": "horizontal", "displayMode": "basic"})
d.panel("bargauge", "Four industries: pull on park output growth (weekly)", [target('parkwatch_industry_output_value_pull_ratio{cadence="weekly"}', "{{industry}}", instant=True)], w=8, h=8, fc=growth_fc(), options={"orientation": "horizontal", "displayMode": "basic"})
d.panel("timeseries", "Weekly monitoring: output and electricity YoY", [
    target('parkwatch_park_output_value_yoy_ratio{cadence="weekly"}', "output value YoY"),
    target('parkwatch_park_electricity_yoy_ratio{cadence="weekly"}', "electricity YoY")], w=24, h=8, unit="percentunit")
d.write(OUT + "/park-overview.json")

# 2. Industry drill-down
d = D("parkwatch-industry", "parkwatch / Industry drill-down", "One industry: its growth, its pull on the park, and which enterprises drive or drag it.", ["industry"])
d.var("industry", "Industry", "label_values(parkwatch_industry_output_value_yuan, industry)")
d.var("enterprise", "Enterprise", 'label_values(parkwatch_enterprise_info{industry="$industry"}, enterprise)')
d.custom("cadence", "Cadence", ["monthly", "weekly"])
d.panel("stat", "$industry output value YoY", [target(of_period('parkwatch_industry_output_value_yoy_ratio{industry="$industry",cadence="$cadence"}'), "{{period}}", instant=True)], w=6, h=5, fc=growth_fc())
d.panel("stat", "$industry value added YTD", [target(of_period('parkwatch_industry_value_added_ytd_ratio{industry="$industry",cadence="monthly"}'), "{{period}}", instant=True)], w=6, h=5, fc=growth_fc())
d.panel("stat", "$industry pull on park output (points)", [target(of_period('parkwatch_industry_output_value_pull_ratio{industry="$industry",cadence="$cadence"}'), "{{period}}", instant=True)], w=6, h=5, fc=growth_fc())
d.panel("stat", "Enterprises not reported", [target('count(' + only('parkwatch_enterprise_last_report_period_age{cadence="$cadence"} >= 1', 'industry="$industry"') + ') or vector(0)', "", instant=True)], w=6, h=5,
    fc={"defaults": {"thresholds": {"mode": "absolute", "steps": [{"color": "green", "value": None}, {"color": "yellow", "value": 1}]}}, "overrides": []})
d.panel("timeseries", "$industry growth", [
    target('parkwatch_industry_output_value_yoy_ratio{industry="$industry",cadence="$cadence"}', "output YoY"),
    target('parkwatch_industry_value_added_ytd_ratio{industry="$industry",cadence="monthly"}', "value added YTD"),
    target('max(parkwatch_industry_growth_target_ratio{industry="$industry",target="value_added_growth"})', "target")], w=12, h=9, unit="percentunit")
d.panel("bargauge", "Enterprises dragging $industry (lowest pull on park output)", [target('bottomk(10, ' + named('parkwatch_enterprise_output_value_pull_ratio{cadence="$cadence"}', 'industry="$industry"') + ')', "{{name}}", instant=True)], w=12, h=9, fc=growth_fc(), options={"orientation": "horizontal", "displayMode": "basic"})
d.panel("bargauge", "Enterprises driving $industry (highest pull on park output)", [target('topk(10, ' + named('parkwatch_enterprise_output_value_pull_ratio{cadence="$cadence"}', 'industry="$industry"') + ')', "{{name}}", instant=True)], w=12, h=9, fc=growth_fc(), options={"orientation": "horizontal", "displayMode": "basic"})
d.panel("timeseries", "Enterprise $enterprise: output value and electricity YoY", [
    target(named('parkwatch_enterprise_output_value_yoy_ratio{enterprise="$enterprise",cadence="$cadence"}', 'enterprise="$enterprise"'), "{{name}} output YoY"),
    target(named('parkwatch_enterprise_electricity_yoy_ratio{enterprise="$enterprise",cadence="$cadence"}', 'enterprise="$enterprise"'), "{{name}} electricity YoY")], w=12, h=9, unit="percentunit")
d.write(OUT + "/industry-drilldown.json")

# 3. Key enterprises
d = D("parkwatch-key-enterprises", "parkwatch / Key enterprises", "Key enterprises (重点企业): growth coloured by warning level, pull on the park, last report.", ["enterprises"])
d.var("industry", "Industry", "label_values(parkwatch_industry_output_value_yuan, industry)", multi=True, all_=True)
d.var("enterprise", "Enterprise", 'label_values(parkwatch_enterprise_info{key="true",industry=~"$industry"}, enterprise)', multi=False, all_=False)
d.custom("cadence", "Cadence", ["weekly", "monthly"])
# Every column's query names the key enterprises of the chosen industries the same way, so the
# merge transformation lines their rows up by enterprise, name and industry.
def tbl(metric, name, scale=""):
    return target(of_period(named(metric + '{cadence="$cadence"}' + scale, 'key="true",industry=~"$industry"', "name, industry")), name, instant=True, fmt="table")
p = d.panel("table", "Key enterprises ($cadence)", [
    tbl('parkwatch_enterprise_output_value_yuan', "output"),
    tbl('parkwatch_enterprise_output_value_yoy_ratio', "output YoY"),
    tbl('parkwatch_enterprise_electricity_yoy_ratio', "electricity YoY"),
    tbl('parkwatch_enterprise_output_value_pull_ratio', "pull"),
    tbl('parkwatch_enterprise_last_report_timestamp_seconds', "last report", " * 1000"),
    tbl('parkwatch_enterprise_last_report_period_age', "periods behind")], w=24, h=14,
    transformations=[{"id": "merge", "options": {}},
                     {"id": "organize", "options": {"excludeByName": {"Time": True, "cadence": True, "job": True, "instance": True, "service": True},
                      "renameByName": {"Value #A": "output value", "Value #B": "output YoY", "Value #C": "electricity YoY", "Value #D": "pull on park (points)", "Value #E": "last report period end", "Value #F": "periods behind", "enterprise": "credit code"},
                      "indexByName": {"period": 0}}}],
    fc={"defaults": {"custom": {"align": "auto"}}, "overrides": [
        {"matcher": {"id": "byName", "options": n}, "properties": [{"id": "unit", "value": "percentunit"}, {"id": "decimals", "value": 1}, {"id": "thresholds", "value": GROWTH_THRESHOLDS}, {"id": "custom.displayMode", "value": "color-background"}]}
        for n in ("output YoY", "electricity YoY", "pull on park (points)")] + [
        {"matcher": {"id": "byName", "options": "output value"}, "properties": [{"id": "unit", "value": "currencyCNY"}]},
        {"matcher": {"id": "byName", "options": "last report period end"}, "properties": [{"id": "unit", "value": "dateTimeAsIso"}]},
        {"matcher": {"id": "byName", "options": "periods behind"}, "properties": [{"id": "thresholds", "value": {"mode": "absolute", "steps": [{"color": "green", "value": None}, {"color": "yellow", "value": 1}, {"color": "red", "value": 3}]}}, {"id": "custom.displayMode", "value": "color-background"}]}]},
    options={"sortBy": [{"displayName": "output YoY", "desc": False}], "showHeader": True})
d.panel("timeseries", "$enterprise: output and electricity YoY", [
    target(named('parkwatch_enterprise_output_value_yoy_ratio{enterprise="$enterprise",cadence="$cadence"}', 'enterprise="$enterprise"'), "{{name}} output YoY"),
    target(named('parkwatch_enterprise_electricity_yoy_ratio{enterprise="$enterprise",cadence="$cadence"}', 'enterprise="$enterprise"'), "{{name}} electricity YoY")], w=12, h=9, unit="percentunit")
d.panel("timeseries", "$enterprise: output value", [target(named('parkwatch_enterprise_output_value_yuan{enterprise="$enterprise",cadence="$cadence"}', 'enterprise="$enterprise"'), "{{name}}")], w=12, h=9, unit="currencyCNY")
d.write(OUT + "/key-enterprises.json")

# 4. Alerts
d = D("parkwatch-alerts", "parkwatch / Alerts", "parkwatch's early warnings, pending and firing, by warning colour.", ["alerts"])
d.var("industry", "Industry", "label_values(parkwatch_industry_output_value_yuan, industry)", multi=True, all_=True)
sev_fc = {"defaults": {"color": {"mode": "fixed", "fixedColor": "text"}}, "overrides": [
    {"matcher": {"id": "byName", "options": c}, "properties": [{"id": "color", "value": {"mode": "fixed", "fixedColor": c}}]} for c in ("blue", "yellow", "orange", "red")]}
d.panel("stat", "Firing, by severity", [target('sum by (severity) (parkwatch_alerts{alertstate="firing"}) or on () vector(0)', "{{severity}}", instant=True)], w=12, h=5, fc=sev_fc)
d.panel("stat", "Pending, by severity", [target('sum by (severity) (parkwatch_alerts{alertstate="pending"}) or on () vector(0)', "{{severity}}", instant=True)], w=12, h=5, fc=sev_fc)
d.panel("table", "Active alerts", [target('parkwatch_alerts{industry=~"$industry|"}', "", instant=True, fmt="table")], w=24, h=10,
    transformations=[{"id": "organize", "options": {"excludeByName": {"Time": True, "Value": True, "__name__": True, "instance": True, "job": True, "service": True}}}],
    fc={"defaults": {}, "overrides": [{"matcher": {"id": "byName", "options": "severity"}, "properties": [{"id": "custom.displayMode", "value": "color-background"}, {"id": "mappings", "value": [{"type": "value", "options": {c: {"color": c, "text": c} for c in ("blue", "yellow", "orange", "red")}}]}]}]})
d.panel("timeseries", "Active alerts over time", [target('sum by (alertstate, severity) (parkwatch_alerts)', "{{alertstate}} {{severity}}")], w=24, h=8)
d.write(OUT + "/alerts.json")

# 5. Health
d = D("parkwatch-health", "parkwatch / Health", "Is parkwatch up, ingesting, answering, reloading, and is its event loop free?", ["health"])
d.panel("stat", "Up", [target('up{job="parkwatch"}', "{{instance}}", instant=True)], w=4, h=5,
    fc={"defaults": {"mappings": [{"type": "value", "options": {"0": {"text": "DOWN", "color": "red"}, "1": {"text": "UP", "color": "green"}}}]}, "overrides": []})
d.panel("stat", "Last reload successful", [target('parkwatch_config_last_reload_successful', "{{instance}}", instant=True)], w=4, h=5,
    fc={"defaults": {"mappings": [{"type": "value", "options": {"0": {"text": "FAILED (or none yet)", "color": "yellow"}, "1": {"text": "OK", "color": "green"}}}]}, "overrides": []})
d.panel("stat", "Uptime", [target('time() - parkwatch_start_time_seconds', "{{instance}}", instant=True)], w=4, h=5, unit="s")
d.panel("stat", "Store size", [target('parkwatch_store_size_bytes', "{{instance}}", instant=True)], w=4, h=5, unit="bytes")
d.panel("stat", "Since last ingest", [target('time() - max by (collector) (parkwatch_ingest_last_success_timestamp_seconds)', "{{collector}}", instant=True)], w=8, h=5, unit="s")
d.panel("stat", "Figures are of", [target('parkwatch_figures_period_info', "{{cadence}} {{period}}", instant=True)], w=12, h=5,
    options={"textMode": "name", "colorMode": "none", "reduceOptions": {"calcs": ["lastNotNull"]}})
d.panel("stat", "Since the figures' period ended", [target('time() - parkwatch_figures_period_end_timestamp_seconds', "{{cadence}}", instant=True)], w=12, h=5, unit="s",
    desc="The weekly figures are of a week that ended this long ago; ParkwatchFiguresStale fires when reports stop arriving.")
d.panel("timeseries", "Ingest batches by status", [target('sum by (collector, status) (rate(parkwatch_ingest_batches_total[$__rate_interval]))', "{{collector}} {{status}}")], w=12, h=8, unit="ops")
d.panel("timeseries", "Ingested rows", [target('sum by (collector, result) (rate(parkwatch_ingest_rows_total[$__rate_interval]))', "{{collector}} {{result}}")], w=12, h=8, unit="rps")
d.panel("timeseries", "HTTP requests by handler and code", [target('sum by (handler, code) (rate(parkwatch_http_requests_total[$__rate_interval]))', "{{handler}} {{code}}")], w=12, h=8, unit="reqps")
d.panel("timeseries", "HTTP latency p90", [target('histogram_quantile(0.9, sum by (le, handler) (rate(parkwatch_http_request_duration_seconds_bucket[$__rate_interval])))', "{{handler}}")], w=12, h=8, unit="s")
d.panel("timeseries", "Ingest duration p90", [target('histogram_quantile(0.9, sum by (le, collector) (rate(parkwatch_ingest_duration_seconds_bucket[$__rate_interval])))', "{{collector}}")], w=8, h=8, unit="s")
d.panel("timeseries", "Event loop lag", [target('parkwatch_event_loop_lag_seconds', "{{instance}}")], w=8, h=8, unit="s")
d.panel("timeseries", "Config reloads", [target('parkwatch_config_last_reload_successful', "last reload ok"), target('changes(parkwatch_config_last_reload_success_timestamp_seconds[$__rate_interval])', "successful reloads")], w=8, h=8)
d.panel("timeseries", "Store size", [target('parkwatch_store_size_bytes', "{{instance}}")], w=12, h=8, unit="bytes")
d.panel("table", "Build", [target('parkwatch_build_info', "", instant=True, fmt="table")], w=12, h=8,
    transformations=[{"id": "organize", "options": {"excludeByName": {"Time": True, "Value": True, "__name__": True}}}])
d.write(OUT + "/health.json")
