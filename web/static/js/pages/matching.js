// matching.js - matching a cohort: run an engine, read the result with scores,
// contributions and explanations, lock or forbid pairs and run again, approve
// (offers are created), and tune the operator's score weights.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { get, post, put, del, qs } from '../api.js';
import { pageHeader, section, pagedTable, notify, confirmDialog, badge, fetchAll, button, errorText } from '../ui.js';
import { buildForm, dl } from '../forms.js';
import { fmtDateTime, fmtNumber } from '../fmt.js';
import { recordLink } from '../resources.js';

const CRITERIA = ['languages', 'market_languages', 'market_experience', 'field', 'sector', 'location', 'availability'];
const ASSIGN_ONLY = ['mode', 'threshold'];
const STABLE_ONLY = ['proposing', 'tie_break', 'seed'];

/* Whether a run option applies to the engine (and tie rule) chosen. */
function applies(name, v) {
  if (ASSIGN_ONLY.includes(name)) return v.engine === 'assign';
  if (STABLE_ONLY.includes(name)) return v.engine === 'stable' && (name !== 'seed' || v.tie_break === 'lottery');
  return true;
}

/* Scores are kept 0-10000 (exact integers); people read 0-100. */
const score100 = (s) => String(Math.round(s / 100));
const pairName = (x) => `${x.graduate_name} → ${x.position_title}, ${x.company_name}`;

export async function home({ go }) {
  const cohorts = await fetchAll('/api/v1/cohorts');
  const form = buildForm({
    fields: [
      { name: 'cohort_id', type: 'select', label: 'match.cohort', required: true,
        options: cohorts.map((c) => [String(c.id), c.name]) },
      { name: 'source', type: 'select', label: 'match.source', hint: 'match.sourceHint', required: true,
        options: [['applications', t('match.source.applications')], ['pool', t('match.source.pool')]] },
      { name: 'engine', type: 'select', label: 'match.engine', hint: 'match.engineHint', required: true,
        options: [['stable', t('match.engine.stable')], ['assign', t('match.engine.assign')]] },
      { name: 'mode', type: 'select', label: 'match.mode', hint: 'match.modeHint',
        options: [['partial', t('match.mode.partial')], ['full', t('match.mode.full')], ['maxcard', t('match.mode.maxcard')]] },
      { name: 'threshold', type: 'int', label: 'match.threshold', hint: 'match.thresholdHint' },
      { name: 'proposing', type: 'select', label: 'match.proposing', hint: 'match.proposingHint',
        options: [['candidates', t('match.proposing.candidates')], ['positions', t('match.proposing.positions')]] },
      { name: 'tie_break', type: 'select', label: 'match.tieBreak', hint: 'match.tieHint',
        options: [['id', t('match.tie.id')], ['lottery', t('match.tie.lottery')]] },
      { name: 'seed', type: 'int', label: 'match.seed' },
    ],
    record: { engine: 'stable', source: 'applications' },
    submitLabel: 'match.run',
    async onSubmit(v) {
      const body = { ...v, cohort_id: Number(v.cohort_id) };
      for (const name of Object.keys(body)) if (!applies(name, v)) delete body[name];
      // the screen shows scores 0-100; the engine counts 0-10000
      if (body.threshold !== undefined) body.threshold = Math.round(body.threshold * 100);
      const run = await post('/api/v1/match-runs', body);
      notify(t('match.done', { assigned: run.result.summary.assigned, total: run.result.summary.graduates }), 'success');
      go(`#/matching/${run.id}`);
    },
  });
  // Options that do not apply to the chosen engine are hidden (and not sent).
  const byName = Object.fromEntries(form.comps.map((c) => [c.spec.name, c]));
  const sync = () => {
    const v = { engine: byName.engine.get(), tie_break: byName.tie_break.get() };
    for (const c of form.comps) c.el.style.display = applies(c.spec.name, v) ? '' : 'none';
  };
  form.el.addEventListener('change', sync);
  sync();
  const runs = pagedTable({
    path: '/api/v1/match-runs', params: { sort: '-id' },
    columns: [
      { label: 'match.col.run', cell: (r) => t('match.runN', { id: r.id }) },
      { label: 'match.col.cohort', cell: (r) => r.cohort_name },
      { label: 'match.col.engine', cell: (r) => t(`match.engine.${r.engine}`) },
      { label: 'match.col.assigned', cell: (r) => `${r.result.summary.assigned} / ${r.result.summary.graduates}` },
      { label: 'match.col.status', cell: (r) => badge('match.status', r.status) },
      { label: 'match.col.when', cell: (r) => fmtDateTime(r.created_at) },
    ],
    rowHref: (r) => `#/matching/${r.id}`,
    empty: 'match.noRuns',
  });
  return h('div', null,
    pageHeader(t('match.title'), { sub: t('match.sub'), actions: [h('a', { class: 'btn btn-ghost', href: '#/matching/weights' }, t('match.weights'))] }),
    section(t('match.newRun'), form.el),
    section(t('match.runs'), runs.el));
}

