// cli.test.mjs - the command line: exit codes and messages, `demo` and
// `org list`, an online backup taken while the server writes, and graceful
// shutdown with a request in flight.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import {
  startServer, login, request, runCli, runCliAsync, parseRawResponse, sleep, USERS, SLOW_MS,
} from './lib.mjs';

let dir;
before(() => { dir = mkdtempSync(join(tmpdir(), 'tb-cli-')); });
after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

const oneLine = (s) => s.trim().split('\n').length === 1;

test('an unknown command exits 2 with a reason on stderr', () => {
  const r = runCli(['nonsense'], { cwd: dir });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /unknown command 'nonsense'/);
});

test('`org add` without arguments exits 2 with a one-line reason', () => {
  const r = runCli(['org', 'add'], { cwd: dir });
  assert.ok(!existsSync(join(dir, 'tradebridge.db')), 'no database was created');
  assert.equal(r.status, 2, r.stderr);
  assert.ok(oneLine(r.stderr), `one line: ${JSON.stringify(r.stderr)}`);
  assert.match(r.stderr, /^tradebridge org add: /);
  assert.equal(r.stdout, '');
});

test('`org add` with a country that is not ISO 3166-1 alpha-2 exits 2', () => {
  const r = runCli(['org', 'add', 'ITM Nowhere', '--country', 'XX', '--db', join(dir, 'x.db')], { cwd: dir });
  assert.equal(r.status, 2, r.stderr);
  assert.ok(oneLine(r.stderr));
  assert.match(r.stderr, /XX/);
});

test('`demo --no-serve` builds a database, prints the logins and exits 0 (no leaks under ASan)', () => {
  const r = runCli(['demo', '--db', join(dir, 'demo.db'), '--no-serve', '--force'], { cwd: dir });
  assert.equal(r.status, 0, `demo exit ${r.status}; stderr:\n${r.stderr}`);
  for (const u of Object.values(USERS)) assert.ok(r.stdout.includes(u.email), u.email);
  assert.match(r.stdout, /TradeBridge-demo-2026/);
});

test('`org list` shows the foundation and the three operators', () => {
  const r = runCli(['org', 'list', '--db', join(dir, 'demo.db')], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  const rows = r.stdout.trim().split('\n').map((l) => l.split('\t'));
  assert.deepEqual(rows.map((x) => x[3]), ['Export Trainee Foundation', 'ITM Sweden', 'ITM Slovenia', 'ITM Estonia']);
  assert.deepEqual(rows.map((x) => x[2]), ['-', 'SE', 'SI', 'EE']);
});

test('`user add` into an organization that does not exist exits 1 and names it', () => {
  const r = runCli(['user', 'add', 'x@y.zz', '--name', 'N', '--org', 'No Such Org', '--role', 'coordinator',
    '--password-stdin', '--db', join(dir, 'demo.db')], { cwd: dir, input: 'A-long-enough-password\n' });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /No Such Org/);
  const list = runCli(['user', 'list', '--db', join(dir, 'demo.db')], { cwd: dir });
  assert.ok(!list.stdout.includes('x@y.zz'), 'no user was left behind');
});

test('`user add` with a valid org creates a user who can be listed', () => {
  const r = runCli(['user', 'add', 'cli.user@example.org', '--name', 'Cli User', '--org', 'ITM Estonia', '--role', 'coordinator',
    '--password-stdin', '--db', join(dir, 'demo.db')], { cwd: dir, input: 'A-long-enough-password\n' });
  assert.equal(r.status, 0, r.stderr);
  const list = runCli(['user', 'list', '--db', join(dir, 'demo.db')], { cwd: dir });
  assert.equal(list.status, 0, list.stderr);
  assert.match(list.stdout, /cli\.user@example\.org\tactive\tCli User\tcoordinator@ITM Estonia/);
});

