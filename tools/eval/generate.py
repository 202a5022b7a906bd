#!/usr/bin/env python3
"""Signal-quality harness, part 1: a park with planted events (not the demo's generator).

Writes into OUT:
  parkwatch.yml          a config with an inbox collector and the default rules
  files/NNNN-*.csv       the reports in the order a statistics office sends them: weekly files
                         (output, electricity), monthly files (output, value added), the price
                         indices; a wrong first version of a figure always before its correction
  truth.json             the planted events, each with its class, scope, periods and the rules
                         that should catch it

Five years (2021-2025) of weekly and monthly figures: the first is every year-on-year rule's
base, and OutputAnomaly's seasonal baseline (the same month in three earlier years) starts in
2024. Enterprises are a realistic mix, not a park where everyone grows: per enterprise a profile
- steady   (40 %) its industry's course: the growth the industry needs to end 3 points above its
                  target, found per industry after the others are drawn
- flat     (15 %) -1 to +1 % a year
- shrinking(10 %) -3 to -8 % a year, every year
- fast     (10 %) +20 to +35 % a year
- seasonal (15 %) the industry's course with a season of ±15-30 % over the year
- noisy    (10 %) the industry's course, 4.5-5 % noise
and noise of 1-5 % per figure (every figure, weekly or monthly, its own draw). Weekly output
falls to 40-60 % in the Spring Festival weeks on their moving dates, and Jan-Feb by the weeks
lost. Planted, each class several times (weekly events outside the festival season, which the
weekly rules skip):
  weekly_drop      a key enterprise's weekly output (and electricity) 10-40 % below the same
                   weeks a year before (同比, its own growth undone) for 4-8 weeks; on an
                   enterprise that shrinks, 10-40 % below its own course (where its decline
                   would have put it), so deeper than that against last year: a sudden fall,
                   not its usual decline
  monthly_drop     a key enterprise's monthly output 10-40 % below the same months a year before
                   (a shrinking one's: below its course, as above) for 1-3 months
  missing_end      a key enterprise stops weekly reports for its last weeks; an enterprise stops
                   monthly reports for its last months
  missing_middle   a key enterprise skips one week in the middle of its series
  unit_slip        an output figure x10, x1000 or x10000 (or the inverse), weekly or monthly
  industry_decline an industry's value added 8-12 % below the same months a year before, three
                   months
  park_below       the whole park's value added 12 % under its course from March-June on, its
                   year-to-date growth ending the year under target
  revision_create  a first version at the usual level, corrected later to 30 % below the same
                   weeks a year before (a shrinking enterprise's: below its course)
  revision_clear   a first version 40 % below the same weeks a year before (as above), corrected
                   later to the usual level
  anomaly          an enterprise's month (2024 on) at 0.45-0.6 or 1.6-2.5 times its usual level:
                   a break OutputAnomaly is built to see (its level 4 is about x0.67 or x1.49 at
                   the least spread)
Not planted but recorded, as what explains some episodes: every shrinking key enterprise
(class shrinking) declines year on year, which ConsecutiveMonthlyDecline and
KeyEnterpriseDragsPark are about; the drop rules are not (they measure a shrinking enterprise's
fall from its own course), so their episodes on it are explained only by a planted drop.
"""
import argparse
import datetime as dt
import json
import math
import os
import random

INDUSTRIES = {"医药化工": 0.08, "装备制造": 0.09, "轻工食品": 0.06, "电力电子": 0.12}
# 电力电子 has no price index: its value added compares at current prices (comparable_or_current).
PRICED = ["医药化工", "装备制造", "轻工食品"]
FESTIVAL = {2020: dt.date(2020, 1, 25), 2021: dt.date(2021, 2, 12), 2022: dt.date(2022, 2, 1),
            2023: dt.date(2023, 1, 22), 2024: dt.date(2024, 2, 10), 2025: dt.date(2025, 1, 29),
            2026: dt.date(2026, 2, 17)}
YEARS = [2021, 2022, 2023, 2024, 2025]
FIRST = YEARS[0]
# The profiles: (name, share of the enterprises).
PROFILES = [("steady", 0.40), ("flat", 0.15), ("shrinking", 0.10), ("fast", 0.10),
            ("seasonal", 0.15), ("noisy", 0.10)]
# A month's output lost to the festival weeks (0.4 + 0.4 + 0.5 + 0.25 weeks) out of Jan-Feb's
# 8.6 weeks.
JAN_FEB_FESTIVAL = 1 - 1.55 / 8.6


