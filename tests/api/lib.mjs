// lib.mjs - shared harness for the API tests: starts the real
// `tradebridge serve` on a free port against a fresh demo database, an SMTP
// sink that records what the server mails, and a small HTTP client that keeps
// a session cookie and the CSRF token per signed-in user.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, statSync, renameSync, appendFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';
import http from 'node:http';
import assert from 'node:assert/strict';
import { contractViolation } from './contract.mjs';

const here = dirname(fileURLToPath(import.meta.url));

export const PASSWORD = 'TradeBridge-demo-2026';
export const BINARY = process.env.TB_BINARY || resolve(here, '../../build/tradebridge');

// Demo logins (password PASSWORD). Their ids depend on what else the demo
// seeds, so resolveUserIds() fills in `id` from the API at start-up.
export const USERS = {
  admin: { email: 'admin@demo.tradebridge.org' },
  coordinator: { email: 'coordinator@demo.tradebridge.org' },
  coordinatorSi: { email: 'coordinator.si@demo.tradebridge.org' },
  company: { email: 'company@demo.tradebridge.org' },
  trainee: { email: 'trainee@demo.tradebridge.org' },
  mentor: { email: 'mentor@demo.tradebridge.org' },
  viewer: { email: 'viewer@demo.tradebridge.org' },
};

/** Looks up the demo users' ids with a client that sees every tenant (the admin). */
export async function resolveUserIds(admin) {
  for (const u of Object.values(USERS)) {
    const r = await admin.get(`/api/v1/users?q=${encodeURIComponent(u.email)}&limit=200`);
    assert.equal(r.status, 200, r.text);
    const hit = r.json.items.find((x) => x.email === u.email);
    assert.ok(hit, `demo user ${u.email} exists`);
    u.id = hit.id;
  }
  return USERS;
}
export const ORGS = { foundation: 1, sweden: 2, slovenia: 3, estonia: 4 };

// Sanitizer builds are slow; everything that waits waits generously.
export const SLOW_MS = 60_000;

/** The environment for child processes: no TRADEBRIDGE_* settings leak in. */
export function childEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith('TRADEBRIDGE_') || k === 'TRADEBRIDGE_TRADE_DIR') env[k] = v;   // trade files on PostgreSQL
  return { ...env, ...extra };
}

