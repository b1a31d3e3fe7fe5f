// The programme's integrity (issue 17): completing a placement before its end
// date needs a written reason (audited); a placed trainee applies elsewhere
// only with the coordinator's allowance (audited); issue forms list only
// placements without a credential of the achievement; an employer checks the
// holder's e-mail against the credential's salted hash.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  startServer, login, expect, expectError, inviteAndLogin, mkCompany, mkGraduate, mkOpenPosition, auditOf,
  USERS, uniq, ids, listAll,
} from './programme_lib.mjs';

process.env.TRADEBRIDGE_KEK = randomBytes(32).toString('base64');

let srv, coord;
before(async () => {
  srv = await startServer();
  coord = await login(srv.base, USERS.coord);
});
after(async () => { await srv.stop(); });

const FUTURE_END = '2099-06-30';

async function signedPlacement({ start = '2026-01-10', end = FUTURE_END } = {}) {
  const company = await mkCompany(coord);
  const email = `${uniq('holder')}@example.org`;
  const g = await mkGraduate(coord, { email, eqf_level: '6' });
  const trainee = await inviteAndLogin(srv, coord, { email, name: g.name, role: 'trainee', subject_type: 'graduate', subject_id: g.id });
  const boss = await inviteAndLogin(srv, coord, { email: `${uniq('boss')}@example.org`, name: 'Boss', role: 'company', subject_type: 'company', subject_id: company.id });
  let p = expect(await coord.post('/api/v1/placements', {
    graduate_id: g.id, company_id: company.id, start_date: start, end_date: end, objectives: 'Open the Danish market',
  }), 201);
  for (const party of [trainee, boss, coord])
    p = expect(await party.post(`/api/v1/placements/${p.id}/accept`, { terms_hash: p.agreement.terms_hash }), 200);
  assert.equal(p.status, 'signed');
  return { g, p, trainee, company };
}

test('completing before the end date needs a written reason, kept in the audit log', async () => {
  const { p } = await signedPlacement();
  expectError(await coord.post(`/api/v1/placements/${p.id}/status`, { status: 'completed' }), 409,
    { code: 'reason_required', field: 'reason', message: /2099-06-30/ });
  expectError(await coord.post(`/api/v1/placements/${p.id}/status`, { status: 'completed', reason: '   ' }), 409,
    { code: 'reason_required', field: 'reason' });
  assert.equal(expect(await coord.get(`/api/v1/placements/${p.id}`), 200).status, 'signed', 'still signed');
  const done = expect(await coord.post(`/api/v1/placements/${p.id}/status`,
    { status: 'completed', reason: 'The export project was delivered in May; the company hired the trainee.' }), 200);
  assert.equal(done.status, 'completed');
  const audit = await auditOf(coord, 'placement', p.id);
  const entry = audit.find((a) => a.changes.status_reason);
  assert.ok(entry, JSON.stringify(audit));
  assert.equal(entry.changes.status_reason.new, 'The export project was delivered in May; the company hired the trainee.');
  assert.equal(entry.changes.before_end_date.new, true);
  assert.equal(entry.user_email, USERS.coord);
});

test('after the end date a placement completes without a reason; terminating never needs one', async () => {
  const past = await signedPlacement({ start: '2025-01-10', end: '2025-10-31' });
  assert.equal(expect(await coord.post(`/api/v1/placements/${past.p.id}/status`, { status: 'completed' }), 200).status, 'completed');
  const running = await signedPlacement();
  assert.equal(expect(await coord.post(`/api/v1/placements/${running.p.id}/status`, { status: 'terminated' }), 200).status, 'terminated');
});

test('a placed trainee applies elsewhere only with the coordinator\'s allowance (audited, withdrawable)', async () => {
  const company = await mkCompany(coord);
  const email = `${uniq('placed')}@example.org`;
  const g = await mkGraduate(coord, { email });
  const trainee = await inviteAndLogin(srv, coord, { email, name: g.name, role: 'trainee', subject_type: 'graduate', subject_id: g.id });
  const [pos1, pos2, pos3] = await Promise.all([1, 2, 3].map((i) => mkOpenPosition(coord, company.id, { title: uniq(`Elsewhere ${i}`) })));
  // not placed: applying is free
  expect(await trainee.post('/api/v1/applications', { position_id: pos1.id }), 201, 'apply before placement');
  const p = expect(await coord.post('/api/v1/placements', {
    graduate_id: g.id, company_id: company.id, start_date: '2027-01-10', end_date: '2027-10-31',
  }), 201);
  assert.equal(p.applications_elsewhere, null);
  expectError(await trainee.post('/api/v1/applications', { position_id: pos2.id }), 409,
    { code: 'already_placed', field: 'position_id', message: /coordinator/ });
  // the allowance needs a reason and staff
  expectError(await coord.post(`/api/v1/placements/${p.id}/applications-elsewhere`, { allowed: true }), 400, { field: 'reason' });
  expectError(await trainee.post(`/api/v1/placements/${p.id}/applications-elsewhere`, { allowed: true, reason: 'me' }), 403);
  const allowed = expect(await coord.post(`/api/v1/placements/${p.id}/applications-elsewhere`,
    { allowed: true, reason: 'The company closes its export unit in March.' }), 200);
  assert.equal(allowed.applications_elsewhere.reason, 'The company closes its export unit in March.');
  assert.equal(allowed.applications_elsewhere.user_id, coord.me.user.id);
  expect(await trainee.post('/api/v1/applications', { position_id: pos2.id }), 201, 'apply with the allowance');
  // withdrawn: blocked again
  const withdrawn = expect(await coord.post(`/api/v1/placements/${p.id}/applications-elsewhere`, { allowed: false }), 200);
  assert.equal(withdrawn.applications_elsewhere, null);
  expectError(await trainee.post('/api/v1/applications', { position_id: pos3.id }), 409, { code: 'already_placed' });
  const audit = await auditOf(coord, 'placement', p.id);
  const changes = audit.filter((a) => a.changes.applications_elsewhere).map((a) => a.changes.applications_elsewhere.new);
  assert.deepEqual(changes.sort(), ['allowed', 'not allowed']);
  assert.ok(audit.some((a) => a.changes.allowance_reason && a.changes.allowance_reason.new === 'The company closes its export unit in March.'));
  // a terminated placement no longer holds the trainee
  const signedOne = await signedPlacement();
  expect(await coord.post(`/api/v1/placements/${signedOne.p.id}/status`, { status: 'terminated' }), 200);
  const again = await mkOpenPosition(coord, company.id, { title: uniq('After termination') });
  expect(await signedOne.trainee.post('/api/v1/applications', { position_id: again.id }), 201, 'apply after termination');
});

