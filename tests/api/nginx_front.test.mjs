// nginx_front.test.mjs - deploy/nginx.conf in front of the server, as the
// README asks for in production. The config is used as shipped except for
// test ports, a throw-away self-signed certificate, the upstream's port and a
// 2 s client_header_timeout. Through it: ambiguous framing is refused by
// nginx (400) and never reaches the server; a client that sends its header
// slowly is cut off while normal requests keep being answered; body limits
// and the HTTP->HTTPS redirect. Skipped when nginx is not installed
// (scripts/install-deps.sh test installs it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import tls from 'node:tls';
import https from 'node:https';
import http from 'node:http';
import { startServer, parseRawResponse, sleep, SLOW_MS } from './lib.mjs';
import { NGINX_SKIP as skip, startNginx } from './nginx_lib.mjs';

let srv, nginx, tlsPort, plainPort;

before(async () => {
  if (skip) return;
  srv = await startServer({ logLevel: 'info' });
  nginx = await startNginx([srv.port], { headerTimeout: '2s' });
  ({ tlsPort, plainPort } = nginx);
});

after(async () => {
  if (nginx) await nginx.stop();
  if (srv) await srv.stop();
});

/** Raw bytes over TLS to nginx; everything it answers until it closes (or timeoutMs). */
function tlsExchange(bytes, { timeoutMs = 15_000 } = {}) {
  return new Promise((resolveP, reject) => {
    const sock = tls.connect({ host: '127.0.0.1', port: tlsPort, servername: 'localhost', rejectUnauthorized: false });
    let data = '';
    const timer = setTimeout(() => { sock.destroy(); resolveP(data); }, timeoutMs);
    sock.setEncoding('latin1');
    sock.on('data', (d) => { data += d; });
    sock.on('error', (e) => { if (!data) { clearTimeout(timer); reject(e); } });
    sock.on('close', () => { clearTimeout(timer); resolveP(data); });
    sock.on('secureConnect', () => sock.write(bytes));
  });
}

