// Positions and applications: the position workflow, the application
// pipeline with its history, and what company users and trainees may see.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, login, USERS, expect, expectError, uniq, ids, listAll, auditOf, inviteAndLogin,
  mkCompany, mkGraduate, mkCohort, mkPosition, mkOpenPosition,
} from './programme_lib.mjs';

let srv, coord, coordSi, companyUser, trainee;
let compA, compB, gradT, gradU, cohort;

before(async () => {
  srv = await startServer();
  [coord, coordSi] = await Promise.all([login(srv.base, USERS.coord), login(srv.base, USERS.coordSi)]);
  compA = await mkCompany(coord, { legal_name: uniq('Alpha Export AB') });
  compB = await mkCompany(coord, { legal_name: uniq('Beta Export AB') });
  gradT = await mkGraduate(coord, { name: uniq('Tove Trainee'), email: 'tove@example.org' });
  gradU = await mkGraduate(coord, { name: uniq('Ulf Other'), email: 'ulf@example.org' });
  cohort = await mkCohort(coord);
  [companyUser, trainee] = await Promise.all([
    inviteAndLogin(srv, coord, { email: 'sme.alpha@example.org', name: 'Alma SME', role: 'company', subject_type: 'company', subject_id: compA.id }),
    inviteAndLogin(srv, coord, { email: 'tove@example.org', name: 'Tove Trainee', role: 'trainee', subject_type: 'graduate', subject_id: gradT.id }),
  ]);
});
after(async () => { if (srv) await srv.stop(); });

test('positions: create (draft, places 1, company_name), read, update with versions, audit', async () => {
  const r = await coord.post('/api/v1/positions', {
    company_id: compA.id, cohort_id: cohort.id, title: 'Export trainee Japan', description: 'Open the Japanese market',
    target_markets: ['JP'], products: ['440711'], languages: [{ code: 'en', min_level: 'B2' }], fields: ['0413'],
    location_country: 'SE', location_city: 'Falun', start_date: '2027-02-01', duration_months: 6, currency: 'SEK', pay: 1500000,
  });
  const p = expect(r, 201, 'create position');
  assert.equal(r.headers.get('location'), `/api/v1/positions/${p.id}`);
  assert.equal(r.headers.get('etag'), '"v1"');
  assert.equal(p.status, 'draft');
  assert.equal(p.places, 1);
  assert.equal(p.company_name, compA.legal_name);
  assert.deepEqual(p.languages, [{ code: 'en', min_level: 'B2' }]);
  expect(await coord.get(`/api/v1/positions/${p.id}`), 200);
  const u = expect(await coord.patch(`/api/v1/positions/${p.id}`, { places: 2 }, { 'If-Match': '"v1"' }), 200);
  assert.equal(u.places, 2);
  expectError(await coord.patch(`/api/v1/positions/${p.id}`, { places: 3, version: 1 }), 412);
  expectError(await coord.patch(`/api/v1/positions/${p.id}`, { places: 3 }), 428);
  expectError(await coord.patch(`/api/v1/positions/${p.id}`, { status: 'open', version: 2 }), 400, { field: 'status' }, 'status is read-only');
  const audit = await auditOf(coord, 'position', p.id);
  assert.deepEqual(audit.find((a) => a.action === 'update').changes.places, { old: 1, new: 2 });
});

test('positions: validation errors name the field', async () => {
  const base = { company_id: compA.id, title: 'Valid title' };
  const cases = [
    [{ ...base, products: ['999998'] }, 'products[0]'],
    [{ ...base, target_markets: ['XX'] }, 'target_markets[0]'],
    [{ ...base, fields: ['0413', '9998'] }, 'fields[1]'],
    [{ ...base, location_country: 'XX' }, 'location_country'],
    [{ ...base, start_date: '2027-02-29' }, 'start_date'],
    [{ ...base, duration_months: 37 }, 'duration_months'],
    [{ ...base, duration_months: 0 }, 'duration_months'],
    [{ ...base, pay: 100 }, 'currency'],
    [{ ...base, status: 'open' }, 'status'],
    [{ ...base, company_id: 999999 }, 'company_id'],
    [{ ...base, cohort_id: 999999 }, 'cohort_id'],
    [{ title: 'No company' }, 'company_id'],
    [{ company_id: compA.id }, 'title'],
  ];
  for (const [body, field] of cases)
    expectError(await coord.post('/api/v1/positions', body), 400, { code: 'validation_failed', field }, JSON.stringify(body));
  expectError(await coord.post('/api/v1/positions', { ...base, languages: [{ code: 'en', min_level: 'B2' }, { code: 'de', min_level: 'D1' }] }),
    400, { code: 'validation_failed', field: 'languages[1].min_level' }, 'nested min_level');
});

