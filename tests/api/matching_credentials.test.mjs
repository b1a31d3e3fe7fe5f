// API tests: matching a cohort (runs, explanations, locks and vetoes,
// weights, approval into offers) and the qualification (achievements,
// issuing signed Open Badges, public verification, trust registry,
// suspension and revocation, DID document, status lists, PDF certificate).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  startServer, login, expect, expectError, inviteAndLogin, mkCompany, mkCohort, mkGraduate, mkOpenPosition,
  USERS, uniq,
} from './programme_lib.mjs';

process.env.TRADEBRIDGE_KEK = randomBytes(32).toString('base64');

let srv, coord, admin;
const consent = { purpose: 'Recruitment for the export trainee programme', text_version: '2026-01' };

before(async () => {
  srv = await startServer();
  coord = await login(srv.base, USERS.coord);
  admin = await login(srv.base, USERS.admin);
});
after(async () => { await srv.stop(); });

async function graduateWith(languages, extra = {}) {
  const g = await mkGraduate(coord, { languages, residence: 'SE', field: '0413', ...extra });
  expect(await coord.post(`/api/v1/graduates/${g.id}/consent`, consent), 200, 'consent');
  return g;
}

async function cohortWithOnePlace() {
  const company = await mkCompany(coord, { nace: '28.13' });
  const cohort = await mkCohort(coord);
  const position = await mkOpenPosition(coord, company.id, {
    cohort_id: cohort.id, places: 1, target_markets: ['DE', 'AT'], location_country: 'SE',
    languages: [{ code: 'de', min_level: 'B2' }], fields: ['0413'], products: ['841370'],
  });
  const strong = await graduateWith([{ code: 'sv', level: 'native' }, { code: 'de', level: 'C1' }],
    { countries: [{ country: 'DE', months: 12, kind: 'studied' }] });
  const good = await graduateWith([{ code: 'sv', level: 'native' }, { code: 'de', level: 'B2' }]);
  const weak = await graduateWith([{ code: 'sv', level: 'native' }, { code: 'de', level: 'A2' }]);
  const apps = {};
  for (const g of [strong, good, weak])
    apps[g.id] = expect(await coord.post('/api/v1/applications', { position_id: position.id, graduate_id: g.id }), 201);
  return { company, cohort, position, strong, good, weak, apps };
}

test('a stable run places the best candidate, explains everyone and proves stability', async () => {
  const c = await cohortWithOnePlace();
  const run = expect(await coord.post('/api/v1/match-runs', { cohort_id: c.cohort.id, engine: 'stable' }), 201);
  assert.equal(run.status, 'proposed');
  assert.match(run.input_hash, /^[0-9a-f]{64}$/);
  assert.equal(run.result.summary.blocking_pairs, 0);
  assert.equal(run.result.pairs.length, 1);
  const pair = run.result.pairs[0];
  assert.equal(pair.graduate_id, c.strong.id);
  assert.equal(pair.parts.reduce((s, p) => s + p.points, 0), pair.score, 'contributions add up to the score');
  const weak = run.result.graduates.find((g) => g.graduate_id === c.weak.id);
  assert.match(weak.explanation, /German A2 against required B2/);
  const good = run.result.graduates.find((g) => g.graduate_id === c.good.id);
  assert.equal(good.position_id, null);
  assert.match(good.explanation, /filled|ranked|went to/);
  const again = expect(await coord.get(`/api/v1/match-runs/${run.id}`), 200);
  assert.deepEqual(again.result, run.result, 'the run is kept as computed');
});