/** Scores are 0-10000 in the API: shown on a scale of 100 ("73.5 of 100"). */
const score = (n) => t('match.scoreOf', { score: fmtNumber(n / 100, { maximumFractionDigits: 1 }) });

function partsList(parts) {
  return h('ul', { class: 'score-parts' }, parts.filter((p) => p.applicable).map((p) =>
    h('li', null, h('strong', null, `${t(`match.crit.${p.criterion}`)}: ${score100(p.points)}`), ` — ${p.detail}`)));
}

/* The breakdown of a score, on demand. */
function breakdown(parts) {
  return h('details', { class: 'score-breakdown' }, h('summary', null, t('match.breakdown')), partsList(parts));
}

function shortlists(run) {
  const lists = (run.result.shortlists || []).filter((l) => l.shortlist.length);
  if (!lists.length) return h('p', { class: 'muted' }, t('match.noShortlists'));
  return h('div', { class: 'shortlists' }, lists.map((l) => h('section', { class: 'shortlist' },
    h('h3', null, `${l.title}, ${l.company_name}`),
    h('p', { class: 'muted' }, t('match.shortlistSub', { n: l.candidates, places: l.places })),
    h('ol', null, l.shortlist.map((c) => h('li', null,
      h('strong', null, c.name), ` — ${t('match.score100', { score: score100(c.score) })}`,
      ' ', badge('match.source', c.source), c.proposed ? ` (${t('match.proposedShort')})` : '',
      h('ul', { class: 'reasons' }, c.reasons.map((r) => h('li', null, r)))))))));
}

