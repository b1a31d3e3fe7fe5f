// pg_servers.test.mjs - several servers on one PostgreSQL database (issue 18):
// two servers, each with its own mail relay, drain one outbox and every mail
// is delivered once (claims skip a row the other server holds); revocations
// through both at once all keep their status-list bit; failed logins over
// both count towards one limit. Reads of one
// server's writes on the other: cli.test.mjs. SQLite allows one server per database
// (cli.test.mjs checks the lock), so this file runs in the api-pg suite only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { startServer, dbExec, sleep, login, request, assertError, USERS, PASSWORD, SLOW_MS } from './lib.mjs';

const pg = !!process.env.TB_PG_ADMIN;
const DEMO_KEK = 'VHJhZGVCcmlkZ2UtZGVtby1vbmx5LWtleS1lbmNyeXA=';   // what `tradebridge demo` seals keys with

test('two servers on one database: each outbox mail is sent once', { skip: !pg && 'PostgreSQL only' }, async () => {
  const one = await startServer({ smtp: true });
  const two = await startServer({ db: one.db, smtp: true });
  try {
    const n = 60;
    dbExec(one.db, `INSERT INTO outbox (org_id, to_addr, subject, body, created_at) SELECT 1, ` +
      `'two-servers-' || i || '@example.org', 'two servers ' || i, 'mail ' || i, '2026-12-07T00:00:00Z' ` +
      `FROM generate_series(1, ${n}) i`);
    const pending = () => Number(dbExec(one.db, 'SELECT count(*) FROM outbox WHERE sent_at IS NULL AND attempts < 20'));
    for (let t = 0; pending() > 0 && t < SLOW_MS / 100; t++) await sleep(100);
    assert.equal(pending(), 0, 'the outbox was drained');
    const mine = (s) => s.messages.filter((m) => m.to.some((a) => a.startsWith('two-servers-')));
    const sent = [...mine(one.smtp), ...mine(two.smtp)].map((m) => m.to[0]);
    assert.equal(sent.length, n, 'no mail twice, none lost');
    assert.equal(new Set(sent).size, n);
  } finally {
    await two.stop();
    await one.stop();
  }
});

// Revoking changes one bit of the operator's status list, which is read,
// changed, signed and written back whole: two servers revoking at once must
// not write their list over each other's (the operator's row is locked for
// the change). Many credentials revoked at once, alternately through either
// server: every bit is set in the published list.
test('two servers revoking at once: every revocation bit survives', { skip: !pg && 'PostgreSQL only' }, async () => {
  const env = { TRADEBRIDGE_KEK: DEMO_KEK };   // the list is signed again with the demo's key
  const one = await startServer({ env });
  const two = await startServer({ db: one.db, env });
  try {
    const n = 60, first = 1000;
    dbExec(one.db, 'INSERT INTO credentials (org_id, achievement_id, graduate_id, placement_id, credential_id, status_index, ' +
      'document, issued_at, status, created_at, updated_at, version) SELECT org_id, achievement_id, graduate_id, placement_id, ' +
      `'urn:uuid:00000000-0000-4000-8000-' || lpad(CAST(i AS TEXT), 12, '0'), ${first} + i, document, issued_at, 'active', ` +
      `created_at, updated_at, 1 FROM credentials, generate_series(0, ${n - 1}) i ` +
      'WHERE id = (SELECT min(id) FROM credentials WHERE org_id = 2)');
    const ids = dbExec(one.db, `SELECT id FROM credentials WHERE org_id = 2 AND status_index >= ${first} ORDER BY id`)
      .split('\n').map(Number);
    assert.equal(ids.length, n);
    const coords = [await login(one.base, USERS.coordinator.email), await login(two.base, USERS.coordinator.email)];
    const answers = await Promise.all(ids.map((id, i) =>
      coords[i % 2].post(`/api/v1/credentials/${id}/revoke`, { reason: 'two servers' })));
    assert.deepEqual(answers.map((r) => r.status).filter((s) => s !== 200), [], answers.find((r) => r.status !== 200)?.text);
    const list = await (await fetch(`${one.base}/status/2/revocation`)).json();
    const enc = list.credentialSubject.encodedList;
    assert.equal(enc[0], 'u', 'multibase base64url');
    const bits = gunzipSync(Buffer.from(enc.slice(1), 'base64url'));
    const unset = [];
    for (let i = first; i < first + n; i++) if (!((bits[i >> 3] >> (7 - (i & 7))) & 1)) unset.push(i);
    assert.deepEqual(unset, [], `${unset.length} of ${n} revocations lost their bit`);
    assert.equal(Number(dbExec(one.db, `SELECT count(*) FROM credentials WHERE status_index >= ${first} AND status = 'revoked'`)), n);
  } finally {
    await two.stop();
    await one.stop();
  }
});

// Login throttling counts in the database: failed logins to one account,
// spread over two servers, trip its limit (5 in 15 minutes) as they would on
// one; then both servers refuse even the right password.
test('two servers: failed logins split over both trip the account limit', { skip: !pg && 'PostgreSQL only' }, async () => {
  const one = await startServer();
  const two = await startServer({ db: one.db });
  try {
    const servers = [one, two];
    const email = USERS.mentor.email;
    const statuses = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await request(servers[i % 2].base, 'POST', '/api/v1/auth/login', { email, password: `wrong-${i}` })).status);
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429], 'the sixth attempt is over the limit, three on each server');
    for (const srv of servers)
      assertError(await request(srv.base, 'POST', '/api/v1/auth/login', { email, password: PASSWORD }), 429, 'too_many_attempts');
  } finally {
    await two.stop();
    await one.stop();
  }
});
