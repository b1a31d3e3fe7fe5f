// Companies, graduates and cohorts: CRUD, versions, filters, validation,
// references, tenant isolation, the viewer's role, the audit log.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, login, USERS, ORG_SE, ORG_SI, expect, expectError, uniq, ids, listAll, auditOf,
  mkCompany, mkGraduate, mkCohort, mkPosition,
} from './programme_lib.mjs';

let srv, coord, coordSi, admin, viewer;

before(async () => {
  srv = await startServer();
  [coord, coordSi, admin, viewer] = await Promise.all([
    login(srv.base, USERS.coord), login(srv.base, USERS.coordSi), login(srv.base, USERS.admin), login(srv.base, USERS.viewer),
  ]);
});
after(async () => { if (srv) await srv.stop(); });

test('companies: create returns 201 with Location and ETag, read, audit of the creation', async () => {
  const r = await coord.post('/api/v1/companies', {
    legal_name: 'Nordic Timber AB', registration_number: '556000-0001', country: 'SE', region: 'Dalarna', city: 'Falun',
    nace: '16.10', employees: 40, currency: 'SEK', turnover: 9000000000, export_turnover: 2000000000, balance_sheet: 5000000000,
    products: ['440711'], export_markets: ['DE', 'NO'], target_markets: ['JP'],
    contacts: [{ name: 'Lena Berg', email: 'lena@example.org', phone: '+46 1', role: 'CEO' }], website: 'https://example.org',
  });
  const c = expect(r, 201, 'create company');
  assert.equal(r.headers.get('location'), `/api/v1/companies/${c.id}`);
  assert.equal(r.headers.get('etag'), '"v1"');
  assert.equal(c.org_id, ORG_SE);
  assert.equal(c.version, 1);
  assert.ok(c.created_at && c.updated_at);
  assert.deepEqual(c.target_markets, ['JP']);
  assert.equal(c.contacts[0].name, 'Lena Berg');
  assert.equal(typeof c.sme_check, 'object');
  assert.equal(c.sme_check.eligible, true, JSON.stringify(c.sme_check));

  const g = await coord.get(`/api/v1/companies/${c.id}`);
  const got = expect(g, 200);
  assert.equal(g.headers.get('etag'), '"v1"');
  assert.equal(got.legal_name, 'Nordic Timber AB');
  assert.deepEqual(got.products, ['440711']);

  const audit = await auditOf(coord, 'company', c.id);
  const create = audit.find((a) => a.action === 'create');
  assert.ok(create, JSON.stringify(audit));
  assert.equal(create.changes.legal_name.new, 'Nordic Timber AB');
  assert.equal(create.user_email, USERS.coord);
});

test('companies: update with If-Match or body version; stale 412, missing 428; audit old -> new', async () => {
  const c = await mkCompany(coord, { city: 'Lund' });
  const u1 = await coord.patch(`/api/v1/companies/${c.id}`, { city: 'Malmö' }, { 'If-Match': '"v1"' });
  assert.equal(expect(u1, 200, 'If-Match update').city, 'Malmö');
  assert.equal(u1.body.version, 2);
  assert.equal(u1.headers.get('etag'), '"v2"');
  const u2 = await coord.patch(`/api/v1/companies/${c.id}`, { city: 'Ystad', version: 2 });
  assert.equal(expect(u2, 200, 'body version update').version, 3);
  expectError(await coord.patch(`/api/v1/companies/${c.id}`, { city: 'Kiruna', version: 1 }), 412, {}, 'stale body version');
  expectError(await coord.patch(`/api/v1/companies/${c.id}`, { city: 'Kiruna' }, { 'If-Match': '"v2"' }), 412, {}, 'stale If-Match');
  expectError(await coord.patch(`/api/v1/companies/${c.id}`, { city: 'Kiruna' }), 428, { field: 'version' }, 'no version');
  assert.equal(expect(await coord.get(`/api/v1/companies/${c.id}`), 200).city, 'Ystad');

  const audit = await auditOf(coord, 'company', c.id);
  const updates = audit.filter((a) => a.action === 'update');
  assert.equal(updates.length, 2, JSON.stringify(audit));
  assert.deepEqual(updates[0].changes.city, { old: 'Lund', new: 'Malmö' });
  assert.deepEqual(updates[1].changes.city, { old: 'Malmö', new: 'Ystad' });
});

