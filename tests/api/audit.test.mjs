// audit.test.mjs - the audit log: who changed what, tenant isolation, filters, paging.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, assertError, USERS, resolveUserIds } from './lib.mjs';

let srv, admin, coord, coordSi, viewer, trainee;

before(async () => {
  srv = await startServer();
  admin = await login(srv.base, USERS.admin.email);
  coord = await login(srv.base, USERS.coordinator.email);
  coordSi = await login(srv.base, USERS.coordinatorSi.email);
  viewer = await login(srv.base, USERS.viewer.email);
  trainee = await login(srv.base, USERS.trainee.email);
  await resolveUserIds(admin);
  // Some history: each coordinator renames their operator, a mentor changes their password.
  let r = await coord.patch('/api/v1/orgs/2', { name: 'ITM Sverige', version: 1 });
  assert.equal(r.status, 200, r.text);
  r = await coordSi.patch('/api/v1/orgs/3', { name: 'ITM Slovenija', version: 1 });
  assert.equal(r.status, 200, r.text);
  const mentor = await login(srv.base, USERS.mentor.email);
  r = await mentor.post('/api/v1/me/password', { current_password: 'TradeBridge-demo-2026', new_password: 'Mentor-changed-pass-1' });
  assert.equal(r.status, 200, r.text);
});
after(async () => { if (srv) await srv.stop(); });

test('the audit log is for staff: a viewer and a trainee get 403', async () => {
  assertError(await viewer.get('/api/v1/audit'), 403, 'forbidden');
  assertError(await trainee.get('/api/v1/audit'), 403, 'forbidden');
});

test('an organization update is logged with who, when, from where and the old and new values', async () => {
  const r = await coord.get('/api/v1/audit?entity=organization&action=update');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.items.length, 1, r.text);
  const e = r.json.items[0];
  assert.equal(e.org_id, 2);
  assert.equal(e.user_id, USERS.coordinator.id);
  assert.equal(e.user_email, USERS.coordinator.email);
  assert.equal(e.action, 'update');
  assert.equal(e.entity, 'organization');
  assert.equal(e.entity_id, 2);
  assert.deepEqual(e.changes, { name: { old: 'ITM Sweden', new: 'ITM Sverige' } });
  assert.equal(e.client_addr, '127.0.0.1');
  assert.match(e.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
  assert.ok(Number.isInteger(e.id));
});

test('the newest entry comes first', async () => {
  const before = (await coord.get('/api/v1/audit?limit=1')).json.items[0];
  const u = await coord.get(`/api/v1/users/${USERS.viewer.id}`);
  const p = await coord.patch(`/api/v1/users/${USERS.viewer.id}`, { name: 'Jonas Ekström', version: u.json.version });
  assert.equal(p.status, 200, p.text);
  const r = await coord.get('/api/v1/audit');
  const ids = r.json.items.map((e) => e.id);
  assert.deepEqual(ids, [...ids].sort((a, b) => b - a), 'ids descend');
  const top = r.json.items[0];
  assert.ok(top.id > before.id);
  assert.equal(top.entity, 'user');
  assert.equal(top.entity_id, USERS.viewer.id);
  assert.deepEqual(top.changes, { name: { old: 'Jonas Ek', new: 'Jonas Ekström' } });
});

test('a coordinator never sees another operator\'s entries; the admin sees both', async () => {
  const se = await coord.all('/api/v1/audit', 200);
  assert.ok(se.length > 0);
  assert.ok(se.every((e) => e.org_id === 2), `org ids seen: ${[...new Set(se.map((e) => e.org_id))]}`);
  assert.deepEqual((await coord.get('/api/v1/audit?entity=organization&entity_id=3')).json.items, []);
  const si = await coordSi.all('/api/v1/audit', 200);
  assert.ok(si.every((e) => e.org_id === 3));
  assert.ok(si.some((e) => e.entity === 'organization' && e.entity_id === 3 && e.action === 'update'));
  const all = await admin.get('/api/v1/audit?entity=organization&action=update');
  assert.deepEqual(all.json.items.map((e) => e.entity_id).sort(), [2, 3]);
});

