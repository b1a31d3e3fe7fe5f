// records.js - list, detail, create and edit screens for the programme resources, with
// what each resource adds: the SME check, consent/CV/GDPR, status and stage actions,
// the application history and the three-party agreement.
import { h, clear, append, replace } from '../dom.js';
import { t, tv } from '../i18n.js';
import { get, post, patch, del, put, api, qs, mainRole, isStaff, subjectOf, hasRole, session } from '../api.js';
import { fmtDateTime, fmtDate, fmtBytes, fmtMoney } from '../fmt.js';
import { buildForm, makeField, dl, codeText } from '../forms.js';
import { pageHeader, section, pagedTable, badge, linkBtn, button, notify, errorText, errorPage, confirmDialog, exportLinks } from '../ui.js';
import { RESOURCES, can, smeBadge, OPEN_STAGES, REF, recordLink } from '../resources.js';
import { go } from '../app.js';
import { debounce } from '../dom.js';

const visible = (spec, role, mode) => {
  if (spec.staffOnly && !(role === 'admin' || role === 'coordinator')) return false;
  if (spec.roles && !spec.roles.includes(role)) return false;
  if (spec.createOnly && mode !== 'create') return false;
  if (spec.editOnly && mode !== 'edit') return false;
  return true;
};

// ---------------------------------------------------------------- lists
export function list({ params, query }) {
  const res = params.res;
  const R = RESOURCES[res];
  const role = mainRole();
  const state = { ...query };
  if (!state.sort) state.sort = R.sorts[0];
  const title = t(R.plural);
  const syncUrl = () => history.replaceState(null, '', `#/${res}${qs(state)}`);

  const table = pagedTable({ path: R.path, params: state, columns: R.columns, rowHref: (it) => `#/${res}/${it.id}`, caption: title });
  const exp = exportLinks(R.path, state, res);
  const apply = () => { syncUrl(); table.reload({ ...state }); exp.update(state); };

  const controls = [];
  const filterEls = [];
  if (!R.noSearch) {
    const sid = 'list-search';
    const input = h('input', { id: sid, type: 'search', class: 'input', value: state.q || '', placeholder: t('list.searchPlaceholder') });
    input.addEventListener('input', debounce(() => { state.q = input.value.trim() || undefined; apply(); }, 300));
    controls.push(h('div', { class: 'field field-compact' }, h('label', { for: sid, class: 'label' }, t('list.search')), input));
  }
  for (const f of R.filters) {
    if (!visible(f, role, 'filter')) continue;
    const spec = { ...f, onChange: (v) => { state[f.name] = v; apply(); } };
    const comp = makeField(spec, state[f.name] ?? null, { compact: true });
    if (f.type === 'select') comp.control.addEventListener('change', () => { state[f.name] = comp.get() || undefined; apply(); });
    else {
      // clearing a picker removes the filter
      comp.el.querySelector('input').addEventListener('change', (e) => { if (!e.target.value.trim()) { state[f.name] = undefined; apply(); } });
    }
    filterEls.push(comp.el);
  }
  const sortId = 'list-sort';
  const sortSel = h('select', { id: sortId, class: 'input' }, R.sorts.map((s) => h('option', { value: s }, t(`sort.${s}`))));
  sortSel.value = state.sort;
  sortSel.addEventListener('change', () => { state.sort = sortSel.value; apply(); });
  filterEls.push(h('div', { class: 'field field-compact' }, h('label', { for: sortId, class: 'label' }, t('list.sort')), sortSel));
  const hasFilters = Object.keys(query).some((k) => k !== 'sort');
  // On a phone the filters fold away behind "Filters" (open when some are set).
  const open = hasFilters || !window.matchMedia('(max-width: 600px)').matches;
  controls.push(h('details', { class: 'toolbar-filters', open }, h('summary', null, t('list.filters')), h('div', { class: 'toolbar-filters-body' }, filterEls)));
  const actions = [];
  if (res === 'applications' && isStaff()) actions.push(linkBtn('#/board', t('nav.pipeline')));
  if (can(role, 'create', res)) actions.push(linkBtn(`#/${res}/new`, t(`${res}.new`), 'btn btn-primary'));
  if ((res === 'companies' || res === 'graduates') && isStaff()) actions.push(linkBtn(`#/import?kind=${res}`, t('import.title')));
  actions.push(exp.el);
  return h('div', null,
    pageHeader(title, { actions }),
    h('search', { class: 'toolbar', aria: { label: t('list.filters') } }, controls,
      hasFilters ? h('a', { class: 'btn btn-ghost btn-small toolbar-clear', href: `#/${res}` }, t('list.clear')) : null),
    table.el);
}

