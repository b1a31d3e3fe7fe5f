// Graduates' personal data: consent, CV files, the GDPR export and erasure.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  startServer, login, Client, USERS, expect, expectError, uniq, ids, listAll, auditOf, inviteAndLogin,
  mkCompany, mkGraduate, mkCohort, mkOpenPosition, makePdf, rawRequest,
} from './programme_lib.mjs';

let srv, coord, coordSi, trainee, companyUser, other;
let grad, comp, cohort, position;
const GRAD_NAME = 'Greta Gdpr-Subject';
const GRAD_EMAIL = 'greta.gdpr@example.org';
const PDF = { 'Content-Type': 'application/pdf' };

before(async () => {
  srv = await startServer();
  [coord, coordSi] = await Promise.all([login(srv.base, USERS.coord), login(srv.base, USERS.coordSi)]);
  grad = await mkGraduate(coord, {
    name: GRAD_NAME, email: GRAD_EMAIL, phone: '+46 70 123 45 67', nationality: 'SE', residence: 'SE', eqf_level: '7', field: '0413',
    university: 'Stockholm School of Economics', graduation_year: 2025, languages: [{ code: 'sv', level: 'native' }, { code: 'en', level: 'C1' }],
    countries: [{ country: 'JP', months: 12, kind: 'studied' }], skills: ['export controlling'], mobility: ['JP'], available_from: '2027-01-15',
  });
  other = await mkGraduate(coord, { name: uniq('Bystander') });
  comp = await mkCompany(coord);
  cohort = await mkCohort(coord);
  position = await mkOpenPosition(coord, comp.id, { title: uniq('GDPR position'), cohort_id: cohort.id });
  [trainee, companyUser] = await Promise.all([
    inviteAndLogin(srv, coord, { email: GRAD_EMAIL, name: GRAD_NAME, role: 'trainee', subject_type: 'graduate', subject_id: grad.id }),
    inviteAndLogin(srv, coord, { email: 'sme.gdpr@example.org', name: 'Sven SME', role: 'company', subject_type: 'company', subject_id: comp.id }),
  ]);
});
after(async () => { if (srv) await srv.stop(); });

test('consent: recorded with the server time and who gave it; withdrawn', async () => {
  const t0 = Date.now();
  const r = await trainee.post(`/api/v1/graduates/${grad.id}/consent`, { purpose: 'matching with host companies', text_version: '2026-1' });
  const g = expect(r, 200, 'trainee gives consent');
  assert.equal(g.consent.purpose, 'matching with host companies');
  assert.equal(g.consent.text_version, '2026-1');
  assert.equal(g.consent.given_by, trainee.userId);
  const at = Date.parse(g.consent.given_at);
  assert.ok(Math.abs(at - t0) < 120000, `given_at ${g.consent.given_at} is the server's time`);
  expectError(await trainee.post(`/api/v1/graduates/${grad.id}/consent`, { purpose: 'x y z', text_version: '1', given_at: '2000-01-01T00:00:00Z' }),
    400, { field: 'given_at' }, 'the client cannot set the time');
  expectError(await trainee.post(`/api/v1/graduates/${grad.id}/consent`, { text_version: '1' }), 400, { field: 'purpose' });
  expectError(await trainee.post(`/api/v1/graduates/${other.id}/consent`, { purpose: 'matching', text_version: '1' }), 404);
  expectError(await companyUser.post(`/api/v1/graduates/${grad.id}/consent`, { purpose: 'matching', text_version: '1' }), 403);
  const w = expect(await trainee.del(`/api/v1/graduates/${grad.id}/consent`), 200, 'withdraw');
  assert.equal(w.consent, null);
  const again = expect(await coord.post(`/api/v1/graduates/${grad.id}/consent`, { purpose: 'matching with host companies', text_version: '2026-2' }), 200);
  assert.equal(again.consent.given_by, coord.me.user.id);
  const audit = await auditOf(coord, 'graduate', grad.id);
  const bound = audit.find((a) => a.changes && a.changes.user_id);
  assert.ok(bound, 'the invitation binding the login is audited');
  assert.deepEqual(bound.changes.user_id, { old: null, new: trainee.userId });
  const consentChanges = audit.filter((a) => a.changes && a.changes.consent);
  assert.ok(consentChanges.length >= 3, JSON.stringify(audit));
  assert.equal(consentChanges[1].changes.consent.new, null, 'the withdrawal shows the old consent -> null');
  assert.equal(consentChanges[1].changes.consent.old.text_version, '2026-1');
});

