// Allocation-failure injection in the manner of SQLite's test harness: the
// server, started with TB_FAULT_INJECTION=1 (honoured only by builds with
// the fault_injection option, every build type but release), fails the Nth
// arena allocation of a request that sends "X-TB-Fault: alloc=N" (with
// ",persist" every one after it too; "cap=BYTES" lowers the request arena's
// cap) and answers "X-TB-Fault: hit=H, count=C". Sweeping N over the public
// verification route and representative authenticated routes, every answer
// must be a well-formed JSON error or the same success as without the fault,
// the server must stay up and, under AddressSanitizer, exit 0 without leaks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, request, USERS } from './lib.mjs';

const DEMO_KEK = 'VHJhZGVCcmlkZ2UtZGVtby1vbmx5LWtleS1lbmNyeXA=';   // what `tradebridge demo` seals keys with
let srv, coord, vc;

before(async () => {
  srv = await startServer({ env: { TB_FAULT_INJECTION: '1', TRADEBRIDGE_KEK: DEMO_KEK } });
  coord = await login(srv.base, USERS.coordinator.email);
  const list = await coord.get('/api/v1/credentials');
  assert.equal(list.status, 200, list.text);
  vc = list.json.items[0].document;
});
after(async () => {
  await srv.stop();
  assert.doesNotMatch(srv.stderr(), /AddressSanitizer|LeakSanitizer|runtime error:/);
});

function faultAnswer(r) {
  const m = (r.headers.get('x-tb-fault') || '').match(/^hit=([01]), count=(\d+)$/);
  assert.ok(m, `X-TB-Fault answer: ${r.headers.get('x-tb-fault')}`);
  return { hit: m[1] === '1', count: Number(m[2]) };
}

/* Every failure point up to 40, then 60 spread evenly up to count + 1. */
function points(count) {
  const out = new Set();
  for (let n = 1; n <= Math.min(count, 40); n++) out.add(n);
  for (let k = 0; k <= 60; k++) out.add(Math.max(1, Math.round(((count + 1) * k) / 60)));
  return [...out].sort((a, b) => a - b);
}

function assertWellFormed(r, what) {
  const pdf = r.status === 200 && r.headers.get('content-type') === 'application/pdf';
  assert.ok(r.json || pdf, `${what}: JSON body (status ${r.status}): ${r.text.slice(0, 300)}`);
  if (r.status >= 400) {
    assert.equal(typeof r.json.error?.code, 'string', `${what}: ${r.text}`);
    assert.ok(r.json.error.message.length > 0, `${what}: ${r.text}`);
  }
}

/**
 * send(faultHeader) -> response. same(r, baseline) says whether a success
 * matches the fault-free answer. Returns the statuses seen.
 */
async function sweep(name, send, same, { after: afterEach } = {}) {
  const base = await send('alloc=0');
  assert.ok(base.status < 300, `${name} without a fault: ${base.status} ${base.text}`);
  if (afterEach) await afterEach(base);
  const { hit, count } = faultAnswer(base);
  assert.equal(hit, false);
  const seen = {};
  for (const persist of ['', ',persist']) {
    for (const n of points(count)) {
      const what = `${name} alloc=${n}${persist} of ${count}`;
      const r = await send(`alloc=${n}${persist}`);
      assertWellFormed(r, what);
      const f = faultAnswer(r);
      if (r.status < 300) assert.ok(same(r, base), `${what}: a success must be the fault-free answer: ${r.text.slice(0, 400)}`);
      else {
        assert.equal(f.hit, true, `${what}: an error without an injected fault: ${r.text}`);
        // Running out of memory is the server's failure, never the input's (no 4xx blaming the request).
        assert.ok(r.status >= 500, `${what}: ${r.status} ${r.text}`);
      }
      seen[r.status] = (seen[r.status] || 0) + 1;
      if (afterEach) await afterEach(r);
    }
  }
  // The server is still there and answers normally.
  const again = await send('alloc=0');
  assert.equal(again.status, base.status, again.text);
  if (afterEach) await afterEach(again);
  console.log(`${name}: ${count} allocations; answers ${JSON.stringify(seen)}`);
  return seen;
}

const verifyWith = (doc) => (fault) => request(srv.base, 'POST', '/api/v1/public/verify', JSON.stringify(doc),
  { headers: { 'X-TB-Fault': fault } });
