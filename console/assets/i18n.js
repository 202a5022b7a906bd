// The console's words and number formats, Chinese first (the bureau's language) with English.
// Figures are written as the bureau writes them: 万元 with two decimals, periods in words
// (2025年6月, 2025年1—2月, 2025年第19周), growth as 同比增长6.2% / 同比下降3.1%, differences of
// rates in 个百分点.
'use strict';

const I18N = {
  zh: {
    overview: '总览', alerts: '预警', rules: '规则与阈值', history: '历史', data: '数据',
    signin: '登录', signout: '退出', user: '用户名', password: '密码', switchLang: 'English',
    wrongPassword: '用户名或密码错误', sessionExpired: '登录已过期，请重新登录（已填写的内容会保留）',
    park: '园区', industry: '行业', enterprise: '企业', name: '名称', figure: '数值',
    threshold: '阈值', level: '级别', period: '期间', since: '开始于', state: '状态',
    firing: '预警中', pending: '待确认', resolved: '已解除', escalated: '升级', deescalated: '降级',
    monthValue: '当月', ytdValue: '累计', yoy: '同比', ytdGrowth: '累计增速', target: '年度目标',
    vsTarget: '与目标相比', trend24: '近24个月工业增加值增速', monthGrowth: '当月增速',
    cumGrowth: '累计增速', activeAlerts: '当前预警', notReported: '未报企业',
    lastReported: '最近报送', never: '从未报送', none: '无', all: '全部', filter: '筛选',
    search: '搜索名称或代码', why: '为什么预警', measure: '监测指标', currentValue: '当前值',
    crossed: '触发', clearAt: '解除线', seriesChart: '指标走势与阈值', rawSeries: '原始数据',
    eventHistory: '预警记录', acknowledgements: '确认记录', silences: '静默',
    acknowledge: '确认预警', note: '备注', submit: '提交', silence: '静默通知',
    duration: '时长', comment: '原因', author: '操作人', at: '时间', hours: '小时', days: '天',
    acknowledged: '已确认', silenced: '已静默', signInToAct: '登录为操作员后可确认或静默。',
    cadence: '周期', weekly: '周监测', monthly: '月分析', lastEvaluation: '最近评估',
    outcomes: '评估对象', noData: '无数据', error: '错误', audit: '配置变更记录',
    source: '来源', changes: '变更', batches: '最近批次', status: '状态', rows: '行数',
    accepted: '接收', errors: '错误', file: '文件', noAlerts: '当前没有预警。',
    reportMissing: '月度数据不足，无法生成总览：', headline: '本月概况',
    enterprisesReported: '已报企业', keyEnterprise: '重点企业', of: '/',
    valueAdded: '工业增加值', outputValue: '工业总产值', comparable: '可比价', current: '现价',
    done: '已完成', failed: '失败', loadFailed: '加载失败', saved: '已保存',
    role_viewer: '查看员', role_operator: '操作员', role_admin: '管理员', anonymous: '未登录',
    up: '增长', down: '下降', flat: '持平', above: '高于', below: '低于',
    points: '个百分点', periods: '期', months: '个月', times: '倍',
    blue: '蓝色', yellow: '黄色', orange: '橙色', red: '红色',
    colour_blue: '蓝色预警', colour_yellow: '黄色预警', colour_orange: '橙色预警', colour_red: '红色预警',
    warningColour: '行业预警', enterpriseAlerts: '企业预警', members: '家', matchers: '匹配条件', endsAt: '截止',
    latestMonth: '最新完整月份', normal: '正常', rulesNote: '阈值调整：编辑规则文件后重新加载；', totalAlerts: '预警总数',
    enterprises: '企业', industries: '行业', users: '用户', creditCode: '统一社会信用代码',
    searchEnterprise: '输入企业名称或统一社会信用代码（可只输入一部分）', searchHint: '共{n}家企业，显示前{m}家；输入名称或代码的一部分缩小范围。',
    found: '找到{n}家企业', notKey: '一般企业', aboveSince: '规上起始', latestWeek: '最新完整周',
    monthlySeries: '月度数据', weeklySeries: '周数据', revisions: '修订', revisedTimes: '修订{n}次',
    revisionHistory: '修订记录', noRevisions: '该企业的数据没有修订。', original: '初报',
    pastAlerts: '历史预警', activeOf: '当前预警', noPastAlerts: '没有历史预警。',
    pullOnPark: '拉动园区', pullOnIndustry: '拉动行业', contribution: '贡献率',
    ytdLevel: '累计', value: '数值', sortBy: '排序', bySize: '按规模', byPull: '按拉动', byYoY: '按增速',
    industryMembers: '行业内企业', ofIndustry: '行业', weekValue: '当周', weekly2: '周',
    target2: '目标', noFigures: '没有该指标的数据。', unset: '未设置', forPeriods: '持续期数',
    clearLine: '解除线', added: '新增', removed: '删除', who: '操作人', reportedIndicators: '最新数据',
    enterprisesCount: '企业数', thisIndustryYtd: '1—{m}月累计',
    auditUserAdded: '添加用户 {user}（{role}）', auditUserRole: '用户 {user} 的角色：{from} → {to}',
    auditUserPassword: '重置用户 {user} 的密码', auditUserRemoved: '删除用户 {user}',
    role: '角色', adminsOnly: '只有管理员可以管理用户。', inWebConfig: '在 {file} 中配置（请在该文件中修改）',
    managedHere: '控制台管理', newPassword: '新密码', changeRole: '改角色', resetPassword: '重置密码',
    removeUser: '删除', addUser: '添加用户', passwordMin: '密码（至少8位）',
    confirmRemove: '确定删除用户“{user}”？', userAdded: '已添加用户 {user}（{role}）。', userRemoved: '已删除用户 {user}。',
    roleChanged: '{user} 的角色已改为{role}。', passwordReset: '已重置 {user} 的密码。',
    noWebConfig: '没有 web 配置文件（web.config_file），无法在控制台管理用户。',
    rolesExplained: '查看员：只读；操作员：还可确认、静默预警和调整阈值；管理员：还可重新加载配置、管理用户。每次修改都记入配置变更记录。',
    quarantine: '疑似单位错误、暂不计入的数据', quarantineNote: '这些数据已保存，但在核实前不计入行业、园区合计和任何预警规则。确认无误后计入并重新判断预警；确认有误则继续不计入，直到企业更正。',
    quarantineNone: '没有暂不计入的数据。', recentLevel: '近期水平', factor: '倍数',
    held: '待核实', rejected: '已确认有误', confirmed: '已确认无误', indicator: '指标',
    confirmFigure: '确认无误，计入', rejectFigure: '确认有误，不计入', signInToDecide: '登录为操作员后可核实。',
    decidedConfirm: '已确认无误，数据已计入，预警已重新判断。', decidedReject: '已确认有误，数据继续不计入，等待企业更正。',
  },
  en: {
    overview: 'Overview', alerts: 'Alerts', rules: 'Rules', history: 'History', data: 'Data',
    signin: 'Sign in', signout: 'Sign out', user: 'User', password: 'Password', switchLang: '中文',
    wrongPassword: 'Wrong user name or password',
    sessionExpired: 'Your session expired; sign in again (what you typed is kept)',
    park: 'Park', industry: 'Industry', enterprise: 'Enterprise', name: 'Name', figure: 'Figure',
    threshold: 'Threshold', level: 'Level', period: 'Period', since: 'Since', state: 'State',
    firing: 'firing', pending: 'pending', resolved: 'resolved', escalated: 'escalated',
    deescalated: 'de-escalated', monthValue: 'Month', ytdValue: 'Year to date', yoy: 'YoY',
    ytdGrowth: 'YTD growth', target: 'Annual target', vsTarget: 'Against target',
    trend24: 'Value added growth, last 24 months', monthGrowth: 'Month', cumGrowth: 'Year to date',
    activeAlerts: 'Active alerts', notReported: 'Not reported', lastReported: 'Last reported',
    never: 'never', none: 'none', all: 'All', filter: 'Filter', search: 'Search name or code',
    why: 'Why it fires', measure: 'Measure', currentValue: 'Value', crossed: 'crossed',
    clearAt: 'clears at', seriesChart: 'The measure against its thresholds', rawSeries: 'Figures',
    eventHistory: 'Events', acknowledgements: 'Acknowledgements', silences: 'Silences',
    acknowledge: 'Acknowledge', note: 'Note', submit: 'Submit', silence: 'Silence',
    duration: 'Duration', comment: 'Reason', author: 'By', at: 'At', hours: 'hours', days: 'days',
    acknowledged: 'acknowledged', silenced: 'silenced',
    signInToAct: 'Sign in as an operator to acknowledge or silence.', cadence: 'Cadence',
    weekly: 'weekly', monthly: 'monthly', lastEvaluation: 'Last evaluation', outcomes: 'Members',
    noData: 'No data', error: 'Error', audit: 'Configuration changes', source: 'Source',
    changes: 'Changes', batches: 'Recent batches', status: 'Status', rows: 'Rows',
    accepted: 'Accepted', errors: 'Errors', file: 'File', noAlerts: 'No active alerts.',
    reportMissing: 'Not enough monthly data for the overview: ', headline: 'This month',
    enterprisesReported: 'Reported', keyEnterprise: 'Key', of: '/',
    valueAdded: 'Value added', outputValue: 'Output value', comparable: 'comparable prices',
    current: 'current prices', done: 'Done', failed: 'Failed', loadFailed: 'Could not load',
    saved: 'Saved', role_viewer: 'viewer', role_operator: 'operator', role_admin: 'admin',
    anonymous: 'not signed in', up: 'up', down: 'down', flat: 'flat', above: 'above',
    below: 'below', points: ' points', periods: ' periods', months: ' months', times: '×',
    blue: 'blue', yellow: 'yellow', orange: 'orange', red: 'red',
    colour_blue: 'blue warning', colour_yellow: 'yellow warning', colour_orange: 'orange warning',
    colour_red: 'red warning', warningColour: 'Industry warning', enterpriseAlerts: 'Enterprises alerting', members: '', matchers: 'Matchers',
    endsAt: 'Ends', latestMonth: 'Latest complete month', normal: 'normal', rulesNote: 'Tuning: ',
    totalAlerts: 'Alerts',
    enterprises: 'Enterprises', industries: 'Industries', users: 'Users', creditCode: 'Credit code',
    searchEnterprise: 'Name or credit code (or a part of it)', searchHint: '{n} enterprises, the first {m} shown; type part of a name or code.',
    found: '{n} found', notKey: 'not key', aboveSince: 'Above size since', latestWeek: 'Latest complete week',
    monthlySeries: 'Monthly figures', weeklySeries: 'Weekly figures', revisions: 'Revisions', revisedTimes: 'revised {n}×',
    revisionHistory: 'Revisions', noRevisions: 'None of this enterprise\'s figures was revised.', original: 'first report',
    pastAlerts: 'Past alerts', activeOf: 'Active alerts', noPastAlerts: 'No past alerts.',
    pullOnPark: 'Pull on the park', pullOnIndustry: 'Pull on the industry', contribution: 'Contribution',
    ytdLevel: 'Year to date', value: 'Value', sortBy: 'Sort', bySize: 'by size', byPull: 'by pull', byYoY: 'by growth',
    industryMembers: 'Enterprises of the industry', ofIndustry: 'Industry', weekValue: 'Week', weekly2: 'week',
    target2: 'target', noFigures: 'No figures of this indicator.', unset: 'unset', forPeriods: 'periods to fire',
    clearLine: 'clears at', added: 'added', removed: 'removed', who: 'By', reportedIndicators: 'Latest figures',
    enterprisesCount: 'Enterprises', thisIndustryYtd: 'January–{m}',
    auditUserAdded: 'added user {user} ({role})', auditUserRole: 'role of {user}: {from} → {to}',
    auditUserPassword: 'new password for {user}', auditUserRemoved: 'removed user {user}',
    role: 'Role', adminsOnly: 'Only admins manage users.', inWebConfig: 'in {file} (change it there)',
    managedHere: 'managed here', newPassword: 'new password', changeRole: 'Set role', resetPassword: 'Reset password',
    removeUser: 'Remove', addUser: 'Add a user', passwordMin: 'password (8 or more)',
    confirmRemove: 'Remove user {user}?', userAdded: 'Added {user} ({role}).', userRemoved: 'Removed {user}.',
    roleChanged: '{user} is now {role}.', passwordReset: 'New password set for {user}.',
    noWebConfig: 'No web config file (web.config_file): users cannot be managed here.',
    rolesExplained: 'Viewer reads; operator also acknowledges, silences and tunes; admin also reloads and manages users. Every change is in the audit.',
    quarantine: 'Held as suspected unit slips', quarantineNote: 'These figures are stored but counted in no industry or park total and no alert rule until someone checks them. Confirm lets a figure in and re-decides the alerts; reject keeps it out until the enterprise revises it.',
    quarantineNone: 'No figure is held.', recentLevel: 'Recent level', factor: 'Factor',
    held: 'to check', rejected: 'wrong (kept out)', confirmed: 'confirmed', indicator: 'Indicator',
    confirmFigure: 'Right: count it', rejectFigure: 'Wrong: keep out', signInToDecide: 'Sign in as an operator to decide.',
    decidedConfirm: 'Confirmed: the figure counts and the alerts were re-decided.', decidedReject: 'Rejected: the figure stays out until revised.',
  },
};

