// Placements: the three-party agreement (accept with the terms hash, lock
// after the third), edits clearing acceptances, end statuses, references,
// and what the company, the trainee and the mentor see.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, login, USERS, expect, expectError, uniq, ids, listAll, auditOf, inviteAndLogin,
  mkCompany, mkGraduate, mkCohort, mkOpenPosition,
} from './programme_lib.mjs';

let srv, coord, coordSi, companyUser, trainee, mentor;
let comp, compOther, grad, gradOther, cohort, position;

const terms = (id) => coord.get(`/api/v1/placements/${id}`).then((r) => expect(r, 200).agreement.terms_hash);

before(async () => {
  srv = await startServer();
  [coord, coordSi] = await Promise.all([login(srv.base, USERS.coord), login(srv.base, USERS.coordSi)]);
  comp = await mkCompany(coord, { legal_name: uniq('Placing AB') });
  compOther = await mkCompany(coord, { legal_name: uniq('Other AB') });
  grad = await mkGraduate(coord, { name: uniq('Pia Placed'), email: 'pia@example.org' });
  gradOther = await mkGraduate(coord, { name: uniq('Olle Other') });
  cohort = await mkCohort(coord);
  position = await mkOpenPosition(coord, comp.id, { title: uniq('Placement position'), cohort_id: cohort.id });
  [companyUser, trainee, mentor] = await Promise.all([
    inviteAndLogin(srv, coord, { email: 'sme.placing@example.org', name: 'Pelle SME', role: 'company', subject_type: 'company', subject_id: comp.id }),
    inviteAndLogin(srv, coord, { email: 'pia@example.org', name: 'Pia Placed', role: 'trainee', subject_type: 'graduate', subject_id: grad.id }),
    inviteAndLogin(srv, coord, { email: 'mentor.m@example.org', name: 'Maja Mentor', role: 'mentor' }),
  ]);
});
after(async () => { if (srv) await srv.stop(); });

const placementBody = (extra = {}) => ({
  graduate_id: grad.id, company_id: comp.id, cohort_id: cohort.id, position_id: position.id, mentor_user_id: mentor.userId,
  start_date: '2027-02-01', end_date: '2027-07-31', currency: 'SEK', stipend: 1200000,
  objectives: 'Open two distributors in Japan', learning_plan: 'Market study, fairs, follow-up', ...extra,
});

test('placements: create (201, Location, ETag, draft, agreement pending three), read, names', async () => {
  const r = await coord.post('/api/v1/placements', placementBody());
  const p = expect(r, 201, 'create placement');
  assert.equal(r.headers.get('location'), `/api/v1/placements/${p.id}`);
  assert.equal(r.headers.get('etag'), '"v1"');
  assert.equal(p.status, 'draft');
  assert.equal(p.locked_at, null);
  assert.equal(p.graduate_name, grad.name);
  assert.equal(p.company_name, comp.legal_name);
  assert.equal(p.cohort_name, cohort.name);
  assert.equal(p.mentor_name, 'Maja Mentor');
  assert.equal(p.acceptance_count, 0);
  assert.match(p.agreement.terms_hash, /^[0-9a-f]{64}$/);
  assert.deepEqual(p.agreement.acceptances, []);
  assert.deepEqual([...p.agreement.pending].sort(), ['company', 'operator', 'trainee']);
  assert.equal(p.agreement.locked, false);
  assert.equal(p.agreement.terms.objectives, 'Open two distributors in Japan');
  const g = expect(await coord.get(`/api/v1/placements/${p.id}`), 200);
  assert.equal(g.agreement.terms_hash, p.agreement.terms_hash);
  const h = expect(await coord.get(`/api/v1/cohorts/${cohort.id}`), 200);
  assert.ok(h.placement_count >= 1);
  const audit = await auditOf(coord, 'placement', p.id);
  assert.equal(audit[0].action, 'create');
  assert.equal(audit[0].changes.stipend.new, 1200000);
});

test('placements: validation errors name the field', async () => {
  const cases = [
    [placementBody({ end_date: '2027-01-01' }), 'end_date'],
    [placementBody({ end_date: '2027-02-01' }), 'end_date'],
    [placementBody({ start_date: '2027-02-31' }), 'start_date'],
    [placementBody({ currency: undefined }), 'currency'],
    [placementBody({ currency: 'XXY' }), 'currency'],
    [placementBody({ mentor_user_id: coord.me.user.id }), 'mentor_user_id'],
    [placementBody({ status: 'signed' }), 'status'],
    [placementBody({ graduate_id: 999999 }), 'graduate_id'],
    [placementBody({ company_id: undefined }), 'company_id'],
  ];
  for (const [body, field] of cases) {
    const b = JSON.parse(JSON.stringify(body));
    expectError(await coord.post('/api/v1/placements', b), 400, { code: 'validation_failed', field }, JSON.stringify(b));
  }
  expectError(await companyUser.post('/api/v1/placements', placementBody()), 403);
  expectError(await trainee.post('/api/v1/placements', placementBody()), 403);
});

