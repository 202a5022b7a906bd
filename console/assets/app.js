// The console: one script draws the page the path names, from the JSON API (/api/v1/...). It
// builds the DOM from text nodes only (no HTML from data), sends the session's CSRF token with
// every write, and on an expired session goes to the login and back, keeping forms' drafts.
'use strict';

let SESSION = { user: null, anonymous_read: true };
const charts = [];

// --- DOM -------------------------------------------------------------------------------------
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}
function main() { return document.getElementById('main'); }
function show(...nodes) {
  while (charts.length) charts.pop().destroy();
  main().replaceChildren(...nodes.filter(n => n !== null && n !== undefined));  // a part not shown to this role is null
}
function message(kind, text) { return el('div', { class: 'msg ' + kind, role: 'status' }, text); }
function badge(sev) { return el('span', { class: 'badge sev-' + (sev || 'none') }, severityWords(sev)); }
// numeric columns are right-aligned; short columns (周监测, 2025年第48周) never wrap.
function table(head, rows, numeric = [], short = []) {
  const cls = i => numeric.includes(i) ? 'num' : (short.includes(i) ? 'nowrap' : null);
  return el('div', { class: 'table-wrap' }, el('table', {},
    el('thead', {}, el('tr', {}, head.map((h, i) => el('th', { class: cls(i) }, h)))),
    el('tbody', {}, rows.map(r => el('tr', {}, r.map((c, i) => el('td', { class: cls(i) }, c)))))));
}
function growthCell(r, prefix = '') {
  return el('span', { class: r === null || r === undefined ? null : (r < 0 ? 'down' : 'up') }, growth(r, prefix));
}

// --- API -------------------------------------------------------------------------------------
class ApiFailure extends Error {
  constructor(status, text) { super(text); this.status = status; }
}

async function api(path, options = {}) {
  const init = { method: options.method || 'GET', headers: {}, credentials: 'same-origin' };
  if (options.file !== undefined) {
    init.headers['Content-Type'] = options.file.type || 'application/octet-stream';
    init.body = options.file;
  } else if (options.body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  if (init.method !== 'GET' && SESSION.csrf) init.headers['X-CSRF-Token'] = SESSION.csrf;
  const response = await fetch(path, init);
  let payload = null;
  try { payload = await response.json(); } catch (e) { payload = null; }
  if (response.status === 401 && !options.noRedirect) {
    goLogin(true);
    throw new ApiFailure(401, t('sessionExpired'));
  }
  if (!response.ok || !payload || payload.status !== 'success') {
    // A refused upload or push says why in Chinese too (error_zh); other answers in English.
    const text = payload && payload.error ? (LANG === 'zh' && payload.error_zh) || payload.error
      : `${response.status} ${response.statusText}`;
    const failure = new ApiFailure(response.status, text);
    failure.data = payload && payload.data;
    throw failure;
  }
  return payload.data;
}

function goLogin(expired) {
  if (location.pathname === '/login') return;
  const next = location.pathname + location.search;
  if (expired) sessionStorage.setItem('parkwatch.expired', '1');
  location.assign('/login?next=' + encodeURIComponent(next));
}

// Drafts of forms survive a trip to the login: every input is kept in sessionStorage by page.
function keepDraft(form, key) {
  const store = 'parkwatch.draft.' + location.pathname + '.' + key;
  const saved = JSON.parse(sessionStorage.getItem(store) || '{}');
  for (const [name, value] of Object.entries(saved)) if (form.elements[name]) form.elements[name].value = value;
  form.addEventListener('input', () => {
    const values = {};
    for (const f of form.elements) if (f.name && f.type !== 'password') values[f.name] = f.value;
    sessionStorage.setItem(store, JSON.stringify(values));
  });
  return () => sessionStorage.removeItem(store);
}

// A time (unix seconds) as the park's clock reads it.
function timeWords(unix) {
  if (!unix) return '—';
  try {
    // 2026-12-01 04:44 in the park's zone, as the alert pages and messages write times.
    const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: SESSION.timezone || 'Asia/Shanghai',
      year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false })
      .formatToParts(new Date(unix * 1000)).map(p => [p.type, p.value]));
    return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
  } catch (e) { return new Date(unix * 1000).toISOString().slice(0, 16).replace('T', ' '); }
}

function canOperate() { return SESSION.role === 'operator' || SESSION.role === 'admin'; }

// --- Frame -----------------------------------------------------------------------------------
const PAGES = [['/', 'overview'], ['/alerts', 'alerts'], ['/enterprises', 'enterprises'], ['/industries', 'industries'],
  ['/rules', 'rules'], ['/history', 'history'], ['/data', 'data']];

function frame() {
  document.documentElement.lang = LANG === 'zh' ? 'zh-CN' : 'en';
  document.getElementById('park-name').textContent = SESSION.park || 'parkwatch';
  const here = location.pathname;
  const pages = SESSION.role === 'admin' ? [...PAGES, ['/users', 'users']] : PAGES;
  document.getElementById('nav').replaceChildren(...pages.map(([path, key]) => el('a', {
    href: path, class: (path === '/' ? here === '/' : here.startsWith(path)) ? 'here' : null }, t(key))));
  const who = document.getElementById('who');
  const logout = document.getElementById('logout');
  if (SESSION.user) {
    who.textContent = `${SESSION.user}（${t('role_' + SESSION.role)}）`;
    logout.hidden = false;
    logout.textContent = t('signout');
  } else {
    who.replaceChildren(el('a', { href: '/login?next=' + encodeURIComponent(here) }, t('signin')));
    logout.hidden = true;
  }
  const lang = document.getElementById('lang');
  lang.textContent = t('switchLang');
}

async function start() {
  document.getElementById('lang').addEventListener('click', () => {
    setLang(LANG === 'zh' ? 'en' : 'zh');
    route();
  });
  document.getElementById('logout').addEventListener('click', async () => {
    await api('/-/logout', { method: 'POST', noRedirect: true }).catch(() => null);
    location.assign('/login');
  });
  try {
    SESSION = await api('/api/v1/session', { noRedirect: true });
  } catch (e) { /* the page says what failed */ }
  if (SESSION.user || SESSION.anonymous_read) {
    try {
      for (const r of (await api('/api/v1/tuning', { noRedirect: true })).rules)
        RULE_TITLES[r.name] = { zh: r.title_zh, en: r.title };
    } catch (e) { /* titles fall back to the rules' names */ }
  }
  await route();
  // Loaded: every API call of the page answered, its DOM and charts built and one frame painted
  // (the next task after the frame's callback). bench/console.py reads this mark's time.
  requestAnimationFrame(() => setTimeout(() => performance.mark('parkwatch-loaded')));
}

