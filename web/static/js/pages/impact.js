// impact.js - impact (issue 14): the measures of the operator (or, for a
// funder, its suppressed aggregates) with the headline, a chart per measure
// with its table and N, satisfaction and NPS, the comparison group's
// pre/post means; the report as PDF, XLSX or JSON; and the follow-up survey a
// company or trainee answers through its link (no account; save as you go).
import { h, clear } from '../dom.js';
import { t, tv } from '../i18n.js';
import { get, post, qs, isStaff } from '../api.js';
import { pageHeader, section, notify, errorText, button } from '../ui.js';
import { d3 } from '../vendor.js';

const MEASURES = [
  ['export_change', true, ''], ['attributable_change', true, ''], ['exports_followup', true, 'PI5920'],
  ['jobs_created', false, 'PI3687'], ['jobs_maintained', false, 'PI5691'],
  ['learning', false, ''], ['behaviour', false, ''],
];
const GROUPS = ['operator', 'cohort', 'year', 'country', 'region', 'metro', 'sector'];
const WAVES = ['end', 'm6', 'm12', 'm24'];

// Money arrives in minor units; shown in major units.
const fmtNum = (v, money) => (v === null || v === undefined ? '–'
  : Number(money ? v / 100 : v).toLocaleString('en', { maximumFractionDigits: money ? 0 : 1 }));

function barChart(lib, groups, key, money, currency) {
  const rows = groups.filter((g) => !g.suppressed && g[key] && g[key].mean !== undefined);
  const width = 900, height = 260, left = 110, bottom = 40;
  const vals = rows.flatMap((g) => [g[key].mean, g[key].ci_low ?? g[key].mean, g[key].ci_high ?? g[key].mean, 0]);
  const scale = money ? 100 : 1;
  const x = lib.scaleBand().domain(groups.map((g) => g.key)).range([left, width - 10]).padding(0.3);
  const y = lib.scaleLinear().domain([Math.min(0, ...vals) / scale, Math.max(1, ...vals) / scale]).nice()
    .range([height - bottom, 10]);
  const svg = lib.create('svg').attr('viewBox', `0 0 ${width} ${height}`).attr('role', 'img')
    .attr('aria-label', t('impact.chartLabel', { measure: t(`impact.m.${key}`), currency: money ? currency : 'FTE' }));
  svg.append('g').attr('transform', `translate(0, ${height - bottom})`).call(lib.axisBottom(x));
  svg.append('g').attr('transform', `translate(${left}, 0)`).call(lib.axisLeft(y).ticks(6));
  svg.append('g').selectAll('rect').data(rows).join('rect').attr('class', 'impact-bar')
    .attr('x', (g) => x(g.key)).attr('width', x.bandwidth())
    .attr('y', (g) => y(Math.max(0, g[key].mean / scale))).attr('height', (g) => Math.abs(y(g[key].mean / scale) - y(0)));
  svg.append('g').selectAll('line').data(rows.filter((g) => g[key].ci_low !== undefined)).join('line')
    .attr('class', 'impact-ci').attr('x1', (g) => x(g.key) + x.bandwidth() / 2).attr('x2', (g) => x(g.key) + x.bandwidth() / 2)
    .attr('y1', (g) => y(g[key].ci_low / scale)).attr('y2', (g) => y(g[key].ci_high / scale));
  return svg.node();
}

function figureTable(groups, key, money) {
  const head = ['impact.group', 'impact.answered', 'impact.n', 'impact.mean', 'impact.ci', 'impact.median', 'impact.total'];
  return h('table', { class: 'table impact-table' }, h('caption', null, t(`impact.m.${key}`)),
    h('thead', null, h('tr', null, head.map((k) => h('th', { scope: 'col' }, t(k))))),
    h('tbody', null, groups.map((g) => {
      if (g.suppressed) return h('tr', null, h('th', { scope: 'row' }, g.key), h('td', { colspan: 6 }, t('impact.suppressed')));
      const f = g[key] || {};
      return h('tr', null, h('th', { scope: 'row' }, g.key), h('td', { class: 'num' }, `${g.answered} / ${g.placements}`),
        h('td', { class: 'num' }, String(f.n ?? 0)), h('td', { class: 'num' }, fmtNum(f.mean, money)),
        h('td', { class: 'num' }, f.ci_low === undefined ? '–' : `${fmtNum(f.ci_low, money)} – ${fmtNum(f.ci_high, money)}`),
        h('td', { class: 'num' }, fmtNum(f.median, money)), h('td', { class: 'num' }, fmtNum(f.total, money)));
    })));
}

