// admin.js - organizations, people, invitations and the audit log.
import { h, clear, debounce } from '../dom.js';
import { t, tv, fieldLabel, lang } from '../i18n.js';
import { get, post, patch, del, mainRole, qs, session } from '../api.js';
import { buildForm, makeField } from '../forms.js';
import { pageHeader, pagedTable, badge, linkBtn, button, notify, errorText, confirmDialog, section, exportLinks } from '../ui.js';
import { fmtDateTime } from '../fmt.js';
import { REF, recordLink } from '../resources.js';
import { go } from '../app.js';

const ROLES = ['admin', 'coordinator', 'company', 'trainee', 'mentor', 'viewer'];

// ---- organizations
export function orgList() {
  const admin = mainRole() === 'admin';
  const table = pagedTable({ path: '/orgs', params: { sort: 'name' }, rowHref: (o) => `#/admin/orgs/${o.id}/edit`, columns: [
    { label: 'common.name', cell: (o) => o.name },
    { label: 'orgs.kind', cell: (o) => tv('orgkind', o.kind) },
    { label: 'common.country', cell: (o) => o.country || '' },
    { label: 'common.updated', cell: (o) => fmtDateTime(o.updated_at) },
  ] });
  return h('div', null, pageHeader(t('orgs.title'), { actions: admin ? [linkBtn('#/admin/orgs/new', t('orgs.new'), 'btn btn-primary')] : [] }), table.el);
}

export async function orgForm({ params }) {
  const editing = !!params.id;
  const rec = editing ? await get(`/orgs/${params.id}`) : {};
  const fields = [
    { name: 'name', label: 'common.name', required: true },
    { name: 'country', label: 'common.country', type: 'code', list: 'countries', required: !editing || rec.kind === 'operator' },
  ];
  const form = buildForm({
    fields, record: rec, patch: editing, submitLabel: editing ? 'form.save' : 'form.create',
    onCancel: () => go('#/admin/orgs'),
    async onSubmit(v) {
      if (editing) {
        try { await patch(`/orgs/${params.id}`, { ...v, version: rec.version }); } catch (e) {
          if (e.status === 412) { notify(t('form.stale'), 'error'); go(`#/admin/orgs/${params.id}/edit`); return; }
          throw e;
        }
      } else await post('/orgs', { ...v, kind: 'operator' });
      notify(editing ? t('form.saved') : t('form.created', { what: t('orgs.operator') }), 'success');
      go('#/admin/orgs');
    },
  });
  return h('div', null, pageHeader(editing ? t('form.editWhat', { what: rec.name }) : t('orgs.new'), { back: ['#/admin/orgs', t('orgs.title')] }),
    h('div', { class: 'card' }, form.el));
}

