// auth.test.mjs - signing in and out, /me, changing one's password, login throttling.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, request, Client, sessionCookie, assertError, PASSWORD, USERS } from './lib.mjs';

let srv;
let coord;   // coordinator session, reused

before(async () => { srv = await startServer(); });
after(async () => { if (srv) await srv.stop(); });

test('login returns the user, roles, tenant and a CSRF token, and sets an HttpOnly SameSite=Strict session cookie', async () => {
  const r = await request(srv.base, 'POST', '/api/v1/auth/login', { email: USERS.admin.email, password: PASSWORD });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.user.email, USERS.admin.email);
  assert.equal(r.json.tenant_id, 1);
  assert.equal(r.json.all_tenants, true);
  assert.ok(r.json.roles.some((x) => x.role === 'admin' && x.org_id === 1 && x.org_name === 'Export Trainee Foundation'));
  assert.equal(typeof r.json.csrf_token, 'string');
  assert.ok(r.json.csrf_token.length >= 20);
  const c = sessionCookie(r.headers);
  assert.ok(c && c.value.length >= 20, 'tb_session cookie set');
  assert.match(c.header, /; Path=\//);
  assert.match(c.header, /; HttpOnly/);
  assert.match(c.header, /; SameSite=Strict/);
  assert.ok(!('password_hash' in r.json.user));
  assert.ok(!r.text.includes('$argon2'), 'no password hash in the answer');
});

test('a coordinator signs in to their own operator only (tenant 2, not all tenants)', async () => {
  coord = await login(srv.base, USERS.coordinator.email);
  assert.equal(coord.me.tenant_id, 2);
  assert.equal(coord.me.all_tenants, false);
  assert.deepEqual(coord.me.roles.map((x) => [x.role, x.org_id, x.org_name]), [['coordinator', 2, 'ITM Sweden']]);
});

test('the email address is matched case-insensitively at login', async () => {
  const c = await login(srv.base, USERS.viewer.email.toUpperCase());
  assert.equal(c.me.user.email, USERS.viewer.email);
});

test('a wrong password and an unknown address give the same 401 invalid_credentials and no cookie', async () => {
  const a = await request(srv.base, 'POST', '/api/v1/auth/login', { email: USERS.company.email, password: 'wrong-password-123' });
  const b = await request(srv.base, 'POST', '/api/v1/auth/login', { email: 'nobody@nowhere.example', password: 'wrong-password-123' });
  assertError(a, 401, 'invalid_credentials');
  assertError(b, 401, 'invalid_credentials');
  assert.equal(a.json.error.message, b.json.error.message);
  assert.equal(sessionCookie(a.headers), null);
  assert.equal(sessionCookie(b.headers), null);
});

test('login validates its body: missing password is 400 "password: is required"', async () => {
  const r = await request(srv.base, 'POST', '/api/v1/auth/login', { email: USERS.admin.email });
  assertError(r, 400, 'validation_failed', { field: 'password', message: 'password: is required' });
});

test('GET /me answers who is signed in; without a session it is 401 unauthenticated', async () => {
  const r = await coord.get('/api/v1/me');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.user.email, USERS.coordinator.email);
  assert.equal(r.json.csrf_token, coord.csrf);
  const anon = await request(srv.base, 'GET', '/api/v1/me');
  assertError(anon, 401, 'unauthenticated');
  const bogus = await request(srv.base, 'GET', '/api/v1/me', null, { headers: { Cookie: 'tb_session=not-a-real-session-token-at-all' } });
  assertError(bogus, 401, 'unauthenticated');
});