test('the assignment engine gives the same winner; vetoes and locks change the outcome', async () => {
  const c = await cohortWithOnePlace();
  let run = expect(await coord.post('/api/v1/match-runs', { cohort_id: c.cohort.id, engine: 'assign', mode: 'partial' }), 201);
  assert.equal(run.result.pairs[0].graduate_id, c.strong.id);
  assert.equal(run.result.summary.mode, 'partial');
  const veto = expect(await coord.post('/api/v1/match-constraints',
    { cohort_id: c.cohort.id, graduate_id: c.strong.id, position_id: c.position.id, kind: 'forbid', note: 'moving abroad' }), 201);
  run = expect(await coord.post('/api/v1/match-runs', { cohort_id: c.cohort.id, engine: 'assign' }), 201);
  assert.equal(run.result.pairs[0].graduate_id, c.good.id);
  assert.match(run.result.graduates.find((g) => g.graduate_id === c.strong.id).explanation, /ruled this pair out/);
  expectError(await coord.post('/api/v1/match-constraints',
    { cohort_id: c.cohort.id, graduate_id: c.strong.id, position_id: c.position.id, kind: 'lock' }), 409, { field: 'position_id' });
  expect(await coord.del(`/api/v1/match-constraints/${veto.id}`), 204);
  expect(await coord.post('/api/v1/match-constraints',
    { cohort_id: c.cohort.id, graduate_id: c.good.id, position_id: c.position.id, kind: 'lock' }), 201);
  run = expect(await coord.post('/api/v1/match-runs', { cohort_id: c.cohort.id, engine: 'stable' }), 201);
  assert.equal(run.result.pairs[0].graduate_id, c.good.id);
  assert.equal(run.result.pairs[0].locked, true);
});

test('runs are validated and kept per cohort; other operators cannot see them', async () => {
  const c = await cohortWithOnePlace();
  expectError(await coord.post('/api/v1/match-runs', { cohort_id: c.cohort.id, engine: 'magic' }), 400, { field: 'engine' });
  expectError(await coord.post('/api/v1/match-runs', { cohort_id: 999999, engine: 'stable' }), 400, { field: 'cohort_id' });
  const run = expect(await coord.post('/api/v1/match-runs', { cohort_id: c.cohort.id, engine: 'stable', tie_break: 'lottery', seed: 7 }), 201);
  const list = expect(await coord.get(`/api/v1/match-runs?cohort_id=${c.cohort.id}`), 200);
  assert.ok(list.items.some((r) => r.id === run.id));
  const si = await login(srv.base, USERS.coordSi);
  expectError(await si.get(`/api/v1/match-runs/${run.id}`), 404);
  const viewer = await login(srv.base, USERS.viewer);
  expectError(await viewer.get('/api/v1/match-runs'), 403);
});

test('operator weights: defaults, validation naming the criterion, audited change', async () => {
  const w = expect(await coord.get('/api/v1/match-weights'), 200);
  assert.equal(w.weights.languages, 2500);
  expectError(await coord.put('/api/v1/match-weights', { charm: 10 }), 400, { field: 'charm' });
  expectError(await coord.put('/api/v1/match-weights', { languages: 20000 }), 400, { field: 'languages' });
  const after = expect(await coord.put('/api/v1/match-weights', { languages: 4000 }), 200);
  assert.equal(after.weights.languages, 4000);
  assert.equal(after.defaults, false);
  const audit = expect(await coord.get('/api/v1/audit?entity=match_settings'), 200);
  assert.ok(audit.items.length >= 1);
});

test('approving a run turns its pairs into offers, once', async () => {
  const c = await cohortWithOnePlace();
  const run = expect(await coord.post('/api/v1/match-runs', { cohort_id: c.cohort.id, engine: 'stable' }), 201);
  const approved = expect(await coord.post(`/api/v1/match-runs/${run.id}/approve`), 200);
  assert.equal(approved.status, 'approved');
  assert.ok(approved.approved_at);
  const app = expect(await coord.get(`/api/v1/applications/${c.apps[c.strong.id].id}`), 200);
  assert.equal(app.stage, 'offered');
  assert.match(app.history.at(-1).note, new RegExp(`match run ${run.id}`));
  expectError(await coord.post(`/api/v1/match-runs/${run.id}/approve`), 409);
  const other = expect(await coord.post('/api/v1/match-runs', { cohort_id: c.cohort.id, engine: 'assign' }), 201);
  assert.equal(expect(await coord.post(`/api/v1/match-runs/${other.id}/discard`), 200).status, 'discarded');
});