// ---------------------------------------------------------------- forms
function formFields(res, role, mode) {
  return RESOURCES[res].fields.filter((f) => visible(f, role, mode));
}

async function operatorField() {
  const r = await get('/orgs?kind=operator&limit=200');
  return { name: 'org_id', label: 'common.operator', type: 'select', required: true, options: r.items.map((o) => [String(o.id), o.name]) };
}

export async function create({ params, query }) {
  const res = params.res;
  const R = RESOURCES[res];
  const role = mainRole();
  const fields = formFields(res, role, 'create');
  const admin = role === 'admin';
  if (admin) fields.unshift(await operatorField());
  const record = {};
  for (const [k, v] of Object.entries(query)) record[k] = /_id$/.test(k) && /^\d+$/.test(v) ? Number(v) : v;
  const form = buildForm({
    fields, record, submitLabel: 'form.create',
    onCancel: () => history.back(),
    async onSubmit(values) {
      if (admin && values.org_id) values.org_id = Number(values.org_id);
      if (res === 'positions' && role === 'company') { const s = subjectOf('company'); if (s) values.company_id = s.id; }
      const rec = await post(R.path, values);
      notify(t('form.created', { what: t(R.singular) }), 'success');
      go(`#/${res}/${rec.id}`);
    },
  });
  return h('div', null, pageHeader(t(`${res}.new`), { back: [`#/${res}`, t(R.plural)] }), h('div', { class: 'card' }, form.el));
}

export async function edit({ params }) {
  const res = params.res;
  const R = RESOURCES[res];
  const role = mainRole();
  const wrap = h('div', { class: 'card' });
  const path = `${R.path}/${params.id}`;
  const rec = await get(path);
  const mount = (record, note) => {
    const form = buildForm({
      fields: formFields(res, role, 'edit'), record, patch: true,
      onCancel: () => go(`#/${res}/${params.id}`),
      async onSubmit(values) {
        try {
          await patch(path, { ...values, version: record.version });
        } catch (e) {
          if (e.status === 412) { staleNotice(form, path, mount); return; }
          throw e;
        }
        notify(t('form.saved'), 'success');
        go(`#/${res}/${params.id}`);
      },
    });
    if (note) { form.alert.hidden = false; replace(form.alert, note); }
    replace(wrap, form.el);
  };
  mount(rec);
  return h('div', null, pageHeader(t('form.editWhat', { what: R.title(rec) }), { back: [`#/${res}/${params.id}`, R.title(rec)] }), wrap);
}

/** 412: someone else changed the record; offer to reload the fresh version (edits are lost). */
function staleNotice(form, path, mount) {
  form.alert.hidden = false;
  replace(form.alert, h('span', null, t('form.stale')), ' ',
    button(t('form.reload'), async () => { mount(await get(path), t('form.reloaded')); }, 'btn btn-small'));
  form.alert.querySelector('button').focus();
}

