// tokens.test.mjs - API tokens expire, have a scope, cannot mint tokens, and
// end with every other credential of their owner when the password changes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, bearer, assertError, runCli, dbExec, USERS, PASSWORD } from './lib.mjs';

let srv, coord, viewer;

before(async () => {
  srv = await startServer();
  coord = await login(srv.base, USERS.coordinator.email);
  viewer = await login(srv.base, USERS.viewer.email);
});
after(async () => { if (srv) await srv.stop(); });

const DAY = 86_400_000;
const daysFromNow = (iso) => (Date.parse(iso) - Date.now()) / DAY;

test('a new token is read_write and expires in 90 days unless asked otherwise; the list shows scope, expiry and last use', async () => {
  const r = await coord.post('/api/v1/tokens', { name: 'defaults' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.scope, 'read_write');
  assert.ok(Math.abs(daysFromNow(r.json.expires_at) - 90) < 0.1, r.json.expires_at);
  const short = await coord.post('/api/v1/tokens', { name: 'a week, read only', scope: 'read', expires_in_days: 7 });
  assert.equal(short.status, 201, short.text);
  assert.equal(short.json.scope, 'read');
  assert.ok(Math.abs(daysFromNow(short.json.expires_at) - 7) < 0.1, short.json.expires_at);
  assert.equal((await bearer(srv.base, r.json.token).get('/api/v1/me')).status, 200);
  const list = await coord.get('/api/v1/tokens');
  const t = list.json.items.find((x) => x.id === r.json.id);
  assert.equal(t.scope, 'read_write');
  assert.equal(t.expires_at, r.json.expires_at);
  assert.ok(t.last_used_at, 'last use is recorded');
  assert.equal(list.json.items.find((x) => x.id === short.json.id).last_used_at, null);
});

test('expiry is 1 to 365 days and the scope read or read_write', async () => {
  for (const days of [0, 366, -1]) {
    assertError(await coord.post('/api/v1/tokens', { name: 'x', expires_in_days: days }), 400, 'validation_failed',
      { field: 'expires_in_days' });
  }
  assertError(await coord.post('/api/v1/tokens', { name: 'x', scope: 'admin' }), 400, 'validation_failed', { field: 'scope' });
  const year = await coord.post('/api/v1/tokens', { name: 'a year', expires_in_days: 365 });
  assert.equal(year.status, 201, year.text);
});

test('a read-only token reads but gets 403 on POST, PATCH, PUT and DELETE', async () => {
  const t = await coord.post('/api/v1/tokens', { name: 'reports', scope: 'read' });
  const b = bearer(srv.base, t.json.token);
  assert.equal((await b.get('/api/v1/companies?limit=1')).status, 200);
  assertError(await b.patch('/api/v1/me', { name: 'Renamed by a read-only token' }), 403, 'forbidden', { field: 'Authorization' });
  assertError(await b.post('/api/v1/cohorts', { name: 'x' }), 403, 'forbidden');
  assertError(await b.put('/api/v1/match-weights', {}), 403, 'forbidden');
  assertError(await b.del(`/api/v1/tokens/${t.json.id}`), 403, 'forbidden');
  assert.equal((await coord.get('/api/v1/me')).json.user.name, 'Erik Johansson', 'nothing changed');
});

test('a token cannot create tokens (403), read-write or not', async () => {
  const t = await coord.post('/api/v1/tokens', { name: 'script' });
  assertError(await bearer(srv.base, t.json.token).post('/api/v1/tokens', { name: 'child' }), 403, 'forbidden',
    { field: 'Authorization' });
  const list = await coord.get('/api/v1/tokens?limit=200');
  assert.ok(!list.json.items.some((x) => x.name === 'child'));
});

test('an expired token answers 401', async () => {
  const t = await coord.post('/api/v1/tokens', { name: 'to expire', expires_in_days: 1 });
  const b = bearer(srv.base, t.json.token);
  assert.equal((await b.get('/api/v1/me')).status, 200);
  // Move its expiry into the past (the clock cannot wait a day in a test).
  dbExec(srv.db, `UPDATE api_tokens SET expires_at = '2020-01-01T00:00:00Z' WHERE id = ${t.json.id}`);
  assertError(await b.get('/api/v1/me'), 401, 'unauthenticated');
});

test('changing the password revokes every token of the account', async () => {
  const a = await viewer.post('/api/v1/tokens', { name: 'one' });
  const c = await viewer.post('/api/v1/tokens', { name: 'two', scope: 'read' });
  assert.equal((await bearer(srv.base, a.json.token).get('/api/v1/me')).status, 200);
  const r = await viewer.post('/api/v1/me/password', { current_password: PASSWORD, new_password: 'Viewer-new-pass-2026' });
  assert.equal(r.status, 200, r.text);
  assertError(await bearer(srv.base, a.json.token).get('/api/v1/me'), 401, 'unauthenticated');
  assertError(await bearer(srv.base, c.json.token).get('/api/v1/me'), 401, 'unauthenticated');
  const again = await login(srv.base, USERS.viewer.email, 'Viewer-new-pass-2026');
  const list = await again.get('/api/v1/tokens');
  assert.ok(list.json.items.filter((x) => ['one', 'two'].includes(x.name)).every((x) => x.revoked_at), list.text);
});

test('`tradebridge token add` takes --scope and --expires-in-days; bad values exit 2 with a one-line reason', async () => {
  const r = runCli(['token', 'add', USERS.coordinator.email, '--name', 'cli report', '--scope', 'read', '--expires-in-days', '3', '--db', srv.db]);
  assert.equal(r.status, 0, r.stderr);
  const [id, token] = r.stdout.trim().split('\t');
  const b = bearer(srv.base, token);
  assert.equal((await b.get('/api/v1/me')).status, 200);
  assertError(await b.patch('/api/v1/me', { name: 'x' }), 403, 'forbidden');
  const t = (await coord.get('/api/v1/tokens?limit=200')).json.items.find((x) => x.id === Number(id));
  assert.equal(t.scope, 'read');
  assert.ok(Math.abs(daysFromNow(t.expires_at) - 3) < 0.1, t.expires_at);
  for (const bad of [['--scope', 'all'], ['--expires-in-days', '0'], ['--expires-in-days', '400'], ['--expires-in-days', '7x']]) {
    const e = runCli(['token', 'add', USERS.coordinator.email, '--name', 'bad', ...bad, '--db', srv.db]);
    assert.equal(e.status, 2, `${bad}: ${e.stderr}`);
    assert.equal(e.stderr.trim().split('\n').length, 1);
  }
});

test('the server exits with status 0 on SIGTERM', async () => {
  await srv.stop();
});
