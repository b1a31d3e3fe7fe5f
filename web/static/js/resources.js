// resources.js - what each programme resource looks like in the UI: form fields, list
// columns, filters and sort orders (following docs/api-programme.md).
import { h } from './dom.js';
import { t, tv, fieldLabels } from './i18n.js';
import { fmtDate, fmtMoney, fmtNumber, fmtDateTime } from './fmt.js';
import { codeText } from './forms.js';
import { badge } from './ui.js';
import { get } from './api.js';

export const CEFR = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2', 'native'];
export const EQF = ['1', '2', '3', '4', '5', '6', '7', '8'];
export const POSITION_STATUSES = ['draft', 'submitted', 'approved', 'open', 'closed', 'filled'];
export const STAGES = ['applied', 'screened', 'interview', 'shortlisted', 'offered', 'accepted', 'declined', 'rejected', 'withdrawn'];
export const OPEN_STAGES = ['applied', 'screened', 'interview', 'shortlisted', 'offered'];
export const PLACEMENT_STATUSES = ['draft', 'signed', 'completed', 'terminated'];

export const REF = {
  company: { path: '/companies', label: (c) => c.legal_name, nameField: 'company_name', hint: (c) => c.country || '' },
  graduate: { path: '/graduates', label: (g) => g.name, nameField: 'graduate_name', hint: (g) => g.email || '' },
  cohort: { path: '/cohorts', label: (c) => c.name, nameField: 'cohort_name', hint: (c) => `${c.start_date} – ${c.end_date}` },
  position: { path: '/positions', label: (p) => p.title, nameField: 'position_title', hint: (p) => p.company_name || '' },
  openPosition: { path: '/positions', params: { status: 'open' }, label: (p) => p.title, nameField: 'position_title', hint: (p) => p.company_name || '' },
  mentor: { path: '/users', params: { role: 'mentor' }, label: (u) => u.name, nameField: 'mentor_name', hint: (u) => u.email },
};

const codes = (list) => (v) => (v && v.length ? h('span', { class: 'code-list' }, v.map((c, i) => [i ? ', ' : '', codeText(list, c)])) : null);
const code = (list) => (v) => (v ? codeText(list, v) : null);
const money = (field) => (v, r) => (v === null || v === undefined ? null : fmtMoney(v, r.currency));
const langs = (lvlField) => (v) => (v && v.length ? v.map((l, i) => [i ? ', ' : '', codeText('languages', l.code), ` ${l[lvlField]}`]) : null);
// A link to a related record; its name is fetched when the record at hand does not carry it.
const TITLE = { companies: (x) => x.legal_name, graduates: (x) => x.name, cohorts: (x) => x.name, positions: (x) => x.title };
const nameCache = new Map();
export function recordLink(base, id, known) {
  if (!id) return null;
  const a = h('a', { href: `#/${base}/${id}` }, known || (TITLE[base] ? '…' : `#${id}`));
  if (!known && TITLE[base]) {
    const key = `${base}/${id}`;
    if (!nameCache.has(key)) nameCache.set(key, get(`/${key}`).then(TITLE[base]).catch(() => null));
    nameCache.get(key).then((n) => { a.textContent = n || `#${id}`; });
  }
  return a;
}
const link = (base, nameField) => (v, r) => recordLink(base, v, r[nameField]);