// ---------------------------------------------------------------- details
export async function detail({ params }) {
  const res = params.res;
  const R = RESOURCES[res];
  const role = mainRole();
  const path = `${R.path}/${params.id}`;
  const rec = await get(path);
  const actions = [];
  if (can(role, 'edit', res, rec) && !(res === 'placements' && rec.locked_at)) actions.push(linkBtn(`#/${res}/${rec.id}/edit`, t('form.edit')));
  if (can(role, 'delete', res, rec)) {
    actions.push(button(t('form.delete'), async () => {
      const ok = await confirmDialog({ title: t('form.deleteTitle', { what: R.title(rec) }), message: t('form.deleteMessage'), confirmLabel: t('form.delete'), danger: true });
      if (!ok) return;
      try { await del(path); notify(t('form.deleted'), 'success'); go(`#/${res}`); } catch (e) { notify(errorText(e), 'error'); }
    }, 'btn btn-danger-ghost'));
  }
  const statusBadge = rec.status ? badge(res === 'placements' ? 'pstatus' : 'status', rec.status) : rec.stage ? badge('stage', rec.stage) : null;
  const head = pageHeader(R.title(rec), { actions, back: [`#/${res}`, t(R.plural)], sub: statusBadge });
  const props = [...(R.detailFields || []), ...R.fields.filter((f) => (visible(f, role, 'detail') || f.editOnly) && !f.hideInDetail && !(R.detailFields || []).some((d) => d.name === f.name))].map((f) => {
    const v = rec[f.name];
    const show = R.show[f.name];
    return [f.label, show ? show(v, rec) : v];
  });
  const extra = EXTRAS[res] ? await EXTRAS[res](rec, role, () => go(`#/${res}/${rec.id}`)) : [];
  return h('div', null, head,
    h('div', { class: 'detail-grid' },
      h('div', { class: 'detail-main' }, extra.top || null, section(t('detail.details'), dl(props)), extra.more || null),
      extra.side && [].concat(extra.side).some(Boolean) ? h('aside', { class: 'detail-side', aria: { label: t('detail.related') } }, extra.side) : null),
    h('p', { class: 'muted small' }, t('detail.meta', { created: fmtDateTime(rec.created_at), updated: fmtDateTime(rec.updated_at), version: rec.version })));
}

async function act(fn, okMsg, reload) {
  try {
    await fn();
    if (okMsg) notify(okMsg, 'success');
    reload();
  } catch (e) {
    notify(errorText(e), 'error');
  }
}

// --- companies
function companyExtras(rec, role) {
  const c = rec.sme_check;
  const sme = c ? section(t('companies.smeCheck'),
    h('p', null, smeBadge(c)),
    c.reasons && c.reasons.length ? h('ul', { class: 'plain' }, c.reasons.map((r) => h('li', null, r))) : null,
    c.rule ? h('p', { class: 'muted small' }, c.rule) : null) : null;
  const positions = section(t('nav.positions'), pagedTable({ path: '/positions', params: { company_id: rec.id }, limit: 10, rowHref: (p) => `#/positions/${p.id}`,
    columns: [RESOURCES.positions.columns[0], RESOURCES.positions.columns[2]] }).el);
  return { side: [sme, positions] };
}

