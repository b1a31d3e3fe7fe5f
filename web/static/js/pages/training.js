// training.js - training (issue 12): curricula and versions with their diff,
// the trainee's plan and home (due, late, returned), the module page with the
// deliverable's versions and review thread, test taking, the mentor's review
// (signed in, or by a single-use link on a phone), the cohort progress grid.
// Strings: i18n keys "training.*" when a language file has them, else the
// English below.
import { h } from '../dom.js';
import { t, lang } from '../i18n.js';
import { api, get, post, isStaff, hasRole, session } from '../api.js';
import { pageHeader, section, notify, button, errorText } from '../ui.js';
import { fmtDate, fmtDateTime } from '../fmt.js';

const EN = {
  curricula: 'Curricula', curriculaSub: 'Versioned competency frameworks; a cohort follows one version (CODE@N).',
  version: 'Version', status: 'Status', cohorts: 'Cohorts', modules: 'Modules', hours: 'Hours', ects: 'ECTS',
  mandatory: 'Mandatory', elective: 'Elective', outcomes: 'Learning outcomes', competencies: 'Competencies',
  deliverable: 'Workplace deliverable', test: 'Test', rubric: 'Rubric', compareWith: 'Compare with',
  added: 'Added', removed: 'Removed', changed: 'Changed', noChanges: 'No changes.', titleChanged: 'Title or description changed',
  myTraining: 'Training', dueNext: 'Due next', late: 'Late', returned: 'Returned with comments',
  waiting: 'Waiting for review', nothing: 'Nothing here.', plan: 'Learning plan', noPlan: 'No learning plan yet: it is made when the agreement is signed.',
  module: 'Module', due: 'Due', state: 'State', result: 'Result', versions: 'Versions and reviews',
  submit: 'Submit a new version', text: 'Your work (text, Markdown)', links: 'Links (one per line)',
  attach: 'Attach a file to the latest version', upload: 'Upload', review: 'Review', approve: 'Approve',
  requestChanges: 'Request changes', comment: 'Comment', startTest: 'Start the test', submitTest: 'Submit answers',
  attempts: 'Attempts', passed: 'Passed', failed: 'Failed', grading: 'Waiting for a person to grade',
  progress: 'Progress', atRisk: 'At risk', export: 'Export', reviewLink: 'Send a review link to a mentor without an account',
  email: 'E-mail', name: 'Name', send: 'Send', thanks: 'Thank you: your review is recorded.',
  reviewed: 'Reviewed', version_n: 'Version {n}', deadline: 'Answer before {time}', score: 'Score {p} %',
  by: 'by', open: 'Open', edit: 'Edit as a document (JSON)', save: 'Save',
  editHint: 'Saving a frozen version makes a new draft; a draft is changed in place.',
  newCurriculum: 'New curriculum (JSON document)', create: 'Create', badJson: 'Not valid JSON: {m}',
};
const s = (k, vars) => {
  const v = t(`training.${k}`, vars);
  if (v !== `training.${k}`) return v;
  const e = EN[k] || k;
  return vars ? e.replace(/\{(\w+)\}/g, (m, x) => (vars[x] === undefined ? m : String(vars[x]))) : e;
};
const stateBadge = (st) => h('span', { class: `badge badge-tr-${st}` }, String(st).replace(/_/g, ' '));
const table = (head, rows) => h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
  h('thead', null, h('tr', null, head.map((x) => h('th', { scope: 'col' }, x)))), h('tbody', null, rows)));

// ---- curricula -----------------------------------------------------------------

/** A JSON document in a textarea, checked before it is sent; the server names what it refuses. */
function docEditor(text, label, send) {
  const area = h('textarea', { id: 'tr-doc', rows: 18, class: 'input tr-doc', spellcheck: 'false' }, text);
  return h('div', null, area, h('div', { class: 'tr-actions' }, button(label, async () => {
    let body;
    try { body = JSON.parse(area.value); } catch (e) { notify(s('badJson', { m: e.message }), 'error'); return; }
    try { await send(body); } catch (e) { notify(errorText(e), 'error'); }
  }, 'btn btn-primary')));
}