/** Runs the binary to completion: {status, stdout, stderr}. */
export function runCli(args, { input, cwd, timeout = SLOW_MS, env = {} } = {}) {
  const r = spawnSync(BINARY, args, { input, cwd, env: childEnv(env), encoding: 'utf8', timeout });
  if (r.error) throw r.error;
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** Same as runCli but asynchronous (the event loop keeps serving sockets). */
export function runCliAsync(args, { input, cwd, timeout = SLOW_MS } = {}) {
  return new Promise((resolveP, reject) => {
    const p = spawn(BINARY, args, { cwd, env: childEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    p.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
    p.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => p.kill('SIGKILL'), timeout);
    p.on('error', reject);
    p.on('close', (status, signal) => { clearTimeout(timer); resolveP({ status, signal, stdout, stderr }); });
    p.stdin.end(input ?? '');
  });
}

/** ASAN_OPTIONS as given, plus detect_leaks=0. */
export function noLeakOptions() {
  const given = process.env.ASAN_OPTIONS;
  return given ? `${given}:detect_leaks=0` : 'detect_leaks=0';
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- SMTP sink --------------------------------------------------------------

/** A tiny SMTP server that records every message: {from, to[], data}. */
export async function startSmtpSink() {
  const messages = [];
  const waiters = new Set();
  const sockets = new Set();
  const notify = () => {
    for (const w of [...waiters]) {
      const m = messages.find(w.predicate);
      if (m) { waiters.delete(w); clearTimeout(w.timer); w.resolve(m); }
    }
  };
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => {});
    sock.setEncoding('latin1');
    let buf = '';
    let inData = false;
    let cur = { from: null, to: [], data: '' };
    let dataLines = [];
    sock.write('220 sink.test ESMTP ready\r\n');
    sock.on('data', (chunk) => {
      buf += chunk;
      let i;
      while ((i = buf.indexOf('\r\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            const data = Buffer.from(dataLines.join('\r\n'), 'latin1').toString('utf8');
            messages.push({ from: cur.from, to: cur.to, data });
            cur = { from: null, to: [], data: '' };
            dataLines = [];
            sock.write('250 OK: queued\r\n');
            notify();
          } else {
            dataLines.push(line.startsWith('.') ? line.slice(1) : line);
          }
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') sock.write('250-sink.test\r\n250 8BITMIME\r\n');
        else if (verb === 'HELO') sock.write('250 sink.test\r\n');
        else if (verb === 'MAIL') {
          cur.from = (line.match(/<([^>]*)>/) || [])[1] ?? null;
          sock.write('250 OK\r\n');
        } else if (verb === 'RCPT') {
          cur.to.push((line.match(/<([^>]*)>/) || [])[1] ?? line.slice(8).trim());
          sock.write('250 OK\r\n');
        } else if (verb === 'DATA') {
          inData = true;
          sock.write('354 End data with <CR><LF>.<CR><LF>\r\n');
        } else if (verb === 'QUIT') {
          sock.end('221 Bye\r\n');
        } else if (verb === 'RSET') {
          cur = { from: null, to: [], data: '' };
          sock.write('250 OK\r\n');
        } else if (verb === 'NOOP') sock.write('250 OK\r\n');
        else sock.write('502 Command not implemented\r\n');
      }
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: server.address().port,
    messages,
    /** Resolves with the first recorded message matching predicate. */
    waitForMail(predicate, timeoutMs = 20_000) {
      const m = messages.find(predicate);
      if (m) return Promise.resolve(m);
      return new Promise((resolveP, reject) => {
        const w = { predicate, resolve: resolveP };
        w.timer = setTimeout(() => {
          waiters.delete(w);
          reject(new Error(`no matching mail within ${timeoutMs} ms; got ${messages.length} message(s) to ` +
            JSON.stringify(messages.map((x) => x.to))));
        }, timeoutMs);
        waiters.add(w);
      });
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

/** The single-use link token in a mail body: #/<page>?token=TOKEN */
export function linkToken(mail, page) {
  const m = mail.data.match(new RegExp(`http://test\\.local/#/${page}\\?token=([A-Za-z0-9_-]+)`));
  assert.ok(m, `mail has no ${page} link:\n${mail.data}`);
  return m[1];
}

// ---- the server ---------------------------------------------------------------

/**
 * Under the api-pg suite (TB_PG_ADMIN: the throw-away cluster's superuser URL,
 * tests/pg/cluster.sh), each server gets a fresh database owned by the
 * application's role; returns its URL, or null on SQLite.
 */
let pgDatabases = 0;
function psqlAdmin(sql) {
  const r = spawnSync('psql', [process.env.TB_PG_ADMIN, '-qAt', '-v', 'ON_ERROR_STOP=1', '-c', sql], { encoding: 'utf8' });
  assert.equal(r.status, 0, `psql ${sql}: ${r.stderr}`);
  return r.stdout.trim();
}
function pgUrl(name) {
  return process.env.TB_PG_ADMIN.replace(/\/\/[^@]*@/, '//tradebridge@').replace(/\/[^/]*$/, `/${name}`);
}
/**
 * Runs one SQL statement on a server's database behind its back (to age a
 * stored time, as the clock would): sqlite3 on SQLite, psql as the cluster's
 * superuser (past row-level security) on PostgreSQL. Throws when it fails.
 */
export function dbExec(db, sql) {
  const pg = db.startsWith('postgresql:');
  const args = pg ? [process.env.TB_PG_ADMIN.replace(/\/[^/]*$/, db.slice(db.lastIndexOf('/'))), '-qAt', '-v', 'ON_ERROR_STOP=1', '-c', sql]
    : [db, '.timeout 10000', sql];
  const r = spawnSync(pg ? 'psql' : 'sqlite3', args, { encoding: 'utf8' });
  assert.equal(r.status, 0, `${sql}: ${r.stderr}`);
  return r.stdout.trim();   // rows as `a|b` lines on either backend
}

/**
 * The demo's trade data (files, TRADEBRIDGE_TRADE_DIR/NAME.trade and
 * NAME.synthetic.trade on PostgreSQL) copied from database `from` to `to`,
 * either a database name or a directory prefix (the cache beside the binary).
 */
function copyTradeDirs(from, to) {
  const base = process.env.TRADEBRIDGE_TRADE_DIR;
  const path = (n) => (n.includes('/') ? n : join(base, n));
  for (const suffix of ['.trade', '.synthetic.trade']) {
    if (existsSync(path(from) + suffix)) cpSync(path(from) + suffix, path(to) + suffix, { recursive: true });
  }
}

/** A fresh copy of the demo database (built once per cluster, then copied as a template). */
function freshPgDatabase() {
  if (!process.env.TB_PG_ADMIN) return null;
  if (!psqlAdmin("SELECT 1 FROM pg_database WHERE datname = 'tb_demo'")) {
    psqlAdmin('CREATE DATABASE tb_demo OWNER tradebridge');
    // The demo takes a while on PostgreSQL; its dump is kept beside the binary
    // for the next test file's cluster (rebuilt when the binary is newer).
    const cache = join(dirname(BINARY), 'pg-demo.sql');
    const run = (cmd, args) => {
      const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
      assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr}`);
    };
    if (existsSync(cache) && statSync(cache).mtimeMs > statSync(BINARY).mtimeMs) {
      run('psql', [pgUrl('tb_demo'), '-q', '-v', 'ON_ERROR_STOP=1', '-f', cache]);
      copyTradeDirs(join(dirname(BINARY), 'pg-demo'), 'tb_demo');
    } else {
      const demo = runCli(['demo', '--db', pgUrl('tb_demo'), '--no-serve', '--force'],
        { cwd: tmpdir(), timeout: 900_000, env: { ASAN_OPTIONS: noLeakOptions() } });
      assert.equal(demo.status, 0, `demo failed (${demo.status}):\n${demo.stdout}\n${demo.stderr}`);
      const tmp = `${cache}.${process.pid}`;
      // as the superuser: row-level security would stop pg_dump as the application's role
      run('pg_dump', ['--no-owner', '--file', tmp, process.env.TB_PG_ADMIN.replace(/\/[^/]*$/, '/tb_demo')]);
      copyTradeDirs('tb_demo', join(dirname(BINARY), 'pg-demo'));
      renameSync(tmp, cache);
    }
  }
  const name = `tb_${process.pid}_${++pgDatabases}`;
  psqlAdmin(`CREATE DATABASE ${name} TEMPLATE tb_demo OWNER tradebridge`);
  copyTradeDirs('tb_demo', name);
  return pgUrl(name);
}

export async function startServer(opts = {}) {
  assert.ok(existsSync(BINARY), `TB_BINARY ${BINARY} does not exist; build it first`);
  const dir = opts.db && !opts.db.startsWith('postgresql:') ? dirname(opts.db) : mkdtempSync(join(tmpdir(), 'tb-api-'));
  const pg = !opts.db && freshPgDatabase();
  const db = opts.db || pg || join(dir, 't.db');
  if (!opts.db && !pg) {
    // Setup only: the demo build runs without LeakSanitizer so that a leak in
    // the CLI cannot mask the server tests; cli.test.mjs checks the demo
    // command itself with leak detection on.
    const demo = runCli(['demo', '--db', db, '--no-serve', '--force'], { cwd: dir, env: { ASAN_OPTIONS: noLeakOptions() } });
    assert.equal(demo.status, 0, `demo failed (${demo.status}):\n${demo.stdout}\n${demo.stderr}`);
    assert.match(demo.stdout, /admin@demo\.tradebridge\.org/);
  }

  const smtp = opts.smtp ? await startSmtpSink() : null;
  const args = ['serve', '--db', db, '--listen', '127.0.0.1:0', '--log-level', opts.logLevel || 'warn'];
  if (smtp) args.push('--smtp-url', `smtp://127.0.0.1:${smtp.port}`, '--public-url', 'http://test.local');
  if (opts.args) args.push(...opts.args);
  const proc = spawn(BINARY, args, { cwd: dir, env: childEnv(opts.env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '', stdout = '';
  proc.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
  const exited = new Promise((r) => proc.on('exit', (code, signal) => r({ code, signal })));
  let exitInfo = null;
  exited.then((e) => { exitInfo = e; });

  const port = await new Promise((resolveP, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within ${SLOW_MS} ms:\n${stderr}`)), SLOW_MS);
    proc.stdout.setEncoding('utf8').on('data', (d) => {
      stdout += d;
      const m = stdout.match(/^tradebridge: listening on http:\/\/127\.0\.0\.1:(\d+) \(/m);
      if (m) { clearTimeout(timer); resolveP(Number(m[1])); }
    });
    exited.then((e) => { clearTimeout(timer); reject(new Error(`server exited early (${JSON.stringify(e)}):\n${stderr}`)); });
  });

  let stopped = null;
  const srv = {
    base: `http://127.0.0.1:${port}`,
    port, db, dir, smtp, proc, exited,
    stderr: () => stderr,
    stdout: () => stdout,
    /** SIGTERM, wait for the exit, assert status 0 (a leak under ASan makes it non-zero). */
    async stop({ keepDir = false } = {}) {
      if (stopped) { await stopped; return null; }   // checked (and reported) by the first call
      {
        stopped = (async () => {
          if (!exitInfo) proc.kill('SIGTERM');
          let timer;
          const timeout = new Promise((r) => { timer = setTimeout(() => r(null), SLOW_MS); });
          let e = await Promise.race([exited, timeout]);
          clearTimeout(timer);
          if (!e) { proc.kill('SIGKILL'); e = await exited; e.timedOut = true; }
          if (smtp) await smtp.close();
          return e;
        })();
      }
      const e = await stopped;
      const unusual = stderr.split('\n').filter((l) => l && !/^tradebridge: (SIGTERM received|stopped cleanly|TB_FAULT_INJECTION=1)/.test(l));
      if (unusual.length) process.stderr.write(`--- server stderr (${BINARY}):\n${stderr}\n---\n`);
      if (!keepDir && e.code === 0) rmSync(dir, { recursive: true, force: true });
      assert.ok(!e.timedOut, `server did not exit within ${SLOW_MS} ms of SIGTERM; stderr:\n${stderr}`);
      assert.deepEqual({ code: e.code, signal: e.signal }, { code: 0, signal: null },
        `server exit after SIGTERM: ${JSON.stringify(e)}; stderr:\n${stderr}`);
      return e;
    },
  };
  return srv;
}

// ---- HTTP client -----------------------------------------------------------------

/**
 * One request. body: an object (sent as JSON) or a string/Buffer (sent as is).
 * Returns {status, headers, json, text}.
 */
export async function request(base, method, path, body, { headers = {}, signal } = {}) {
  const h = { ...headers };
  let payload;
  if (body !== undefined && body !== null) {
    if (typeof body === 'string' || body instanceof Uint8Array) payload = body;
    else payload = JSON.stringify(body);
    if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['Content-Type'] = 'application/json';
  }
  const res = await fetch(base + path, { method, headers: h, body: payload, redirect: 'manual', signal });
  const text = await res.text();
  let json = null;
  if ((res.headers.get('content-type') || '').startsWith('application/json') && text) json = JSON.parse(text);
  const out = { status: res.status, headers: res.headers, json, text };
  // TB_API_CONTRACT=off skips the check; =log:FILE appends violations to FILE instead of failing.
  const mode = process.env.TB_API_CONTRACT || '';
  if (mode !== 'off') {
    const broken = contractViolation(BINARY, method, path, out);
    if (broken && mode.startsWith('log:')) appendFileSync(mode.slice(4), `${broken}\n`);
    else if (broken) throw new assert.AssertionError({ message: `API contract (openapi.json): ${broken}` });
  }
  return out;
}

/** A client bound to a base URL with optional session cookie, CSRF token or bearer token. */
export class Client {
  constructor(base, { cookie = null, csrf = null, bearer = null, me = null } = {}) {
    Object.assign(this, { base, cookie, csrf, bearer, me });
  }

  /** opts.headers; opts.csrf === false: do not send X-CSRF-Token; opts.cookie === false: no cookie. */
  send(method, path, body, opts = {}) {
    const headers = {};
    if (this.cookie && opts.cookie !== false) headers.Cookie = `tb_session=${this.cookie}`;
    if (this.csrf && opts.csrf !== false && method !== 'GET' && method !== 'HEAD') headers['X-CSRF-Token'] = this.csrf;
    if (this.bearer) headers.Authorization = `Bearer ${this.bearer}`;
    Object.assign(headers, opts.headers || {});
    return request(this.base, method, path, body, { headers });
  }

  get(path, opts) { return this.send('GET', path, undefined, opts); }
  post(path, body, opts) { return this.send('POST', path, body, opts); }
  patch(path, body, opts) { return this.send('PATCH', path, body, opts); }
  put(path, body, opts) { return this.send('PUT', path, body, opts); }
  del(path, body, opts) { return this.send('DELETE', path, body, opts); }

  /** Walks every page of a list (?limit=), asserting the page shape; returns all items. */
  async all(path, limit = 2) {
    const items = [];
    let cursor = null;
    for (let pages = 0; pages < 1000; pages++) {
      const sep = path.includes('?') ? '&' : '?';
      const r = await this.get(`${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      assert.equal(r.status, 200, `${path}: ${r.text}`);
      assert.ok(Array.isArray(r.json.items));
      assert.ok(r.json.items.length <= limit);
      items.push(...r.json.items);
      cursor = r.json.next_cursor;
      if (cursor === null) return items;
      assert.equal(typeof cursor, 'string');
    }
    throw new Error('pagination did not end');
  }
}

export function sessionCookie(headers) {
  const all = headers.getSetCookie ? headers.getSetCookie() : [headers.get('set-cookie')].filter(Boolean);
  for (const c of all) {
    const m = c.match(/^tb_session=([^;]*)/);
    if (m) return { value: m[1], header: c };
  }
  return null;
}

/** Signs in; throws unless 200. Returns a Client with the session cookie and CSRF token. */
export async function login(base, email, password = PASSWORD) {
  const r = await request(base, 'POST', '/api/v1/auth/login', { email, password });
  if (r.status !== 200) throw new Error(`login ${email} -> ${r.status} ${r.text}`);
  const c = sessionCookie(r.headers);
  assert.ok(c && c.value, 'login sets the tb_session cookie');
  return new Client(base, { cookie: c.value, csrf: r.json.csrf_token, me: r.json });
}

export function bearer(base, token) {
  return new Client(base, { bearer: token });
}

/** Asserts an error response: status, error.code and (optionally) field and message. */
export function assertError(r, status, code, { field, message } = {}) {
  assert.equal(r.status, status, `expected ${status} ${code}, got ${r.status}: ${r.text}`);
  assert.ok(r.json && r.json.error, `error body is JSON {"error":...}: ${r.text}`);
  assert.equal(r.json.error.code, code, r.text);
  assert.equal(typeof r.json.error.message, 'string');
  assert.ok(r.json.error.message.length > 0);
  if (field !== undefined) assert.equal(r.json.error.field, field, r.text);
  if (message instanceof RegExp) assert.match(r.json.error.message, message);
  else if (message !== undefined) assert.equal(r.json.error.message, message);
}

// ---- raw sockets ---------------------------------------------------------------------

/** Sends raw bytes, collects everything the server answers until it closes or timeoutMs. */
export function rawExchange(port, bytes, { timeoutMs = 15_000 } = {}) {
  return new Promise((resolveP, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    let data = '';
    const timer = setTimeout(() => { sock.destroy(); resolveP(data); }, timeoutMs);
    sock.setEncoding('latin1');
    sock.on('data', (d) => {
      data += d;
    });
    sock.on('error', (e) => { if (!data) { clearTimeout(timer); reject(e); } });
    sock.on('close', () => { clearTimeout(timer); resolveP(data); });
    sock.on('connect', () => sock.write(bytes));
  });
}

export function parseRawResponse(text) {
  const end = text.indexOf('\r\n\r\n');
  const head = end >= 0 ? text.slice(0, end) : text;
  const [statusLine, ...lines] = head.split('\r\n');
  const headers = {};
  for (const l of lines) {
    const i = l.indexOf(':');
    if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  const status = Number((statusLine.match(/^HTTP\/1\.[01] (\d{3})/) || [])[1]);
  const body = end >= 0 ? text.slice(end + 4) : '';
  let json = null;
  try { json = JSON.parse(body); } catch { /* not JSON */ }
  return { status, headers, body, json };
}

/** A request through node:http (for chunked bodies). chunks: Buffers written one by one. */
export function httpChunked(port, method, path, chunks, headers = {}) {
  return new Promise((resolveP, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers: { 'Content-Type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => {
        let json = null;
        try { json = JSON.parse(text); } catch { /* not JSON */ }
        resolveP({ status: res.statusCode, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    (async () => {
      for (const c of chunks) {
        if (req.destroyed) return;
        if (!req.write(c)) await new Promise((r) => req.once('drain', r));
      }
      req.end();
    })().catch(reject);
  });
}

/** RFC 4180 reader (quotes, doubled quotes, CRLF, newlines inside quotes, a leading BOM): rows of cells. */
export function csvRows(text) {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const rows = [];
  let row = [], cell = '', q = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (q) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (ch === '"') q = false;
      else cell += ch;
    } else if (ch === '"') q = true;
    else if (ch === ',') { row.push(cell); cell = ''; }
    else if (ch === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; }
    else if (ch === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; }
    else cell += ch;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows;
}