async function route() {
  frame();
  const path = location.pathname;
  document.title = 'parkwatch';
  if (path !== '/login' && !SESSION.user && !SESSION.anonymous_read) return goLogin(false);
  try {
    if (path === '/login') return pageLogin();
    if (path === '/') return await pageOverview();
    if (path === '/alerts') return await pageAlerts();
    if (path.startsWith('/alerts/')) return await pageAlert(decodeURIComponent(path.slice(8)));
    if (path === '/rules') return await pageRules();
    if (path === '/history') return await pageHistory();
    if (path === '/data') return await pageData();
    if (path === '/enterprises') return await pageEnterprises();
    if (path.startsWith('/enterprises/')) return await pageEnterprise(decodeURIComponent(path.slice(13)));
    if (path === '/industries') return await pageIndustries();
    if (path.startsWith('/industries/')) return await pageIndustry(decodeURIComponent(path.slice(12)));
    if (path === '/users') return await pageUsers();
    show(message('error', path));
  } catch (e) {
    if (e.status !== 401) show(message('error', `${t('loadFailed')}: ${e.message}`));
  }
}

// --- 登录 Login -------------------------------------------------------------------------------
function pageLogin() {
  document.title = `${t('signin')} · parkwatch`;
  const params = new URLSearchParams(location.search);
  const next = params.get('next') && params.get('next').startsWith('/') ? params.get('next') : '/';
  const status = el('div');
  if (sessionStorage.getItem('parkwatch.expired')) {
    status.append(message('error', t('sessionExpired')));
    sessionStorage.removeItem('parkwatch.expired');
  }
  const form = el('form', { class: 'stack', id: 'login-form' },
    el('label', {}, t('user'), el('input', { name: 'user', autocomplete: 'username', required: true, autofocus: true })),
    el('label', {}, t('password'), el('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true })),
    el('button', { class: 'primary', type: 'submit' }, t('signin')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await api('/-/login', { method: 'POST', noRedirect: true,
        body: { user: form.elements.user.value, password: form.elements.password.value } });
      location.assign(next);
    } catch (e) {
      status.replaceChildren(message('error', e.status === 401 ? t('wrongPassword') : e.message));
    }
  });
  show(el('div', { class: 'login card' }, el('h1', {}, t('signin')), status, form));
}

// --- 总览 Overview ----------------------------------------------------------------------------
async function pageOverview() {
  document.title = `${t('overview')} · parkwatch`;
  const [report, alerts, week] = await Promise.all([
    api('/api/v1/reports/monthly/latest?lang=' + LANG).catch(e => ({ failed: e })),
    api('/api/v1/alerts'),
    api('/api/v1/industries?cadence=weekly&indicator=output_value').catch(() => null)]);
  const nodes = [el('h1', {}, t('overview'))];
  nodes.push(alertCounts(alerts));
  if (report.failed) {
    nodes.push(message('error', t('reportMissing') + report.failed.message));
    return show(...nodes);
  }
  nodes[0].append(el('span', { class: 'muted' }, `　${t('latestMonth')}：${periodWords(report.period)}`));
  nodes.push(el('h2', {}, t('headline')), el('p', { class: 'headline', id: 'headline' }, report.headline));
  // Park cards: each indicator's month and year to date, against the target.
  const colours = industryColours(alerts, 'monthly');
  const cards = [];
  for (const s of report.sections) {
    const p = s.park;
    const ytdGap = p.ytd !== null && p.target !== null ? p.ytd - p.target : null;
    const colour = colours.park || 'none';
    cards.push(el('div', { class: 'card colour-' + colour },
      el('div', { class: 'label' }, `${t('park')} · ${indicatorName(s.indicator)}（${s.comparable_prices ? t('comparable') : t('current')}）`),
      el('div', { class: 'big' }, money(p.level)),
      el('div', {}, `${periodWords(report.period)} `, growthCell(p.yoy, LANG === 'zh' ? '同比' : '')),
      el('div', {}, `${ytdWords(report.period)}${t('ytdValue')} ${money(p.ytd_level)}，`, growthCell(p.ytd, LANG === 'zh' ? '同比' : '')),
      p.target !== null ? el('div', { class: 'muted' }, `${t('target')} ${pct(p.target)}，${pointsAgainst(ytdGap, LANG === 'zh' ? '目标' : 'target')}`) : null));
  }
  nodes.push(el('div', { class: 'grid', id: 'park-cards' }, cards));
  // Industries of the headline indicator.
  const va = report.sections[0];
  nodes.push(el('h2', {}, `${t('industry')} · ${indicatorName(va.indicator)}`));
  nodes.push(table([t('industry'), t('monthValue'), t('yoy'), `${ytdWords(report.period)}${t('ytdValue')}`, t('ytdGrowth'), t('vsTarget'), t('warningColour'), t('enterpriseAlerts')],
    va.industries.map(i => [industryLink(i.name), money(i.growth.level), growthCell(i.growth.yoy), money(i.growth.ytd_level),
      growthCell(i.growth.ytd), i.growth.target !== null && i.growth.ytd !== null ? pointsAgainst(i.growth.ytd - i.growth.target, LANG === 'zh' ? '目标' : 'target') : '—',
      badge(colours[i.name] || 'none'), enterpriseAlerts(alerts, i.name, 'monthly')]), [1, 2, 3, 4], [5]));
  // The latest complete week: the park and each industry's output value (the weekly figures).
  if (week) nodes.push(...weekSection(week, industryColours(alerts, 'weekly'), alerts));
  // 24 months of value added growth: the park and each industry.
  nodes.push(el('h2', {}, t('trend24')));
  const canvas = el('canvas', { id: 'trend', 'aria-label': t('trend24') });
  nodes.push(el('div', { class: 'chart-box' }, canvas));
  // Who has not reported.
  nodes.push(el('h2', {}, `${t('notReported')}（${report.missing.length}${t('members')}）`));
  nodes.push(report.missing.length ? table([t('enterprise'), t('industry'), t('keyEnterprise'), t('lastReported')],
    report.missing.map(m => [m.name, m.industry, m.key ? '★' : '', m.last_reported ? periodWords(m.last_reported) : t('never')]))
    : el('p', { class: 'muted' }, t('none')));
  show(...nodes);
  trendChart(canvas, report, va);
}

function weekSection(week, colours, alerts) {
  const p = week.park;
  return [el('h2', {}, `${t('latestWeek')}：${periodWords(week.period.period)}（${week.period.days}）`),
    el('div', { class: 'grid', id: 'week-cards' }, el('div', { class: 'card colour-' + (colours.park || 'none') },
      el('div', { class: 'label' }, `${t('park')} · ${indicatorName(week.indicator)} · ${periodWords(week.period.period)}`),
      el('div', { class: 'big' }, money(p.level)),
      el('div', {}, growthCell(p.yoy, LANG === 'zh' ? '同比' : '')),
      el('div', { class: 'muted' }, `${t('enterprisesReported')} ${p.enterprises}${t('members')}`))),
    el('div', { id: 'week-industries' }, table([t('industry'), t('weekValue'), t('yoy'), t('pullOnPark'), t('warningColour'), t('enterpriseAlerts')],
      week.industries.map(i => [industryLink(i.industry), money(i.level), growthCell(i.yoy, ''), pullWords(i.pull),
        badge(colours[i.industry] || 'none'), enterpriseAlerts(alerts, i.industry, 'weekly')]), [1, 2, 3]))];
}

// The warning colour of the park and of each industry: the highest level of their own firing
// alerts of the cadence (an enterprise's alerts are its own, listed under 预警).
function industryColours(alerts, cadence) {
  const order = ['none', 'blue', 'yellow', 'orange', 'red'];
  const out = {};
  for (const a of alerts) {
    if (a.state !== 'firing' || (a.labels.scope !== 'park' && a.labels.scope !== 'industry')) continue;
    if (cadence && /-W\d/.test(a.period || '') !== (cadence === 'weekly')) continue;
    const key = a.labels.scope === 'park' ? 'park' : a.labels.industry;
    if (key && order.indexOf(a.severity) > order.indexOf(out[key] || 'none')) out[key] = a.severity;
  }
  return out;
}

// An industry's own colour says how the industry does as a whole; its enterprises can be red while
// it is 正常. This cell says how many of its enterprises are alerting (of the cadence), each counted
// once at its highest colour, and links to them: 红2 橙1.
function enterpriseAlerts(alerts, industry, cadence) {
  const order = ['none', 'blue', 'yellow', 'orange', 'red'];
  const highest = {};
  for (const a of alerts) {
    if (a.state !== 'firing' || !a.labels.enterprise || a.labels.industry !== industry) continue;
    if (/-W\d/.test(a.period || '') !== (cadence === 'weekly')) continue;
    const e = a.labels.enterprise;
    if (order.indexOf(a.severity) > order.indexOf(highest[e] || 'none')) highest[e] = a.severity;
  }
  const counts = {};
  for (const sev of Object.values(highest)) counts[sev] = (counts[sev] || 0) + 1;
  const shown = ['red', 'orange', 'yellow', 'blue'].filter(s => counts[s]);
  if (!shown.length) return el('span', { class: 'muted' }, t('none'));
  return el('a', { class: 'enterprise-alerts', href: '/alerts?industry=' + encodeURIComponent(industry) },
    shown.map(s => el('span', { class: 'thr' }, el('span', { class: 'dot sev-' + s }), `${t(s)}${counts[s]}${t('members')}　`)));
}

function alertCounts(alerts) {
  const counts = { red: 0, orange: 0, yellow: 0, blue: 0 };
  for (const a of alerts) if (a.state === 'firing' && a.severity in counts) counts[a.severity]++;
  return el('div', {}, el('h2', {}, t('activeAlerts')), el('div', { class: 'counts', id: 'alert-counts' },
    Object.entries(counts).map(([sev, n]) => el('a', { class: 'count', href: '/alerts?severity=' + sev },
      el('span', { class: 'dot sev-' + sev }), el('span', {}, severityWords(sev)), el('b', {}, n)))));
}

function trendChart(canvas, report, section) {
  if (!window.Chart || !report.history) return;
  const palette = ['#12385f', '#d42a2a', '#ec7a08', '#2e8b57', '#7b4fb3', '#1f6fd1', '#8c6d1f'];
  const labels = report.history.map(h => periodWords(h.period));
  const names = [t('park'), ...section.industries.map(i => i.name)];
  const datasets = [];
  names.forEach((name, i) => {
    datasets.push({ label: `${name} ${t('cumGrowth')}`, data: report.history.map(h => h.ytd[i] === null ? null : +(h.ytd[i] * 100).toFixed(2)),
      borderColor: palette[i % palette.length], backgroundColor: palette[i % palette.length], borderWidth: i === 0 ? 3 : 1.5, pointRadius: 0, spanGaps: false });
  });
  charts.push(new Chart(canvas, { type: 'line', data: { labels, datasets },
    options: { maintainAspectRatio: false, animation: false, interaction: { mode: 'index', intersect: false },
      scales: { y: { ticks: { callback: v => v + '%' } } },
      plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } },
        tooltip: { callbacks: { label: c => `${c.dataset.label}：${c.parsed.y === null ? '—' : growth(c.parsed.y / 100, '')}` } } } } }));
}