test('companies: validation errors name the field', async () => {
  const base = { legal_name: 'Valid Name AB', country: 'SE' };
  const cases = [
    [{ ...base, country: 'XX' }, 'country'],
    [{ ...base, nace: '99.99' }, 'nace'],
    [{ ...base, products: ['999998'] }, 'products[0]'],
    [{ ...base, products: ['440711', '4407xx'] }, 'products[1]'],
    [{ ...base, export_markets: ['SE', 'XX'] }, 'export_markets[1]'],
    [{ ...base, currency: 'XXY' }, 'currency'],
    [{ ...base, turnover: 100 }, 'currency'],
    [{ ...base, employees: -1 }, 'employees'],
    [{ ...base, website: 'ftp://example.org' }, 'website'],
    [{ ...base, colour: 'blue' }, 'colour'],
    [{ country: 'SE' }, 'legal_name'],
    [{ legal_name: 'No Country AB' }, 'country'],
  ];
  for (const [body, field] of cases)
    expectError(await coord.post('/api/v1/companies', body), 400, { code: 'validation_failed', field }, JSON.stringify(body));
  // money without currency on update, with the stored record lacking one
  const c = await mkCompany(coord);
  expectError(await coord.patch(`/api/v1/companies/${c.id}`, { balance_sheet: 5, version: 1 }), 400, { field: 'currency' }, 'patch money');
});

test('companies: a nested validation error names its path (contacts[1].email)', async () => {
  const r = await coord.post('/api/v1/companies', {
    legal_name: 'Nested Errors AB', country: 'SE', contacts: [{ name: 'Ok' }, { name: 'Bad', email: 'not an address' }],
  });
  expectError(r, 400, { code: 'validation_failed', field: 'contacts[1].email' }, 'nested contact email');
});

test('companies: list filters (country, nace prefix, target_market), q, sort, pagination', async () => {
  const tag = uniq('Filt');
  const a = await mkCompany(coord, { legal_name: `${tag} Alpha`, country: 'SE', nace: '46.19', target_markets: ['JP', 'US'], city: `${tag}-Umeå` });
  const b = await mkCompany(coord, { legal_name: `${tag} Charlie`, country: 'FI', nace: '16.10', target_markets: ['US'] });
  const c = await mkCompany(coord, { legal_name: `${tag} Bravo`, country: 'SE', nace: '46.90', target_markets: [] });
  const q = `q=${encodeURIComponent(tag)}`;
  const sorted = (xs) => [...xs].sort((x, y) => x - y);
  assert.deepEqual(sorted(ids(await listAll(coord, `/api/v1/companies?${q}`))), sorted([a.id, b.id, c.id]));
  assert.deepEqual(ids(await listAll(coord, `/api/v1/companies?${q}&country=SE`)), [a.id, c.id]);
  assert.deepEqual(ids(await listAll(coord, `/api/v1/companies?${q}&nace=46`)), [a.id, c.id]);
  assert.deepEqual(ids(await listAll(coord, `/api/v1/companies?${q}&nace=16.10`)), [b.id]);
  assert.deepEqual(ids(await listAll(coord, `/api/v1/companies?${q}&target_market=US`)), [a.id, b.id]);
  assert.deepEqual(ids(await listAll(coord, `/api/v1/companies?${q}&target_market=JP&country=SE`)), [a.id]);
  assert.deepEqual(ids(await listAll(coord, `/api/v1/companies?q=${encodeURIComponent(tag + '-Umeå')}`)), [a.id], 'q matches the city');
  assert.deepEqual(ids(await listAll(coord, `/api/v1/companies?${q}&sort=name`)), [a.id, c.id, b.id]);
  assert.deepEqual(ids(await listAll(coord, `/api/v1/companies?${q}&sort=id`)), [a.id, b.id, c.id]);
  // pagination: one per page, cursor carries on, sorted by name
  const p1 = expect(await coord.get(`/api/v1/companies?${q}&sort=name&limit=1`), 200);
  assert.equal(p1.items.length, 1);
  assert.equal(p1.items[0].id, a.id);
  assert.ok(p1.next_cursor);
  const p2 = expect(await coord.get(`/api/v1/companies?${q}&sort=name&limit=1&cursor=${encodeURIComponent(p1.next_cursor)}`), 200);
  assert.deepEqual(ids(p2.items), [c.id]);
  const p3 = expect(await coord.get(`/api/v1/companies?${q}&sort=name&limit=2&cursor=${encodeURIComponent(p2.next_cursor)}`), 200);
  assert.deepEqual(ids(p3.items), [b.id]);
  assert.ok(!p3.next_cursor, 'last page has no cursor');
  expectError(await coord.get('/api/v1/companies?limit=0'), 400, { field: 'limit' });
  expectError(await coord.get('/api/v1/companies?limit=201'), 400, { field: 'limit' });
  expectError(await coord.get('/api/v1/companies?sort=turnover'), 400, { field: 'sort' });
});