// --- graduates
function graduateExtras(rec, role, reload) {
  const staff = isStaff();
  const erased = !!rec.erased_at;
  const side = [];
  if (erased) side.push(section(t('graduates.erasedTitle'), h('p', null, t('graduates.erasedText', { at: fmtDateTime(rec.erased_at) }))));
  // consent
  const canConsent = !erased && (staff || role === 'trainee');
  const consentBox = section(t('graduates.consent'),
    rec.consent ? dl([
      ['graduates.consentPurpose', rec.consent.purpose], ['graduates.consentVersion', rec.consent.text_version],
      ['graduates.consentGiven', fmtDateTime(rec.consent.given_at)]]) : h('p', { class: 'muted' }, t('graduates.noConsent')));
  if (canConsent) {
    if (rec.consent) {
      consentBox.append(button(t('graduates.withdrawConsent'), async () => {
        const ok = await confirmDialog({ title: t('graduates.withdrawConsent'), message: t('graduates.withdrawConsentMsg'), confirmLabel: t('graduates.withdrawConsent'), danger: true });
        if (ok) act(() => del(`/graduates/${rec.id}/consent`), t('graduates.consentWithdrawn'), reload);
      }, 'btn btn-danger-ghost'));
    } else {
      const form = buildForm({
        fields: [
          { name: 'purpose', label: 'graduates.consentPurpose', required: true },
          { name: 'text_version', label: 'graduates.consentVersion', required: true },
        ],
        record: { purpose: t('graduates.consentDefaultPurpose'), text_version: '1' },
        submitLabel: 'graduates.recordConsent',
        async onSubmit(v) { await post(`/graduates/${rec.id}/consent`, v); notify(t('graduates.consentRecorded'), 'success'); reload(); },
      });
      consentBox.append(form.el);
    }
  }
  side.push(consentBox);
  // CV
  const cvBox = section(t('graduates.cv'),
    rec.has_cv ? h('p', null, h('a', { href: `/api/v1/graduates/${rec.id}/cv`, download: rec.cv_name || 'cv.pdf', class: 'btn btn-small' }, t('graduates.downloadCv')),
      ' ', h('span', { class: 'muted small' }, `${rec.cv_name || 'cv.pdf'} · ${fmtBytes(rec.cv_size)}`)) : h('p', { class: 'muted' }, t('graduates.noCv')));
  if (!erased && (staff || role === 'trainee')) {
    const fid = `cv-file-${rec.id}`;
    const file = h('input', { id: fid, type: 'file', accept: 'application/pdf,.pdf', class: 'input' });
    const err = h('p', { class: 'field-error', id: `${fid}-err`, hidden: true });
    file.setAttribute('aria-describedby', err.id);
    const upload = h('form', { class: 'cv-upload', onsubmit: async (e) => {
      e.preventDefault();
      err.hidden = true;
      const f = file.files[0];
      if (!f) { err.hidden = false; err.textContent = t('graduates.chooseFile'); file.focus(); return; }
      try {
        await api('PUT', `/graduates/${rec.id}/cv${qs({ filename: f.name })}`, f, { headers: { 'Content-Type': 'application/pdf' } });
        notify(t('graduates.cvUploaded'), 'success');
        reload();
      } catch (ex) { err.hidden = false; err.textContent = errorText(ex); file.focus(); }
    } }, h('div', { class: 'field' }, h('label', { for: fid, class: 'label' }, t('graduates.uploadCv')), file, h('p', { class: 'hint' }, t('graduates.cvHint')), err),
    h('button', { type: 'submit', class: 'btn btn-small' }, t('graduates.upload')));
    cvBox.append(upload);
  }
  side.push(cvBox);
  // GDPR
  if (staff || role === 'trainee') {
    const gdpr = section(t('graduates.gdpr'),
      h('p', null, h('a', { class: 'btn btn-small', href: `/api/v1/graduates/${rec.id}/export`, download: `graduate-${rec.id}-export.json` }, t('graduates.export'))));
    if (staff && !erased) {
      gdpr.append(h('p', { class: 'muted small' }, t('graduates.eraseHelp')),
        button(t('graduates.erase'), async () => {
          const ok = await confirmDialog({ title: t('graduates.eraseTitle', { name: rec.name }), message: t('graduates.eraseMsg', { name: rec.name }), confirmLabel: t('graduates.eraseConfirm'), danger: true });
          if (ok) act(() => post(`/graduates/${rec.id}/erase`), t('graduates.erased'), reload);
        }, 'btn btn-danger'));
    }
    side.push(gdpr);
  }
  const more = (staff || role === 'trainee') ? section(t('nav.applications'), pagedTable({ path: '/applications', params: { graduate_id: rec.id }, limit: 10, rowHref: (a) => `#/applications/${a.id}`,
    columns: [RESOURCES.applications.columns[1], RESOURCES.applications.columns[2], RESOURCES.applications.columns[3]] }).el) : null;
  return { side, more };
}