// --- 预警 Alerts -----------------------------------------------------------------------------
function subjectName(a) {
  const l = a.labels || {};
  if (l.scope === 'park') return t('park');
  if (l.enterprise_name) return l.enterprise_name;
  if (l.scope === 'industry') return l.industry;
  return l.enterprise || l.set || '—';
}

async function pageAlerts() {
  document.title = `${t('alerts')} · parkwatch`;
  const params = new URLSearchParams(location.search);
  const all = await api('/api/v1/alerts');
  const industries = [...new Set(all.map(a => a.labels.industry).filter(Boolean))].sort();
  const rules = [...new Set(all.map(a => a.rule))].sort();
  const form = el('form', { class: 'filters', id: 'alert-filters' },
    el('select', { name: 'industry', 'aria-label': t('industry') }, el('option', { value: '' }, `${t('industry')}：${t('all')}`),
      industries.map(i => el('option', { value: i, selected: params.get('industry') === i }, i))),
    el('select', { name: 'severity', 'aria-label': t('level') }, el('option', { value: '' }, `${t('level')}：${t('all')}`),
      ['red', 'orange', 'yellow', 'blue'].map(s => el('option', { value: s, selected: params.get('severity') === s }, `≥ ${severityWords(s)}`))),
    el('select', { name: 'rule', 'aria-label': t('rules') }, el('option', { value: '' }, `${t('rules')}：${t('all')}`),
      rules.map(r => el('option', { value: r, selected: params.get('rule') === r }, ruleTitle(r)))),
    el('input', { name: 'q', type: 'search', placeholder: t('search'), value: params.get('q') || '' }));
  const body = el('div');
  const order = ['none', 'blue', 'yellow', 'orange', 'red'];
  const draw = () => {
    const f = form.elements;
    const q = f.q.value.trim();
    const shown = all.filter(a => (!f.industry.value || a.labels.industry === f.industry.value) &&
      (!f.severity.value || order.indexOf(a.severity) >= order.indexOf(f.severity.value)) &&
      (!f.rule.value || a.rule === f.rule.value) &&
      (!q || subjectName(a).includes(q) || (a.labels.enterprise || '').includes(q)));
    const query = new URLSearchParams();
    for (const name of ['industry', 'severity', 'rule', 'q']) if (f[name].value) query.set(name, f[name].value);
    history.replaceState(null, '', '/alerts' + (query.toString() ? '?' + query : ''));
    body.replaceChildren(shown.length ? table(
      [t('level'), t('name'), t('industry'), t('rules'), t('figure'), t('threshold'), t('period'), t('state')],
      shown.map(a => [badge(a.severity), el('a', { href: '/alerts/' + a.fingerprint, class: 'alert-link' }, subjectName(a)),
        industryLink(a.labels.industry), ruleTitle(a.rule), measureValue(a, a.value),
        a.threshold === null || a.threshold === undefined ? '—' : thresholdWords(a, a.direction, a.threshold),
        periodWords(a.period), t(a.state)]), [4, 5]) : el('p', { class: 'muted' }, t('noAlerts')));
  };
  form.addEventListener('input', draw);
  form.addEventListener('submit', e => e.preventDefault());
  show(el('h1', {}, `${t('alerts')}（${all.length}）`), form, body);
  draw();
}