function reactionTable(groups) {
  const head = ['impact.group', 'impact.exceeded', 'impact.met', 'impact.below', 'impact.n', 'impact.nps', 'impact.n', 'impact.keptOn'];
  return h('table', { class: 'table impact-table' }, h('caption', null, t('impact.reaction')),
    h('thead', null, h('tr', null, head.map((k) => h('th', { scope: 'col' }, t(k))))),
    h('tbody', null, groups.map((g) => (g.suppressed
      ? h('tr', null, h('th', { scope: 'row' }, g.key), h('td', { colspan: 7 }, t('impact.suppressed')))
      : h('tr', null, h('th', { scope: 'row' }, g.key), ['exceeded', 'met', 'below', 'n'].map((k) => h('td', { class: 'num' }, String(g.satisfaction[k]))),
        h('td', { class: 'num' }, g.nps.score === null ? '–' : g.nps.score.toFixed(0)), h('td', { class: 'num' }, String(g.nps.n)),
        h('td', { class: 'num' }, `${g.retention.yes} / ${g.retention.n}`))))));
}

// Pre-period trends: participants' and never-placed applicants' mean exports by year around the base year.
function trendTable(years) {
  const head = ['impact.relYear', 'impact.treated', 'impact.n', 'impact.comparison.group', 'impact.n'];
  return h('table', { class: 'table impact-table', id: 'impact-trend-years' }, h('caption', null, t('impact.trendYears')),
    h('thead', null, h('tr', null, head.map((k) => h('th', { scope: 'col' }, t(k))))),
    h('tbody', null, years.map((y) => h('tr', null, h('th', { scope: 'row' }, y.year > 0 ? `+${y.year}` : String(y.year)),
      h('td', { class: 'num' }, fmtNum(y.treated_mean, true)), h('td', { class: 'num' }, y.treated_n),
      h('td', { class: 'num' }, fmtNum(y.comparison_mean, true)), h('td', { class: 'num' }, y.comparison_n)))));
}

// The same years as a chart: one line per group (a year without a mean, or
// suppressed for a funder, leaves a gap). Styled by classes (strict CSP).
function trendChart(lib, years) {
  const width = 900, height = 260, left = 110, bottom = 40;
  const series = [['treated', 'treated_mean', 'impact.treated'], ['comparison', 'comparison_mean', 'impact.comparison.group']];
  const vals = years.flatMap((y) => series.map(([, k]) => y[k])).filter((v) => v !== null && v !== undefined).map((v) => v / 100);
  const x = lib.scalePoint().domain(years.map((y) => y.year)).range([left, width - 200]).padding(0.3);
  const yScale = lib.scaleLinear().domain([Math.min(0, ...vals), Math.max(1, ...vals)]).nice().range([height - bottom, 10]);
  const svg = lib.create('svg').attr('viewBox', `0 0 ${width} ${height}`).attr('role', 'img').attr('id', 'impact-trend-chart')
    .attr('aria-label', t('impact.trendChart'));
  svg.append('g').attr('transform', `translate(0, ${height - bottom})`)
    .call(lib.axisBottom(x).tickFormat((v) => (v > 0 ? `+${v}` : String(v))));
  svg.append('g').attr('transform', `translate(${left}, 0)`).call(lib.axisLeft(yScale).ticks(6));
  series.forEach(([name, key, label], i) => {
    const pts = years.filter((y) => y[key] !== null && y[key] !== undefined);
    const line = lib.line().defined((y) => y[key] !== null && y[key] !== undefined)
      .x((y) => x(y.year)).y((y) => yScale(y[key] / 100));
    svg.append('path').datum(years).attr('class', `impact-line impact-line-${name}`).attr('data-series', name).attr('d', line);
    svg.append('g').selectAll('circle').data(pts).join('circle').attr('class', `impact-dot impact-line-${name}`)
      .attr('r', 3.5).attr('cx', (y) => x(y.year)).attr('cy', (y) => yScale(y[key] / 100));
    svg.append('text').attr('class', `impact-legend impact-line-${name}`).attr('x', width - 185).attr('y', 20 + 18 * i)
      .text(t(label));
  });
  return svg.node();
}

