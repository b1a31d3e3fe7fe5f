// app.js - boot, the hash router and the page frame (navigation per role).
import { h, clear, $, replace } from './dom.js';
import { t, loadStrings, lang, LANGS, setLang } from './i18n.js';
import { get, post, session, setSession, mainRole, setUnauthorizedHandler, isStaff, subjectOf, hasRole } from './api.js';
import { loadCurrencies } from './fmt.js';
import { notify, errorPage, messagesOnNav } from './ui.js';
import * as auth from './pages/auth.js';
import * as home from './pages/home.js';
import * as records from './pages/records.js';
import * as board from './pages/board.js';
import * as admin from './pages/admin.js';
import * as account from './pages/account.js';
import * as matching from './pages/matching.js';
import * as credentials from './pages/credentials.js';
import * as importer from './pages/import.js';
import * as help from './pages/help.js';
import * as training from './pages/training.js';
import * as markets from './pages/markets.js';
import * as plans from './pages/plans.js';
import * as todo from './pages/todo.js';
import * as impact from './pages/impact.js';
import * as network from './pages/network.js';
import * as offers from './pages/offers.js';

const RES = 'companies|graduates|cohorts|positions|applications|placements';
// Who may open which page (the API decides what they see; a page a role may not use is not drawn).
const STAFF = ['admin', 'coordinator'];
const ADMIN = ['admin'];
const RECORD_ROLES = {
  // resource: [list, new, detail, edit]
  companies: [STAFF, STAFF, [...STAFF, 'company'], [...STAFF, 'company']],
  graduates: [STAFF, STAFF, [...STAFF, 'trainee'], [...STAFF, 'trainee']],
  cohorts: [STAFF, STAFF, STAFF, STAFF],
  positions: [[...STAFF, 'company', 'trainee'], [...STAFF, 'company'], [...STAFF, 'company', 'trainee'], [...STAFF, 'company']],
  applications: [[...STAFF, 'company', 'trainee'], [...STAFF, 'trainee'], [...STAFF, 'company', 'trainee'], [...STAFF, 'company', 'trainee']],
  placements: [[...STAFF, 'company', 'trainee', 'mentor'], STAFF, [...STAFF, 'company', 'trainee', 'mentor'], STAFF],
};
const rec = (i) => (params) => RECORD_ROLES[params.res][i];
const routes = [
  // [pattern, render, {public, roles: [..] or (params) => [..]}]
  ['login', auth.login, { public: true }],
  ['forgot-password', auth.forgot, { public: true }],
  ['reset-password', auth.resetPassword, { public: true }],
  ['accept-invitation', auth.acceptInvitation, { public: true }],
  ['help', help.render, { public: true }],
  ['', todo.withTodo(home.render)],
  ['account', todo.withSettings(account.render)],
  ['todo', todo.render],
  ['board', board.render, { roles: STAFF }],
  ['import', importer.render, { roles: STAFF }],
  ['admin/orgs', admin.orgList, { roles: ADMIN }],
  ['admin/orgs/new', admin.orgForm, { roles: ADMIN }],
  ['admin/orgs/:id/edit', admin.orgForm, { roles: ADMIN }],
  ['admin/users', admin.userList, { roles: STAFF }],
  ['admin/invite', admin.invite, { roles: STAFF }],
  ['admin/audit', admin.audit, { roles: STAFF }],
  ['admin/accreditations', credentials.accreditations, { roles: ADMIN }],
  ['matching', matching.home, { roles: STAFF }],
  ['matching/weights', matching.weights, { roles: STAFF }],
  ['matching/:id', matching.detail, { roles: STAFF }],
  ['credentials', credentials.list, { roles: [...STAFF, 'trainee'] }],
  ['credentials/new', credentials.issue, { roles: STAFF }],
  ['credentials/keys', credentials.keys, { roles: STAFF }],
  ['credentials/:id', credentials.detail, { roles: [...STAFF, 'trainee'] }],
  ['markets', markets.explorer, { roles: [...STAFF, 'company', 'trainee'] }],
  ['export-plans', plans.list, { roles: [...STAFF, 'company', 'trainee', 'mentor'] }],
  ['export-plans/:id', plans.detail, { roles: [...STAFF, 'company', 'trainee', 'mentor'] }],
  ['achievements', credentials.achievements, { roles: STAFF }],
  ['achievements/new', credentials.achievementForm, { roles: STAFF }],
  ['achievements/:id', credentials.achievementForm, { roles: STAFF }],
  ['review', training.reviewByLink, { public: true }],
  // impact (issue 14): the measures (a funder sees them suppressed) and the survey by link
  ['impact', impact.dashboard, { roles: [...STAFF, 'viewer'] }],
  ['impact-survey', impact.survey, { public: true }],
  ['training', training.mine, { roles: [...STAFF, 'company', 'trainee', 'mentor'] }],
  ['curricula', training.curricula, { roles: STAFF }],
  ['curriculum-versions/:id', training.version, { roles: STAFF }],
  ['placements/:id/plan', training.plan, { roles: [...STAFF, 'company', 'trainee', 'mentor'] }],
  ['plan-modules/:id', training.module, { roles: [...STAFF, 'company', 'trainee', 'mentor'] }],
  ['cohorts/:id/progress', training.progress, { roles: STAFF }],
  // the trade network (issue 15)
  ['network', network.directory, { roles: [...STAFF, 'company', 'trainee'] }],
  ['network/contacts/:id', network.contact, { roles: [...STAFF, 'company', 'trainee'] }],
  ['network/introductions', network.inbox, { roles: [...STAFF, 'company', 'trainee'] }],
  ['introduction-answer', network.answer, { public: true }],
  ['network/offers', offers.board, { roles: [...STAFF, 'company', 'trainee'] }],   // the offers board (issue 15)
  ['network/offers/:id', offers.offer, { roles: [...STAFF, 'company', 'trainee'] }],
  ['offer-digest-unsubscribe', offers.unsubscribe, { public: true }],
  [`:res(${RES})`, records.list, { roles: rec(0) }],
  [`:res(${RES})/new`, records.create, { roles: rec(1) }],
  [`:res(${RES})/:id`, records.detail, { roles: rec(2) }],
  [`:res(${RES})/:id/edit`, records.edit, { roles: rec(3) }],
];

