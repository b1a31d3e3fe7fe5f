// throttle.test.mjs - login limits behind a reverse proxy, password-reset
// budgets and links, the successful-login limit, and hashing off the request
// workers. The server trusts 127.0.0.1 as a proxy, so each test plays its
// clients through X-Forwarded-For; --password-cost min keeps the dummy hash
// of unknown accounts cheap (the demo accounts keep their real hashes).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer, login, request, assertError, linkToken, PASSWORD, USERS, resolveUserIds } from './lib.mjs';

let srv;
let admin;

before(async () => {
  srv = await startServer({ smtp: true, args: ['--trusted-proxies', '127.0.0.1', '--password-cost', 'min'] });
  admin = await login(srv.base, USERS.admin.email);
  await resolveUserIds(admin);
});
after(async () => { if (srv) await srv.stop(); });

const from = (addr, extra = {}) => ({ headers: { 'X-Forwarded-For': addr, ...extra } });
const signIn = (email, password, addr) =>
  request(srv.base, 'POST', '/api/v1/auth/login', { email, password }, from(addr));
const askReset = (email, addr) => request(srv.base, 'POST', '/api/v1/auth/password-reset', { email }, from(addr));

/** A login sent from another loopback address (127.0.0.2: not a trusted proxy). */
function signInFromUntrusted(email, password, xff) {
  const body = JSON.stringify({ email, password });
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: srv.port, method: 'POST', path: '/api/v1/auth/login',
      localAddress: '127.0.0.2', agent: false,
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'X-Forwarded-For': xff } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d) => { text += d; }).on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function lockAddress(addr) {
  for (let i = 0; i < 30; i++)
    assertError(await signIn(`stranger${i}.${addr}@nowhere.example`, 'guessing-password', addr), 401, 'invalid_credentials');
  assertError(await signIn('one.more@nowhere.example', 'guessing-password', addr), 429, 'too_many_attempts');
}

test('behind a trusted proxy the client address is the forwarded one: locking one client out leaves the others in', async () => {
  await lockAddress('198.51.100.7');
  const locked = await signIn(USERS.viewer.email, PASSWORD, '198.51.100.7');
  assertError(locked, 429, 'too_many_attempts');
  assert.ok(Number(locked.headers.get('retry-after')) > 0);
  assert.equal((await signIn(USERS.viewer.email, PASSWORD, '198.51.100.8')).status, 200, 'another client');
  assert.equal((await request(srv.base, 'POST', '/api/v1/auth/login', { email: USERS.viewer.email, password: PASSWORD })).status,
    200, 'the proxy itself (no X-Forwarded-For)');
  // The right-most address not a trusted proxy counts: a client cannot pick its own.
  const spoofed = await signIn(USERS.viewer.email, PASSWORD, '203.0.113.1, 198.51.100.7');
  assertError(spoofed, 429, 'too_many_attempts');
  // Forwarded: for= is read as well when there is no X-Forwarded-For.
  const fwd = await request(srv.base, 'POST', '/api/v1/auth/login', { email: USERS.viewer.email, password: PASSWORD },
    { headers: { Forwarded: 'for=198.51.100.7;proto=https' } });
  assertError(fwd, 429, 'too_many_attempts');
});

test('X-Forwarded-For from an address that is not a trusted proxy is ignored', async () => {
  // 127.0.0.2 is not trusted: its 30 failures count against 127.0.0.2, whatever it forwards.
  for (let i = 0; i < 30; i++) {
    const r = await signInFromUntrusted(`untrusted${i}@nowhere.example`, 'guessing-password', `192.0.2.${i + 1}`);
    assert.equal(r.status, 401, r.text);
  }
  const r = await signInFromUntrusted(USERS.viewer.email, PASSWORD, '192.0.2.200');
  assert.equal(r.status, 429, r.text);
});

test('the audit log records the forwarded client address', async () => {
  const me = await request(srv.base, 'POST', '/api/v1/auth/login', { email: USERS.coordinatorSi.email, password: PASSWORD }, from('198.51.100.20'));
  assert.equal(me.status, 200, me.text);
  const cookie = me.headers.getSetCookie().find((c) => c.startsWith('tb_session=')).split(';')[0];
  const org = await request(srv.base, 'GET', '/api/v1/orgs/3', null, { headers: { Cookie: cookie } });
  const r = await request(srv.base, 'PATCH', '/api/v1/orgs/3', { name: 'ITM Slovenija', version: org.json.version },
    { headers: { Cookie: cookie, 'X-CSRF-Token': me.json.csrf_token, 'X-Forwarded-For': '198.51.100.20' } });
  assert.equal(r.status, 200, r.text);
  const log = await admin.get('/api/v1/audit?entity=organization&action=update&limit=1');
  assert.equal(log.json.items[0].client_addr, '198.51.100.20');
});

