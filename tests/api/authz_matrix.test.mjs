// authz_matrix.test.mjs - the authorization matrix: every route of the route
// table (`tradebridge routes --json`) x every role (and no login) x a record of
// the actor's own operator and one of another operator, with the status each
// must answer, checked in as authz_matrix.json. A route without a row fails.
//
// Every role signs in once in each of two operators (ITM Sweden's demo logins,
// ITM Slovenia's made here; the foundation's admin in both): "own" is a record
// of the actor's operator, the one the role is about where it has one (the
// trainee's own graduate record, the company's company, the mentor's
// placement), "other" a record of the other operator. One expectation holds
// for both operators; where they differ, the row says so ("se (si: si)"). Nothing is changed: GET runs as is, PATCH sends {}
// with a stale If-Match (412 where the record is reachable, 404 where it is
// not), every other unsafe request sends a body the route refuses (400, 415)
// after authentication, the role and CSRF checks.
//
// After a deliberate change, AUTHZ_MATRIX_WRITE=1 rewrites the JSON from
// what the server answers; review the diff like code.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, login, request, linkToken, runCli, Client, USERS, resolveUserIds } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const MATRIX_FILE = join(here, 'authz_matrix.json');
const ROLES = ['anonymous', 'admin', 'coordinator', 'company', 'trainee', 'mentor', 'viewer'];
const OPS = { se: 2, si: 3 };          // ITM Sweden and ITM Slovenia
const OTHER = { se: 'si', si: 'se' };
const PROBE = { authz_probe: true };   // no route declares this field
const PROBE_PASSWORD = 'Matrix-probe-pw-2026';

// actors[op][role]: a signed-in client of that operator (the admin is the foundation's in both)
let srv, routes, actors = { se: {}, si: {} };
// ids[resource][op] = {default, perRole: {company, trainee, mentor}}: representative records
let ids;

const firstOf = (items, org, pred = () => true) => items.find((x) => x.org_id === org && pred(x));

/** Invites an address with a role, accepts from the mail, signs in. */
async function invited(staff, body) {
  const r = await staff.post('/api/v1/invitations', body);
  assert.equal(r.status, 201, r.text);
  const mail = await srv.smtp.waitForMail((m) => m.to.includes(body.email));
  const ok = await request(srv.base, 'POST', '/api/v1/auth/accept-invitation',
    { token: linkToken(mail, 'accept-invitation'), password: PROBE_PASSWORD });
  assert.equal(ok.status, 200, ok.text);
  return login(srv.base, body.email, PROBE_PASSWORD);
}