def weeks_of(year):
    """ISO weeks (year, week) of an ISO year."""
    last = dt.date(year, 12, 28).isocalendar()[1]
    return [(year, w) for w in range(1, last + 1)]


def week_text(y, w):
    return f"{y}-W{w:02d}"


def month_periods(year):
    return ["%d-01/02" % year] + ["%d-%02d" % (year, m) for m in range(3, 13)]


def festival_weeks(year):
    """The festival season as the rules see it: the festival's ISO week, one before, two after."""
    out = set()
    for fy in (year - 1, year, year + 1):
        d = FESTIVAL.get(fy)
        if not d:
            continue
        for k in (-1, 0, 1, 2):
            iso = (d + dt.timedelta(weeks=k)).isocalendar()
            out.add((iso[0], iso[1]))
    return out


def festival_factor(y, w):
    """Weekly output around the Spring Festival: half in its week, less around it."""
    for fy in (y - 1, y, y + 1):
        d = FESTIVAL.get(fy)
        if not d:
            continue
        for k, f in ((0, 0.5), (-1, 0.6), (1, 0.6), (2, 0.75)):
            if (d + dt.timedelta(weeks=k)).isocalendar()[:2] == (y, w):
                return f
    return 1.0


def credit_code(n):
    """A valid unified social credit code (GB 32100-2015) made from n."""
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    body = "914307" + "%011d" % n
    body = body[:17]
    total = sum(chars.index(c) * w for c, w in zip(body, weights))
    return body + chars[(31 - total % 31) % 31]