// ---- people
export function userList({ query }) {
  const state = { role: query.role, status: query.status, q: query.q };
  const table = pagedTable({ path: '/users', params: state, columns: [
    { label: 'common.name', cell: (u) => u.name },
    { label: 'common.email', cell: (u) => u.email },
    { label: 'common.status', cell: (u) => badge('ustatus', u.status) },
    { label: 'account.actions', cell: (u) => (u.id === session.me.user.id ? '' : u.status === 'disabled'
      ? button(t('users.enable'), () => setStatus(u, 'active'), 'btn btn-small')
      : button(t('users.disable'), () => setStatus(u, 'disabled'), 'btn btn-small btn-danger-ghost')) },
  ] });
  async function setStatus(u, status) {
    if (status === 'disabled' && !(await confirmDialog({ title: t('users.disableTitle', { name: u.name }), message: t('users.disableMsg'), confirmLabel: t('users.disable'), danger: true }))) return;
    try {
      await patch(`/users/${u.id}`, { status, version: u.version });
      notify(t('users.statusChanged', { name: u.name, status: tv('ustatus', status) }), 'success');
      table.reload({ ...state });
    } catch (e) { notify(errorText(e), 'error'); }
  }
  const exp = exportLinks('/users', state, 'people');
  const sync = () => { history.replaceState(null, '', `#/admin/users${qs(state)}`); table.reload({ ...state }); exp.update(state); };
  const sel = (name, label, options, prefix) => {
    const c = makeField({ name, label, type: 'select', options, optionPrefix: prefix }, state[name] || null, { compact: true });
    c.control.addEventListener('change', () => { state[name] = c.get() || undefined; sync(); });
    return c.el;
  };
  const sid = 'user-search';
  const search = h('input', { id: sid, type: 'search', class: 'input', value: state.q || '', placeholder: t('list.searchPlaceholder') });
  search.addEventListener('input', debounce(() => { state.q = search.value.trim() || undefined; sync(); }, 300));
  return h('div', null, pageHeader(t('users.title'), { actions: [linkBtn('#/admin/invite', t('invite.title'), 'btn btn-primary'), exp.el] }),
    h('search', { class: 'toolbar', aria: { label: t('list.filters') } },
      h('div', { class: 'field field-compact' }, h('label', { for: sid, class: 'label' }, t('list.search')), search),
      sel('role', 'users.role', ROLES, 'role'), sel('status', 'common.status', ['active', 'invited', 'disabled'], 'ustatus')),
    table.el);
}

// ---- invitations
export async function invite() {
  const admin = mainRole() === 'admin';
  const wrap = h('div', { class: 'card' });
  let orgOptions = null;
  if (admin) {
    const r = await get('/orgs?limit=200');
    orgOptions = r.items.map((o) => [String(o.id), `${o.name}${o.kind === 'foundation' ? ` (${tv('orgkind', 'foundation')})` : ''}`]);
  }
  let role = 'coordinator';
  const mount = (keep = {}) => {
    const fields = [
      { name: 'email', label: 'common.email', type: 'email', required: true },
      { name: 'name', label: 'common.name', required: true },
      { name: 'role', label: 'users.role', type: 'select', options: admin ? ROLES : ROLES.filter((r) => r !== 'admin'), optionPrefix: 'role', required: true },
    ];
    if (admin) fields.push({ name: 'org_id', label: 'common.operator', type: 'select', options: orgOptions, required: true });
    fields.push({ name: 'locale', label: 'invite.language', type: 'select', options: [['en', 'English'], ['sv', 'Svenska']], hint: 'invite.languageHint' });
    if (role === 'company') fields.push({ name: 'subject_id', label: 'invite.company', type: 'ref', ref: REF.company, required: true, hint: 'invite.companyHint' });
    if (role === 'trainee') fields.push({ name: 'subject_id', label: 'invite.graduate', type: 'ref', ref: REF.graduate, required: true, hint: 'invite.graduateHint' });
    const form = buildForm({
      fields, record: { locale: lang, ...keep, role }, submitLabel: 'invite.send',
      async onSubmit(v) {
        const body = { email: v.email || '', name: v.name || '', role: v.role || '' };
        if (v.org_id) body.org_id = Number(v.org_id);
        if (v.locale) body.locale = v.locale;
        if (v.role === 'company' || v.role === 'trainee') {
          body.subject_type = v.role === 'company' ? 'company' : 'graduate';
          if (v.subject_id) body.subject_id = v.subject_id;
        }
        const r = await post('/invitations', body);
        notify(t('invite.sent', { email: r.email, role: tv('role', r.role) }), 'success');
        role = 'coordinator';
        mount({});
        sent.reload({});
      },
    });
    const roleSel = form.comps.find((c) => c.spec.name === 'role').control;
    roleSel.addEventListener('change', () => {
      const v = form.values();
      role = roleSel.value;
      mount({ email: v.email, name: v.name, org_id: v.org_id, locale: v.locale });
      wrap.querySelector('select[name="role"]').focus();
    });
    clear(wrap).append(h('p', { class: 'muted' }, t('invite.help')), form.el);
  };
  // Invitations wait for the invited person; a pending one can be withdrawn.
  const sent = pagedTable({ path: '/invitations', caption: t('invite.list'), columns: [
    { label: 'common.email', cell: (i) => i.email },
    { label: 'users.role', cell: (i) => tv('role', i.role) },
    { label: 'common.status', cell: (i) => badge('istatus', i.status) },
    { label: 'invite.expires', cell: (i) => fmtDateTime(i.expires_at) },
    { label: 'account.actions', cell: (i) => (i.status !== 'pending' ? '' : button(t('invite.withdraw'), async () => {
      try { await del(`/invitations/${i.id}`); notify(t('invite.withdrawn', { email: i.email }), 'success'); sent.reload({}); } catch (e) { notify(errorText(e), 'error'); }
    }, 'btn btn-small btn-danger-ghost')) },
  ] });
  mount();
  return h('div', null, pageHeader(t('invite.title'), { back: ['#/admin/users', t('users.title')] }), wrap,
    section(t('invite.list'), sent.el));
}

