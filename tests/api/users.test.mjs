// users.test.mjs - people: who sees whom, filters, sorting, paging, renaming and disabling.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, request, assertError, USERS, PASSWORD, resolveUserIds } from './lib.mjs';

let srv, admin, coord, coordSi, viewer;

before(async () => {
  srv = await startServer();
  admin = await login(srv.base, USERS.admin.email);
  coord = await login(srv.base, USERS.coordinator.email);
  coordSi = await login(srv.base, USERS.coordinatorSi.email);
  viewer = await login(srv.base, USERS.viewer.email);
  await resolveUserIds(admin);
});
after(async () => { if (srv) await srv.stop(); });

const idsOf = (items) => items.map((u) => u.id);

test('the admin lists every user, the demo logins included, without password hashes', async () => {
  const all = await admin.all('/api/v1/users', 200);
  const ids = idsOf(all);
  for (const u of Object.values(USERS)) assert.ok(ids.includes(u.id), u.email);
  assert.deepEqual(ids, [...ids].sort((a, b) => a - b), 'ordered by id');
  assert.equal(new Set(ids).size, ids.length, 'no duplicates');
  for (const u of all) assert.ok(!('password_hash' in u), 'no password hash in listings');
  assert.ok(!JSON.stringify(all).includes('$argon2'));
});

test('a coordinator lists only people holding a role in their operator', async () => {
  const se = idsOf(await coord.all('/api/v1/users', 200));
  for (const k of ['coordinator', 'company', 'trainee', 'mentor', 'viewer']) assert.ok(se.includes(USERS[k].id), k);
  assert.ok(!se.includes(USERS.admin.id), 'not the foundation admin');
  assert.ok(!se.includes(USERS.coordinatorSi.id), 'not ITM Slovenia\'s coordinator');
  const si = idsOf(await coordSi.all('/api/v1/users', 200));
  assert.ok(si.includes(USERS.coordinatorSi.id));
  assert.deepEqual(se.filter((id) => si.includes(id)), [], 'the two operators\' lists do not overlap');
  for (const id of se) {
    const u = await coord.get(`/api/v1/users/${id}`);
    assert.equal(u.status, 200, u.text);
    assert.ok(u.json.roles.length > 0 && u.json.roles.every((x) => x.org_id === 2), `${u.json.email}: roles ${JSON.stringify(u.json.roles)}`);
  }
});

test('listing users is for staff only: a viewer gets 403', async () => {
  assertError(await viewer.get('/api/v1/users'), 403, 'forbidden');
});

test('filters: role, status and q (email or name)', async () => {
  const t = idsOf(await coord.all('/api/v1/users?role=trainee', 200));
  assert.ok(t.includes(USERS.trainee.id));
  for (const k of ['coordinator', 'mentor', 'viewer', 'company']) assert.ok(!t.includes(USERS[k].id), k);
  const tSi = idsOf(await coordSi.all('/api/v1/users?role=trainee', 200));
  assert.deepEqual(t.filter((id) => tSi.includes(id)), [], 'role filter stays inside the tenant');
  const coords = idsOf(await admin.all('/api/v1/users?role=coordinator', 200));
  assert.ok(coords.includes(USERS.coordinator.id) && coords.includes(USERS.coordinatorSi.id));
  assert.ok(!coords.includes(USERS.admin.id));
  const coordsSe = idsOf(await coord.all('/api/v1/users?role=coordinator', 200));
  assert.deepEqual(coordsSe, [USERS.coordinator.id], 'ITM Sweden has one coordinator');
  const q = await coord.get(`/api/v1/users?q=${encodeURIComponent(USERS.mentor.email)}`);
  assert.deepEqual(idsOf(q.json.items), [USERS.mentor.id]);
  const qn = await coord.get('/api/v1/users?q=Sofia');
  assert.ok(idsOf(qn.json.items).includes(USERS.trainee.id), 'q matches names');
  assert.ok(qn.json.items.every((u) => /sofia/i.test(u.name) || /sofia/i.test(u.email)));
  const qsi = await coord.get('/api/v1/users?q=coordinator.si');
  assert.deepEqual(qsi.json.items, [], 'q never finds people of other operators');
  const dis = await coord.get('/api/v1/users?status=disabled');
  assert.deepEqual(dis.json.items, []);
  const act = await coord.all('/api/v1/users?status=active', 200);
  assert.ok(act.every((u) => u.status === 'active'));
  assertError(await coord.get('/api/v1/users?role=boss'), 400, 'validation_failed', { field: 'role' });
});