test('placements: three acceptances with the current terms_hash sign and lock the agreement', async () => {
  const p = expect(await coord.post('/api/v1/placements', placementBody({ objectives: 'Sign me' })), 201);
  const hash0 = p.agreement.terms_hash;
  expectError(await coord.post(`/api/v1/placements/${p.id}/accept`, { terms_hash: '0'.repeat(64) }), 409, { code: 'terms_changed', field: 'terms_hash' });
  expectError(await coord.post(`/api/v1/placements/${p.id}/accept`, {}), 400, { field: 'terms_hash' });
  const a1 = expect(await coord.post(`/api/v1/placements/${p.id}/accept`, { terms_hash: hash0 }), 200, 'operator accepts');
  assert.equal(a1.acceptance_count, 1);
  assert.equal(a1.agreement.acceptances[0].party, 'operator');
  assert.equal(a1.agreement.acceptances[0].user_id, coord.me.user.id);
  assert.equal(a1.agreement.acceptances[0].terms_hash, hash0);
  assert.ok(a1.agreement.acceptances[0].at);
  assert.ok(a1.agreement.acceptances[0].client_addr);
  expectError(await coord.post(`/api/v1/placements/${p.id}/accept`, { terms_hash: hash0 }), 409, {}, 'operator twice');
  const a2 = expect(await companyUser.post(`/api/v1/placements/${p.id}/accept`, { terms_hash: hash0 }), 200, 'company accepts');
  assert.equal(a2.acceptance_count, 2);
  assert.deepEqual(a2.agreement.pending, ['trainee']);
  expectError(await mentor.post(`/api/v1/placements/${p.id}/accept`, { terms_hash: hash0 }), 403, {}, 'mentor is no party');
  expectError(await trainee.post(`/api/v1/placements/${p.id}/accept`, { terms_hash: 'f'.repeat(64) }), 409, { code: 'terms_changed' });
  const a3 = expect(await trainee.post(`/api/v1/placements/${p.id}/accept`, { terms_hash: hash0 }), 200, 'trainee accepts');
  assert.equal(a3.status, 'signed');
  assert.equal(a3.agreement.locked, true);
  assert.ok(a3.locked_at);
  assert.equal(a3.agreement_hash, hash0);
  assert.deepEqual(a3.agreement.pending, []);
  assert.deepEqual(a3.agreement.acceptances.map((a) => a.party), ['operator', 'company', 'trainee']);
  assert.equal(a3.agreement.acceptances[2].user_id, trainee.userId);
  expectError(await coord.patch(`/api/v1/placements/${p.id}`, { objectives: 'changed after signing', version: a3.version }), 409, { code: 'locked' });
  expectError(await coord.post(`/api/v1/placements/${p.id}/accept`, { terms_hash: hash0 }), 409, { code: 'locked' });
  expectError(await coord.del(`/api/v1/placements/${p.id}`), 409, { code: 'still_referenced', message: /acceptance/ });
  // end statuses
  expectError(await coord.post(`/api/v1/placements/${p.id}/status`, { status: 'signed' }), 400, { field: 'status' });
  expectError(await companyUser.post(`/api/v1/placements/${p.id}/status`, { status: 'completed' }), 403);
  // before the end date: only with a written reason (tests/api/integrity.test.mjs)
  expectError(await coord.post(`/api/v1/placements/${p.id}/status`, { status: 'completed' }), 409, { code: 'reason_required' });
  const done = expect(await coord.post(`/api/v1/placements/${p.id}/status`, { status: 'completed', reason: 'Project delivered early' }), 200);
  assert.equal(done.status, 'completed');
  expectError(await coord.post(`/api/v1/placements/${p.id}/status`, { status: 'terminated' }), 409, { code: 'invalid_transition' });
  // audit: who accepted, the lock
  const audit = await auditOf(coord, 'placement', p.id);
  const accepted = audit.filter((a) => a.changes.accepted_by).map((a) => [a.changes.accepted_by.new, a.user_email]);
  assert.deepEqual(accepted, [['operator', USERS.coord], ['company', 'sme.placing@example.org'], ['trainee', 'pia@example.org']]);
  const signed = audit.find((a) => a.changes.status && a.changes.status.new === 'signed');
  assert.ok(signed, JSON.stringify(audit));
  assert.equal(signed.changes.status.old, 'draft');
});

