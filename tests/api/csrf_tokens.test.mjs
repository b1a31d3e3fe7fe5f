// csrf_tokens.test.mjs - CSRF protection of cookie sessions, and API tokens (Bearer).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, bearer, request, assertError, USERS, resolveUserIds } from './lib.mjs';

let srv, coord, admin, viewer;
let created;   // {id, name, prefix, token} made by the coordinator

before(async () => {
  srv = await startServer();
  coord = await login(srv.base, USERS.coordinator.email);
  admin = await login(srv.base, USERS.admin.email);
  viewer = await login(srv.base, USERS.viewer.email);
  await resolveUserIds(admin);
});
after(async () => { if (srv) await srv.stop(); });

test('an unsafe request with a session cookie but no X-CSRF-Token is refused with 403 csrf_failed', async () => {
  const r = await coord.post('/api/v1/tokens', { name: 'no csrf' }, { csrf: false });
  assertError(r, 403, 'csrf_failed', { field: 'X-CSRF-Token' });
  const list = await coord.get('/api/v1/tokens');
  assert.equal(list.json.items.length, 0, 'nothing was created');
});

test('a wrong X-CSRF-Token, or the token of another session, is refused too', async () => {
  const wrong = await coord.patch('/api/v1/me', { name: 'Hacked' }, { headers: { 'X-CSRF-Token': 'x'.repeat(43) } });
  assertError(wrong, 403, 'csrf_failed');
  const other = await coord.patch('/api/v1/me', { name: 'Hacked' }, { headers: { 'X-CSRF-Token': admin.csrf } });
  assertError(other, 403, 'csrf_failed');
  const me = await coord.get('/api/v1/me');
  assert.notEqual(me.json.user.name, 'Hacked');
});

test('safe methods (GET) need no CSRF token', async () => {
  const r = await coord.get('/api/v1/orgs', { csrf: false });
  assert.equal(r.status, 200, r.text);
});

test('creating an API token answers 201 with the secret once; it starts with tb_ and its prefix', async () => {
  const r = await coord.post('/api/v1/tokens', { name: 'nightly export' });
  assert.equal(r.status, 201, r.text);
  created = r.json;
  assert.equal(created.name, 'nightly export');
  assert.ok(Number.isInteger(created.id) && created.id > 0);
  assert.match(created.token, /^tb_[A-Za-z0-9_-]{20,}$/);
  assert.equal(created.prefix, created.token.slice(0, 10));
  assert.equal(r.headers.get('location'), `/api/v1/tokens/${created.id}`);
});

test('the token list shows the own tokens with prefix but never the secret or its hash', async () => {
  const r = await coord.get('/api/v1/tokens');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.next_cursor, null);
  const t = r.json.items.find((x) => x.id === created.id);
  assert.ok(t, 'the new token is listed');
  assert.equal(t.name, 'nightly export');
  assert.equal(t.prefix, created.prefix);
  assert.ok(!('token' in t) && !('token_hash' in t));
  assert.ok(!r.text.includes(created.token.slice(10)), 'the secret part is not in the listing');
});

test('another user does not see, and cannot revoke, someone else\'s token', async () => {
  const r = await admin.get('/api/v1/tokens');
  assert.equal(r.status, 200);
  assert.ok(!r.json.items.some((x) => x.id === created.id));
  assertError(await admin.del(`/api/v1/tokens/${created.id}`), 404, 'not_found');
  assertError(await viewer.del(`/api/v1/tokens/${created.id}`), 404, 'not_found');
});

test('Authorization: Bearer with the token authenticates as its owner', async () => {
  const b = bearer(srv.base, created.token);
  const r = await b.get('/api/v1/me');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.user.id, USERS.coordinator.id);
  assert.ok(!('csrf_token' in r.json), 'no CSRF token for bearer requests');
  const orgs = await b.get('/api/v1/orgs');
  assert.deepEqual(orgs.json.items.map((o) => o.id), [2], 'same tenant scope as the owner');
});

test('Bearer requests need no CSRF token for unsafe methods', async () => {
  const b = bearer(srv.base, created.token);
  const r2 = await b.patch('/api/v1/me', { name: 'Erik Johansson' });
  assert.equal(r2.status, 200, r2.text);
});

test('an unknown bearer token is 401 unauthenticated', async () => {
  const r = await bearer(srv.base, 'tb_' + 'A'.repeat(43)).get('/api/v1/me');
  assertError(r, 401, 'unauthenticated');
  const long = await bearer(srv.base, 'tb_' + 'A'.repeat(300)).get('/api/v1/me');
  assertError(long, 401, 'unauthenticated');
});

test('token names are validated: missing is "name: is required", over 100 characters is refused', async () => {
  assertError(await coord.post('/api/v1/tokens', {}), 400, 'validation_failed', { field: 'name', message: 'name: is required' });
  assertError(await coord.post('/api/v1/tokens', { name: 'x'.repeat(101) }), 400, 'validation_failed',
    { field: 'name', message: 'name: must be at most 100 characters' });
  assertError(await coord.post('/api/v1/tokens', { name: 7 }), 400, 'validation_failed',
    { field: 'name', message: 'name: expected a string' });
});

test('revoking a token answers 204; the token then gives 401 and shows as revoked', async () => {
  const r = await coord.del(`/api/v1/tokens/${created.id}`);
  assert.equal(r.status, 204, r.text);
  assertError(await bearer(srv.base, created.token).get('/api/v1/me'), 401, 'unauthenticated');
  const list = await coord.get('/api/v1/tokens');
  const t = list.json.items.find((x) => x.id === created.id);
  assert.ok(t && t.revoked_at, 'revoked_at is set');
  assertError(await coord.del(`/api/v1/tokens/${created.id}`), 404, 'not_found');
});

test('revoking with a session also needs the CSRF token', async () => {
  const t = await coord.post('/api/v1/tokens', { name: 'to revoke' });
  assert.equal(t.status, 201);
  assertError(await coord.del(`/api/v1/tokens/${t.json.id}`, null, { csrf: false }), 403, 'csrf_failed');
  assert.equal((await bearer(srv.base, t.json.token).get('/api/v1/me')).status, 200, 'still valid');
});

test('a token stops working when its owner is disabled', async () => {
  const t = await viewer.post('/api/v1/tokens', { name: 'viewer script' });
  assert.equal(t.status, 201, t.text);
  const b = bearer(srv.base, t.json.token);
  assert.equal((await b.get('/api/v1/me')).status, 200);
  const u = await coord.get(`/api/v1/users/${USERS.viewer.id}`);
  const d = await coord.patch(`/api/v1/users/${USERS.viewer.id}`, { status: 'disabled', version: u.json.version });
  assert.equal(d.status, 200, d.text);
  assertError(await b.get('/api/v1/me'), 401, 'unauthenticated');
  const u2 = await coord.get(`/api/v1/users/${USERS.viewer.id}`);
  const e = await coord.patch(`/api/v1/users/${USERS.viewer.id}`, { status: 'active', version: u2.json.version });
  assert.equal(e.status, 200, e.text);
  assert.equal((await b.get('/api/v1/me')).status, 200, 'works again once re-enabled');
});

test('login itself needs no CSRF token (there is no session yet)', async () => {
  const r = await request(srv.base, 'POST', '/api/v1/auth/login', { email: USERS.company.email, password: 'wrong-password-1' });
  assertError(r, 401, 'invalid_credentials');
});

test('the server exits with status 0 on SIGTERM', async () => {
  await srv.stop();
});
