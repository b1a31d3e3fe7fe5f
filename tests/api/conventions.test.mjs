// conventions.test.mjs - what every endpoint shares: the error shape, body
// validation, size limits and framing, security headers, paging rules,
// 404/405/413/415, health, metrics, code lists and the web page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, login, request, assertError, rawExchange, parseRawResponse, httpChunked, USERS, resolveUserIds,
} from './lib.mjs';

let srv, coord, admin;

before(async () => {
  srv = await startServer();
  coord = await login(srv.base, USERS.coordinator.email);
  admin = await login(srv.base, USERS.admin.email);
  await resolveUserIds(admin);
});
after(async () => { if (srv) await srv.stop(); });

function assertSecurityHeaders(h, what) {
  const csp = h.get('content-security-policy');
  assert.ok(csp, `${what}: Content-Security-Policy present`);
  const scriptSrc = (csp.match(/script-src ([^;]*)/) || [])[1];
  assert.ok(scriptSrc, `${what}: CSP has script-src`);
  assert.ok(!scriptSrc.includes("'unsafe-inline'"), `${what}: no 'unsafe-inline' in script-src`);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.equal(h.get('x-content-type-options'), 'nosniff', what);
  assert.equal(h.get('referrer-policy'), 'same-origin', what);
}

test('GET /healthz answers {"status":"ok"} and names the database', async () => {
  const r = await request(srv.base, 'GET', '/healthz');
  assert.equal(r.status, 200);
  assert.deepEqual(r.json, { status: 'ok', database: process.env.TB_PG_ADMIN ? 'postgresql' : 'sqlite' });
  assert.match(r.headers.get('content-type'), /^application\/json/);
});

test('an unknown API path is 404 with a JSON error', async () => {
  const r = await coord.get('/api/v1/nope');
  assertError(r, 404, 'not_found');
  assertError(await coord.get('/api/v1/orgs/abc'), 404, 'not_found');
  assertError(await coord.get('/api/v1/orgs/0'), 404, 'not_found');
  assertError(await request(srv.base, 'GET', '/api/v1/nope'), 404, 'not_found');
});

test('a method the path does not have is 405 with an Allow header', async () => {
  const r = await coord.del('/api/v1/me');
  assertError(r, 405, 'method_not_allowed');
  const allow = r.headers.get('allow').split(/,\s*/).sort();
  assert.deepEqual(allow, ['GET', 'PATCH']);
  const put = await coord.put('/api/v1/orgs/2', { name: 'x' });
  assertError(put, 405, 'method_not_allowed');
  assert.deepEqual(put.headers.get('allow').split(/,\s*/).sort(), ['DELETE', 'GET', 'PATCH']);
});

test('every response carries the security headers: API, errors, the web page', async () => {
  assertSecurityHeaders((await coord.get('/api/v1/me')).headers, 'GET /api/v1/me');
  assertSecurityHeaders((await request(srv.base, 'GET', '/api/v1/me')).headers, '401');
  assertSecurityHeaders((await request(srv.base, 'GET', '/api/v1/nope')).headers, '404');
  assertSecurityHeaders((await request(srv.base, 'GET', '/')).headers, 'GET /');
  assertSecurityHeaders((await request(srv.base, 'GET', '/healthz')).headers, '/healthz');
});

test('API answers are not cached (Cache-Control: no-store)', async () => {
  assert.equal((await coord.get('/api/v1/me')).headers.get('cache-control'), 'no-store');
});

test('GET / serves the HTML page with Cache-Control; an unknown asset is 404', async () => {
  const r = await request(srv.base, 'GET', '/');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/html/);
  assert.match(r.text, /^<!doctype html>/i);
  assert.ok(r.headers.get('cache-control'), 'Cache-Control set');
  assert.match(r.headers.get('cache-control'), /no-cache|max-age/);
  assert.ok(!/<script(?![^>]*\bsrc=)[^>]*>\s*\S/i.test(r.text), 'no inline scripts (CSP forbids them)');
  assert.equal((await request(srv.base, 'GET', '/no-such-file.js')).status, 404);
  const spa = await request(srv.base, 'GET', '/some/page');
  assert.equal(spa.status, 200, 'paths without an extension are pages of the UI');
});

test('a body that is not application/json is 415 unsupported_media_type', async () => {
  const r = await coord.post('/api/v1/tokens', 'name=x', { headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  assertError(r, 415, 'unsupported_media_type', { field: 'Content-Type' });
  const t = await coord.post('/api/v1/tokens', '{"name":"x"}', { headers: { 'Content-Type': 'text/plain' } });
  assertError(t, 415, 'unsupported_media_type');
});

test('invalid JSON is 400 naming the problem; a non-object body is 400', async () => {
  const r = await coord.post('/api/v1/tokens', '{"name": ');
  assertError(r, 400, 'validation_failed', { message: /^body: not valid JSON/ });
  assertError(await coord.post('/api/v1/tokens', '["name"]'), 400, 'validation_failed', { message: 'body: expected a JSON object' });
  assertError(await coord.post('/api/v1/tokens', '{"name":"a","name":"b"}'), 400, 'validation_failed', { message: /^body: not valid JSON/ });
  assertError(await coord.post('/api/v1/tokens', Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d])), 400, 'validation_failed', { message: /UTF-8/ });
});

