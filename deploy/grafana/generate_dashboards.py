#!/usr/bin/env python3
# Writes deploy/grafana/dashboards/*.json; never edit those by hand. The dashboards are generated
# so that the five share one datasource (a `datasource` variable: provisioned, it takes the
# default Prometheus; imported into an existing Grafana, the reader picks one — no uid is written
# into a panel), one colour scale for growth (the four warning colours of the default rules), one
# way to say which period a figure is of (the join with parkwatch_figures_period_info) and one way
# to give a per-enterprise series its name and industry (the join with parkwatch_enterprise_info).
# Figure series carry no period label, so a live gauge continues its backfilled history as one
# series without any aggregation. Run from anywhere:
#   python3 deploy/grafana/generate_dashboards.py
# tests/deploy_test.cc and tests/prometheus_test.cc check the result.
import json
import os

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "dashboards")
DS = {"type": "prometheus", "uid": "${datasource}"}
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
               "templating": {"list": [{"name": "datasource", "label": "数据源", "type": "datasource", "query": "prometheus",
                                         "regex": "", "current": {}, "hide": 0, "refresh": 1, "options": []}]}, "annotations": {"list": []}, "panels": [], "links": [
                   {"type": "dashboards", "tags": ["parkwatch"], "asDropdown": True, "title": "parkwatch 仪表板", "includeVars": True, "keepTime": True}]}
        s.y = 0; s.x = 0; s.rowh = 0
    def var(s, name, label, query, multi=False, all_=False, hide=0):
        v = {"name": name, "label": label, "type": "query", "datasource": DS,
             "definition": query, "query": {"query": query, "refId": name}, "refresh": 2,
             "sort": 1, "multi": multi, "includeAll": all_, "hide": hide, "current": {}}
        if all_: v["allValue"] = ".*"
        s.d["templating"]["list"].append(v)
    def custom(s, name, label, options):  # options: [(text, value)]
        s.d["templating"]["list"].append({"name": name, "label": label, "type": "custom", "query": ",".join(t + " : " + v for t, v in options),
            "current": {"text": options[0][0], "value": options[0][1]},
            "options": [{"text": t, "value": v, "selected": i == 0} for i, (t, v) in enumerate(options)]})
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
# Value-added growth is exported at two price bases, prices="comparable" (可比价, deflated by the
# industries' price index) and prices="current" (现价). The default rules measure it at comparable
# prices where the index exists and at current prices otherwise (prices: comparable_or_current);
# priced() takes the same choice, so a panel shows the number the alert names, and adds a
# price_basis label (可比价 or 现价) that its legend shows: no growth without its basis.
def priced(family, sel, on):
    both = lambda basis: family + "{" + sel + ',prices="' + basis + '"}'
    expr = "(" + both("comparable") + " or on (" + on + ") " + both("current") + ")"
    return ('label_replace(label_replace(' + expr + ', "price_basis", "可比价", "prices", "comparable"), '
            '"price_basis", "现价", "prices", "current")')
PRICED_DESC = "可比价（按行业价格指数缩减）；无价格指数时为现价。与预警规则取同一口径（可比价优先），图例注明。"

# 1. Park overview
d = D("parkwatch-park", "parkwatch / 园区总览", "园区产值、工业增加值增速与目标、累计增速，以及四大行业（周监测、月分析）。", ["park"])
d.panel("stat", "工业总产值（最新月）", [target(of_period('parkwatch_park_output_value_yuan{cadence="monthly"}'), "{{period}}", instant=True)], w=6, h=5, unit="currencyCNY")
PARK_YTD = priced("parkwatch_park_value_added_ytd_ratio", 'cadence="monthly"', "cadence")
d.panel("stat", "工业增加值累计增速", [target(of_period(PARK_YTD), "{{period}}（{{price_basis}}）", instant=True)], w=6, h=5, fc=growth_fc(), desc=PRICED_DESC)
d.panel("stat", "工业增加值累计增速与目标之差", [target(of_period(PARK_YTD + ' - on () group_left () max(parkwatch_park_growth_target_ratio{target="value_added_growth"})'), "{{period}}（{{price_basis}}）", instant=True)], w=6, h=5, fc=growth_fc(), desc=PRICED_DESC)
d.panel("stat", "工业总产值同比（最新周）", [target(of_period('parkwatch_park_output_value_yoy_ratio{cadence="weekly"}'), "{{period}}", instant=True)], w=6, h=5, fc=growth_fc())
d.panel("timeseries", "工业增加值增速与年度目标", [
    target(priced("parkwatch_park_value_added_yoy_ratio", 'cadence="monthly"', "cadence"), "当月同比（{{price_basis}}）"),
    target(PARK_YTD, "累计同比（{{price_basis}}）"),
    target('max(parkwatch_park_growth_target_ratio{target="value_added_growth"})', "年度目标")], w=12, h=9, unit="percentunit", desc=PRICED_DESC)