/** May the signed-in person open this route? */
function mayOpen(route, params) {
  if (!route.roles) return true;
  const roles = typeof route.roles === 'function' ? route.roles(params) : route.roles;
  return hasRole(...roles);
}

function compile(pattern) {
  const names = [];
  const src = pattern.split('/').map((part) => {
    const m = /^:(\w+)(?:\(([^)]+)\))?$/.exec(part);
    if (!m) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    names.push(m[1]);
    return m[2] ? `(${m[2]})` : m[1] === 'id' ? '(\\d+)' : '([^/]+)';
  }).join('/');
  return { re: new RegExp(`^${src}$`), names };
}
const table = routes.map(([p, fn, o]) => ({ ...compile(p), pattern: p, fn, public: !!(o && o.public), roles: o && o.roles }));

// The guide's section (docs/guide.md) for each page, by the page's first path part and the role.
const HELP = {
  login: 'signing-in-and-your-account', 'forgot-password': 'signing-in-and-your-account', 'reset-password': 'signing-in-and-your-account',
  'accept-invitation': 'signing-in-and-your-account', account: 'signing-in-and-your-account',
  '': 'the-home-page', companies: 'companies-and-graduates', graduates: 'companies-and-graduates', import: 'importing-and-exporting',
  cohorts: 'cohorts-and-positions', positions: 'cohorts-and-positions', board: 'the-pipeline-board', applications: 'the-pipeline-board',
  matching: 'matching', placements: 'placements-and-the-agreement', credentials: 'qualifications', achievements: 'qualifications',
  admin: 'people-invitations-and-the-audit-log',
};
const ROLE_HELP = { company: 'companies', trainee: 'trainees', mentor: 'mentors', viewer: 'funders-and-viewers' };
export function helpSection(path) {
  const first = path.split('/')[0];
  if (!(first in HELP)) return null;
  const role = session.me ? mainRole() : null;
  if (ROLE_HELP[role] && !['login', 'forgot-password', 'reset-password', 'accept-invitation', 'account'].includes(first)) return ROLE_HELP[role];
  return HELP[first];
}

/** A "Help" link on the page to its section of the guide. */
function addHelpLink(view, path) {
  const s = helpSection(path);
  if (!s || !(view instanceof Element)) return;
  const link = h('a', { class: 'help-link', href: `#/help?s=${s}`, dataset: { section: s } }, t('help.link'));
  const row = view.querySelector('.page-header-row');
  if (row) row.append(h('div', { class: 'help-box' }, link));
  else { const card = view.querySelector('.auth-card'); if (card) card.append(h('p', { class: 'auth-links' }, link)); }
}

export function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const qi = raw.indexOf('?');
  const path = (qi >= 0 ? raw.slice(0, qi) : raw).replace(/\/$/, '');
  const query = Object.fromEntries(new URLSearchParams(qi >= 0 ? raw.slice(qi + 1) : ''));
  return { path, query };
}

