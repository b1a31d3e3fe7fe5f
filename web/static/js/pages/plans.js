// plans.js - export plans (issue 13): the list, and a plan with its markets
// (ranking snapshot, rationale, entry mode, Incoterms rule and the price at
// it), plan against actual as a chart and a table in one currency, actuals
// entry, milestones, versions compared, PDF and XLSX.
import { h, clear } from '../dom.js';
import { t, tv } from '../i18n.js';
import { get, post, qs, hasRole, isStaff } from '../api.js';
import { pageHeader, section, pagedTable, notify, errorText, button, linkBtn, badge } from '../ui.js';
import { fmtMoney } from '../fmt.js';
import { d3 } from '../vendor.js';

const synthetic = (doc) => (doc && doc.synthetic
  ? h('p', { class: 'notice notice-synthetic', role: 'note' }, t('plan.synthetic')) : null);

export function list() {
  const table = pagedTable({
    path: '/api/v1/export-plans',
    caption: t('plan.list'),
    columns: [
      { label: 'plan.title', cell: (p) => h('a', { href: `#/export-plans/${p.id}` }, p.title) },
      { label: 'plan.company', cell: (p) => p.company_name },
      { label: 'plan.status', cell: (p) => badge('plan.status', p.status) },
      { label: 'plan.markets', cell: (p) => (p.doc.markets || []).map((m) => m.country).join(', ') },
      { label: 'plan.version', cell: (p) => String(p.version) },
      { label: 'plan.data', cell: (p) => (p.doc.synthetic ? t('plan.syntheticShort') : '') },
    ],
  });
  return h('div', null, pageHeader(t('plan.listTitle'), { sub: t('plan.listSub'),
    actions: [linkBtn('#/markets', t('market.title'))] }), table.el);
}

function progressChart(lib, p) {
  const rows = p.totals;
  const width = 900, height = 300, left = 120, bottom = 40;
  const max = Math.max(1, ...rows.flatMap((r) => [r.target_minor, r.actual_minor || 0]));
  const x = lib.scaleBand().domain(rows.map((r) => r.quarter)).range([left, width - 10]).padding(0.25);
  const y = lib.scaleLinear().domain([0, max]).nice().range([height - bottom, 10]);
  const svg = lib.create('svg').attr('viewBox', `0 0 ${width} ${height}`).attr('role', 'img')
    .attr('aria-label', t('plan.chartLabel', { currency: p.currency }));
  svg.append('g').attr('transform', `translate(0, ${height - bottom})`).call(lib.axisBottom(x));
  svg.append('g').attr('transform', `translate(${left}, 0)`)
    .call(lib.axisLeft(y).ticks(5).tickFormat((v) => fmtMoney(v, p.currency)));
  const bw = x.bandwidth() / 2;
  for (const r of rows) {
    svg.append('rect').attr('class', 'bar-target').attr('x', x(r.quarter)).attr('y', y(r.target_minor)).attr('width', bw)
      .attr('height', y(0) - y(r.target_minor)).attr('fill', '#9ca3af')
      .append('title').text(`${r.quarter} ${t('plan.target')}: ${fmtMoney(r.target_minor, p.currency)}`);
    if (r.actual_minor !== null) {
      svg.append('rect').attr('class', 'bar-actual').attr('x', x(r.quarter) + bw).attr('y', y(r.actual_minor)).attr('width', bw)
        .attr('height', y(0) - y(r.actual_minor)).attr('fill', '#1d4ed8')
        .append('title').text(`${r.quarter} ${t('plan.actual')}: ${fmtMoney(r.actual_minor, p.currency)}`);
    }
  }
  return svg.node();
}

function progressTable(p) {
  const head = h('tr', null, ['plan.market', 'plan.quarter', 'plan.target', 'plan.actual', 'plan.variance', 'plan.attainment']
    .map((k) => h('th', { scope: 'col' }, t(k))));
  const rows = p.markets.flatMap((m) => m.rows.map((r) => h('tr', null, h('td', null, `${m.country} ${m.product}`),
    h('td', null, r.quarter), h('td', { class: 'num' }, fmtMoney(r.target_minor, p.currency)),
    h('td', { class: 'num' }, r.actual_minor === null ? '–' : fmtMoney(r.actual_minor, p.currency)),
    h('td', { class: 'num' }, r.variance_minor === null ? '–' : fmtMoney(r.variance_minor, p.currency)),
    h('td', { class: 'num' }, r.attainment === null ? '–' : `${Math.round(r.attainment * 100)}%`))));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'table' }, h('caption', null, t('plan.progressCaption', { currency: p.currency })),
    h('thead', null, head), h('tbody', null, rows)));
}

