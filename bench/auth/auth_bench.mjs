// auth_bench.mjs - timing figures for the sign-in paths (not a test: no
// assertions on speed). Run: TB_BINARY=build/tradebridge node bench/auth/auth_bench.mjs
//
//  reset   password-reset latency, registered vs unregistered address
//          (N each, interleaved; every request from its own loopback
//          address so no per-address budget interferes): medians.
//  healthz /healthz latency (p50/p99) while 4 clients sign in in a loop
//          (the same demo account each, one loopback address per client).
//  hashing /healthz latency while 4 clients send failed logins as fast as
//          they can, each from a fresh loopback address and with a fresh
//          e-mail, so every one of them costs an Argon2id verification.
import http from 'node:http';
import { startServer, PASSWORD, USERS } from '../../tests/api/lib.mjs';

const N = Number(process.env.N || 200);
const SECONDS = Number(process.env.SECONDS || 10);
const which = process.argv.slice(2);
const want = (s) => which.length === 0 || which.includes(s);

let addrSeq = 0;
/** A loopback address of its own (127.1.0.0/16 all reach the server on Linux). */
const freshAddr = () => { addrSeq++; return `127.1.${(addrSeq >> 8) & 255}.${addrSeq & 255 || 1}`; };

function send(port, method, path, body, { localAddress, agent } = {}) {
  return new Promise((resolve, reject) => {
    const payload = body ? JSON.stringify(body) : null;
    const t0 = process.hrtime.bigint();
    const req = http.request({ host: '127.0.0.1', port, method, path, localAddress, agent: agent ?? false,
      headers: payload ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } : {} }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
const counts = (rs) => rs.reduce((m, r) => { m[r.status] = (m[r.status] || 0) + 1; return m; }, {});

async function benchReset(srv) {
  const known = Object.values(USERS).map((u) => u.email);
  const k = [], u = [], rs = [];
  for (let i = 0; i < 10; i++)   // warm-up
    await send(srv.port, 'POST', '/api/v1/auth/password-reset', { email: `warm${i}@nowhere.example` }, { localAddress: freshAddr() });
  for (let i = 0; i < N; i++) {
    const a = await send(srv.port, 'POST', '/api/v1/auth/password-reset', { email: known[i % known.length] }, { localAddress: freshAddr() });
    const b = await send(srv.port, 'POST', '/api/v1/auth/password-reset', { email: `nobody${i}@nowhere.example` }, { localAddress: freshAddr() });
    k.push(a.ms); u.push(b.ms); rs.push(a, b);
  }
  console.log(`reset: registered median ${pct(k, 0.5).toFixed(3)} ms, unregistered median ${pct(u, 0.5).toFixed(3)} ms ` +
              `(N=${N} each; statuses ${JSON.stringify(counts(rs))})`);
}

async function healthUnder(srv, label, loadFn) {
  let stop = false;
  const results = [];
  const clients = [0, 1, 2, 3].map((c) => (async () => {
    while (!stop) results.push(await loadFn(c));
  })());
  const lat = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const end = Date.now() + SECONDS * 1000;
  while (Date.now() < end) {
    const r = await send(srv.port, 'GET', '/healthz', null, { agent });
    lat.push(r.ms);
    await new Promise((res) => setTimeout(res, 10));
  }
  stop = true;
  await Promise.all(clients);
  agent.destroy();
  console.log(`${label}: /healthz p50 ${pct(lat, 0.5).toFixed(2)} ms, p99 ${pct(lat, 0.99).toFixed(2)} ms ` +
              `(${lat.length} probes; load statuses ${JSON.stringify(counts(results))})`);
}

async function baselineHealth(srv) {
  const lat = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  for (let i = 0; i < 300; i++) { lat.push((await send(srv.port, 'GET', '/healthz', null, { agent })).ms); }
  agent.destroy();
  console.log(`idle: /healthz p50 ${pct(lat, 0.5).toFixed(2)} ms, p99 ${pct(lat, 0.99).toFixed(2)} ms`);
}

const srv = await startServer({ args: (process.env.TB_ARGS || '').split(' ').filter(Boolean) });
try {
  if (want('reset')) await benchReset(srv);
  if (want('healthz')) {
    await baselineHealth(srv);
    const addrs = [freshAddr(), freshAddr(), freshAddr(), freshAddr()];
    const agents = addrs.map(() => new http.Agent({ keepAlive: true, maxSockets: 1 }));
    await healthUnder(srv, 'logins', (c) => send(srv.port, 'POST', '/api/v1/auth/login',
      { email: USERS.admin.email, password: PASSWORD }, { localAddress: addrs[c], agent: agents[c] }));
    agents.forEach((a) => a.destroy());
  }
  if (want('hashing')) {
    let n = 0;
    await healthUnder(srv, 'hashing', () => send(srv.port, 'POST', '/api/v1/auth/login',
      { email: `guess${n++}@nowhere.example`, password: 'not-the-password' }, { localAddress: freshAddr() }));
  }
} finally {
  await srv.stop();
}