test('PATCH /me renames the signed-in user and GET /me shows the new name', async () => {
  const r = await coord.patch('/api/v1/me', { name: 'Erik J. Johansson' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.name, 'Erik J. Johansson');
  const me = await coord.get('/api/v1/me');
  assert.equal(me.json.user.name, 'Erik J. Johansson');
});

test('PATCH /me refuses fields other than name (an unknown field is named)', async () => {
  const r = await coord.patch('/api/v1/me', { email: 'evil@example.com' });
  assertError(r, 400, 'validation_failed', { field: 'email', message: 'email: unknown field' });
  const r2 = await coord.patch('/api/v1/me', { name: '' });
  assertError(r2, 400, 'validation_failed', { field: 'name', message: 'name: must not be empty' });
});

test('logout needs the CSRF token, answers 204, and the session stops working', async () => {
  const c = await login(srv.base, USERS.company.email);
  const noCsrf = await c.post('/api/v1/auth/logout', null, { csrf: false });
  assertError(noCsrf, 403, 'csrf_failed', { field: 'X-CSRF-Token' });
  assert.equal((await c.get('/api/v1/me')).status, 200, 'a refused logout leaves the session alive');
  const r = await c.post('/api/v1/auth/logout');
  assert.equal(r.status, 204, r.text);
  const cleared = sessionCookie(r.headers);
  assert.ok(cleared, 'logout clears the cookie');
  assert.equal(cleared.value, '');
  assert.match(cleared.header, /Max-Age=0/);
  assertError(await c.get('/api/v1/me'), 401, 'unauthenticated');
});

test('changing the password: a wrong current password is 400 on current_password', async () => {
  const c = await login(srv.base, USERS.mentor.email);
  const r = await c.post('/api/v1/me/password', { current_password: 'not-my-password', new_password: 'a-brand-new-secret-1' });
  assertError(r, 400, 'validation_failed', { field: 'current_password', message: 'current_password: is wrong' });
  const short = await c.post('/api/v1/me/password', { current_password: PASSWORD, new_password: 'short' });
  assertError(short, 400, 'validation_failed', { field: 'new_password', message: /^new_password: must be at least 10 characters/ });
  assert.equal((await c.get('/api/v1/me')).status, 200, 'failed attempts keep the session');
});

test('changing the password ends the session; the old password fails and the new one works', async () => {
  const c = await login(srv.base, USERS.mentor.email);
  const other = await login(srv.base, USERS.mentor.email);
  const r = await c.post('/api/v1/me/password', { current_password: PASSWORD, new_password: 'Mentor-new-password-42' });
  assert.equal(r.status, 200, r.text);
  assertError(await c.get('/api/v1/me'), 401, 'unauthenticated');
  assertError(await other.get('/api/v1/me'), 401, 'unauthenticated', {}, 'every session of the user ends');
  const old = await request(srv.base, 'POST', '/api/v1/auth/login', { email: USERS.mentor.email, password: PASSWORD });
  assertError(old, 401, 'invalid_credentials');
  const again = await login(srv.base, USERS.mentor.email, 'Mentor-new-password-42');
  assert.equal(again.me.user.id, c.me.user.id);
});

test('five failed logins for one account lock it: the sixth try is 429 with Retry-After, even with the right password', async () => {
  for (let i = 0; i < 5; i++) {
    const r = await request(srv.base, 'POST', '/api/v1/auth/login', { email: USERS.trainee.email, password: `wrong-${i}-password` });
    assertError(r, 401, 'invalid_credentials');
  }
  const r = await request(srv.base, 'POST', '/api/v1/auth/login', { email: USERS.trainee.email, password: PASSWORD });
  assertError(r, 429, 'too_many_attempts');
  const retry = Number(r.headers.get('retry-after'));
  assert.ok(Number.isInteger(retry) && retry > 0 && retry <= 15 * 60, `Retry-After: ${r.headers.get('retry-after')}`);
  assert.equal(sessionCookie(r.headers), null);
  // The lock is per account: another account still signs in.
  const ok = await login(srv.base, USERS.coordinatorSi.email);
  assert.equal(ok.me.tenant_id, 3);
});

test('an existing session keeps working while its account is locked out of new logins', async () => {
  const r = await coord.get('/api/v1/me');
  assert.equal(r.status, 200, r.text);
});

// Last: this locks every login from 127.0.0.1 for this server.
test('30 failed logins from one address lock that address out, for every account (429)', async () => {
  let locked = null;
  for (let i = 0; i < 31 && !locked; i++) {
    const r = await request(srv.base, 'POST', '/api/v1/auth/login', { email: `stranger${i}@nowhere.example`, password: 'guessing-password' });
    if (r.status === 429) locked = r;
    else assertError(r, 401, 'invalid_credentials');
  }
  assert.ok(locked, 'the address got locked within 30 failures');
  assert.ok(Number(locked.headers.get('retry-after')) > 0);
  const r = await request(srv.base, 'POST', '/api/v1/auth/login', { email: USERS.admin.email, password: PASSWORD });
  assertError(r, 429, 'too_many_attempts');
});

test('the server exits with status 0 on SIGTERM', async () => {
  await srv.stop();
});