d.panel("timeseries", "工业总产值与用电量（月度）", [
    target('parkwatch_park_output_value_yuan{cadence="monthly"}', "工业总产值（元）"),
    target('parkwatch_park_electricity_kwh{cadence="monthly"}', "用电量（千瓦时）")], w=12, h=9,
    fc={"defaults": {"unit": "currencyCNY"}, "overrides": [{"matcher": {"id": "byName", "options": "用电量（千瓦时）"}, "properties": [{"id": "unit", "value": "kwatth"}, {"id": "custom.axisPlacement", "value": "right"}]}]})
INDUSTRY_YTD = priced("parkwatch_industry_value_added_ytd_ratio", 'cadence="monthly"', "industry, cadence")
d.panel("bargauge", "四大行业：工业增加值累计增速", [target(INDUSTRY_YTD, "{{industry}}（{{price_basis}}）", instant=True)], w=8, h=8, fc=growth_fc(), desc=PRICED_DESC, options={"orientation": "horizontal", "displayMode": "basic"})
d.panel("bargauge", "四大行业：累计增速与目标之差", [target(INDUSTRY_YTD + ' - on (industry) group_left () max by (industry) (parkwatch_industry_growth_target_ratio{target="value_added_growth"})', "{{industry}}（{{price_basis}}）", instant=True)], w=8, h=8, fc=growth_fc(), desc=PRICED_DESC, options={"orientation": "horizontal", "displayMode": "basic"})
d.panel("bargauge", "四大行业：对园区产值增长的拉动（周）", [target('parkwatch_industry_output_value_pull_ratio{cadence="weekly"}', "{{industry}}", instant=True)], w=8, h=8, fc=growth_fc(), options={"orientation": "horizontal", "displayMode": "basic"})
d.panel("timeseries", "周监测：工业总产值与用电量同比", [
    target('parkwatch_park_output_value_yoy_ratio{cadence="weekly"}', "产值同比"),
    target('parkwatch_park_electricity_yoy_ratio{cadence="weekly"}', "用电量同比")], w=24, h=8, unit="percentunit")
d.write(OUT + "/park-overview.json")

CADENCES = [("月度", "monthly"), ("周度", "weekly")]

# 2. Industry drill-down
d = D("parkwatch-industry", "parkwatch / 行业分析", "一个行业的增速、对园区的拉动，以及哪些企业在拉动或拖累它。", ["industry"])
d.var("industry", "行业", "label_values(parkwatch_industry_output_value_yuan, industry)")
d.var("enterprise", "企业（统一社会信用代码）", 'label_values(parkwatch_enterprise_info{industry="$industry"}, enterprise)')
d.custom("cadence", "频度", CADENCES)
d.panel("stat", "$industry 工业总产值同比", [target(of_period('parkwatch_industry_output_value_yoy_ratio{industry="$industry",cadence="$cadence"}'), "{{period}}", instant=True)], w=6, h=5, fc=growth_fc())
SELECTED_YTD = priced("parkwatch_industry_value_added_ytd_ratio", 'industry="$industry",cadence="monthly"', "industry, cadence")
d.panel("stat", "$industry 工业增加值累计增速", [target(of_period(SELECTED_YTD), "{{period}}（{{price_basis}}）", instant=True)], w=6, h=5, fc=growth_fc(), desc=PRICED_DESC)
d.panel("stat", "$industry 对园区产值的拉动", [target(of_period('parkwatch_industry_output_value_pull_ratio{industry="$industry",cadence="$cadence"}'), "{{period}}", instant=True)], w=6, h=5, fc=growth_fc())
d.panel("stat", "未报企业数", [target('count(' + only('parkwatch_enterprise_last_report_period_age{cadence="$cadence"} >= 1', 'industry="$industry"') + ') or vector(0)', "", instant=True)], w=6, h=5,
    fc={"defaults": {"unit": "none", "thresholds": {"mode": "absolute", "steps": [{"color": "green", "value": None}, {"color": "yellow", "value": 1}]}}, "overrides": []})