export async function curricula({ go }) {
  const list = (await get('/api/v1/curricula')).items;
  const cards = await Promise.all(list.map(async (c) => {
    const full = await get(`/api/v1/curricula/${c.id}`);
    return section(`${c.code} — ${c.title}`, table([s('version'), s('status'), s('cohorts')],
      full.versions.map((v) => h('tr', null, h('td', null, h('a', { href: `#/curriculum-versions/${v.id}` }, v.ref)),
        h('td', null, stateBadge(v.status)), h('td', null, String(v.cohorts))))));
  }));
  const create = isStaff() ? section(s('newCurriculum'), docEditor(JSON.stringify({ code: 'NEW', title: '', description: '', modules: [] }, null, 2),
    s('create'), async (body) => {
      const c = await post('/api/v1/curricula', body);
      go(`#/curriculum-versions/${c.versions[0].id}`);
    })) : null;
  return h('div', null, pageHeader(s('curricula'), { sub: s('curriculaSub') }), cards, create);
}

export async function version({ params, query, go }) {
  const v = await get(`/api/v1/curriculum-versions/${params.id}`);
  const c = await get(`/api/v1/curricula/${v.curriculum_id}`);
  const others = c.versions.filter((x) => x.id !== v.id);
  let diffView = null;
  if (query.with) {
    const d = await get(`/api/v1/curriculum-versions/${v.id}/diff?with=${encodeURIComponent(query.with)}`);
    const none = !d.diff.added.length && !d.diff.removed.length && !d.diff.changed.length && !d.diff.title_changed;
    diffView = section(`${d.from} → ${d.to}`, none ? h('p', null, s('noChanges')) : h('ul', { class: 'tr-diff' },
      d.diff.title_changed ? h('li', { class: 'tr-changed' }, s('titleChanged')) : null,
      d.diff.added.map((x) => h('li', { class: 'tr-added' }, `${s('added')}: ${x}`)),
      d.diff.removed.map((x) => h('li', { class: 'tr-removed' }, `${s('removed')}: ${x}`)),
      d.diff.changed.map((x) => h('li', { class: 'tr-changed' }, `${s('changed')}: ${x.code} (${x.fields.join(', ')})`))));
  }
  const compare = others.length ? h('label', null, `${s('compareWith')} `, h('select', {
    id: 'tr-compare', onchange: (e) => go(`#/curriculum-versions/${v.id}${e.target.value ? `?with=${e.target.value}` : ''}`) },
  h('option', { value: '' }, '—'), others.map((o) => h('option', { value: String(o.id), selected: String(o.id) === query.with }, o.ref)))) : null;
  const mods = v.content.modules.map((m) => section(`${m.code} — ${m.title}`,
    h('p', null, `${m.hours} ${s('hours')} · ${m.ects} ${s('ects')} · EQF ${m.eqf_level} · ${m.mandatory ? s('mandatory') : s('elective')}`),
    h('h3', null, s('outcomes')), h('ul', null, m.outcomes.map((o) => h('li', null, o))),
    h('h3', null, s('competencies')), m.competencies.map((k) => h('details', null, h('summary', null, `${k.id} — ${k.title}`),
      h('ol', null, k.levels.map((l) => h('li', null, l.description))))),
    h('h3', null, s('deliverable')), h('p', null, h('strong', null, m.deliverable.title), ' — ', m.deliverable.description)));
  const doc = { code: v.code, title: v.content.title, description: v.content.description, modules: v.content.modules };
  const editor = isStaff() ? section(s('edit'), h('p', { class: 'muted' }, s('editHint')),
    docEditor(JSON.stringify(doc, null, 2), s('save'), async (body) => {
      const r = await api('PATCH', `/api/v1/curriculum-versions/${v.id}`, body, { headers: { 'If-Match': `"v${v.version}"` } });
      go(`#/curriculum-versions/${r.id}`);
    })) : null;
  return h('div', null, pageHeader(`${v.ref} — ${v.content.title}`, { back: ['#/curricula', s('curricula')], sub: v.status,
    actions: compare ? [compare] : [] }), diffView, mods, editor);
}

// ---- the trainee's home and plan ---------------------------------------------

export async function mine() {
  const m = await get('/api/v1/me/training');
  const list = (title, items, cls) => section(title, items.length ? h('ul', { class: `tr-list ${cls}` }, items.map((x) =>
    h('li', null, h('a', { href: `#/plan-modules/${x.id}` }, `${x.code} — ${x.deliverable || x.title}`), ' ',
      x.due_date ? h('span', { class: 'muted' }, `${s('due')} ${fmtDate(x.due_date)}`) : null, ' ', stateBadge(x.state))))
    : h('p', { class: 'muted' }, s('nothing')));
  const placements = (await get('/api/v1/placements?limit=20')).items.filter((p) => p.status === 'signed' || p.status === 'completed');
  const cohorts = isStaff() ? section(s('progress'), h('ul', { class: 'tr-list' }, (await get('/api/v1/cohorts?limit=50')).items.map((c) =>
    h('li', null, h('a', { href: `#/cohorts/${c.id}/progress` }, c.name), ' ', h('span', { class: 'muted' }, c.curriculum_version || ''))))) : null;
  return h('div', null, cohorts, pageHeader(s('myTraining'), {
    actions: placements.map((p) => h('a', { class: 'btn', href: `#/placements/${p.id}/plan` }, `${s('plan')}: ${p.graduate_name}`)).slice(0, 4) }),
  list(s('returned'), m.returned, 'tr-returned'), list(s('late'), m.late, 'tr-late'),
  list(s('waiting'), m.waiting_for_review, 'tr-waiting'), list(s('dueNext'), m.due_next, 'tr-due'));
}