test('CV: PDF upload, download of the same bytes, content checks (400, 415, 413)', async () => {
  const pdf = makePdf('Greta CV');
  assert.equal(pdf.subarray(0, 8).toString('latin1'), '%PDF-1.4');
  const r = await trainee.put(`/api/v1/graduates/${grad.id}/cv?filename=greta-cv.pdf`, pdf, PDF);
  const g = expect(r, 200, 'upload CV');
  assert.equal(g.has_cv, true);
  assert.equal(g.cv_size, pdf.length);
  assert.equal(g.cv_name, 'greta-cv.pdf');
  assert.equal(g.cv_sha256, createHash('sha256').update(pdf).digest('hex'));
  const d = await coord.get(`/api/v1/graduates/${grad.id}/cv`);
  expect(d, 200, 'download');
  assert.match(d.headers.get('content-type'), /^application\/pdf/);
  assert.ok(Buffer.compare(d.body, pdf) === 0, 'the same bytes come back');
  assert.match(d.headers.get('content-disposition') || '', /attachment/);
  const mine = await trainee.get(`/api/v1/graduates/${grad.id}/cv`);
  expect(mine, 200);
  assert.ok(Buffer.compare(mine.body, pdf) === 0);
  // checked by content, not by the claimed type
  expectError(await trainee.put(`/api/v1/graduates/${grad.id}/cv`, Buffer.from('<html>not a pdf</html>'), PDF), 400, { field: 'cv' });
  expectError(await trainee.put(`/api/v1/graduates/${grad.id}/cv`, Buffer.from('PK\x03\x04 zip file here'), PDF), 400);
  expectError(await trainee.put(`/api/v1/graduates/${grad.id}/cv`, pdf, { 'Content-Type': 'application/octet-stream' }), 415);
  expectError(await trainee.put(`/api/v1/graduates/${grad.id}/cv`, pdf, { 'Content-Type': 'image/png' }), 415);
  const big = Buffer.concat([pdf, Buffer.alloc(5 * 1024 * 1024 + 1 - pdf.length + 10, 0x20)]);
  const tooBig = await rawRequest(trainee, 'PUT', `/api/v1/graduates/${grad.id}/cv`, big, PDF);
  assert.equal(tooBig.status, 413, `> 5 MiB: ${tooBig.status}`);
  // the stored CV is unchanged by the refused uploads
  const again = await coord.get(`/api/v1/graduates/${grad.id}/cv`);
  assert.ok(Buffer.compare(again.body, pdf) === 0);
  // exactly 5 MiB is accepted
  const max = Buffer.concat([pdf, Buffer.alloc(5 * 1024 * 1024 - pdf.length, 0x20)]);
  expect(await coord.put(`/api/v1/graduates/${other.id}/cv`, max, PDF), 200, 'exactly 5 MiB');
  expectError(await coordSi.get(`/api/v1/graduates/${grad.id}/cv`), 404);
  expectError(await trainee.put(`/api/v1/graduates/${other.id}/cv`, pdf, PDF), 404);
  expectError(await trainee.get(`/api/v1/graduates/${other.id}/cv`), 404);
  expectError(await companyUser.get(`/api/v1/graduates/${grad.id}/cv`), 404, {}, 'company: not on its shortlist');
  // audit of the upload
  const audit = await auditOf(coord, 'graduate', grad.id);
  assert.ok(audit.some((a) => a.changes.cv_sha256 && a.changes.cv_sha256.new === g.cv_sha256), JSON.stringify(audit.map((a) => a.changes)));
});