export function go(hash) {
  if (location.hash === hash) route(); else location.hash = hash;
}

let renderSeq = 0;
async function route() {
  const { path, query } = parseHash();
  const main = $('#main');
  let match = null;
  let params = {};
  for (const r of table) {
    const m = r.re.exec(path);
    if (m) { match = r; params = Object.fromEntries(r.names.map((n, i) => [n, decodeURIComponent(m[i + 1])])); break; }
  }
  if (!session.me && !(match && match.public)) {
    const next = location.hash && location.hash !== '#/' ? location.hash : '';
    location.replace(`#/login${next ? `?next=${encodeURIComponent(next)}` : ''}`);
    return;
  }
  if (session.me && path === 'login') { location.replace(query.next || '#/'); return; }
  renderNav();
  const my = ++renderSeq;
  closeNav();
  clear(main);
  main.setAttribute('aria-busy', 'true');
  main.append(h('p', { class: 'loading' }, t('common.loading')));
  try {
    if (!match) throw Object.assign(new Error(t('error.notFound')), { status: 404 });
    if (!mayOpen(match, params)) throw Object.assign(new Error(t('error.forbidden')), { status: 403 });
    const view = await match.fn({ params, query, go });
    if (my !== renderSeq) return;
    addHelpLink(view, path);
    replace(main, view);
  } catch (e) {
    if (my !== renderSeq) return;
    if (e && e.status === 401) return;
    if (!e || (e.status !== 404 && e.status !== 403)) console.error(e);
    replace(main, errorPage(e));
  }
  if (my === renderSeq) {
    main.setAttribute('aria-busy', 'false');
    main.dataset.route = location.hash || '#/';
    const title = $('#page-title', main);
    (title || main).focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }
}

// ---- navigation per role ----
const MORE = true;

function navItems() {
  const role = mainRole();
  const items = [['#/', 'nav.home']];
  const staff = isStaff();
  items.push(['#/todo', 'nav.todo', staff || hasRole('trainee') ? MORE : false]);   // issue 17: my to-do list (on every home page too)
  if (staff) {
    items.push(['#/companies', 'nav.companies'], ['#/graduates', 'nav.graduates'], ['#/cohorts', 'nav.cohorts'],
      ['#/positions', 'nav.positions'], ['#/board', 'nav.pipeline'], ['#/applications', 'nav.applications'],
      ['#/placements', 'nav.placements'], ['#/matching', 'nav.matching'], ['#/credentials', 'nav.credentials'],
      ['#/training', 'nav.training'], ['#/markets', 'nav.markets']);
    // Less frequent pages sit under "More", so the menu stays one row at 1280 px.
    items.push(['#/curricula', 'nav.curricula', MORE], ['#/export-plans', 'nav.exportPlans', MORE], ['#/import', 'nav.import', MORE]);
    if (role === 'admin') items.push(['#/admin/orgs', 'nav.orgs', MORE], ['#/admin/accreditations', 'nav.accreditations', MORE]);
    items.push(['#/admin/users', 'nav.users', MORE], ['#/admin/audit', 'nav.audit', MORE]);
    items.push(['#/impact', 'nav.impact', MORE]);
    items.push(['#/network', 'nav.network', MORE]);   // the trade network (issue 15)
    items.push(['#/network/offers', 'nav.offers', MORE]);
  } else if (role === 'company') {
    const s = subjectOf('company');
    if (s) items.push([`#/companies/${s.id}`, 'nav.myCompany']);
    items.push(['#/positions', 'nav.positions'], ['#/applications', 'nav.shortlist'], ['#/placements', 'nav.placements'],
      ['#/training', 'nav.training'], ['#/markets', 'nav.markets'], ['#/export-plans', 'nav.exportPlans']);
  } else if (role === 'trainee') {
    const s = subjectOf('trainee');
    if (s) items.push([`#/graduates/${s.id}`, 'nav.myProfile']);
    items.push(['#/training', 'nav.training'], ['#/positions', 'nav.openPositions'], ['#/applications', 'nav.myApplications'],
      ['#/placements', 'nav.placements'], ['#/credentials', 'nav.credentials'], ['#/markets', 'nav.markets'],
      ['#/export-plans', 'nav.exportPlans']);
  } else if (role === 'viewer') {
    items.push(['#/impact', 'nav.impact']);
  } else if (role === 'mentor') {
    items.push(['#/training', 'nav.reviews'], ['#/placements', 'nav.placements'], ['#/export-plans', 'nav.exportPlans']);
  }
  if (role === 'company' || role === 'trainee') items.push(['#/network', 'nav.network', MORE]);   // the trade network (issue 15)
  if (role === 'company' || role === 'trainee') items.push(['#/network/offers', 'nav.offers', MORE]);
  return items;
}