// --- positions
const POSITION_ACTIONS = [
  // [from, to, label, who]
  ['draft', 'submitted', 'positions.submit', 'any'],
  ['submitted', 'draft', 'positions.backToDraft', 'any'],
  ['submitted', 'approved', 'positions.approve', 'staff'],
  ['approved', 'open', 'positions.open', 'staff'],
  ['approved', 'draft', 'positions.backToDraft', 'staff'],
  ['open', 'closed', 'positions.close', 'staff'],
  ['open', 'filled', 'positions.markFilled', 'staff'],
  ['closed', 'open', 'positions.reopen', 'staff'],
  ['filled', 'open', 'positions.reopen', 'staff'],
];

async function positionExtras(rec, role, reload) {
  const staff = isStaff();
  const side = [];
  const acts = POSITION_ACTIONS.filter(([from, , , who]) => from === rec.status && (staff || (who === 'any' && role === 'company')));
  if (acts.length) {
    side.push(section(t('positions.statusActions'),
      h('p', null, t('positions.currentStatus'), ' ', badge('status', rec.status)),
      h('div', { class: 'button-row' }, acts.map(([, to, label]) => button(t(label), () => act(() => post(`/positions/${rec.id}/status`, { status: to }), t('positions.statusChanged', { status: tv('status', to) }), reload),
        to === 'approved' || to === 'open' || to === 'submitted' ? 'btn btn-primary' : 'btn')))));
  }
  if (role === 'trainee' && rec.status === 'open') {
    const s = subjectOf('trainee');
    let mine = [];
    try { mine = (await get(`/applications${qs({ position_id: rec.id, limit: 5 })}`)).items; } catch { /* none */ }
    side.push(section(t('positions.apply'), mine.length
      ? h('p', null, t('positions.alreadyApplied'), ' ', h('a', { href: `#/applications/${mine[0].id}` }, tv('stage', mine[0].stage)))
      : [h('p', { class: 'muted' }, t('positions.applyHelp')), button(t('positions.applyNow'), () => act(async () => {
        const a = await post('/applications', { position_id: rec.id, ...(s ? {} : {}) });
        go(`#/applications/${a.id}`);
      }, t('positions.applied'), () => {}), 'btn btn-primary')]));
  }
  if (staff || role === 'company') {
    side.push(section(role === 'company' ? t('nav.shortlist') : t('nav.applications'),
      pagedTable({ path: '/applications', params: { position_id: rec.id }, limit: 20, rowHref: (a) => `#/applications/${a.id}`, empty: 'home.noApplications',
        columns: [RESOURCES.applications.columns[0], RESOURCES.applications.columns[3]] }).el,
      staff ? h('p', null, h('a', { href: `#/board?position_id=${rec.id}` }, t('positions.openBoard'))) : null));
    // the newest match run's best candidates for this position, with reasons
    let sl = null;
    try { sl = await get(`/positions/${rec.id}/shortlist`); } catch { /* none */ }
    if (sl && sl.run_id && sl.shortlist.length) {
      side.push(section(t('match.positionShortlist'),
        h('p', { class: 'muted' }, t('match.shortlistSub', { n: sl.candidates, places: rec.places ?? 1 })),
        h('ol', { class: 'shortlist' }, sl.shortlist.map((c) => h('li', null,
          h('strong', null, c.name), ` — ${t('match.score100', { score: String(Math.round(c.score / 100)) })} `,
          badge('match.source', c.source),
          h('ul', { class: 'reasons' }, c.reasons.map((r) => h('li', null, r))))))));
    }
  }
  return { side };
}