test('companies: PATCH cannot null a required field; weak If-Match; malformed If-Match 400', async () => {
  const c = await mkCompany(coord);
  expectError(await coord.patch(`/api/v1/companies/${c.id}`, { legal_name: null, version: 1 }), 400, { field: 'legal_name' });
  expectError(await coord.patch(`/api/v1/companies/${c.id}`, { country: null, version: 1 }), 400, { field: 'country' });
  const u = expect(await coord.patch(`/api/v1/companies/${c.id}`, { city: 'Visby', region: null }, { 'If-Match': 'W/"v1"' }), 200, 'weak ETag');
  assert.equal(u.version, 2);
  assert.equal(expect(await coord.get(`/api/v1/companies/${c.id}`), 200).region, null);
  expectError(await coord.patch(`/api/v1/companies/${c.id}`, { city: 'Kalmar' }, { 'If-Match': 'garbage' }), 400, { field: 'If-Match' });
});

test('companies: name-sorted pages do not skip or repeat records with equal names', async () => {
  const name = uniq('Same Name AB');
  const made = [];
  for (let i = 0; i < 3; i++) made.push((await mkCompany(coord, { legal_name: name })).id);
  const seen = [];
  let cursor = null;
  for (let i = 0; i < 5; i++) {
    const page = expect(await coord.get(`/api/v1/companies?q=${encodeURIComponent(name)}&sort=name&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`), 200);
    seen.push(...ids(page.items));
    if (!page.next_cursor) break;
    cursor = page.next_cursor;
  }
  assert.deepEqual(seen, made);
});

test('companies: delete refused while referenced (409 naming positions), 204 when free', async () => {
  const c = await mkCompany(coord);
  const p = await mkPosition(coord, c.id);
  expectError(await coord.del(`/api/v1/companies/${c.id}`), 409, { code: 'still_referenced', message: /position/ }, 'referenced company');
  expect(await coord.del(`/api/v1/positions/${p.id}`), 204, 'delete position');
  expect(await coord.del(`/api/v1/companies/${c.id}`), 204, 'delete free company');
  expectError(await coord.get(`/api/v1/companies/${c.id}`), 404);
  const audit = await auditOf(coord, 'company', c.id);
  const del = audit.find((a) => a.action === 'delete');
  assert.ok(del, JSON.stringify(audit));
  assert.equal(del.changes.legal_name.old, c.legal_name);
});