// Names of the built-in indicators and the default rules, so pages show words, not codes.
const INDICATORS = {
  zh: { output_value: '工业总产值', value_added: '工业增加值', revenue: '营业收入',
    profit: '利润总额', tax: '税金总额', electricity: '用电量', employees: '从业人员',
    orders: '新签订单', value_added_growth: '工业增加值增速', ppi: '价格指数' },
  en: { output_value: 'output value', value_added: 'value added', revenue: 'revenue',
    profit: 'profit', tax: 'tax', electricity: 'electricity use', employees: 'employees',
    orders: 'new orders', value_added_growth: 'value added growth', ppi: 'price index' },
};

// Rule titles from the rule files (title / title_zh), loaded once per page (app.js).
const RULE_TITLES = {};

let LANG = localStorage.getItem('parkwatch.lang') || 'zh';
// A word the language has, even an empty one (English counts need no 家); else the Chinese.
function t(key) { const own = I18N[LANG] && I18N[LANG][key]; return own !== undefined ? own : I18N.zh[key] ?? key; }
function setLang(lang) { LANG = lang; localStorage.setItem('parkwatch.lang', lang); }

const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
  'September', 'October', 'November', 'December'];

// "2025-06" → 2025年6月, "2025-01/02" → 2025年1—2月, "2025-W19" → 2025年第19周.
function periodWords(p) {
  if (!p) return '—';
  let m = /^(\d{4})-W(\d{2})$/.exec(p);
  if (m) return LANG === 'zh' ? `${m[1]}年第${+m[2]}周` : `week ${+m[2]} of ${m[1]}`;
  m = /^(\d{4})-01\/02$/.exec(p);
  if (m) return LANG === 'zh' ? `${m[1]}年1—2月` : `January–February ${m[1]}`;
  m = /^(\d{4})-(\d{2})$/.exec(p);
  if (m) return LANG === 'zh' ? `${m[1]}年${+m[2]}月` : `${MONTHS_EN[+m[2] - 1]} ${m[1]}`;
  return p;
}