// --- applications
/** The stage moves the current role may make from `stage` (mirrors the API rules). */
export function stageMoves(stage, role) {
  const staff = role === 'admin' || role === 'coordinator';
  const i = OPEN_STAGES.indexOf(stage);
  const moves = [];
  if (i < 0) return moves; // closed stages
  if (staff) {
    if (i < 3) moves.push({ to: OPEN_STAGES[i + 1], kind: 'forward' });
    if (stage === 'shortlisted') moves.push({ to: 'offered', kind: 'forward' });
    if (stage === 'offered') moves.push({ to: 'accepted', kind: 'forward' }, { to: 'declined', kind: 'close' });
    if (i > 0) moves.push({ to: OPEN_STAGES[i - 1], kind: 'back' });
    moves.push({ to: 'rejected', kind: 'close' }, { to: 'withdrawn', kind: 'close' });
  } else if (role === 'company') {
    if (stage === 'shortlisted') moves.push({ to: 'offered', kind: 'forward' }, { to: 'rejected', kind: 'close' });
  } else if (role === 'trainee') {
    if (stage === 'offered') moves.push({ to: 'accepted', kind: 'forward' }, { to: 'declined', kind: 'close' });
    moves.push({ to: 'withdrawn', kind: 'close' });
  }
  return moves;
}

export function moveLabel(m) {
  return m.kind === 'back' ? t('applications.backTo', { stage: tv('stage', m.to) }) : t(`move.${m.to}`);
}

function applicationExtras(rec, role, reload) {
  const moves = stageMoves(rec.stage, role);
  const side = [];
  if (moves.length) {
    const nid = `note-${rec.id}`;
    const note = h('input', { id: nid, type: 'text', class: 'input', maxlength: '1000' });
    side.push(section(t('applications.stageActions'),
      h('p', null, t('applications.currentStage'), ' ', badge('stage', rec.stage)),
      h('div', { class: 'field' }, h('label', { for: nid, class: 'label' }, t('applications.note')), note),
      h('div', { class: 'button-row' }, moves.map((m) => button(moveLabel(m), () => act(
        () => post(`/applications/${rec.id}/stage`, { stage: m.to, ...(note.value.trim() ? { note: note.value.trim() } : {}) }),
        t('applications.moved', { stage: tv('stage', m.to) }), reload), m.kind === 'forward' ? 'btn btn-primary' : m.kind === 'close' ? 'btn btn-danger-ghost' : 'btn')))));
  }
  if (rec.stage === 'accepted' && isStaff()) {
    side.push(section(t('applications.nextStep'), linkBtn(`#/placements/new${qs({ graduate_id: rec.graduate_id, company_id: rec.company_id, position_id: rec.position_id })}`, t('applications.createPlacement'), 'btn btn-primary')));
  }
  const history = section(t('applications.history'),
    h('ol', { class: 'timeline' }, (rec.history || []).map((e) => h('li', { class: 'timeline-item' },
      h('div', null, e.from_stage ? [badge('stage', e.from_stage), ' → '] : null, badge('stage', e.to_stage)),
      h('div', { class: 'muted small' }, `${fmtDateTime(e.at)} · ${e.user_name || t('common.system')}`),
      e.note ? h('p', { class: 'timeline-note' }, e.note) : null))));
  return { side, more: history };
}

// --- placements
/** The party the signed-in user accepts as, for this placement (null when none). */
export function myParty(rec) {
  if (isStaff()) return 'operator';
  const roles = session.me.roles || [];
  if (roles.some((r) => r.role === 'company' && r.subject_id === rec.company_id)) return 'company';
  if (roles.some((r) => r.role === 'trainee' && r.subject_id === rec.graduate_id)) return 'trainee';
  return null;
}

/** The learning plan as part of the agreement: its modules (in the terms until
 *  signed), and after signing an amendment waiting for the parties' acceptance. */