test('sort=email orders by address; an unknown sort is 400', async () => {
  const emails = (await admin.all('/api/v1/users?sort=email', 200)).map((u) => u.email.toLowerCase());
  assert.deepEqual(emails, [...emails].sort());
  assertError(await admin.get('/api/v1/users?sort=name'), 400, 'validation_failed', { field: 'sort', message: 'sort: must be one of id, email' });
});

test('walking small pages yields every user exactly once, by id and by email', async () => {
  const full = idsOf(await admin.all('/api/v1/users', 200));
  assert.deepEqual(idsOf(await admin.all('/api/v1/users', 7)), full);
  const fullEmail = idsOf(await admin.all('/api/v1/users?sort=email', 200));
  assert.deepEqual(idsOf(await admin.all('/api/v1/users?sort=email', 6)), fullEmail);
  assert.deepEqual([...fullEmail].sort((a, b) => a - b), full, 'same people either way');
  const se = idsOf(await coord.all('/api/v1/users', 200));
  assert.deepEqual(idsOf(await coord.all('/api/v1/users', 2)), se);
});

test('GET /users/{id}: a user of the own operator is 200 with roles and ETag; another operator\'s is 404', async () => {
  const r = await coord.get(`/api/v1/users/${USERS.trainee.id}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.email, USERS.trainee.email);
  assert.deepEqual(r.json.roles.map((x) => [x.role, x.org_id]), [['trainee', 2]]);
  assert.equal(r.headers.get('etag'), `"v${r.json.version}"`);
  assertError(await coord.get(`/api/v1/users/${USERS.coordinatorSi.id}`), 404, 'not_found');
  assertError(await coord.get(`/api/v1/users/${USERS.admin.id}`), 404, 'not_found');
  assertError(await coord.get('/api/v1/users/999'), 404, 'not_found');
  assertError(await coordSi.get(`/api/v1/users/${USERS.trainee.id}`), 404, 'not_found');
});

test('anyone can read their own user record', async () => {
  const r = await viewer.get(`/api/v1/users/${USERS.viewer.id}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.email, USERS.viewer.email);
});

test('GET /users/{id} is for staff or self: viewers, trainees, company users and mentors get 404 on every other account', async () => {
  const all = await admin.all('/api/v1/users?role=coordinator', 200);
  const others = [USERS.coordinator, USERS.trainee, USERS.company, USERS.mentor, USERS.viewer];
  for (const who of ['viewer', 'trainee', 'company', 'mentor']) {
    const c = await login(srv.base, USERS[who].email);
    assert.equal((await c.get(`/api/v1/users/${USERS[who].id}`)).status, 200, `${who} reads themself`);
    for (const u of others.filter((x) => x !== USERS[who]))
      assertError(await c.get(`/api/v1/users/${u.id}`), 404, 'not_found');
    let seen = 0;
    for (const u of all) seen += (await c.get(`/api/v1/users/${u.id}`)).status === 200;
    assert.equal(seen, 0, `${who} reads no coordinator's account`);
  }
});