/* ---- the qualification ---- */

async function completedPlacement() {
  const company = await mkCompany(coord);
  const g = await mkGraduate(coord, { email: `${uniq('grad')}@example.org`, eqf_level: '6' });
  const trainee = await inviteAndLogin(srv, coord, { email: g.email, name: g.name, role: 'trainee', subject_type: 'graduate', subject_id: g.id });
  const boss = await inviteAndLogin(srv, coord, { email: `${uniq('boss')}@example.org`, name: 'Boss', role: 'company', subject_type: 'company', subject_id: company.id });
  let p = expect(await coord.post('/api/v1/placements', {
    graduate_id: g.id, company_id: company.id, start_date: '2026-01-10', end_date: '2026-10-31',
    objectives: 'Open the German market for industrial pumps', currency: 'SEK', stipend: 2500000,
  }), 201);
  for (const party of [trainee, boss, coord])
    p = expect(await party.post(`/api/v1/placements/${p.id}/accept`, { terms_hash: p.agreement.terms_hash }), 200);
  assert.equal(p.status, 'signed');
  return { g, p, trainee, company };
}

async function verify(doc) {
  const r = await fetch(`${srv.base}/api/v1/public/verify`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(doc),
  });
  assert.equal(r.status, 200);
  return r.json();
}

test('a credential is issued after the placement, verifies publicly, and tells revoked and tampered ones apart', async () => {
  const { g, p, trainee } = await completedPlacement();
  const ach = expect(await coord.post('/api/v1/achievements', {
    name: uniq('Export Trainee Certificate'), description: 'Applied international trade at an exporting SME.',
    criteria: 'Training modules passed and export project signed off by the mentor.', eqf_level: '6', credits: 60,
    alignments: [{ name: 'conduct market research', url: 'http://data.europa.eu/esco/skill/market-research' }],
  }), 201);
  expectError(await coord.post('/api/v1/credentials', { graduate_id: g.id, achievement_id: ach.id, placement_id: p.id }), 409,
    { code: 'placement_not_complete' });
  expect(await coord.post(`/api/v1/placements/${p.id}/status`, { status: 'completed' }), 200);
  const cred = expect(await coord.post('/api/v1/credentials', { graduate_id: g.id, achievement_id: ach.id, placement_id: p.id }), 201);
  const doc = cred.document;
  assert.deepEqual(doc.type, ['VerifiableCredential', 'OpenBadgeCredential']);
  assert.equal(doc.proof.cryptosuite, 'eddsa-rdfc-2022');
  assert.match(doc.issuer.id, /^did:web:.*:issuers:2$/);
  assert.equal(doc.credentialSubject.identifier[0].hashed, true);
  assert.ok(!JSON.stringify(doc).includes(g.email), 'the email is only there hashed');

  let v = await verify(doc);
  assert.equal(v.checks.signature.result, 'passed');
  assert.equal(v.checks.status.result, 'passed');
  assert.equal(v.checks.accreditation.result, 'passed', 'the demo accredited ITM Sweden');
  assert.equal(v.verified, true, JSON.stringify(v));
  // without an accreditation on the day of issue, the trust registry says so
  const accs = expect(await admin.get('/api/v1/accreditations?org_id=2'), 200).items;
  for (const a of accs) expect(await admin.del(`/api/v1/accreditations/${a.id}`), 204);
  v = await verify(doc);
  assert.equal(v.checks.accreditation.result, 'failed');
  assert.equal(v.verified, false);
  expect(await admin.post('/api/v1/accreditations', { org_id: 2, valid_from: '2026-01-01', note: 'board decision' }), 201);
  v = await verify(doc);
  assert.equal(v.verified, true, JSON.stringify(v));

  const tampered = structuredClone(doc);
  tampered.credentialSubject.achievement.name = 'Doctor of Everything';
  v = await verify(tampered);
  assert.equal(v.verified, false);
  assert.equal(v.checks.signature.result, 'failed');

  expect(await coord.post(`/api/v1/credentials/${cred.id}/suspend`, { reason: 'under review' }), 200);
  v = await verify(doc);
  assert.equal(v.verified, false);
  assert.match(v.checks.status.message, /suspended/);
  expect(await coord.post(`/api/v1/credentials/${cred.id}/reinstate`, {}), 200);
  assert.equal((await verify(doc)).verified, true);
  expect(await coord.post(`/api/v1/credentials/${cred.id}/revoke`, { reason: 'issued in error' }), 200);
  v = await verify(doc);
  assert.equal(v.verified, false);
  assert.match(v.checks.status.message, /revoked/);
  expectError(await coord.post(`/api/v1/credentials/${cred.id}/reinstate`, {}), 409);

  // the holder sees their own credential and downloads the certificate
  const mine = expect(await trainee.get('/api/v1/credentials'), 200);
  assert.deepEqual(mine.items.map((c) => c.id), [cred.id]);
  const pdf = await trainee.get(`/api/v1/credentials/${cred.id}/certificate.pdf`);
  assert.equal(pdf.status, 200);
  assert.equal(pdf.headers.get('content-type'), 'application/pdf');
  assert.equal(pdf.body.subarray(0, 5).toString(), '%PDF-');
});