test('graduates: create, read, update, versions, audit', async () => {
  const r = await coord.post('/api/v1/graduates', {
    name: 'Astrid Lund', email: 'astrid.lund@example.org', phone: '+46 70 000', nationality: 'SE', residence: 'SE',
    eqf_level: '7', field: '0413', university: 'Uppsala University', graduation_year: 2025,
    languages: [{ code: 'sv', level: 'native' }, { code: 'en', level: 'C1' }, { code: 'ja', level: 'A2' }],
    countries: [{ country: 'JP', months: 6, kind: 'studied' }], skills: ['market research'], mobility: ['JP', 'DE'],
    available_from: '2027-02-01',
  });
  const g = expect(r, 201, 'create graduate');
  assert.equal(r.headers.get('location'), `/api/v1/graduates/${g.id}`);
  assert.equal(r.headers.get('etag'), '"v1"');
  assert.equal(g.has_cv, false);
  assert.equal(g.erased_at, null);
  assert.deepEqual(g.languages[1], { code: 'en', level: 'C1' });
  expect(await coord.get(`/api/v1/graduates/${g.id}`), 200);
  const u = expect(await coord.patch(`/api/v1/graduates/${g.id}`, { university: 'Lund University' }, { 'If-Match': '"v1"' }), 200);
  assert.equal(u.university, 'Lund University');
  expectError(await coord.patch(`/api/v1/graduates/${g.id}`, { university: 'KTH', version: 1 }), 412);
  expectError(await coord.patch(`/api/v1/graduates/${g.id}`, { university: 'KTH' }), 428);
  expectError(await coord.post('/api/v1/graduates', { name: 'Dup', email: 'astrid.lund@example.org' }), 409, { field: 'email' }, 'duplicate email');
  const audit = await auditOf(coord, 'graduate', g.id);
  const upd = audit.find((a) => a.action === 'update');
  assert.deepEqual(upd.changes.university, { old: 'Uppsala University', new: 'Lund University' });
});

test('graduates: validation errors name the field', async () => {
  const cases = [
    [{ name: 'X', nationality: 'XX' }, 'nationality'],
    [{ name: 'X', eqf_level: '9' }, 'eqf_level'],
    [{ name: 'X', field: '9998' }, 'field'],
    [{ name: 'X', available_from: '2027-02-30' }, 'available_from'],
    [{ name: 'X', available_from: '01/02/2027' }, 'available_from'],
    [{ name: 'X', email: 'nope' }, 'email'],
    [{ name: 'X', mobility: ['XX'] }, 'mobility[0]'],
    [{ name: 'X', graduation_year: 1900 }, 'graduation_year'],
    [{ name: 'X', shoe_size: 42 }, 'shoe_size'],
    [{ email: 'x@example.org' }, 'name'],
  ];
  for (const [body, field] of cases)
    expectError(await coord.post('/api/v1/graduates', body), 400, { code: 'validation_failed', field }, JSON.stringify(body));
  expectError(await coord.post('/api/v1/graduates', { name: 'X', languages: [{ code: 'en', level: 'B2' }, { code: 'en', level: 'C1' }] }),
    400, { field: /^languages/, message: /languages\[1\]/ }, 'language twice');
});

test('graduates: a language level "D1" is refused with the error path languages[1].level', async () => {
  const r = await coord.post('/api/v1/graduates', { name: 'Level Test', languages: [{ code: 'sv', level: 'native' }, { code: 'en', level: 'D1' }] });
  expectError(r, 400, { code: 'validation_failed', field: 'languages[1].level' }, 'nested language level');
  const r2 = await coord.post('/api/v1/graduates', { name: 'Level Test', countries: [{ country: 'JP', months: 3, kind: 'holiday' }] });
  expectError(r2, 400, { code: 'validation_failed', field: 'countries[0].kind' }, 'nested country kind');
});

