// markets.js - the market explorer (issue 13): pick a home country and a
// product, read the ranking (every column sortable, every figure raw, the
// reasons in words), a world map coloured by the chosen indicator, a bar
// chart of the top markets with the three components of the export
// potential, and "add to export plan".
import { h, clear } from '../dom.js';
import { t } from '../i18n.js';
import { get, put, post, qs, isStaff, hasRole } from '../api.js';
import { pageHeader, section, notify, errorText, button, fetchAll } from '../ui.js';
import { d3, worldCountries } from '../vendor.js';

const COLS = [
  ['rank', 'int'], ['iso3', 'text'], ['import_value', 'money'], ['import_cagr', 'pct'], ['home_exports', 'money'],
  ['home_share', 'pct'], ['suppliers', 'int'], ['hhi', 'frac'], ['distw_km', 'int'], ['gdp_pc_growth', 'pct'],
  ['unit_value', 'frac'], ['supply', 'frac'], ['ease', 'frac'], ['potential', 'money'], ['untapped', 'money'],
  ['score', 'frac'], ['explanation', 'text'],
];
const INDICATORS = ['score', 'import_value', 'untapped', 'potential', 'home_share', 'import_cagr', 'distw_km', 'hhi'];

const fmt = (v, kind) => {
  if (v === null || v === undefined) return '–';
  if (kind === 'money') return Number(v).toLocaleString('en', { maximumFractionDigits: 0 });
  if (kind === 'pct') return `${(v * 100).toFixed(1)}%`;
  if (kind === 'frac') return Number(v).toLocaleString('en', { maximumFractionDigits: 3 });
  if (kind === 'int') return Number(v).toLocaleString('en');
  return String(v);
};