test('a coordinator renames a user of their operator with the version; stale is 412, none is 428', async () => {
  const u = await coord.get(`/api/v1/users/${USERS.mentor.id}`);
  const v = u.json.version;
  assertError(await coord.patch(`/api/v1/users/${USERS.mentor.id}`, { name: 'Karin Holmberg' }), 428, 'precondition_required');
  const r = await coord.patch(`/api/v1/users/${USERS.mentor.id}`, { name: 'Karin Holmberg', version: v });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.name, 'Karin Holmberg');
  assert.equal(r.json.version, v + 1);
  assert.equal(r.headers.get('etag'), `"v${v + 1}"`);
  assertError(await coord.patch(`/api/v1/users/${USERS.mentor.id}`, { name: 'Lost Update', version: v }), 412, 'version_mismatch');
  assert.equal((await admin.get(`/api/v1/users/${USERS.mentor.id}`)).json.name, 'Karin Holmberg');
});

test('PATCH /users validates: status must be active or disabled; email cannot be changed here', async () => {
  const u = await coord.get(`/api/v1/users/${USERS.mentor.id}`);
  assertError(await coord.patch(`/api/v1/users/${USERS.mentor.id}`, { status: 'banned', version: u.json.version }), 400, 'validation_failed',
    { field: 'status', message: 'status: must be one of active, disabled' });
  assertError(await coord.patch(`/api/v1/users/${USERS.mentor.id}`, { email: 'x@y.zz', version: u.json.version }), 400, 'validation_failed',
    { field: 'email', message: 'email: unknown field' });
});

test('a coordinator cannot change people of another operator (404), a viewer cannot change anyone (403)', async () => {
  assertError(await coord.patch(`/api/v1/users/${USERS.coordinatorSi.id}`, { name: 'X', version: 1 }), 404, 'not_found');
  assertError(await viewer.patch(`/api/v1/users/${USERS.viewer.id}`, { name: 'Self Promoted', version: 1 }), 403, 'forbidden');
  assert.equal((await admin.get(`/api/v1/users/${USERS.coordinatorSi.id}`)).json.name, 'Maja Novak');
});

test('staff cannot disable their own account', async () => {
  const u = await coord.get(`/api/v1/users/${USERS.coordinator.id}`);
  const r = await coord.patch(`/api/v1/users/${USERS.coordinator.id}`, { status: 'disabled', version: u.json.version });
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.error.field, 'status');
  assert.equal((await coord.get('/api/v1/me')).status, 200);
});

test('disabling a user ends their sessions and blocks login; re-enabling lets them back in', async () => {
  const u = await coord.get(`/api/v1/users/${USERS.viewer.id}`);
  const r = await coord.patch(`/api/v1/users/${USERS.viewer.id}`, { status: 'disabled', version: u.json.version });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'disabled');
  assertError(await viewer.get('/api/v1/me'), 401, 'unauthenticated');
  const l = await request(srv.base, 'POST', '/api/v1/auth/login', { email: USERS.viewer.email, password: PASSWORD });
  assertError(l, 401, 'invalid_credentials');
  const list = await coord.get('/api/v1/users?status=disabled');
  assert.deepEqual(list.json.items.map((x) => x.id), [USERS.viewer.id]);
  const e = await coord.patch(`/api/v1/users/${USERS.viewer.id}`, { status: 'active', version: r.json.version });
  assert.equal(e.status, 200, e.text);
  viewer = await login(srv.base, USERS.viewer.email);
  assert.equal((await viewer.get('/api/v1/me')).status, 200);
});

test('the admin can rename a user of any operator', async () => {
  const u = await admin.get(`/api/v1/users/${USERS.coordinatorSi.id}`);
  const r = await admin.patch(`/api/v1/users/${USERS.coordinatorSi.id}`, { name: 'Maja Novak-Horvat' }, { headers: { 'If-Match': `"v${u.json.version}"` } });
  assert.equal(r.status, 200, r.text);
  assert.equal((await coordSi.get('/api/v1/me')).json.user.name, 'Maja Novak-Horvat');
});

test('the server exits with status 0 on SIGTERM', async () => {
  await srv.stop();
});