test('graduates: list filters (language, nationality, field prefix, eqf_level, erased), q, sort', async () => {
  const tag = uniq('Gfilt');
  const a = await mkGraduate(coord, { name: `${tag} Zed`, nationality: 'SE', field: '0413', eqf_level: '6', languages: [{ code: 'ja', level: 'B1' }] });
  const b = await mkGraduate(coord, { name: `${tag} Amy`, nationality: 'FI', field: '0311', eqf_level: '7', languages: [{ code: 'en', level: 'C2' }] });
  const c = await mkGraduate(coord, { name: `${tag} Max`, nationality: 'SE', field: '0412', eqf_level: '7', university: `${tag}-Uni` });
  const q = `q=${encodeURIComponent(tag)}`;
  assert.deepEqual(ids(await listAll(coord, `/api/v1/graduates?${q}&language=ja`)), [a.id]);
  assert.deepEqual(ids(await listAll(coord, `/api/v1/graduates?${q}&nationality=SE`)), [a.id, c.id]);
  assert.deepEqual(ids(await listAll(coord, `/api/v1/graduates?${q}&field=041`)), [a.id, c.id]);
  assert.deepEqual(ids(await listAll(coord, `/api/v1/graduates?${q}&field=03`)), [b.id]);
  assert.deepEqual(ids(await listAll(coord, `/api/v1/graduates?${q}&eqf_level=7`)), [b.id, c.id]);
  assert.deepEqual(ids(await listAll(coord, `/api/v1/graduates?${q}&erased=false`)), [a.id, b.id, c.id]);
  assert.deepEqual(ids(await listAll(coord, `/api/v1/graduates?${q}&erased=true`)), []);
  assert.deepEqual(ids(await listAll(coord, `/api/v1/graduates?${q}&sort=name`)), [b.id, c.id, a.id]);
  assert.deepEqual(ids(await listAll(coord, `/api/v1/graduates?q=${encodeURIComponent(tag + '-Uni')}`)), [c.id], 'q matches the university');
  const page = expect(await coord.get(`/api/v1/graduates?${q}&limit=2`), 200);
  assert.equal(page.items.length, 2);
  assert.ok(page.next_cursor);
});

test('graduates: delete refused while they applied (409 naming applications), 204 when free', async () => {
  const co = await mkCompany(coord);
  const p = await mkPosition(coord, co.id);
  for (const s of ['submitted', 'approved', 'open']) expect(await coord.post(`/api/v1/positions/${p.id}/status`, { status: s }), 200);
  const g = await mkGraduate(coord);
  expect(await coord.post('/api/v1/applications', { position_id: p.id, graduate_id: g.id }), 201);
  expectError(await coord.del(`/api/v1/graduates/${g.id}`), 409, { code: 'still_referenced', message: /application/ });
  expect(await coord.get(`/api/v1/graduates/${g.id}`), 200, 'still there');
  const free = await mkGraduate(coord, { email: `${uniq('free')}@example.org` });
  expect(await coord.del(`/api/v1/graduates/${free.id}`), 204);
  expectError(await coord.get(`/api/v1/graduates/${free.id}`), 404);
  const audit = await auditOf(coord, 'graduate', free.id);
  assert.deepEqual(audit.map((a) => a.action), ['create', 'delete']);
  assert.equal(audit[1].changes.name.old, free.name);
});