test('validation errors name the field: unknown, required, wrong type, too long, bad email', async () => {
  assertError(await coord.post('/api/v1/tokens', { name: 'ok', colour: 'red' }), 400, 'validation_failed',
    { field: 'colour', message: 'colour: unknown field' });
  assertError(await coord.post('/api/v1/tokens', {}), 400, 'validation_failed', { field: 'name', message: 'name: is required' });
  assertError(await coord.post('/api/v1/tokens', { name: null }), 400, 'validation_failed', { field: 'name', message: 'name: is required' });
  assertError(await coord.post('/api/v1/tokens', { name: ['x'] }), 400, 'validation_failed', { field: 'name', message: 'name: expected a string' });
  assertError(await coord.post('/api/v1/tokens', { name: 'x'.repeat(101) }), 400, 'validation_failed',
    { field: 'name', message: 'name: must be at most 100 characters' });
  assertError(await coord.post('/api/v1/tokens', { name: 'tab\there' }), 400, 'validation_failed', { field: 'name' });
  assertError(await request(srv.base, 'POST', '/api/v1/auth/password-reset', { email: 'no-at-sign.example' }), 400, 'validation_failed',
    { field: 'email', message: 'email: not a valid address' });
  assertError(await coord.patch('/api/v1/orgs/2', { name: 'ITM Sweden', version: 1.5 }), 400, 'validation_failed',
    { field: 'version', message: 'version: expected a whole number' });
});

test('length limits count characters, not bytes', async () => {
  const r = await coord.post('/api/v1/tokens', { name: 'ö'.repeat(100) });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.name, 'ö'.repeat(100));
});

test('setting a required field to null in a PATCH is a 400 on that field, not a conflict', async () => {
  const org = await coord.get('/api/v1/orgs/2');
  const r = await coord.patch('/api/v1/orgs/2', { name: null, version: org.json.version });
  assert.equal(r.status, 400, `PATCH {"name":null}: ${r.text}`);
  assert.equal(r.json.error.field, 'name');
  const u = await coord.get(`/api/v1/users/${USERS.mentor.id}`);
  const r2 = await coord.patch(`/api/v1/users/${USERS.mentor.id}`, { name: null, version: u.json.version });
  assert.equal(r2.status, 400, `PATCH user {"name":null}: ${r2.text}`);
  assert.equal(r2.json.error.field, 'name');
});

test('a national operator\'s country cannot be removed with {"country": null}', async () => {
  const org = await admin.get('/api/v1/orgs/4');
  const r = await admin.patch('/api/v1/orgs/4', { country: null, version: org.json.version });
  const after = await admin.get('/api/v1/orgs/4');
  assert.equal(after.json.country, 'EE', `operator lost its country (PATCH answered ${r.status} ${r.text})`);
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.error.field, 'country');
});

test('an endpoint without a body refuses one', async () => {
  const r = await coord.post('/api/v1/auth/logout', { please: true });
  assertError(r, 400, 'validation_failed', { message: 'body: this endpoint takes no request body' });
  assert.equal((await coord.get('/api/v1/me')).status, 200, 'still signed in');
});

test('paging: limit must be 1..200 (0, 201, text are 400 on limit); a garbage cursor is 400 on cursor', async () => {
  for (const bad of ['0', '201', 'ten', '', '-1', '5x']) {
    assertError(await admin.get(`/api/v1/orgs?limit=${bad}`), 400, 'validation_failed', { field: 'limit' });
  }
  assert.equal((await admin.get('/api/v1/orgs?limit=200')).status, 200);
  assert.equal((await admin.get('/api/v1/orgs?limit=1')).json.items.length, 1);
  for (const bad of ['garbage!!', 'AAAA', 'bm90IGEgY3Vyc29y']) {
    assertError(await admin.get(`/api/v1/orgs?cursor=${bad}`), 400, 'validation_failed', { field: 'cursor' });
  }
  assertError(await admin.get('/api/v1/users?limit=0'), 400, 'validation_failed', { field: 'limit' });
  assertError(await admin.get('/api/v1/audit?limit=201'), 400, 'validation_failed', { field: 'limit' });
  assertError(await admin.get('/api/v1/tokens?cursor=zzzz'), 400, 'validation_failed', { field: 'cursor' });
});

test('paging: every list answers {"items":[...],"next_cursor":string|null}', async () => {
  for (const path of ['/api/v1/orgs', '/api/v1/users', '/api/v1/audit', '/api/v1/tokens']) {
    const r = await admin.get(`${path}?limit=1`);
    assert.equal(r.status, 200, `${path}: ${r.text}`);
    assert.deepEqual(Object.keys(r.json).sort(), ['items', 'next_cursor'], path);
    assert.ok(Array.isArray(r.json.items));
    assert.ok(r.json.next_cursor === null || typeof r.json.next_cursor === 'string');
  }
});

