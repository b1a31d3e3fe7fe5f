// Training (issue 12), part 6: the qualification carries the evidence. Issuing
// needs the learning plan complete unless the coordinator overrides with a
// written reason (kept, audited); the OB 3.0 credential lists the competencies
// with the levels reached (alignment, resultDescription, result) and one
// evidence entry per approved deliverable (title, date, SHA-256 - never the
// content); every credential validates against 1EdTech's OB 3.0
// AchievementCredential JSON Schema (ajv, draft 2019-09) and the independent
// verifier accepts it; revocation works end to end with one status entry.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2019 from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import { startServer, login, USERS, assertError, request } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const schema = JSON.parse(readFileSync(join(here, '../vendor/standards/ob3-schema/ob_v3p0_achievementcredential_schema.json'), 'utf8'));
const ajv = new Ajv2019({ strict: false, allErrors: true });
addFormats(ajv);
const validateOb3 = ajv.compile(schema);
const ob3Errors = (vc) => (validateOb3(vc) ? [] : validateOb3.errors.map((e) => `${e.instancePath} ${e.message}`));

let srv, coord, trainee, company;

before(async () => {
  // The demo's own key-encryption key (printed by `tradebridge demo`): the server signs with the demo's keys.
  srv = await startServer({ env: { TRADEBRIDGE_KEK: 'VHJhZGVCcmlkZ2UtZGVtby1vbmx5LWtleS1lbmNyeXA=' } });
  [coord, trainee, company] = await Promise.all(['coordinator', 'trainee', 'company'].map((r) => login(srv.base, USERS[r].email)));
});
after(async () => { if (srv) await srv.stop(); });

function independent(vc, did) {
  const f = join(srv.dir, `vc-${Math.random().toString(36).slice(2)}.json`);
  const d = join(srv.dir, `did-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(f, JSON.stringify(vc));
  writeFileSync(d, JSON.stringify(did));
  const r = spawnSync(process.execPath, [resolve(here, '../interop/verify-independent.mjs'), f, d], { encoding: 'utf8', timeout: 60000 });
  return JSON.parse(r.stdout || '{}');
}

test('every credential the demo issued validates against the OB 3.0 AchievementCredential schema and carries the evidence', async () => {
  const creds = await coord.all('/api/v1/credentials', 50);
  assert.ok(creds.length > 0);
  for (const c of creds) {
    assert.deepEqual(ob3Errors(c.document), [], `credential ${c.id}`);
    assert.equal(Array.isArray(c.document.credentialStatus), false, 'one status entry');
    assert.equal(c.document.credentialStatus.statusPurpose, 'revocation');
    const subject = c.document.credentialSubject;
    assert.ok(subject.result.length > 0, 'levels reached');
    const rds = new Set(subject.achievement.resultDescription.map((d) => d.id));
    for (const r of subject.result) assert.ok(rds.has(r.resultDescription), r.resultDescription);
    assert.ok(subject.achievement.alignment.some((a) => a.targetType === 'ceasn:Competency'));
    const deliverables = c.document.evidence.filter((e) => e.genre === 'Workplace deliverable');
    assert.ok(deliverables.length >= 7, 'an evidence entry per approved deliverable');
    for (const e of deliverables) {
      assert.match(e.id, /^ni:\/\/\/sha-256;[A-Za-z0-9_-]{43}$/);
      assert.match(e.description, /approved on \d{4}-\d{2}-\d{2}.*SHA-256 of the approved version: [0-9a-f]{64}/);
      assert.ok(!e.description.includes('Done at the company with the export manager'), 'never the content');
    }
  }
  const did = (await request(srv.base, 'GET', `/issuers/${creds[0].org_id}/did.json`)).json;
  assert.equal(independent(creds[0].document, did).verified, true);
});

test('issuing needs the plan complete unless overridden with a written reason; the override is kept and audited', async () => {
  // The demo trainee's placement: sign it (the plan is made), complete it, the plan is not done.
  const placement = (await trainee.get('/api/v1/placements')).json.items.find((p) => p.status === 'draft');
  for (const [party, name] of [[coord, 'operator'], [company, 'company'], [trainee, 'trainee']]) {
    const p = (await party.get(`/api/v1/placements/${placement.id}`)).json;
    if (p.agreement.acceptances.some((a) => a.party === name)) continue;
    assert.equal((await party.post(`/api/v1/placements/${placement.id}/accept`, { terms_hash: p.agreement.terms_hash })).status, 200);
  }
  const done = await coord.post(`/api/v1/placements/${placement.id}/status`, { status: 'completed', reason: 'Test: completed before the end date' });
  assert.equal(done.status, 200, done.text);
  const ach = (await coord.get('/api/v1/achievements')).json.items.find((a) => a.org_id === placement.org_id);
  const body = { graduate_id: placement.graduate_id, achievement_id: ach.id, placement_id: placement.id };
  const before = (await coord.get('/api/v1/credentials?limit=200')).json.items.length;
  assertError(await coord.post('/api/v1/credentials', body), 409, 'plan_incomplete', { field: 'override_reason' });
  // A change to the signed plan that the parties have not all accepted: the plan is not agreed either.
  const mod = (await coord.get(`/api/v1/placements/${placement.id}/learning-plan`)).json.modules[1];
  assert.equal((await company.patch(`/api/v1/plan-modules/${mod.id}`, { due_date: mod.due_date.replace(/^\d{4}/, (y) => String(+y + 1)),
    version: mod.version })).status, 200);
  const amended = await coord.post('/api/v1/credentials', body);
  assertError(amended, 409, 'plan_incomplete', { field: 'override_reason' });
  assert.match(amended.json.error.message, /amendment to it waits/);
  assertError(await coord.post('/api/v1/credentials', { ...body, override_reason: 'short' }), 400, 'validation_failed',
    { field: 'override_reason' });
  assert.equal((await coord.get('/api/v1/credentials?limit=200')).json.items.length, before, 'nothing issued');

  const reason = 'Modules done at a previous employer; evidence checked by the coordinator on 2026-11-20.';
  const r = await coord.post('/api/v1/credentials', { ...body, override_reason: reason });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.override_reason, reason);
  assert.deepEqual(ob3Errors(r.json.document), []);
  assert.equal(r.json.document.evidence.filter((e) => e.genre === 'Workplace deliverable').length, 0, 'nothing approved yet');
  const audit = await coord.get(`/api/v1/audit?entity=credential&entity_id=${r.json.id}`);
  assert.equal(audit.json.items[0].changes.override_reason.new, reason);

  // Revocation end to end with the single status entry; the issuer's verification still tells suspension.
  const verify = async () => (await request(srv.base, 'POST', '/api/v1/public/verify', r.json.document)).json;
  assert.equal((await verify()).verified, true);
  assert.equal((await coord.post(`/api/v1/credentials/${r.json.id}/suspend`, { reason: 'checking' })).status, 200);
  assert.match((await verify()).checks.status.message, /suspended/);
  assert.equal((await coord.post(`/api/v1/credentials/${r.json.id}/reinstate`, {})).status, 200);
  assert.equal((await coord.post(`/api/v1/credentials/${r.json.id}/revoke`, { reason: 'issued in error' })).status, 200);
  const v = await verify();
  assert.equal(v.verified, false);
  assert.match(v.checks.status.message, /revoked/);
});