export async function detail({ params, go }) {
  const run = await get(`/api/v1/match-runs/${params.id}`);
  const s = run.result.summary;
  const constraints = await fetchAll('/api/v1/match-constraints', { cohort_id: run.cohort_id });
  const proposed = run.status === 'proposed';

  async function constrain(pair, kind) {
    try {
      await post('/api/v1/match-constraints', { cohort_id: run.cohort_id, graduate_id: pair.graduate_id, position_id: pair.position_id, kind });
      notify(t(kind === 'lock' ? 'match.locked' : 'match.forbidden'), 'success');
      go(`#/matching/${run.id}`);
    } catch (e) { notify(errorText(e), 'error'); }
  }
  const pairs = h('table', { class: 'table' },
    h('thead', null, h('tr', null, ['match.col.pair', 'match.col.score', 'match.col.source', 'match.col.why', '']
      .map((k) => h('th', { scope: 'col' }, k ? t(k) : h('span', { class: 'sr-only' }, t('match.col.actions')))))),
    h('tbody', null, run.result.pairs.map((p) => h('tr', null,
      h('th', { scope: 'row' }, h('a', { href: `#/graduates/${p.graduate_id}` }, p.graduate_name), ' → ',
        h('a', { href: `#/positions/${p.position_id}` }, p.position_title), `, ${p.company_name}`),
      h('td', null, `${score100(p.score)}${p.locked ? ` (${t('match.lockedShort')})` : ''}`),
      h('td', null, badge('match.source', p.source || 'application')),
      h('td', null, (p.reasons && p.reasons.length ? h('ul', { class: 'reasons' }, p.reasons.map((r) => h('li', null, r))) : null),
        breakdown(p.parts)),
      h('td', null, proposed ? [button(t('match.lock'), () => constrain(p, 'lock'), 'btn btn-small'),
        button(t('match.forbid'), () => constrain(p, 'forbid'), 'btn btn-small btn-ghost')] : null)))));
  const explanations = h('ul', { class: 'explanations' }, run.result.graduates.map((g) =>
    h('li', null, h('strong', null, g.name), ': ', h('span', { class: 'pre' }, g.explanation))));
  const cons = h('ul', null, constraints.length ? constraints.map((c) => h('li', null,
    `${t(`match.kind.${c.kind}`)}: ${c.graduate_name} → ${c.position_title}${c.company_name ? `, ${c.company_name}` : ''} `,
    button(t('match.remove'), async () => {
      try { await del(`/api/v1/match-constraints/${c.id}`); go(`#/matching/${run.id}`); } catch (e) { notify(errorText(e), 'error'); }
    }, 'btn btn-small btn-ghost'))) : h('li', { class: 'muted' }, t('match.noConstraints')));
  const actions = proposed ? [
    button(t('match.approve'), async () => {
      const ok = await confirmDialog({ title: t('match.approveTitle'), message: t('match.approveMsg', { n: run.result.pairs.length }), confirmLabel: t('match.approve') });
      if (!ok) return;
      try { await post(`/api/v1/match-runs/${run.id}/approve`); notify(t('match.approved'), 'success'); go(`#/matching/${run.id}`); } catch (e) { notify(errorText(e), 'error'); }
    }, 'btn btn-primary'),
    button(t('match.rerun'), async () => {
      try {
        const again = await post('/api/v1/match-runs', { cohort_id: run.cohort_id, engine: run.engine, ...run.options });
        go(`#/matching/${again.id}`);
      } catch (e) { notify(errorText(e), 'error'); }
    }),
    button(t('match.discard'), async () => {
      try { await post(`/api/v1/match-runs/${run.id}/discard`); go(`#/matching/${run.id}`); } catch (e) { notify(errorText(e), 'error'); }
    }, 'btn btn-ghost'),
  ] : [];
  return h('div', null,
    pageHeader(t('match.runTitle', { id: run.id, cohort: run.cohort_name }), { back: ['#/matching', t('match.title')], actions }),
    section(null, dl([
      ['match.col.status', badge('match.status', run.status)],
      ['match.col.engine', t(`match.engine.${run.engine}`)],
      ['match.source', t(`match.source.${s.source || 'applications'}`)],
      ['match.col.assigned', `${s.assigned} / ${s.graduates}`],
      s.suggestions !== undefined ? ['match.suggestions', String(s.suggestions)] : null,
      s.pool ? ['match.poolCounts', t('match.poolCountsText', s.pool)] : null,
      s.blocking_pairs !== undefined ? ['match.blocking', String(s.blocking_pairs)] : null,
      ['match.col.when', fmtDateTime(run.created_at)],
    ])),
    s.pool && s.pool.positions_without_requirements
      ? h('p', { class: 'notice-warn', role: 'status' }, t('match.noRequirements', { n: s.pool.positions_without_requirements }))
      : null,
    section(t('match.pairs'), run.result.pairs.length ? h('div', { class: 'table-wrap' }, pairs) : h('p', { class: 'muted' }, t('match.noPairs'))),
    section(t('match.shortlists'), shortlists(run)),
    section(t('match.explanations'), explanations),
    section(t('match.constraints'), cons),
    run.result.forbidden.length ? section(t('match.forbiddenPairs'), h('ul', null, run.result.forbidden.map((f) =>
      h('li', null, `${f.graduate_name ? pairName(f) : `${f.graduate_id} → ${f.position_id}`}: ${f.reason}`)))) : null,
    // for audits: what the run saw and how it scored in total
    h('details', { class: 'technical' }, h('summary', null, t('match.technical')), dl([
      ['match.totalScore', String(s.total_score)],
      ['match.inputHash', h('code', null, run.input_hash)],
    ])));
}

export async function weights({ go }) {
  const w = await get('/api/v1/match-weights');
  const form = buildForm({
    fields: [...CRITERIA.map((c) => ({ name: c, type: 'int', label: `match.crit.${c}` })),
      { name: 'market_months_full', type: 'int', label: 'match.monthsFull' },
      { name: 'start_grace_days', type: 'int', label: 'match.graceDays' }],
    record: w.weights,
    submitLabel: 'form.save',
    async onSubmit(v) {
      await put('/api/v1/match-weights', v);
      notify(t('match.weightsSaved'), 'success');
      go('#/matching');
    },
  });
  return h('div', null,
    pageHeader(t('match.weights'), { back: ['#/matching', t('match.title')], sub: t(w.defaults ? 'match.weightsDefault' : 'match.weightsCustom') }),
    section(null, form.el));
}
