// hot_path.test.mjs - the request path reuses per-thread state (request
// contexts and their arenas, prepared statements) between requests: nothing
// of one request may reach the next on the same connection, whoever sends it.
// Also the request-head limit that the per-connection memory pool sets.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer, login, USERS } from './lib.mjs';

let srv, tokenSe, tokenSi;

before(async () => {
  srv = await startServer();
  const se = await login(srv.base, USERS.coordinator.email);
  const si = await login(srv.base, USERS.coordinatorSi.email);
  tokenSe = (await se.post('/api/v1/tokens', { name: 'se' })).json.token;
  tokenSi = (await si.post('/api/v1/tokens', { name: 'si' })).json.token;
  assert.ok(tokenSe && tokenSi);
});
after(async () => { if (srv) await srv.stop(); });

// One request on the agent's single kept-alive socket: {status, json, port}.
function send(agent, method, path, { token, body, headers = {} } = {}) {
  return new Promise((resolveP, reject) => {
    const h = { ...headers };
    if (token) h.Authorization = `Bearer ${token}`;
    if (body) h['Content-Type'] = 'application/json';
    const req = http.request({ host: '127.0.0.1', port: srv.port, method, path, agent, headers: h }, (res) => {
      let text = '';
      const port = res.socket.localPort;
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => {
        let json = null;
        try { json = JSON.parse(text); } catch { /* not JSON */ }
        resolveP({ status: res.statusCode, json, port });
      });
    });
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

test('requests on one kept-alive connection each act with their own credentials and tenant', async () => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const ports = new Set();
  for (let round = 0; round < 3; round++) {
    const se = await send(agent, 'GET', '/api/v1/companies/1', { token: tokenSe });
    assert.equal(se.status, 200);
    assert.equal(se.json.id, 1);
    const si = await send(agent, 'GET', '/api/v1/companies/1', { token: tokenSi });
    assert.equal(si.status, 404, 'another operator\'s company is not found');
    const none = await send(agent, 'GET', '/api/v1/companies/1');
    assert.equal(none.status, 401);
    const bad = await send(agent, 'GET', '/api/v1/companies/1', { token: `${tokenSe.slice(0, -2)}xx` });
    assert.equal(bad.status, 401);
    const made = await send(agent, 'POST', '/api/v1/companies', { token: tokenSi, body: { legal_name: `Kept Alive ${round} d.o.o.`, country: 'SI' } });
    assert.equal(made.status, 201);
    assert.equal(made.json.org_id, 3, 'created in the sender\'s operator');
    const seesIt = await send(agent, 'GET', `/api/v1/companies/${made.json.id}`, { token: tokenSe });
    assert.equal(seesIt.status, 404);
    for (const r of [se, si, none, bad, made, seesIt]) ports.add(r.port);
  }
  assert.equal(ports.size, 1, 'every request went over the same connection');
  agent.destroy();
});

test('a request head of 12 KB is answered; one of 20 KB is refused with 431', async () => {
  const agent = new http.Agent({ keepAlive: false });
  const ok = await send(agent, 'GET', '/api/v1/companies/1', { token: tokenSe, headers: { 'X-Pad': 'a'.repeat(12_000) } });
  assert.equal(ok.status, 200);
  const big = await send(agent, 'GET', '/api/v1/companies/1', { token: tokenSe, headers: { 'X-Pad': 'a'.repeat(20_000) } });
  assert.equal(big.status, 431);
  agent.destroy();
});

// GET /companies/{id} and GET /companies write their answers from the rows
// (no JSON tree, issue 11): the bytes must be those of the same company
// built as a tree (the answer to its PATCH), non-ASCII escaped alike, JSON
// columns included, with the version as ETag; pages chain by cursor; a
// company of another operator is still not found.
test('a company read alone and in the list is byte for byte the tree-built answer, with its ETag', async () => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const raw = (method, path, token, body, headers = {}) => new Promise((resolveP, reject) => {
    const h = { Authorization: `Bearer ${token}`, ...headers };
    if (body) h['Content-Type'] = 'application/json';
    const req = http.request({ host: '127.0.0.1', port: srv.port, method, path, agent, headers: h }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolveP({ status: res.statusCode, text, etag: res.headers.etag }));
    });
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
  const made = await raw('POST', '/api/v1/companies', tokenSe,
    { legal_name: 'Åre Fjällvärme AB "Ö" \\ 🐟', country: 'SE', city: 'Åre', employees: 12, currency: 'SEK',
      turnover: 1000000, products: ['8418'], export_markets: ['NO', 'FI'], target_markets: ['DE'] });
  assert.equal(made.status, 201, made.text);
  const id = JSON.parse(made.text).id;
  const patched = await raw('PATCH', `/api/v1/companies/${id}`, tokenSe, { city: 'Östersund' }, { 'If-Match': made.etag });
  assert.equal(patched.status, 200, patched.text);
  const one = await raw('GET', `/api/v1/companies/${id}`, tokenSe);
  assert.equal(one.status, 200);
  assert.equal(one.text, patched.text, 'the same bytes as the tree-built answer');
  assert.equal(one.etag, patched.etag);
  assert.ok(/\\u00C5re/.test(one.text) && JSON.parse(one.text).sme_check);

  const list = await raw('GET', '/api/v1/companies?limit=100', tokenSe);
  assert.equal(list.status, 200);
  assert.ok(list.text.includes(patched.text), 'the list holds the same bytes');
  const all = JSON.parse(list.text);
  assert.equal(all.next_cursor, null);
  const seen = [];
  for (let cursor = null, pages = 0; pages < 100; pages++) {
    const page = await raw('GET', `/api/v1/companies?limit=7&sort=name${cursor ? `&cursor=${cursor}` : ''}`, tokenSe);
    assert.equal(page.status, 200);
    const p = JSON.parse(page.text);
    seen.push(...p.items.map((c) => c.id));
    if (!p.next_cursor) break;
    cursor = p.next_cursor;
  }
  assert.deepEqual([...seen].sort((a, b) => a - b), all.items.map((c) => c.id).sort((a, b) => a - b));
  const other = await raw('GET', `/api/v1/companies/${id}`, tokenSi);
  assert.equal(other.status, 404);
  const theirs = JSON.parse((await raw('GET', '/api/v1/companies?limit=100', tokenSi)).text);
  assert.ok(!theirs.items.some((c) => c.id === id), 'another operator does not list it');
  agent.destroy();
});