// Participants who started in different years: the warning, then the
// estimate per start year beside the pooled one.
function staggeredBlock(c, currency) {
  const st = c.staggered;
  const years = st.start_years.map((y) => (y.suppressed ? t('impact.staggeredHidden', { year: y.year })
    : t(y.treated === 1 ? 'impact.staggeredCountOne' : 'impact.staggeredCount', { year: y.year, n: y.treated }))).join(', ');
  const ci = (e) => (e.ci_low === undefined ? '–' : `${fmtNum(e.ci_low, true)} – ${fmtNum(e.ci_high, true)}`);
  const head = ['impact.startYear', 'impact.treated', 'impact.matched', 'impact.estimate', 'impact.ci'];
  const row = (label, e) => h('tr', null, h('th', { scope: 'row' }, label), h('td', { class: 'num' }, String(e.treated)),
    h('td', { class: 'num' }, String(e.controls)),
    h('td', { class: 'num' }, typeof e.estimate === 'number' ? `${fmtNum(e.estimate, true)} ${currency}` : (e.why || '–')),
    h('td', { class: 'num' }, ci(e)));
  return h('div', null, h('p', { class: 'notice', role: 'note', id: 'impact-staggered' }, t('impact.staggered', { years })),
    h('div', { class: 'table-wrap' }, h('table', { class: 'table impact-table', id: 'impact-start-years' },
      h('caption', null, t('impact.byStartYear')),
      h('thead', null, h('tr', null, head.map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', null, row(t('impact.pooled'), c), st.start_years.map((y) => (y.suppressed
        ? h('tr', null, h('th', { scope: 'row' }, String(y.year)), h('td', { colspan: 4 }, t('impact.suppressed')))
        : row(String(y.year), y)))))));
}

// Respondents against non-respondents on what was known before the survey.
function nonresponseTable(nr) {
  const head = ['impact.group', 'impact.firms', 'impact.baselineExports', 'impact.n', 'impact.employees', 'impact.n', 'impact.metroShare'];
  const share = (m) => (m.share === null || m.share === undefined ? '–' : `${Math.round(m.share * 100)}% (N = ${m.n})`);
  return h('table', { class: 'table impact-table', id: 'impact-nonresponse' },
    h('thead', null, h('tr', null, head.map((k) => h('th', { scope: 'col' }, t(k))))),
    h('tbody', null, [['respondents', 'impact.respondents'], ['non_respondents', 'impact.nonRespondents']].map(([k, label]) => {
      const g = nr[k] || {};
      return g.suppressed ? h('tr', null, h('th', { scope: 'row' }, t(label)), h('td', { colspan: 6 }, t('impact.suppressed')))
        : h('tr', null, h('th', { scope: 'row' }, t(label)), h('td', { class: 'num' }, g.n),
          h('td', { class: 'num' }, fmtNum(g.baseline_exports.mean, true)), h('td', { class: 'num' }, g.baseline_exports.n),
          h('td', { class: 'num' }, fmtNum(g.employees.mean, false)), h('td', { class: 'num' }, g.employees.n),
          h('td', { class: 'num' }, share(g.metropolitan)));
    })));
}