export async function plan({ params }) {
  const p = await get(`/api/v1/placements/${params.id}`);
  const lp = await get(`/api/v1/placements/${params.id}/learning-plan`);
  const body = lp.plan ? table([s('module'), s('due'), s('state'), s('test'), s('result')], lp.modules.map((m) =>
    h('tr', { class: m.selected ? null : 'tr-unselected' },
      h('td', null, h('a', { href: `#/plan-modules/${m.id}` }, `${m.code} — ${m.title}`)),
      h('td', null, fmtDate(m.due_date)), h('td', null, stateBadge(m.late ? 'late' : m.selected ? m.state : 'not_chosen')),
      h('td', null, m.test_state === 'none' ? '' : stateBadge(m.test_state)), h('td', { class: 'num' }, m.result ?? ''))))
    : h('p', null, s('noPlan'));
  return h('div', null, pageHeader(`${s('plan')}: ${p.graduate_name}`, {
    back: [`#/placements/${p.id}`, p.company_name], sub: lp.plan ? lp.plan.curriculum_ref : null }), section(null, body));
}

// ---- a module: deliverable, reviews, test -------------------------------------

function reviewForm(def, onSend) {
  const comment = h('textarea', { id: 'tr-comment', rows: 3, class: 'input' });
  const picks = ((def.rubric && def.rubric.criteria) || []).map((c) => ({ c,
    sel: h('select', { id: `tr-rubric-${c.id}`, class: 'input' }, c.levels.map((l, i) => h('option', { value: String(i) }, `${l.points} — ${l.description}`))) }));
  const send = (decision) => onSend({ decision,
    comments: comment.value.trim() ? [{ on: 'text', text: comment.value.trim() }] : [],
    rubric: decision === 'approve' ? picks.map((p) => ({ criterion: p.c.id, level: Number(p.sel.value) })) : undefined });
  return h('div', { class: 'tr-review' },
    picks.map((p) => h('label', { class: 'field' }, h('span', null, p.c.title), p.sel)),
    h('label', { class: 'field' }, h('span', null, s('comment')), comment),
    h('div', { class: 'tr-actions' }, button(s('approve'), () => send('approve'), 'btn btn-primary'),
      button(s('requestChanges'), () => send('request_changes'))));
}

function thread(versions, reviews) {
  return versions.slice().reverse().map((v) => h('article', { class: 'tr-version' },
    h('h3', null, s('version_n', { n: v.number }), ' ', stateBadge(v.status), ' ', h('span', { class: 'muted' }, fmtDateTime(v.submitted_at))),
    h('pre', { class: 'tr-body' }, v.body),
    v.links && v.links.length ? h('ul', null, v.links.map((l) => h('li', null, h('a', { href: l, rel: 'noopener noreferrer' }, l)))) : null,
    (v.files || []).length ? h('ul', null, v.files.map((f) => h('li', null, h('a', { href: `/api/v1/deliverable-files/${f.id}` }, f.name), ` (${f.mime})`))) : null,
    reviews.filter((r) => r.version_id === v.id).map((r) => h('div', { class: `tr-review-note tr-${r.decision}` },
      h('strong', null, `${r.decision === 'approve' ? s('approve') : s('requestChanges')}`), ` ${s('by')} ${r.reviewer_name}, ${fmtDateTime(r.at)}`,
      h('ul', null, (r.comments || []).map((c) => h('li', null, `${c.on}: ${c.text}`)))))));
}