test('positions: status workflow draft -> submitted (company) -> approved -> open (coordinator); invalid moves 409', async () => {
  const p = expect(await companyUser.post('/api/v1/positions', { company_id: compA.id, title: uniq('SME drafted') }), 201, 'company creates a position');
  assert.equal(p.status, 'draft');
  expectError(await companyUser.post('/api/v1/positions', { company_id: compB.id, title: 'Not mine' }), 400, { field: 'company_id' });
  expect(await companyUser.patch(`/api/v1/positions/${p.id}`, { description: 'Edited by the SME', version: 1 }), 200, 'company edits its draft');
  expectError(await companyUser.patch(`/api/v1/positions/${p.id}`, { company_id: compB.id, version: 2 }), 403, { field: 'company_id' });
  expectError(await companyUser.post(`/api/v1/positions/${p.id}/status`, { status: 'approved' }), 409, { code: 'invalid_transition' }, 'draft -> approved');
  const s = expect(await companyUser.post(`/api/v1/positions/${p.id}/status`, { status: 'submitted' }), 200, 'company submits');
  assert.equal(s.status, 'submitted');
  expectError(await companyUser.patch(`/api/v1/positions/${p.id}`, { description: 'late edit', version: s.version }), 409, { code: 'not_editable' });
  expectError(await companyUser.del(`/api/v1/positions/${p.id}`), 409, { code: 'not_editable' });
  expectError(await companyUser.post(`/api/v1/positions/${p.id}/status`, { status: 'approved' }), 403, {}, 'company cannot approve');
  expectError(await coord.post(`/api/v1/positions/${p.id}/status`, { status: 'approved', version: 1 }), 412, {}, 'stale status version');
  expectError(await coord.post(`/api/v1/positions/${p.id}/status`, { status: 'open' }), 409, { code: 'invalid_transition' }, 'submitted -> open');
  assert.equal(expect(await coord.post(`/api/v1/positions/${p.id}/status`, { status: 'approved' }), 200).status, 'approved');
  expectError(await companyUser.post(`/api/v1/positions/${p.id}/status`, { status: 'open' }), 403, {}, 'company cannot open');
  assert.equal(expect(await coord.post(`/api/v1/positions/${p.id}/status`, { status: 'open' }), 200).status, 'open');
  expectError(await coord.post(`/api/v1/positions/${p.id}/status`, { status: 'draft' }), 409, { code: 'invalid_transition' }, 'open -> draft');
  expectError(await coord.post(`/api/v1/positions/${p.id}/status`, { status: 'submitted' }), 409, { code: 'invalid_transition' }, 'open -> submitted');
  expectError(await coord.post(`/api/v1/positions/${p.id}/status`, { status: 'paused' }), 400, { field: 'status' });
  assert.equal(expect(await coord.post(`/api/v1/positions/${p.id}/status`, { status: 'closed' }), 200).status, 'closed');
  assert.equal(expect(await coord.post(`/api/v1/positions/${p.id}/status`, { status: 'open' }), 200).status, 'open');
  assert.equal(expect(await coord.post(`/api/v1/positions/${p.id}/status`, { status: 'filled' }), 200).status, 'filled');
  assert.equal(expect(await coord.post(`/api/v1/positions/${p.id}/status`, { status: 'open' }), 200).status, 'open');
  const audit = await auditOf(coord, 'position', p.id);
  const moves = audit.filter((a) => a.action === 'update' && a.changes && a.changes.status).map((a) => `${a.changes.status.old}>${a.changes.status.new}`);
  assert.deepEqual(moves, ['draft>submitted', 'submitted>approved', 'approved>open', 'open>closed', 'closed>open', 'open>filled', 'filled>open']);
  assert.equal(audit.find((a) => a.changes && a.changes.status && a.changes.status.new === 'submitted').user_email, 'sme.alpha@example.org');
  // a company may pull a submission back to draft and delete it
  const q = expect(await companyUser.post('/api/v1/positions', { company_id: compA.id, title: uniq('Withdrawn') }), 201);
  expect(await companyUser.post(`/api/v1/positions/${q.id}/status`, { status: 'submitted' }), 200);
  expect(await companyUser.post(`/api/v1/positions/${q.id}/status`, { status: 'draft' }), 200);
  expect(await companyUser.del(`/api/v1/positions/${q.id}`), 204);
});