// The alert page: where every message's link lands.
async function pageAlert(fingerprint) {
  const a = await api('/api/v1/alerts/' + encodeURIComponent(fingerprint));
  const name = subjectName(a);
  document.title = `${name} · ${ruleTitle(a.rule)} · parkwatch`;
  const summary = (LANG === 'zh' ? a.annotations.summary_zh : a.annotations.summary) || a.annotations.summary || '';
  const th = a.thresholds;
  const nodes = [el('p', {}, el('a', { href: '/alerts' }, `← ${t('alerts')}`)),
    el('h1', {}, badge(a.severity), ' ', name, ' · ', ruleTitle(a.rule)),
    el('p', { class: 'headline', id: 'summary' }, summary)];
  // Why it fires.
  const levels = th ? ['blue', 'yellow', 'orange', 'red'].filter(s => th.levels[s] !== undefined) : [];
  const why = el('dl', { class: 'facts', id: 'why' },
    el('dt', {}, t('enterprise') + ' / ' + t('industry')), el('dd', { id: 'alert-subject' },
      a.labels.enterprise ? [enterpriseLink(a.labels.enterprise, a.labels.enterprise_name), a.labels.industry ? ' · ' : ''] : '',
      a.labels.industry ? industryLink(a.labels.industry) : (a.labels.enterprise ? '' : name)),
    el('dt', {}, t('measure')), el('dd', { id: 'measure' }, alertMeasureWords(a)),
    el('dt', {}, t('currentValue')), el('dd', { id: 'value' }, measureValue(a, a.value), targetWords(a)),
    ...figureFacts(a),
    el('dt', {}, t('threshold')), el('dd', {}, levels.map(s => el('span', { class: 'thr' + (th.crossed === s ? ' crossed' : '') },
      el('span', { class: 'dot sev-' + s }), ` ${t(s)} ${thresholdWords(a, th.direction, th.levels[s])}${th.crossed === s ? '（' + t('crossed') + '）' : ''}　`)),
      th && th.clear !== null ? el('span', { class: 'muted' }, `${t('clearAt')} ${measureValue(a, th.clear)}`) : null,
      conditionWords(th)),
    el('dt', {}, t('period')), el('dd', { id: 'alert-period' }, alertPeriodWords(a)),
    el('dt', {}, t('since')), el('dd', {}, a.active_since ? periodWords(a.active_since.period) : '—'),
    el('dt', {}, t('state')), el('dd', {}, t(a.state), a.acknowledgements.length ? `，${t('acknowledged')}` : '', a.silences.length ? `，${t('silenced')}` : ''));
  nodes.push(el('div', { class: 'two' }, el('div', { class: 'card' }, el('h2', {}, t('why')), why),
    el('div', { class: 'card', id: 'actions' }, actionForms(a))));
  // The measure against its thresholds, and the figures behind it.
  const canvas = el('canvas', { id: 'alert-chart' });
  nodes.push(el('h2', {}, `${t('seriesChart')}：${alertMeasureWords(a)}`), el('div', { class: 'chart-box' }, canvas));
  let raw = null;
  if (a.series && a.series.length) {
    raw = el('canvas', { id: 'series-chart' });
    nodes.push(el('h2', {}, `${t('rawSeries')}：${indicatorName((/\((\w+)/.exec(a.measure || '') || [])[1])}`), el('div', { class: 'chart-box' }, raw));
  }
  nodes.push(el('h2', {}, t('eventHistory')), table([t('at'), t('period'), t('state'), t('level'), t('figure')],
    a.history.map(h => [h.at ? h.at.local.replace('T', ' ').slice(0, 16) : '', h.period ? periodWords(h.period.period) : '',
      t(h.kind), badge(h.severity), measureValue(a, h.value)]), [4]));
  if (a.acknowledgements.length)
    nodes.push(el('h2', {}, t('acknowledgements')), table([t('at'), t('author'), t('note')],
      a.acknowledgements.map(k => [k.at.local.replace('T', ' ').slice(0, 16), k.author, k.note]), []));
  if (a.silences.length)
    nodes.push(el('h2', {}, t('silences')), table([t('author'), t('comment'), t('matchers'), t('endsAt')],
      a.silences.map(s => [s.author, s.comment, s.matchers.join(', '), s.ends_at ? s.ends_at.local.replace('T', ' ').slice(0, 16) : '']), []));
  show(...nodes);
  alertChart(canvas, a, levels);
  if (raw) seriesChart(raw, a);
}

// What the rule measures, as the server says it (rules/measure_words): a rule against a target
// measures the gap to it, which the short client-side name would miss.
function alertMeasureWords(a) {
  return (LANG === 'zh' ? a.measure_words : a.measure_words_en) || measureWords(a.measure);
}

// The amounts behind the value (rules/outcome.cc AddFigures): an enterprise's figure of the
// period, an industry's or the park's total (months to date for a cumulative measure, at current
// prices: growth may be at comparable ones), each beside the same period a year before.
function figureFacts(a) {
  const n = a.annotations;
  if (n.figure === undefined && n.figure_year_ago === undefined) return [];
  const unit = { money: 'yuan', energy: 'kWh' }[n.dimension] || '';
  const amount = v => v === undefined ? (LANG === 'zh' ? '未报' : 'not reported') : figure(Number(v), unit);
  const span = n.figure_span === 'ytd' && a.period ? `${ytdWords(a.period.period)}${LANG === 'zh' ? '累计' : ''}`
    : (LANG === 'zh' ? '本期' : 'this period');
  const current = n.prices === 'comparable' && n.figure !== undefined ? (LANG === 'zh' ? '（现价）' : ' (current prices)') : '';
  return [el('dt', {}, t('figure')), el('dd', { id: 'figures' },
    `${span} ${amount(n.figure)}${current}${LANG === 'zh' ? '，上年同期 ' : ', a year before '}${amount(n.figure_year_ago)}`)];
}

// A gap to a target with what it is the gap between: （累计增长2.3%，目标9.0%）.
function targetWords(a) {
  const measured = Number(a.annotations.measured), target = Number(a.annotations.target);
  if (a.annotations.target === undefined || a.annotations.measured === undefined ||
      !Number.isFinite(measured) || !Number.isFinite(target)) return '';
  const ytd = /^ytd_/.test(a.measure || '');
  return LANG === 'zh' ? `（${growth(measured, ytd ? '累计' : '')}，目标${pct(target)}）`
    : ` (${ytd ? 'year to date ' : ''}${growth(measured)}, target ${pct(target)})`;
}

// The period the value covers: a year-to-date measure covers 1—10月, not 10月 alone.
function alertPeriodWords(a) {
  if (!a.period) return '—';
  const p = a.period.period;
  if (/^ytd_/.test(a.measure || '') && ytdWords(p))
    return LANG === 'zh' ? `${p.slice(0, 4)}年${ytdWords(p)}` : `${ytdWords(p)} ${p.slice(0, 4)}`;
  return `${periodWords(p)}（${a.period.days}）`;
}

