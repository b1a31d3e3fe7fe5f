// home.js - the start page per role.
import { h } from '../dom.js';
import { t, tv } from '../i18n.js';
import { get, session, mainRole, subjectOf, qs } from '../api.js';
import { fmtNumber, fmtDate } from '../fmt.js';
import { pageHeader, section, pagedTable, badge, linkBtn, errorText } from '../ui.js';
import { STAGES, POSITION_STATUSES, PLACEMENT_STATUSES, RESOURCES } from '../resources.js';

const FUNNEL = ['applied', 'screened', 'interview', 'shortlisted', 'offered', 'accepted'];

function stat(label, value, href) {
  const inner = [h('span', { class: 'stat-value' }, fmtNumber(value || 0)), h('span', { class: 'stat-label' }, label)];
  return h('li', { class: 'stat' }, href ? h('a', { href, class: 'stat-link' }, inner) : h('div', null, inner));
}

/** Counts from GET /dashboard: the pipeline (applications per stage) and the totals. */
function dashboardView(d, { links = true } = {}) {
  const L = (href) => (links ? href : null);
  const counts = (obj, keys, prefix, path, param) => h('ul', { class: 'stats' },
    keys.map((k) => stat(tv(prefix, k), (obj || {})[k], L(`#/${path}?${param}=${k}`))));
  const num = (v) => (typeof v === 'number' ? v : 0);
  return [
    h('section', { class: 'card', aria: { labelledby: 'h-pipeline' } },
      h('h2', { class: 'card-title', id: 'h-pipeline' }, t('home.pipeline')),
      h('ol', { class: 'funnel' }, FUNNEL.map((s) => h('li', { class: 'funnel-step', dataset: { stage: s } },
        L('#/board') ? h('a', { href: `#/applications?stage=${s}` }, h('span', { class: 'stat-value' }, fmtNumber((d.applications || {})[s] || 0)), h('span', { class: 'stat-label' }, tv('stage', s)))
          : [h('span', { class: 'stat-value' }, fmtNumber((d.applications || {})[s] || 0)), h('span', { class: 'stat-label' }, tv('stage', s))]))),
      h('p', { class: 'muted small' }, t('home.closedApps', {
        rejected: fmtNumber((d.applications || {}).rejected || 0), declined: fmtNumber((d.applications || {}).declined || 0),
        withdrawn: fmtNumber((d.applications || {}).withdrawn || 0) }))),
    h('div', { class: 'grid-2' },
      h('section', { class: 'card', aria: { labelledby: 'h-pos' } }, h('h2', { class: 'card-title', id: 'h-pos' }, t('home.positionsByStatus')),
        counts(d.positions, POSITION_STATUSES, 'status', 'positions', 'status')),
      h('section', { class: 'card', aria: { labelledby: 'h-pl' } }, h('h2', { class: 'card-title', id: 'h-pl' }, t('home.placementsByStatus')),
        counts(d.placements, PLACEMENT_STATUSES, 'pstatus', 'placements', 'status'))),
    h('section', { class: 'card', aria: { labelledby: 'h-tot' } }, h('h2', { class: 'card-title', id: 'h-tot' }, t('home.totals')),
      h('ul', { class: 'stats' },
        stat(t('nav.companies'), num(d.companies), L('#/companies')),
        stat(t('nav.graduates'), num(d.graduates), L('#/graduates')),
        stat(t('nav.cohorts'), num(d.cohorts), L('#/cohorts')))),
  ];
}

const R = RESOURCES;
function table(res, params, columns, empty) {
  return pagedTable({ path: R[res].path, params, columns: columns || R[res].columns, empty, rowHref: (it) => `#/${res}/${it.id}`, limit: 10 });
}