export async function dashboard({ query }) {
  const state = { wave: query.wave || 'm12', group: query.group || 'cohort', suppress: !isStaff() };
  const out = h('div', { id: 'impact-results' });
  const select = (name, values, prefix) => h('label', { class: 'field' }, h('span', { class: 'label' }, t(`impact.${name}`)),
    h('select', { name, class: 'input', onchange: (e) => { state[name] = e.target.value; run(); } },
      values.map((v) => h('option', { value: v, selected: state[name] === v ? true : null }, t(`${prefix}.${v}`)))));
  const controls = h('div', { class: 'impact-controls' }, select('wave', WAVES, 'impact.wave'), select('group', GROUPS, 'impact.by'));
  const links = h('p', { class: 'impact-downloads' });

  async function run() {
    clear(out);
    const params = { wave: state.wave, group: state.group, suppress: isStaff() && state.suppress ? 1 : null };
    let r;
    try {
      r = await get(`/api/v1/impact/measures${qs(params)}`);
    } catch (e) {
      out.append(h('p', { class: 'error', role: 'alert' }, errorText(e)));
      return;
    }
    clear(links);
    for (const f of ['pdf', 'xlsx', 'json'])
      links.append(h('a', { class: 'btn btn-small', href: `/api/v1/impact/report${qs({ ...params, format: f })}` }, t(`impact.download.${f}`)), ' ');
    // The metro grouping's keys are classification words; show them in the reader's language.
    if (state.group === 'metro')
      for (const g of r.groups || []) g.key = t(`impact.metro.${g.key.replace(/[()]/g, '')}`);
    const lib = await d3();
    out.append(h('p', { class: 'impact-headline', id: 'impact-headline' }, r.headline));
    if (r.suppressed) out.append(h('p', { class: 'notice', role: 'note' }, t('impact.suppressedNote', { k: r.min_cell })));
    out.append(h('p', { class: 'muted' }, t('impact.method', { conversion: r.conversion, interval: r.interval, seed: r.seed, resamples: r.resamples })));
    for (const [key, money, iris] of MEASURES)
      out.append(section(`${t(`impact.m.${key}`)}${iris ? ` (IRIS+ ${iris})` : ''}`,
        h('figure', { class: 'impact-chart' }, barChart(lib, r.groups, key, money, r.currency)),
        h('div', { class: 'table-wrap' }, figureTable(r.groups, key, money))));
    out.append(section(t('impact.reaction'), h('div', { class: 'table-wrap' }, reactionTable(r.groups))));
    const c = r.comparison || {};
    out.append(section(t('impact.comparison'), c.suppressed ? h('p', null, t('impact.suppressed'))
      : h('div', null, h('p', null, c.estimate === null || c.estimate === undefined ? t('impact.noEstimate', { why: c.why || '' })
        : t('impact.did', { estimate: fmtNum(c.estimate, true), low: fmtNum(c.ci_low, true), high: fmtNum(c.ci_high, true),
          currency: r.currency, treated: c.treated, controls: c.controls })),
      c.staggered ? staggeredBlock(c, r.currency) : null,
      c.trends ? h('table', { class: 'table impact-table' }, h('caption', null, t('impact.trends')),
        h('thead', null, h('tr', null, h('th', null, t('impact.group')), h('th', null, t('impact.pre')), h('th', null, t('impact.post')))),
        h('tbody', null, ['treated', 'comparison'].map((k) => h('tr', null, h('th', { scope: 'row' }, t(k === 'treated' ? 'impact.treated' : 'impact.comparison.group')),
          h('td', { class: 'num' }, fmtNum(c.trends[k][0], true)), h('td', { class: 'num' }, fmtNum(c.trends[k][1], true))))))
        : null,
      c.trend_years ? h('figure', { class: 'impact-chart' }, trendChart(lib, c.trend_years)) : null,
      c.trend_years ? h('div', { class: 'table-wrap' }, trendTable(c.trend_years), h('p', { class: 'muted' }, t('impact.trendNote'))) : null)));
    if (r.nonresponse) out.append(section(t('impact.nonresponse'), h('div', { class: 'table-wrap' }, nonresponseTable(r.nonresponse))));
    const i = r.introductions;
    if (i) out.append(section(t('impact.introductions'), h('p', { id: 'impact-introductions' }, i.suppressed ? t('impact.suppressed')
      : t('impact.introText', { n: i.n, meetings: i.meetings, started: i.deals_started, closed: i.deals_closed }))));
  }
  if (isStaff()) controls.append(h('label', { class: 'impact-preview' }, h('input', { type: 'checkbox', onchange: (e) => { state.suppress = e.target.checked; run(); } }),
    ' ', t('impact.preview')));
  const page = h('div', null, pageHeader(t('impact.title'), { sub: t('impact.sub') }), controls, links, out);
  await run();
  return page;
}

