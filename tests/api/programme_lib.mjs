// programme_lib.mjs - helpers for the programme API tests (programme_*.test.mjs):
// a fresh demo database and server per file, an SMTP sink for invitation
// mails, cookie + CSRF clients, and record factories. No npm packages.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import assert from 'node:assert/strict';

export const PASSWORD = 'TradeBridge-demo-2026';
export const USERS = {
  admin: 'admin@demo.tradebridge.org',
  coord: 'coordinator@demo.tradebridge.org',
  coordSi: 'coordinator.si@demo.tradebridge.org',
  viewer: 'viewer@demo.tradebridge.org',
};
export const ORG_SE = 2;
export const ORG_SI = 3;

const binary = () => {
  const b = process.env.TB_BINARY;
  if (!b) throw new Error('set TB_BINARY to the tradebridge server binary');
  return b;
};

/* A minimal SMTP server that keeps every message it is given. */
export async function startSmtpSink() {
  const messages = [];
  const waiters = [];
  const sockets = new Set();
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => {});
    let buf = '';
    let inData = false;
    let data = '';
    let rcpt = [];
    sock.write('220 sink ESMTP\r\n');
    sock.on('data', (chunk) => {
      buf += chunk.toString('utf8');
      for (;;) {
        if (inData) {
          const end = buf.indexOf('\r\n.\r\n');
          if (end < 0) {
            // the terminator may come right after the DATA line
            if (buf.startsWith('.\r\n')) { buf = buf.slice(3); } else return;
          } else {
            data += buf.slice(0, end);
            buf = buf.slice(end + 5);
          }
          inData = false;
          const text = data.replace(/\r\n\.\./g, '\r\n.');
          const msg = { to: rcpt.slice(), text };
          messages.push(msg);
          data = '';
          rcpt = [];
          sock.write('250 OK queued\r\n');
          for (const w of waiters.splice(0)) w();
          continue;
        }
        const nl = buf.indexOf('\r\n');
        if (nl < 0) return;
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 2);
        const cmd = line.slice(0, 4).toUpperCase();
        if (cmd === 'EHLO') sock.write('250-sink\r\n250 8BITMIME\r\n');
        else if (cmd === 'HELO') sock.write('250 sink\r\n');
        else if (cmd === 'MAIL') sock.write('250 OK\r\n');
        else if (cmd === 'RCPT') { rcpt.push(line.replace(/^RCPT TO:\s*<?([^>]*)>?.*$/i, '$1')); sock.write('250 OK\r\n'); }
        else if (cmd === 'DATA') { inData = true; sock.write('354 go ahead\r\n'); }
        else if (cmd === 'QUIT') { sock.end('221 bye\r\n'); return; }
        else sock.write('250 OK\r\n');
      }
    });
  });
  await new Promise((res) => server.listen(0, '127.0.0.1', res));
  return {
    port: server.address().port,
    messages,
    /* Resolves with the first message to `email` that matches `re`. */
    async waitFor(email, re = /./, timeoutMs = 15000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const m = messages.find((x) => x.to.some((t) => t.toLowerCase() === email.toLowerCase()) && re.test(x.text));
        if (m) return m;
        if (Date.now() > deadline) throw new Error(`no mail to ${email} within ${timeoutMs} ms`);
        await new Promise((res) => { waiters.push(res); setTimeout(res, 200); });
      }
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((res) => server.close(res));
    },
  };
}