test('cohorts: create, dates in order, unique name, update, delete while referenced', async () => {
  const name = uniq('Cohort 2027');
  const r = await coord.post('/api/v1/cohorts', { name, start_date: '2027-01-10', end_date: '2027-06-30', curriculum_version: 'v3' });
  const h = expect(r, 201);
  assert.equal(r.headers.get('location'), `/api/v1/cohorts/${h.id}`);
  assert.equal(r.headers.get('etag'), '"v1"');
  assert.equal(h.placement_count, 0);
  expectError(await coord.post('/api/v1/cohorts', { name: uniq('C'), start_date: '2027-06-01', end_date: '2027-01-01' }), 400, { field: 'end_date' }, 'end before start');
  expectError(await coord.post('/api/v1/cohorts', { name: uniq('C'), start_date: '2027-13-01', end_date: '2027-12-01' }), 400, { field: 'start_date' }, 'bad date');
  expectError(await coord.post('/api/v1/cohorts', { name: uniq('C'), start_date: '2027-01-01' }), 400, { field: 'end_date' }, 'missing end');
  expectError(await coord.post('/api/v1/cohorts', { name, start_date: '2027-01-10', end_date: '2027-06-30' }), 409, { field: 'name' }, 'duplicate name');
  // the end date is checked against the stored start date
  expectError(await coord.patch(`/api/v1/cohorts/${h.id}`, { end_date: '2026-12-31', version: 1 }), 400, { field: 'end_date' });
  const u = expect(await coord.patch(`/api/v1/cohorts/${h.id}`, { end_date: '2027-07-31' }, { 'If-Match': '"v1"' }), 200);
  assert.equal(u.end_date, '2027-07-31');
  expectError(await coord.patch(`/api/v1/cohorts/${h.id}`, { curriculum_version: 'v4', version: 1 }), 412);
  expectError(await coord.patch(`/api/v1/cohorts/${h.id}`, { curriculum_version: 'v4' }), 428);
  const twin = await mkCohort(coord);
  expectError(await coord.patch(`/api/v1/cohorts/${twin.id}`, { name, version: 1 }), 409, { field: 'name' }, 'rename onto an existing name');
  // sort by name
  const tag = uniq('Hsort');
  const h2 = await mkCohort(coord, { name: `${tag} B` });
  const h1 = await mkCohort(coord, { name: `${tag} A` });
  assert.deepEqual(ids(await listAll(coord, `/api/v1/cohorts?q=${encodeURIComponent(tag)}&sort=name`)), [h1.id, h2.id]);
  assert.deepEqual(ids(await listAll(coord, `/api/v1/cohorts?q=${encodeURIComponent(tag)}&sort=id`)), [h2.id, h1.id]);
  // referenced by a position
  const co = await mkCompany(coord);
  const p = await mkPosition(coord, co.id, { cohort_id: h.id });
  expectError(await coord.del(`/api/v1/cohorts/${h.id}`), 409, { code: 'still_referenced', message: /position/ });
  expect(await coord.del(`/api/v1/positions/${p.id}`), 204);
  expect(await coord.del(`/api/v1/cohorts/${h.id}`), 204);
  const audit = await auditOf(coord, 'cohort', h.id);
  assert.deepEqual(audit.map((a) => a.action), ['create', 'update', 'delete']);
  assert.deepEqual(audit[1].changes.end_date, { old: '2027-06-30', new: '2027-07-31' });
});

test('tenant isolation: ITM Slovenia gets 404 on ITM Sweden records and never lists them', async () => {
  const co = await mkCompany(coord);
  const g = await mkGraduate(coord);
  const h = await mkCohort(coord);
  const p = await mkPosition(coord, co.id);
  for (const [coll, rec] of [['companies', co], ['graduates', g], ['cohorts', h], ['positions', p]]) {
    expectError(await coordSi.get(`/api/v1/${coll}/${rec.id}`), 404, {}, `si GET ${coll}`);
    expectError(await coordSi.patch(`/api/v1/${coll}/${rec.id}`, { version: 1 }), 404, {}, `si PATCH ${coll}`);
    expectError(await coordSi.del(`/api/v1/${coll}/${rec.id}`), 404, {}, `si DELETE ${coll}`);
    const listed = await listAll(coordSi, `/api/v1/${coll}?limit=200`);
    assert.ok(!ids(listed).includes(rec.id), `${coll} ${rec.id} listed for Slovenia`);
    assert.ok(listed.every((x) => x.org_id === ORG_SI), `${coll}: only Slovenian rows`);
  }
  // Slovenia cannot refer to Swedish records nor create into Sweden
  expectError(await coordSi.post('/api/v1/positions', { company_id: co.id, title: 'Cross-border' }), 400, { field: 'company_id' });
  expectError(await coordSi.post('/api/v1/companies', { legal_name: 'Into Sweden', country: 'SE', org_id: ORG_SE }), 400, { field: 'org_id' });
  const si = await mkCompany(coordSi, { country: 'SI' });
  assert.equal(si.org_id, ORG_SI);
  expectError(await coord.get(`/api/v1/companies/${si.id}`), 404);
  expectError(await coordSi.post('/api/v1/invitations', { email: 'x-si@example.org', name: 'X', role: 'company', subject_type: 'company', subject_id: co.id }),
    400, { field: 'subject_id' });
});

