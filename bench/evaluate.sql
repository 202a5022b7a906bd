-- The SQL baseline of figure 3 (bench/evaluate.sh): what a full evaluation of the 14 default
-- rules (deploy/rules/default.yml) computes, written for the sqlite3 shell on the store opened
-- read-only, at the periods evaluator_bench evaluates (2024-W52 for the weekly group, 2024-12
-- for the monthly one). One row per outcome with a value: rule | member | value | level (empty
-- when no level is reached); bench/evaluate.sh counts them per rule and level beside parkwatch's.
--
-- Each measure as rules/measures.cc and rules/evaluator.cc define it:
--   members      规上 in 2024 (above_size_since/until), the industry price-index pseudo-
--                enterprises left out; `where: {key: true}` adds is_key; missing-report rules
--                also honour the register's expected_reports.
--   counted      the figures measures read: every figure but those held in quarantine (a held
--                figure still counts as reported, and is the unit-slip rules' current figure).
--   Jan–Feb      the monthly group combines January and February: a stored 1—2月 figure, or
--                January + February when both exist (levels); price indices only as stored.
--   yoy          Σ current / Σ same period last year − 1 over the scope's enterprises having
--                both (same-enterprise caliber); a base ≤ 0 is no data.
--   comparable   value added at comparable prices: each current value divided by its industry's
--                PPI / 100; a scope with an unpriced member falls back to current prices
--                (prices=comparable_or_current).
--   ytd_yoy      months 1—2月, 3..12 of 2024 against 2023, enterprises with all 22; minus the
--                rule file's target.
--   change       park YoY at 2024-12 minus park YoY at 2023-12, each in its own caliber.
--   pull         (V_e − V_e last year) / Σ park base, over the park's caliber.
--   declines     consecutive months, back from 2024-12, whose YoY is −1 % or lower (by=0.01).
--   fall         the two drop rules: g the period's YoY over the YoYs of the three years
--                before (52 weeks / 11 periods a year), those more than 4 × max(1.4826 × median
--                |YoY − median|, 0.01) from their median left out; each year's course the mean
--                of the middle half of its YoYs (a quarter of the rows left out at either end)
--                with at least half a year of them, the year just before also the median of 3
--                or more, else none (0 for the value); swing √((8 · 0.06² + Σ(g − ḡ)²) /
--                (8 + n − 1)); value (1+g)/(1+min(course,0)) − 1; a level only when V over the
--                geometric mean of the same period 1–3 years before, each brought forward by
--                the courses between (stopping at a year without one), is −swings · swing ·
--                √((1 + 1/K)/2) or lower. Weekly, the festival season's weeks (and those facing
--                last year's) are left out, by the festival dates of 2020–2024 written below.
--   unit slip    the figure against the median of the positive figures of the 4 periods
--                before (at least 2): 10, 1 000 or 10 000 times, or the inverse, within 2×.
--   anomaly      2024-12 against 2021–2023-12, each scaled by the recent level (median of the
--                3 months before) now / then; median and 1.4826·MAD of the logs (≥ 0.10).
--   missing      periods from the first report (at most 530 weeks / 120 months back) to t
--                without any figure, gaps included.
-- The Spring Festival calendar is in SQL only as the season weeks of 2020–2024 (fall()'s
-- weekly windows). The periods evaluated and the 4 weeks before them lie outside every festival
-- season, so the weekly rules skip nothing here; the SQL is written for these periods only, as
-- the thresholds and targets are copied from the rule file.
.bail on
CREATE TEMP VIEW members AS
SELECT id AS e, industry, is_key, expected_reports, above_size_since AS since FROM enterprises
WHERE credit_code NOT LIKE 'industry:%'
  AND COALESCE(above_size_since, 0) <= 2024
  AND (COALESCE(above_size_until, 0) = 0 OR 2024 <= above_size_until);

CREATE TEMP VIEW counted AS
SELECT f.* FROM figures f
WHERE NOT EXISTS (SELECT 1 FROM quarantine q
                  WHERE q.enterprise_id = f.enterprise_id AND q.indicator_id = f.indicator_id
                    AND q.cadence = f.cadence AND q.period = f.period AND q.state <> 'confirmed');

WITH
ind(output, electricity, value_added, ppi) AS (
  SELECT (SELECT id FROM indicators WHERE name = 'output_value'),
         (SELECT id FROM indicators WHERE name = 'electricity'),
         (SELECT id FROM indicators WHERE name = 'value_added'),
         (SELECT id FROM indicators WHERE name = 'ppi')),
levels(rule, above, blue, yellow, orange, red) AS (VALUES
  ('KeyEnterpriseOutputDrop', 0, NULL, -0.10, -0.25, -0.35),
  ('KeyEnterpriseElectricityDrop', 0, NULL, -0.20, -0.30, -0.40),
  ('WeeklyReportMissing', 1, NULL, 1, NULL, 3),
  ('WeeklyUnitSlip', 1, NULL, NULL, 1, NULL),
  ('KeyEnterpriseMonthlyOutputDrop', 0, NULL, -0.10, -0.20, -0.30),
  ('IndustryValueAddedDecline', 0, NULL, 0, -0.05, -0.10),
  ('IndustryBelowTarget', 0, -0.01, -0.02, -0.04, -0.06),
  ('ParkBelowTarget', 0, -0.01, -0.02, -0.04, -0.06),
  ('ParkGrowthSlowing', 0, NULL, -0.03, -0.05, -0.08),
  ('KeyEnterpriseDragsPark', 0, NULL, -0.005, -0.01, -0.02),
  ('ConsecutiveMonthlyDecline', 1, NULL, 6, 9, 12),
  ('OutputAnomaly', 1, NULL, 4, 6, NULL),
  ('MonthlyUnitSlip', 1, NULL, NULL, 1, NULL),
  ('MonthlyReportMissing', 1, NULL, 1, NULL, 2)),
targets(scope, target) AS (VALUES
  ('park', 0.08), ('医药化工', 0.08), ('装备制造', 0.09), ('轻工食品', 0.06), ('电力电子', 0.12)),

-- YoY of one enterprise: the weekly rules and the monthly one.
yoy_rules(rule, indicator, cadence, t, base) AS (
  SELECT 'KeyEnterpriseElectricityDrop', electricity, 'W', 202452, 202352 FROM ind),
yoy AS (
  SELECT r.rule, m.e AS member, c.value / b.value - 1 AS value
  FROM yoy_rules r JOIN members m ON m.is_key = 1
  JOIN counted c ON c.enterprise_id = m.e AND c.indicator_id = r.indicator
                AND c.cadence = r.cadence AND c.period = r.t
  JOIN counted b ON b.enterprise_id = m.e AND b.indicator_id = r.indicator
                AND b.cadence = r.cadence AND b.period = r.base
  WHERE b.value > 0),

-- Missing reports: due periods from the first report (or the data's first period, or the
-- first 规上 year) to t, the latest 530 weeks / 120 months at most, without any figure.
-- Weeks are counted by their Mondays; months by their place in the year of 1—2月, 3..12.
week_reporters AS (
  SELECT m.e, m.since,
         (SELECT min(x) FROM (SELECT (SELECT min(period) FROM figures f
                                      WHERE f.enterprise_id = m.e AND f.indicator_id = i.id
                                        AND f.cadence = 'W') AS x
                              FROM indicators i)) AS first
  FROM members m
  WHERE m.is_key = 1 AND (m.expected_reports IS NULL OR instr(m.expected_reports, 'weekly') > 0)),
week_floor AS (
  SELECT e, COALESCE(first,
      CASE WHEN COALESCE(since, 0) <> 0
           THEN max(COALESCE((SELECT min(period) FROM counted
                              WHERE cadence = 'W' AND indicator_id IN
                                (SELECT output FROM ind UNION SELECT electricity FROM ind)), 0),
                    since * 100 + 1)
           ELSE (SELECT min(period) FROM counted WHERE cadence = 'W' AND indicator_id IN
                   (SELECT output FROM ind UNION SELECT electricity FROM ind)) END,
      202452) AS floor
  FROM week_reporters),
week_start AS (  -- the Monday of the first week counted, as a Julian day (2024-W52: 2024-12-23)
  SELECT e, max(julianday(date(printf('%04d-01-04', floor / 100), '-6 days', 'weekday 1',
                               printf('+%d days', 7 * (floor % 100 - 1)))),
                julianday('2024-12-23') - 7 * 529) AS monday
  FROM week_floor),
week_missing AS (
  SELECT 'WeeklyReportMissing' AS rule, s.e AS member,
         CAST(round((julianday('2024-12-23') - s.monday) / 7) AS INTEGER) + 1 -
         (SELECT count(DISTINCT period) FROM figures f
          WHERE f.enterprise_id = s.e AND f.cadence = 'W'
            AND f.indicator_id IN (SELECT id FROM indicators)
            AND f.period BETWEEN  -- the ISO week of that Monday: its Thursday's year and day
              CAST(strftime('%Y', s.monday + 3) AS INTEGER) * 100 +
                (CAST(strftime('%j', s.monday + 3) AS INTEGER) - 1) / 7 + 1
              AND 202452) AS value
  FROM week_start s),
month_reporters AS (
  SELECT m.e, m.since,
         (SELECT min(x) FROM (SELECT (SELECT min(period) FROM figures f
                                      WHERE f.enterprise_id = m.e AND f.indicator_id = i.id
                                        AND f.cadence = 'M') AS x
                              FROM indicators i)) AS first
  FROM members m
  WHERE m.expected_reports IS NULL OR instr(m.expected_reports, 'monthly') > 0),
month_floor AS (
  SELECT e, COALESCE(first,
      CASE WHEN COALESCE(since, 0) <> 0
           THEN max(COALESCE((SELECT min(period) FROM counted
                              WHERE cadence = 'M' AND indicator_id IN
                                (SELECT output FROM ind UNION SELECT value_added FROM ind)), 0),
                    since * 10000 + 102)
           ELSE (SELECT min(period) FROM counted WHERE cadence = 'M' AND indicator_id IN
                   (SELECT output FROM ind UNION SELECT value_added FROM ind)) END,
      20241212) AS floor
  FROM month_reporters),
month_start AS (  -- a month's place: year * 11, + 0 for 1—2月 (and January, February), 1..10
  SELECT e, max(floor / 10000 * 11 + max(floor / 100 % 100 - 2, 0), 2024 * 11 + 10 - 119) AS place
  FROM month_floor),
month_missing AS (
  SELECT 'MonthlyReportMissing' AS rule, s.e AS member,
         2024 * 11 + 10 - s.place + 1 -
         (SELECT count(DISTINCT period / 10000 * 11 + max(period / 100 % 100 - 2, 0))
          FROM figures f
          WHERE f.enterprise_id = s.e AND f.cadence = 'M'
            AND f.indicator_id IN (SELECT id FROM indicators)
            AND f.period BETWEEN s.place / 11 * 10000 +
                                   CASE WHEN s.place % 11 = 0 THEN 101 ELSE (s.place % 11 + 2) * 101 END
                             AND 20241212) AS value
  FROM month_start s),

-- Unit slips: the figure (held or not) against the recent level.
slip_rules(rule, cadence, t, r1, r4) AS (VALUES
  ('WeeklyUnitSlip', 'W', 202452, 202451, 202448),
  ('MonthlyUnitSlip', 'M', 20241212, 20241111, 20240808)),
slip_figures AS (  -- the figure at t (held or not) and the 4 before it that are counted
  SELECT r.rule, m.e, f.period = r.t AS now, f.value,
         f.period = r.t OR NOT EXISTS (
           SELECT 1 FROM quarantine q
           WHERE q.enterprise_id = f.enterprise_id AND q.indicator_id = f.indicator_id
             AND q.cadence = f.cadence AND q.period = f.period AND q.state <> 'confirmed') AS used
  FROM slip_rules r JOIN members m
  JOIN figures f ON f.enterprise_id = m.e AND f.indicator_id = (SELECT output FROM ind)
                AND f.cadence = r.cadence AND f.period BETWEEN r.r4 AND r.t
  WHERE r.cadence = 'W' OR f.period % 100 = f.period / 100 % 100),
slip_ranked AS (
  SELECT rule, e, now, value,
         row_number() OVER (PARTITION BY rule, e, now ORDER BY value) AS k,
         count(*) OVER (PARTITION BY rule, e, now) AS n
  FROM slip_figures WHERE used AND (now OR value > 0)),
slip_level AS (
  SELECT rule, e, max(CASE WHEN now THEN value END) AS now,
         avg(CASE WHEN NOT now AND n >= 2 AND k IN ((n + 1) / 2, (n + 2) / 2) THEN value END)
           AS level
  FROM slip_ranked GROUP BY rule, e),
slips AS (
  SELECT rule, e AS member,
         CASE WHEN now <= 0 THEN 0 ELSE COALESCE(
           (SELECT abs(x) FROM (SELECT 1 AS x UNION ALL SELECT -1 UNION ALL SELECT 3
                                UNION ALL SELECT -3 UNION ALL SELECT 4 UNION ALL SELECT -4)
            WHERE abs(log10(now / level) - x) <= log10(2.0)), 0) END AS value
  FROM slip_level WHERE now IS NOT NULL AND level IS NOT NULL),

-- A monthly series of 1—2月, 3..12 (Jan–Feb stored, or January + February): value added of
-- every member in 2023–2024, output of the key members in every year.
series AS MATERIALIZED (
  SELECT m.e, m.industry, f.indicator_id AS indicator,
         CASE WHEN f.period % 10000 IN (101, 202) THEN f.period / 10000 * 10000 + 102
              ELSE f.period END AS p,
         CASE WHEN f.period % 10000 NOT IN (101, 102, 202) THEN max(f.value)
              WHEN max(f.period % 10000 = 102) THEN max(CASE WHEN f.period % 10000 = 102
                                                         THEN f.value END)
              WHEN count(*) = 2 THEN sum(f.value) END AS v
  FROM members m
  JOIN counted f ON f.enterprise_id = m.e AND f.cadence = 'M'
                AND ((f.indicator_id = (SELECT value_added FROM ind)
                      AND f.period BETWEEN 20230101 AND 20241212)
                     OR (m.is_key = 1 AND f.indicator_id = (SELECT output FROM ind)
                         AND f.period <= 20241212))
  GROUP BY m.e, f.indicator_id, p),

-- Value added per industry at 2024-12, at comparable prices where every member is priced.
industry_yoy AS (
  SELECT 'IndustryValueAddedDecline' AS rule, m.industry AS member,
         CASE WHEN min(COALESCE(p.value > 0, 0)) THEN sum(c.value / (p.value / 100))
              ELSE sum(c.value) END / sum(b.value) - 1 AS value, sum(b.value) AS base
  FROM members m
  JOIN counted c ON c.enterprise_id = m.e AND c.indicator_id = (SELECT value_added FROM ind)
                AND c.cadence = 'M' AND c.period = 20241212
  JOIN counted b ON b.enterprise_id = m.e AND b.indicator_id = (SELECT value_added FROM ind)
                AND b.cadence = 'M' AND b.period = 20231212
  LEFT JOIN enterprises x ON x.credit_code = 'industry:' || m.industry
  LEFT JOIN counted p ON p.enterprise_id = x.id AND p.indicator_id = (SELECT ppi FROM ind)
                     AND p.cadence = 'M' AND p.period = 20241212
  WHERE m.industry <> ''
  GROUP BY m.industry),

-- Year to date: each member's 2024 (deflated and not) and 2023 totals over all 11 periods.
ytd_member AS MATERIALIZED (
  SELECT s.e, s.industry,
         sum(CASE WHEN s.p > 20240000 THEN s.v / (p.value / 100) END) AS real,
         sum(CASE WHEN s.p > 20240000 THEN s.v END) AS current,
         sum(CASE WHEN s.p < 20240000 THEN s.v END) AS base,
         count(s.v) AS n, sum(s.p > 20240000 AND p.value > 0) AS priced
  FROM series s
  LEFT JOIN enterprises x ON x.credit_code = 'industry:' || s.industry
  LEFT JOIN counted p ON p.enterprise_id = x.id AND p.indicator_id = (SELECT ppi FROM ind)
                     AND p.cadence = 'M' AND p.period = s.p
  WHERE s.indicator = (SELECT value_added FROM ind) AND s.p > 20230000
  GROUP BY s.e HAVING n = 22),
ytd AS (
  SELECT 'IndustryBelowTarget' AS rule, industry AS member,
         CASE WHEN min(priced) = 11 THEN sum(real) ELSE sum(current) END / sum(base) - 1 AS v,
         sum(base) AS base
  FROM ytd_member WHERE industry <> '' GROUP BY industry
  UNION ALL
  SELECT 'ParkBelowTarget', 'park',
         CASE WHEN min(priced) = 11 THEN sum(real) ELSE sum(current) END / sum(base) - 1,
         sum(base)
  FROM ytd_member HAVING count(*) > 0),
below_target AS (
  SELECT y.rule, y.member, y.v - t.target AS value
  FROM ytd y JOIN targets t ON t.scope = y.member WHERE y.base > 0),

-- The park's output at 2024-12 and 2023-12 against a year before, each in its own caliber.
park_pairs AS MATERIALIZED (
  SELECT m.e, m.is_key, c.period AS t, c.value AS current, b.value AS base
  FROM members m
  JOIN counted c ON c.enterprise_id = m.e AND c.indicator_id = (SELECT output FROM ind)
                AND c.cadence = 'M' AND c.period IN (20241212, 20231212)
  JOIN counted b ON b.enterprise_id = m.e AND b.indicator_id = (SELECT output FROM ind)
                AND b.cadence = 'M' AND b.period = c.period - 10000),
park_yoy AS MATERIALIZED (
  SELECT t, sum(current) / sum(base) - 1 AS yoy, sum(base) AS base FROM park_pairs GROUP BY t),
slowing AS (
  SELECT 'ParkGrowthSlowing' AS rule, 'park' AS member, now.yoy - before.yoy AS value
  FROM park_yoy now JOIN park_yoy before ON now.t = 20241212 AND before.t = 20231212
  WHERE now.base > 0 AND before.base > 0),
pulls AS (
  SELECT 'KeyEnterpriseDragsPark' AS rule, p.e AS member, (p.current - p.base) / w.base AS value
  FROM park_pairs p JOIN park_yoy w ON w.t = 20241212
  WHERE p.t = 20241212 AND p.is_key = 1 AND w.base > 0),

-- Consecutive declines: the run of months with YoY below zero that ends at 2024-12.
key_output AS MATERIALIZED (
  SELECT s.e, s.p, s.p / 10000 * 11 + max(s.p / 100 % 100 - 2, 0) AS place, s.v
  FROM series s JOIN members m ON m.e = s.e AND m.is_key = 1
  WHERE s.indicator = (SELECT output FROM ind) AND s.v IS NOT NULL),
key_growth AS MATERIALIZED (
  SELECT e, place, v / base - 1 <= -0.01 AS down FROM (
    SELECT e, place, v,
           first_value(v) OVER (PARTITION BY e ORDER BY p
                                RANGE BETWEEN 10000 PRECEDING AND 10000 PRECEDING) AS base
    FROM key_output)
  WHERE base > 0),
down_runs AS MATERIALIZED (
  SELECT e, place, place - row_number() OVER (PARTITION BY e ORDER BY place) AS run
  FROM key_growth WHERE down),
declines AS (
  SELECT 'ConsecutiveMonthlyDecline' AS rule, g.e AS member, COALESCE(r.n, 0) AS value
  FROM key_growth g
  LEFT JOIN (SELECT e, min(count(*), 120) AS n FROM down_runs GROUP BY e, run
             HAVING max(place) = 2024 * 11 + 10) r USING (e)
  WHERE g.place = 2024 * 11 + 10),

-- Output anomaly: December 2024 against the Decembers of 2021–2023.
anomaly_figures AS MATERIALIZED (
  SELECT m.e, f.period / 10000 AS y, f.period % 10000 AS md, f.value AS v
  FROM members m
  JOIN counted f ON f.enterprise_id = m.e AND f.indicator_id = (SELECT output FROM ind)
                AND f.cadence = 'M' AND f.period BETWEEN 20210909 AND 20241212
  WHERE f.period % 10000 IN (909, 1010, 1111, 1212)),
recent_ranked AS (
  SELECT e, y, v, row_number() OVER (PARTITION BY e, y ORDER BY v) AS k,
         count(*) OVER (PARTITION BY e, y) AS n
  FROM anomaly_figures WHERE md <> 1212 AND v > 0),
recent_level AS MATERIALIZED (
  SELECT e, y, avg(v) AS level FROM recent_ranked
  WHERE n >= 2 AND k IN ((n + 1) / 2, (n + 2) / 2) GROUP BY e, y),
anomaly_years AS (  -- per enterprise: each December and its recent level, 2024 to 2021
  SELECT e, max(CASE WHEN y = 2024 THEN v END) AS v0, max(CASE WHEN y = 2024 THEN l END) AS l0,
         max(CASE WHEN y = 2023 THEN v END) AS v1, max(CASE WHEN y = 2023 THEN l END) AS l1,
         max(CASE WHEN y = 2022 THEN v END) AS v2, max(CASE WHEN y = 2022 THEN l END) AS l2,
         max(CASE WHEN y = 2021 THEN v END) AS v3, max(CASE WHEN y = 2021 THEN l END) AS l3
  FROM (SELECT e, y, v, NULL AS l FROM anomaly_figures WHERE md = 1212
        UNION ALL SELECT e, y, NULL, level FROM recent_level)
  GROUP BY e),
scaled AS (  -- the three earlier Decembers at the recent level (the rule's years: 3)
  SELECT e, v0,
         CASE WHEN v1 > 0 THEN v1 * COALESCE(l0 / l1, 1) END AS s1,
         CASE WHEN v2 > 0 THEN v2 * COALESCE(l0 / l2, 1) END AS s2,
         CASE WHEN v3 > 0 THEN v3 * COALESCE(l0 / l3, 1) END AS s3
  FROM anomaly_years WHERE v0 IS NOT NULL),
baseline AS (  -- the median of three: max(min(a, b), min(max(a, b), c))
  SELECT e, v0, s1, s2, s3, max(min(s1, s2), min(max(s1, s2), s3)) AS mean
  FROM scaled WHERE s1 IS NOT NULL AND s2 IS NOT NULL AND s3 IS NOT NULL),
spread AS (
  SELECT e, v0, mean,
         max(1.4826 * max(min(d1, d2), min(max(d1, d2), d3)), 0.10) AS stddev
  FROM (SELECT e, v0, mean, abs(ln(s1 / mean)) AS d1, abs(ln(s2 / mean)) AS d2,
               abs(ln(s3 / mean)) AS d3 FROM baseline)),
anomalies AS (
  SELECT 'OutputAnomaly' AS rule, e AS member, abs(ln(v0 / mean) / stddev) AS value
  FROM spread WHERE v0 > 0 AND mean > 0),

-- fall(): weekly output at 2024-W52 over the 156 weeks before (k = 1 is 2024-W51; 2021–2024
-- have 52 ISO weeks), monthly output at 2024-12 over the 33 periods before.
festival(y, w) AS (VALUES (2020, 3), (2020, 4), (2020, 5), (2020, 6), (2021, 5), (2021, 6),
  (2021, 7), (2021, 8), (2022, 4), (2022, 5), (2022, 6), (2022, 7), (2023, 2), (2023, 3),
  (2023, 4), (2023, 5), (2024, 5), (2024, 6), (2024, 7), (2024, 8)),
fall_weeks(p, k) AS (
  SELECT 202451, 1 UNION ALL
  SELECT CASE WHEN p % 100 = 1 THEN (p / 100 - 1) * 100 + 52 ELSE p - 1 END, k + 1
  FROM fall_weeks WHERE k < 156),
fall_week_output AS MATERIALIZED (
  SELECT c.enterprise_id AS e, c.period AS p, c.value AS v
  FROM counted c JOIN members m ON m.e = c.enterprise_id AND m.is_key = 1
  WHERE c.indicator_id = (SELECT output FROM ind) AND c.cadence = 'W'),
fall_growth(rule, e, k, g, year) AS (
  SELECT 'KeyEnterpriseOutputDrop', a.e, w.k, a.v / b.v - 1, (w.k - 1) / 52
  FROM fall_weeks w JOIN fall_week_output a ON a.p = w.p
  JOIN fall_week_output b ON b.e = a.e AND b.p = w.p - 100
  WHERE b.v > 0
    AND NOT EXISTS (SELECT 1 FROM festival f WHERE (f.y = w.p / 100 AND f.w = w.p % 100)
                                               OR (f.y = w.p / 100 - 1 AND f.w = w.p % 100))
  UNION ALL
  SELECT 'KeyEnterpriseMonthlyOutputDrop', a.e, 2024 * 11 + 10 - a.place, a.v / b.v - 1,
         (2024 * 11 + 10 - a.place - 1) / 11
  FROM key_output a JOIN key_output b ON b.e = a.e AND b.place = a.place - 11
  WHERE b.v > 0 AND a.place BETWEEN 2024 * 11 + 10 - 33 AND 2024 * 11 + 10 - 1),
fall_ranked AS (
  SELECT rule, e, g, row_number() OVER (PARTITION BY rule, e ORDER BY g) AS r,
         count(*) OVER (PARTITION BY rule, e) AS n
  FROM fall_growth),
fall_median AS (
  SELECT rule, e, avg(g) AS median, max(n) AS n FROM fall_ranked
  WHERE r IN ((n + 1) / 2, n / 2 + 1) GROUP BY rule, e),
fall_distance AS (
  SELECT rule, e, abs(g.g - m.median) AS d,
         row_number() OVER (PARTITION BY rule, e ORDER BY abs(g.g - m.median)) AS r, m.n
  FROM fall_growth g JOIN fall_median m USING (rule, e)),
fall_robust AS (
  SELECT rule, e, max(1.4826 * avg(d), 0.01) AS robust FROM fall_distance
  WHERE n >= 3 AND r IN ((n + 1) / 2, n / 2 + 1) GROUP BY rule, e),
fall_kept AS (
  SELECT g.* FROM fall_growth g JOIN fall_median m USING (rule, e)
  LEFT JOIN fall_robust o USING (rule, e)
  WHERE o.robust IS NULL OR abs(g.g - m.median) <= 4 * o.robust),
fall_year_ranked AS (
  SELECT rule, e, year, g, row_number() OVER (PARTITION BY rule, e, year ORDER BY g) AS r,
         count(*) OVER (PARTITION BY rule, e, year) AS n,
         CASE WHEN rule = 'KeyEnterpriseOutputDrop' THEN 26 ELSE 5 END AS half
  FROM fall_kept),
fall_course(rule, e, year, course) AS (
  SELECT rule, e, year, avg(g) FROM fall_year_ranked
  WHERE n >= half AND r > n / 4 AND r <= n - n / 4 GROUP BY rule, e, year
  UNION ALL
  SELECT rule, e, year, avg(g) FROM fall_year_ranked
  WHERE year = 0 AND n < half AND n >= 3 AND r IN ((n + 1) / 2, n / 2 + 1)
  GROUP BY rule, e, year),
fall_swing AS (
  SELECT rule, e, sqrt((8 * 0.0036 + sum((g - mean) * (g - mean)))
                       / (8 + max(count(*) - 1, 0))) AS swing
  FROM (SELECT rule, e, g, avg(g) OVER (PARTITION BY rule, e) AS mean FROM fall_kept)
  GROUP BY rule, e),
fall_now(rule, e, v, b1, b2, b3, swings) AS (
  SELECT 'KeyEnterpriseOutputDrop', a.e, a.v, b.v, c.v, d.v, 2.0
  FROM fall_week_output a JOIN fall_week_output b ON b.e = a.e AND b.p = 202352
  LEFT JOIN fall_week_output c ON c.e = a.e AND c.p = 202252
  LEFT JOIN fall_week_output d ON d.e = a.e AND d.p = 202152
  WHERE a.p = 202452 AND b.v > 0
  UNION ALL
  SELECT 'KeyEnterpriseMonthlyOutputDrop', a.e, a.v, b.v, c.v, d.v, 3.0
  FROM key_output a JOIN key_output b ON b.e = a.e AND b.place = a.place - 11
  LEFT JOIN key_output c ON c.e = a.e AND c.place = a.place - 22
  LEFT JOIN key_output d ON d.e = a.e AND d.place = a.place - 33
  WHERE a.place = 2024 * 11 + 10 AND b.v > 0),
fall_terms AS (
  SELECT n.rule, n.e, n.v, n.b1, n.swings, COALESCE(c0.course, 0) AS course,
         COALESCE(s.swing, 0.06) AS swing,
         ln(n.b1) + ln(1 + COALESCE(c0.course, 0)) AS t1,
         CASE WHEN c1.course IS NOT NULL AND n.b2 > 0
              THEN ln(n.b2) + ln(1 + COALESCE(c0.course, 0)) + ln(1 + c1.course) END AS t2,
         CASE WHEN c1.course IS NOT NULL AND c2.course IS NOT NULL AND n.b3 > 0
              THEN ln(n.b3) + ln(1 + COALESCE(c0.course, 0)) + ln(1 + c1.course)
                   + ln(1 + c2.course) END AS t3
  FROM fall_now n
  LEFT JOIN fall_course c0 ON c0.rule = n.rule AND c0.e = n.e AND c0.year = 0
  LEFT JOIN fall_course c1 ON c1.rule = n.rule AND c1.e = n.e AND c1.year = 1
  LEFT JOIN fall_course c2 ON c2.rule = n.rule AND c2.e = n.e AND c2.year = 2
  LEFT JOIN fall_swing s ON s.rule = n.rule AND s.e = n.e),
falls AS (
  SELECT rule, e AS member, v / b1 / (1 + min(course, 0)) - 1 AS value,
         v > 0 AND v / exp((t1 + COALESCE(t2, 0) + COALESCE(t3, 0)) / k) - 1
           <= -swings * swing * sqrt((1 + 1.0 / k) / 2) AS sudden
  FROM (SELECT *, 1 + (t2 IS NOT NULL) + (t3 IS NOT NULL) AS k FROM fall_terms)),

outcomes(rule, member, value, gate) AS (
  SELECT rule, member, value, 1 FROM yoy UNION ALL
  SELECT rule, member, value, sudden FROM falls UNION ALL
  SELECT rule, member, value, 1 FROM week_missing UNION ALL
  SELECT rule, member, value, 1 FROM slips UNION ALL
  SELECT rule, member, value, 1 FROM industry_yoy WHERE base > 0 UNION ALL
  SELECT rule, member, value, 1 FROM below_target UNION ALL
  SELECT rule, member, value, 1 FROM slowing UNION ALL
  SELECT rule, member, value, 1 FROM pulls UNION ALL
  SELECT rule, member, value, 1 FROM declines UNION ALL
  SELECT rule, member, value, 1 FROM anomalies UNION ALL
  SELECT rule, member, value, 1 FROM month_missing)
SELECT o.rule, o.member, o.value,
       CASE WHEN NOT o.gate THEN ''
            WHEN (l.above AND o.value >= l.red) OR (NOT l.above AND o.value <= l.red) THEN 'red'
            WHEN (l.above AND o.value >= l.orange) OR (NOT l.above AND o.value <= l.orange)
              THEN 'orange'
            WHEN (l.above AND o.value >= l.yellow) OR (NOT l.above AND o.value <= l.yellow)
              THEN 'yellow'
            WHEN (l.above AND o.value >= l.blue) OR (NOT l.above AND o.value <= l.blue)
              THEN 'blue'
            ELSE '' END
FROM outcomes o JOIN levels l USING (rule);