// ---- the survey a respondent answers through the link ----

function questionInput(q, value) {
  const name = q.name;
  if (q.options) {
    return h('select', { name, class: 'input' }, h('option', { value: '' }, '–'),
      q.options.map((o) => h('option', { value: o, selected: value === o ? true : null }, tv('impact.opt', o))));
  }
  if (name === 'kept_on' || name === 'export_job') {
    return h('select', { name, class: 'input' }, h('option', { value: '' }, '–'),
      h('option', { value: 'true', selected: value === true ? true : null }, t('impact.yes')),
      h('option', { value: 'false', selected: value === false ? true : null }, t('impact.no')));
  }
  if (name === 'export_sales') {
    return h('textarea', { name, class: 'input', rows: 4, placeholder: 'DE 2024 SEK 1250000.00' },
      (value || []).map((s) => `${s.market} ${s.year} ${s.currency} ${(s.amount_minor / 100).toFixed(2)}`).join('\n'));
  }
  const numeric = q.range !== undefined;
  return h('input', { name, class: 'input', type: numeric ? 'number' : 'text', step: numeric ? 'any' : null,
    min: numeric ? q.range[0] : null, max: numeric ? q.range[1] : null, value: value ?? '' });
}

function readAnswers(form, questions) {
  const a = {};
  for (const q of questions) {
    const el = form.elements[q.name];
    const v = el.value.trim();
    if (v === '') continue;
    if (q.name === 'export_sales') {
      a.export_sales = v.split('\n').filter((l) => l.trim()).map((l) => {
        const [market, year, currency, amount] = l.trim().split(/\s+/);
        return { market, year: Number(year), currency, amount_minor: Math.round(Number(amount) * 100) };
      });
    } else if (q.name === 'kept_on' || q.name === 'export_job') a[q.name] = v === 'true';
    else if (q.range !== undefined) a[q.name] = Number(v);
    else a[q.name] = v;
  }
  return a;
}

export async function survey({ query }) {
  const token = query.token || '';
  let s;
  try {
    s = await post('/api/v1/impact-surveys/open', { token });
  } catch (e) {
    return h('div', null, pageHeader(t('impact.surveyTitle')), section(null, h('p', { class: 'error' }, errorText(e))));
  }
  const page = h('div', { class: 'impact-survey' });
  const form = h('form', { class: 'form', onsubmit: (e) => { e.preventDefault(); send(true); } },
    s.questions.map((q) => h('label', { class: 'field' }, h('span', { class: 'label' }, `${t(`impact.q.${q.name}`)}${q.required ? ' *' : ''}`),
      questionInput(q, s.answers[q.name]))),
    h('div', { class: 'actions' }, button(t('impact.save'), () => send(false)),
      h('button', { type: 'submit', class: 'btn btn-primary' }, t('impact.submit'))));
  async function send(submit) {
    try {
      await post('/api/v1/impact-surveys/answer', { token, answers: readAnswers(form, s.questions), submit });
      if (submit) page.replaceChildren(pageHeader(t('impact.thanks')), section(null, h('p', { id: 'impact-thanks' }, t('impact.thanksText'))));
      else notify(t('impact.saved'), 'success');
    } catch (e) { notify(errorText(e), 'error'); }
  }
  page.append(pageHeader(t('impact.surveyTitle'), { sub: t(`impact.surveySub.${s.respondent}`, { wave: t(`impact.wave.${s.wave}`) }) }),
    section(null, form));
  return page;
}