/* Fresh demo database, the server on a free port, an SMTP sink. */
export async function startServer() {
  const dir = mkdtempSync(join(tmpdir(), 'tb-prog-'));
  const db = join(dir, 'demo.db');
  execFileSync(binary(), ['demo', '--db', db, '--no-serve', '--force'], { stdio: 'ignore' });
  const smtp = await startSmtpSink();
  const child = spawn(binary(), ['serve', '--db', db, '--listen', '127.0.0.1:0', '--threads', '4',
    '--smtp-url', `smtp://127.0.0.1:${smtp.port}`, '--public-url', 'http://test.local',
    '--password-cost', 'min', '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((res) => child.on('exit', (code, signal) => res({ code, signal })));
  let out = '';
  const base = await new Promise((res, rej) => {
    const t = setTimeout(() => rej(new Error(`server did not start within 60 s: stdout ${out} stderr ${stderr}`)), 60000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[\d.]+:\d+)/);
      if (m) { clearTimeout(t); res(m[1]); }
    });
    child.on('exit', (code, signal) => { clearTimeout(t); rej(new Error(`server exited ${code} ${signal}: ${stderr}`)); });
  }).catch(async (e) => {
    child.kill('SIGKILL');
    await smtp.close();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  });
  return {
    base, smtp, db, child,
    stderr: () => stderr,
    async stop() {
      child.kill('SIGTERM');
      const r = await exited;
      await smtp.close();
      rmSync(dir, { recursive: true, force: true });
      assert.equal(r.code, 0, `server exit after SIGTERM: ${JSON.stringify(r)}\n${stderr.slice(-4000)}`);
      assert.ok(!/AddressSanitizer|LeakSanitizer|runtime error:/.test(stderr), `sanitizer report in the server log:\n${stderr.slice(-6000)}`);
    },
  };
}

export class Client {
  constructor(base) { this.base = base; this.cookie = null; this.csrf = null; this.me = null; }

  async req(method, path, body, headers = {}) {
    const h = { ...headers };
    if (this.cookie) h.Cookie = this.cookie;
    if (this.csrf && !['GET', 'HEAD'].includes(method)) h['X-CSRF-Token'] = this.csrf;
    let payload;
    if (body instanceof Uint8Array || Buffer.isBuffer(body)) {
      payload = body;
    } else if (body !== undefined) {
      payload = JSON.stringify(body);
      if (!h['Content-Type']) h['Content-Type'] = 'application/json';
    }
    const r = await fetch(this.base + path, { method, headers: h, body: payload });
    const ct = r.headers.get('content-type') || '';
    let data = null;
    if (ct.includes('json')) {
      const t = await r.text();
      data = t ? JSON.parse(t) : null;
    } else {
      data = Buffer.from(await r.arrayBuffer());
    }
    return { status: r.status, headers: r.headers, body: data };
  }

  get(p, h) { return this.req('GET', p, undefined, h); }
  post(p, b, h) { return this.req('POST', p, b, h); }
  patch(p, b, h) { return this.req('PATCH', p, b, h); }
  put(p, b, h) { return this.req('PUT', p, b, h); }
  del(p, h) { return this.req('DELETE', p, undefined, h); }

  async login(email, password = PASSWORD) {
    const r = await this.req('POST', '/api/v1/auth/login', { email, password });
    if (r.status !== 200) return r;
    const set = r.headers.get('set-cookie') || '';
    const m = set.match(/tb_session=([^;]*)/);
    this.cookie = `tb_session=${m[1]}`;
    this.csrf = r.body.csrf_token;
    this.me = r.body;
    return r;
  }
}

export async function login(base, email, password = PASSWORD) {
  const c = new Client(base);
  const r = await c.login(email, password);
  assert.equal(r.status, 200, `login ${email}: ${JSON.stringify(r.body)}`);
  return c;
}

