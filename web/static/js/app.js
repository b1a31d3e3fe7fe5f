// app.js - boot, the hash router and the page frame (navigation per role).
import { h, clear, $, replace } from './dom.js';
import { t, loadStrings } from './i18n.js';
import { get, post, session, setSession, mainRole, setUnauthorizedHandler, isStaff, subjectOf } from './api.js';
import { loadCurrencies } from './fmt.js';
import { notify, errorPage, clearMessages } from './ui.js';
import * as auth from './pages/auth.js';
import * as home from './pages/home.js';
import * as records from './pages/records.js';
import * as board from './pages/board.js';
import * as admin from './pages/admin.js';
import * as account from './pages/account.js';
import * as matching from './pages/matching.js';
import * as credentials from './pages/credentials.js';
import * as markets from './pages/markets.js';
import * as plans from './pages/plans.js';

const RES = 'companies|graduates|cohorts|positions|applications|placements';
const routes = [
  // [pattern, render, {public}]
  ['login', auth.login, { public: true }],
  ['forgot-password', auth.forgot, { public: true }],
  ['reset-password', auth.resetPassword, { public: true }],
  ['accept-invitation', auth.acceptInvitation, { public: true }],
  ['', home.render],
  ['account', account.render],
  ['board', board.render],
  ['admin/orgs', admin.orgList],
  ['admin/orgs/new', admin.orgForm],
  ['admin/orgs/:id/edit', admin.orgForm],
  ['admin/users', admin.userList],
  ['admin/invite', admin.invite],
  ['admin/audit', admin.audit],
  ['admin/accreditations', credentials.accreditations],
  ['matching', matching.home],
  ['matching/weights', matching.weights],
  ['matching/:id', matching.detail],
  ['credentials', credentials.list],
  ['credentials/new', credentials.issue],
  ['credentials/keys', credentials.keys],
  ['credentials/:id', credentials.detail],
  ['markets', markets.explorer],
  ['export-plans', plans.list],
  ['export-plans/:id', plans.detail],
  ['achievements', credentials.achievements],
  ['achievements/new', credentials.achievementForm],
  ['achievements/:id', credentials.achievementForm],
  [`:res(${RES})`, records.list],
  [`:res(${RES})/new`, records.create],
  [`:res(${RES})/:id`, records.detail],
  [`:res(${RES})/:id/edit`, records.edit],
];

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
const table = routes.map(([p, fn, o]) => ({ ...compile(p), fn, public: !!(o && o.public) }));

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
    const view = await match.fn({ params, query, go });
    if (my !== renderSeq) return;
    replace(main, view);
  } catch (e) {
    if (my !== renderSeq) return;
    if (e && e.status === 401) return;
    if (!e || e.status !== 404) console.error(e);
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
function navItems() {
  const role = mainRole();
  const items = [['#/', 'nav.home']];
  const staff = isStaff();
  if (staff) {
    items.push(['#/companies', 'nav.companies'], ['#/graduates', 'nav.graduates'], ['#/cohorts', 'nav.cohorts'],
      ['#/positions', 'nav.positions'], ['#/board', 'nav.pipeline'], ['#/applications', 'nav.applications'],
      ['#/placements', 'nav.placements'], ['#/matching', 'nav.matching'], ['#/credentials', 'nav.credentials'],
      ['#/markets', 'nav.markets'], ['#/export-plans', 'nav.exportPlans']);
    if (role === 'admin') items.push(['#/admin/orgs', 'nav.orgs'], ['#/admin/accreditations', 'nav.accreditations']);
    items.push(['#/admin/users', 'nav.users'], ['#/admin/audit', 'nav.audit']);
  } else if (role === 'company') {
    const s = subjectOf('company');
    if (s) items.push([`#/companies/${s.id}`, 'nav.myCompany']);
    items.push(['#/positions', 'nav.positions'], ['#/applications', 'nav.shortlist'], ['#/placements', 'nav.placements'],
      ['#/markets', 'nav.markets'], ['#/export-plans', 'nav.exportPlans']);
  } else if (role === 'trainee') {
    const s = subjectOf('trainee');
    if (s) items.push([`#/graduates/${s.id}`, 'nav.myProfile']);
    items.push(['#/positions', 'nav.openPositions'], ['#/applications', 'nav.myApplications'], ['#/placements', 'nav.placements'],
      ['#/credentials', 'nav.credentials'], ['#/markets', 'nav.markets'], ['#/export-plans', 'nav.exportPlans']);
  } else if (role === 'mentor') {
    items.push(['#/placements', 'nav.placements'], ['#/export-plans', 'nav.exportPlans']);
  }
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
  for (const [href, key] of navItems()) {
    const active = href === '#/' ? cur === '#/' : cur === href || cur.startsWith(`${href}/`);
    ul.append(h('li', null, h('a', { href, class: active ? 'active' : null, aria: { current: active ? 'page' : null } }, t(key))));
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
  go(next || '#/');
}

async function boot() {
  await loadStrings();
  $('.skip-link').textContent = t('nav.skip');
  $('#nav-toggle').textContent = t('nav.menu');
  $('#brand').setAttribute('aria-label', t('nav.homeBrand'));
  $('#footer').textContent = t('footer.text');
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
  } catch { setSession(null); }
  window.addEventListener('hashchange', () => { clearMessagesOnNav(); route(); });
  route();
}

let lastPath = null;
function clearMessagesOnNav() {
  const { path } = parseHash();
  if (lastPath !== null && lastPath !== path && !document.querySelector('.msg-success')) clearMessages();
  lastPath = path;
}

boot();