test('positions: list filters (status, company_id, cohort_id, target_market, language), q, sort', async () => {
  const tag = uniq('Pf');
  const h = await mkCohort(coord);
  const a = await mkPosition(coord, compA.id, { title: `${tag} Zulu`, cohort_id: h.id, target_markets: ['JP'], languages: [{ code: 'ja', min_level: 'B1' }] });
  const b = await mkOpenPosition(coord, compB.id, { title: `${tag} Alpha`, target_markets: ['US', 'JP'], languages: [{ code: 'en', min_level: 'C1' }] });
  const c = await mkPosition(coord, compB.id, { title: `${tag} Mike`, cohort_id: h.id, location_city: `${tag}-City` });
  const q = `q=${encodeURIComponent(tag)}`;
  assert.deepEqual(ids(await listAll(coord, `/api/v1/positions?${q}&status=open`)), [b.id]);
  assert.deepEqual(ids(await listAll(coord, `/api/v1/positions?${q}&status=draft`)), [a.id, c.id]);
  assert.deepEqual(ids(await listAll(coord, `/api/v1/positions?${q}&company_id=${compB.id}`)), [b.id, c.id]);
  assert.deepEqual(ids(await listAll(coord, `/api/v1/positions?cohort_id=${h.id}`)), [a.id, c.id]);
  assert.deepEqual(ids(await listAll(coord, `/api/v1/positions?${q}&target_market=JP`)), [a.id, b.id]);
  assert.deepEqual(ids(await listAll(coord, `/api/v1/positions?${q}&language=en`)), [b.id]);
  assert.deepEqual(ids(await listAll(coord, `/api/v1/positions?${q}&sort=name`)), [b.id, c.id, a.id]);
  assert.deepEqual(ids(await listAll(coord, `/api/v1/positions?q=${encodeURIComponent(tag + '-City')}`)), [c.id]);
  const p1 = expect(await coord.get(`/api/v1/positions?${q}&limit=2`), 200);
  assert.deepEqual(ids(p1.items), [a.id, b.id]);
  const p2 = expect(await coord.get(`/api/v1/positions?${q}&limit=2&cursor=${encodeURIComponent(p1.next_cursor)}`), 200);
  assert.deepEqual(ids(p2.items), [c.id]);
});

test('company user: sees only its own company and positions; 404 on another company\'s', async () => {
  const pb = await mkOpenPosition(coord, compB.id, { title: uniq('B open') });
  const pa = await mkOpenPosition(coord, compA.id, { title: uniq('A open') });
  assert.deepEqual(ids(await listAll(companyUser, '/api/v1/companies')), [compA.id]);
  expect(await companyUser.get(`/api/v1/companies/${compA.id}`), 200);
  expectError(await companyUser.get(`/api/v1/companies/${compB.id}`), 404);
  expectError(await companyUser.get(`/api/v1/positions/${pb.id}`), 404);
  expectError(await companyUser.post(`/api/v1/positions/${pb.id}/status`, { status: 'closed' }), 404);
  const mine = await listAll(companyUser, '/api/v1/positions');
  assert.ok(ids(mine).includes(pa.id));
  assert.ok(mine.every((p) => p.company_id === compA.id), 'only its own positions');
  // it edits its own company, not another
  const cur = expect(await companyUser.get(`/api/v1/companies/${compA.id}`), 200);
  expect(await companyUser.patch(`/api/v1/companies/${compA.id}`, { website: 'https://alpha.example.org', version: cur.version }), 200);
  expectError(await companyUser.patch(`/api/v1/companies/${compB.id}`, { website: 'https://x.example.org', version: 1 }), 404);
  expectError(await companyUser.post('/api/v1/companies', { legal_name: 'SME made AB', country: 'SE' }), 403);
  expectError(await companyUser.del(`/api/v1/companies/${compA.id}`), 403);
  expectError(await companyUser.get('/api/v1/graduates/' + gradU.id), 404, {}, 'graduate not on its shortlist');
  expectError(await companyUser.post('/api/v1/applications', { position_id: pa.id, graduate_id: gradU.id }), 403);
});

