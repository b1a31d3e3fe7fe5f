// authz_matrix.test.mjs - the authorization matrix: every route of the route
// table (`tradebridge routes --json`) x every role (and no login) x a record of
// the actor's own operator and one of another operator, with the status each
// must answer, checked in as authz_matrix.json. A route without a row fails.
//
// The actors are ITM Sweden's demo logins (and the foundation's admin); "own"
// is a Swedish record the role is about where it has one (the trainee's own
// graduate record, the company's company, the mentor's placement), "other"
// a record of ITM Slovenia. Nothing is changed: GET runs as is, PATCH sends {}
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
import { startServer, login, runCli, Client, USERS, resolveUserIds } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const MATRIX_FILE = join(here, 'authz_matrix.json');
const ROLES = ['anonymous', 'admin', 'coordinator', 'company', 'trainee', 'mentor', 'viewer'];
const PROBE = { authz_probe: true };   // no route declares this field

let srv, clients = {}, ids, routes;

const orgOf = (x) => x.org_id;
const firstOf = (items, org, pred = () => true) => items.find((x) => orgOf(x) === org && pred(x));

before(async () => {
  const r = runCli(['routes', '--json']);
  assert.equal(r.status, 0, r.stderr);
  routes = JSON.parse(r.stdout);
  srv = await startServer();
  clients.anonymous = new Client(srv.base);
  for (const role of ROLES.slice(1)) clients[role] = await login(srv.base, USERS[role].email);
  await resolveUserIds(clients.admin);
  const coordSi = await login(srv.base, USERS.coordinatorSi.email);
  const admin = clients.admin;
  const all = async (path) => admin.all(path, 200);
  const subject = (role) => clients[role].me.roles[0].subject_id;

  // Records of each operator for every {id} in the route table. "own" is a
  // Swedish record; for the company, trainee and mentor the one they are
  // about (their company's, their own, the supervised placement and what
  // hangs off it), so the row scope inside the own operator shows too.
  const placements = await all('/api/v1/placements');
  const applications = await all('/api/v1/applications');
  const credentials = await all('/api/v1/credentials');
  const placementOf = {
    company: placements.find((p) => p.company_id === subject('company')),
    trainee: placements.find((p) => p.graduate_id === subject('trainee')),
    mentor: placements.find((p) => p.mentor_user_id === USERS.mentor.id),
  };
  placementOf.default = placementOf.mentor;
  const around = (p) => p && ({
    placements: p.id, positions: p.position_id, cohorts: p.cohort_id, companies: p.company_id, graduates: p.graduate_id,
    applications: (applications.find((a) => a.graduate_id === p.graduate_id && a.position_id === p.position_id) || {}).id,
    credentials: (credentials.find((c) => c.graduate_id === p.graduate_id) || {}).id,
  });
  const perRole = Object.fromEntries(Object.entries(placementOf).map(([role, p]) => [role, around(p) || {}]));
  perRole.company.companies = subject('company');
  perRole.trainee.graduates = subject('trainee');
  const pair = (own, other) => ({ own, other });
  const byOrg = async (path) => {
    const items = await all(path);
    return pair(firstOf(items, 2)?.id, firstOf(items, 3)?.id);
  };
  const scoped = (res, items) => ({ ...pair(perRole.default[res] || firstOf(items, 2).id, firstOf(items, 3).id),
    perRole: Object.fromEntries(['company', 'trainee', 'mentor'].map((role) => [role, perRole[role][res]]).filter(([, v]) => v)) });
  // The demo has no match constraints or runs: one each per operator, on records of that operator.
  for (const [c, org] of [[clients.coordinator, 2], [coordSi, 3]]) {
    const [cohort, graduate, position] = await Promise.all(['cohorts', 'graduates', 'positions'].map(async (x) =>
      firstOf((await c.get(`/api/v1/${x}?limit=1`)).json.items, org)));
    const m = await c.post('/api/v1/match-constraints', { cohort_id: cohort.id, graduate_id: graduate.id,
      position_id: position.id, kind: 'forbid' });
    assert.equal(m.status, 201, m.text);
    const run = await c.post('/api/v1/match-runs', { cohort_id: cohort.id, engine: 'assign' });
    assert.equal(run.status, 201, run.text);
  }
  const inv = (c, email) => c.post('/api/v1/invitations', { email, name: 'Matrix Probe', role: 'viewer' });
  const tok = (c) => c.post('/api/v1/tokens', { name: 'matrix probe', scope: 'read' });
  const uuidOf = (c) => c.credential_id.replace(/^urn:uuid:/, '');
  ids = {
    orgs: pair(2, 3),
    users: pair(USERS.coordinator.id, USERS.coordinatorSi.id),
    invitations: pair((await inv(clients.coordinator, 'matrix.se@example.org')).json.id,
      (await inv(coordSi, 'matrix.si@example.org')).json.id),
    tokens: pair((await tok(clients.coordinator)).json.id, (await tok(coordSi)).json.id),
    companies: scoped('companies', await all('/api/v1/companies')),
    graduates: scoped('graduates', await all('/api/v1/graduates')),
    placements: scoped('placements', placements),
    cohorts: scoped('cohorts', await all('/api/v1/cohorts')),
    positions: scoped('positions', await all('/api/v1/positions')),
    applications: scoped('applications', applications),
    credentials: scoped('credentials', credentials),
    'match-constraints': await byOrg('/api/v1/match-constraints'),
    'match-runs': await byOrg('/api/v1/match-runs'),
    achievements: await byOrg('/api/v1/achievements'),
    accreditations: await byOrg('/api/v1/accreditations'),
    'public/credentials': pair(uuidOf(firstOf(credentials, 2)), uuidOf(firstOf(credentials, 3))),
    issuers: pair(2, 3),
    status: pair(2, 3),
  };
  // A CV on each side's graduate record, so reading one is more than a 404.
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
  for (const [c, g] of [[clients.coordinator, ids.graduates.own], [clients.coordinator, subject('trainee')], [coordSi, ids.graduates.other]]) {
    const r = await c.put(`/api/v1/graduates/${g}/cv`, pdf, { headers: { 'Content-Type': 'application/pdf' } });
    assert.equal(r.status, 200, r.text);
  }
  for (const [k, v] of Object.entries(ids))
    assert.ok(v.own && v.other, `the demo has ${k} in both operators: ${JSON.stringify(v)}`);
});
after(async () => { if (srv) await srv.stop(); });

