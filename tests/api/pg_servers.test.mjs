// pg_servers.test.mjs - several servers on one PostgreSQL database (issue 18):
// two servers, each with its own mail relay, drain one outbox and every mail
// is delivered once (claims skip a row the other server holds). Reads of one
// server's writes on the other: cli.test.mjs. SQLite allows one server per database
// (cli.test.mjs checks the lock), so this file runs in the api-pg suite only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, dbExec, sleep, SLOW_MS } from './lib.mjs';

const pg = !!process.env.TB_PG_ADMIN;

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