const verdict = (r) => JSON.stringify([r.json.verified, Object.values(r.json.checks).map((c) => c.result)]);

test('public verification: every allocation failure answers an error or the same verdict', async () => {
  const seen = await sweep('verify', verifyWith(vc), (r, b) => verdict(r) === verdict(b));
  assert.ok(seen[500] > 0, `failures were injected: ${JSON.stringify(seen)}`);
});

test('public verification while the context cache is being built', async () => {
  // A new sequence of context URLs per request (the same terms, so the
  // signature still holds) makes every request build and cache its context.
  const pool = ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
    'https://w3id.org/security/data-integrity/v2', 'https://w3id.org/security/multikey/v1'];
  let next = 0;
  const send = (fault) => {
    const doc = structuredClone(vc);
    let x = next++;
    for (let k = 0; k < 6; k++) { doc['@context'].push(pool[x % 4]); x = Math.floor(x / 4); }
    return verifyWith(doc)(fault);
  };
  await sweep('verify (cold cache)', send, (r, b) => verdict(r) === verdict(b));
});

test('public verification under a lowered arena cap', async () => {
  const body = JSON.stringify(vc);
  for (let cap = 1024; cap <= 32 << 20; cap *= 2) {
    const r = await request(srv.base, 'POST', '/api/v1/public/verify', body, { headers: { 'X-TB-Fault': `cap=${cap}` } });
    assertWellFormed(r, `cap=${cap}`);
    console.log(`cap=${cap}: ${r.status} ${r.json.error ? r.json.error.code : r.json.verified}`);
    if (r.status === 200) assert.equal(r.json.verified, true, `cap=${cap}: ${r.text}`);
  }
});

test('authenticated routes: create and list companies, issue, read, print and suspend a credential', async () => {
  const headers = (fault) => ({ headers: { 'X-TB-Fault': fault } });
  let seq = 0;
  await sweep('create company', (fault) => coord.post('/api/v1/companies',
    { legal_name: `Fault Test AB ${process.pid}-${++seq}`, country: 'SE' }, headers(fault)),
  (r) => r.status === 201);
  await sweep('list companies', (fault) => coord.get('/api/v1/companies?limit=20', headers(fault)),
    (r, b) => r.status === 200 && r.text === b.text);

  const ach = await coord.post('/api/v1/achievements', {
    name: `Fault Test Certificate ${process.pid}`, description: 'Allocation failures answered cleanly.',
    criteria: 'Every failure point swept.', eqf_level: '6', credits: 5,
  });
  assert.equal(ach.status, 201, ach.text);
  const rec = (await coord.get('/api/v1/credentials')).json.items[0];   // the credential vc is the document of
  assert.equal(rec.document.id, vc.id);
  const issue = { graduate_id: rec.graduate_id, achievement_id: ach.json.id, placement_id: rec.placement_id };
  const issued = async () => (await coord.all('/api/v1/credentials', 100)).length;
  let expected = await issued();
  await sweep('issue credential', (fault) => coord.post('/api/v1/credentials', issue, headers(fault)),
    (r) => r.status === 201 && r.json.document.proof.cryptosuite === 'eddsa-rdfc-2022', {
      after: async (r) => {
        if (r.status === 201) expected++;
        assert.equal(await issued(), expected, `a failed issue leaves nothing behind (${r.status})`);
      },
    });
  const id = rec.id;
  await sweep('get credential', (fault) => coord.get(`/api/v1/credentials/${id}`, headers(fault)),
    (r, b) => r.status === 200 && r.text === b.text);
  await sweep('certificate PDF', (fault) => coord.get(`/api/v1/credentials/${id}/certificate.pdf`, headers(fault)),
    (r, b) => r.status === 200 && r.text.length === b.text.length);
  // Suspending re-signs the status list; each success is undone before the next try.
  await sweep('suspend credential', async (fault) => {
    const r = await coord.post(`/api/v1/credentials/${id}/suspend`, { reason: 'fault injection test' }, headers(fault));
    if (r.status === 200) {
      const back = await coord.post(`/api/v1/credentials/${id}/reinstate`, { reason: 'fault injection test' });
      assert.equal(back.status, 200, back.text);
    }
    return r;
  }, (r) => r.status === 200 && r.json.status === 'suspended');
  const v = await verifyWith(vc)('alloc=0');
  assert.equal(v.json.verified, true, `the credential is active again and verifies: ${v.text}`);
});
