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
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';
import tls from 'node:tls';
import https from 'node:https';
import http from 'node:http';
import { startServer, parseRawResponse, sleep, SLOW_MS } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const NGINX = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));
const OPENSSL = ['/usr/bin/openssl', '/usr/local/bin/openssl'].find((p) => existsSync(p));
const skip = !NGINX ? 'nginx is not installed (scripts/install-deps.sh test installs it)'
  : !OPENSSL ? 'openssl is not installed (needed for a test certificate)' : false;

let srv, dir, nginx, nginxErr = '', tlsPort, plainPort;

function freePort() {
  return new Promise((r, j) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => r(port)); });
    s.on('error', j);
  });
}

/** deploy/nginx.conf with the test's ports, certificate and a short header timeout. */
function derivedConfig(upstreamPort) {
  let c = readFileSync(resolve(here, '../../deploy/nginx.conf'), 'utf8');
  const sub = (re, to) => {
    assert.match(c, re, `deploy/nginx.conf still has ${re}`);
    c = c.replace(re, to);
  };
  sub(/server 127\.0\.0\.1:8080;/, `server 127.0.0.1:${upstreamPort};`);
  sub(/listen 80;/, `listen 127.0.0.1:${plainPort};`);
  sub(/listen 443 ssl;/, `listen 127.0.0.1:${tlsPort} ssl;`);
  c = c.replace(/^\s*listen \[::\]:\d+.*$/gm, '');
  sub(/ssl_certificate\s+\S+;/, `ssl_certificate ${dir}/cert.pem;`);
  sub(/ssl_certificate_key\s+\S+;/, `ssl_certificate_key ${dir}/key.pem;`);
  sub(/client_header_timeout \S+;/, 'client_header_timeout 2s;');
  const asRoot = process.getuid && process.getuid() === 0 ? 'user root;' : '';
  return `${asRoot}\nworker_processes 1;\ndaemon off;\npid ${dir}/nginx.pid;\nerror_log ${dir}/error.log info;\n` +
    `events { worker_connections 256; }\nhttp {\n  access_log ${dir}/access.log;\n` +
    ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${dir}/${t};\n`).join('') +
    `${c}\n}\n`;
}

before(async () => {
  if (skip) return;
  srv = await startServer({ logLevel: 'info' });
  dir = mkdtempSync(join(tmpdir(), 'tb-nginx-'));
  tlsPort = await freePort();
  plainPort = await freePort();
  const cert = spawnSync(OPENSSL, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { encoding: 'utf8' });
  assert.equal(cert.status, 0, cert.stderr);
  writeFileSync(join(dir, 'nginx.conf'), derivedConfig(srv.port));
  const t = spawnSync(NGINX, ['-t', '-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], { encoding: 'utf8' });
  assert.equal(t.status, 0, `nginx -t:\n${t.stderr}`);
  nginx = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'] });
  nginx.stderr.setEncoding('utf8').on('data', (d) => { nginxErr += d; });
  for (let i = 0; ; i++) {
    const up = await new Promise((r) => {
      const s = net.connect(tlsPort, '127.0.0.1', () => { s.destroy(); r(true); });
      s.on('error', () => r(false));
    });
    if (up) break;
    assert.ok(i < SLOW_MS / 50 && nginx.exitCode === null, `nginx did not start:\n${nginxErr}`);
    await sleep(50);
  }
});

after(async () => {
  if (nginx && nginx.exitCode === null) {
    const gone = new Promise((r) => nginx.on('exit', r));
    nginx.kill('SIGQUIT');   // graceful shutdown
    await Promise.race([gone, sleep(10_000)]);
    if (nginx.exitCode === null) nginx.kill('SIGKILL');
  }
  if (srv) await srv.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
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