d.panel("timeseries", "$industry 增速", [
    target('parkwatch_industry_output_value_yoy_ratio{industry="$industry",cadence="$cadence"}', "产值同比"),
    target(SELECTED_YTD, "增加值累计增速（{{price_basis}}）"),
    target('max(parkwatch_industry_growth_target_ratio{industry="$industry",target="value_added_growth"})', "目标")], w=12, h=9, unit="percentunit")
d.panel("bargauge", "拖累 $industry 的企业（对园区产值拉动最低）", [target('bottomk(10, ' + named('parkwatch_enterprise_output_value_pull_ratio{cadence="$cadence"}', 'industry="$industry"') + ')', "{{name}}", instant=True)], w=12, h=9, fc=growth_fc(), options={"orientation": "horizontal", "displayMode": "basic"})
d.panel("bargauge", "带动 $industry 的企业（对园区产值拉动最高）", [target('topk(10, ' + named('parkwatch_enterprise_output_value_pull_ratio{cadence="$cadence"}', 'industry="$industry"') + ')', "{{name}}", instant=True)], w=12, h=9, fc=growth_fc(), options={"orientation": "horizontal", "displayMode": "basic"})
d.panel("timeseries", "所选企业：产值与用电量同比", [
    target(named('parkwatch_enterprise_output_value_yoy_ratio{enterprise="$enterprise",cadence="$cadence"}', 'enterprise="$enterprise"'), "{{name}} 产值同比"),
    target(named('parkwatch_enterprise_electricity_yoy_ratio{enterprise="$enterprise",cadence="$cadence"}', 'enterprise="$enterprise"'), "{{name}} 用电量同比")], w=12, h=9, unit="percentunit")
d.write(OUT + "/industry-drilldown.json")

# 3. Key enterprises
d = D("parkwatch-key-enterprises", "parkwatch / 重点企业", "重点企业：按预警等级着色的增速、对园区的拉动、最近报送。", ["enterprises"])
d.var("industry", "行业", "label_values(parkwatch_industry_output_value_yuan, industry)", multi=True, all_=True)
d.var("enterprise", "企业（统一社会信用代码）", 'label_values(parkwatch_enterprise_info{key="true",industry=~"$industry"}, enterprise)', multi=False, all_=False)
d.custom("cadence", "频度", list(reversed(CADENCES)))
# Every column's query names the key enterprises of the chosen industries the same way, so the
# merge transformation lines their rows up by enterprise, name and industry.
def tbl(metric, name, scale=""):
    return target(of_period(named(metric + '{cadence="$cadence"}' + scale, 'key="true",industry=~"$industry"', "name, industry")), name, instant=True, fmt="table")
p = d.panel("table", "重点企业一览", [
    tbl('parkwatch_enterprise_output_value_yuan', "产值"),
    tbl('parkwatch_enterprise_output_value_yoy_ratio', "产值同比"),
    tbl('parkwatch_enterprise_electricity_yoy_ratio', "用电量同比"),
    tbl('parkwatch_enterprise_output_value_pull_ratio', "拉动"),
    tbl('parkwatch_enterprise_last_report_timestamp_seconds', "最近报送", " * 1000"),
    tbl('parkwatch_enterprise_last_report_period_age', "未报期数")], w=24, h=14,
    transformations=[{"id": "merge", "options": {}},
                     {"id": "organize", "options": {"excludeByName": {"Time": True, "cadence": True, "job": True, "instance": True, "service": True},
                      "renameByName": {"Value #A": "工业总产值", "Value #B": "产值同比", "Value #C": "用电量同比", "Value #D": "对园区拉动（百分点）", "Value #E": "最近报送期末", "Value #F": "未报期数",
                                       "enterprise": "统一社会信用代码", "name": "企业名称", "industry": "行业", "period": "报告期"},
                      "indexByName": {"period": 0, "name": 1}}}],
    fc={"defaults": {"custom": {"align": "auto"}}, "overrides": [
        {"matcher": {"id": "byName", "options": n}, "properties": [{"id": "unit", "value": "percentunit"}, {"id": "decimals", "value": 1}, {"id": "thresholds", "value": GROWTH_THRESHOLDS}, {"id": "custom.displayMode", "value": "color-background"}]}
        for n in ("产值同比", "用电量同比", "对园区拉动（百分点）")] + [
        {"matcher": {"id": "byName", "options": "工业总产值"}, "properties": [{"id": "unit", "value": "currencyCNY"}]},
        {"matcher": {"id": "byName", "options": "最近报送期末"}, "properties": [{"id": "unit", "value": "dateTimeAsIso"}]},
        {"matcher": {"id": "byName", "options": "未报期数"}, "properties": [{"id": "thresholds", "value": {"mode": "absolute", "steps": [{"color": "green", "value": None}, {"color": "yellow", "value": 1}, {"color": "red", "value": 3}]}}, {"id": "custom.displayMode", "value": "color-background"}]}]},
    options={"sortBy": [{"displayName": "产值同比", "desc": False}], "showHeader": True})