function marketCard(m) {
  const p = m.price_at_rule;
  return h('article', { class: 'plan-market' },
    h('h3', null, `${m.country} – ${m.product}`),
    h('p', null, `${tv('plan.mode', m.entry_mode)} · Incoterms® 2020 ${m.incoterm} ${m.named_place}`),
    p ? h('p', null, t('plan.price', { exw: fmtMoney(p.ex_works_minor, p.currency), rule: p.rule,
      price: fmtMoney(p.price_minor, p.currency), place: p.named_place || '' })) : null,
    p && p.seller_pays.length ? h('ul', { class: 'plain' }, p.seller_pays.map((l) => h('li', null, `+ ${l.label}: ${fmtMoney(l.amount_minor, p.currency)}`))) : null,
    m.ranking ? h('p', { class: 'muted' }, `${m.ranking.synthetic ? `${t('plan.syntheticShort')} · ` : ''}${m.ranking.unavailable ? t('plan.rankingUnavailable', { why: m.ranking.unavailable }) : ''}${m.ranking.rank_explanation || ''}${m.ranking.explanation ? ` – ${m.ranking.explanation}` : ''}${m.ranking.taken_on ? ` (${t('plan.rankingTaken', { day: m.ranking.taken_on })})` : ''}`) : null,
    m.ranking && m.ranking.data_changed ? h('p', { class: 'notice', role: 'note' }, t('plan.rankingStale', { at: m.ranking.data_imported_now })) : null,
    h('p', null, h('strong', null, t('plan.rationale')), ' ', m.rationale),
    partnerContacts(m),
    m.channel_partners ? h('p', null, h('strong', null, t('plan.partners')), ' ', m.channel_partners) : null);
}

/* Channel partners linked from the network directory: name (organisation), each a link to the contact. */
function partnerContacts(m) {
  const cs = m.channel_partner_contacts || [];
  if (!cs.length) return null;
  return h('p', { class: 'plan-partner-contacts' }, h('strong', null, t('plan.partnerContacts')), ' ',
    ...cs.flatMap((c, i) => [i ? '; ' : null, h('a', { href: `#/network/contacts/${c.id}` }, c.name),
      c.organisation ? ` (${c.organisation})` : null]));
}

function actualsForm(plan, reload) {
  const countries = [...new Set((plan.doc.markets || []).map((m) => m.country))];
  const form = h('form', { class: 'inline-form', onsubmit: async (e) => {
    e.preventDefault();
    const f = new FormData(form);
    const cur = String(f.get('currency')).toUpperCase();
    const amount = Number(f.get('amount'));
    try {
      await post(`/api/v1/export-plans/${plan.id}/actuals`, { actuals: [{ market: f.get('market'), quarter: f.get('quarter'),
        currency: cur, amount_minor: Math.round(amount * 100) }] }, { headers: { 'If-Match': `"v${plan.version}"` } });
      notify(t('plan.actualSaved'), 'success');
      reload();
    } catch (err) { notify(errorText(err), 'error'); }
  } },
  h('label', { class: 'field' }, h('span', { class: 'label' }, t('plan.market')), h('select', { name: 'market', class: 'input' }, countries.map((c) => h('option', { value: c }, c)))),
  h('label', { class: 'field' }, h('span', { class: 'label' }, t('plan.quarter')), h('input', { name: 'quarter', class: 'input', placeholder: '2024-Q3', required: true })),
  h('label', { class: 'field' }, h('span', { class: 'label' }, t('plan.currency')), h('input', { name: 'currency', class: 'input', value: plan.doc.currency, maxlength: 3, required: true })),
  h('label', { class: 'field' }, h('span', { class: 'label' }, t('plan.amount')), h('input', { name: 'amount', class: 'input', type: 'number', min: 0, step: '0.01', required: true })),
  h('button', { type: 'submit', class: 'btn btn-primary' }, t('plan.addActual')));
  return form;
}