// 1—6月 for a month's year to date.
function ytdWords(p) {
  const m = /^(\d{4})-(\d{2})(\/02)?$/.exec(p || '');
  if (!m) return '';
  const month = m[3] ? 2 : +m[2];
  return LANG === 'zh' ? `1—${month}月` : `January–${MONTHS_EN[month - 1]}`;
}

function fixed(x, digits) {
  return Number(x).toLocaleString(LANG === 'zh' ? 'zh-CN' : 'en-US',
    { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

// Yuan as 万元 with two decimals.
function money(yuan) {
  if (yuan === null || yuan === undefined) return '—';
  return LANG === 'zh' ? `${fixed(yuan / 1e4, 2)}万元` : `${fixed(yuan / 1e4, 2)} ×10k yuan`;
}

function pct(r, digits = 1) { return `${fixed(Math.abs(r) * 100, digits)}%`; }

// 同比增长6.2% / 同比下降3.1% (never 增长-3.1%); with prefix '' for table cells: 增长6.2%.
function growth(r, prefix) {
  if (r === null || r === undefined) return '—';
  const p = prefix === undefined ? (LANG === 'zh' ? '同比' : '') : prefix;
  if (Math.abs(r) < 0.0005) return LANG === 'zh' ? `${p}持平` : 'flat';
  if (LANG === 'zh') return `${p}${r > 0 ? '增长' : '下降'}${pct(r)}`;
  return `${r > 0 ? 'up' : 'down'} ${pct(r)}`;
}

// A difference of two rates: 高于目标0.8个百分点 / 低于目标….
function pointsAgainst(d, what) {
  if (d === null || d === undefined) return '—';
  const pp = fixed(Math.abs(d) * 100, 1);
  if (Math.abs(d) < 0.0005) return LANG === 'zh' ? `与${what}持平` : `at ${what}`;
  if (LANG === 'zh') return `${d > 0 ? '高于' : '低于'}${what}${pp}个百分点`;
  return `${pp} points ${d > 0 ? 'above' : 'below'} ${what}`;
}

// t() with {name} placeholders filled.
function tf(key, values) { return t(key).replace(/\{(\w+)\}/g, (_, k) => values[k]); }

// A figure in the bureau's units: money in 万元, energy in 万千瓦时, rates in %, counts as they are.
function figure(v, unit) {
  if (v === null || v === undefined) return '—';
  if (unit === 'yuan') return money(v);
  if (unit === 'kWh') return LANG === 'zh' ? `${fixed(v / 1e4, 2)}万千瓦时` : `${fixed(v / 1e4, 2)} ×10k kWh`;
  if (unit === 'ratio') return `${v < 0 ? '-' : ''}${pct(v)}`;
  return fixed(v, 0);
}
// The same figure as a chart plots it (万元, 万千瓦时, %), and the axis' unit.
function chartFigure(v, unit) {
  if (v === null || v === undefined) return null;
  if (unit === 'yuan' || unit === 'kWh') return +(v / 1e4).toFixed(2);
  if (unit === 'ratio') return +(v * 100).toFixed(2);
  return v;
}
function chartUnit(unit) {
  if (unit === 'yuan') return LANG === 'zh' ? '万元' : '10k yuan';
  if (unit === 'kWh') return LANG === 'zh' ? '万千瓦时' : '10k kWh';
  if (unit === 'ratio') return '%';
  return '';
}

// A pull on a whole's growth (a ratio; ×100 = percentage points): 拉动0.8个百分点 / 下拉0.3个百分点.
function pullWords(v) {
  if (v === null || v === undefined) return '—';
  const pp = fixed(Math.abs(v) * 100, 2);
  if (LANG === 'zh') return `${v < 0 ? '下拉' : '拉动'}${pp}个百分点`;
  return `${v < 0 ? '−' : '+'}${pp} points`;
}

function indicatorName(code) { return (INDICATORS[LANG] || INDICATORS.zh)[code] || code; }
function ruleTitle(name) {
  const titles = RULE_TITLES[name];
  if (!titles) return name;
  return (LANG === 'zh' ? titles.zh || titles.en : titles.en || titles.zh) || name;
}

// A measure in words: yoy(output_value) → 工业总产值同比.
function measureWords(measure) {
  if (!measure) return '—';
  const m = /^(\w+)\((\w+)/.exec(measure);
  if (!m) return measure === 'missing_report' ? (LANG === 'zh' ? '未报期数' : 'periods missing') : measure;
  const x = indicatorName(m[2]);
  const zh = { yoy: `${x}同比`, ytd_yoy: `${x}累计同比`, mom: `${x}环比`, level: x,
    value: x, two_year_avg: `${x}两年平均增速`, share: `${x}占比`, pull: `${x}拉动`,
    contribution: `${x}贡献率`, consecutive_declines: `${x}连续同比下降期数`,
    change: `${x}增速变化`, unit_slip: `${x}单位异常`, anomaly: `${x}异常`,
    fall: `${x}同比（较自身走势）` };
  const en = { yoy: `${x} YoY`, ytd_yoy: `${x} YTD YoY`, mom: `${x} MoM`, level: x, value: x,
    two_year_avg: `${x} two-year average growth`, share: `${x} share`, pull: `${x} pull`,
    contribution: `${x} contribution`, consecutive_declines: `${x} consecutive declines`,
    change: `change of ${x} growth`, unit_slip: `${x} unit slip`, anomaly: `${x} anomaly`,
    fall: `${x} YoY (from its own course)` };
  return (LANG === 'zh' ? zh : en)[m[1]] || measure;
}

// How a measure's value reads: a rate as a percentage, a change of rates in points, a count of
// periods, a slip as a factor.
// What kind of number a rule compares. Given an alert or a rule from the API (with its measure and
// the unit the daemon says it is in: a growth against a target is a gap in points), or a bare
// measure text.
function measureKind(m) {
  const unit = m && typeof m === 'object' ? m.unit : undefined;
  const measure = m && typeof m === 'object' ? m.measure : m;
  if (unit === 'points') return 'points';
  const f = (/^(\w+)\(/.exec(measure || '') || [])[1] || measure || '';
  if (['yoy', 'ytd_yoy', 'mom', 'two_year_avg', 'fall'].includes(f)) return 'growth';
  if (['share', 'contribution', 'value'].includes(f)) return 'ratio';
  if (['change', 'pull'].includes(f)) return 'points';
  if (['consecutive_declines', 'missing_report'].includes(f)) return 'count';
  if (f === 'level') return 'money';
  if (f === 'unit_slip') return 'slip';
  if (f === 'anomaly') return 'score';
  return 'number';
}

function measureValue(measure, v) {
  if (v === null || v === undefined) return '—';
  switch (measureKind(measure)) {
    case 'growth': return growth(v, '');
    case 'ratio': return `${v < 0 ? '-' : ''}${pct(v)}`;
    case 'points': return `${v < 0 ? '-' : ''}${fixed(Math.abs(v) * 100, 1)}${t('points')}`;
    case 'count': return `${fixed(v, 0)}${t('periods')}`;
    case 'money': return money(v);
    case 'slip': return `${fixed(10 ** Math.abs(v), 0)}${t('times')}`;  // a factor of ten per step
    case 'score': return LANG === 'zh' ? `${fixed(v, 1)}倍常态波动` : `${fixed(v, 1)}× the usual swing`;
    default: return fixed(v, 2);
  }
}

// A threshold as words: a growth level below zero watched downwards reads 下降≥10.0%.
function thresholdWords(measure, direction, v) {
  if (measureKind(measure) === 'growth' && direction === 'below' && v < 0)
    return LANG === 'zh' ? `下降≥${pct(v)}` : `down ≥ ${pct(v)}`;
  if (measureKind(measure) === 'growth' && direction === 'above' && v > 0)
    return LANG === 'zh' ? `增长≥${pct(v)}` : `up ≥ ${pct(v)}`;
  return `${direction === 'below' ? '≤' : '≥'} ${measureValue(measure, v)}`;
}

function severityWords(s) { return s && s !== 'none' ? t('colour_' + s) : t('normal'); }