// ---- audit
const ENTITIES = ['organization', 'user', 'membership', 'api_token', 'company', 'graduate', 'cohort', 'position', 'application', 'placement'];

const AUDIT_PAGES = { company: 'companies', graduate: 'graduates', cohort: 'cohorts', position: 'positions' };

export function audit({ query }) {
  const state = { entity: query.entity, action: query.action, entity_id: query.entity_id };
  const changes = (c) => {
    if (!c || typeof c !== 'object') return '';
    const keys = Object.keys(c);
    if (!keys.length) return '';
    return h('details', { class: 'changes' }, h('summary', null, keys.map(fieldLabel).join(', ')),
      h('dl', { class: 'props props-compact' }, keys.map((k) => [h('dt', null, fieldLabel(k)),
        h('dd', null, 'old' in c[k] ? [h('del', null, JSON.stringify(c[k].old)), ' → '] : null, h('ins', null, JSON.stringify(c[k].new ?? null)))])));
  };
  const table = pagedTable({ path: '/audit', params: state, limit: 50, columns: [
    { label: 'audit.at', cell: (a) => fmtDateTime(a.at) },
    { label: 'audit.user', cell: (a) => a.user_email || t('common.system') },
    { label: 'audit.action', cell: (a) => tv('action', a.action) },
    { label: 'audit.entity', cell: (a) => (AUDIT_PAGES[a.entity] ? [`${tv('entity', a.entity)}: `, recordLink(AUDIT_PAGES[a.entity], a.entity_id)] : `${tv('entity', a.entity)} #${a.entity_id}`) },
    { label: 'audit.changes', cell: (a) => changes(a.changes) },
  ] });
  const exp = exportLinks('/audit', state, 'audit');
  const sync = () => { history.replaceState(null, '', `#/admin/audit${qs(state)}`); table.reload({ ...state }); exp.update(state); };
  const sel = (name, label, options, prefix) => {
    const c = makeField({ name, label, type: 'select', options, optionPrefix: prefix }, state[name] || null, { compact: true });
    c.control.addEventListener('change', () => { state[name] = c.get() || undefined; sync(); });
    return c.el;
  };
  const iid = 'audit-entity-id';
  const idInput = h('input', { id: iid, type: 'text', inputmode: 'numeric', class: 'input', value: state.entity_id || '' });
  idInput.addEventListener('input', debounce(() => { const v = idInput.value.trim(); state.entity_id = /^\d+$/.test(v) ? v : undefined; sync(); }, 400));
  return h('div', null, pageHeader(t('audit.title'), { sub: t('audit.sub'), actions: [exp.el] }),
    h('search', { class: 'toolbar', aria: { label: t('list.filters') } },
      sel('entity', 'audit.entity', ENTITIES, 'entity'), sel('action', 'audit.action', ['create', 'update', 'delete'], 'action'),
      h('div', { class: 'field field-compact' }, h('label', { for: iid, class: 'label' }, t('audit.entityId')), idInput)),
    table.el);
}