test('trainee: cannot create companies; sees open positions only and their own record', async () => {
  expectError(await trainee.post('/api/v1/companies', { legal_name: 'Trainee AB', country: 'SE' }), 403);
  expectError(await trainee.post('/api/v1/positions', { company_id: compA.id, title: 'Trainee made' }), 403);
  const draft = await mkPosition(coord, compA.id, { title: uniq('Draft hidden') });
  const open = await mkOpenPosition(coord, compA.id, { title: uniq('Open visible') });
  const seen = await listAll(trainee, '/api/v1/positions?limit=200');
  assert.ok(ids(seen).includes(open.id));
  assert.ok(!ids(seen).includes(draft.id));
  assert.ok(seen.every((p) => p.status === 'open'), JSON.stringify(seen.map((p) => p.status)));
  expectError(await trainee.get(`/api/v1/positions/${draft.id}`), 404);
  expect(await trainee.get(`/api/v1/positions/${open.id}`), 200);
  assert.deepEqual(ids(await listAll(trainee, '/api/v1/graduates')), [gradT.id]);
  const me = expect(await trainee.get(`/api/v1/graduates/${gradT.id}`), 200);
  assert.equal(me.user_id, trainee.userId, 'the invitation binds the graduate record to the login');
  expectError(await trainee.get(`/api/v1/graduates/${gradU.id}`), 404);
  const upd = expect(await trainee.patch(`/api/v1/graduates/${gradT.id}`, { skills: ['negotiation'], version: me.version }), 200, 'trainee edits own profile');
  assert.deepEqual(upd.skills, ['negotiation']);
  expectError(await trainee.patch(`/api/v1/graduates/${gradU.id}`, { skills: ['x'], version: 1 }), 404);
  expectError(await trainee.del(`/api/v1/graduates/${gradT.id}`), 403);
});