d.panel("timeseries", "所选企业：产值与用电量同比", [
    target(named('parkwatch_enterprise_output_value_yoy_ratio{enterprise="$enterprise",cadence="$cadence"}', 'enterprise="$enterprise"'), "{{name}} 产值同比"),
    target(named('parkwatch_enterprise_electricity_yoy_ratio{enterprise="$enterprise",cadence="$cadence"}', 'enterprise="$enterprise"'), "{{name}} 用电量同比")], w=12, h=9, unit="percentunit")
d.panel("timeseries", "所选企业：工业总产值", [target(named('parkwatch_enterprise_output_value_yuan{enterprise="$enterprise",cadence="$cadence"}', 'enterprise="$enterprise"'), "{{name}}")], w=12, h=9, unit="currencyCNY")
d.write(OUT + "/key-enterprises.json")

# 4. Alerts
d = D("parkwatch-alerts", "parkwatch / 预警", "parkwatch 的预警（待定与已触发），按预警颜色；企业预警带企业名称和测得的数值。", ["alerts"])
d.var("industry", "行业", "label_values(parkwatch_industry_output_value_yuan, industry)", multi=True, all_=True)
SEVERITY_ZH = {"red": "红色", "orange": "橙色", "yellow": "黄色", "blue": "蓝色"}
STATE_ZH = {"firing": "已触发", "pending": "待定"}
sev_fc = {"defaults": {"color": {"mode": "fixed", "fixedColor": "text"}, "unit": "none"}, "overrides": [
    {"matcher": {"id": "byName", "options": c}, "properties": [{"id": "color", "value": {"mode": "fixed", "fixedColor": c}}, {"id": "displayName", "value": SEVERITY_ZH[c] + "预警"}]} for c in SEVERITY_ZH]}
d.panel("stat", "已触发，按等级", [target('sum by (severity) (parkwatch_alerts{alertstate="firing"}) or on () vector(0)', "{{severity}}", instant=True)], w=12, h=5, fc=sev_fc)
d.panel("stat", "待定，按等级", [target('sum by (severity) (parkwatch_alerts{alertstate="pending"}) or on () vector(0)', "{{severity}}", instant=True)], w=12, h=5, fc=sev_fc)
# An enterprise's alert gets the enterprise's name from the info series; an industry's or the
# park's has no enterprise, and joins the label-less vector(1) instead, so it stays in the table
# (with an empty name) rather than dropping out of the join.
def alert_named(metric): return metric + '{industry=~"$industry|"} * on (enterprise) group_left (name) (' + info() + ' or on (enterprise) vector(1))'
d.panel("table", "当前预警", [target(alert_named("parkwatch_alerts"), "", instant=True, fmt="table"),
                              target(alert_named("parkwatch_alert_value"), "", instant=True, fmt="table")], w=24, h=10,
    desc="数值为规则测得的值：增速、拉动以小数表示（-0.165 即下降 16.5%），总量以其单位（元、千瓦时）。",
    transformations=[{"id": "merge", "options": {}},
                     {"id": "organize", "options": {"excludeByName": {"Time": True, "Value #A": True, "instance": True, "job": True, "service": True},
                      "renameByName": {"name": "企业名称", "enterprise": "统一社会信用代码", "industry": "行业", "scope": "范围", "alertname": "规则", "alertstate": "状态", "severity": "等级", "Value #B": "数值"},
                      "indexByName": {"severity": 0, "name": 1, "industry": 2, "Value #B": 3, "alertname": 4, "alertstate": 5, "scope": 6, "enterprise": 7}}}],
    fc={"defaults": {"decimals": 3}, "overrides": [
        {"matcher": {"id": "byName", "options": "等级"}, "properties": [{"id": "custom.displayMode", "value": "color-background"}, {"id": "mappings", "value": [{"type": "value", "options": {c: {"color": c, "text": SEVERITY_ZH[c]} for c in SEVERITY_ZH}}]}]},
        {"matcher": {"id": "byName", "options": "状态"}, "properties": [{"id": "mappings", "value": [{"type": "value", "options": {k: {"text": v} for k, v in STATE_ZH.items()}}]}]},
        {"matcher": {"id": "byName", "options": "范围"}, "properties": [{"id": "mappings", "value": [{"type": "value", "options": {"enterprise": {"text": "企业"}, "industry": {"text": "行业"}, "park": {"text": "园区"}}}]}]}]})