export async function explorer() {
  const params = new URLSearchParams(location.hash.split('?')[1] || '');
  const state = { home: params.get('home') || 'SE', product: params.get('product') || '030616',
    years: params.get('years') || '', indicator: 'score', sort: 'rank', desc: false, data: null };
  const out = h('div', { id: 'market-results' });
  const input = (name, label, value, extra = {}) => h('label', { class: 'field' }, h('span', { class: 'label' }, t(label)),
    h('input', { name, value, class: 'input', ...extra }));
  const indicator = h('select', { name: 'indicator', class: 'input', onchange: () => { state.indicator = indicator.value; drawMap(); } },
    INDICATORS.map((k) => h('option', { value: k }, t(`market.col.${k}`))));
  const form = h('form', { class: 'market-form', onsubmit: async (e) => { e.preventDefault(); await run(); } },
    input('home', 'market.home', state.home, { maxlength: 3, required: true }),
    input('product', 'market.product', state.product, { required: true }),
    input('years', 'market.years', state.years, { placeholder: '2018' }),
    h('label', { class: 'field' }, h('span', { class: 'label' }, t('market.indicator')), indicator),
    h('button', { type: 'submit', class: 'btn btn-primary' }, t('market.rank')));
  const table = h('div', { class: 'table-wrap' });
  const map = h('figure', { class: 'market-map', aria: { label: t('market.map') } });
  const bars = h('figure', { class: 'market-bars', aria: { label: t('market.bars') } });
  const note = h('p', { class: 'muted' });

  async function run() {
    const f = new FormData(form);
    Object.assign(state, { home: f.get('home'), product: f.get('product'), years: f.get('years') });
    clear(out);
    try {
      state.data = await get(`/api/v1/trade/rank${qs({ home: state.home, product: state.product, years: state.years || null })}`);
    } catch (e) {
      out.append(h('p', { class: 'error', role: 'alert' }, errorText(e)));
      return;
    }
    note.textContent = t(state.data.synthetic ? 'market.sourceSynthetic' : 'market.source', { home: state.data.home,
      revision: state.data.revision, years: state.data.years.join('–'), weights: state.data.weights_source });
    out.append(state.data.synthetic ? h('p', { class: 'notice notice-synthetic', role: 'note' }, t('market.synthetic')) : null,
      section(null, note), section(t('market.map'), map), section(t('market.bars'), bars),
      section(t('market.table'), table));
    drawTable();
    await drawMap();
    await drawBars();
  }

  function sorted() {
    const m = [...state.data.markets];
    const k = state.sort;
    m.sort((a, b) => {
      const x = a[k], y = b[k];
      if (x === y) return a.rank - b.rank;
      if (x === null || x === undefined) return 1;
      if (y === null || y === undefined) return -1;
      const c = typeof x === 'string' ? x.localeCompare(y) : x - y;
      return state.desc ? -c : c;
    });
    return m;
  }

  function drawTable() {
    clear(table);
    const head = h('tr', null, COLS.map(([k]) => h('th', { scope: 'col', aria: { sort: state.sort === k ? (state.desc ? 'descending' : 'ascending') : null } },
      h('button', { type: 'button', class: 'sort-btn', onclick: () => { state.desc = state.sort === k ? !state.desc : k !== 'rank' && k !== 'iso3'; state.sort = k; drawTable(); } },
        t(`market.col.${k}`)))), h('th', { scope: 'col' }, t('market.add')));
    const rows = sorted().slice(0, 250).map((m) => h('tr', { dataset: { iso3: m.iso3 } },
      COLS.map(([k, kind]) => (k === 'explanation'
        ? h('td', { class: 'explain' }, m.explanation, h('br'), h('small', null, m.rank_explanation))
        : h('td', { class: kind === 'text' ? null : 'num' }, fmt(m[k], kind)))),
      h('td', null, button(t('market.addToPlan'), () => addToPlan(m), 'btn btn-small'))));
    table.append(h('table', { class: 'table market-table' }, h('caption', null, t('market.tableCaption')),
      h('thead', null, head), h('tbody', null, rows)));
  }

  async function drawMap() {
    if (!state.data) return;
    const lib = await d3();
    const world = await worldCountries();
    clear(map);
    const byNum = new Map(state.data.markets.filter((m) => m.iso_numeric).map((m) => [m.iso_numeric, m]));
    const k = state.indicator;
    const values = state.data.markets.map((m) => m[k]).filter((v) => v !== null && v !== undefined);
    const lowerBetter = k === 'distw_km' || k === 'hhi';
    // Colour by rank among the markets (zero and below: the lightest), so a
    // few very large markets do not wash out the rest.
    const pos = [...new Set(values.filter((v) => v > 0))].sort((a, b) => a - b);
    const color = (v) => {
      let p = v > 0 && pos.length ? (lib.bisectLeft(pos, v) + 1) / pos.length : 0;
      if (lowerBetter) p = v > 0 ? 1 - p + 1 / pos.length : 0;
      return lib.interpolateBlues(0.12 + 0.83 * p);
    };
    const width = 900, height = 460;
    const projection = lib.geoNaturalEarth1().fitSize([width, height], world);
    const path = lib.geoPath(projection);
    const svg = lib.create('svg').attr('viewBox', `0 0 ${width} ${height}`).attr('role', 'img')
      .attr('aria-label', t('market.mapLabel', { indicator: t(`market.col.${k}`) }));
    svg.append('g').selectAll('path').data(world.features).join('path')
      .attr('d', path).attr('class', 'country')
      .attr('fill', (f) => { const m = byNum.get(String(f.id).padStart(3, '0')); return m && m[k] !== null && m[k] !== undefined ? color(m[k]) : '#e5e7eb'; })
      .attr('stroke', '#fff').attr('stroke-width', 0.4)
      .append('title').text((f) => { const m = byNum.get(String(f.id).padStart(3, '0')); return m ? `${f.properties.name}: ${fmt(m[k], COLS.find((c) => c[0] === k)[1])} (rank ${m.rank})` : f.properties.name; });
    map.append(svg.node(), h('figcaption', null, t('market.mapCaption', { indicator: t(`market.col.${k}`) })));
  }

  async function drawBars() {
    const lib = await d3();
    clear(bars);
    const top = state.data.markets.slice(0, 10);
    const comps = [['demand', 'import_value'], ['ease', 'ease'], ['supply', 'supply']];
    const max = Object.fromEntries(comps.map(([, f]) => [f, Math.max(...top.map((m) => m[f] || 0), 1e-9)]));
    const width = 900, rowH = 34, left = 60, height = top.length * rowH + 30;
    const x = lib.scaleLinear().domain([0, 1]).range([left, width - 20]);
    const svg = lib.create('svg').attr('viewBox', `0 0 ${width} ${height}`).attr('role', 'img').attr('aria-label', t('market.bars'));
    const colors = ['#1d4ed8', '#059669', '#d97706'];
    top.forEach((m, i) => {
      const g = svg.append('g').attr('transform', `translate(0, ${i * rowH + 4})`);
      g.append('text').attr('x', 0).attr('y', 18).text(m.iso3).attr('class', 'bar-label');
      comps.forEach(([name, f], j) => {
        g.append('rect').attr('x', left).attr('y', j * 9 + 2).attr('height', 8)
          .attr('width', Math.max(0, x((m[f] || 0) / max[f]) - left)).attr('fill', colors[j])
          .append('title').text(`${m.iso3} ${t(`market.comp.${name}`)}: ${fmt(m[f], 'frac')}`);
      });
    });
    const legend = svg.append('g').attr('transform', `translate(${left}, ${height - 10})`);
    comps.forEach(([name], j) => {
      legend.append('rect').attr('x', j * 200).attr('y', -8).attr('width', 10).attr('height', 10).attr('fill', colors[j]);
      legend.append('text').attr('x', j * 200 + 14).attr('y', 1).text(t(`market.comp.${name}`)).attr('class', 'bar-label');
    });
    bars.append(svg.node(), h('figcaption', null, t('market.barsCaption')));
  }

  async function addToPlan(m) {
    let plans;
    try {
      plans = await fetchAll('/api/v1/export-plans');
    } catch (e) {
      notify(errorText(e), 'error');
      return;
    }
    const select = h('select', { class: 'input', name: 'plan' }, plans.map((p) => h('option', { value: p.id }, `${p.title} (${p.company_name})`)));
    const rationale = h('textarea', { class: 'input', name: 'rationale', required: true, rows: 3 }, m.explanation);
    const dialog = h('dialog', { class: 'dialog' }, h('form', { method: 'dialog', onsubmit: async (e) => {
      e.preventDefault();
      try {
        await appendMarket(Number(select.value), m, rationale.value);
        dialog.close();
        dialog.remove();
        notify(t('market.added', { country: m.iso3 }), 'success');
      } catch (err) { notify(errorText(err), 'error'); }
    } }, h('h2', null, t('market.addTitle', { country: m.iso3 })),
    plans.length ? [h('label', { class: 'field' }, h('span', { class: 'label' }, t('market.plan')), select),
      h('label', { class: 'field' }, h('span', { class: 'label' }, t('market.rationale')), rationale),
      h('button', { type: 'submit', class: 'btn btn-primary' }, t('market.addToPlan'))] : h('p', null, t('market.noPlans')),
    h('button', { type: 'button', class: 'btn', onclick: () => { dialog.close(); dialog.remove(); } }, t('form.cancel'))));
    document.body.append(dialog);
    dialog.showModal();
  }

  async function appendMarket(id, m, rationale) {
    const plan = await get(`/api/v1/export-plans/${id}`);
    const d = plan.doc;
    const body = { title: d.title, status: d.status, currency: d.currency, markets: (d.markets || []).map(stripComputed) };
    for (const k of ['home', 'synthetic', 'budget', 'milestones', 'notes']) if (d[k] !== undefined) body[k] = d[k];
    body.markets.push({ country: m.iso2, product: state.product.split(',')[0].padStart(6, '0').slice(0, 6), rationale,
      entry_mode: 'distributor', incoterm: 'FCA', named_place: t('market.placeTbd'),
      ranking: { rank: m.rank, of: state.data.count, score: m.score, import_value: m.import_value, home_exports: m.home_exports,
        home_share: m.home_share, potential: m.potential, untapped: m.untapped, explanation: m.explanation,
        rank_explanation: m.rank_explanation, home: state.data.home, years: state.data.years.join('-'),
        weights_source: state.data.weights_source, taken_on: new Date().toISOString().slice(0, 10) } });
    await put(`/api/v1/export-plans/${id}`, body, { headers: { 'If-Match': `"v${plan.version}"` } });
  }

  const page = h('div', null, pageHeader(t('market.title'), { sub: t('market.sub') }), section(null, form), out,
    isStaff() || hasRole('company') ? tariffSection(() => run()) : null);
  run();
  return page;
}

