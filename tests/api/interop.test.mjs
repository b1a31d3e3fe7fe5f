// Interoperability: credentials issued by TradeBridge (the demo's, signed
// at build time, and one issued through the API) verify with an independent
// implementation, Digital Bazaar's jsonld-signatures + eddsa-rdfc-2022
// cryptosuite (tests/interop/verify-independent.mjs); tampered ones do not.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const verifier = resolve(here, '../interop/verify-independent.mjs');
const binary = process.env.TB_BINARY || resolve(here, '../../build/tradebridge');
let dir, child, base, exited, stderr = '';

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tb-interop-'));
  execFileSync(binary, ['demo', '--db', join(dir, 'd.db'), '--no-serve', '--force'], { stdio: 'ignore' });
  child = spawn(binary, ['serve', '--db', join(dir, 'd.db'), '--listen', '127.0.0.1:0', '--log-level', 'warn'],
    { stdio: ['ignore', 'pipe', 'pipe'], env: Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'TRADEBRIDGE_PUBLIC_URL')) });
  child.stderr.on('data', (d) => { stderr += d; });
  exited = new Promise((r) => child.on('exit', (code) => r(code)));
  base = await new Promise((res, rej) => {
    let out = '';
    const t = setTimeout(() => rej(new Error(`no start: ${stderr}`)), 30000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[\d.]+:\d+)/);
      if (m) { clearTimeout(t); res(m[1]); }
    });
  });
});

after(async () => {
  child.kill('SIGTERM');
  assert.equal(await exited, 0, stderr);
  rmSync(dir, { recursive: true, force: true });
});

async function coordinator() {
  const r = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: 'coordinator@demo.tradebridge.org', password: 'TradeBridge-demo-2026' }) });
  assert.equal(r.status, 200);
  const cookie = r.headers.get('set-cookie').match(/tb_session=[^;]*/)[0];
  return (path) => fetch(base + path, { headers: { Cookie: cookie } }).then((x) => x.json());
}

function independent(vc, did) {
  const f = join(dir, `vc-${Math.random().toString(36).slice(2)}.json`);
  const d = join(dir, 'did.json');
  writeFileSync(f, JSON.stringify(vc));
  writeFileSync(d, JSON.stringify(did));
  const r = spawnSync(process.execPath, [verifier, f, d], { encoding: 'utf8', timeout: 60000 });
  return { code: r.status, out: JSON.parse(r.stdout || '{}'), stderr: r.stderr };
}

test('a credential signed by the demo verifies with an independent Data Integrity implementation', async () => {
  const get = await coordinator();
  const list = await get('/api/v1/credentials');
  assert.ok(list.items.length > 0, 'the demo issued credentials');
  const vc = list.items[0].document;
  const did = await (await fetch(`${base}/issuers/${list.items[0].org_id}/did.json`)).json();
  const r = independent(vc, did);
  assert.equal(r.code, 0, `${JSON.stringify(r.out)} ${r.stderr}`);
  assert.equal(r.out.verified, true);
});

test('the independent verifier rejects a tampered credential and a wrong key', async () => {
  const get = await coordinator();
  const list = await get('/api/v1/credentials');
  const vc = structuredClone(list.items[0].document);
  const did = await (await fetch(`${base}/issuers/${list.items[0].org_id}/did.json`)).json();
  vc.credentialSubject.achievement.name = 'Doctor of Everything';
  assert.equal(independent(vc, did).out.verified, false);
  const original = list.items[0].document;
  const other = structuredClone(did);
  other.verificationMethod[0].publicKeyMultibase = 'z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';
  assert.equal(independent(original, other).out.verified, false);
});
