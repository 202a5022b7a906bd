// The console's 企业 and 行业 pages: find an enterprise by a part of its name or credit code, an
// enterprise's weekly and monthly figures with YoY, its revisions and alerts, and an industry's
// totals against its target with its enterprises by their pull on it. Every number comes from
// the API (/api/v1/series, /api/v1/industries): the same Measures as the rules, /metrics and the
// monthly report — the page only formats them.
'use strict';

const SEARCH_SHOWN = 50;

function enterpriseLink(code, name) {
  return el('a', { href: '/enterprises/' + encodeURIComponent(code), class: 'enterprise-link' }, name || code);
}
function industryLink(name) {
  return name ? el('a', { href: '/industries/' + encodeURIComponent(name), class: 'industry-link' }, name) : '—';
}
function keyMark(key) { return key ? el('span', { class: 'badge key' }, t('keyEnterprise')) : ''; }
function indicatorUnit(name) {
  const i = (SESSION.indicators || []).find(x => x.name === name);
  return i ? (i.rate ? 'ratio' : i.unit) : 'yuan';
}

// --- 企业 Search -------------------------------------------------------------------------------
async function pageEnterprises() {
  document.title = `${t('enterprises')} · parkwatch`;
  const params = new URLSearchParams(location.search);
  const input = el('input', { name: 'q', type: 'search', id: 'enterprise-q', placeholder: t('searchEnterprise'),
    value: params.get('q') || '', autofocus: true, class: 'wide' });
  const status = el('p', { class: 'muted', id: 'search-status' });
  const body = el('div', { id: 'search-results' });
  let seq = 0, total = null;
  const search = async () => {
    const mine = ++seq;
    const q = input.value.trim();
    history.replaceState(null, '', '/enterprises' + (q ? '?q=' + encodeURIComponent(q) : ''));
    const list = await api('/api/v1/enterprises?limit=' + (SEARCH_SHOWN + 1) + (q ? '&q=' + encodeURIComponent(q) : ''));
    if (mine !== seq) return;
    if (!q && total === null) total = (await api('/api/v1/enterprises')).length;
    if (mine !== seq) return;
    const shown = list.slice(0, SEARCH_SHOWN);
    status.textContent = q ? tf('found', { n: list.length > SEARCH_SHOWN ? `${SEARCH_SHOWN}+` : list.length })
      : tf('searchHint', { n: total, m: shown.length });
    body.replaceChildren(shown.length ? table([t('name'), t('creditCode'), t('industry'), t('keyEnterprise')],
      shown.map(e => [enterpriseLink(e.credit_code, e.name), el('span', { class: 'code' }, e.credit_code),
        industryLink(e.industry), keyMark(e.key)])) : el('p', { class: 'muted' }, t('none')));
  };
  let timer = null;
  input.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => search().catch(showError), 200); });
  const form = el('form', { class: 'filters', id: 'enterprise-search' }, input);
  form.addEventListener('submit', e => e.preventDefault());
  show(el('h1', {}, t('enterprises')), form, status, body);
  await search();
}
function showError(e) { if (e.status !== 401) show(message('error', `${t('loadFailed')}: ${e.message}`)); }