function planInAgreement(rec, a, party, reload) {
  const mods = (a.terms || {}).learning_plan_modules || (a.plan && a.plan.modules);
  if (!mods) return [];
  const out = [h('h3', { class: 'sub-title' }, t('placements.planTerms')),
    h('div', { class: 'table-wrap' }, h('table', { class: 'table table-compact plan-terms' },
      h('thead', null, h('tr', null, ['placements.planModule', 'placements.period', 'placements.planDeliverable'].map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', null, mods.map((m) => h('tr', { class: m.selected ? '' : 'muted' },
        h('td', null, `${m.code} — ${m.title}`, m.mandatory ? null : h('span', { class: 'small' }, ` (${t(m.selected ? 'placements.electiveChosen' : 'placements.electiveOpen')})`)),
        h('td', null, `${fmtDate(m.planned_start)} – ${fmtDate(m.due_date)}`),
        h('td', null, (m.deliverable || {}).title || ''))))))];
  const am = a.plan && a.plan.amendment;
  if (am) {
    const waiting = am.pending.map((p) => tv('party', p)).join(', ');
    out.push(h('div', { class: 'msg msg-warning plan-amendment' },
      h('p', null, t('placements.planAmended', { parties: waiting })),
      h('ul', null, am.changes.map((c) => h('li', null, `${c.module} · ${c.field}: `,
        h('s', null, typeof c.old === 'object' && c.old ? JSON.stringify(c.old) : String(c.old ?? '—')), ' → ',
        typeof c.new === 'object' && c.new ? JSON.stringify(c.new) : String(c.new ?? '—'))))));
    if (party && am.pending.includes(party)) {
      out.push(h('div', { class: 'accept-box' }, button(t('placements.acceptPlan'), () => act(() => post(`/placements/${rec.id}/plan-acceptance`,
        { plan_hash: a.plan.plan_hash }), t('placements.planAccepted'), reload), 'btn btn-primary')));
    }
  }
  return out;
}

function placementExtras(rec, role, reload) {
  const a = rec.agreement || {};
  const terms = a.terms || {};
  const party = myParty(rec);
  const acc = a.acceptances || [];
  const pending = a.pending || [];
  const box = section(t('placements.agreement'));
  box.classList.add('agreement');
  box.append(
    a.locked || rec.locked_at
      ? h('p', { class: 'msg msg-success lock-state' }, t('placements.locked', { at: fmtDateTime(rec.locked_at) }))
      : h('p', { class: 'msg msg-info lock-state' }, t('placements.notLocked', { n: acc.length })),
    h('h3', { class: 'sub-title' }, t('placements.terms')),
    dl([
      ['res.graduate', rec.graduate_name], ['res.company', rec.company_name],
      ['placements.period', `${fmtDate(terms.start_date)} – ${fmtDate(terms.end_date)}`],
      ['placements.stipend', terms.stipend === null || terms.stipend === undefined ? null : fmtMoney(terms.stipend, terms.currency)],
      ['placements.mentor', rec.mentor_name], ['res.cohort', rec.cohort_name], ['res.position', recordLink('positions', terms.position_id)],
      ['placements.objectives', terms.objectives], ['placements.learning_plan', terms.learning_plan],
    ]),
    h('p', { class: 'small' }, t('placements.termsHash'), ' ', h('code', { class: 'hash', id: `hash-${rec.id}` }, a.terms_hash || '')),
    h('h3', { class: 'sub-title' }, t('placements.acceptances')),
    h('table', { class: 'table table-compact' },
      h('thead', null, h('tr', null, ['placements.party', 'placements.acceptedBy', 'placements.acceptedAt'].map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', null, ['trainee', 'company', 'operator'].map((p) => {
        const x = acc.find((y) => y.party === p);
        return h('tr', { dataset: { party: p } }, h('th', { scope: 'row' }, tv('party', p)),
          h('td', null, x ? x.user_name : h('span', { class: 'muted' }, t('placements.pending'))),
          h('td', null, x ? fmtDateTime(x.at) : ''));
      }))));
  box.append(...planInAgreement(rec, a, party, reload));
  if (party && pending.includes(party) && !a.locked) {
    box.append(h('div', { class: 'accept-box' },
      h('p', null, t('placements.acceptAs', { party: tv('party', party) })),
      button(t('placements.accept'), async () => {
        // Accepting is a signature: never by one click.
        const ok = await confirmDialog({ title: t('placements.acceptTitle'), message: t('placements.acceptMsg', { party: tv('party', party) }), confirmLabel: t('placements.accept') });
        if (ok) act(() => post(`/placements/${rec.id}/accept`, { terms_hash: a.terms_hash }), t('placements.accepted'), reload);
      }, 'btn btn-primary')));
  } else if (party && !pending.includes(party)) {
    box.append(h('p', { class: 'muted' }, t('placements.youAccepted')));
  }
  const side = [];
  if (isStaff() && rec.status === 'signed') {
    side.push(section(t('placements.statusActions'), h('div', { class: 'button-row' },
      button(t('placements.complete'), async () => {
        // Never by one click; before the end date only with a written reason (kept in the audit log).
        const early = rec.end_date && rec.end_date > new Date().toISOString().slice(0, 10);
        const ok = await confirmDialog({
          title: t('placements.complete'),
          message: early ? t('placements.completeEarlyMsg', { date: fmtDate(rec.end_date) }) : t('placements.completeMsg'),
          confirmLabel: t('placements.complete'),
          reason: early ? { label: t('placements.completeReason'), required: true } : null,
        });
        if (ok === false) return;
        act(() => post(`/placements/${rec.id}/status`, early ? { status: 'completed', reason: ok } : { status: 'completed' }), t('form.saved'), reload);
      }, 'btn btn-primary'),
      button(t('placements.terminate'), async () => {
        const ok = await confirmDialog({ title: t('placements.terminate'), message: t('placements.terminateMsg'), confirmLabel: t('placements.terminate'), danger: true });
        if (ok) act(() => post(`/placements/${rec.id}/status`, { status: 'terminated' }), t('form.saved'), reload);
      }, 'btn btn-danger-ghost'))));
  }
  if (isStaff() && (rec.status === 'draft' || rec.status === 'signed')) side.push(allowanceSection(rec, reload));
  return { top: box, side };
}