test('placements: editing the terms before the lock clears earlier acceptances', async () => {
  const p = expect(await coord.post('/api/v1/placements', placementBody({ objectives: 'Edit me' })), 201);
  const hash0 = p.agreement.terms_hash;
  expect(await coord.post(`/api/v1/placements/${p.id}/accept`, { terms_hash: hash0 }), 200);
  expect(await companyUser.post(`/api/v1/placements/${p.id}/accept`, { terms_hash: hash0 }), 200);
  expectError(await coord.patch(`/api/v1/placements/${p.id}`, { stipend: 1300000 }), 428);
  expectError(await coord.patch(`/api/v1/placements/${p.id}`, { stipend: 1300000, version: p.version + 5 }), 412);
  const e = expect(await coord.patch(`/api/v1/placements/${p.id}`, { stipend: 1300000 }, { 'If-Match': `"v${p.version}"` }), 200, 'edit terms');
  assert.notEqual(e.agreement.terms_hash, hash0);
  assert.equal(e.agreement.terms.stipend, 1300000);
  assert.deepEqual(e.agreement.acceptances, []);
  assert.equal(e.agreement.pending.length, 3);
  const reread = expect(await coord.get(`/api/v1/placements/${p.id}`), 200);
  assert.equal(reread.acceptance_count, 0, 'acceptances cleared in the database');
  assert.deepEqual(reread.agreement.acceptances, []);
  expectError(await trainee.post(`/api/v1/placements/${p.id}/accept`, { terms_hash: hash0 }), 409, { code: 'terms_changed' }, 'old hash');
  const hash1 = await terms(p.id);
  assert.equal(hash1, e.agreement.terms_hash);
  expect(await trainee.post(`/api/v1/placements/${p.id}/accept`, { terms_hash: hash1 }), 200);
  expectError(await coord.patch(`/api/v1/placements/${p.id}`, { end_date: '2027-01-15', version: e.version }), 400, { field: 'end_date' }, 'end before stored start');
  expectError(await coord.patch(`/api/v1/placements/${p.id}`, { status: 'signed', version: e.version }), 400, { field: 'status' });
  expectError(await companyUser.patch(`/api/v1/placements/${p.id}`, { objectives: 'SME edit', version: e.version }), 403);
  const audit = await auditOf(coord, 'placement', p.id);
  const upd = audit.find((a) => a.changes.stipend && a.changes.stipend.old !== undefined);
  assert.deepEqual(upd.changes.stipend, { old: 1200000, new: 1300000 });
  // the PATCH response itself must not contradict its own agreement block
  assert.equal(e.acceptance_count, 0, `PATCH response acceptance_count (agreement.acceptances has ${e.agreement.acceptances.length})`);
});