test('GDPR export: profile, CV, applications with history, placements, audit', async () => {
  const app = expect(await trainee.post('/api/v1/applications', { position_id: position.id }), 201);
  for (const s of ['screened', 'interview', 'shortlisted']) expect(await coord.post(`/api/v1/applications/${app.id}/stage`, { stage: s, note: `note ${s}` }), 200);
  expect(await coord.patch(`/api/v1/applications/${app.id}`, { notes: 'Greta is strong in Japanese market research', version: 4 }), 200);
  expect(await companyUser.get(`/api/v1/graduates/${grad.id}/cv`), 200, 'company sees the CV once shortlisted');
  const pl = expect(await coord.post('/api/v1/placements', {
    graduate_id: grad.id, company_id: comp.id, cohort_id: cohort.id, position_id: position.id, start_date: '2027-02-01', end_date: '2027-08-01',
  }), 201);
  expect(await coord.post(`/api/v1/placements/${pl.id}/accept`, { terms_hash: pl.agreement.terms_hash }), 200);
  const r = await trainee.get(`/api/v1/graduates/${grad.id}/export`);
  const x = expect(r, 200, 'trainee export');
  assert.match(r.headers.get('content-disposition') || '', /attachment/);
  assert.ok(x.exported_at);
  assert.equal(x.profile.id, grad.id);
  assert.equal(x.profile.name, GRAD_NAME);
  assert.equal(x.profile.email, GRAD_EMAIL);
  assert.ok(x.cv && x.cv.content_base64, 'the CV is part of the export');
  const cvBytes = Buffer.from(x.cv.content_base64, 'base64');
  assert.equal(createHash('sha256').update(cvBytes).digest('hex'), x.cv.sha256);
  assert.deepEqual(ids(x.applications), [app.id]);
  assert.deepEqual(x.applications[0].history.map((h) => h.to_stage), ['applied', 'screened', 'interview', 'shortlisted']);
  assert.deepEqual(ids(x.placements), [pl.id]);
  assert.equal(x.placements[0].agreement_acceptances.length, 1);
  assert.ok(Array.isArray(x.audit) && x.audit.length >= 3, `audit in the export: ${JSON.stringify(x.audit).slice(0, 300)}`);
  assert.ok(x.audit.every((a) => a.entity === 'graduate' && a.entity_id === grad.id));
  assert.ok(x.audit.some((a) => a.action === 'create'));
  const staff = expect(await coord.get(`/api/v1/graduates/${grad.id}/export`), 200, 'staff export');
  assert.equal(staff.profile.id, grad.id);
  expectError(await trainee.get(`/api/v1/graduates/${other.id}/export`), 404);
  expectError(await companyUser.get(`/api/v1/graduates/${grad.id}/export`), 403);
  expectError(await coordSi.get(`/api/v1/graduates/${grad.id}/export`), 404);
});