before(async () => {
  const r = runCli(['routes', '--json']);
  assert.equal(r.status, 0, r.stderr);
  routes = JSON.parse(r.stdout);
  srv = await startServer({ smtp: true });
  const anonymous = new Client(srv.base);
  for (const role of ROLES.slice(1)) actors.se[role] = await login(srv.base, USERS[role].email);
  const admin = actors.se.admin;
  await resolveUserIds(admin);
  const coordSi = await login(srv.base, USERS.coordinatorSi.email);
  const all = async (path) => admin.all(path, 200);
  const subject = (role) => actors.se[role].me.roles[0].subject_id;

  // ITM Slovenia's actors: a placed graduate (the demo gives them logins) and
  // the mentor of their placement; a company manager of that placement's
  // company and a viewer, invited and accepted here.
  const placements = await all('/api/v1/placements');
  const graduates = await all('/api/v1/graduates');
  const graduate = Object.fromEntries(graduates.map((g) => [g.id, g]));
  const siPlacement = placements.find((p) => p.org_id === OPS.si && p.mentor_user_id && graduate[p.graduate_id].user_id);
  assert.ok(siPlacement, 'ITM Slovenia has a placement with a mentor and a trainee login');
  const siMentor = await admin.get(`/api/v1/users/${siPlacement.mentor_user_id}`);
  actors.si = {
    anonymous,
    admin,
    coordinator: coordSi,
    company: await invited(coordSi, { email: 'matrix.company.si@example.org', name: 'Matrix Company', role: 'company',
      subject_type: 'company', subject_id: siPlacement.company_id }),
    trainee: await login(srv.base, graduate[siPlacement.graduate_id].email),
    mentor: await login(srv.base, siMentor.json.email),
    viewer: await invited(coordSi, { email: 'matrix.viewer.si@example.org', name: 'Matrix Viewer', role: 'viewer' }),
  };
  actors.se.anonymous = anonymous;

  // The demo has no match constraints or runs: one each per operator, on records of that operator.
  for (const [c, org] of [[actors.se.coordinator, OPS.se], [coordSi, OPS.si]]) {
    const [cohort, grad, position] = await Promise.all(['cohorts', 'graduates', 'positions'].map(async (x) =>
      firstOf((await c.get(`/api/v1/${x}?limit=1`)).json.items, org)));
    const m = await c.post('/api/v1/match-constraints', { cohort_id: cohort.id, graduate_id: grad.id,
      position_id: position.id, kind: 'forbid' });
    assert.equal(m.status, 201, m.text);
    const run = await c.post('/api/v1/match-runs', { cohort_id: cohort.id, engine: 'assign' });
    assert.equal(run.status, 201, run.text);
  }

  // Representative records. "own" is a record of the actor's operator; for
  // the company, trainee and mentor the one they are about (their company,
  // their own graduate record, their placement and what hangs off it), so the
  // row scope inside the own operator shows too. "other" is the other
  // operator's default record.
  const applications = await all('/api/v1/applications');
  const credentials = await all('/api/v1/credentials');
  const plans = await all('/api/v1/export-plans');
  const around = (p) => ({
    'export-plans': (plans.find((x) => x.placement_id === p.id) || {}).id,
    placements: p.id, positions: p.position_id, cohorts: p.cohort_id, companies: p.company_id, graduates: p.graduate_id,
    applications: (applications.find((a) => a.graduate_id === p.graduate_id && a.position_id === p.position_id) || {}).id,
    credentials: (credentials.find((c) => c.graduate_id === p.graduate_id) || {}).id,
  });
  const sePlacement = {
    company: placements.find((p) => p.company_id === subject('company')),
    trainee: placements.find((p) => p.graduate_id === subject('trainee')),
    mentor: placements.find((p) => p.mentor_user_id === USERS.mentor.id),
  };
  const perRole = {
    se: { company: { ...around(sePlacement.company), companies: subject('company') },
      trainee: { ...around(sePlacement.trainee), graduates: subject('trainee') }, mentor: around(sePlacement.mentor) },
    si: { company: around(siPlacement), trainee: around(siPlacement), mentor: around(siPlacement) },
  };
  const defaults = { se: around(sePlacement.mentor), si: around(siPlacement) };
  const plain = (se, si) => ({ se: { default: se }, si: { default: si } });
  const scoped = (res, items) => Object.fromEntries(Object.entries(OPS).map(([op, org]) => [op, {
    default: defaults[op][res] || firstOf(items, org).id,
    perRole: Object.fromEntries(Object.entries(perRole[op]).map(([role, x]) => [role, x[res]]).filter(([, v]) => v)),
  }]));
  const byOrg = async (path) => {
    const items = await all(path);
    return plain(firstOf(items, OPS.se)?.id, firstOf(items, OPS.si)?.id);
  };
  const inv = (c, email) => c.post('/api/v1/invitations', { email, name: 'Matrix Probe', role: 'viewer' });
  const tok = (c) => c.post('/api/v1/tokens', { name: 'matrix probe', scope: 'read' });
  const uuidOf = (c) => c.credential_id.replace(/^urn:uuid:/, '');
  ids = {
    orgs: plain(OPS.se, OPS.si),
    users: plain(USERS.coordinator.id, USERS.coordinatorSi.id),
    invitations: plain((await inv(actors.se.coordinator, 'matrix.se@example.org')).json.id,
      (await inv(coordSi, 'matrix.si@example.org')).json.id),
    tokens: plain((await tok(actors.se.coordinator)).json.id, (await tok(coordSi)).json.id),
    companies: scoped('companies', await all('/api/v1/companies')),
    graduates: scoped('graduates', graduates),
    placements: scoped('placements', placements),
    cohorts: scoped('cohorts', await all('/api/v1/cohorts')),
    positions: scoped('positions', await all('/api/v1/positions')),
    applications: scoped('applications', applications),
    credentials: scoped('credentials', credentials),
    'export-plans': scoped('export-plans', plans),
    'match-constraints': await byOrg('/api/v1/match-constraints'),
    'match-runs': await byOrg('/api/v1/match-runs'),
    achievements: await byOrg('/api/v1/achievements'),
    accreditations: await byOrg('/api/v1/accreditations'),
    'public/credentials': plain(uuidOf(firstOf(credentials, OPS.se)), uuidOf(firstOf(credentials, OPS.si))),
    issuers: plain(OPS.se, OPS.si),
    status: plain(OPS.se, OPS.si),
    tariffs: plain(...await Promise.all([actors.se.coordinator, coordSi].map(async (c) => (await c.post('/api/v1/trade/tariffs',
      { market: 'US', product: '0306', rate_pct: 5, source: 'matrix probe', as_of: '2026-01-01' })).json.id))),
  };
  // The trade network (issue 15): per operator a private contact, a
  // relationship between two of them, an introduction, and an approval the
  // operator owns (asked by the other operator, to its shared contact).
  const net = { se: {}, si: {} };
  for (const [op, c] of [['se', actors.se.coordinator], ['si', coordSi]]) {
    const mk = async (name, visibility) => (await c.post('/api/v1/contacts', { kind: 'organisation', category: 'agent',
      name, visibility })).json.id;
    const a = await mk(`Matrix ${op} A`, 'private'), b = await mk(`Matrix ${op} B`, 'private');
    net[op].shared = await mk(`Matrix ${op} shared`, 'shared');
    const l = await c.post(`/api/v1/contacts/${a}/links`, { to_id: b, kind: 'knows', strength: 3 });
    assert.equal(l.status, 201, l.text);
    const i = await c.post('/api/v1/introductions', { introducer_id: a, target_id: b, purpose: 'Matrix probe' });
    assert.equal(i.status, 201, i.text);
    Object.assign(net[op], { contacts: a, 'contact-links': l.json.links[0].id, introductions: i.json.id, c });
    const o = await c.post('/api/v1/offers', { kind: 'other', title: 'Matrix probe', countries: ['DE'],
      expires_on: '2099-01-01', visibility: 'private' });
    assert.equal(o.status, 201, o.text);
    net[op].offers = o.json.id;
  }
  for (const [op, other] of [['se', 'si'], ['si', 'se']]) {
    const c = net[other].c;
    const i = await c.post('/api/v1/introductions', { introducer_id: net[other].contacts, target_id: net[op].shared,
      purpose: 'Matrix probe across operators' });
    assert.equal(i.status, 201, i.text);
  }
  for (const op of ['se', 'si']) {
    const ap = await net[op].c.get('/api/v1/introduction-approvals');
    net[op]['introduction-approvals'] = ap.json.items[0].id;
  }
  for (const res of ['contacts', 'contact-links', 'introductions', 'introduction-approvals', 'offers'])
    ids[res] = plain(net.se[res], net.si[res]);
  // Training (issue 12): a curriculum of each operator's own; from the demo's
  // learning plans a module, a deliverable version and a test attempt; a file
  // on a fresh version of a module still open.
  const curriculumDoc = JSON.parse(readFileSync(join(here, '../../data/curriculum/default.json'), 'utf8'));
  const tr = { se: {}, si: {} };
  for (const [op, c] of [['se', actors.se.coordinator], ['si', coordSi]]) {
    const r = await c.post('/api/v1/curricula', { ...curriculumDoc, code: 'MATRIX' });
    assert.equal(r.status, 201, r.text);
    Object.assign(tr[op], { curricula: r.json.id, 'curriculum-versions': r.json.versions[0].id });
    const planned = placements.filter((p) => p.org_id === OPS[op] && ['signed', 'completed'].includes(p.status));
    for (const p of planned) {
      const modules = (await c.get(`/api/v1/placements/${p.id}/learning-plan`)).json.modules;
      for (const m of modules) {
        const full = (await c.get(`/api/v1/plan-modules/${m.id}`)).json;
        if (!tr[op]['plan-modules'] && full.versions.length) {
          tr[op]['plan-modules'] = m.id;
          tr[op]['deliverable-versions'] = full.versions[0].id;
        }
        if (!tr[op]['test-attempts'] && full.attempts.length) tr[op]['test-attempts'] = full.attempts[0].id;
        if (!tr[op]['deliverable-files'] && m.selected && m.state !== 'approved') {
          const v = await c.post(`/api/v1/plan-modules/${m.id}/deliverable-versions`, { body: 'Matrix probe version' });
          assert.equal(v.status, 201, v.text);
          const f = await c.put(`/api/v1/deliverable-versions/${v.json.id}/files?name=probe.pdf`,
            Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n'), { headers: { 'Content-Type': 'application/pdf' } });
          assert.equal(f.status, 201, f.text);
          tr[op]['deliverable-files'] = f.json.id;
        }
      }
      if (Object.keys(tr[op]).length === 6) break;
    }
  }
  for (const res of Object.keys(tr.se)) ids[res] = plain(tr.se[res], tr.si[res]);

  for (const [k, v] of Object.entries(ids))
    assert.ok(v.se.default && v.si.default, `the demo has ${k} in both operators: ${JSON.stringify(v)}`);

  // A CV on the graduate records read, so reading one is more than a 404.
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
  const cvs = new Set();
  for (const op of Object.keys(OPS)) {
    cvs.add(`${op}:${ids.graduates[op].default}`);
    for (const g of Object.values(ids.graduates[op].perRole)) cvs.add(`${op}:${g}`);
  }
  for (const x of cvs) {
    const [op, g] = x.split(':');
    const r = await (op === 'se' ? actors.se.coordinator : coordSi).put(`/api/v1/graduates/${g}/cv`, pdf,
      { headers: { 'Content-Type': 'application/pdf' } });
    assert.equal(r.status, 200, r.text);
  }
});
after(async () => { if (srv) await srv.stop(); });

const key = (r) => `${r.method} ${r.path}`;
const hasRecord = (path) => /\{(id|uuid)\}/.test(path);

/** The concrete path for a route pattern, for an actor of op and its own or the other operator's record. */
function concrete(pattern, op, role, side) {
  // The resource is the segment before {id} ("public/credentials" for the public credential).
  return pattern.replace(/\/([a-z-]+(?:\/credentials)?)\/\{(id|uuid)\}/, (_, res, param) => {
    assert.ok(ids[res], `no representative record for {${param}} after /${res} in ${pattern}`);
    const id = side === 'own' ? (ids[res][op].perRole?.[role] ?? ids[res][op].default) : ids[res][OTHER[op]].default;
    return `/${res}/${id}`;
  }).replace('/versions/{id}', '/versions/1').replace('{kind}', 'companies').replace('{list}', 'countries').replace('{purpose}', 'revocation');
}

async function probe(op, role, route, side) {
  const c = actors[op][role];
  const path = concrete(route.path, op, role, side);
  switch (route.method) {
    case 'GET': return (await c.get(path)).status;
    case 'PATCH': return (await c.patch(path, {}, { headers: { 'If-Match': '"v999999999"' } })).status;
    default: return (await c.send(route.method, path + (route.path.includes('/import/') ? '?dry_run=true' : ''), PROBE)).status;
  }
}

/** "own/other" for routes with a record, "status" otherwise; when ITM
 * Slovenia's actor answers differently from ITM Sweden's: "se (si: si)". */
async function observe(role, route) {
  const one = async (op) => {
    const own = await probe(op, role, route, 'own');
    return hasRecord(route.path) ? `${own}/${await probe(op, role, route, 'other')}` : String(own);
  };
  const [se, si] = [await one('se'), await one('si')];
  return se === si ? se : `${se} (si: ${si})`;
}

test('every route in the route table has a row in authz_matrix.json, and every row a route', () => {
  const matrix = JSON.parse(readFileSync(MATRIX_FILE, 'utf8'));
  if (process.env.AUTHZ_MATRIX_WRITE) return;
  const missing = routes.map(key).filter((k) => !matrix.routes[k]);
  const stale = Object.keys(matrix.routes).filter((k) => !routes.some((r) => key(r) === k));
  assert.deepEqual(missing, [], 'routes without a row in tests/api/authz_matrix.json');
  assert.deepEqual(stale, [], 'rows of tests/api/authz_matrix.json without a route');
  for (const [k, row] of Object.entries(matrix.routes))
    assert.deepEqual(Object.keys(row), ROLES, `${k}: one entry per role, in the order ${ROLES.join(', ')}`);
});

test('every route answers every role as the matrix says, for its own and another operator\'s records', async () => {
  const observed = {};
  await Promise.all(ROLES.map(async (role) => {
    for (const route of routes) {
      observed[key(route)] ??= {};
      observed[key(route)][role] = await observe(role, route);
    }
  }));
  if (process.env.AUTHZ_MATRIX_WRITE) {
    const rows = {};
    for (const r of routes) rows[key(r)] = Object.fromEntries(ROLES.map((role) => [role, observed[key(r)][role]]));
    const doc = JSON.parse(readFileSync(MATRIX_FILE, 'utf8'));
    doc.routes = rows;
    writeFileSync(MATRIX_FILE, JSON.stringify(doc, null, 1).replace(/\{\n\s+("anonymous"[^}]*)\}/g,
      (_, body) => `{${body.replace(/\n\s*/g, ' ')}}`) + '\n');
    return;
  }
  const matrix = JSON.parse(readFileSync(MATRIX_FILE, 'utf8')).routes;
  const wrong = [];
  for (const r of routes)
    for (const role of ROLES) {
      const want = matrix[key(r)]?.[role];
      if (want !== undefined && want !== observed[key(r)][role])
        wrong.push(`${key(r)} as ${role}: expected ${want}, got ${observed[key(r)][role]}`);
    }
  assert.deepEqual(wrong, []);
});

test('the matrix itself keeps the rules: 401 without login, 403 for roles a route does not admit, nothing of another operator', () => {
  const matrix = JSON.parse(readFileSync(MATRIX_FILE, 'utf8')).routes;
  const broken = [];
  for (const r of routes) {
    const row = matrix[key(r)];
    if (!row) continue;
    if (r.public) continue;
    for (const role of ROLES) {
      for (const cell of row[role].replace(')', '').split(' (si: ')) {   // ITM Sweden's, then ITM Slovenia's if it differs
        const [own, other] = cell.split('/');
        if (role === 'anonymous' && own !== '401') broken.push(`${key(r)}: anonymous must get 401, the matrix says ${row[role]}`);
        if (role !== 'anonymous' && !r.roles.includes(role) && (own !== '403' || (other && other !== '403')))
          broken.push(`${key(r)}: ${role} is not admitted by the route table, the matrix says ${row[role]}`);
        if (role !== 'admin' && role !== 'anonymous' && other && /^2/.test(other))
          broken.push(`${key(r)}: ${role} reaches another operator's record (${row[role]})`);
      }
    }
  }
  assert.deepEqual(broken, []);
});

test('the server exits with status 0 on SIGTERM', async () => {
  await srv.stop();
});
