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

// GET /companies/{id} writes its answer from the row (no JSON tree, issue 11):
// it must be the same bytes as the company in the list (built the other
// way), non-ASCII escaped alike, with the version as ETag; a company of
// another operator is still not found.
test('a company read alone is byte for byte the one in the list, with its ETag', async () => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const raw = (path, token) => new Promise((resolveP, reject) => {
    http.get({ host: '127.0.0.1', port: srv.port, path, agent, headers: { Authorization: `Bearer ${token}` } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolveP({ status: res.statusCode, text, etag: res.headers.etag }));
    }).on('error', reject);
  });
  const list = await raw('/api/v1/companies?limit=100', tokenSe);
  assert.equal(list.status, 200);
  const items = JSON.parse(list.text).items;
  assert.ok(items.length > 3);
  assert.ok(items.some((c) => /[^\x00-\x7f]/.test(JSON.stringify(c))), 'some company has non-ASCII text');
  for (const c of items) {
    const one = await raw(`/api/v1/companies/${c.id}`, tokenSe);
    assert.equal(one.status, 200);
    assert.ok(list.text.includes(one.text), `company ${c.id} answers the list's bytes`);
    assert.deepEqual(JSON.parse(one.text), c);
    assert.equal(one.etag, `"v${c.version}"`);
    assert.ok('sme_check' in JSON.parse(one.text));
  }
  const other = await raw(`/api/v1/companies/${items[0].id}`, tokenSi);
  assert.equal(other.status, 404);
  agent.destroy();
});