export const RESOURCES = {
  companies: {
    path: '/companies', title: (r) => r.legal_name, singular: 'res.company', plural: 'res.companies',
    sorts: ['name', 'id'],
    filters: [
      { name: 'country', label: 'companies.country', type: 'code', list: 'countries' },
      { name: 'nace', label: 'companies.nace', type: 'code', list: 'nace' },
      { name: 'target_market', label: 'companies.target_market', type: 'code', list: 'countries' },
    ],
    columns: [
      { label: 'companies.legal_name', cell: (r) => r.legal_name },
      { label: 'companies.country', cell: (r) => codeText('countries', r.country) },
      { label: 'companies.nace', cell: (r) => (r.nace ? codeText('nace', r.nace) : '') },
      { label: 'companies.employees', cell: (r) => fmtNumber(r.employees), cls: 'num' },
      { label: 'companies.sme', cell: (r) => smeBadge(r.sme_check) },
    ],
    fields: [
      { name: 'legal_name', label: 'companies.legal_name', required: true },
      { name: 'registration_number', label: 'companies.registration_number' },
      { name: 'country', label: 'companies.country', type: 'code', list: 'countries', required: true },
      { name: 'region', label: 'companies.region' },
      { name: 'city', label: 'companies.city' },
      { name: 'nace', label: 'companies.nace', type: 'code', list: 'nace' },
      { name: 'employees', label: 'companies.employees', type: 'int' },
      { name: 'currency', label: 'common.currency', type: 'code', list: 'currencies' },
      { name: 'turnover', label: 'companies.turnover', type: 'money' },
      { name: 'export_turnover', label: 'companies.export_turnover', type: 'money' },
      { name: 'balance_sheet', label: 'companies.balance_sheet', type: 'money' },
      { name: 'products', label: 'companies.products', type: 'codes', list: 'hs', wide: true },
      { name: 'export_markets', label: 'companies.export_markets', type: 'codes', list: 'countries', wide: true },
      { name: 'target_markets', label: 'companies.target_markets', type: 'codes', list: 'countries', wide: true },
      { name: 'contacts', label: 'companies.contacts', type: 'list', addLabel: 'companies.addContact', sub: [
        { name: 'name', label: 'companies.contact_name', required: true },
        { name: 'email', label: 'common.email', type: 'email' },
        { name: 'phone', label: 'common.phone', type: 'tel' },
        { name: 'role', label: 'companies.contact_role' },
      ] },
      { name: 'website', label: 'companies.website', type: 'url' },
    ],
    show: {
      country: code('countries'), nace: code('nace'), currency: code('currencies'),
      turnover: money(), export_turnover: money(), balance_sheet: money(),
      products: codes('hs'), export_markets: codes('countries'), target_markets: codes('countries'),
      employees: (v) => fmtNumber(v),
      contacts: (v) => (v && v.length ? h('ul', { class: 'plain' }, v.map((c) => h('li', null, [c.name, c.role ? ` (${c.role})` : '', c.email ? [' · ', h('a', { href: `mailto:${c.email}` }, c.email)] : '', c.phone ? ` · ${c.phone}` : '']))) : null),
      website: (v) => (v ? h('a', { href: /^https?:/.test(v) ? v : `https://${v}`, rel: 'noopener noreferrer', target: '_blank' }, v) : null),
    },
  },
  graduates: {
    path: '/graduates', title: (r) => r.name, singular: 'res.graduate', plural: 'res.graduates',
    sorts: ['name', 'id'],
    filters: [
      { name: 'language', label: 'graduates.language', type: 'code', list: 'languages' },
      { name: 'nationality', label: 'graduates.nationality', type: 'code', list: 'countries' },
      { name: 'field', label: 'graduates.field', type: 'code', list: 'isced-f' },
      { name: 'eqf_level', label: 'graduates.eqf_level', type: 'select', options: EQF },
      { name: 'erased', label: 'graduates.erased', type: 'select', options: ['false', 'true'], optionPrefix: 'bool' },
    ],
    columns: [
      { label: 'common.name', cell: (r) => r.name },
      { label: 'graduates.languages', cell: (r) => langs('level')(r.languages) },
      { label: 'graduates.nationality', cell: (r) => (r.nationality ? codeText('countries', r.nationality) : '') },
      { label: 'graduates.eqf_level', cell: (r) => r.eqf_level || '' },
      { label: 'graduates.available_from', cell: (r) => fmtDate(r.available_from) },
    ],
    fields: [
      { name: 'name', label: 'common.name', required: true },
      { name: 'email', label: 'common.email', type: 'email' },
      { name: 'phone', label: 'common.phone', type: 'tel' },
      { name: 'nationality', label: 'graduates.nationality', type: 'code', list: 'countries' },
      { name: 'residence', label: 'graduates.residence', type: 'code', list: 'countries' },
      { name: 'eqf_level', label: 'graduates.eqf_level', type: 'select', options: EQF, optionPrefix: 'eqf' },
      { name: 'field', label: 'graduates.field', type: 'code', list: 'isced-f' },
      { name: 'university', label: 'graduates.university' },
      { name: 'graduation_year', label: 'graduates.graduation_year', type: 'int' },
      { name: 'available_from', label: 'graduates.available_from', type: 'date' },
      { name: 'languages', label: 'graduates.languages', type: 'list', addLabel: 'graduates.addLanguage', sub: [
        { name: 'code', label: 'common.language', type: 'code', list: 'languages', required: true },
        { name: 'level', label: 'common.level', type: 'select', options: CEFR, optionPrefix: 'cefr', required: true },
      ] },
      { name: 'countries', label: 'graduates.countries', type: 'list', addLabel: 'graduates.addCountry', sub: [
        { name: 'country', label: 'common.country', type: 'code', list: 'countries', required: true },
        { name: 'months', label: 'graduates.months', type: 'int', required: true },
        { name: 'kind', label: 'graduates.kind', type: 'select', options: ['lived', 'studied', 'worked'], optionPrefix: 'kind' },
      ] },
      { name: 'skills', label: 'graduates.skills', type: 'tags', hint: 'form.commaSeparated', wide: true },
      { name: 'mobility', label: 'graduates.mobility', type: 'codes', list: 'countries', wide: true },
    ],
    show: {
      nationality: code('countries'), residence: code('countries'), field: code('isced-f'),
      eqf_level: (v) => (v ? `${v} – ${tv('eqf', v)}` : null),
      languages: langs('level'),
      countries: (v) => (v && v.length ? h('ul', { class: 'plain' }, v.map((c) => h('li', null, codeText('countries', c.country), ` – ${t('graduates.monthsN', { n: c.months })}`, c.kind ? ` (${tv('kind', c.kind)})` : ''))) : null),
      skills: (v) => (v && v.length ? v.join(', ') : null), mobility: codes('countries'),
      available_from: (v) => fmtDate(v),
    },
  },
  cohorts: {
    path: '/cohorts', title: (r) => r.name, singular: 'res.cohort', plural: 'res.cohorts',
    sorts: ['name', 'id'], filters: [],
    columns: [
      { label: 'common.name', cell: (r) => r.name },
      { label: 'cohorts.start_date', cell: (r) => fmtDate(r.start_date) },
      { label: 'cohorts.end_date', cell: (r) => fmtDate(r.end_date) },
      { label: 'cohorts.placement_count', cell: (r) => fmtNumber(r.placement_count), cls: 'num' },
    ],
    fields: [
      { name: 'name', label: 'common.name', required: true },
      { name: 'start_date', label: 'cohorts.start_date', type: 'date', required: true },
      { name: 'end_date', label: 'cohorts.end_date', type: 'date', required: true },
      { name: 'curriculum_version', label: 'cohorts.curriculum_version' },
    ],
    show: { start_date: fmtDate, end_date: fmtDate, placement_count: (v) => fmtNumber(v) },
  },
  positions: {
    path: '/positions', title: (r) => r.title, singular: 'res.position', plural: 'res.positions',
    sorts: ['id', 'name'],
    filters: [
      { name: 'status', label: 'common.status', type: 'select', options: POSITION_STATUSES, optionPrefix: 'status' },
      { name: 'company_id', label: 'res.company', type: 'ref', ref: REF.company, staffOnly: true },
      { name: 'cohort_id', label: 'res.cohort', type: 'ref', ref: REF.cohort },
      { name: 'target_market', label: 'positions.target_market', type: 'code', list: 'countries' },
      { name: 'language', label: 'common.language', type: 'code', list: 'languages' },
    ],
    columns: [
      { label: 'positions.title', cell: (r) => r.title },
      { label: 'res.company', cell: (r) => r.company_name },
      { label: 'common.status', cell: (r) => badge('status', r.status) },
      { label: 'positions.start_date', cell: (r) => fmtDate(r.start_date) },
      { label: 'positions.places', cell: (r) => fmtNumber(r.places), cls: 'num' },
    ],
    fields: [
      { name: 'company_id', label: 'res.company', type: 'ref', ref: REF.company, required: true, staffOnly: true },
      { name: 'cohort_id', label: 'res.cohort', type: 'ref', ref: REF.cohort },
      { name: 'title', label: 'positions.title', required: true },
      { name: 'description', label: 'positions.description', type: 'textarea', wide: true },
      { name: 'location_country', label: 'positions.location_country', type: 'code', list: 'countries' },
      { name: 'location_city', label: 'positions.location_city' },
      { name: 'start_date', label: 'positions.start_date', type: 'date' },
      { name: 'duration_months', label: 'positions.duration_months', type: 'int' },
      { name: 'currency', label: 'common.currency', type: 'code', list: 'currencies' },
      { name: 'pay', label: 'positions.pay', type: 'money', hint: 'positions.payHint' },
      { name: 'places', label: 'positions.places', type: 'int' },
      { name: 'languages', label: 'positions.languages', type: 'list', addLabel: 'graduates.addLanguage', sub: [
        { name: 'code', label: 'common.language', type: 'code', list: 'languages', required: true },
        { name: 'min_level', label: 'positions.min_level', type: 'select', options: CEFR, optionPrefix: 'cefr', required: true },
      ] },
      { name: 'target_markets', label: 'companies.target_markets', type: 'codes', list: 'countries', wide: true },
      { name: 'products', label: 'companies.products', type: 'codes', list: 'hs', wide: true },
      { name: 'fields', label: 'positions.fields', type: 'codes', list: 'isced-f', wide: true },
    ],
    show: {
      company_id: link('companies', 'company_name'), cohort_id: link('cohorts', 'cohort_name'),
      location_country: code('countries'), currency: code('currencies'), pay: money(),
      start_date: fmtDate, target_markets: codes('countries'), products: codes('hs'), fields: codes('isced-f'),
      languages: langs('min_level'), status: (v) => badge('status', v),
    },
  },
  applications: {
    path: '/applications', title: (r) => t('applications.titleOf', { graduate: r.graduate_name || `#${r.graduate_id}`, position: r.position_title || `#${r.position_id}` }),
    singular: 'res.application', plural: 'res.applications',
    sorts: ['-id', 'id'], noSearch: true,
    filters: [
      { name: 'stage', label: 'applications.stage', type: 'select', options: STAGES, optionPrefix: 'stage' },
      { name: 'position_id', label: 'res.position', type: 'ref', ref: REF.position },
      { name: 'graduate_id', label: 'res.graduate', type: 'ref', ref: REF.graduate, staffOnly: true },
      { name: 'company_id', label: 'res.company', type: 'ref', ref: REF.company, staffOnly: true },
      { name: 'cohort_id', label: 'res.cohort', type: 'ref', ref: REF.cohort },
    ],
    columns: [
      { label: 'res.graduate', cell: (r) => r.graduate_name },
      { label: 'res.position', cell: (r) => r.position_title },
      { label: 'res.company', cell: (r) => r.company_name },
      { label: 'applications.stage', cell: (r) => badge('stage', r.stage) },
      { label: 'common.updated', cell: (r) => fmtDateTime(r.updated_at) },
    ],
    fields: [
      { name: 'position_id', label: 'res.position', type: 'ref', ref: REF.openPosition, required: true, createOnly: true },
      { name: 'graduate_id', label: 'res.graduate', type: 'ref', ref: REF.graduate, staffOnly: true, createOnly: true },
      { name: 'notes', label: 'applications.notes', type: 'textarea', staffOnly: true, wide: true },
      { name: 'graduate_rank', label: 'applications.graduate_rank', type: 'int', editOnly: true, roles: ['admin', 'coordinator', 'trainee'] },
      { name: 'company_rank', label: 'applications.company_rank', type: 'int', editOnly: true, roles: ['admin', 'coordinator', 'company'] },
    ],
    detailFields: [
      { name: 'graduate_id', label: 'res.graduate' }, { name: 'position_id', label: 'res.position' },
      { name: 'company_id', label: 'res.company' }, { name: 'stage', label: 'applications.stage' },
    ],
    show: {
      graduate_id: link('graduates', 'graduate_name'), position_id: link('positions', 'position_title'),
      company_id: link('companies', 'company_name'), stage: (v) => badge('stage', v),
    },
  },
  placements: {
    path: '/placements', title: (r) => t('placements.titleOf', { graduate: r.graduate_name || `#${r.graduate_id}`, company: r.company_name || `#${r.company_id}` }),
    singular: 'res.placement', plural: 'res.placements',
    sorts: ['-id', 'id'], noSearch: true,
    filters: [
      { name: 'status', label: 'common.status', type: 'select', options: PLACEMENT_STATUSES, optionPrefix: 'pstatus' },
      { name: 'cohort_id', label: 'res.cohort', type: 'ref', ref: REF.cohort },
      { name: 'company_id', label: 'res.company', type: 'ref', ref: REF.company, staffOnly: true },
      { name: 'graduate_id', label: 'res.graduate', type: 'ref', ref: REF.graduate, staffOnly: true },
    ],
    columns: [
      { label: 'res.graduate', cell: (r) => r.graduate_name },
      { label: 'res.company', cell: (r) => r.company_name },
      { label: 'res.cohort', cell: (r) => r.cohort_name || '' },
      { label: 'common.status', cell: (r) => badge('pstatus', r.status) },
      { label: 'placements.period', cell: (r) => `${fmtDate(r.start_date)} – ${fmtDate(r.end_date)}` },
      { label: 'placements.acceptances', cell: (r) => `${r.acceptance_count ?? 0}/3`, cls: 'num' },
    ],
    fields: [
      { name: 'graduate_id', label: 'res.graduate', type: 'ref', ref: REF.graduate, required: true },
      { name: 'company_id', label: 'res.company', type: 'ref', ref: REF.company, required: true },
      { name: 'position_id', label: 'res.position', type: 'ref', ref: REF.position },
      { name: 'cohort_id', label: 'res.cohort', type: 'ref', ref: REF.cohort },
      { name: 'mentor_user_id', label: 'placements.mentor', type: 'ref', ref: REF.mentor },
      { name: 'start_date', label: 'placements.start_date', type: 'date', required: true },
      { name: 'end_date', label: 'placements.end_date', type: 'date', required: true },
      { name: 'currency', label: 'common.currency', type: 'code', list: 'currencies' },
      { name: 'stipend', label: 'placements.stipend', type: 'money', hint: 'positions.payHint' },
      { name: 'objectives', label: 'placements.objectives', type: 'textarea', wide: true, hideInDetail: true },
      { name: 'learning_plan', label: 'placements.learning_plan', type: 'textarea', wide: true, hideInDetail: true },
    ],
    show: {
      graduate_id: link('graduates', 'graduate_name'), company_id: link('companies', 'company_name'),
      position_id: link('positions', 'position_title'), cohort_id: link('cohorts', 'cohort_name'),
      mentor_user_id: (v, r) => r.mentor_name || null,
      start_date: fmtDate, end_date: fmtDate, currency: code('currencies'), stipend: money(),
      status: (v) => badge('pstatus', v),
    },
  },
};