function renderNav() {
  const nav = $('#nav');
  const toggle = $('#nav-toggle');
  clear(nav);
  if (!session.me) { toggle.hidden = true; return; }
  toggle.hidden = false;
  const { path } = parseHash();
  const cur = `#/${path}`;
  const ul = h('ul', { class: 'nav-list' });
  const sub = h('ul', { class: 'nav-sub' });
  let moreActive = false;
  for (const [href, key, more] of navItems()) {
    const active = href === '#/' ? cur === '#/' : cur === href || cur.startsWith(`${href}/`);
    const li = h('li', null, h('a', { href, class: active ? 'active' : null, aria: { current: active ? 'page' : null } }, t(key)));
    if (more) { sub.append(li); moreActive = moreActive || active; } else ul.append(li);
  }
  if (sub.children.length) {
    const details = h('details', { class: 'nav-more' }, h('summary', { class: moreActive ? 'active' : null }, t('nav.more')), sub);
    // a choice closes the list; so does a click elsewhere
    sub.addEventListener('click', () => { details.open = false; });
    document.addEventListener('click', (e) => { if (!details.contains(e.target)) details.open = false; });
    ul.append(h('li', null, details));
  }
  const me = session.me.user;
  const org = session.me.roles[0] ? session.me.roles[0].org_name : '';
  const userBox = h('div', { class: 'nav-user' },
    h('a', { href: '#/account', class: cur === '#/account' ? 'active' : null, aria: { current: cur === '#/account' ? 'page' : null } },
      h('span', { class: 'nav-user-name' }, me.name), h('span', { class: 'nav-user-role' }, `${t(`role.${mainRole()}`)} · ${org}`)),
    h('button', { type: 'button', class: 'btn btn-small btn-ghost', id: 'sign-out', onclick: signOut }, t('nav.signOut')));
  nav.append(ul, userBox);
}

function closeNav() {
  const toggle = $('#nav-toggle');
  toggle.setAttribute('aria-expanded', 'false');
  $('#nav').classList.remove('open');
}

async function signOut() {
  try { await post('/auth/logout'); } catch { /* the session may already be gone */ }
  setSession(null);
  notify(t('auth.signedOut'), 'success');
  go('#/login');
}

export async function afterLogin(me, next) {
  setSession(me);
  await loadCurrencies();
  await todo.applyAccountLocale();
  go(next || '#/');
}

async function boot() {
  await loadStrings();
  $('.skip-link').textContent = t('nav.skip');
  $('#nav-toggle').textContent = t('nav.menu');
  // the name read out starts with the visible text ("TradeBridge – Home")
  $('#brand').append(h('span', { class: 'sr-only' }, ` – ${t('nav.home')}`));
  $('#footer').textContent = t('footer.text');
  langSwitcher();
  $('#nav-toggle').addEventListener('click', () => {
    const open = $('#nav').classList.toggle('open');
    $('#nav-toggle').setAttribute('aria-expanded', String(open));
  });
  setUnauthorizedHandler(() => {
    if (!session.me) return;
    setSession(null);
    notify(t('auth.sessionEnded'), 'error');
    const next = location.hash;
    location.hash = `#/login?next=${encodeURIComponent(next)}`;
  });
  try {
    setSession(await get('/me', { quiet401: true }));
    await loadCurrencies();
    await todo.applyAccountLocale();
  } catch { setSession(null); }
  window.addEventListener('hashchange', () => { clearMessagesOnNav(); route(); });
  route();
}

/** The language switcher in the top bar: the choice is kept in this browser and applies at once. */
function langSwitcher() {
  const sel = h('select', { id: 'lang-select', class: 'lang-select' },
    LANGS.map((c) => h('option', { value: c, lang: c }, t(`lang.${c}`))));
  sel.value = lang;
  sel.addEventListener('change', async () => { await todo.saveLocale(sel.value); setLang(sel.value); });
  $('.topbar-inner').append(h('div', { class: 'lang-switch' },
    h('label', { for: 'lang-select', class: 'lang-label' }, t('lang.label')), sel));
}

let lastPath = null;
function clearMessagesOnNav() {
  const { path } = parseHash();
  if (lastPath !== null && lastPath !== path) messagesOnNav();
  lastPath = path;
}

boot();
