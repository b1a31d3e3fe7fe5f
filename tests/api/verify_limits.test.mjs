// Public verification bounds the work an anonymous request may cause:
// POST /api/v1/public/verify with a real credential whose @context is
// repeated thousands of times once killed the server (NULL dereference once
// the request arena's cap was reached) and kept ~90 MB per request in the
// JSON-LD context cache. Every limit answers 422 limit_exceeded naming it,
// before any heavy work, and the cache stops growing at its budget.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, login, request, assertError, USERS } from './lib.mjs';

let srv, vc;

before(async () => {
  srv = await startServer();
  const coord = await login(srv.base, USERS.coordinator.email);
  const list = await coord.get('/api/v1/credentials');
  assert.equal(list.status, 200, list.text);
  assert.ok(list.json.items.length > 0, 'the demo issued credentials');
  vc = list.json.items[0].document;
});
after(async () => {
  await srv.stop();
  assert.doesNotMatch(srv.stderr(), /AddressSanitizer|LeakSanitizer|runtime error:/);
});

const verify = (doc) => request(srv.base, 'POST', '/api/v1/public/verify', JSON.stringify(doc));
const withContexts = (times) => ({ ...structuredClone(vc), '@context': Array(times).fill(vc['@context']).flat() });

async function stillServes() {
  const r = await verify(vc);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.verified, true, r.text);
}

test('the demo credential verifies, also with its contexts given twice', async () => {
  await stillServes();
  const r = await verify(withContexts(2));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.verified, true, 'repeating a context changes nothing signed');
});

test('a credential with its @context repeated 300, 1,000 or 3,000 times is refused, and the server lives', async () => {
  for (const times of [3000, 1000, 300]) {
    const doc = withContexts(times);
    assert.ok(JSON.stringify(doc).length < 1 << 20, 'under the route body limit');
    assertError(await verify(doc), 422, 'limit_exceeded', { field: '@context', message: /more than 16 @context entries/ });
    await stillServes();
  }
  // 16 entries in all is the most accepted.
  assert.equal((await verify(withContexts(8))).status, 200);
  assertError(await verify(withContexts(9)), 422, 'limit_exceeded', { field: '@context' });
  // @context anywhere in the document counts, not only at the top.
  const nested = structuredClone(vc);
  nested.credentialSubject['@context'] = Array(20).fill('https://www.w3.org/ns/credentials/v2');
  assertError(await verify(nested), 422, 'limit_exceeded', { field: '@context' });
});

test('deep nesting, too many values, nodes or statements are refused with the limit named', async () => {
  const deep = structuredClone(vc);
  let v = 'x';
  for (let i = 0; i < 40; i++) v = [v];
  deep.credentialSubject.note = v;
  assertError(await verify(deep), 422, 'limit_exceeded', { field: 'depth', message: /nested more than 32 levels/ });

  const many = structuredClone(vc);
  many.credentialSubject.achievement.tag = Array.from({ length: 10001 }, (_, i) => `t${i}`);
  assertError(await verify(many), 422, 'limit_exceeded', { field: 'values', message: /more than 10000 JSON values/ });

  const nodes = structuredClone(vc);
  nodes.evidence = Array.from({ length: 1200 }, (_, i) => ({ type: ['Evidence'], name: `e${i}` }));
  assertError(await verify(nodes), 422, 'limit_exceeded', { field: 'nodes', message: /more nodes than the 1000 accepted/ });

  const quads = structuredClone(vc);
  quads.evidence = Array.from({ length: 800 }, (_, i) => ({
    type: ['Evidence'], name: `e${i}`, description: 'd', narrative: 'n', genre: 'g', audience: 'a',
  }));
  assertError(await verify(quads), 422, 'limit_exceeded', { field: 'quads', message: /more quads than the 5000 accepted/ });
  await stillServes();
});

test('new sequences of context URLs stop growing the server once the context cache is full', async (t) => {
  if (process.env.TB_SANITIZED) {
    t.skip('RSS is not meaningful under AddressSanitizer (freed memory is quarantined)');
    return;
  }
  const rss = () => Number(readFileSync(`/proc/${srv.proc.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]) / 1024;
  const pool = ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
    'https://w3id.org/security/data-integrity/v2', 'https://w3id.org/security/multikey/v1'];
  const send = async (i) => {
    const doc = structuredClone(vc);
    let x = i;
    for (let k = 0; k < 14; k++) { doc['@context'].push(pool[x % 4]); x = Math.floor(x / 4); }
    const r = await verify(doc);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.verified, true);
  };
  // The first hundred fill the cache and the heap's free lists; the next
  // two hundred must not add to the process. Before the cache had a byte
  // budget each new sequence kept ~0.55 MB (~110 MB for these two hundred).
  for (let i = 0; i < 100; i++) await send(i);
  const start = rss();
  for (let i = 100; i < 300; i++) await send(i);
  const grown = rss() - start;
  console.log(`RSS ${start.toFixed(1)} MB after 100 context sequences, ${(start + grown).toFixed(1)} MB after 300`);
  assert.ok(grown < 24, `RSS grew by ${grown.toFixed(1)} MB over 200 new context sequences`);
});