export function smeBadge(check) {
  if (!check) return null;
  const v = check.eligible === true ? 'yes' : check.eligible === false ? 'no' : 'unknown';
  return h('span', { class: `badge badge-sme-${v}` }, t(`companies.sme_${v}`));
}

/** Who may create / edit / delete records of a resource (the UI mirrors routes.c). */
export function can(role, action, res, rec) {
  const staff = role === 'admin' || role === 'coordinator';
  if (staff) return !(rec && rec.erased_at && action === 'edit');
  if (res === 'positions' && role === 'company') return action === 'create' || ((action === 'edit' || action === 'delete') && rec && rec.status === 'draft');
  if (res === 'companies' && role === 'company') return action === 'edit';
  if (res === 'graduates' && role === 'trainee') return action === 'edit' && !(rec && rec.erased_at);
  if (res === 'applications') {
    if (role === 'trainee') return action === 'create' || action === 'edit';
    if (role === 'company') return action === 'edit';
  }
  return false;
}

// Labels of every record field by API name, for messages and audit entries that name a field.
// (top-level fields first: "name" is a graduate's or cohort's name before it is a contact's)
for (const R of Object.values(RESOURCES)) for (const f of R.fields) if (!fieldLabels.has(f.name)) fieldLabels.set(f.name, f.label);
for (const R of Object.values(RESOURCES)) for (const f of R.fields) for (const sub of f.sub || []) if (!fieldLabels.has(sub.name)) fieldLabels.set(sub.name, sub.label);