test('`serve --help` exits 0 and documents TRADEBRIDGE_DB and TRADEBRIDGE_LISTEN', () => {
  const r = runCli(['serve', '--help'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /TRADEBRIDGE_DB/);
  assert.match(r.stdout, /TRADEBRIDGE_LISTEN/);
  assert.match(r.stdout, /--listen/);
});

test('`serve --listen nonsense` exits 2 with a reason', () => {
  const r = runCli(['serve', '--listen', 'nonsense', '--db', join(dir, 'never.db')], { cwd: dir, timeout: 20_000 });
  assert.equal(r.status, 2, `status ${r.status} signal ${r.signal}; ${r.stderr}`);
  assert.match(r.stderr, /--listen/);
  assert.ok(!existsSync(join(dir, 'never.db')), 'no database was created');
});

test('`serve --listen 127.0.0.1:99999` (bad port) exits 2', () => {
  const r = runCli(['serve', '--listen', '127.0.0.1:99999', '--db', join(dir, 'never.db')], { cwd: dir, timeout: 20_000 });
  assert.equal(r.status, 2, `status ${r.status} signal ${r.signal}; ${r.stderr}`);
});

test('a backup taken while the API writes exits 0 and is a consistent, usable copy', async () => {
  const srv = await startServer();
  let stop = false;
  try {
    if (srv.db.startsWith('postgresql:')) {
      // PostgreSQL: the database's own tools, said in one line; nothing written
      const copy = join(srv.dir, 'copy.dump');
      const b = await runCliAsync(['backup', copy, '--db', srv.db], { cwd: srv.dir });
      assert.equal(b.status, 1, b.stderr);
      assert.ok(oneLine(b.stderr), b.stderr);
      assert.match(b.stderr, /^tradebridge backup: the database is PostgreSQL: .*pg_dump/);
      assert.ok(!existsSync(copy), 'no file written');
      return;
    }
    const admin = await login(srv.base, USERS.admin.email);
    let writes = 0;
    const failures = [];
    const writer = (async () => {
      for (let i = 0; !stop; i++) {
        try {
          const o = await admin.post('/api/v1/orgs', { name: `Backup Operator ${i}`, country: 'NO' });
          const t = await admin.post('/api/v1/tokens', { name: `backup token ${i}` });
          if (o.status !== 201) failures.push(`org ${i}: ${o.status} ${o.text}`);
          if (t.status !== 201) failures.push(`token ${i}: ${t.status} ${t.text}`);
        } catch (e) {
          failures.push(`write ${i}: ${e.message}: ${e.cause?.code || ''} ${e.cause?.message || ''}`);
        }
        writes++;
      }
    })();
    await sleep(200);
    const copies = [];
    for (let k = 0; k < 3; k++) {
      const copy = join(srv.dir, `copy${k}.db`);
      const b = await runCliAsync(['backup', copy, '--db', srv.db], { cwd: srv.dir });
      assert.equal(b.status, 0, `backup ${k}: ${b.stderr}`);
      assert.match(b.stdout, /backup written to/);
      copies.push(copy);
      await sleep(100);
    }
    stop = true;
    await writer;
    assert.deepEqual(failures, [], 'writes kept succeeding during the backups');
    assert.ok(writes > 3, `writes happened during the backup (${writes})`);
    for (const copy of copies) {
      const list = runCli(['org', 'list', '--json', '--db', copy], { cwd: srv.dir });
      assert.equal(list.status, 0, list.stderr);
      const orgs = JSON.parse(list.stdout);
      assert.ok(orgs.length >= 4, 'the copy has the demo organizations');
      const sqlite = spawnSync('sqlite3', [copy, 'PRAGMA integrity_check;',
        "SELECT count(*) FROM orgs o WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.entity = 'organization' AND a.action = 'create' AND a.entity_id = o.id);",
        "SELECT count(*) FROM audit_log a WHERE a.entity = 'organization' AND a.action = 'create' AND NOT EXISTS (SELECT 1 FROM orgs o WHERE o.id = a.entity_id);"],
      { encoding: 'utf8' });
      if (sqlite.error && sqlite.error.code === 'ENOENT') continue;   // no sqlite3 CLI: org list above is the check
      assert.equal(sqlite.status, 0, sqlite.stderr);
      assert.deepEqual(sqlite.stdout.trim().split('\n'), ['ok', '0', '0'],
        'integrity ok; every organization and its audit entry were copied together');
    }
    const live = await admin.get('/api/v1/orgs?limit=200');
    assert.equal(live.status, 200);
  } finally {
    stop = true;   // a failed assertion above must not leave the writer looping against a stopped server
    await srv.stop();
  }
});

test('a second server (or `demo --force`) on a database already served exits 1 naming the holder; CLI commands still work', async () => {
  const srv = await startServer();
  if (srv.db.startsWith('postgresql:')) {
    // PostgreSQL serves several servers by design: no lock, both see each other's writes
    const second = await startServer({ db: srv.db });
    try {
      const a = await login(srv.base, USERS.admin.email);
      const b = await login(second.base, USERS.admin.email);
      const made = await a.post('/api/v1/orgs', { name: 'Made on the first server', country: 'NO' });
      assert.equal(made.status, 201, made.text);
      const seen = await b.get('/api/v1/orgs?limit=200');
      assert.ok(seen.json.items.some((o) => o.name === 'Made on the first server'), 'the second server sees it');
    } finally {
      await second.stop();
      await srv.stop();
    }
    return;
  }
  try {
    const second = await runCliAsync(['serve', '--db', srv.db, '--listen', '127.0.0.1:0'], { cwd: srv.dir });
    assert.equal(second.status, 1, `second server: ${second.status} ${second.signal}; ${second.stderr}`);
    assert.ok(oneLine(second.stderr), `one line: ${JSON.stringify(second.stderr)}`);
    assert.match(second.stderr, new RegExp(`^tradebridge serve: another TradeBridge server \\(pid ${srv.proc.pid}\\) already serves `));
    const demo = runCli(['demo', '--db', srv.db, '--no-serve', '--force'], { cwd: srv.dir });
    assert.equal(demo.status, 1, demo.stderr);
    assert.match(demo.stderr, /already serves/);
    const list = runCli(['org', 'list', '--db', srv.db], { cwd: srv.dir });
    assert.equal(list.status, 0, list.stderr);
    assert.match(list.stdout, /ITM Sweden/, 'the served database was not rebuilt');
    const b = await runCliAsync(['backup', join(srv.dir, 'copy.db'), '--db', srv.db], { cwd: srv.dir });
    assert.equal(b.status, 0, b.stderr);
    assert.equal((await request(srv.base, 'GET', '/healthz')).status, 200, 'the first server keeps serving');
  } finally {
    await srv.stop({ keepDir: true });
  }
  // Once it has stopped, the database can be served again.
  const again = await startServer({ db: srv.db });
  await again.stop();
});

test('SIGTERM while a request is in flight: the request completes, new connections are refused, exit 0', async () => {
  const srv = await startServer();
  const body = JSON.stringify({ email: USERS.company.email });
  const sock = net.connect(srv.port, '127.0.0.1');
  sock.setEncoding('latin1');
  let answer = '';
  sock.on('data', (d) => { answer += d; });
  sock.on('error', () => {});
  const closed = new Promise((r) => sock.on('close', r));
  await new Promise((r) => sock.on('connect', r));
  // Headers and half the body: the request has started and waits for the rest.
  sock.write(`POST /api/v1/auth/password-reset HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`);
  await sleep(300);
  srv.proc.kill('SIGTERM');
  for (let i = 0; i < 100 && !srv.stderr().includes('SIGTERM received'); i++) await sleep(20);
  assert.match(srv.stderr(), /SIGTERM received/);
  sock.write(body.slice(10));
  for (let i = 0; i < 250 && !/\r\n\r\n[\s\S]*\}/.test(answer); i++) await sleep(20);
  const res = parseRawResponse(answer);
  assert.equal(res.status, 202, `the in-flight request was answered: ${JSON.stringify(answer)}\nstderr:\n${srv.stderr()}`);
  assert.match(res.body, /reset link/);
  const late = await request(srv.base, 'GET', '/healthz').then((r) => r.status, (e) => e.cause?.code || 'error');
  assert.notEqual(late, 200, 'no new requests are taken after SIGTERM');
  sock.end();
  await Promise.race([closed, sleep(5000)]);
  await srv.stop();
  assert.match(srv.stderr(), /stopped cleanly/);
});

test('commands that need data refuse a mistyped --db instead of creating an empty database', () => {
  const typo = join(dir, 'typo.db');
  for (const args of [['org', 'list'], ['user', 'list'], ['migrate', '--status'], ['backup', join(dir, 'copy.db')],
    ['token', 'add', 'x@y.zz', '--name', 'n']]) {
    const r = runCli([...args, '--db', typo], { cwd: dir });
    assert.equal(r.status, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.ok(oneLine(r.stderr), r.stderr);
    assert.match(r.stderr, /cannot open database .*typo\.db: No such file or directory/);
    assert.ok(!existsSync(typo), `${args.join(' ')} created ${typo}`);
  }
});

test('`import` of a missing file says why', () => {
  const r = runCli(['import', 'companies', join(dir, 'nope.csv'), '--org', 'ITM Sweden', '--db', join(dir, 'demo.db')],
    { cwd: dir });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /cannot open .*nope\.csv: No such file or directory/);
});
