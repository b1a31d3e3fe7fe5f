// credentials.js - the qualification: achievements, issuing Open Badges 3.0
// credentials, their status (suspend, reinstate, revoke), the holder's
// downloads, the operator's signing keys and the foundation's accreditations.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { get, post, isStaff, isAdmin } from '../api.js';
import { pageHeader, section, pagedTable, notify, confirmDialog, badge, fetchAll, button, errorText } from '../ui.js';
import { buildForm, dl } from '../forms.js';
import { fmtDate, fmtDateTime } from '../fmt.js';

export function list() {
  const table = pagedTable({
    path: '/api/v1/credentials',
    columns: [
      { label: 'cred.col.holder', cell: (c) => c.graduate_name },
      { label: 'cred.col.achievement', cell: (c) => c.achievement_name },
      { label: 'cred.col.issued', cell: (c) => fmtDate(c.issued_at) },
      { label: 'cred.col.status', cell: (c) => badge('cred.status', c.status) },
    ],
    rowHref: (c) => `#/credentials/${c.id}`,
    empty: 'cred.none',
  });
  const actions = isStaff() ? [h('a', { class: 'btn btn-primary', href: '#/credentials/new' }, t('cred.issue')),
    h('a', { class: 'btn btn-ghost', href: '#/achievements' }, t('cred.achievements')),
    h('a', { class: 'btn btn-ghost', href: '#/credentials/keys' }, t('cred.keys'))] : [];
  return h('div', null, pageHeader(t('cred.title'), { sub: t('cred.sub'), actions }), section(null, table.el));
}

function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export async function detail({ params, go }) {
  const c = await get(`/api/v1/credentials/${params.id}`);
  const staff = isStaff();
  async function change(action, titleKey, msgKey, danger) {
    const ok = await confirmDialog({ title: t(titleKey), message: t(msgKey), confirmLabel: t(titleKey), danger });
    if (!ok) return;
    try {
      await post(`/api/v1/credentials/${c.id}/${action}`, { reason: t('cred.reasonUi') });
      notify(t('cred.changed'), 'success');
      go(`#/credentials/${c.id}`);
    } catch (e) { notify(errorText(e), 'error'); }
  }
  const actions = [
    button(t('cred.downloadJson'), () => download(`credential-${c.id}.json`, JSON.stringify(c.document, null, 2), 'application/json')),
    h('a', { class: 'btn', href: `/api/v1/credentials/${c.id}/certificate.pdf` }, t('cred.downloadPdf')),
    h('a', { class: 'btn btn-ghost', href: c.verify_url }, t('cred.verifyLink')),
  ];
  if (staff && c.status === 'active') actions.push(button(t('cred.suspend'), () => change('suspend', 'cred.suspend', 'cred.suspendMsg')));
  if (staff && c.status === 'suspended') actions.push(button(t('cred.reinstate'), () => change('reinstate', 'cred.reinstate', 'cred.reinstateMsg')));
  if (staff && c.status !== 'revoked') actions.push(button(t('cred.revoke'), () => change('revoke', 'cred.revoke', 'cred.revokeMsg', true), 'btn btn-danger'));
  return h('div', null,
    pageHeader(c.achievement_name, { back: ['#/credentials', t('cred.title')], actions }),
    section(null, dl([
      ['cred.col.holder', c.graduate_name],
      ['cred.col.status', badge('cred.status', c.status)],
      c.status_reason ? ['cred.reason', c.status_reason] : null,
      ['cred.col.issued', fmtDateTime(c.issued_at)],
      ['cred.id', h('code', null, c.credential_id)],
      ['cred.issuerDid', h('code', null, (c.document.issuer && c.document.issuer.id) || '')],
      ['cred.suite', c.document.proof ? c.document.proof.cryptosuite : ''],
    ])),
    section(t('cred.document'), h('pre', { class: 'json' }, JSON.stringify(c.document, null, 2))));
}

export async function issue({ go, query }) {
  const [graduates, achievements, completed] = await Promise.all([
    fetchAll('/api/v1/graduates'), fetchAll('/api/v1/achievements'), fetchAll('/api/v1/placements', { status: 'completed' })]);
  // Only placements without a credential of the chosen achievement are offered.
  let placements = completed;
  const placementOption = (p) => h('option', { value: String(p.id) }, `${p.graduate_name} — ${p.company_name} (${fmtDate(p.end_date)})`);
  const form = buildForm({
    fields: [
      { name: 'achievement_id', type: 'select', label: 'cred.col.achievement', required: true,
        options: achievements.map((a) => [String(a.id), a.name]) },
      { name: 'placement_id', type: 'select', label: 'cred.placement', required: true, hint: 'cred.placementHint',
        options: placements.map((p) => [String(p.id), `${p.graduate_name} — ${p.company_name} (${fmtDate(p.end_date)})`]) },
    ],
    record: { placement_id: query.placement || '' },
    submitLabel: 'cred.issue',
    async onSubmit(v) {
      const p = placements.find((x) => String(x.id) === v.placement_id);
      const body = { placement_id: Number(v.placement_id), achievement_id: Number(v.achievement_id), graduate_id: p ? p.graduate_id : 0 };
      const c = await post('/api/v1/credentials', body);
      notify(t('cred.issued'), 'success');
      go(`#/credentials/${c.id}`);
    },
  });
  const achSelect = form.el.querySelector('select[name="achievement_id"]');
  const plSelect = form.el.querySelector('select[name="placement_id"]');
  const none = h('p', { class: 'muted', hidden: true, dataset: { test: 'no-open-placements' } }, t('cred.allIssued'));
  let seq = 0;
  async function refresh() {
    const my = ++seq;
    const ach = achSelect.value;
    const list = ach ? await fetchAll('/api/v1/placements', { status: 'completed', without_credential: ach }) : completed;
    if (my !== seq) return;   // a later choice answers
    placements = list;
    const keep = plSelect.value;
    plSelect.replaceChildren(h('option', { value: '' }, t('form.choose')), ...list.map(placementOption));
    plSelect.value = list.some((p) => String(p.id) === keep) ? keep : '';
    none.hidden = !(ach && !list.length && completed.length);
  }
  achSelect.addEventListener('change', refresh);
  if (achSelect.value) refresh();
  const note = graduates.length && !completed.length ? h('p', { class: 'muted' }, t('cred.noCompleted')) : null;
  return h('div', null, pageHeader(t('cred.issue'), { back: ['#/credentials', t('cred.title')] }), section(null, note, none, form.el));
}

