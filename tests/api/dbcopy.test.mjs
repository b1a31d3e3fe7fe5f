// dbcopy.test.mjs - moving an installation (issue 18): `tradebridge db copy`
// from a demo SQLite database to a fresh PostgreSQL database, verified per
// table, trade data files included; a server on the copy signs the demo
// users in and lists the same records (and market ranking) as a server on the
// original; a non-empty target is refused (and left as it was) unless
// --replace; a verification difference writes nothing; a wrong URL or an
// older source gives a one-line reason. Needs a PostgreSQL cluster: runs in the api-pg suite only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, runCli, login, dbExec, noLeakOptions, USERS } from './lib.mjs';

const pg = !!process.env.TB_PG_ADMIN;
const ALL_BYTES = Buffer.from([...Array(256).keys()]).toString('hex').toUpperCase();

function createDatabase(name) {
  const r = spawnSync('psql', [process.env.TB_PG_ADMIN, '-qAt', '-v', 'ON_ERROR_STOP=1', '-c',
    `CREATE DATABASE ${name} OWNER tradebridge`], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return process.env.TB_PG_ADMIN.replace(/\/\/[^@]*@/, '//tradebridge@').replace(/\/[^/]*$/, `/${name}`);
}

function oneLine(stderr) {
  const lines = stderr.split('\n').filter(Boolean);
  assert.equal(lines.length, 1, `one line of reason, got:\n${stderr}`);
  return lines[0];
}

// The verification table: {table: {rows, ok}} from `table rows checksum ok` lines.
function verification(stdout) {
  assert.match(stdout, /^table\s+rows\s+checksum\s+ok$/m);
  const rows = {};
  for (const m of stdout.matchAll(/^([a-z_0-9]+)\s+(\d+(?:\/\d+)?)\s+([0-9a-f]{32})\s+(ok|DIFFERS)$/gm))
    rows[m[1]] = { rows: m[2].includes('/') ? m[2] : Number(m[2]), sum: m[3], ok: m[4] === 'ok' };
  return rows;
}

test('db copy: SQLite demo to PostgreSQL, verified, served the same', { skip: !pg && 'PostgreSQL only' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tb-dbcopy-'));
  const src = join(dir, 'tb.db');
  const demo = runCli(['demo', '--db', src, '--no-serve', '--force'], { cwd: dir, env: { ASAN_OPTIONS: noLeakOptions() } });
  assert.equal(demo.status, 0, demo.stderr);
  const url = createDatabase(`tb_copy_${process.pid}`);
  // A CV with every byte value (the demo has none).
  dbExec(src, `INSERT INTO cv_files (graduate_id, org_id, content, sha256, uploaded_at) SELECT id, org_id, ` +
    `X'${ALL_BYTES}', 'x', '2026-12-08T00:00:00Z' FROM graduates WHERE id = 1`);

  const copy = runCli(['db', 'copy', '--from', `sqlite:${src}`, '--to', url], { timeout: 600_000 });
  assert.equal(copy.status, 0, `${copy.stdout}\n${copy.stderr}`);
  const table = verification(copy.stdout);
  for (const t of ['orgs', 'users', 'memberships', 'audit_log', 'issuer_keys', 'credentials', 'contacts', 'graduates'])
    assert.ok(table[t], `the verification lists ${t}`);
  assert.ok(Object.values(table).every((r) => r.ok), 'every table verified');
  assert.doesNotMatch(copy.stdout, /DIFFERS/);
  assert.match(copy.stdout, /^trade data: \d+ file\(s\) copied from .*tb\.db\.trade to /m, 'the trade data files too');
  for (const t of ['users', 'audit_log', 'issuer_keys', 'contacts']) {
    assert.equal(table[t].rows, Number(dbExec(src, `SELECT count(*) FROM ${t}`)), `${t} rows in the source`);
    assert.equal(Number(dbExec(url, `SELECT count(*) FROM ${t}`)), table[t].rows, `${t} rows in the target`);
  }
  // Sealed keys and binary files as stored, byte for byte.
  assert.equal(dbExec(url, "SELECT string_agg(sealed_secret, ',' ORDER BY id) FROM issuer_keys"),
    dbExec(src, "SELECT group_concat(sealed_secret, ',') FROM (SELECT sealed_secret FROM issuer_keys ORDER BY id)"));
  assert.equal(dbExec(url, "SELECT upper(encode(content, 'hex')) FROM cv_files WHERE graduate_id = 1"), ALL_BYTES);
  // The sequences continue after the largest id.
  assert.equal(Number(dbExec(url, "SELECT last_value FROM pg_sequences WHERE sequencename = 'users_id_seq'")),
    Number(dbExec(url, 'SELECT max(id) FROM users')));

  // Planner statistics for the copied tables: the copy ran ANALYZE (autovacuum's own runs count apart).
  assert.ok(Number(dbExec(url, "SELECT min(analyze_count) FROM pg_stat_user_tables " +
    "WHERE relname IN ('users', 'audit_log', 'graduates', 'companies')")) >= 1, 'the copy analyzed the tables');

  // A non-empty target is refused and left as it was.
  dbExec(url, "UPDATE orgs SET name = name || ' (kept)' WHERE id = 2");
  const again = runCli(['db', 'copy', '--from', src, '--to', url]);
  assert.equal(again.status, 1);
  assert.match(oneLine(again.stderr), /not empty .*--replace/);
  assert.match(dbExec(url, 'SELECT name FROM orgs WHERE id = 2'), / \(kept\)$/);
  // --replace empties it first, in the same transaction.
  const replaced = runCli(['db', 'copy', '--from', src, '--to', url, '--replace'], { timeout: 600_000 });
  assert.equal(replaced.status, 0, replaced.stderr);
  assert.match(replaced.stdout, /replaced/);
  assert.doesNotMatch(dbExec(url, 'SELECT name FROM orgs WHERE id = 2'), /kept/);

  // A difference the verification finds (a test build leaves a row out):
  // exit 1, the table says where, and nothing is written.
  const fresh = createDatabase(`tb_copy_diff_${process.pid}`);
  const differs = runCli(['db', 'copy', '--from', src, '--to', fresh], { env: { TB_FAULT_DBCOPY_DROP: 'audit_log' }, timeout: 600_000 });
  assert.equal(differs.status, 1, differs.stdout);
  assert.equal(verification(differs.stdout).audit_log.ok, false);
  assert.equal(verification(differs.stdout).users.ok, true);
  assert.match(oneLine(differs.stderr), /verification failed: 1 table\(s\) differ; nothing was written/);
  assert.equal(dbExec(fresh, 'SELECT count(*) FROM orgs') + dbExec(fresh, 'SELECT count(*) FROM audit_log'), '00');

  // A failed --replace leaves the target as it was (the emptying is rolled back too).
  const auditRows = dbExec(url, 'SELECT count(*) FROM audit_log');
  const failed = runCli(['db', 'copy', '--from', src, '--to', url, '--replace'], { env: { TB_FAULT_DBCOPY_DROP: 'audit_log' }, timeout: 600_000 });
  assert.equal(failed.status, 1, failed.stdout);
  assert.equal(dbExec(url, 'SELECT count(*) FROM audit_log'), auditRows);
  assert.equal(dbExec(url, 'SELECT count(*) FROM orgs'), dbExec(src, 'SELECT count(*) FROM orgs'));

  // A wrong URL and an older source: a one-line reason each.
  const bad = runCli(['db', 'copy', '--from', src, '--to', 'postgresql://tradebridge@127.0.0.1:1/none']);
  assert.equal(bad.status, 1);
  assert.match(oneLine(bad.stderr), /cannot connect to PostgreSQL/);
  const old = join(dir, 'old.db');
  assert.equal(runCli(['migrate', '--db', old, '--to', '0001_accounts']).status, 0);
  const older = runCli(['db', 'copy', '--from', old, '--to', createDatabase(`tb_copy_old_${process.pid}`)]);
  assert.equal(older.status, 1);
  assert.match(oneLine(older.stderr), /older schema/);

  // A server on the copy: the demo's sign-in and the same records as on the original.
  const onPg = await startServer({ db: url });
  const onSqlite = await startServer({ db: src });
  try {
    for (const who of ['admin', 'coordinator', 'trainee']) {
      const a = await login(onSqlite.base, USERS[who].email);
      const b = await login(onPg.base, USERS[who].email);
      assert.equal(b.me.user.id, a.me.user.id, `${who} is the same user`);
    }
    const a = await login(onSqlite.base, USERS.admin.email);
    const b = await login(onPg.base, USERS.admin.email);
    for (const path of ['/api/v1/orgs', '/api/v1/users', '/api/v1/graduates', '/api/v1/companies', '/api/v1/credentials'])
      assert.deepEqual(await b.all(path, 100), await a.all(path, 100), `${path} lists the same records`);
    // The ranking reads the trade data files the copy put in TRADEBRIDGE_TRADE_DIR.
    const rank = '/api/v1/trade/rank?product=030617&limit=3';
    const [ra, rb] = [await (await login(onSqlite.base, USERS.company.email)).get(rank),
      await (await login(onPg.base, USERS.company.email)).get(rank)];
    assert.equal(ra.status, 200, ra.text);
    assert.equal(rb.status, 200, rb.text);
    assert.deepEqual(rb.json, ra.json, 'the same ranking');
  } finally {
    await onSqlite.stop();
    await onPg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