d.panel("timeseries", "预警数量变化", [target('sum by (alertstate, severity) (parkwatch_alerts)', "{{severity}} {{alertstate}}")], w=24, h=8, unit="none")
d.write(OUT + "/alerts.json")

# 5. Health
d = D("parkwatch-health", "parkwatch / 运行状态", "parkwatch 是否在线、在接收数据、在应答、重载成功，事件循环是否空闲。", ["health"])
d.panel("stat", "在线", [target('up{job="parkwatch"}', "{{instance}}", instant=True)], w=4, h=5,
    fc={"defaults": {"mappings": [{"type": "value", "options": {"0": {"text": "离线", "color": "red"}, "1": {"text": "在线", "color": "green"}}}]}, "overrides": []})
d.panel("stat", "最近一次重载", [target('parkwatch_config_last_reload_successful', "{{instance}}", instant=True)], w=4, h=5,
    fc={"defaults": {"mappings": [{"type": "value", "options": {"0": {"text": "失败（或尚未重载）", "color": "yellow"}, "1": {"text": "成功", "color": "green"}}}]}, "overrides": []})
d.panel("stat", "已运行", [target('time() - parkwatch_start_time_seconds', "{{instance}}", instant=True)], w=4, h=5, unit="s")
d.panel("stat", "数据库大小", [target('parkwatch_store_size_bytes', "{{instance}}", instant=True)], w=4, h=5, unit="bytes")
d.panel("stat", "距最近一次成功接收", [target('time() - max by (collector) (parkwatch_ingest_last_success_timestamp_seconds)', "{{collector}}", instant=True)], w=8, h=5, unit="s")
d.panel("stat", "数据所属报告期", [target('parkwatch_figures_period_info', "{{cadence}} {{period}}", instant=True)], w=12, h=5,
    options={"textMode": "name", "colorMode": "none", "reduceOptions": {"calcs": ["lastNotNull"]}})
d.panel("stat", "距报告期结束", [target('time() - parkwatch_figures_period_end_timestamp_seconds', "{{cadence}}", instant=True)], w=12, h=5, unit="s",
    desc="最新完整报告期结束至今的时长；周度超过 15 天、月度超过 90 天即报送已停止，Prometheus 规则会发出预警。")
d.panel("timeseries", "接收批次（按状态）", [target('sum by (collector, status) (rate(parkwatch_ingest_batches_total[$__rate_interval]))', "{{collector}} {{status}}")], w=12, h=8, unit="ops")
d.panel("timeseries", "接收行数", [target('sum by (collector, result) (rate(parkwatch_ingest_rows_total[$__rate_interval]))', "{{collector}} {{result}}")], w=12, h=8, unit="rps")
d.panel("timeseries", "HTTP 请求（按接口与状态码）", [target('sum by (handler, code) (rate(parkwatch_http_requests_total[$__rate_interval]))', "{{handler}} {{code}}")], w=12, h=8, unit="reqps")
d.panel("timeseries", "HTTP 延迟（90 分位）", [target('histogram_quantile(0.9, sum by (le, handler) (rate(parkwatch_http_request_duration_seconds_bucket[$__rate_interval])))', "{{handler}}")], w=12, h=8, unit="s")
d.panel("timeseries", "接收耗时（90 分位）", [target('histogram_quantile(0.9, sum by (le, collector) (rate(parkwatch_ingest_duration_seconds_bucket[$__rate_interval])))', "{{collector}}")], w=8, h=8, unit="s")
d.panel("timeseries", "事件循环延迟", [target('parkwatch_event_loop_lag_seconds', "{{instance}}")], w=8, h=8, unit="s")
d.panel("timeseries", "配置重载", [target('parkwatch_config_last_reload_successful', "最近一次重载成功"), target('changes(parkwatch_config_last_reload_success_timestamp_seconds[$__rate_interval])', "成功重载次数")], w=8, h=8)
d.panel("timeseries", "数据库大小变化", [target('parkwatch_store_size_bytes', "{{instance}}")], w=12, h=8, unit="bytes")
d.panel("table", "版本", [target('parkwatch_build_info', "", instant=True, fmt="table")], w=12, h=8,
    transformations=[{"id": "organize", "options": {"excludeByName": {"Time": True, "Value": True, "__name__": True},
                                                    "renameByName": {"version": "版本", "revision": "修订", "instance": "实例", "job": "任务"}}}])
d.write(OUT + "/health.json")