/** Whether the placed trainee may apply elsewhere: the coordinator's explicit, audited allowance. */
function allowanceSection(rec, reload) {
  const x = rec.applications_elsewhere;
  const path = `/placements/${rec.id}/applications-elsewhere`;
  return section(t('placements.elsewhere'),
    h('p', { class: 'small', dataset: { test: 'elsewhere-state' } }, x
      ? t('placements.elsewhereAllowed', { by: x.user_name || '', at: fmtDateTime(x.at), reason: x.reason })
      : t('placements.elsewhereBlocked')),
    h('div', { class: 'button-row' }, x
      ? button(t('placements.elsewhereWithdraw'), () => act(() => post(path, { allowed: false }), t('form.saved'), reload), 'btn btn-ghost')
      : button(t('placements.elsewhereAllow'), async () => {
        const reason = await confirmDialog({ title: t('placements.elsewhereAllow'), message: t('placements.elsewhereAllowMsg'),
          confirmLabel: t('placements.elsewhereAllow'), reason: { label: t('placements.elsewhereReason'), required: true } });
        if (reason) act(() => post(path, { allowed: true, reason }), t('form.saved'), reload);
      }, 'btn btn-ghost')));
}

function cohortExtras(rec) {
  return { more: section(t('nav.placements'), pagedTable({ path: '/placements', params: { cohort_id: rec.id }, limit: 20, rowHref: (p) => `#/placements/${p.id}`,
    columns: [RESOURCES.placements.columns[0], RESOURCES.placements.columns[1], RESOURCES.placements.columns[3]] }).el) };
}

const EXTRAS = {
  companies: companyExtras, graduates: graduateExtras, positions: positionExtras,
  applications: applicationExtras, placements: placementExtras, cohorts: cohortExtras,
};