/** One request through nginx over TLS. */
function viaNginx(method, path, body, headers = {}, { mod = https, port = tlsPort } = {}) {
  return new Promise((resolveP, reject) => {
    const req = mod.request({ host: '127.0.0.1', port, method, path, servername: 'localhost',
      rejectUnauthorized: false, agent: false, headers: { Host: 'localhost', ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => {
        let json = null;
        try { json = JSON.parse(text); } catch { /* nginx's own pages are HTML */ }
        resolveP({ status: res.statusCode, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const accessLines = () => srv.stderr().split('\n').filter((l) => / access /.test(l));

test('requests pass through nginx to the server', { skip }, async () => {
  const r = await viaNginx('GET', '/healthz');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'ok');
  // The server writes its access line once the answer is queued: nginx may relay the answer first.
  for (let i = 0; i < 100 && !accessLines().some((l) => /GET \/healthz 200/.test(l)); i++) await sleep(20);
  assert.ok(accessLines().some((l) => /GET \/healthz 200/.test(l)), 'the server answered it');
  const login = await viaNginx('POST', '/api/v1/auth/login', JSON.stringify({ email: 'nobody@example.org', password: 'wrong' }),
    { 'Content-Type': 'application/json' });
  assert.equal(login.status, 401, login.text);
  assert.ok(login.json && login.json.error, 'a JSON error from the server');
});

test('plain HTTP is redirected to HTTPS', { skip }, async () => {
  const r = await viaNginx('GET', '/api/v1/me', undefined, { Host: 'tradebridge.example.org' }, { mod: http, port: plainPort });
  assert.equal(r.status, 301);
  assert.equal(r.headers.location, 'https://tradebridge.example.org/api/v1/me');
});

// Each probe carries a second request in its body: if anything downstream
// read the framing differently, that request would reach the server.
const smuggled = 'GET /smuggled HTTP/1.1\r\nHost: localhost\r\n\r\n';
const chunked = `${smuggled.length.toString(16)}\r\n${smuggled}\r\n0\r\n\r\n`;
const head = 'POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n';
const probes = {
  'folded Content-Length': `${head}Content-Length:\r\n ${chunked.length}\r\n\r\n${chunked}`,
  '"Transfer-Encoding : chunked" with Content-Length': `${head}Content-Length: 5\r\nTransfer-Encoding : chunked\r\n\r\n${chunked}`,
  'folded Transfer-Encoding with Content-Length': `${head}Content-Length: 5\r\nTransfer-Encoding:\r\n chunked\r\n\r\n${chunked}`,
  '"Content-Length : 50" beside "Content-Length: 5"': `${head}Content-Length : 50\r\nContent-Length: 5\r\n\r\n${chunked}`,
  'Content-Length with Transfer-Encoding': `${head}Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n${chunked}`,
};

for (const [name, raw] of Object.entries(probes)) {
  test(`${name}: 400 from nginx, nothing reaches the server`, { skip }, async () => {
    const before = accessLines().length;
    const res = parseRawResponse(await tlsExchange(raw));
    assert.equal(res.status, 400, JSON.stringify(res));
    assert.match(res.body, /<center>nginx<\/center>/, 'nginx answered, not the server');
    // Then a health check: once the server has logged it, anything the
    // probe had let through would be logged too (nginx keeps the order).
    const ok = await viaNginx('GET', '/healthz');
    assert.equal(ok.status, 200);
    for (let i = 0; i < SLOW_MS / 20 && !accessLines().slice(before).some((l) => / \/healthz /.test(l)); i++) await sleep(20);
    const lines = accessLines().slice(before);
    assert.deepEqual(lines.map((l) => l.split(' ').slice(2, 5).join(' ')), ['GET /healthz 200'],
      'the server saw only the health check that followed');
  });
}

test('a client sending its header slowly is cut off by nginx; others keep being answered', { skip }, async () => {
  const sock = tls.connect({ host: '127.0.0.1', port: tlsPort, servername: 'localhost', rejectUnauthorized: false });
  let answer = '', closed = false, sent = 0;
  sock.setEncoding('latin1');
  sock.on('data', (d) => { answer += d; });
  sock.on('error', () => {});
  const done = new Promise((r) => sock.on('close', () => { closed = true; r(); }));
  await new Promise((r) => sock.on('secureConnect', r));
  sock.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n');
  const others = [];
  // One header line every 250 ms, for at most a minute; the header never ends.
  for (let i = 0; i < 240 && !closed; i++) {
    sock.write(`X-Slow-${i}: y\r\n`);
    sent++;
    if (i % 8 === 0) others.push(viaNginx('GET', '/healthz').then((r) => r.status, (e) => e.message));
    await sleep(250);
  }
  assert.ok(closed, `nginx closed the slow connection (after ${sent} header lines)`);
  await done;
  assert.doesNotMatch(answer, /^HTTP\/1\.1 200/, 'the slow request was never answered');
  const statuses = await Promise.all(others);
  assert.ok(statuses.length > 0);
  assert.deepEqual(statuses, statuses.map(() => 200), 'normal requests were answered meanwhile');
});

test('body limits: 413 from nginx above 1 MiB for JSON; imports may send up to 5 MiB', { skip }, async () => {
  const big = `{"name":"${'a'.repeat(1024 * 1024)}"}`;
  const r = await viaNginx('POST', '/api/v1/tokens', big, { 'Content-Type': 'application/json' });
  assert.equal(r.status, 413);
  assert.match(r.text, /<center>nginx<\/center>/);
  const csv = `legal_name,country\n${'x'.repeat(2 * 1024 * 1024)}\n`;
  const imp = await viaNginx('POST', '/api/v1/import/companies', csv, { 'Content-Type': 'text/csv' });
  assert.notEqual(imp.status, 413, imp.text);
  assert.ok(imp.json && imp.json.error, `the server answered (not signed in): ${imp.status} ${imp.text.slice(0, 200)}`);
});