test('public documents: the DID document, the status lists and a shared credential', async () => {
  const keys = expect(await coord.get('/api/v1/issuer-keys'), 200);
  assert.ok(keys.keys.length >= 1);
  const did = await (await fetch(`${srv.base}/issuers/2/did.json`)).json();
  assert.equal(did.id, keys.did);
  assert.equal(did.verificationMethod[0].type, 'Multikey');
  const list = await (await fetch(`${srv.base}/status/2/revocation`)).json();
  assert.ok(list.type.includes('BitstringStatusListCredential'));
  assert.ok(list.proof, 'the status list is signed');
  assert.equal((await fetch(`${srv.base}/status/2/nonsense`)).status, 404);
  assert.equal((await fetch(`${srv.base}/issuers/999/did.json`)).status, 404);
  const creds = expect(await coord.get('/api/v1/credentials'), 200);
  const uuid = creds.items[0].credential_id.slice('urn:uuid:'.length);
  const shared = await (await fetch(`${srv.base}/api/v1/public/credentials/${uuid}`)).json();
  assert.equal(shared.credential.id, creds.items[0].credential_id);
  const page = await fetch(`${srv.base}/verify?id=${uuid}`);
  assert.match(await page.text(), /Verify a qualification/);
});

test('key rotation keeps older credentials verifiable', async () => {
  const before = expect(await coord.get('/api/v1/issuer-keys'), 200);
  const rotated = expect(await coord.post('/api/v1/issuer-keys/rotate'), 200);
  assert.equal(rotated.keys.length, before.keys.length + 1);
  assert.ok(rotated.keys.slice(0, -1).every((k) => k.retired_at), 'old keys are retired, not deleted');
  const did = await (await fetch(`${srv.base}/issuers/2/did.json`)).json();
  assert.equal(did.assertionMethod.length, rotated.keys.length);
});

test('verification refuses what is not a credential, with the reason', async () => {
  const r = await fetch(`${srv.base}/api/v1/public/verify`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{nope' });
  assert.equal(r.status, 400);
  assert.equal((await r.json()).error.field, 'credential');
  const r2 = await fetch(`${srv.base}/api/v1/public/verify`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: '{}' });
  assert.equal(r2.status, 415);
  const v = await verify({ '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiableCredential'] });
  assert.equal(v.verified, false);
  assert.ok(v.errors.length > 0);
});
