// openapi.test.mjs - the API contract: GET /api/v1/openapi.json is the
// OpenAPI 3.1 document generated from the route table (every route, once),
// public and cacheable, equal to `tradebridge openapi`; the API reference page
// renders it under the strict CSP; and lib.mjs's contract check (every API
// test's responses) refuses what breaks the document.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, request, runCli, USERS, BINARY } from './lib.mjs';
import { contractViolation } from './contract.mjs';

let srv, coord;

before(async () => {
  srv = await startServer();
  coord = await login(srv.base, USERS.coordinator.email);
});
after(async () => { if (srv) await srv.stop(); });

test('GET /api/v1/openapi.json: public, cacheable, OpenAPI 3.1, the same as `tradebridge openapi`', async () => {
  const r = await request(srv.base, 'GET', '/api/v1/openapi.json');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  assert.match(r.headers.get('cache-control'), /public/);
  assert.equal(r.json.openapi, '3.1.0');
  const etag = r.headers.get('etag');
  assert.ok(etag);
  const again = await request(srv.base, 'GET', '/api/v1/openapi.json', null, { headers: { 'If-None-Match': etag } });
  assert.equal(again.status, 304);
  const cli = runCli(['openapi']);
  assert.equal(cli.status, 0, cli.stderr);
  assert.deepEqual(JSON.parse(cli.stdout), r.json);
});

test('every route of the route table is one operation, with summary, roles and a success answer', async () => {
  const doc = (await request(srv.base, 'GET', '/api/v1/openapi.json')).json;
  const routes = JSON.parse(runCli(['routes', '--json']).stdout);
  let ops = 0;
  for (const item of Object.values(doc.paths)) ops += Object.keys(item).length;
  assert.equal(ops, routes.length, 'one operation per route');
  for (const rt of routes) {
    let n = 0;
    const tmpl = rt.path.replace(/\{id\}/g, () => (++n === 1 ? '{id}' : `{id${n}}`));
    const op = doc.paths[tmpl]?.[rt.method.toLowerCase()];
    assert.ok(op, `${rt.method} ${rt.path} is in the document`);
    assert.ok(op.summary && op.summary !== rt.path, `${rt.method} ${rt.path} has a summary`);
    assert.ok(Object.keys(op.responses).some((s) => s < '300'), `${rt.method} ${rt.path} declares a success`);
    if (rt.public) assert.deepEqual(op.security, [], `${rt.method} ${rt.path} is public`);
    else assert.deepEqual(op['x-roles'], rt.roles, `${rt.method} ${rt.path} names its roles`);
  }
  // declared fields become the request schemas: a company needs legal_name and country
  const body = doc.paths['/api/v1/companies'].post.requestBody.content['application/json'].schema;
  const schema = doc.components.schemas[body.$ref.split('/').pop()];
  assert.deepEqual(schema.required, ['legal_name', 'country']);
  assert.equal(schema.properties.legal_name.maxLength, 200);
  assert.equal(schema.additionalProperties, false);
  // one shared error schema, the real error body
  const err = await coord.post('/api/v1/companies', { country: 'SE' });
  assert.equal(err.status, 400);
  const e400 = doc.paths['/api/v1/companies'].post.responses['400'].content['application/json'].schema;
  assert.equal(e400.$ref, '#/components/schemas/Error');
  assert.deepEqual(Object.keys(err.json.error).sort(), ['code', 'field', 'message']);
});

test('the contract check refuses an undeclared status and a body that breaks the schema', async () => {
  const h = new Headers({ 'content-type': 'application/json' });
  const page = { items: [{ id: 1, legal_name: 'Acme AB' }], next_cursor: null };
  assert.equal(contractViolation(BINARY, 'GET', '/api/v1/companies?limit=2', { status: 200, headers: h, json: page, text: JSON.stringify(page) }), null);
  const teapot = contractViolation(BINARY, 'GET', '/api/v1/companies', { status: 418, headers: h, json: {}, text: '{}' });
  assert.match(teapot, /^GET \/api\/v1\/companies: status 418 is not declared/);
  const bad = { items: [{ id: 'one' }], next_cursor: null };
  const broken = contractViolation(BINARY, 'GET', '/api/v1/companies', { status: 200, headers: h, json: bad, text: JSON.stringify(bad) });
  assert.match(broken, /^GET \/api\/v1\/companies: status 200 body breaks the schema at \/items\/0\/id: must be integer/);
  const noError = { message: 'x' };
  assert.match(contractViolation(BINARY, 'POST', '/api/v1/companies', { status: 400, headers: h, json: noError, text: JSON.stringify(noError) }),
    /status 400 body breaks the schema at \/: must have required property 'error'/);
  // static files and unknown paths are not routes of the contract
  assert.equal(contractViolation(BINARY, 'GET', '/app.js', { status: 200, headers: h, json: null, text: '' }), null);
});

test('the API reference page is served under the strict CSP and loads only same-origin scripts', async () => {
  const r = await request(srv.base, 'GET', '/api-reference');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/html/);
  const csp = r.headers.get('content-security-policy');
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  assert.match(r.text, /<script type="module" src="\/api-reference\.js"><\/script>/);
  assert.doesNotMatch(r.text.replace(/<script[^>]*src="[^"]*"><\/script>/g, ''), /<script|<style|\sstyle=|\son[a-z]+=/i, 'no inline script, style or handler');
  const js = await request(srv.base, 'GET', '/api-reference.js');
  assert.equal(js.status, 200);
  assert.match(js.text, /fetch\('\/api\/v1\/openapi\.json'\)/);
  assert.doesNotMatch(js.text, /innerHTML|eval\(|new Function/);
});

test('record schemas carry the read-only columns their declarations name (records/<type>.json, "input": false)', async () => {
  const doc = (await request(srv.base, 'GET', '/api/v1/openapi.json')).json;
  const s = doc.components.schemas;
  assert.deepEqual(s.position.properties.status, { type: ['string', 'null'], readOnly: true });
  assert.deepEqual(s.graduate.properties.consent, { type: ['object', 'null'], readOnly: true });
  assert.equal(s.placement.properties.locked_at.readOnly, true);
  // what a client sends stays writable, and a read-only column is never in a body's schema
  assert.equal(s.position.properties.title.readOnly, undefined);
  assert.equal(s.postPositionsBody.properties.status, undefined);
  // and the API answers it: a listed position carries its status
  const pos = (await coord.get('/api/v1/positions?limit=1')).json.items[0];
  assert.equal(typeof pos.status, 'string');
});