test('30 password-reset requests do not lock anyone out of signing in', async () => {
  let limited = 0;
  for (let i = 0; i < 30; i++) {
    const r = await askReset(USERS.trainee.email, '198.51.100.30');
    if (r.status === 429) limited++;
    else assert.equal(r.status, 202, r.text);
  }
  assert.ok(limited > 0, 'resets have a budget of their own per address');
  assert.equal((await signIn(USERS.trainee.email, PASSWORD, '198.51.100.30')).status, 200, 'the same address signs in');
  assert.equal((await request(srv.base, 'POST', '/api/v1/auth/login', { email: USERS.trainee.email, password: PASSWORD })).status, 200);
});

test('made-up e-mails between wrong guesses do not reset the victim\'s count: the sixth try is 429', async () => {
  const victim = USERS.mentor.email;
  for (let i = 0; i < 4; i++)
    assertError(await signIn(victim, `wrong-guess-${i}`, `203.0.113.${i + 1}`), 401, 'invalid_credentials');
  // More made-up addresses than any bounded table holds, from as many clients.
  const total = 4200;
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const i = next++;
      const r = await signIn(`made.up.${i}@nowhere.example`, 'guessing-password', `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
      if (r.status === 503) { next--; continue; }   // the hashing queue is full: again
      assertError(r, 401, 'invalid_credentials');
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  assertError(await signIn(victim, 'wrong-guess-4', '203.0.113.9'), 401, 'invalid_credentials');
  const r = await signIn(victim, PASSWORD, '203.0.113.10');
  assertError(r, 429, 'too_many_attempts');
});

async function resetMails(email, n) {
  const mine = () => srv.smtp.messages.filter((m) => m.to.includes(email));
  for (let i = 0; i < 200 && mine().length < n; i++) await new Promise((r) => setTimeout(r, 100));
  assert.ok(mine().length >= n, `${n} reset mails to ${email}`);
  return mine();
}

/** Asks for two reset links, one after the other; their tokens, older first. */
async function twoLinks(email, addr) {
  const tokens = [];
  for (let n = 1; n <= 2; n++) {
    assert.equal((await askReset(email, addr)).status, 202);
    tokens.push(linkToken((await resetMails(email, n))[n - 1], 'reset-password'));
  }
  assert.notEqual(tokens[0], tokens[1]);
  return tokens;
}

test('a newer reset link ends the older ones: the older link is refused after the newer one is used', async () => {
  const email = USERS.company.email;
  const [first, second] = await twoLinks(email, '198.51.100.40');
  const ok = await request(srv.base, 'POST', '/api/v1/auth/password-reset/confirm', { token: second, password: 'Company-newer-link-1' });
  assert.equal(ok.status, 200, ok.text);
  assertError(await request(srv.base, 'POST', '/api/v1/auth/password-reset/confirm', { token: first, password: 'Company-older-link-1' }),
    404, 'not_found', { field: 'token' });
  assert.equal((await signIn(email, 'Company-newer-link-1', '198.51.100.40')).status, 200);
});

test('asking for a new reset link ends the older one at once, before either is used', async () => {
  const [first, second] = await twoLinks(USERS.admin.email, '198.51.100.41');
  assertError(await request(srv.base, 'POST', '/api/v1/auth/password-reset/confirm', { token: first, password: 'Admin-older-link-11' }),
    404, 'not_found', { field: 'token' });
  const ok = await request(srv.base, 'POST', '/api/v1/auth/password-reset/confirm', { token: second, password: 'Admin-newer-link-11' });
  assert.equal(ok.status, 200, ok.text);
});

test('successful sign-ins are limited too: the eleventh within a minute is 429 with Retry-After', async () => {
  for (let i = 0; i < 10; i++)
    assert.equal((await signIn(USERS.coordinator.email, PASSWORD, '198.51.100.50')).status, 200);
  const r = await signIn(USERS.coordinator.email, PASSWORD, '198.51.100.51');
  assertError(r, 429, 'too_many_attempts');
  const retry = Number(r.headers.get('retry-after'));
  assert.ok(retry > 0 && retry <= 60, `Retry-After: ${r.headers.get('retry-after')}`);
});

test('/healthz answers while sign-ins are hashing', async () => {
  const emails = [USERS.viewer.email, USERS.trainee.email, USERS.coordinatorSi.email];   // passwords unchanged, not locked
  const logins = [];
  for (let i = 0; i < 8; i++)
    logins.push(signIn(emails[i % emails.length], PASSWORD, `198.51.100.${60 + i}`));
  const h = await request(srv.base, 'GET', '/healthz');
  assert.equal(h.status, 200, h.text);
  for (const r of await Promise.all(logins)) {
    assert.ok([200, 503].includes(r.status), `${r.status} ${r.text}`);
    if (r.status === 503) assert.ok(Number(r.headers.get('retry-after')) > 0);
  }
});

test('a bad --trusted-proxies entry stops the server with the option named', async () => {
  const { runCli } = await import('./lib.mjs');
  const r = runCli(['serve', '--db', `${srv.dir}/other.db`, '--trusted-proxies', '127.0.0.1,nginx']);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /--trusted-proxies: 'nginx' is not an IP address/);
});

test('the server exits with status 0 on SIGTERM', async () => {
  await srv.stop();
});