// --- One enterprise ---------------------------------------------------------------------------
async function pageEnterprise(code) {
  const q = encodeURIComponent(code);
  const indicators = (SESSION.indicators && SESSION.indicators.length ? SESSION.indicators : [{ name: 'output_value' }]).map(i => i.name);
  const [e, active, past, ...series] = await Promise.all([
    api('/api/v1/enterprises/' + q), api('/api/v1/alerts?enterprise=' + q),
    api('/api/v1/alerts/history?limit=200&enterprise=' + q),
    ...indicators.flatMap(i => ['monthly', 'weekly'].map(c =>
      api(`/api/v1/series?enterprise=${q}&indicator=${i}&cadence=${c}`).catch(() => null)))]);
  document.title = `${e.name} · parkwatch`;
  // What it reports: indicators with figures, output value first.
  const reported = [];
  indicators.forEach((name, i) => {
    const monthly = series[2 * i], weekly = series[2 * i + 1];
    const has = s => s && s.points && s.points.length;
    if (has(monthly) || has(weekly)) reported.push({ name, monthly: has(monthly) ? monthly : null, weekly: has(weekly) ? weekly : null });
  });
  const facts = el('dl', { class: 'facts', id: 'enterprise-facts' },
    el('dt', {}, t('creditCode')), el('dd', { class: 'code' }, e.credit_code),
    el('dt', {}, t('industry')), el('dd', {}, industryLink(e.industry)),
    el('dt', {}, t('keyEnterprise')), el('dd', {}, e.key ? (LANG === 'zh' ? '是' : 'yes') : (LANG === 'zh' ? '否' : 'no')),
    e.above_size_since ? [el('dt', {}, t('aboveSince')), el('dd', {}, LANG === 'zh' ? `${e.above_size_since}年` : String(e.above_size_since))] : null);
  // The latest figure of each indicator it reports, month and week.
  const latest = reported.map(r => {
    const line = (s, cadence) => {
      if (!s) return null;
      const p = s.points[s.points.length - 1];
      const unit = indicatorUnit(r.name);
      return el('div', {}, `${periodWords(p.period)} `, el('b', {}, figure(p.value, unit)), ' ',
        unit === 'ratio' ? '' : growthCell(p.yoy, LANG === 'zh' ? '同比' : ''));
    };
    return el('div', { class: 'card' }, el('div', { class: 'label' }, indicatorName(r.name)), line(r.monthly, 'monthly'), line(r.weekly, 'weekly'));
  });
  const nodes = [el('p', {}, el('a', { href: '/enterprises' }, `← ${t('enterprises')}`)),
    el('h1', {}, e.name, ' ', keyMark(e.key)),
    el('div', { class: 'two' }, el('div', { class: 'card' }, facts),
      el('div', { class: 'card' }, el('h2', { class: 'flush' }, t('activeOf')), activeAlertList(active))),
    el('h2', {}, t('reportedIndicators')), el('div', { class: 'grid', id: 'latest-figures' }, latest)];
  // The series of one indicator: a chart and the table, monthly and weekly.
  const pick = el('select', { id: 'indicator-pick', 'aria-label': t('measure') },
    reported.map(r => el('option', { value: r.name }, indicatorName(r.name))));
  const seriesBox = el('div', { id: 'enterprise-series' });
  nodes.push(el('h2', {}, `${t('monthlySeries')} / ${t('weeklySeries')}　`, pick), seriesBox);
  // Revisions of its figures.
  const revised = [];
  for (const r of reported)
    for (const s of [r.monthly, r.weekly])
      if (s) for (const p of s.points) if (p.revisions > 1) revised.push({ indicator: r.name, point: p });
  const revisionBox = el('div', { id: 'revisions' });
  nodes.push(el('h2', {}, t('revisionHistory')), revisionBox);
  revisionBox.append(revised.length ? table([t('period'), t('measure'), t('value'), t('revisions'), ''],
    revised.slice(-100).reverse().map(({ indicator, point }) => {
      const detail = el('div', { class: 'revision-detail' });
      const button = el('button', { type: 'button', class: 'link show-revisions', onclick: async () => {
        const rows = await api(`/api/v1/revisions?enterprise=${q}&indicator=${indicator}&period=${point.period}`);
        button.hidden = true;
        detail.replaceChildren(...rows.map(x => el('div', {}, `${x.revision === 1 ? t('original') : `${t('revisions')} ${x.revision - 1}`}：`,
          el('b', {}, figure(x.value, indicatorUnit(indicator))), `　${timeWords(x.recorded_at)}　`,
          el('span', { class: 'muted' }, (x.source || '').split('/').pop()))));
      } }, LANG === 'zh' ? '查看' : 'show');
      return [periodWords(point.period), indicatorName(indicator), figure(point.value, indicatorUnit(indicator)),
        tf('revisedTimes', { n: point.revisions - 1 }), el('div', {}, button, detail)];
    }), [2]) : el('p', { class: 'muted' }, t('noRevisions')));
  // Its past alerts: each alert once, with its last event.
  const byAlert = new Map();
  for (const ev of past) if (!byAlert.has(ev.fingerprint)) byAlert.set(ev.fingerprint, ev);
  const activeSet = new Set(active.map(a => a.fingerprint));
  const ended = [...byAlert.values()].filter(ev => !activeSet.has(ev.fingerprint));
  nodes.push(el('h2', {}, t('pastAlerts')), ended.length ? table([t('rules'), t('period'), t('state'), t('level'), t('at')],
    ended.map(ev => [el('a', { href: '/alerts/' + ev.fingerprint, class: 'alert-link' }, ruleTitle(ev.rule)), periodWords(ev.period),
      t(ev.kind), badge(ev.kind === 'resolved' ? ev.previous : ev.severity), timeWords(ev.at)])) : el('p', { class: 'muted' }, t('noPastAlerts')));
  show(...nodes);
  const draw = () => drawEnterpriseSeries(seriesBox, reported.find(r => r.name === pick.value));
  pick.addEventListener('input', draw);
  if (reported.length) draw();
  else seriesBox.append(el('p', { class: 'muted' }, t('noFigures')));
}