const key = (r) => `${r.method} ${r.path}`;
const hasRecord = (path) => /\{(id|uuid)\}/.test(path);

/** The concrete path for a route pattern: own or other operator's records. */
function concrete(pattern, role, side) {
  // The resource is the segment before {id} ("public/credentials" for the public credential).
  return pattern.replace(/\/([a-z-]+(?:\/credentials)?)\/\{(id|uuid)\}/, (_, res, param) => {
    assert.ok(ids[res], `no representative record for {${param}} after /${res} in ${pattern}`);
    const own = ids[res].perRole?.[role] ?? ids[res].own;
    return `/${res}/${side === 'own' ? own : ids[res].other}`;
  }).replace('{kind}', 'companies').replace('{list}', 'countries').replace('{purpose}', 'revocation');
}

async function probe(role, route, side) {
  const c = clients[role];
  const path = concrete(route.path, role, side);
  switch (route.method) {
    case 'GET': return (await c.get(path)).status;
    case 'PATCH': return (await c.patch(path, {}, { headers: { 'If-Match': '"v999999999"' } })).status;
    default: return (await c.send(route.method, path + (route.path.includes('/import/') ? '?dry_run=true' : ''), PROBE)).status;
  }
}

/** "own/other" for routes with a record, "status" otherwise. */
async function observe(role, route) {
  const own = await probe(role, route, 'own');
  return hasRecord(route.path) ? `${own}/${await probe(role, route, 'other')}` : String(own);
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
    for (const role of ROLES) {
      const [own, other] = row[role].split('/');
      if (r.public) continue;
      if (role === 'anonymous' && own !== '401') broken.push(`${key(r)}: anonymous must get 401, the matrix says ${row[role]}`);
      if (role !== 'anonymous' && !r.roles.includes(role) && (own !== '403' || (other && other !== '403')))
        broken.push(`${key(r)}: ${role} is not admitted by the route table, the matrix says ${row[role]}`);
      if (role !== 'admin' && role !== 'anonymous' && other && /^2/.test(other))
        broken.push(`${key(r)}: ${role} reaches another operator's record (${row[role]})`);
    }
  }
  assert.deepEqual(broken, []);
});

test('the server exits with status 0 on SIGTERM', async () => {
  await srv.stop();
});