test('applications: trainee applies (201), duplicate 409, non-open position 409, pipeline with history, company scope', async () => {
  const pos = await mkOpenPosition(coord, compA.id, { title: uniq('Pipeline'), cohort_id: cohort.id });
  const r = await trainee.post('/api/v1/applications', { position_id: pos.id });
  const app = expect(r, 201, 'trainee applies');
  assert.equal(r.headers.get('location'), `/api/v1/applications/${app.id}`);
  assert.ok(r.headers.get('etag'));
  assert.equal(app.stage, 'applied');
  assert.equal(app.graduate_id, gradT.id);
  assert.equal(app.position_title, pos.title);
  assert.equal(app.company_id, compA.id);
  assert.equal(app.company_name, compA.legal_name);
  expectError(await trainee.post('/api/v1/applications', { position_id: pos.id }), 409, {}, 'duplicate');
  expectError(await coord.post('/api/v1/applications', { position_id: pos.id, graduate_id: gradT.id }), 409, {}, 'duplicate by staff');
  expectError(await trainee.post('/api/v1/applications', { position_id: pos.id, graduate_id: gradU.id }), 403, { field: 'graduate_id' });
  const approved = await mkPosition(coord, compA.id, { title: uniq('Not yet open') });
  for (const s of ['submitted', 'approved']) expect(await coord.post(`/api/v1/positions/${approved.id}/status`, { status: s }), 200);
  expectError(await coord.post('/api/v1/applications', { position_id: approved.id, graduate_id: gradU.id }), 409, { code: 'position_not_open' });
  expectError(await coord.post('/api/v1/applications', { position_id: pos.id }), 400, { field: 'graduate_id' });
  expectError(await coord.post('/api/v1/applications', { position_id: pos.id, graduate_id: gradU.id, stage: 'offered' }), 400, { field: 'stage' });

  // the trainee sees the position they applied to and their application only
  const other = expect(await coord.post('/api/v1/applications', { position_id: pos.id, graduate_id: gradU.id, notes: 'strong' }), 201);
  assert.deepEqual(ids(await listAll(trainee, '/api/v1/applications')), [app.id]);
  expectError(await trainee.get(`/api/v1/applications/${other.id}`), 404);
  expect(await coord.post(`/api/v1/positions/${pos.id}/status`, { status: 'closed' }), 200);
  expect(await trainee.get(`/api/v1/positions/${pos.id}`), 200, 'a position they applied to stays visible');

  // the company sees nothing before the shortlist
  expectError(await companyUser.get(`/api/v1/applications/${app.id}`), 404);
  assert.ok(!ids(await listAll(companyUser, '/api/v1/applications')).includes(app.id));
  expectError(await trainee.post(`/api/v1/applications/${app.id}/stage`, { stage: 'screened' }), 403, {}, 'trainee cannot screen');
  expectError(await coord.post(`/api/v1/applications/${app.id}/stage`, { stage: 'offered' }), 409, { code: 'invalid_transition' }, 'applied -> offered');
  for (const [stage, note] of [['screened', 'CV fine'], ['interview', null], ['shortlisted', 'top 3']]) {
    const body = note ? { stage, note } : { stage };
    assert.equal(expect(await coord.post(`/api/v1/applications/${app.id}/stage`, body), 200, `-> ${stage}`).stage, stage);
  }
  expectError(await coord.post(`/api/v1/applications/${app.id}/stage`, { stage: 'shortlisted', version: 1 }), 412, {}, 'stale stage version');
  // shortlisted: now the company sees it and the graduate
  const seen = expect(await companyUser.get(`/api/v1/applications/${app.id}`), 200);
  assert.equal(seen.stage, 'shortlisted');
  assert.ok(ids(await listAll(companyUser, '/api/v1/applications')).includes(app.id));
  assert.ok(!ids(await listAll(companyUser, '/api/v1/applications')).includes(other.id));
  expect(await companyUser.get(`/api/v1/graduates/${gradT.id}`), 200, 'company sees its shortlisted graduate');
  expectError(await companyUser.post(`/api/v1/applications/${app.id}/stage`, { stage: 'interview' }), 403, {}, 'company cannot step back');
  const offered = expect(await companyUser.post(`/api/v1/applications/${app.id}/stage`, { stage: 'offered', note: 'welcome aboard' }), 200, 'company offers');
  assert.equal(offered.stage, 'offered');
  expectError(await companyUser.post(`/api/v1/applications/${app.id}/stage`, { stage: 'accepted' }), 403, {}, 'company cannot accept for the graduate');
  expectError(await companyUser.post(`/api/v1/applications/${app.id}/stage`, { stage: 'rejected' }), 403, {}, 'company cannot reject an offer');
  const acc = expect(await trainee.post(`/api/v1/applications/${app.id}/stage`, { stage: 'accepted' }), 200, 'trainee accepts');
  assert.equal(acc.stage, 'accepted');
  expectError(await coord.post(`/api/v1/applications/${app.id}/stage`, { stage: 'withdrawn' }), 409, { code: 'invalid_transition' }, 'accepted is final');

  const full = expect(await coord.get(`/api/v1/applications/${app.id}`), 200);
  const hist = full.history.map((h) => `${h.from_stage}>${h.to_stage}`);
  assert.deepEqual(hist, ['null>applied', 'applied>screened', 'screened>interview', 'interview>shortlisted', 'shortlisted>offered', 'offered>accepted']);
  const by = Object.fromEntries(full.history.map((h) => [h.to_stage, h]));
  assert.equal(by.applied.user_id, trainee.userId);
  assert.equal(by.applied.user_name, 'Tove Trainee');
  assert.equal(by.screened.user_id, coord.me.user.id);
  assert.equal(by.screened.user_name, coord.me.user.name);
  assert.equal(by.screened.note, 'CV fine');
  assert.equal(by.offered.user_id, companyUser.userId);
  assert.equal(by.offered.user_name, 'Alma SME');
  assert.equal(by.offered.note, 'welcome aboard');
  assert.equal(by.accepted.user_name, 'Tove Trainee');
  assert.ok(full.history.every((h) => h.at), 'every move has a time');
  // the company's view of the history too
  assert.equal(expect(await companyUser.get(`/api/v1/applications/${app.id}`), 200).history.length, 6);

  const audit = await auditOf(coord, 'application', app.id);
  const stages = audit.filter((a) => a.changes && a.changes.stage).map((a) => `${a.changes.stage.old ?? ''}>${a.changes.stage.new}`);
  assert.deepEqual(stages, ['>applied', 'applied>screened', 'screened>interview', 'interview>shortlisted', 'shortlisted>offered', 'offered>accepted']);

  // withdraw and step back
  expect(await coord.post(`/api/v1/applications/${other.id}/stage`, { stage: 'screened' }), 200);
  expect(await coord.post(`/api/v1/applications/${other.id}/stage`, { stage: 'applied', note: 'screened by mistake' }), 200, 'staff step back');
  const w = expect(await coord.post(`/api/v1/applications/${other.id}/stage`, { stage: 'withdrawn' }), 200);
  assert.equal(w.stage, 'withdrawn');
});