async function versionsSection(plan) {
  const v = await get(`/api/v1/export-plans/${plan.id}/versions`);
  const out = h('div');
  const from = h('select', { class: 'input', name: 'from' }, v.items.map((x) => h('option', { value: x.version, selected: x.version === Math.max(1, plan.version - 1) }, `v${x.version} ${x.change}`)));
  const to = h('select', { class: 'input', name: 'to' }, v.items.map((x) => h('option', { value: x.version, selected: x.version === plan.version }, `v${x.version} ${x.change}`)));
  const compare = button(t('plan.compare'), async () => {
    clear(out);
    const d = await get(`/api/v1/export-plans/${plan.id}/diff${qs({ from: from.value, to: to.value })}`);
    out.append(d.changes.length ? h('ul', { class: 'diff' }, d.changes.slice(0, 200).map((c) => h('li', null, h('code', null, c.path), ': ',
      JSON.stringify(c.old), ' → ', JSON.stringify(c.new)))) : h('p', null, t('plan.noChanges')));
  });
  return section(t('plan.versions'), h('ol', null, v.items.map((x) => h('li', null, `v${x.version} · ${x.change} · ${x.changed_at}${x.changed_by_name ? ` · ${x.changed_by_name}` : ''}`))),
    h('div', { class: 'inline-form' }, from, to, compare), out);
}

// The plan as the deliverable of the learning plan's market modules (MR, MES):
// submitted here, reviewed on the module's page like any deliverable.
async function deliverableSection(plan) {
  if (!plan.placement_id || !(hasRole('trainee') || isStaff())) return null;
  let modules = [];
  try { modules = (await get(`/api/v1/placements/${plan.placement_id}/learning-plan`)).modules || []; } catch { return null; }
  const market = modules.filter((m) => ['MR', 'MES'].includes(m.code) && m.selected && m.state !== 'approved');
  if (!market.length) return null;
  const pick = h('select', { class: 'input', name: 'plan_module_id' }, market.map((m) => h('option', { value: m.id }, `${m.code} ${m.title} (${m.state})`)));
  return section(t('plan.deliverable'), h('p', { class: 'muted' }, t('plan.deliverableHelp', { version: plan.version })),
    h('div', { class: 'inline-form' }, pick, button(t('plan.deliverableSubmit'), async () => {
      try {
        const r = await post(`/api/v1/export-plans/${plan.id}/submit`, { plan_module_id: Number(pick.value) });
        notify(t('plan.deliverableSent'), 'success');
        location.hash = r.review;
      } catch (err) { notify(errorText(err), 'error'); }
    })));
}

export async function detail({ params }) {
  const root = h('div');
  async function render() {
    const plan = await get(`/api/v1/export-plans/${params.id}`);
    const doc = plan.doc;
    let progress = null, progressError = null;
    try { progress = await get(`/api/v1/export-plans/${plan.id}/progress`); } catch (e) { progressError = errorText(e); }
    const chart = h('figure', { class: 'plan-chart' });
    clear(root);
    root.append(
      pageHeader(plan.title, { sub: `${plan.company_name} · ${tv('plan.status', plan.status)} · v${plan.version}`,
        back: ['#/export-plans', t('plan.listTitle')],
        actions: [linkBtn(`/api/v1/export-plans/${plan.id}/plan.pdf`, 'PDF'), linkBtn(`/api/v1/export-plans/${plan.id}/plan.xlsx`, 'XLSX')] }),
      synthetic(doc),
      section(t('plan.progress'), progressError ? h('p', { class: 'error', role: 'alert' }, progressError) : [chart,
        h('p', { class: 'muted' }, progress.basis), progressTable(progress)],
      hasRole('company', 'trainee') || isStaff() ? actualsForm(plan, render) : null),
      section(t('plan.markets'), doc.ranking_data_changed && (hasRole('trainee') || isStaff())
        ? h('p', { class: 'inline-form' }, t('plan.rankingStaleCount', { n: doc.ranking_data_changed }), button(t('plan.rankingRefresh'), async () => {
          try {
            await post(`/api/v1/export-plans/${plan.id}/ranking-refresh`, {}, { headers: { 'If-Match': `"v${plan.version}"` } });
            notify(t('plan.rankingRefreshed'), 'success');
            render();
          } catch (err) { notify(errorText(err), 'error'); }
        }, 'btn btn-small')) : null, (doc.markets || []).map(marketCard)),
      section(t('plan.milestones'), h('ul', null, (doc.milestones || []).map((m) => h('li', null, `${m.done ? '✓' : '○'} ${m.due} ${m.title} (${m.owner})`))),
        (doc.budget || []).length ? h('p', null, t('plan.budget', { total: fmtMoney(doc.budget.reduce((s, b) => s + b.amount_minor, 0), doc.currency) })) : null),
      await versionsSection(plan), await deliverableSection(plan));
    if (progress) {
      const lib = await d3();
      chart.append(progressChart(lib, progress), h('figcaption', null, t('plan.chartCaption', { currency: progress.currency })));
    }
  }
  await render();
  return root;
}