const achievementFields = [
  { name: 'name', label: 'ach.name', required: true },
  { name: 'description', type: 'textarea', label: 'ach.description', required: true },
  { name: 'criteria', type: 'textarea', label: 'ach.criteria', required: true },
  { name: 'eqf_level', type: 'select', label: 'ach.eqf', options: ['1', '2', '3', '4', '5', '6', '7', '8'].map((l) => [l, `EQF ${l}`]) },
  { name: 'credits', type: 'int', label: 'ach.credits' },
  { name: 'alignments', type: 'list', label: 'ach.alignments', sub: [
    { name: 'name', label: 'ach.skillName', required: true }, { name: 'url', type: 'url', label: 'ach.skillUrl', required: true }] },
];

export function achievements() {
  const table = pagedTable({
    path: '/api/v1/achievements',
    columns: [
      { label: 'ach.name', cell: (a) => a.name },
      { label: 'ach.eqf', cell: (a) => (a.eqf_level ? `EQF ${a.eqf_level}` : '') },
      { label: 'ach.credits', cell: (a) => (a.credits ?? '') },
      { label: 'ach.issued', cell: (a) => String(a.issued_count) },
    ],
    rowHref: (a) => `#/achievements/${a.id}`,
    empty: 'ach.none',
  });
  return h('div', null, pageHeader(t('cred.achievements'), {
    back: ['#/credentials', t('cred.title')],
    actions: isStaff() ? [h('a', { class: 'btn btn-primary', href: '#/achievements/new' }, t('ach.new'))] : [],
  }), section(null, table.el));
}

export async function achievementForm({ params, go }) {
  const rec = params.id ? await get(`/api/v1/achievements/${params.id}`) : {};
  const form = buildForm({
    fields: achievementFields, record: rec, patch: !!params.id,
    async onSubmit(v) {
      const saved = params.id ? await (await import('../api.js')).patch(`/api/v1/achievements/${params.id}`, { ...v, version: rec.version })
        : await post('/api/v1/achievements', v);
      notify(t('form.saved'), 'success');
      go(`#/achievements/${saved.id}`);
    },
    onCancel: () => go('#/achievements'),
  });
  return h('div', null, pageHeader(params.id ? rec.name : t('ach.new'), { back: ['#/achievements', t('cred.achievements')] }), section(null, form.el));
}

export async function keys({ go }) {
  const k = await get('/api/v1/issuer-keys');
  return h('div', null,
    pageHeader(t('cred.keys'), { back: ['#/credentials', t('cred.title')], actions: [button(t('cred.rotate'), async () => {
      const ok = await confirmDialog({ title: t('cred.rotate'), message: t('cred.rotateMsg'), confirmLabel: t('cred.rotate') });
      if (!ok) return;
      try { await post('/api/v1/issuer-keys/rotate'); notify(t('cred.rotated'), 'success'); go('#/credentials/keys'); } catch (e) { notify(errorText(e), 'error'); }
    })] }),
    section(null, dl([['cred.issuerDid', h('code', null, k.did)], ['cred.didDoc', h('a', { href: k.did_document_url }, k.did_document_url)]])),
    section(t('cred.keyList'), h('ul', null, k.keys.length ? k.keys.map((x) => h('li', null, h('code', null, x.public_key), ' — ',
      x.retired_at ? t('cred.retired', { when: fmtDate(x.retired_at) }) : t('cred.current'))) : h('li', { class: 'muted' }, t('cred.noKeys')))));
}

export async function accreditations({ go }) {
  const orgs = (await fetchAll('/api/v1/orgs', { kind: 'operator' }));
  const table = pagedTable({
    path: '/api/v1/accreditations',
    columns: [
      { label: 'acc.operator', cell: (a) => a.org_name },
      { label: 'acc.from', cell: (a) => fmtDate(a.valid_from) },
      { label: 'acc.until', cell: (a) => (a.valid_until ? fmtDate(a.valid_until) : t('acc.openEnded')) },
      { label: 'acc.note', cell: (a) => a.note || '' },
    ],
    empty: 'acc.none',
  });
  const form = isAdmin() ? buildForm({
    fields: [
      { name: 'org_id', type: 'select', label: 'acc.operator', required: true, options: orgs.map((o) => [String(o.id), o.name]) },
      { name: 'valid_from', type: 'date', label: 'acc.from', required: true },
      { name: 'valid_until', type: 'date', label: 'acc.until' },
      { name: 'note', type: 'textarea', label: 'acc.note' },
    ],
    submitLabel: 'acc.accredit',
    async onSubmit(v) {
      await post('/api/v1/accreditations', { ...v, org_id: Number(v.org_id) });
      notify(t('form.saved'), 'success');
      go('#/admin/accreditations');
    },
  }) : null;
  return h('div', null, pageHeader(t('acc.title'), { sub: t('acc.sub') }),
    form ? section(t('acc.accredit'), form.el) : null, section(null, table.el));
}
