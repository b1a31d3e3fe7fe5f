// durability.test.mjs - what a client was told is kept. Concurrent writers
// create companies; the server is killed with SIGKILL mid-load and started
// again on the same database file: every company whose 201 reached its
// client is there. Then SIGTERM with several requests in flight: each one is
// answered, the process exits 0, and what they created is there after the
// next start.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { rmSync } from 'node:fs';
import { startServer, login, bearer, parseRawResponse, sleep, USERS } from './lib.mjs';

const WRITERS = 8;
let dir = null;
after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

/** A bearer token for the Swedish coordinator (companies land in ITM Sweden). */
async function coordinatorToken(base) {
  const coord = await login(base, USERS.coordinator.email);
  const t = await coord.post('/api/v1/tokens', { name: `durability ${Date.now()}` });
  assert.equal(t.status, 201, t.text);
  return t.json.token;
}

/** Every acknowledged company exists with its name (GETs, 8 at a time). */
async function assertAllThere(client, acked) {
  const missing = [];
  for (let i = 0; i < acked.length; i += 8) {
    await Promise.all(acked.slice(i, i + 8).map(async ({ id, name }) => {
      const r = await client.get(`/api/v1/companies/${id}`);
      if (r.status !== 200 || r.json.legal_name !== name) missing.push(`${id} ${name}: ${r.status} ${r.text}`);
    }));
  }
  assert.deepEqual(missing, [], `${missing.length} of ${acked.length} acknowledged companies are missing`);
}

let db, token;
const acked = [];

test('SIGKILL under write load loses no acknowledged write', async () => {
  const srv = await startServer();
  dir = srv.dir;
  db = srv.db;
  token = await coordinatorToken(srv.base);
  const client = bearer(srv.base, token);
  let killed = false;
  const unexpected = [];
  const writer = async (w) => {
    for (let i = 0; ; i++) {
      const name = `Durable ${w}-${i} AB`;
      let r;
      try {
        r = await client.post('/api/v1/companies', { legal_name: name, country: 'SE' });
      } catch (e) {
        if (!killed) unexpected.push(`writer ${w}: ${e.message} ${e.cause?.code || ''}`);
        return;   // the server is gone: this request was never acknowledged
      }
      if (r.status === 201) acked.push({ id: r.json.id, name });
      else unexpected.push(`writer ${w}: ${r.status} ${r.text}`);
    }
  };
  const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));
  while (acked.length < 60 && unexpected.length === 0) await sleep(10);
  killed = true;
  srv.proc.kill('SIGKILL');
  const e = await srv.exited;
  await Promise.all(writers);
  assert.equal(e.signal, 'SIGKILL');
  assert.deepEqual(unexpected, [], 'every write before the kill succeeded');

  // The lock file is still there, but its lock died with the process.
  const again = await startServer({ db });
  try {
    await assertAllThere(bearer(again.base, token), acked);
  } finally {
    await again.stop({ keepDir: true });
  }
});

test('SIGTERM with requests in flight: each is answered, the process exits 0, their writes persist', async () => {
  assert.ok(db, 'the first test ran');
  const srv = await startServer({ db });
  const inFlight = [];
  for (let k = 0; k < 6; k++) {
    const name = `In flight ${k} AB`;
    const body = JSON.stringify({ legal_name: name, country: 'SE' });
    const sock = net.connect(srv.port, '127.0.0.1');
    sock.setEncoding('latin1');
    const req = { name, body, sock, answer: '' };
    sock.on('data', (d) => { req.answer += d; });
    sock.on('error', () => {});
    req.closed = new Promise((r) => sock.on('close', r));
    await new Promise((r) => sock.on('connect', r));
    // Headers and part of the body: the request has started and waits.
    sock.write(`POST /api/v1/companies HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 12)}`);
    inFlight.push(req);
  }
  await sleep(300);
  srv.proc.kill('SIGTERM');
  for (let i = 0; i < 100 && !srv.stderr().includes('SIGTERM received'); i++) await sleep(20);
  assert.match(srv.stderr(), /SIGTERM received/);
  for (const req of inFlight) req.sock.write(req.body.slice(12));
  const e = await srv.exited;
  await Promise.all(inFlight.map((req) => req.closed));
  for (const req of inFlight) {
    const res = parseRawResponse(req.answer);
    assert.equal(res.status, 201, `${req.name} was answered: ${JSON.stringify(req.answer)}\nstderr:\n${srv.stderr()}`);
    acked.push({ id: res.json.id, name: req.name });
  }
  assert.deepEqual({ code: e.code, signal: e.signal }, { code: 0, signal: null }, srv.stderr());
  assert.match(srv.stderr(), /stopped cleanly/);

  const again = await startServer({ db });
  try {
    await assertAllThere(bearer(again.base, token), acked);
  } finally {
    await again.stop({ keepDir: true });
  }
});