function actionForms(a) {
  if (!canOperate()) return [el('h2', {}, t('acknowledge')), el('p', { class: 'muted' }, t('signInToAct'))];
  const status = el('div');
  const ack = el('form', { class: 'stack', id: 'ack-form' },
    el('label', {}, t('note'), el('textarea', { name: 'note', rows: 2 })),
    el('button', { class: 'primary', type: 'submit' }, t('acknowledge')));
  const clearAck = keepDraft(ack, 'ack');
  ack.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await api(`/api/v1/alerts/${a.fingerprint}/acknowledge`, { method: 'POST', body: { note: ack.elements.note.value } });
      clearAck();
      await route();
    } catch (err) { status.replaceChildren(message('error', err.message)); }
  });
  const matchers = [`alertname="${a.rule}"`];
  if (a.labels.enterprise) matchers.push(`enterprise="${a.labels.enterprise}"`);
  else if (a.labels.industry) matchers.push(`industry="${a.labels.industry}"`);
  const silence = el('form', { class: 'stack', id: 'silence-form' },
    el('label', {}, t('duration'), el('select', { name: 'duration' },
      [['24h', `24${t('hours')}`], ['72h', `3${t('days')}`], ['168h', `7${t('days')}`], ['720h', `30${t('days')}`]].map(([v, l]) => el('option', { value: v }, l)))),
    el('label', {}, t('comment'), el('input', { name: 'comment', required: true })),
    el('div', { class: 'muted', title: matchers.join(', ') }, `${LANG === 'zh' ? '静默范围' : 'Silences'}：${ruleTitle(a.rule)} · ${a.labels.enterprise_name || a.labels.industry || t('park')}`),
    el('button', { class: 'primary', type: 'submit' }, t('silence')));
  const clearSilence = keepDraft(silence, 'silence');
  silence.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await api('/api/v1/silences', { method: 'POST', body: { matchers, duration: silence.elements.duration.value, comment: silence.elements.comment.value } });
      clearSilence();
      await route();
    } catch (err) { status.replaceChildren(message('error', err.message)); }
  });
  return [status, el('h2', {}, t('acknowledge')), ack, el('h2', {}, t('silence')), silence];
}

const SEV_COLOURS = { blue: '#1f6fd1', yellow: '#d9a400', orange: '#ec7a08', red: '#d42a2a' };

function chartValue(measure, v) {
  const kind = measureKind(measure);
  if (v === null || v === undefined) return null;
  if (kind === 'ratio' || kind === 'points' || kind === 'growth') return +(v * 100).toFixed(3);
  if (kind === 'money') return +(v / 1e4).toFixed(2);
  return v;
}

function alertChart(canvas, a, levels) {
  if (!window.Chart) return;
  const obs = a.observations || [];
  const labels = obs.map(o => periodWords(o.period));
  const datasets = [{ label: alertMeasureWords(a), data: obs.map(o => chartValue(a, o.value)),
    borderColor: '#12385f', backgroundColor: obs.map(o => SEV_COLOURS[o.breach] || '#12385f'), pointRadius: 3, borderWidth: 2 }];
  for (const s of levels)
    datasets.push({ label: `${t(s)} ${t('threshold')}`, data: obs.map(() => chartValue(a, a.thresholds.levels[s])),
      borderColor: SEV_COLOURS[s], borderDash: [6, 4], borderWidth: 1.5, pointRadius: 0 });
  // Rates read as percentages; a gap between rates is in percentage points, named on the axis
  // (a tick of "-6%" would read as a growth of -6%).
  const kind = measureKind(a);
  const unit = ['ratio', 'growth'].includes(kind) ? '%' : '';
  const axisTitle = kind === 'points' ? { display: true, text: t('points').trim() }
    : kind === 'money' ? { display: true, text: LANG === 'zh' ? '万元' : '10k yuan' } : { display: false };
  charts.push(new Chart(canvas, { type: 'line', data: { labels, datasets },
    options: { maintainAspectRatio: false, animation: false, interaction: { mode: 'index', intersect: false },
      scales: { y: { title: axisTitle, ticks: { callback: v => v + unit } } },
      plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } } } }));
}