// Tariffs entered by a person: the operator's (a company's own for a
// company user); the ranking applies them and says so.
function tariffSection(rerun) {
  const list = h('div', { id: 'tariff-list' });
  const field = (name, label, extra = {}) => h('label', { class: 'field' }, h('span', { class: 'label' }, t(label)),
    h('input', { name, class: 'input', ...extra }));
  async function load() {
    clear(list);
    try {
      const r = await get('/api/v1/trade/tariffs');
      list.append(r.items.length ? h('table', { class: 'table' }, h('caption', null, t('tariff.caption')),
        h('thead', null, h('tr', null, ['market', 'product', 'origin', 'rate', 'reference', 'factor', 'source', 'asOf']
          .map((k) => h('th', { scope: 'col' }, t(`tariff.${k}`))))),
        h('tbody', null, r.items.map((x) => h('tr', null, h('td', null, x.market), h('td', null, x.product), h('td', null, x.origin || '–'),
          h('td', { class: 'num' }, `${x.rate_pct}%`), h('td', { class: 'num' }, x.reference_pct === null ? '–' : `${x.reference_pct}%`),
          h('td', { class: 'num' }, fmt(x.factor, 'frac')), h('td', null, x.source), h('td', null, x.as_of))))) : h('p', { class: 'muted' }, t('tariff.none')));
    } catch (e) { list.append(h('p', { class: 'error', role: 'alert' }, errorText(e))); }
  }
  const form = h('form', { class: 'inline-form tariff-form', onsubmit: async (e) => {
    e.preventDefault();
    const f = new FormData(form);
    const body = { market: String(f.get('market')).toUpperCase(), product: String(f.get('product')), rate_pct: Number(f.get('rate_pct')),
      source: String(f.get('source')), as_of: String(f.get('as_of')) };
    if (f.get('origin')) body.origin = String(f.get('origin')).toUpperCase();
    if (f.get('reference_pct') !== '') body.reference_pct = Number(f.get('reference_pct'));
    try {
      await post('/api/v1/trade/tariffs', body);
      notify(t('tariff.saved'), 'success');
      form.reset();
      await load();
      await rerun();
    } catch (err) { notify(errorText(err), 'error'); }
  } },
  field('market', 'tariff.market', { maxlength: 2, required: true, placeholder: 'US' }),
  field('product', 'tariff.product', { required: true, placeholder: '0306', pattern: '[0-9]{2}([0-9]{2}){0,2}' }),
  field('origin', 'tariff.origin', { maxlength: 2, placeholder: 'SE' }),
  field('rate_pct', 'tariff.rate', { type: 'number', min: 0, max: 1000, step: 'any', required: true }),
  field('reference_pct', 'tariff.reference', { type: 'number', min: 0, max: 1000, step: 'any' }),
  field('source', 'tariff.source', { required: true, maxlength: 200 }),
  field('as_of', 'tariff.asOf', { type: 'date', required: true }),
  h('button', { type: 'submit', class: 'btn btn-primary' }, t('tariff.save')));
  load();
  return section(t('tariff.title'), h('p', { class: 'muted' }, t('tariff.help')), form, list);
}

export function stripComputed(m) {
  const c = { ...m };
  delete c.price_at_rule;
  delete c.targets_total_minor;
  return c;
}

export const canWritePlans = () => isStaff();