test('GDPR erasure: personal fields, CV and login gone; statistics kept; read-only afterwards; audit scrubbed', async () => {
  const before = expect(await coord.get(`/api/v1/graduates/${grad.id}`), 200);
  assert.ok(before.has_cv);
  expectError(await trainee.post(`/api/v1/graduates/${grad.id}/erase`), 403, {}, 'the trainee asks staff to erase');
  expectError(await coordSi.post(`/api/v1/graduates/${grad.id}/erase`), 404);
  const r = await coord.post(`/api/v1/graduates/${grad.id}/erase`);
  const e = expect(r, 200, 'erase');
  assert.equal(e.name, `Erased graduate ${grad.id}`);
  for (const f of ['email', 'phone', 'residence', 'university', 'available_from', 'consent', 'cv_sha256', 'cv_size', 'cv_name', 'user_id'])
    assert.equal(e[f], null, `${f} erased`);
  assert.deepEqual(e.skills, []);
  assert.deepEqual(e.countries, []);
  assert.deepEqual(e.mobility, []);
  assert.equal(e.has_cv, false);
  assert.ok(e.erased_at);
  assert.equal(e.eqf_level, '7');
  assert.equal(e.field, '0413');
  assert.deepEqual(e.languages, [{ code: 'sv', level: 'native' }, { code: 'en', level: 'C1' }]);
  assert.equal(e.graduation_year, 2025);
  assert.equal(e.nationality, 'SE');
  expectError(await coord.get(`/api/v1/graduates/${grad.id}/cv`), 404, {}, 'CV gone');
  // the trainee's session and login are gone
  expectError(await trainee.get('/api/v1/me'), 401, {}, 'old session');
  const relogin = await new Client(srv.base).login(GRAD_EMAIL, trainee.password);
  assert.equal(relogin.status, 401, `login after erasure: ${relogin.status}`);
  // read-only afterwards
  expectError(await coord.patch(`/api/v1/graduates/${grad.id}`, { name: 'Back again', version: e.version }), 409, { code: 'erased' });
  expectError(await coord.post(`/api/v1/graduates/${grad.id}/consent`, { purpose: 'matching', text_version: '1' }), 409);
  expectError(await coord.put(`/api/v1/graduates/${grad.id}/cv`, makePdf(), PDF), 409);
  expectError(await coord.post(`/api/v1/graduates/${grad.id}/erase`), 409, {}, 'erase twice');
  // notes about them scrubbed, programme history kept
  const apps = await listAll(coord, `/api/v1/applications?graduate_id=${grad.id}`);
  assert.equal(apps.length, 1);
  assert.equal(apps[0].notes, null);
  assert.equal(apps[0].graduate_name, `Erased graduate ${grad.id}`);
  const app = expect(await coord.get(`/api/v1/applications/${apps[0].id}`), 200);
  assert.equal(app.history.length, 4);
  assert.ok(app.history.every((h) => h.note === null), JSON.stringify(app.history));
  assert.equal(expect(await coord.get(`/api/v1/placements?graduate_id=${grad.id}`), 200).items.length, 1);
  // lists: erased filter; search by the old name finds nothing
  assert.ok(ids(await listAll(coord, '/api/v1/graduates?erased=true')).includes(grad.id));
  assert.ok(!ids(await listAll(coord, '/api/v1/graduates?erased=false')).includes(grad.id));
  assert.deepEqual(ids(await listAll(coord, `/api/v1/graduates?q=${encodeURIComponent('Greta')}`)), []);
  // the audit no longer shows who they were
  const all = await listAll(coord, '/api/v1/audit?limit=200');
  const text = JSON.stringify(all);
  const secrets = [GRAD_NAME, GRAD_EMAIL, 'Greta', '+46 70 123 45 67', 'Stockholm School of Economics', 'Japanese market research'];
  const offenders = all.filter((a) => secrets.some((x) => JSON.stringify(a).includes(x)))
    .map((a) => `${a.entity} ${a.entity_id} ${a.action} ${JSON.stringify(a.changes)}`);
  const about = await auditOf(coord, 'graduate', grad.id);
  assert.ok(about.length >= 2);
  assert.ok(about.some((a) => a.changes && (a.changes.erased === true || (a.changes.erased && a.changes.erased.new === true))), JSON.stringify(about));
  assert.ok(!secrets.some((x) => text.includes(x)), `audit entries still naming the erased graduate:\n${offenders.join('\n').slice(0, 1500)}`);
});

test('graduates: a graduate with a trainee login cannot be deleted out from under it', async () => {
  // the newest graduate, bound to a login
  const g = await mkGraduate(coord, { name: uniq('Lina Login'), email: 'lina.login@example.org' });
  const lina = await inviteAndLogin(srv, coord, { email: 'lina.login@example.org', name: 'Lina Login', role: 'trainee', subject_type: 'graduate', subject_id: g.id });
  expect(await lina.get(`/api/v1/graduates/${g.id}`), 200);
  const del = await coord.del(`/api/v1/graduates/${g.id}`);
  if (del.status === 204) {
    // the record went; a new graduate must not inherit the orphaned login's access
    const stranger = await mkGraduate(coord, { name: 'Stranger Newcomer', email: 'stranger@example.org' });
    const leak = await lina.get(`/api/v1/graduates/${stranger.id}`);
    assert.notEqual(leak.status, 200, `the deleted graduate's login reads graduate ${stranger.id} (${stranger.name}), created after the deletion (reused id ${g.id === stranger.id})`);
  }
  expectError(del, 409, { code: 'still_referenced', message: /login|trainee|membership/ }, 'delete a graduate who has a login');
});