test('a password change is logged as "(changed)", never with the hash or the password', async () => {
  const r = await coord.get(`/api/v1/audit?entity=user&entity_id=${USERS.mentor.id}`);
  const e = r.json.items.find((x) => x.changes.password);
  assert.ok(e, `password change logged: ${r.text}`);
  assert.equal(e.user_id, USERS.mentor.id);
  assert.deepEqual(e.changes.password, { new: '(changed)' });
  const everything = JSON.stringify(await admin.all('/api/v1/audit', 200));
  assert.ok(!everything.includes('$argon2'), 'no password hash anywhere in the log');
  assert.ok(!everything.includes('Mentor-changed-pass-1'), 'no password anywhere in the log');
  assert.ok(!everything.includes('TradeBridge-demo-2026'));
});

test('filters: user_id, entity_id, entity and action narrow the list', async () => {
  const byUser = await admin.get(`/api/v1/audit?user_id=${USERS.coordinatorSi.id}`);
  assert.ok(byUser.json.items.length >= 1);
  assert.ok(byUser.json.items.every((e) => e.user_id === USERS.coordinatorSi.id));
  const byEntity = await admin.get('/api/v1/audit?entity=organization&entity_id=3');
  assert.ok(byEntity.json.items.length >= 2, 'creation and update');
  assert.ok(byEntity.json.items.every((e) => e.entity === 'organization' && e.entity_id === 3));
  const creates = await admin.get('/api/v1/audit?entity=organization&action=create');
  assert.deepEqual(creates.json.items.map((e) => e.entity_id).sort(), [1, 2, 3, 4]);
  assert.ok(creates.json.items.every((e) => e.user_id === null && e.user_email === null), 'the demo build ran as the system');
});

test('filters are validated: action, user_id, entity_id, sort', async () => {
  assertError(await admin.get('/api/v1/audit?action=rename'), 400, 'validation_failed', { field: 'action' });
  assertError(await admin.get('/api/v1/audit?user_id=abc'), 400, 'validation_failed', { field: 'user_id' });
  assertError(await admin.get('/api/v1/audit?entity_id=0'), 400, 'validation_failed', { field: 'entity_id' });
  assertError(await admin.get('/api/v1/audit?sort=at'), 400, 'validation_failed', { field: 'sort' });
});

test('sort=id lists oldest first, sort=-id newest first', async () => {
  const asc = (await admin.all('/api/v1/audit?entity=organization&sort=id', 200)).map((e) => e.id);
  assert.ok(asc.length >= 6);
  assert.deepEqual(asc, [...asc].sort((a, b) => a - b));
  const desc = (await admin.all('/api/v1/audit?entity=organization&sort=-id', 200)).map((e) => e.id);
  assert.deepEqual(desc, [...asc].reverse());
});

test('walking the pages yields every entry exactly once, in both directions', async () => {
  const full = (await admin.all('/api/v1/audit', 200)).map((e) => e.id);
  assert.ok(full.length > 10, `enough entries to page: ${full.length}`);
  assert.equal(new Set(full).size, full.length, 'no duplicates');
  assert.deepEqual(full, [...full].sort((a, b) => b - a), 'newest first across pages');
  assert.deepEqual((await admin.all('/api/v1/audit', 37)).map((e) => e.id), full);
  assert.deepEqual((await admin.all('/api/v1/audit?sort=id', 41)).map((e) => e.id), [...full].reverse());
  const orgs = (await admin.all('/api/v1/audit?entity=organization', 200)).map((e) => e.id);
  assert.deepEqual((await admin.all('/api/v1/audit?entity=organization', 1)).map((e) => e.id), orgs);
  const se = (await coord.all('/api/v1/audit', 200)).map((e) => e.id);
  assert.deepEqual((await coord.all('/api/v1/audit', 23)).map((e) => e.id), se);
});

test('a failed change leaves no audit entry', async () => {
  const before = (await admin.get('/api/v1/audit?limit=1')).json.items[0].id;
  assertError(await coord.patch('/api/v1/orgs/2', { name: 'Stale Write', version: 1 }), 412, 'version_mismatch');
  assertError(await coord.patch('/api/v1/orgs/2', { country: 'XX', version: 2 }), 400, 'validation_failed');
  assert.equal((await admin.get('/api/v1/audit?limit=1')).json.items[0].id, before);
});

test('the server exits with status 0 on SIGTERM', async () => {
  await srv.stop();
});