test('applications: PATCH rules (notes staff, graduate_rank trainee, company_rank company), versions', async () => {
  const pos = await mkOpenPosition(coord, compA.id, { title: uniq('Ranks') });
  const app = expect(await trainee.post('/api/v1/applications', { position_id: pos.id }), 201);
  const r1 = expect(await trainee.patch(`/api/v1/applications/${app.id}`, { graduate_rank: 1, version: app.version }), 200, 'trainee ranks');
  assert.equal(r1.graduate_rank, 1);
  expectError(await trainee.patch(`/api/v1/applications/${app.id}`, { company_rank: 1, version: r1.version }), 403, { field: 'company_rank' });
  expectError(await trainee.patch(`/api/v1/applications/${app.id}`, { notes: 'me', version: r1.version }), 403, { field: 'notes' });
  expectError(await trainee.patch(`/api/v1/applications/${app.id}`, { graduate_rank: 2, version: app.version }), 412);
  expectError(await trainee.patch(`/api/v1/applications/${app.id}`, { graduate_rank: 2 }), 428);
  const r2 = expect(await coord.patch(`/api/v1/applications/${app.id}`, { notes: 'good fit' }, { 'If-Match': `"v${r1.version}"` }), 200);
  assert.equal(r2.notes, 'good fit');
  for (const s of ['screened', 'interview', 'shortlisted']) expect(await coord.post(`/api/v1/applications/${app.id}/stage`, { stage: s }), 200);
  let cur = expect(await companyUser.get(`/api/v1/applications/${app.id}`), 200);
  const r3 = expect(await companyUser.patch(`/api/v1/applications/${app.id}`, { company_rank: 2, version: cur.version }), 200, 'company ranks');
  assert.equal(r3.company_rank, 2);
  expectError(await companyUser.patch(`/api/v1/applications/${app.id}`, { graduate_rank: 3, version: r3.version }), 403, { field: 'graduate_rank' });
  expectError(await companyUser.patch(`/api/v1/applications/${app.id}`, { notes: 'x', version: r3.version }), 403, { field: 'notes' });
  const audit = await auditOf(coord, 'application', app.id);
  assert.ok(audit.some((a) => a.changes.company_rank && a.changes.company_rank.new === 2 && a.user_email === 'sme.alpha@example.org'), JSON.stringify(audit));
});

test('applications: the company rejects from its shortlist (shortlisted -> rejected)', async () => {
  const pos = await mkOpenPosition(coord, compA.id, { title: uniq('Reject') });
  const g = await mkGraduate(coord);
  const app = expect(await coord.post('/api/v1/applications', { position_id: pos.id, graduate_id: g.id }), 201);
  for (const s of ['screened', 'interview', 'shortlisted']) expect(await coord.post(`/api/v1/applications/${app.id}/stage`, { stage: s }), 200);
  expect(await companyUser.get(`/api/v1/applications/${app.id}`), 200);
  const r = await companyUser.post(`/api/v1/applications/${app.id}/stage`, { stage: 'rejected', note: 'not this time' });
  const after = expect(await coord.get(`/api/v1/applications/${app.id}`), 200);
  assert.equal(after.stage, 'rejected', `stage after the company's reject (response ${r.status} ${JSON.stringify(r.body)})`);
  expect(r, 200, 'company rejects from shortlist');
  assert.equal(after.history.at(-1).user_id, companyUser.userId);
  expectError(await trainee.post(`/api/v1/applications/${app.id}/stage`, { stage: 'withdrawn' }), 404, {}, 'not the trainee\'s application');
});