test('a body over 1 MiB is 413 payload_too_large (Content-Length announced)', async () => {
  const head = `POST /api/v1/tokens HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
    `Cookie: tb_session=${coord.cookie}\r\nX-CSRF-Token: ${coord.csrf}\r\nContent-Length: ${2 * 1024 * 1024}\r\n\r\n`;
  const res = parseRawResponse(await rawExchange(srv.port, head + '{"name":"'));
  assert.equal(res.status, 413, res.body);
  assert.equal(res.json?.error?.code, 'payload_too_large');
});

test('a body over 1 MiB sent chunked (no Content-Length) is 413 too', async () => {
  const chunk = Buffer.alloc(64 * 1024, 'a');
  const chunks = [Buffer.from('{"name":"')];
  for (let i = 0; i < 20; i++) chunks.push(chunk);
  chunks.push(Buffer.from('"}'));
  const r = await httpChunked(srv.port, 'POST', '/api/v1/tokens', chunks,
    { Cookie: `tb_session=${coord.cookie}`, 'X-CSRF-Token': coord.csrf });
  assert.equal(r.status, 413, r.text);
  assert.equal(r.json?.error?.code, 'payload_too_large');
  const list = await coord.get('/api/v1/tokens?limit=200');
  assert.ok(!list.json.items.some((t) => t.name.startsWith('aaaa')), 'nothing was created');
});

test('a chunked body under the limit is accepted', async () => {
  const r = await httpChunked(srv.port, 'POST', '/api/v1/tokens', [Buffer.from('{"name":'), Buffer.from('"chunked"}')],
    { Cookie: `tb_session=${coord.cookie}`, 'X-CSRF-Token': coord.csrf });
  assert.equal(r.status, 201, r.text);
});

test('a request with both Content-Length and Transfer-Encoding is 400', async () => {
  const body = '{"email":"a@b.cd","password":"x"}';
  const raw = `POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${body.length}\r\nTransfer-Encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`;
  const res = parseRawResponse(await rawExchange(srv.port, raw));
  assert.equal(res.status, 400, res.body);
  assert.ok(res.json && res.json.error, `a JSON error: ${res.body}`);
});

test('HEAD works on GET routes and sends no body', async () => {
  const r = await request(srv.base, 'HEAD', '/healthz');
  assert.equal(r.status, 200);
  assert.equal(r.text, '');
});

test('GET /metrics is Prometheus text with request counts, latency histogram, connections and DB errors', async () => {
  await request(srv.base, 'GET', '/healthz');
  const r = await request(srv.base, 'GET', '/metrics');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/plain/);
  const m = r.text.match(/^tradebridge_http_requests_total\{method="GET",route="\/healthz",status="200"\} (\d+)$/m);
  assert.ok(m && Number(m[1]) >= 1, `healthz counted:\n${r.text}`);
  assert.match(r.text, /^tradebridge_http_requests_total\{method="POST",route="\/api\/v1\/auth\/login",status="200"\} [1-9]\d*$/m);
  assert.match(r.text, /^tradebridge_http_requests_total\{method="PATCH",route="\/api\/v1\/orgs\/\{id\}",status="400"\} [1-9]\d*$/m,
    'counted by route pattern, not by raw path');
  assert.match(r.text, /^tradebridge_http_request_duration_seconds_bucket\{le="0\.005"\} \d+$/m);
  assert.match(r.text, /^tradebridge_http_request_duration_seconds_bucket\{le="\+Inf"\} \d+$/m);
  assert.match(r.text, /^tradebridge_http_request_duration_seconds_count \d+$/m);
  assert.match(r.text, /^tradebridge_http_open_connections \d+$/m);
  assert.match(r.text, /^tradebridge_db_errors_total \d+$/m);
  assert.match(r.text, /^# TYPE tradebridge_http_requests_total counter$/m);
  assert.match(r.text, /^# TYPE tradebridge_http_request_duration_seconds histogram$/m);
});

test('code lists: countries?q=swe puts Sweden (SE) first; an unknown list is 404', async () => {
  const r = await request(srv.base, 'GET', '/api/v1/codes/countries?q=swe');
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.items.length >= 1);
  assert.equal(r.json.items[0].code, 'SE');
  assert.equal(r.json.items[0].name, 'Sweden');
  const all = await request(srv.base, 'GET', '/api/v1/codes/countries?limit=200');
  assert.ok(all.json.items.length >= 200);
  assertError(await request(srv.base, 'GET', '/api/v1/codes/planets'), 404, 'not_found');
  assertError(await request(srv.base, 'GET', '/api/v1/codes/countries?limit=0'), 400, 'validation_failed', { field: 'limit' });
});

test('the server exits with status 0 on SIGTERM', async () => {
  await srv.stop();
});