async function testPanel(m, go) {
  const def = m.definition;
  if (!def.test) return null;
  const used = m.attempts.filter((a) => a.state !== 'open').length;
  const info = h('p', null, `${s('attempts')}: ${used} / ${def.test.attempts} · ${def.test.time_limit_minutes} min · ${def.test.pass_mark} %`);
  const past = m.attempts.filter((a) => a.state !== 'open').map((a) => h('li', null, `#${a.number}: `, stateBadge(a.state), a.percent !== null ? ` ${s('score', { p: a.percent })}` : ''));
  const area = h('div', { id: 'tr-test' });
  const mineTrainee = hasRole('trainee') && m.test_state !== 'passed' && used < def.test.attempts;
  const start = mineTrainee ? button(s('startTest'), async () => {
    try {
      const at = await post(`/api/v1/plan-modules/${m.id}/attempts`);
      const inputs = at.questions.map((q) => {
        const name = `q-${q.id}`;
        const field = q.type === 'short' ? h('textarea', { name, rows: 2, class: 'input' })
          : h('div', null, q.options.map((o, i) => h('label', { class: 'tr-option' },
            h('input', { type: q.type === 'single' ? 'radio' : 'checkbox', name, value: String(i) }), ' ', o)));
        return { q, el: h('fieldset', { class: 'tr-question' }, h('legend', null, q.text), field) };
      });
      const form = h('form', { class: 'tr-test-form', onsubmit: async (e) => {
        e.preventDefault();
        const answers = inputs.map(({ q, el }) => {
          if (q.type === 'short') return { question: q.id, text: el.querySelector('textarea').value };
          const checked = [...el.querySelectorAll('input:checked')].map((x) => Number(x.value));
          return q.type === 'single' ? (checked.length ? { question: q.id, choice: checked[0] } : null) : { question: q.id, choices: checked };
        }).filter(Boolean);
        try {
          const r = await post(`/api/v1/test-attempts/${at.id}/submit`, { answers });
          notify(`${r.state === 'passed' ? s('passed') : r.state === 'failed' ? s('failed') : s('grading')} — ${s('score', { p: r.percent })}`,
            r.state === 'failed' ? 'error' : 'success');
          go(`#/plan-modules/${m.id}`);
        } catch (err) { notify(errorText(err), 'error'); }
      } }, h('p', null, s('deadline', { time: fmtDateTime(at.deadline) })), inputs.map((x) => x.el),
      h('button', { type: 'submit', class: 'btn btn-primary' }, s('submitTest')));
      area.replaceChildren(form);
    } catch (err) { notify(errorText(err), 'error'); }
  }, 'btn btn-primary') : null;
  return section(s('test'), info, past.length ? h('ul', null, past) : null, start, area);
}

export async function module({ params, go }) {
  const m = await get(`/api/v1/plan-modules/${params.id}`);
  const def = m.definition;
  const trainee = hasRole('trainee');
  const reviewer = isStaff() || (hasRole('mentor') && session.me && session.me.user && session.me.user.id === m.mentor_user_id);
  const latest = m.versions[m.versions.length - 1];
  const body = h('textarea', { id: 'tr-body', rows: 8, class: 'input' });
  const links = h('textarea', { id: 'tr-links', rows: 2, class: 'input' });
  const submit = (trainee || isStaff()) && m.state !== 'approved' ? section(s('submit'),
    h('label', { class: 'field' }, h('span', null, s('text')), body), h('label', { class: 'field' }, h('span', null, s('links')), links),
    button(s('submit'), async () => {
      try {
        await post(`/api/v1/plan-modules/${m.id}/deliverable-versions`, { body: body.value,
          links: links.value.split('\n').map((x) => x.trim()).filter(Boolean) });
        go(`#/plan-modules/${m.id}`);
      } catch (e) { notify(errorText(e), 'error'); }
    }, 'btn btn-primary')) : null;
  const fileIn = h('input', { type: 'file', id: 'tr-file' });
  const attach = (trainee || isStaff()) && latest && latest.status === 'submitted' ? section(s('attach'), fileIn,
    button(s('upload'), async () => {
      const f = fileIn.files[0];
      if (!f) return;
      try {
        await api('PUT', `/api/v1/deliverable-versions/${latest.id}/files?name=${encodeURIComponent(f.name)}`, f,
          { headers: { 'Content-Type': 'application/octet-stream' } });
        go(`#/plan-modules/${m.id}`);
      } catch (e) { notify(errorText(e), 'error'); }
    })) : null;
  const email = h('input', { type: 'email', id: 'tr-link-email', class: 'input' });
  const name = h('input', { type: 'text', id: 'tr-link-name', class: 'input' });
  // the reviewer has no account: the mail is written in the language picked here
  const locale = h('select', { id: 'tr-link-locale', class: 'input' },
    [['en', 'English'], ['sv', 'Svenska']].map(([v, label]) => h('option', { value: v, selected: v === lang }, label)));
  const link = (trainee || isStaff()) && latest && latest.status === 'submitted' ? section(s('reviewLink'),
    h('label', { class: 'field' }, h('span', null, s('email')), email), h('label', { class: 'field' }, h('span', null, s('name')), name),
    h('label', { class: 'field' }, h('span', null, t('invite.language')), locale),
    button(s('send'), async () => {
      try {
        await post(`/api/v1/deliverable-versions/${latest.id}/review-links`, { email: email.value, name: name.value, locale: locale.value });
        notify(s('send'), 'success');
      } catch (e) { notify(errorText(e), 'error'); }
    })) : null;
  const review = reviewer && latest && latest.status === 'submitted' ? section(s('review'), reviewForm(def, async (b) => {
    try {
      await post(`/api/v1/deliverable-versions/${latest.id}/reviews`, b);
      go(`#/plan-modules/${m.id}`);
    } catch (e) { notify(errorText(e), 'error'); }
  })) : null;
  return h('div', { class: 'tr-module' },
    pageHeader(`${m.code} — ${m.title}`, { back: [`#/placements/${m.placement_id}/plan`, s('plan')],
      sub: `${m.graduate_name || ''} · ${s('due')} ${fmtDate(m.due_date)}` }),
    section(s('deliverable'), h('p', null, stateBadge(m.state), ' ', m.result !== null ? s('score', { p: m.result }) : ''),
      h('h3', null, m.deliverable.title), h('p', null, m.deliverable.description),
      (m.deliverable.fields || []).length ? h('ul', null, m.deliverable.fields.map((f) => h('li', null, f.label))) : null,
      h('h3', null, s('outcomes')), h('ul', null, (def.outcomes || []).map((o) => h('li', null, o)))),
    review, section(s('versions'), m.versions.length ? thread(m.versions, m.reviews) : h('p', { class: 'muted' }, s('nothing'))),
    submit, attach, link, await testPanel(m, go));
}