test('applications: the trainee withdraws one application and declines an offer', async () => {
  const p1 = await mkOpenPosition(coord, compB.id, { title: uniq('Withdraw me') });
  const p2 = await mkOpenPosition(coord, compB.id, { title: uniq('Decline me') });
  const a1 = expect(await trainee.post('/api/v1/applications', { position_id: p1.id }), 201);
  const w = expect(await trainee.post(`/api/v1/applications/${a1.id}/stage`, { stage: 'withdrawn', note: 'found something else' }), 200, 'trainee withdraws');
  assert.equal(w.stage, 'withdrawn');
  assert.equal(w.history.at(-1).user_id, trainee.userId);
  assert.equal(w.history.at(-1).note, 'found something else');
  expectError(await trainee.post(`/api/v1/applications/${a1.id}/stage`, { stage: 'applied' }), 409, { code: 'invalid_transition' });
  const a2 = expect(await trainee.post('/api/v1/applications', { position_id: p2.id }), 201);
  expectError(await trainee.post(`/api/v1/applications/${a2.id}/stage`, { stage: 'declined' }), 409, { code: 'invalid_transition' }, 'nothing to decline yet');
  for (const s of ['screened', 'interview', 'shortlisted', 'offered']) expect(await coord.post(`/api/v1/applications/${a2.id}/stage`, { stage: s }), 200);
  const d = expect(await trainee.post(`/api/v1/applications/${a2.id}/stage`, { stage: 'declined' }), 200, 'trainee declines');
  assert.equal(d.stage, 'declined');
  const mine = await listAll(trainee, '/api/v1/applications');
  assert.ok(ids(mine).includes(a1.id) && ids(mine).includes(a2.id));
  assert.ok(mine.every((a) => a.graduate_id === gradT.id));
});

test('applications: list filters (stage, position_id, graduate_id, company_id, cohort_id), sort -id, q', async () => {
  const h = await mkCohort(coord);
  const pa = await mkOpenPosition(coord, compA.id, { title: uniq('Lf A'), cohort_id: h.id });
  const pb = await mkOpenPosition(coord, compB.id, { title: uniq('Lf B') });
  const g1 = await mkGraduate(coord, { name: uniq('Lf Grad one') });
  const g2 = await mkGraduate(coord, { name: uniq('Lf Grad two') });
  const a1 = expect(await coord.post('/api/v1/applications', { position_id: pa.id, graduate_id: g1.id }), 201);
  const a2 = expect(await coord.post('/api/v1/applications', { position_id: pa.id, graduate_id: g2.id }), 201);
  const a3 = expect(await coord.post('/api/v1/applications', { position_id: pb.id, graduate_id: g1.id }), 201);
  expect(await coord.post(`/api/v1/applications/${a2.id}/stage`, { stage: 'screened' }), 200);
  assert.deepEqual(ids(await listAll(coord, `/api/v1/applications?position_id=${pa.id}`)), [a1.id, a2.id]);
  assert.deepEqual(ids(await listAll(coord, `/api/v1/applications?graduate_id=${g1.id}`)), [a1.id, a3.id]);
  assert.deepEqual(ids(await listAll(coord, `/api/v1/applications?graduate_id=${g1.id}&sort=-id`)), [a3.id, a1.id]);
  assert.deepEqual(ids(await listAll(coord, `/api/v1/applications?company_id=${compB.id}&graduate_id=${g1.id}`)), [a3.id]);
  assert.deepEqual(ids(await listAll(coord, `/api/v1/applications?cohort_id=${h.id}`)), [a1.id, a2.id]);
  assert.deepEqual(ids(await listAll(coord, `/api/v1/applications?position_id=${pa.id}&stage=screened`)), [a2.id]);
  assert.deepEqual(ids(await listAll(coord, `/api/v1/applications?q=${encodeURIComponent(g2.name)}`)), [a2.id]);
  const p1 = expect(await coord.get(`/api/v1/applications?graduate_id=${g1.id}&sort=-id&limit=1`), 200);
  assert.deepEqual(ids(p1.items), [a3.id]);
  const p2 = expect(await coord.get(`/api/v1/applications?graduate_id=${g1.id}&sort=-id&limit=1&cursor=${encodeURIComponent(p1.next_cursor)}`), 200);
  assert.deepEqual(ids(p2.items), [a1.id]);
  expectError(await coord.get('/api/v1/applications?sort=name'), 400, { field: 'sort' });
  expectError(await coordSi.get(`/api/v1/applications/${a1.id}`), 404);
  expectError(await coordSi.post(`/api/v1/applications/${a1.id}/stage`, { stage: 'screened' }), 404);
  expectError(await coordSi.post('/api/v1/applications', { position_id: pa.id, graduate_id: g1.id }), 400, { field: 'position_id' });
  const siGrad = await mkGraduate(coordSi);
  expectError(await coord.post('/api/v1/applications', { position_id: pb.id, graduate_id: siGrad.id }), 400, { field: 'graduate_id' });
  assert.ok(!ids(await listAll(coordSi, '/api/v1/applications')).includes(a1.id));
});