function activeAlertList(active) {
  if (!active.length) return el('p', { class: 'muted', id: 'enterprise-alerts' }, t('noAlerts'));
  return el('div', { id: 'enterprise-alerts' }, active.map(a => el('div', {}, badge(a.severity), ' ',
    el('a', { href: '/alerts/' + a.fingerprint, class: 'alert-link' }, ruleTitle(a.rule)),
    `　${periodWords(a.period)}　${measureValue(a, a.value)}`)));
}

function drawEnterpriseSeries(box, r) {
  while (charts.length) charts.pop().destroy();
  const unit = indicatorUnit(r.name);
  const parts = [];
  for (const [s, title, keep] of [[r.monthly, t('monthlySeries'), 25], [r.weekly, t('weeklySeries'), 53]]) {
    if (!s) continue;
    const points = s.points.slice(-keep);
    const canvas = el('canvas', { id: s.cadence === 'weekly' ? 'enterprise-weekly' : 'enterprise-monthly' });
    const monthly = s.cadence === 'monthly';
    const head = [t('period'), t('value'), t('yoy')];
    if (monthly) head.push(t('ytdLevel'), t('ytdGrowth'));
    head.push(t('pullOnPark'), t('revisions'));
    const rows = points.slice().reverse().map(p => {
      const row = [periodWords(p.period), figure(p.value, unit), growthCell(p.yoy, '')];
      if (monthly) row.push(figure(p.ytd_level, unit), growthCell(p.ytd_yoy, ''));
      row.push(pullWords(p.pull), p.revisions > 1 ? tf('revisedTimes', { n: p.revisions - 1 }) : '');
      return row;
    });
    parts.push({ canvas, s, points, node: el('div', {}, el('h3', {}, `${title}：${indicatorName(r.name)}（${chartUnit(unit) || '—'}）`),
      el('div', { class: 'chart-box' }, canvas),
      el('details', { class: 'series-table' }, el('summary', {}, LANG === 'zh' ? '数据表' : 'Table'),
        table(head, rows, monthly ? [1, 2, 3, 4, 5] : [1, 2, 3]))) });
  }
  box.replaceChildren(...parts.map(p => p.node));
  for (const p of parts) valueYoYChart(p.canvas, p.points, unit, indicatorName(r.name));
}

// Bars of the value (left axis, in its unit) and a line of its YoY (right axis, %).
function valueYoYChart(canvas, points, unit, name) {
  if (!window.Chart) return;
  const datasets = [{ type: 'bar', label: `${name}（${chartUnit(unit)}）`, data: points.map(p => chartFigure(p.value === undefined ? p.level : p.value, unit)),
    backgroundColor: '#7fa7cf', yAxisID: 'y', order: 2 }];
  if (unit !== 'ratio')
    datasets.push({ type: 'line', label: `${t('yoy')}（%）`, data: points.map(p => p.yoy === null || p.yoy === undefined ? null : +(p.yoy * 100).toFixed(2)),
      borderColor: '#d42a2a', backgroundColor: '#d42a2a', pointRadius: 2, borderWidth: 2, yAxisID: 'y1', order: 1, spanGaps: false });
  charts.push(new Chart(canvas, { data: { labels: points.map(p => periodWords(p.period)), datasets },
    options: { maintainAspectRatio: false, animation: false, interaction: { mode: 'index', intersect: false },
      scales: { y: { position: 'left', ticks: { callback: v => fixed(v, 0) } },
        y1: { position: 'right', grid: { drawOnChartArea: false }, ticks: { callback: v => v + '%' } } },
      plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } },
        tooltip: { callbacks: { label: c => c.dataset.yAxisID === 'y1' ? `${t('yoy')}：${growth(c.parsed.y / 100, '')}`
          : `${c.dataset.label}：${fixed(c.parsed.y, 2)}` } } } } }));
}