// ---- review by a single-use link (public, phone-sized) ------------------------

export async function reviewByLink({ query }) {
  const token = query.token || '';
  let v;
  try {
    v = await post('/api/v1/review-links/open', { token });
  } catch (e) {
    return h('div', { class: 'tr-link-page' }, pageHeader(s('review')), section(null, h('p', { class: 'error' }, errorText(e))));
  }
  const page = h('div', { class: 'tr-link-page' });
  const form = reviewForm(v.definition, async (b) => {
    try {
      await post('/api/v1/review-links/review', { token, ...b });
      page.replaceChildren(pageHeader(s('reviewed')), section(null, h('p', { id: 'tr-thanks' }, s('thanks'))));
    } catch (e) { notify(errorText(e), 'error'); }
  });
  page.append(pageHeader(`${v.module.title}`, { sub: `${v.module.graduate_name} · ${s('version_n', { n: v.number })}` }),
    section(v.module.deliverable.title, h('pre', { class: 'tr-body' }, v.body),
      (v.files || []).map((f) => h('p', null, `${f.name} (${f.mime})`))),
    section(s('review'), form));
  return page;
}

// ---- the cohort grid ------------------------------------------------------------

export async function progress({ params }) {
  const g = await get(`/api/v1/cohorts/${params.id}/progress`);
  const cohort = await get(`/api/v1/cohorts/${params.id}`);
  const grid = table([s('name'), ...g.modules, '✓'], g.trainees.map((tr) => h('tr', null,
    h('th', { scope: 'row' }, h('a', { href: `#/placements/${tr.placement_id}/plan` }, tr.trainee)),
    tr.states.map((st, i) => h('td', { class: `tr-cell tr-cell-${st}`, title: `${g.modules[i]}: ${st}${tr.results[i] !== null ? ` (${tr.results[i]} %)` : ''}` },
      st === 'done' ? String(tr.results[i]) : st ? st.slice(0, 1).toUpperCase() : '')),
    h('td', { class: 'num' }, String(tr.done)))));
  const risk = g.at_risk.length ? h('ul', { class: 'tr-risk' }, g.at_risk.map((a) => h('li', null,
    h('a', { href: `#/placements/${a.placement_id}/plan` }, a.trainee), `: ${a.reasons.join('; ')}`))) : h('p', null, s('nothing'));
  return h('div', null, pageHeader(`${s('progress')}: ${cohort.name}`, { back: [`#/cohorts/${cohort.id}`, cohort.name],
    actions: [h('a', { class: 'btn', href: `/api/v1/cohorts/${params.id}/progress?format=csv` }, 'CSV'),
      h('a', { class: 'btn', href: `/api/v1/cohorts/${params.id}/progress?format=xlsx` }, 'XLSX')] }),
  section(null, h('div', { class: 'tr-grid' }, grid)), section(s('atRisk'), risk));
}