test('positions: delete refused while applications refer to it (409 naming applications)', async () => {
  const pos = await mkOpenPosition(coord, compB.id, { title: uniq('Referenced') });
  const g = await mkGraduate(coord);
  expect(await coord.post('/api/v1/applications', { position_id: pos.id, graduate_id: g.id }), 201);
  expectError(await coord.del(`/api/v1/positions/${pos.id}`), 409, { code: 'still_referenced', message: /application/ });
  const free = await mkPosition(coord, compB.id);
  expect(await coord.del(`/api/v1/positions/${free.id}`), 204);
  expectError(await coord.get(`/api/v1/positions/${free.id}`), 404);
});

test('applications: staff delete an application (204), its history goes with it', async () => {
  const pos = await mkOpenPosition(coord, compB.id, { title: uniq('Delete app') });
  const g = await mkGraduate(coord);
  const app = expect(await coord.post('/api/v1/applications', { position_id: pos.id, graduate_id: g.id }), 201);
  expect(await coord.post(`/api/v1/applications/${app.id}/stage`, { stage: 'screened' }), 200);
  expectError(await trainee.del(`/api/v1/applications/${app.id}`), 403);
  expect(await coord.del(`/api/v1/applications/${app.id}`), 204, 'delete application');
  expectError(await coord.get(`/api/v1/applications/${app.id}`), 404);
  expect(await coord.del(`/api/v1/positions/${pos.id}`), 204, 'position free again');
});

test('dashboard: counts per stage and status within what the caller may see', async () => {
  const d = expect(await coord.get('/api/v1/dashboard'), 200);
  const apps = await listAll(coord, '/api/v1/applications?limit=200');
  const byStage = {};
  for (const a of apps) byStage[a.stage] = (byStage[a.stage] || 0) + 1;
  assert.deepEqual(d.applications, byStage);
  const positions = await listAll(coord, '/api/v1/positions?limit=200');
  const byStatus = {};
  for (const p of positions) byStatus[p.status] = (byStatus[p.status] || 0) + 1;
  assert.deepEqual(d.positions, byStatus);
  assert.equal(d.companies, (await listAll(coord, '/api/v1/companies?limit=200')).length);
  assert.equal(d.graduates, (await listAll(coord, '/api/v1/graduates?limit=200')).length);
  assert.equal(d.cohorts, (await listAll(coord, '/api/v1/cohorts?limit=200')).length);
  // the company: only its own positions, its shortlist on
  const dc = expect(await companyUser.get('/api/v1/dashboard'), 200);
  assert.equal(dc.companies, 1);
  const mine = await listAll(companyUser, '/api/v1/positions?limit=200');
  assert.equal(Object.values(dc.positions).reduce((x, y) => x + y, 0), mine.length);
  for (const s of ['applied', 'screened', 'interview']) assert.equal(dc.applications[s], undefined, `company counts ${s}`);
  // the trainee: their own record
  const dt = expect(await trainee.get('/api/v1/dashboard'), 200);
  assert.equal(dt.graduates, 1);
  assert.equal(Object.values(dt.applications).reduce((x, y) => x + y, 0), (await listAll(trainee, '/api/v1/applications')).length);
});

test('dashboard: scalar counts are numbers even when nothing is visible', async () => {
  const co = await mkCompany(coord, { legal_name: uniq('Empty SME') });
  const u = await inviteAndLogin(srv, coord, { email: 'sme.empty@example.org', name: 'Empty SME', role: 'company', subject_type: 'company', subject_id: co.id });
  const d = expect(await u.get('/api/v1/dashboard'), 200);
  assert.equal(d.companies, 1);
  assert.equal(d.graduates, 0, `graduates: ${JSON.stringify(d)}`);
  assert.deepEqual(d.positions, {});
  assert.deepEqual(d.applications, {});
  // a company with a login is still referenced by it
  expectError(await coord.del(`/api/v1/companies/${co.id}`), 409, { code: 'still_referenced', message: /login/ });
});