// --- 行业 Industries ---------------------------------------------------------------------------
async function pageIndustries() {
  document.title = `${t('industries')} · parkwatch`;
  const [month, week] = await Promise.all([api('/api/v1/industries?cadence=monthly&indicator=output_value'),
    api('/api/v1/industries?cadence=weekly&indicator=output_value').catch(() => null)]);
  const weekOf = Object.fromEntries(week ? week.industries.map(i => [i.industry, i]) : []);
  show(el('h1', {}, t('industries'), el('span', { class: 'muted' }, `　${indicatorName('output_value')}`)),
    table([t('industry'), `${periodWords(month.period.period)}`, t('yoy'), `${ytdWords(month.period.period)}${t('ytdValue')}`, t('ytdGrowth'), t('pullOnPark'),
      week ? periodWords(week.period.period) : t('weekly2'), t('yoy')],
    month.industries.map(i => {
      const w = weekOf[i.industry] || {};
      return [industryLink(i.industry), money(i.level), growthCell(i.yoy, ''), money(i.ytd_level), growthCell(i.ytd_yoy, ''),
        pullWords(i.pull), money(w.level), growthCell(w.yoy, '')];
    }), [1, 2, 3, 4, 5, 6, 7]));
}

async function pageIndustry(name) {
  document.title = `${name} · parkwatch`;
  const n = encodeURIComponent(name);
  const params = new URLSearchParams(location.search);
  const indicator = params.get('indicator') || 'output_value';
  const [month, week, alerts, report] = await Promise.all([
    api(`/api/v1/industries/${n}?cadence=monthly&indicator=${indicator}`),
    api(`/api/v1/industries/${n}?cadence=weekly&indicator=${indicator}`).catch(() => null),
    api('/api/v1/alerts?industry=' + n),
    api('/api/v1/reports/monthly/latest?lang=' + LANG).catch(() => null)]);
  // Two years of months and a year of weeks up to the periods above.
  const [monthly, weekly] = await Promise.all([
    api(`/api/v1/series?industry=${n}&indicator=${indicator}&cadence=monthly&from=${monthsBack(month.period.period.slice(0, 7), 24)}&to=${month.period.period}`).catch(() => null),
    week ? api(`/api/v1/series?industry=${n}&indicator=${indicator}&cadence=weekly&from=${weekYearBefore(week.period.period)}&to=${week.period.period}`).catch(() => null) : null]);
  const unit = indicatorUnit(indicator);
  const colour = industryColours(alerts)[name] || 'none';
  // YTD against the annual target: the monthly report's figures where it covers the month.
  const cards = [];
  const monthCard = el('div', { class: 'card colour-' + colour, id: 'industry-month' },
    el('div', { class: 'label' }, `${periodWords(month.period.period)} · ${indicatorName(indicator)}`),
    el('div', { class: 'big' }, figure(month.level, unit)),
    el('div', {}, growthCell(month.yoy, LANG === 'zh' ? '同比' : '')),
    el('div', {}, `${ytdWords(month.period.period)}${t('ytdValue')} ${figure(month.ytd_level, unit)}，`, growthCell(month.ytd_yoy, LANG === 'zh' ? '同比' : '')),
    month.target !== null && month.ytd_yoy !== null ? el('div', { class: 'muted' }, `${t('target')} ${pct(month.target)}，${pointsAgainst(month.ytd_yoy - month.target, LANG === 'zh' ? '目标' : 'target')}`) : null,
    el('div', { class: 'muted' }, `${t('pullOnPark')}：${pullWords(month.pull)}`));
  cards.push(monthCard);
  if (week)
    cards.push(el('div', { class: 'card colour-' + colour, id: 'industry-week' },
      el('div', { class: 'label' }, `${periodWords(week.period.period)} · ${indicatorName(indicator)}`),
      el('div', { class: 'big' }, figure(week.level, unit)),
      el('div', {}, growthCell(week.yoy, LANG === 'zh' ? '同比' : '')),
      el('div', { class: 'muted' }, `${t('pullOnPark')}：${pullWords(week.pull)}`)));
  const section = report && report.sections ? report.sections.map(s => [s, s.industries.find(i => i.name === name)]).filter(([, i]) => i) : [];
  for (const [s, i] of section)
    if (i.growth.target !== null)
      cards.push(el('div', { class: 'card', id: 'industry-target' },
        el('div', { class: 'label' }, `${t('target')} · ${indicatorName(s.indicator)}（${s.comparable_prices ? t('comparable') : t('current')}）`),
        el('div', { class: 'big' }, pct(i.growth.target)),
        el('div', {}, `${periodWords(report.period)}${LANG === 'zh' ? '，' : ', '}${ytdWords(report.period)}`, growthCell(i.growth.ytd, LANG === 'zh' ? '累计' : '')),
        el('div', {}, pointsAgainst(i.growth.ytd === null ? null : i.growth.ytd - i.growth.target, LANG === 'zh' ? '目标' : 'target'))));
  const monthCanvas = el('canvas', { id: 'industry-monthly' }), weekCanvas = el('canvas', { id: 'industry-weekly' });
  // Its enterprises, sortable; the pull on the industry is the Measures' (PullsByEnterprise).
  const sort = el('select', { id: 'member-sort', 'aria-label': t('sortBy') },
    [['pull', t('byPull')], ['level', t('bySize')], ['yoy', t('byYoY')]].map(([v, l]) => el('option', { value: v }, `${t('sortBy')}：${l}`)));
  const members = el('div', { id: 'industry-members' });
  let all = false;
  const drawMembers = () => {
    const key = sort.value;
    const sorted = month.members.slice().sort((a, b) => key === 'pull' ? (a.pull ?? 0) - (b.pull ?? 0)
      : (b[key] ?? -Infinity) - (a[key] ?? -Infinity));
    const rows = all ? sorted : sorted.slice(0, 30);
    const more = rows.length < sorted.length ? el('p', {}, el('button', { type: 'button', class: 'link', id: 'members-all',
      onclick: () => { all = true; drawMembers(); } }, LANG === 'zh' ? `显示全部${sorted.length}家` : `Show all ${sorted.length}`)) : '';
    members.replaceChildren(table([t('name'), periodWords(month.period.period), t('yoy'), t('pullOnIndustry'), t('contribution')],
      rows.map(m => [el('span', { class: 'nowrap' }, enterpriseLink(m.credit_code, m.name), m.key ? ' ' : '', keyMark(m.key)),
        figure(m.level, unit), growthCell(m.yoy, ''),
        el('span', { class: m.pull < 0 ? 'down' : null }, pullWords(m.pull)),
        m.contribution === null ? '—' : `${m.contribution < 0 ? '-' : ''}${pct(m.contribution)}`]), [1, 2, 3, 4]), more);
  };
  sort.addEventListener('input', drawMembers);
  show(el('p', {}, el('a', { href: '/industries' }, `← ${t('industries')}`)),
    el('h1', {}, name, ' ', badge(colour)),
    el('div', { class: 'grid', id: 'industry-cards' }, cards),
    el('h2', {}, `${t('monthlySeries')}：${indicatorName(indicator)}`), el('div', { class: 'chart-box' }, monthCanvas),
    weekly ? el('h2', {}, `${t('weeklySeries')}：${indicatorName(indicator)}`) : '', weekly ? el('div', { class: 'chart-box' }, weekCanvas) : '',
    el('h2', {}, `${t('activeAlerts')}（${alerts.filter(a => a.state === 'firing').length}）`), activeAlertTable(alerts),
    el('h2', {}, `${t('industryMembers')}（${month.members.length}${t('members')}）`, '　', sort),
    el('p', { class: 'muted' }, LANG === 'zh' ? `${periodWords(month.period.period)}，拉动指各企业对本行业${indicatorName(indicator)}同比增速的拉动，合计等于行业增速。`
      : `${periodWords(month.period.period)}; pull: each enterprise's share of the industry's YoY growth, in points; they sum to it.`),
    members);
  drawMembers();
  if (monthly) valueYoYChart(monthCanvas, monthly.points, unit, indicatorName(indicator));
  if (weekly) valueYoYChart(weekCanvas, weekly.points, unit, indicatorName(indicator));
}

// The same ISO week a year before (week 52 where that year has no week 53).
function weekYearBefore(p) {
  const m = /^(\d{4})-W(\d{2})$/.exec(p);
  return m ? `${+m[1] - 1}-W${m[2] === '53' ? '52' : m[2]}` : p;
}

function activeAlertTable(alerts) {
  const firing = alerts.filter(a => a.state === 'firing');
  if (!firing.length) return el('p', { class: 'muted' }, t('noAlerts'));
  return table([t('level'), t('name'), t('rules'), t('figure'), t('period')],
    firing.slice(0, 50).map(a => [badge(a.severity), el('a', { href: '/alerts/' + a.fingerprint, class: 'alert-link' }, subjectName(a)),
      ruleTitle(a.rule), measureValue(a, a.value), periodWords(a.period)]), [3]);
}