export async function render() {
  const role = mainRole();
  const name = session.me.user.name;
  const greet = t('home.hello', { name });
  const d = await get('/dashboard');

  if (role === 'viewer') {
    return h('div', null, pageHeader(greet, { sub: t('home.viewerSub') }), dashboardView(d, { links: false }));
  }
  if (role === 'admin' || role === 'coordinator') {
    const parts = [pageHeader(greet, { sub: role === 'admin' ? t('home.adminSub') : t('home.coordinatorSub', { org: session.me.roles[0].org_name }),
      actions: [linkBtn('#/board', t('nav.pipeline'), 'btn'), linkBtn('#/positions/new', t('positions.new'), 'btn btn-primary')] })];
    if (role === 'admin') {
      parts.push(h('div', { class: 'grid-2' },
        h('section', { class: 'card', aria: { labelledby: 'h-orgs' } }, h('h2', { class: 'card-title', id: 'h-orgs' }, t('home.operators')),
          pagedTable({ path: '/orgs', params: {}, limit: 10, rowHref: (o) => `#/admin/orgs/${o.id}/edit`, columns: [
            { label: 'common.name', cell: (o) => o.name }, { label: 'orgs.kind', cell: (o) => tv('orgkind', o.kind) }, { label: 'common.country', cell: (o) => o.country || '' }] }).el),
        h('section', { class: 'card', aria: { labelledby: 'h-users' } }, h('h2', { class: 'card-title', id: 'h-users' }, t('home.users')),
          pagedTable({ path: '/users', params: {}, limit: 10, columns: [
            { label: 'common.name', cell: (u) => u.name }, { label: 'common.email', cell: (u) => u.email }, { label: 'common.status', cell: (u) => badge('ustatus', u.status) }] }).el,
          h('p', null, h('a', { href: '#/admin/users' }, t('home.allUsers'))))));
    }
    const dv = dashboardView(d);
    parts.push(dv[0]);
    parts.push(h('div', { class: 'grid-2' },
      h('section', { class: 'card', aria: { labelledby: 'h-await' } }, h('h2', { class: 'card-title', id: 'h-await' }, t('home.awaitingApproval')),
        table('positions', { status: 'submitted' }, [R.positions.columns[0], R.positions.columns[1]], 'home.noneAwaiting').el),
      h('section', { class: 'card', aria: { labelledby: 'h-sign' } }, h('h2', { class: 'card-title', id: 'h-sign' }, t('home.awaitingSignatures')),
        table('placements', { status: 'draft' }, [R.placements.columns[0], R.placements.columns[1], R.placements.columns[5]], 'home.noneAwaiting').el)));
    parts.push(dv.slice(1));
    return h('div', null, parts);
  }
  if (role === 'company') {
    const s = subjectOf('company');
    let company = null;
    if (s) { try { company = await get(`/companies/${s.id}`); } catch { /* shown below */ } }
    return h('div', null,
      pageHeader(greet, { sub: company ? company.legal_name : t('home.companyNoBinding'),
        actions: [linkBtn('#/positions/new', t('positions.new'), 'btn btn-primary')] }),
      h('section', { class: 'card', aria: { labelledby: 'h-cpos' } }, h('h2', { class: 'card-title', id: 'h-cpos' }, t('home.yourPositions')),
        table('positions', {}, [R.positions.columns[0], R.positions.columns[2], R.positions.columns[3], R.positions.columns[4]], 'home.noPositions').el),
      h('section', { class: 'card', aria: { labelledby: 'h-short' } }, h('h2', { class: 'card-title', id: 'h-short' }, t('home.yourShortlist')),
        table('applications', { sort: '-id' }, [R.applications.columns[0], R.applications.columns[1], R.applications.columns[3]], 'home.noShortlist').el),
      h('section', { class: 'card', aria: { labelledby: 'h-cpl' } }, h('h2', { class: 'card-title', id: 'h-cpl' }, t('nav.placements')),
        table('placements', {}, [R.placements.columns[0], R.placements.columns[3], R.placements.columns[5]], 'list.empty').el));
  }
  if (role === 'trainee') {
    const s = subjectOf('trainee');
    let g = null;
    let gErr = null;
    if (s) { try { g = await get(`/graduates/${s.id}`); } catch (e) { gErr = e; } }
    return h('div', null,
      pageHeader(greet, { sub: t('home.traineeSub') }),
      g ? completenessCard(g) : h('section', { class: 'card' }, h('p', null, gErr ? errorText(gErr) : t('home.traineeNoBinding'))),
      h('section', { class: 'card', aria: { labelledby: 'h-open' } }, h('h2', { class: 'card-title', id: 'h-open' }, t('home.openPositions')),
        table('positions', { status: 'open' }, [R.positions.columns[0], R.positions.columns[1], R.positions.columns[3]], 'home.noOpen').el),
      h('section', { class: 'card', aria: { labelledby: 'h-apps' } }, h('h2', { class: 'card-title', id: 'h-apps' }, t('home.yourApplications')),
        table('applications', { sort: '-id' }, [R.applications.columns[1], R.applications.columns[2], R.applications.columns[3]], 'home.noApplications').el),
      h('section', { class: 'card', aria: { labelledby: 'h-tpl' } }, h('h2', { class: 'card-title', id: 'h-tpl' }, t('nav.placements')),
        table('placements', {}, [R.placements.columns[1], R.placements.columns[3], R.placements.columns[4]], 'list.empty').el));
  }
  if (role === 'mentor') {
    return h('div', null, pageHeader(greet, { sub: t('home.mentorSub') }),
      h('section', { class: 'card', aria: { labelledby: 'h-mpl' } }, h('h2', { class: 'card-title', id: 'h-mpl' }, t('home.yourPlacements')),
        table('placements', {}, R.placements.columns, 'home.noPlacements').el));
  }
  return h('div', null, pageHeader(greet), h('p', null, t('home.noRole')));
}

const PROFILE_PARTS = [
  ['email', (g) => !!g.email], ['phone', (g) => !!g.phone], ['nationality', (g) => !!g.nationality],
  ['residence', (g) => !!g.residence], ['eqf_level', (g) => !!g.eqf_level], ['field', (g) => !!g.field],
  ['university', (g) => !!g.university], ['graduation_year', (g) => !!g.graduation_year],
  ['languages', (g) => (g.languages || []).length > 0], ['countries', (g) => (g.countries || []).length > 0],
  ['skills', (g) => (g.skills || []).length > 0], ['available_from', (g) => !!g.available_from],
  ['cv', (g) => !!g.has_cv], ['consent', (g) => !!g.consent],
];

export function completeness(g) {
  const missing = PROFILE_PARTS.filter(([, ok]) => !ok(g)).map(([k]) => k);
  return { pct: Math.round(((PROFILE_PARTS.length - missing.length) / PROFILE_PARTS.length) * 100), missing };
}

function completenessCard(g) {
  const { pct, missing } = completeness(g);
  return h('section', { class: 'card', aria: { labelledby: 'h-prof' } },
    h('h2', { class: 'card-title', id: 'h-prof' }, t('home.profile')),
    h('div', { class: 'progress-row' },
      h('progress', { max: '100', value: String(pct), aria: { labelledby: 'h-prof' }, class: 'progress' }),
      h('span', { class: 'progress-text' }, t('home.percentComplete', { pct }))),
    missing.length ? h('p', { class: 'muted' }, t('home.missing'), ' ', missing.map((k) => t(`profile.${k}`)).join(', ')) : h('p', null, t('home.profileComplete')),
    h('p', null, h('a', { class: 'btn', href: `#/graduates/${g.id}/edit` }, t('home.editProfile')), ' ',
      h('a', { class: 'btn btn-ghost', href: `#/graduates/${g.id}` }, t('home.viewProfile'))));
}