function seriesChart(canvas, a) {
  if (!window.Chart) return;
  const money = /output_value|value_added|revenue|profit|tax|orders/.test(a.measure || '');
  charts.push(new Chart(canvas, { type: 'bar', data: { labels: a.series.map(p => periodWords(p.period)),
    datasets: [{ label: indicatorName((/\((\w+)/.exec(a.measure || '') || [])[1]) + (money ? (LANG === 'zh' ? '（万元）' : ' (10k yuan)') : ''),
      data: a.series.map(p => money ? +(p.value / 1e4).toFixed(2) : p.value), backgroundColor: '#7fa7cf' }] },
    options: { maintainAspectRatio: false, animation: false, plugins: { legend: { position: 'bottom' } } } }));
}

// --- 规则与阈值 Rules, and tuning ---------------------------------------------------------------
// A level as people type it: percentages for rates and points, plain numbers otherwise.
function toInput(measure, v) {
  if (v === null || v === undefined) return '';
  const k = measureKind(measure);
  return ['ratio', 'points', 'growth'].includes(k) ? String(+(v * 100).toFixed(4)) : String(v);
}
function fromInput(measure, text) {
  const k = measureKind(measure);
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const n = Number(trimmed);
  if (!Number.isFinite(n)) return trimmed;  // sent as typed: refused with check-config's message
  return ['ratio', 'points', 'growth'].includes(k) ? +(n / 100).toFixed(8) : n;
}
function levelChips(measure, th) {
  return ['blue', 'yellow', 'orange', 'red'].filter(s => th.levels[s] !== undefined).map(s =>
    el('span', { class: 'thr' }, el('span', { class: 'dot sev-' + s }), ` ${thresholdWords(measure, th.direction, th.levels[s])}　`));
}
// What a breach needs beside its lines, as the server words it (fall(): N usual swings below the
// enterprise's own course); null for rules whose lines say it all.
function conditionWords(x) {
  const words = x && (LANG === 'zh' ? x.condition_zh : x.condition);
  return words ? el('div', { class: 'condition muted' }, words) : null;
}
function monthsBack(latest, n) {
  const [y, m] = latest.split('-').map(Number);
  const d = new Date(y, m - 1 - n, 1);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}
function episodeWords(e) {
  if (!e) return '—';
  const span = e.from === e.to ? periodWords(e.from) : `${periodWords(e.from)}—${periodWords(e.to)}`;
  return `${span}，${e.periods}${LANG === 'zh' ? '期' : ' periods'}，${severityWords(e.highest)}`;
}
function scopeWords(c) {
  const l = c.labels || {};
  if (l.scope === 'park') return t('park');
  if (l.scope === 'industry') return l.industry;
  const m = /^enterprise (\S+) (.+)$/.exec(c.scope || '');
  return m ? m[2] : (c.scope || l.enterprise || '—');
}

async function pageRules() {
  document.title = `${t('rules')} · parkwatch`;
  const [tuning, statuses, session] = await Promise.all([api('/api/v1/tuning'), api('/api/v1/rules'), Promise.resolve(SESSION)]);
  const status = Object.fromEntries(statuses.map(r => [r.name, r]));
  const names = await enterpriseNames([...new Set(tuning.rules.flatMap(r => r.overrides.map(o => o.enterprise).filter(Boolean)))]);
  const rows = tuning.rules.map(r => {
    const s = status[r.name] || {};
    return [el('span', { title: r.name }, ruleTitle(r.name)), t(r.cadence),
      measureWords(r.measure) + (r.target ? (LANG === 'zh' ? '与目标之差' : ' less the target') : ''),
      el('div', {}, el('span', { class: 'rule-levels', 'data-rule': r.name }, levelChips(r, r.thresholds)), conditionWords(r)),
      el('div', {}, r.overrides.map(o => el('div', { class: 'muted' }, `${o.industry || names[o.enterprise] || o.enterprise}：`, levelChips(r, o.thresholds)))),
      periodWords(lastPeriod(s)), noDataWords(s.last_evaluation),
      canOperate() ? el('button', { type: 'button', class: 'tune', onclick: () => openTuning(r.name) }, LANG === 'zh' ? '调整' : 'Tune') : ''];
  });
  const panel = el('div', { id: 'tuning' });
  show(el('h1', {}, t('rules')), panel,
    table([t('rules'), t('cadence'), t('measure'), t('threshold'), LANG === 'zh' ? '行业/企业阈值' : 'Overrides', t('period'), t('noData'), ''], rows, [6], [1, 5]));
  const latest = statuses.map(lastPeriod).filter(p => /^\d{4}-\d{2}$/.test(p || '')).sort().pop() || new Date().toISOString().slice(0, 7);
  const wanted = new URLSearchParams(location.search).get('tune');
  function openTuning(name) { tuningPanel(panel, tuning, name, latest); panel.scrollIntoView(); }
  if (wanted && canOperate()) openTuning(wanted);
  window.openTuning = openTuning;  // for the browser test and keyboard users of the table
}

// The period a rule last evaluated ("2025-06", "2025-W19"), from GET /api/v1/rules.
function lastPeriod(status) {
  const e = status && status.last_evaluation;
  return e && e.period ? e.period.period : null;
}
// How many members had no data at the period the rule last evaluated (the column beside says
// which); opened, who they are and why (the reason in the console's language: GET /api/v1/rules
// gives reason_zh beside reason). An evaluation of many periods (a start, a late file) counts
// the members of every period in no_data_count: not what the period's column means.
function noDataWords(e) {
  if (!e || e.no_data_count === undefined) return '—';
  const count = e.no_data_at_period ?? e.no_data_count;
  if (!count) return '0';
  const listed = e.no_data || [];
  const items = listed.slice(0, 10).map(x => {
    const who = x.name || x.industry || x.enterprise || (LANG === 'zh' ? '园区' : 'the park');
    const reason = LANG === 'zh' ? x.reason_zh || x.reason : x.reason;
    return el('li', {}, reason.includes(who) ? reason : `${who}：${reason}`);
  });
  if (count > items.length)
    items.push(el('li', { class: 'muted' }, LANG === 'zh' ? `……共${fixed(count, 0)}家` : `… ${fixed(count, 0)} in all`));
  return el('details', { class: 'no-data' }, el('summary', {}, `${fixed(count, 0)}${t('members')}`), el('ul', {}, items));
}

function tuningPanel(panel, tuning, name, latest) {
  const rule = tuning.rules.find(r => r.name === name);
  const industries = SESSION.industries && SESSION.industries.length ? SESSION.industries : [...new Set(rule.overrides.map(o => o.industry).filter(Boolean))];
  const form = el('form', { class: 'card', id: 'tune-form' },
    el('h2', {}, `${LANG === 'zh' ? '调整阈值' : 'Tune'}：${ruleTitle(name)}（${measureWords(rule.measure)}）`),
    el('div', { class: 'filters' },
      el('select', { name: 'scope' }, el('option', { value: 'rule' }, LANG === 'zh' ? '规则本身' : 'the rule'),
        el('option', { value: 'industry' }, t('industry')), el('option', { value: 'enterprise' }, t('enterprise'))),
      el('select', { name: 'industry', hidden: true }, industries.map(i => el('option', { value: i }, i))),
      el('input', { name: 'enterprise', placeholder: LANG === 'zh' ? '统一社会信用代码' : 'credit code', hidden: true })),
    el('div', { class: 'filters' }, ['blue', 'yellow', 'orange', 'red'].map(s => el('label', { class: 'thr' },
      el('span', { class: 'dot sev-' + s }), ` ${t(s)} ${rule.thresholds.direction === 'below' ? '≤' : '≥'} `,
      el('input', { name: s, size: 7, inputmode: 'decimal' }), ['ratio', 'points', 'growth'].includes(measureKind(rule)) ? (measureKind(rule) === 'points' ? t('points') : '%') : ''))),
    conditionWords(rule),
    el('div', { class: 'filters' }, el('label', {}, `${LANG === 'zh' ? '回测区间' : 'Range'} `,
      el('input', { name: 'from', type: 'month', value: monthsBack(latest, 23) }), ' — ',
      el('input', { name: 'to', type: 'month', value: latest }))),
    el('div', { id: 'preview' }),
    el('div', { class: 'filters' }, el('input', { name: 'comment', size: 40, placeholder: LANG === 'zh' ? '调整原因（必填）' : 'Why (required)' }),
      el('button', { class: 'primary', type: 'submit', id: 'apply' }, LANG === 'zh' ? '应用并重新加载' : 'Apply and reload')),
    el('div', { id: 'tune-status' }));
  const f = form.elements;
  const fill = () => {
    let th = rule.thresholds;
    const o = rule.overrides.find(o => (f.scope.value === 'industry' && o.industry === f.industry.value) ||
      (f.scope.value === 'enterprise' && o.enterprise === f.enterprise.value.trim()));
    if (o) th = o.thresholds;
    for (const s of ['blue', 'yellow', 'orange', 'red']) f[s].value = toInput(rule, th.levels[s]);
  };
  const change = () => {
    const body = { rule: name, levels: {} };
    if (f.scope.value === 'industry') body.industry = f.industry.value;
    if (f.scope.value === 'enterprise') body.enterprise = f.enterprise.value.trim();
    for (const s of ['blue', 'yellow', 'orange', 'red']) {
      const v = fromInput(rule, f[s].value);
      if (v !== undefined) body.levels[s] = v;
    }
    return body;
  };
  let timer = null, seq = 0;
  const preview = async () => {
    const mine = ++seq;
    const box = form.querySelector('#preview');
    try {
      const d = await api('/api/v1/tuning/preview', { method: 'POST', body: { ...change(), from: f.from.value, to: f.to.value } });
      if (mine !== seq) return;
      showPreview(box, d);
    } catch (e) {
      if (mine === seq) box.replaceChildren(message('error', e.message));
    }
  };
  form.addEventListener('input', (e) => {
    if (e.target.name === 'scope') {
      f.industry.hidden = f.scope.value !== 'industry';
      f.enterprise.hidden = f.scope.value !== 'enterprise';
    }
    if (['scope', 'industry', 'enterprise'].includes(e.target.name)) fill();
    if (e.target.name === 'comment') return;
    clearTimeout(timer);
    timer = setTimeout(preview, 300);
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const box = form.querySelector('#tune-status');
    try {
      await api('/api/v1/tuning/apply', { method: 'POST', body: { ...change(), comment: f.comment.value, hash: tuning.hash } });
      box.replaceChildren(message('ok', LANG === 'zh' ? '已应用并重新加载规则。' : 'Applied; the rules were reloaded.'));
      const fresh = await api('/api/v1/tuning');
      tuning.hash = fresh.hash;
      tuning.rules = fresh.rules;
      const updated = fresh.rules.find(r => r.name === name);
      const cell = document.querySelector(`.rule-levels[data-rule="${name}"]`);
      if (cell && updated) cell.replaceChildren(...levelChips(updated, updated.thresholds));
    } catch (err) {
      box.replaceChildren(message('error', err.message));
    }
  });
  panel.replaceChildren(form);
  fill();
  preview();
}

function showPreview(box, d) {
  const before = d.alerts_before, after = d.alerts_after;
  const summary = LANG === 'zh'
    ? `回测：预警 ${before} 次 → ${after} 次；新增 ${d.added}，取消 ${d.removed}，变化 ${d.changed}（计算用时 ${fixed(d.seconds, 2)} 秒）`
    : `Backtest: ${before} → ${after} alerts; ${d.added} added, ${d.removed} removed, ${d.changed} changed (${fixed(d.seconds, 2)} s)`;
  const canvas = el('canvas', { id: 'preview-chart' });
  const kinds = { added: LANG === 'zh' ? '新增' : 'added', removed: LANG === 'zh' ? '取消' : 'removed', changed: LANG === 'zh' ? '变化' : 'changed' };
  box.replaceChildren(el('p', { class: 'headline', id: 'preview-summary', 'data-added': d.added, 'data-removed': d.removed, 'data-changed': d.changed }, summary),
    el('div', { class: 'chart-box' }, canvas),
    d.changes.length ? table([LANG === 'zh' ? '变化' : 'Change', t('name'), LANG === 'zh' ? '调整前' : 'Before', LANG === 'zh' ? '调整后' : 'After'],
      d.changes.slice(0, 200).map(c => [kinds[c.change], scopeWords(c), episodeWords(c.before), episodeWords(c.after)]), []) : '');
  while (charts.length) charts.pop().destroy();
  if (!window.Chart) return;
  charts.push(new Chart(canvas, { type: 'line', data: { labels: d.periods.map(periodWords), datasets: [
    { label: LANG === 'zh' ? '调整前：预警中' : 'before: firing', data: d.firing_before, borderColor: '#66707c', borderDash: [6, 4], pointRadius: 0 },
    { label: LANG === 'zh' ? '调整后：预警中' : 'after: firing', data: d.firing_after, borderColor: '#d42a2a', pointRadius: 0 }] },
    options: { maintainAspectRatio: false, animation: false, interaction: { mode: 'index', intersect: false },
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }, plugins: { legend: { position: 'bottom' } } } }));
}

