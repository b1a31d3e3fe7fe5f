// harness.mjs - browser tests against the real server: a fresh demo database, the server on
// a free port (mail to an SMTP sink so invitation links can be followed), an API client for
// setting up records, and Chromium through playwright-core.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const REPO = resolve(here, '../..');
export const BINARY = process.env.TB_BINARY || resolve(REPO, 'build/tradebridge');
export const PASSWORD = 'TradeBridge-demo-2026';
export const DEMO = {
  admin: 'admin@demo.tradebridge.org',
  coordinator: 'coordinator@demo.tradebridge.org',
  coordinatorSi: 'coordinator.si@demo.tradebridge.org',
  company: 'company@demo.tradebridge.org',
  trainee: 'trainee@demo.tradebridge.org',
  mentor: 'mentor@demo.tradebridge.org',
  viewer: 'viewer@demo.tradebridge.org',
};
export const TIMEOUT = 15_000;

function childEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('TRADEBRIDGE_') || k === 'TRADEBRIDGE_KEK') env[k] = v;
  return env;
}

// ---- SMTP sink: 220 / 250 / 354 / 250 / 221 ----
export async function startSmtpSink() {
  const messages = [];
  const sockets = new Set();
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => {});
    sock.setEncoding('latin1');
    let buf = '';
    let inData = false;
    let lines = [];
    let to = [];
    sock.write('220 sink ESMTP\r\n');
    sock.on('data', (chunk) => {
      buf += chunk;
      let i;
      while ((i = buf.indexOf('\r\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            messages.push({ to, text: Buffer.from(lines.join('\r\n'), 'latin1').toString('utf8') });
            lines = [];
            to = [];
            sock.write('250 OK\r\n');
          } else lines.push(line.startsWith('.') ? line.slice(1) : line);
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') sock.write('250-sink\r\n250 8BITMIME\r\n');
        else if (verb === 'RCPT') { to.push(((line.match(/<([^>]*)>/) || [])[1] || '').toLowerCase()); sock.write('250 OK\r\n'); }
        else if (verb === 'DATA') { inData = true; sock.write('354 go ahead\r\n'); }
        else if (verb === 'QUIT') { sock.end('221 bye\r\n'); return; }
        else sock.write('250 OK\r\n');
      }
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: server.address().port,
    messages,
    /** The single-use token of the newest mail to `email` with a #/page?token= link. */
    async token(email, page, timeoutMs = TIMEOUT) {
      const deadline = Date.now() + timeoutMs;
      const re = new RegExp(`#/${page}\\?token=([A-Za-z0-9_-]+)`);
      for (;;) {
        const m = [...messages].reverse().find((x) => x.to.includes(email.toLowerCase()) && re.test(x.text.replace(/=\r\n/g, '')));
        if (m) return m.text.replace(/=\r\n/g, '').match(re)[1];
        if (Date.now() > deadline) throw new Error(`no ${page} mail to ${email} within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    close() { for (const s of sockets) s.destroy(); return new Promise((r) => server.close(r)); },
  };
}

// ---- the server ----
export async function startServer() {
  assert.ok(existsSync(BINARY), `TB_BINARY ${BINARY} does not exist; build it first (ninja -C build tradebridge)`);
  const dir = mkdtempSync(join(tmpdir(), 'tb-e2e-'));
  const db = join(dir, 't.db');
  const demo = spawnSync(BINARY, ['demo', '--db', db, '--no-serve', '--force'], { cwd: dir, env: childEnv(), encoding: 'utf8', timeout: 60_000 });
  assert.equal(demo.status, 0, `demo failed:\n${demo.stdout}\n${demo.stderr}`);
  const smtp = await startSmtpSink();
  const args = ['serve', '--db', db, '--listen', '127.0.0.1:0', '--log-level', 'warn', '--password-cost', 'min',
    '--smtp-url', `smtp://127.0.0.1:${smtp.port}`, '--public-url', 'http://test.local'];
  if (process.env.TB_WEB_DIR) args.push('--web-dir', process.env.TB_WEB_DIR);
  const proc = spawn(BINARY, args, { cwd: dir, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  proc.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
  const exited = new Promise((r) => proc.on('exit', (code, signal) => r({ code, signal })));
  const port = await new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`server did not start:\n${stderr}`)), 30_000);
    proc.stdout.setEncoding('utf8').on('data', (d) => {
      stdout += d;
      const m = stdout.match(/^tradebridge: listening on http:\/\/127\.0\.0\.1:(\d+) \(/m);
      if (m) { clearTimeout(timer); res(Number(m[1])); }
    });
    exited.then((e) => { clearTimeout(timer); rej(new Error(`server exited early ${JSON.stringify(e)}:\n${stderr}`)); });
  });
  return {
    base: `http://127.0.0.1:${port}`, db, dir, smtp,
    stderr: () => stderr,
    async stop() {
      proc.kill('SIGTERM');
      const e = await Promise.race([exited, new Promise((r) => setTimeout(() => r(null), 20_000))]);
      if (!e) { proc.kill('SIGKILL'); await exited; }
      await smtp.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---- API client for setting up data ----
export class Api {
  constructor(base) { this.base = base; this.cookie = null; this.csrf = null; this.me = null; }
  async req(method, path, body) {
    const headers = {};
    if (this.cookie) headers.Cookie = this.cookie;
    if (this.csrf && method !== 'GET') headers['X-CSRF-Token'] = this.csrf;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const r = await fetch(`${this.base}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    const json = text ? JSON.parse(text) : null;
    if (!r.ok) throw new Error(`${method} ${path} -> ${r.status} ${text}`);
    return { json, headers: r.headers };
  }
  async login(email, password = PASSWORD) {
    const r = await this.req('POST', '/auth/login', { email, password });
    this.cookie = r.headers.get('set-cookie').match(/tb_session=[^;]*/)[0];
    this.csrf = r.json.csrf_token;
    this.me = r.json;
    return this;
  }
  async get(p) { return (await this.req('GET', p)).json; }
  async post(p, b = {}) { return (await this.req('POST', p, b)).json; }
  async patch(p, b) { return (await this.req('PATCH', p, b)).json; }
}
export const apiAs = (srv, email, password) => new Api(srv.base).login(email, password);

let seq = 0;
const uniq = () => `${Date.now().toString(36)}${++seq}`;

/** Records for a flow: a company, an open-able position (submitted), a graduate, a cohort. */
export async function seedProgramme(coord, { positionStatus = 'submitted' } = {}) {
  const u = uniq();
  const company = await coord.post('/companies', { legal_name: `Fjord Export AB ${u}`, country: 'SE', nace: '16.10', employees: 35, currency: 'SEK', target_markets: ['DE'] });
  const cohort = await coord.post('/cohorts', { name: `Cohort ${u}`, start_date: '2027-02-01', end_date: '2027-08-31' });
  const position = await coord.post('/positions', { company_id: company.id, cohort_id: cohort.id, title: `Export assistant DACH ${u}`, currency: 'SEK', pay: 2500000, languages: [{ code: 'de', min_level: 'B2' }] });
  if (positionStatus !== 'draft') await coord.post(`/positions/${position.id}/status`, { status: 'submitted' });
  const graduate = await coord.post('/graduates', { name: `Lena Weber ${u}`, email: `lena.${u}@example.org`, languages: [{ code: 'de', level: 'C1' }] });
  return { company, cohort, position, graduate, u };
}

/** Invites a person bound to a record and sets their password through the API; returns the email. */
export async function inviteBound(srv, coord, { role, subjectType, subjectId, name }) {
  const email = `${role}.${uniq()}@example.org`;
  await coord.post('/invitations', { email, name, role, subject_type: subjectType, subject_id: subjectId });
  const token = await srv.smtp.token(email, 'accept-invitation');
  await new Api(srv.base).req('POST', '/auth/accept-invitation', { token, password: PASSWORD });
  return email;
}

/**
 * The seed's company and trainee logins (Clara Company, Tomas Trainee) and a signed-in page for
 * each role in `signedIn` (coordinator, company, trainee). Returns {pages, emails}.
 */
export async function programmeParties(srv, browser, coord, seed, signedIn = ['coordinator', 'company', 'trainee']) {
  const emails = {
    coordinator: DEMO.coordinator,
    company: await inviteBound(srv, coord, { role: 'company', subjectType: 'company', subjectId: seed.company.id, name: 'Clara Company' }),
    trainee: await inviteBound(srv, coord, { role: 'trainee', subjectType: 'graduate', subjectId: seed.graduate.id, name: 'Tomas Trainee' }),
  };
  const pages = {};
  for (const k of signedIn) {
    pages[k] = await newPage(browser, srv);
    await signIn(pages[k], emails[k]);
  }
  return { pages, emails };
}

// ---- the browser ----
export async function launch() {
  return chromium.launch({
    executablePath: process.env.TB_CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** A new page (own cookies) that fails the test on script errors and CSP violations. */
export async function newPage(browser, srv, { width = 1280, height = 800 } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, baseURL: srv.base });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) page.problems.push(`csp: ${m.text()}`);
  });
  return page;
}

export async function signIn(page, email, password = PASSWORD) {
  await page.goto('/#/login');
  await page.locator('[data-field="email"] input').fill(email);
  await page.locator('[data-field="password"] input').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#main[data-route="#/"] h1', { hasText: /^Hello, / }).waitFor();
}

/** Goes to a hash route and waits for its heading. */
export async function open(page, hash, heading) {
  const same = await page.evaluate((x) => location.hash === x, hash).catch(() => false);
  if (same) await page.reload(); else await page.goto(`/${hash}`);
  await page.waitForFunction((x) => {
    const m = document.querySelector('#main');
    return m && m.getAttribute('aria-busy') === 'false' && m.dataset.route === x;
  }, hash);
  if (heading) await page.locator('h1', { hasText: heading }).waitFor();
  else await page.locator('#main h1').first().waitFor();
}

/** Any console error at all, not only CSP reports (collected from the call on). */
export function consoleErrors(page) {
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  return errors;
}

export function noProblems(page) {
  assert.deepEqual(page.problems, [], 'no script errors or CSP violations');
}

export function shotPath(name) {
  const d = resolve(REPO, 'docs');
  mkdirSync(d, { recursive: true });
  return resolve(d, name);
}

/**
 * The usual start of a test file: server, browser, a coordinator API client, seeded records
 * and (with signInAs) a signed-in page. Returns the context; stop it with teardown(ctx).
 */
export async function setup({ signInAs = null, seedOptions, seed = true } = {}) {
  const ctx = {};
  ctx.srv = await startServer();
  ctx.browser = await launch();
  ctx.coord = await apiAs(ctx.srv, DEMO.coordinator);
  if (seed) ctx.seed = await seedProgramme(ctx.coord, seedOptions);
  if (signInAs) {
    ctx.page = await newPage(ctx.browser, ctx.srv);
    await signIn(ctx.page, signInAs);
  }
  return ctx;
}
export async function teardown(ctx) {
  if (ctx.page) noProblems(ctx.page);
  await ctx.browser?.close();
  await ctx.srv?.stop();
}