/* Asserts status (with the body in the message) and returns the body. */
export function expect(r, status, what = '') {
  assert.equal(r.status, status, `${what} expected ${status}, got ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

/* Asserts an error response: status, code (optional) and field (optional). */
export function expectError(r, status, { code, field, message } = {}, what = '') {
  const b = expect(r, status, what);
  assert.ok(b && b.error, `${what} no error object: ${JSON.stringify(b)}`);
  if (code !== undefined) assert.equal(b.error.code, code, `${what} error code: ${JSON.stringify(b.error)}`);
  if (field !== undefined) {
    if (field instanceof RegExp) assert.match(b.error.field, field, `${what} error field: ${JSON.stringify(b.error)}`);
    else assert.equal(b.error.field, field, `${what} error field: ${JSON.stringify(b.error)}`);
  }
  if (message !== undefined) assert.match(b.error.message, message, `${what} error message: ${JSON.stringify(b.error)}`);
  return b.error;
}

/* Invites someone with a role bound to a record, accepts, logs in. */
export async function inviteAndLogin(srv, staff, { email, name, role, subject_type, subject_id, org_id }) {
  const body = { email, name, role };
  if (subject_type) { body.subject_type = subject_type; body.subject_id = subject_id; }
  if (org_id) body.org_id = org_id;
  expect(await staff.post('/api/v1/invitations', body), 201, `invite ${email}`);
  const mail = await srv.smtp.waitFor(email, /accept-invitation\?token=/);
  const m = mail.text.match(/http:\/\/test\.local\/#\/accept-invitation\?token=([A-Za-z0-9_-]+)/);
  assert.ok(m, `invitation link in: ${mail.text}`);
  const password = `Pw-${role}-${Math.random().toString(36).slice(2)}-2026!`;
  const anon = new Client(srv.base);
  expect(await anon.post('/api/v1/auth/accept-invitation', { token: m[1], password }), 200, 'accept invitation');
  const c = await login(srv.base, email, password);
  c.userId = c.me.user.id;   // the account exists once the invitation is accepted
  c.password = password;
  c.email = email;
  return c;
}

let seq = 0;
export const uniq = (p = 'x') => `${p}-${process.pid}-${++seq}`;

export async function mkCompany(c, extra = {}) {
  return expect(await c.post('/api/v1/companies', { legal_name: uniq('Company AB'), country: 'SE', ...extra }), 201, 'create company');
}
export async function mkGraduate(c, extra = {}) {
  return expect(await c.post('/api/v1/graduates', { name: uniq('Graduate'), ...extra }), 201, 'create graduate');
}
export async function mkCohort(c, extra = {}) {
  return expect(await c.post('/api/v1/cohorts', { name: uniq('Cohort'), start_date: '2027-01-01', end_date: '2027-12-31', ...extra }), 201, 'create cohort');
}
export async function mkPosition(c, company_id, extra = {}) {
  return expect(await c.post('/api/v1/positions', { company_id, title: uniq('Export trainee'), ...extra }), 201, 'create position');
}
/* A position moved through the staff path to open. */
export async function mkOpenPosition(staff, company_id, extra = {}) {
  const p = await mkPosition(staff, company_id, extra);
  for (const s of ['submitted', 'approved', 'open'])
    expect(await staff.post(`/api/v1/positions/${p.id}/status`, { status: s }), 200, `position -> ${s}`);
  return expect(await staff.get(`/api/v1/positions/${p.id}`), 200);
}

/* Every page of a list. */
export async function listAll(c, path) {
  const items = [];
  let cursor = null;
  for (let i = 0; i < 100; i++) {
    const sep = path.includes('?') ? '&' : '?';
    const r = expect(await c.get(path + (cursor ? `${sep}cursor=${encodeURIComponent(cursor)}` : '')), 200, `list ${path}`);
    items.push(...r.items);
    if (!r.next_cursor) break;
    cursor = r.next_cursor;
  }
  return items;
}

export const ids = (items) => items.map((x) => x.id);

/* Audit entries about one record, oldest first; changes parsed. */
export async function auditOf(c, entity, id) {
  const items = await listAll(c, `/api/v1/audit?entity=${entity}&entity_id=${id}&limit=200`);
  for (const a of items) if (typeof a.changes === 'string') a.changes = JSON.parse(a.changes);
  return items.sort((a, b) => a.id - b.id);
}

/* A small valid PDF document. */
export function makePdf(text = 'CV') {
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>',
  ];
  const stream = `BT /F1 12 Tf 20 100 Td (${text}) Tj ET`;
  objs.push(`<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`);
  let out = '%PDF-1.4\n';
  const offs = [];
  objs.forEach((o, i) => { offs.push(out.length); out += `${i + 1} 0 obj\n${o}\nendobj\n`; });
  const xref = out.length;
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`;
  for (const o of offs) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/* A request whose body the server may refuse before reading it (413 by
 * Content-Length): sent with "Expect: 100-continue" so the server can answer
 * before the body is on the wire. */
export async function rawRequest(client, method, path, body, headers = {}) {
  const http = await import('node:http');
  const url = new URL(client.base + path);
  const h = { ...headers, 'Content-Length': String(body.length), Expect: '100-continue' };
  if (client.cookie) h.Cookie = client.cookie;
  if (client.csrf) h['X-CSRF-Token'] = client.csrf;
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers: h }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed = text;
        try { parsed = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
        resolve({ status: res.statusCode, headers: res.headers, body: parsed });
      });
    });
    req.on('continue', () => req.end(body));
    req.on('error', reject);
  });
}