// --- 历史 History ------------------------------------------------------------------------------
async function pageHistory() {
  document.title = `${t('history')} · parkwatch`;
  const [audit, tuning] = await Promise.all([api('/api/v1/audit?limit=100'), api('/api/v1/tuning')]);
  const status = el('div');
  const entries = tuning.entries.slice().reverse();
  const measures = Object.fromEntries(tuning.rules.map(r => [r.name, r]));
  const levels = (m, rule) => ['blue', 'yellow', 'orange', 'red'].filter(s => m[s] !== undefined)
    .map(s => `${t(s)} ${measureValue(measures[rule], m[s])}`).join('，') || '—';
  const revert = (e) => {
    const input = el('input', { name: 'comment', placeholder: LANG === 'zh' ? '撤销原因（必填）' : 'Why (required)', size: 18 });
    const button = el('button', { type: 'button', class: 'revert', onclick: async () => {
      try {
        await api('/api/v1/tuning/revert', { method: 'POST', body: { index: e.index, comment: input.value, hash: tuning.hash } });
        await route();
      } catch (err) { status.replaceChildren(message('error', err.message)); }
    } }, LANG === 'zh' ? '撤销' : 'Revert');
    return el('span', { class: 'filters' }, input, button);
  };
  // Names for the credit codes of enterprise overrides, so no line shows a code alone.
  const codes = new Set(tuning.entries.map(e => e.enterprise).filter(Boolean));
  for (const r of audit) for (const c of r.changes) { const m = / \[([0-9A-Z]{18})\]:/.exec(c); if (m) codes.add(m[1]); }
  const names = await enterpriseNames([...codes]);
  const scope = e => e.enterprise ? names[e.enterprise] || e.enterprise : e.industry || (LANG === 'zh' ? '规则本身' : 'the rule');
  show(el('h1', {}, t('history')), status,
    el('h2', {}, LANG === 'zh' ? '阈值调整' : 'Threshold changes'),
    entries.length ? table([t('at'), t('author'), t('rules'), LANG === 'zh' ? '对象' : 'Member', LANG === 'zh' ? '调整前' : 'Before', LANG === 'zh' ? '调整后' : 'After', t('comment'), ''],
      entries.map(e => [e.at.replace('T', ' ').slice(0, 16), whoWords(e.by), ruleTitle(e.rule), scope(e), levels(e.previous, e.rule), levels(e.levels, e.rule), e.comment,
        canOperate() ? revert(e) : '']), []) : el('p', { class: 'muted' }, t('none')),
    el('h2', {}, t('audit')),
    table([t('at'), t('who'), t('source'), t('changes')],
      audit.map(r => [timeWords(r.at), whoWords(r.who), r.source,
        el('div', {}, r.changes.map(c => el('div', { title: c }, auditLineWords(c, tuning.rules, names))))])));
}

// Credit code → name, for the few enterprises a page names.
async function enterpriseNames(codes) {
  const out = {};
  await Promise.all(codes.map(c => api('/api/v1/enterprises/' + encodeURIComponent(c), { noRedirect: true })
    .then(e => { out[c] = e.name; }).catch(() => null)));
  return out;
}

// "user:zhang" → zhang, "token:admin" → 管理令牌.
function whoWords(who) {
  if (!who) return '—';
  if (who.startsWith('user:')) return who.slice(5);
  if (who === 'token:admin') return LANG === 'zh' ? '管理令牌' : 'admin token';
  return who;
}