test('foundation admin sees every operator and must pass org_id when creating', async () => {
  const se = await mkCompany(coord);
  const si = await mkCompany(coordSi, { country: 'SI' });
  expect(await admin.get(`/api/v1/companies/${se.id}`), 200);
  expect(await admin.get(`/api/v1/companies/${si.id}`), 200);
  const listed = ids(await listAll(admin, '/api/v1/companies?limit=200'));
  assert.ok(listed.includes(se.id) && listed.includes(si.id));
  for (const [coll, body] of [
    ['companies', { legal_name: 'Admin Made AB', country: 'SE' }],
    ['graduates', { name: 'Admin Made' }],
    ['cohorts', { name: uniq('Admin cohort'), start_date: '2027-01-01', end_date: '2027-02-01' }],
  ]) {
    expectError(await admin.post(`/api/v1/${coll}`, body), 400, { field: 'org_id' }, `admin ${coll} without org_id`);
    expectError(await admin.post(`/api/v1/${coll}`, { ...body, org_id: 1 }), 400, { field: 'org_id' }, `admin ${coll} into the foundation`);
    const made = expect(await admin.post(`/api/v1/${coll}`, { ...body, org_id: ORG_SI }), 201, `admin ${coll}`);
    assert.equal(made.org_id, ORG_SI);
    expect(await coordSi.get(`/api/v1/${coll}/${made.id}`), 200);
    expectError(await coord.get(`/api/v1/${coll}/${made.id}`), 404);
  }
  // a position of a Slovenian company cannot be put into Sweden
  expectError(await admin.post('/api/v1/positions', { company_id: si.id, title: 'Mismatch', org_id: ORG_SE }), 400, { field: 'company_id' });
});

test('viewer (funder): 403 on every programme record, but sees dashboard counts', async () => {
  const co = await mkCompany(coord);
  const g = await mkGraduate(coord);
  await mkCohort(coord);
  for (const path of ['/api/v1/companies', `/api/v1/companies/${co.id}`, '/api/v1/graduates', `/api/v1/graduates/${g.id}`,
    '/api/v1/positions', '/api/v1/applications', '/api/v1/placements'])
    expectError(await viewer.get(path), 403, {}, `viewer GET ${path}`);
  expectError(await viewer.post('/api/v1/companies', { legal_name: 'Viewer AB', country: 'SE' }), 403);
  expectError(await viewer.get('/api/v1/audit'), 403);
  const d = expect(await viewer.get('/api/v1/dashboard'), 200);
  const c = expect(await coord.get('/api/v1/dashboard'), 200);
  assert.deepEqual(d, c, 'a funder sees the operator-wide counts');
  assert.ok(d.companies >= 1 && d.graduates >= 1 && d.cohorts >= 1, JSON.stringify(d));
  for (const k of ['positions', 'applications', 'placements']) assert.equal(typeof d[k], 'object', k);
});

test('viewer (funder): cohorts are records too, the funder sees only counts (403)', async () => {
  const h = await mkCohort(coord);
  expectError(await viewer.get('/api/v1/cohorts'), 403, {}, 'viewer GET /cohorts');
  expectError(await viewer.get(`/api/v1/cohorts/${h.id}`), 403, {}, 'viewer GET one cohort');
});

test('unsafe requests without the CSRF token are refused', async () => {
  const saved = coord.csrf;
  coord.csrf = null;
  try {
    expectError(await coord.post('/api/v1/companies', { legal_name: 'No CSRF AB', country: 'SE' }), 403, { code: 'csrf_failed' });
  } finally { coord.csrf = saved; }
});
