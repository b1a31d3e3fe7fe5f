// pg_restart.test.mjs - PostgreSQL goes away while the server runs (issue 18):
// requests get 503 (not a hang, not a 500) while it is down, and once it is
// back the same server answers again by itself (it reconnects), with the data
// written before. api-pg suite only: it stops and starts the test's cluster
// (tests/pg/cluster.sh down/up, TB_PG_DIR).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startServer, login, request, sleep, dbExec, USERS } from './lib.mjs';

const cluster = fileURLToPath(new URL('../pg/cluster.sh', import.meta.url));
const pgDir = process.env.TB_PG_DIR;
const run = (what) => {
  const r = spawnSync('sh', [cluster, what, pgDir], { encoding: 'utf8' });
  assert.equal(r.status, 0, `cluster.sh ${what}: ${r.stderr}`);
};

test('a PostgreSQL restart: 503 while it is down, answers again after without a server restart', { skip: !pgDir && 'PostgreSQL only' }, async () => {
  const srv = await startServer();
  try {
    const admin = await login(srv.base, USERS.admin.email);
    const made = await admin.post('/api/v1/orgs', { name: 'Before the restart', country: 'NO' });
    assert.equal(made.status, 201, made.text);
    run('down');
    try {
      for (let i = 0; i < 3; i++) {
        const r = await admin.get('/api/v1/orgs?limit=200');
        assert.equal(r.status, 503, r.text);
        assert.equal(r.json.error.code, 'unavailable');
        assert.equal((await request(srv.base, 'GET', '/healthz')).status, 503);
      }
    } finally {
      run('up');
    }
    let r;
    for (let i = 0; i < 50; i++) {   // each server thread reconnects on its next request
      r = await admin.get('/api/v1/orgs?limit=200');
      if (r.status === 200) break;
      assert.equal(r.status, 503, r.text);
      await sleep(100);
    }
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.items.some((o) => o.name === 'Before the restart'), 'the data written before is there');
    const again = await admin.post('/api/v1/orgs', { name: 'After the restart', country: 'NO' });
    assert.equal(again.status, 201, `${again.text} ${dbExec(srv.db, "SELECT id, name, created_at FROM orgs ORDER BY id DESC LIMIT 4")} ${dbExec(srv.db, "SELECT last_value FROM orgs_id_seq")}`);
    assert.equal((await request(srv.base, 'GET', '/healthz')).status, 200);
  } finally {
    await srv.stop();
  }
});