test('placements: list filters (status, cohort_id, company_id, graduate_id), sort -id, pagination', async () => {
  const h = await mkCohort(coord);
  const p1 = expect(await coord.post('/api/v1/placements', placementBody({ cohort_id: h.id, position_id: undefined })), 201);
  const p2 = expect(await coord.post('/api/v1/placements', placementBody({ cohort_id: h.id, company_id: compOther.id, graduate_id: gradOther.id, position_id: undefined, mentor_user_id: undefined })), 201);
  assert.deepEqual(ids(await listAll(coord, `/api/v1/placements?cohort_id=${h.id}`)), [p1.id, p2.id]);
  assert.deepEqual(ids(await listAll(coord, `/api/v1/placements?cohort_id=${h.id}&sort=-id`)), [p2.id, p1.id]);
  assert.deepEqual(ids(await listAll(coord, `/api/v1/placements?cohort_id=${h.id}&company_id=${compOther.id}`)), [p2.id]);
  assert.deepEqual(ids(await listAll(coord, `/api/v1/placements?cohort_id=${h.id}&graduate_id=${grad.id}`)), [p1.id]);
  assert.deepEqual(ids(await listAll(coord, `/api/v1/placements?cohort_id=${h.id}&status=draft`)), [p1.id, p2.id]);
  assert.deepEqual(ids(await listAll(coord, `/api/v1/placements?cohort_id=${h.id}&status=signed`)), []);
  assert.deepEqual(ids(await listAll(coord, `/api/v1/placements?cohort_id=${h.id}&q=${encodeURIComponent(compOther.legal_name)}`)), [p2.id]);
  const page = expect(await coord.get(`/api/v1/placements?cohort_id=${h.id}&limit=1`), 200);
  assert.deepEqual(ids(page.items), [p1.id]);
  const page2 = expect(await coord.get(`/api/v1/placements?cohort_id=${h.id}&limit=1&cursor=${encodeURIComponent(page.next_cursor)}`), 200);
  assert.deepEqual(ids(page2.items), [p2.id]);
  assert.equal(expect(await coord.get(`/api/v1/cohorts/${h.id}`), 200).placement_count, 2);
  // references: the cohort, company and graduate cannot go while placed
  expectError(await coord.del(`/api/v1/cohorts/${h.id}`), 409, { code: 'still_referenced', message: /placement/ });
  expectError(await coord.del(`/api/v1/companies/${compOther.id}`), 409, { code: 'still_referenced', message: /placement/ });
  expectError(await coord.del(`/api/v1/graduates/${gradOther.id}`), 409, { code: 'still_referenced', message: /placement/ });
  expect(await coord.del(`/api/v1/placements/${p2.id}`), 204, 'delete a free placement');
  expectError(await coord.get(`/api/v1/placements/${p2.id}`), 404);
  expect(await coord.del(`/api/v1/graduates/${gradOther.id}`), 204);
  expectError(await coordSi.get(`/api/v1/placements/${p1.id}`), 404);
  assert.ok(!ids(await listAll(coordSi, '/api/v1/placements')).includes(p1.id));
});

test('row scope: mentor sees the placements they supervise; company and trainee theirs', async () => {
  const mine = expect(await coord.post('/api/v1/placements', placementBody({ objectives: 'mentored' })), 201);
  const g2 = await mkGraduate(coord);
  const notMine = expect(await coord.post('/api/v1/placements', placementBody({ graduate_id: g2.id, company_id: compOther.id, position_id: undefined, mentor_user_id: undefined })), 201);
  const seen = ids(await listAll(mentor, '/api/v1/placements'));
  assert.ok(seen.includes(mine.id));
  assert.ok(!seen.includes(notMine.id));
  const m = expect(await mentor.get(`/api/v1/placements/${mine.id}`), 200);
  assert.equal(m.agreement.terms_hash, mine.agreement.terms_hash);
  expectError(await mentor.get(`/api/v1/placements/${notMine.id}`), 404);
  expect(await mentor.get(`/api/v1/graduates/${grad.id}`), 200, 'mentor sees the placed graduate');
  expectError(await mentor.get(`/api/v1/graduates/${g2.id}`), 404);
  expect(await mentor.get(`/api/v1/companies/${comp.id}`), 200, 'mentor sees the host company');
  expectError(await mentor.get(`/api/v1/companies/${compOther.id}`), 404);
  expectError(await mentor.patch(`/api/v1/placements/${mine.id}`, { objectives: 'mentor edit', version: m.version }), 403);
  expectError(await mentor.post('/api/v1/companies', { legal_name: 'Mentor AB', country: 'SE' }), 403);
  // company: its own placements only
  const cs = ids(await listAll(companyUser, '/api/v1/placements'));
  assert.ok(cs.includes(mine.id) && !cs.includes(notMine.id));
  expectError(await companyUser.get(`/api/v1/placements/${notMine.id}`), 404);
  expect(await companyUser.get(`/api/v1/graduates/${grad.id}`), 200, 'company sees the graduate placed with it');
  // trainee: their own placements only
  const ts = ids(await listAll(trainee, '/api/v1/placements'));
  assert.ok(ts.includes(mine.id) && !ts.includes(notMine.id));
  expectError(await trainee.get(`/api/v1/placements/${notMine.id}`), 404);
  expectError(await trainee.post(`/api/v1/placements/${notMine.id}/accept`, { terms_hash: notMine.agreement.terms_hash }), 404);
  // dashboards in scope
  const dm = expect(await mentor.get('/api/v1/dashboard'), 200);
  const mentorCount = Object.values(dm.placements).reduce((x, y) => x + y, 0);
  assert.equal(mentorCount, seen.length);
  const dc = expect(await coord.get('/api/v1/dashboard'), 200);
  const all = await listAll(coord, '/api/v1/placements?limit=200');
  const byStatus = {};
  for (const p of all) byStatus[p.status] = (byStatus[p.status] || 0) + 1;
  assert.deepEqual(dc.placements, byStatus);
});