class Park:
    def __init__(self, n, seed):
        self.rng = random.Random(seed)
        r = self.rng
        self.enterprises = []
        names = list(INDUSTRIES)
        shares = [s for _, s in PROFILES]
        for i in range(n):
            industry = names[i % len(names)]
            profile = r.choices([p for p, _ in PROFILES], shares)[0]
            growth = {"flat": r.uniform(-0.01, 0.01), "shrinking": r.uniform(-0.08, -0.03),
                      "fast": r.uniform(0.20, 0.35)}.get(profile)  # None: the industry's course
            self.enterprises.append({
                "code": credit_code(1000 + i), "name": "企业%05d" % i, "industry": industry,
                "key": i % 10 == 0, "level": math.exp(r.gauss(math.log(200), 0.8)),
                "noise": r.uniform(0.045, 0.05) if profile == "noisy" else r.uniform(0.01, 0.05),
                "profile": profile, "growth": growth,
                "season": r.uniform(0.15, 0.30) if profile == "seasonal" else 0.04,
                "phase": r.uniform(0, 2 * math.pi) if profile == "seasonal" else 0.0,
            })
        # The steady, seasonal and noisy enterprises of an industry grow so that the industry as
        # a whole grows 3 points above its target in the first year (it only rises after: the
        # fast growers' weight grows, the shrinking ones' falls), so that a below-target alert
        # is caused by a planted event, not by the draw. Bounded to 0-25 % a year.
        for industry, target in INDUSTRIES.items():
            members = [e for e in self.enterprises if e["industry"] == industry]
            fixed = sum(e["level"] * e["growth"] for e in members if e["growth"] is not None)
            free = sum(e["level"] for e in members if e["growth"] is None)
            total = sum(e["level"] for e in members)
            course = (target + 0.03) * total - fixed
            g = min(max(course / free, 0.0), 0.25) if free else 0.0
            for e in members:
                if e["growth"] is None:
                    e["growth"] = g
        self.events = []
        # factor[(code, series, period)] multiplies the clean value; missing removes the figure.
        self.factor = {}
        self.missing = set()
        self.revisions = []  # (code, series, period, first_factor): first version, then final

    def course(self, e, years, fraction):
        """The enterprise's clean level `years` + `fraction` (0-1) after the first year began."""
        growth = (1 + e["growth"]) ** (years + fraction)
        season = 1 + e["season"] * math.sin(2 * math.pi * fraction + e["phase"])
        return e["level"] * growth * season

    def week_value(self, e, y, w):
        return self.course(e, y - FIRST, (w - 0.5) / 52) * festival_factor(y, w)

    def month_value(self, e, period):
        """A month's clean output (4.3 weeks); Jan-Feb is both months less the festival weeks."""
        y = int(period[:4])
        if "/" in period:
            return 4.3 * (self.course(e, y - FIRST, 0.5 / 12) +
                          self.course(e, y - FIRST, 1.5 / 12)) * JAN_FEB_FESTIVAL
        m = int(period[5:7])
        return 4.3 * self.course(e, y - FIRST, (m - 0.5) / 12)

    def plant(self):
        r = self.rng
        keys = [e for e in self.enterprises if e["key"]]
        others = [e for e in self.enterprises if not e["key"]]
        weeks = [(y, w) for y in YEARS for (y2, w) in weeks_of(y)]
        # Events start after the first year (every YoY's base) and away from the festival.
        usable = [p for p in weeks if p[0] > FIRST and p not in festival_weeks(p[0])
                  and p[1] < 50]
        months = [p for y in YEARS[1:] for p in month_periods(y)[1:-1]]
        # Weeks the weekly year-on-year rules see: neither the week nor the one it is compared
        # with a year before in a festival season (the festival moves, so a January week of one
        # year can face the festival in the year before).
        quiet = {(y, w) for (y, w) in usable if (y - 1, w) not in festival_weeks(y - 1)}

        def start_clear_of_festival(length):
            """A first week whose `length` weeks all lie outside the festival season, this year's
            and the base year's: the weekly rules skip them, so an event there is one they are
            built not to see."""
            starts = [weeks[i] for i in range(len(weeks) - length - 10)
                      if all(weeks[i + k] in quiet for k in range(length))]
            return r.choice(starts)

        def trend(e):
            """The enterprise's growth over a year (the industry's decline below is against the
            same months a year before, its enterprises' growth undone)."""
            return 1 + e["growth"]

        def course(e):
            """What an enterprise's sudden fall of `depth` is measured from: the same period a
            year before (同比, its growth undone), or for an enterprise that shrinks its own
            course, where it would have been. A drop of 10 % planted on an enterprise already
            at -8 % a year as 10 % below last year was a fall of 2 % against its course, inside
            its noise: an event no one, bureau or rule, could tell from its usual decline."""
            return max(trend(e), 1.0)
        pool = keys[:]
        r.shuffle(pool)
        # A fifth of the key enterprises per class: the enterprise classes below take about
        # four fifths of them, each its own enterprise, up to 250 a class.
        per_class = max(2, min(len(keys) // 5, 250))

        def take():
            return pool.pop() if pool else r.choice(keys)

        for e in keys:  # not planted: the shrinking key enterprises, what they explain
            if e["profile"] == "shrinking":
                self.events.append({"class": "shrinking", "enterprise": e["code"],
                                    "growth": e["growth"], "from": "%d-03" % YEARS[1],
                                    "to": "%d-12" % YEARS[-1],
                                    "rules": ["ConsecutiveMonthlyDecline"],
                                    "explains": ["ConsecutiveMonthlyDecline",
                                                 "KeyEnterpriseDragsPark"]})

        for _ in range(per_class):  # weekly drops
            e, length, depth = take(), r.randint(4, 8), r.uniform(0.10, 0.40)
            start = start_clear_of_festival(length)
            i = weeks.index(start)
            span = [weeks[i + k] for k in range(length)]
            for (y, w) in span:
                for s in ("output_value", "electricity"):
                    self.factor[(e["code"], s, week_text(y, w))] = (1 - depth) / course(e)
            self.events.append({"class": "weekly_drop", "enterprise": e["code"], "depth": depth,
                                "from": week_text(*span[0]), "to": week_text(*span[-1]),
                                "rules": ["KeyEnterpriseOutputDrop"]})
        for _ in range(per_class):  # monthly drops
            e = take()
            j = r.randrange(len(months) - 3)
            span = months[j:j + r.randint(1, 3)]
            depth = r.uniform(0.10, 0.40)
            for p in span:
                self.factor[(e["code"], "m_output_value", p)] = (1 - depth) / course(e)
            self.events.append({"class": "monthly_drop", "enterprise": e["code"], "depth": depth,
                                "from": span[0], "to": span[-1],
                                "rules": ["KeyEnterpriseMonthlyOutputDrop"]})
        for _ in range(max(1, per_class // 2)):  # missing at the end
            e = take()
            k = r.randint(1, 4)
            for (y, w) in weeks[-k:]:
                self.missing.add((e["code"], "w", week_text(y, w)))
            self.events.append({"class": "missing_end", "enterprise": e["code"],
                                "from": week_text(*weeks[-k]), "to": week_text(*weeks[-1]),
                                "rules": ["WeeklyReportMissing"]})
            e = r.choice(others)
            last = month_periods(2025)[-2:]
            for p in last:
                self.missing.add((e["code"], "m", p))
            self.events.append({"class": "missing_end", "enterprise": e["code"],
                                "from": last[0], "to": last[-1], "rules": ["MonthlyReportMissing"]})
        for _ in range(max(1, per_class // 2)):  # missing in the middle
            e, p = take(), r.choice(usable[:-10])
            self.missing.add((e["code"], "w", week_text(*p)))
            self.events.append({"class": "missing_middle", "enterprise": e["code"],
                                "from": week_text(*p), "to": week_text(*weeks[-1]),
                                "rules": ["WeeklyReportMissing"]})
        for i in range(max(3, per_class)):  # unit slips
            e = r.choice(self.enterprises)
            slip = [10, 1000, 10000, 0.1, 0.001, 0.0001][i % 6] if i < 6 else \
                r.choice([10, 1000, 10000, 0.1, 0.001, 0.0001])
            if i % 2 == 0:
                p = week_text(*r.choice(usable))
                self.factor[(e["code"], "output_value", p)] = slip
                rule = "WeeklyUnitSlip"
            else:
                p = r.choice(months)
                self.factor[(e["code"], "m_output_value", p)] = slip
                rule = "MonthlyUnitSlip"
            self.events.append({"class": "unit_slip", "enterprise": e["code"], "factor": slip,
                                "from": p, "to": p, "rules": [rule]})
        industry = r.choice(list(INDUSTRIES))  # an industry's decline over three months
        j = r.randrange(len(months) - 3)
        span = months[j:j + 3]
        depth = r.uniform(0.08, 0.12)  # below the same months last year, after its growth
        for e in self.enterprises:
            if e["industry"] == industry:
                for p in span:
                    self.factor[(e["code"], "m_value_added", p)] = \
                        self.factor.get((e["code"], "m_value_added", p), 1) * (1 - depth) / trend(e)
        self.events.append({"class": "industry_decline", "industry": industry, "from": span[0],
                            "to": span[-1], "rules": ["IndustryValueAddedDecline"]})
        # The park below target for the rest of 2025: its value added 12 % under its course
        # (growth about 0 instead of 11-12 %) from a month in March-June on, so that the
        # year-to-date growth is well under target by the year's end. (8 % from July on left it
        # above the rule's first level all year, and a base lowered by an industry's decline the
        # year before could lift it back.)
        start = r.choice(month_periods(2025)[1:5])
        for e in self.enterprises:
            for p in month_periods(2025):
                if p >= start:
                    self.factor[(e["code"], "m_value_added", p)] = \
                        self.factor.get((e["code"], "m_value_added", p), 1) * 0.88
        self.events.append({"class": "park_below", "from": start, "to": "2025-12",
                            "rules": ["ParkBelowTarget"]})
        for kind in ("revision_create", "revision_clear"):  # late revisions
            for _ in range(max(1, per_class // 2)):
                e, start = take(), start_clear_of_festival(2)
                i = weeks.index(start)
                span = [week_text(*weeks[i + k]) for k in range(2)]
                for p in span:
                    if kind == "revision_create":
                        self.factor[(e["code"], "output_value", p)] = 0.70 / course(e)
                        self.revisions.append((e["code"], "output_value", p, course(e) / 0.70))
                    else:
                        self.revisions.append((e["code"], "output_value", p, 0.60 / course(e)))
                self.events.append({"class": kind, "enterprise": e["code"], "from": span[0],
                                    "to": span[1],
                                    "rules": ["KeyEnterpriseOutputDrop"]
                                    if kind == "revision_create" else []})

        # A month's break, 2024 on (OutputAnomaly's baseline is the same month in three earlier
        # years), of any enterprise, not one of the events above.
        anomaly_months = [p for p in months if p[:4] >= str(FIRST + 3)]
        for _ in range(per_class):
            # The set once per draw, not once per candidate (20 000 enterprises took hours).
            taken = {ev.get("enterprise") for ev in self.events}
            e = r.choice([x for x in others if x["code"] not in taken])
            p = r.choice(anomaly_months)
            f = r.uniform(0.45, 0.60) if r.random() < 0.5 else r.uniform(1.6, 2.5)
            self.factor[(e["code"], "m_output_value", p)] = f
            self.events.append({"class": "anomaly", "enterprise": e["code"], "factor": f,
                                "from": p, "to": p, "rules": ["OutputAnomaly"]})

    def value(self, e, series, period, clean):
        noise = 1 + self.rng.gauss(0, e["noise"])
        return clean * noise * self.factor.get((e["code"], series, period), 1)


def write(park, out):
    os.makedirs(os.path.join(out, "files"), exist_ok=True)
    head_w = "统一社会信用代码,企业名称,行业,重点企业,报告期,工业总产值(万元),用电量(万千瓦时)\n"
    head_m = "统一社会信用代码,企业名称,行业,重点企业,报告期,工业总产值(万元),工业增加值(万元)\n"
    files = []  # (name, text)
    first_versions = {}  # (code, series, period) -> factor of the wrong first version

    def row(e, period, a, b):
        return "%s,%s,%s,%s,%s,%.2f,%.2f\n" % (e["code"], e["name"], e["industry"],
                                               "是" if e["key"] else "否", period, a, b)

    for code, series, period, first in park.revisions:
        first_versions[(code, series, period)] = first
    corrections = []  # (name, text, name of the wrong first version it corrects)
    for y in YEARS:
        for (_, w) in weeks_of(y):
            p = week_text(y, w)
            text = head_w
            first_text = head_w
            has_first = False
            for e in park.enterprises:
                if (e["code"], "w", p) in park.missing:
                    continue
                clean = park.week_value(e, y, w)
                out_v = park.value(e, "output_value", p, clean)
                ele = park.value(e, "electricity", p, clean * 0.8)
                f = first_versions.get((e["code"], "output_value", p))
                if f:
                    first_text += row(e, p, out_v * f, ele)
                    has_first = True
                text += row(e, p, out_v, ele)
            if has_first:  # the wrong version goes out with the week, the correction weeks later
                files.append(("week-%s.csv" % p, first_text))
                corrections.append(("week-%s-revised.csv" % p, text, "week-%s.csv" % p))
            else:
                files.append(("week-%s.csv" % p, text))
        for p in month_periods(y):
            text = head_m
            for e in park.enterprises:
                if (e["code"], "m", p) in park.missing:
                    continue
                clean = park.month_value(e, p)
                out_v = park.value(e, "m_output_value", p, clean)
                va = park.value(e, "m_value_added", p, clean * 0.3)
                text += row(e, p, out_v, va)
            files.append(("month-%s.csv" % p, text))
    ppi = "行业,报告期,PPI\n"
    for y in YEARS:
        for p in month_periods(y):
            for industry in PRICED:
                ppi += "%s,%s,%.1f\n" % (industry, p, 100 + park.rng.uniform(-0.5, 0.5))
    files.insert(0, ("ppi.csv", ppi))
    # Each correction six files after its first version, placed in the final list (an index
    # taken before the other insertions put some corrections before what they correct).
    for name, text, first in corrections:
        at = next(i for i, f in enumerate(files) if f[0] == first) + 7
        files.insert(min(at, len(files)), (name, text))
    for i, (name, text) in enumerate(files):
        with open(os.path.join(out, "files", "%04d-%s" % (i, name.replace("/", "_"))), "w",
                  encoding="utf-8") as f:
            f.write(text)
    with open(os.path.join(out, "truth.json"), "w", encoding="utf-8") as f:
        json.dump({"enterprises": {e["code"]: {"industry": e["industry"], "key": e["key"],
                                               "name": e["name"], "profile": e["profile"],
                                               "noise": e["noise"], "growth": e["growth"]}
                                for e in park.enterprises},
                   "events": park.events}, f, ensure_ascii=False, indent=1)


def write_config(out, rules):
    with open(os.path.join(out, "parkwatch.yml"), "w", encoding="utf-8") as f:
        f.write("""global:
  timezone: Asia/Shanghai
park:
  name: 评估园区
  industries: [医药化工, 装备制造, 轻工食品, 电力电子]
storage:
  path: parkwatch.db
web:
  listen_address: 127.0.0.1:0
collectors:
  - name: inbox
    type: inbox
    directory: inbox
rule_files: [%s]
""" % rules)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--enterprises", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rules", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    park = Park(a.enterprises, a.seed)
    park.plant()
    write(park, a.out)
    write_config(a.out, a.rules)


if __name__ == "__main__":
    main()
