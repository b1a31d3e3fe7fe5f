// pg_nginx.test.mjs - two servers on one PostgreSQL database behind nginx
// (deploy/nginx.conf with both in its upstream; tests/api/nginx_lib.mjs), as
// issue 18 asks: a session made through nginx works on either server, and a
// mixed concurrent workload (creates, updates with versions, stale updates,
// reads, list pages) gets no error and loses no write: every acknowledged
// create and update is there afterwards, on both servers, and a walk over
// the list's pages finds each exactly once. PostgreSQL only (a SQLite
// database takes one server); skipped when nginx is not installed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, Client, USERS } from './lib.mjs';
import { NGINX_SKIP, startNginx } from './nginx_lib.mjs';

const skip = !process.env.TB_PG_ADMIN ? 'PostgreSQL only (two servers need one shared database)' : NGINX_SKIP;
const WORKERS = 6, ROUNDS = 12;

let one, two, nginx;

before(async () => {
  if (skip) return;
  // The test certificate is self-signed; nothing but this process talks to it.
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
  one = await startServer({ logLevel: 'info' });
  two = await startServer({ db: one.db, logLevel: 'info' });
  nginx = await startNginx([one.port, two.port]);
});

after(async () => {
  if (nginx) await nginx.stop();
  if (two) await two.stop();
  if (one) await one.stop();
});

const answered = (srv) => srv.stderr().split('\n').filter((l) => / access /.test(l)).length;

test('a session made through nginx works on either server', { skip }, async () => {
  const coord = await login(nginx.base, USERS.coordinator.email);
  for (const srv of [one, two]) {
    const c = new Client(srv.base, { cookie: coord.cookie, csrf: coord.csrf });
    const me = await c.get('/api/v1/me');
    assert.equal(me.status, 200, me.text);
    assert.equal(me.json.user.email, USERS.coordinator.email);
    const t = await c.post('/api/v1/tokens', { name: `pg-nginx ${srv.port}` });   // the CSRF token too
    assert.equal(t.status, 201, t.text);
  }
});

test('mixed concurrent workload through nginx: no error, no lost write', { skip }, async (t) => {
  const coord = await login(nginx.base, USERS.coordinator.email);
  const before1 = answered(one), before2 = answered(two);
  const run = `Balanced ${process.pid}`;
  const errors = [], done = [];
  const expect = (r, status, what) => {
    if (r.status !== status) errors.push(`${what}: ${r.status} ${r.text.slice(0, 200)}`);
    return r.status === status;
  };
  const worker = async (w) => {
    for (let i = 0; i < ROUNDS; i++) {
      const name = `${run} ${w}-${i} AB`;
      const c = await coord.post('/api/v1/companies', { legal_name: name, country: 'SE' });
      if (!expect(c, 201, `create ${name}`)) continue;
      const got = await coord.get(`/api/v1/companies/${c.json.id}`);
      if (!expect(got, 200, `read ${name}`)) continue;
      const city = `City ${w}-${i}`;
      const u = await coord.patch(`/api/v1/companies/${c.json.id}`, { city, version: got.json.version });
      if (!expect(u, 200, `update ${name}`)) continue;
      // the version read before the update is stale now, whichever server answers
      expect(await coord.patch(`/api/v1/companies/${c.json.id}`, { city: 'Lost', version: got.json.version }), 412,
        `stale update ${name}`);
      expect(await coord.get(`/api/v1/companies?limit=5`), 200, 'list page');
      done.push({ id: c.json.id, name, city, version: u.json.version });
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
  assert.deepEqual(errors, [], 'every request of the workload succeeded');
  assert.equal(done.length, WORKERS * ROUNDS);
  t.diagnostic(`${done.length * 5} requests; the servers answered ${answered(one) - before1} and ${answered(two) - before2}`);
  assert.ok(answered(one) > before1 && answered(two) > before2,
    `both servers answered part of it (${answered(one) - before1} and ${answered(two) - before2} requests)`);

  // Every acknowledged create and update, read back from each server directly.
  for (const srv of [one, two]) {
    const c = new Client(srv.base, { cookie: coord.cookie, csrf: coord.csrf });
    const wrong = [];
    for (const d of done) {
      const r = await c.get(`/api/v1/companies/${d.id}`);
      if (r.status !== 200 || r.json.legal_name !== d.name || r.json.city !== d.city || r.json.version !== d.version)
        wrong.push(`${d.id}: ${r.status} ${r.text.slice(0, 200)}`);
    }
    assert.deepEqual(wrong, [], `server on port ${srv.port}: every acknowledged write is there`);
  }
  // The list's pages, walked through nginx, hold each one exactly once.
  const listed = (await coord.all('/api/v1/companies', 25)).filter((x) => x.legal_name.startsWith(run));
  assert.equal(listed.length, done.length, 'the list counts every created company');
  assert.deepEqual(listed.map((x) => x.id).sort((a, b) => a - b), done.map((d) => d.id).sort((a, b) => a - b));
});