test('issue forms: ?without_credential=ACHIEVEMENT lists only placements without a credential of it', async () => {
  const a = await signedPlacement({ start: '2025-01-10', end: '2025-10-31' });
  const b = await signedPlacement({ start: '2025-01-10', end: '2025-10-31' });
  for (const x of [a, b]) expect(await coord.post(`/api/v1/placements/${x.p.id}/status`, { status: 'completed' }), 200);
  const ach = expect(await coord.post('/api/v1/achievements', {
    name: uniq('Integrity certificate'), description: 'd', criteria: 'c', eqf_level: '6', credits: 30,
  }), 201);
  const other = expect(await coord.post('/api/v1/achievements', {
    name: uniq('Other certificate'), description: 'd', criteria: 'c', eqf_level: '6', credits: 30,
  }), 201);
  const cred = expect(await coord.post('/api/v1/credentials', { graduate_id: a.g.id, achievement_id: ach.id, placement_id: a.p.id }), 201);
  const open = ids(await listAll(coord, `/api/v1/placements?status=completed&without_credential=${ach.id}`));
  assert.ok(!open.includes(a.p.id), 'has a credential of this achievement');
  assert.ok(open.includes(b.p.id));
  const forOther = ids(await listAll(coord, `/api/v1/placements?status=completed&without_credential=${other.id}`));
  assert.ok(forOther.includes(a.p.id) && forOther.includes(b.p.id), 'a credential of another achievement does not count');
  // a revoked credential frees the placement for a new one
  expect(await coord.post(`/api/v1/credentials/${cred.id}/revoke`, { reason: 'issued in error' }), 200);
  assert.ok(ids(await listAll(coord, `/api/v1/placements?status=completed&without_credential=${ach.id}`)).includes(a.p.id));
});

async function holderCheck(body) {
  const r = await fetch(`${srv.base}/api/v1/public/verify-holder`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
  return { status: r.status, json: await r.json() };
}

test('/public/verify-holder checks the e-mail an employer types against the salted hash, in plain words', async () => {
  const { g, p } = await signedPlacement({ start: '2025-01-10', end: '2025-10-31' });
  expect(await coord.post(`/api/v1/placements/${p.id}/status`, { status: 'completed' }), 200);
  const ach = expect(await coord.post('/api/v1/achievements', {
    name: uniq('Holder certificate'), description: 'd', criteria: 'c', eqf_level: '6', credits: 30,
  }), 201);
  const doc = expect(await coord.post('/api/v1/credentials', { graduate_id: g.id, achievement_id: ach.id, placement_id: p.id }), 201).document;
  const idents = doc.credentialSubject.identifier;
  const hashed = idents.find((i) => i.identityType === 'emailAddress');
  assert.equal(hashed.hashed, true);
  assert.match(hashed.identityHash, /^sha256\$[0-9a-f]{64}$/);
  assert.ok(!JSON.stringify(doc).includes(g.email), 'the address itself is not in the credential');
  assert.equal(idents.find((i) => i.identityType === 'name').identityHash, g.name);

  let r = await holderCheck({ credential: doc, email: g.email });
  assert.equal(r.status, 200);
  assert.equal(r.json.result, 'match');
  assert.match(r.json.message, /matches/);
  r = await holderCheck({ credential: doc, email: `  ${g.email.toUpperCase()} ` });
  assert.equal(r.json.result, 'match', 'case and blanks do not matter');
  r = await holderCheck({ credential: doc, email: 'someone.else@example.org' });
  assert.equal(r.json.result, 'no_match');
  assert.match(r.json.message, /does NOT match/);
  const anonymous = structuredClone(doc);
  anonymous.credentialSubject.identifier = idents.filter((i) => i.identityType !== 'emailAddress');
  r = await holderCheck({ credential: anonymous, email: g.email });
  assert.equal(r.json.result, 'not_recorded');
  r = await holderCheck({ credential: doc });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'email');
  r = await holderCheck({ email: g.email });
  assert.equal(r.json.error.field, 'credential');
});