// An audit line of a reload (rules/rule_config.cc DiffThresholds) in words: the rule's title,
// the member's name, each level as the rule reads it (下降≥10.0%, 个百分点).
function auditLineWords(line, rules, names) {
  const rule = name => rules.find(r => r.name === name);
  const value = (r, v) => v === 'unset' ? t('unset') : r ? thresholdWords(r, r.thresholds.direction, Number(v)) : v;
  let m = /^(\w+)(?: \[(.+?)\])?: (?:levels\.(\w+)|(clear)): (\S+) -> (\S+)$/.exec(line);
  if (m) {
    const r = rule(m[1]);
    const member = m[2] ? `（${names[m[2]] || m[2]}）` : '';
    const what = m[4] ? t('clearLine') : `${t(m[3])}${t('threshold')}`;
    const v = x => m[4] && r && x !== 'unset' ? measureValue(r, Number(x)) : value(r, x);
    return `${ruleTitle(m[1])}${member}${what}：${v(m[5])} → ${v(m[6])}`;
  }
  m = /^(\w+): for: (\d+) -> (\d+)$/.exec(line);
  if (m) return `${ruleTitle(m[1])}${t('forPeriods')}：${m[2]} → ${m[3]}`;
  m = /^console user (.+): (?:(added) \((\w+)\)|role (\w+) -> (\w+)|(password changed)|(removed))$/.exec(line);
  if (m) {
    if (m[2]) return tf('auditUserAdded', { user: m[1], role: t('role_' + m[3]) });
    if (m[4]) return tf('auditUserRole', { user: m[1], from: t('role_' + m[4]), to: t('role_' + m[5]) });
    return tf(m[6] ? 'auditUserPassword' : 'auditUserRemoved', { user: m[1] });
  }
  m = /^(\w+): (added|removed)$/.exec(line);
  if (m) return `${ruleTitle(m[1])}：${t(m[2])}`;
  return line;
}

// --- 数据 Data ---------------------------------------------------------------------------------
const BATCH_STATUS = { zh: { committed: '已入库', rejected: '已拒收', partial: '部分入库', duplicate: '重复（未变化）' },
  en: { committed: 'committed', rejected: 'rejected', partial: 'partial', duplicate: 'duplicate' } };

// Figures held as suspected unit slips (store/quarantine.h), with what a person needs to decide:
// the enterprise by name, the period and the figure in words, its recent level and the factor.
function quarantineSection(held) {
  const box = el('div', { id: 'quarantine-status' });
  const decide = (f, verb) => el('button', { type: 'button', class: verb === 'confirm' ? 'primary' : null,
    'data-verb': verb, onclick: async () => {
      try {
        await api('/api/v1/quarantine/' + verb, { method: 'POST',
          body: { credit_code: f.credit_code, period: f.period, indicator: f.indicator } });
        sessionStorage.setItem('parkwatch.quarantine', verb);
        await route();
      } catch (err) { box.replaceChildren(message('error', err.message)); }
    } }, t(verb === 'confirm' ? 'confirmFigure' : 'rejectFigure'));
  const done = sessionStorage.getItem('parkwatch.quarantine');
  sessionStorage.removeItem('parkwatch.quarantine');
  if (done) box.replaceChildren(message('ok', t(done === 'confirm' ? 'decidedConfirm' : 'decidedReject')));
  const en = LANG === 'en';
  return el('section', { id: 'quarantine', class: 'card' }, el('h2', {}, t('quarantine')),
    el('p', { class: 'muted' }, t('quarantineNote')), box,
    held.length ? table([t('enterprise'), t('period'), t('indicator'), t('figure'), t('recentLevel'), t('factor'), t('state'), ''],
      held.map(f => [el('span', { title: f.credit_code }, f.name || f.credit_code),
        en ? f.period_en : f.period_zh, indicatorName(f.indicator), en ? f.value_en : f.value_zh,
        en ? f.level_en : f.level_zh, en ? f.factor_en : f.factor_zh,
        el('span', { class: f.state === 'held' ? 'down' : 'muted' }, t(f.state)),
        canOperate() ? el('span', { class: 'filters' }, f.state !== 'confirmed' ? decide(f, 'confirm') : null,
          f.state === 'held' ? decide(f, 'reject') : null) : el('span', { class: 'muted' }, t('signInToDecide'))]), [3, 4])
      : el('p', { class: 'muted' }, t('quarantineNone')));
}

// One problem of an input as the server located and worded it (core/diagnostic.h): in Chinese
// (bad.csv 第2行第44列 · 工业总产值(万元)：不是数字："abc"), or in English under the switch.
function diagnosticText(d) {
  if (typeof d === 'string') return d;
  return (LANG === 'zh' && d.text_zh) || d.text || d.message;
}

async function pageData() {
  document.title = `${t('data')} · parkwatch`;
  const [batches, held] = await Promise.all([api('/api/v1/batches?limit=50'), api('/api/v1/quarantine')]);
  const status = el('div', { id: 'upload-status' });
  const upload = el('form', { class: 'filters', id: 'upload-form' },
    el('input', { type: 'file', name: 'file', accept: '.csv,.xlsx,.xls,.json', required: true }),
    el('button', { class: 'primary', type: 'submit' }, LANG === 'zh' ? '上传并导入' : 'Upload'));
  upload.addEventListener('submit', async (e) => {
    e.preventDefault();
    const file = upload.elements.file.files[0];
    if (!file) return;
    try {
      const b = await api('/api/v1/upload?name=' + encodeURIComponent(file.name), { method: 'POST', file });
      status.replaceChildren(message('ok', `${file.name}：${(BATCH_STATUS[LANG] || BATCH_STATUS.zh)[b.status] || b.status}，${fixed(b.rows_accepted, 0)}/${fixed(b.rows_read, 0)}`));
      setTimeout(route, 800);
    } catch (err) {
      const errors = err.data && err.data.errors ? err.data.errors.slice(0, 20).map(x => el('div', {}, diagnosticText(x))) : [];
      status.replaceChildren(message('error', err.message), ...errors);
    }
  });
  show(el('h1', {}, t('data')), quarantineSection(held), canOperate() ? el('div', { class: 'card' }, el('h2', {}, LANG === 'zh' ? '上传数据文件（与收件箱相同的导入）' : 'Upload a file (read as the inbox reads it)'), upload, status) : null,
    el('h2', {}, t('batches')), table([t('at'), t('file'), t('status'), t('rows'), t('accepted'), t('errors')],
    batches.map(b => [timeWords(b.received_at), el('span', { title: b.source || '' }, b.file || (b.source || '').split('/').pop(),
      b.uploaded_by ? el('div', { class: 'muted' }, LANG === 'zh' ? `${b.uploaded_by} 上传` : `uploaded by ${b.uploaded_by}`) : null),
      el('span', { class: b.status === 'rejected' ? 'down' : null }, (BATCH_STATUS[LANG] || BATCH_STATUS.zh)[b.status] || b.status,
        b.figures_held ? el('div', { class: 'down' }, LANG === 'en' ? `${b.figures_held} held on arrival` : `入库时暂不计入 ${b.figures_held} 条`) : null),
      fixed(b.rows_read, 0), fixed(b.rows_accepted, 0),
      el('div', {}, (b.errors || []).slice(0, 20).map(e => el('div', {}, diagnosticText(e))),
        b.error_count > 20 ? el('div', { class: 'muted' }, `… ${b.error_count - 20}`) : null)]), [3, 4]));
}

document.addEventListener('DOMContentLoaded', start);
