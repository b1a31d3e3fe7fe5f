// orgs.test.mjs - organizations: tenant visibility, listing, create, update with versions, delete.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, assertError, USERS } from './lib.mjs';

let srv, admin, coord, coordSi, viewer;

before(async () => {
  srv = await startServer();
  admin = await login(srv.base, USERS.admin.email);
  coord = await login(srv.base, USERS.coordinator.email);
  coordSi = await login(srv.base, USERS.coordinatorSi.email);
  viewer = await login(srv.base, USERS.viewer.email);
});
after(async () => { if (srv) await srv.stop(); });

test('the admin sees all four organizations; a coordinator sees only their own', async () => {
  const a = await admin.get('/api/v1/orgs');
  assert.equal(a.status, 200, a.text);
  assert.deepEqual(a.json.items.map((o) => o.name),
    ['Export Trainee Foundation', 'ITM Sweden', 'ITM Slovenia', 'ITM Estonia']);
  assert.equal(a.json.next_cursor, null);
  const c = await coord.get('/api/v1/orgs');
  assert.deepEqual(c.json.items.map((o) => o.id), [2]);
  const v = await viewer.get('/api/v1/orgs');
  assert.deepEqual(v.json.items.map((o) => o.id), [2], 'a viewer of ITM Sweden sees ITM Sweden');
});

test('organizations carry kind, country, parent and version', async () => {
  const a = await admin.get('/api/v1/orgs');
  const se = a.json.items.find((o) => o.id === 2);
  assert.equal(se.kind, 'operator');
  assert.equal(se.country, 'SE');
  assert.equal(se.parent_id, 1);
  assert.equal(se.version, 1);
  const f = a.json.items.find((o) => o.id === 1);
  assert.equal(f.kind, 'foundation');
});

test('?kind= filters and ?sort=name orders by name', async () => {
  const ops = await admin.get('/api/v1/orgs?kind=operator');
  assert.deepEqual(ops.json.items.map((o) => o.id), [2, 3, 4]);
  const fnd = await admin.get('/api/v1/orgs?kind=foundation');
  assert.deepEqual(fnd.json.items.map((o) => o.id), [1]);
  const byName = await admin.get('/api/v1/orgs?sort=name');
  assert.deepEqual(byName.json.items.map((o) => o.name),
    ['Export Trainee Foundation', 'ITM Estonia', 'ITM Slovenia', 'ITM Sweden']);
  assertError(await admin.get('/api/v1/orgs?sort=country'), 400, 'validation_failed', { field: 'sort' });
});

test('walking the pages with limit=1 yields every organization exactly once, by id and by name', async () => {
  const byId = await admin.all('/api/v1/orgs', 1);
  assert.deepEqual(byId.map((o) => o.id), [1, 2, 3, 4]);
  const byName = await admin.all('/api/v1/orgs?sort=name', 1);
  assert.deepEqual(byName.map((o) => o.id), [1, 4, 3, 2]);
  const ops = await admin.all('/api/v1/orgs?kind=operator', 2);
  assert.deepEqual(ops.map((o) => o.id), [2, 3, 4]);
});

test('GET /orgs/{id}: own org is 200 with ETag "vN"; another operator\'s is 404 for a coordinator', async () => {
  const r = await coord.get('/api/v1/orgs/2');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.name, 'ITM Sweden');
  assert.equal(r.headers.get('etag'), `"v${r.json.version}"`);
  assertError(await coord.get('/api/v1/orgs/3'), 404, 'not_found');
  assertError(await coord.get('/api/v1/orgs/1'), 404, 'not_found');
  assert.equal((await admin.get('/api/v1/orgs/3')).status, 200);
  assertError(await admin.get('/api/v1/orgs/999'), 404, 'not_found');
});

test('the admin creates a national operator: 201, Location, under the foundation', async () => {
  const r = await admin.post('/api/v1/orgs', { name: 'ITM Finland', country: 'FI' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.name, 'ITM Finland');
  assert.equal(r.json.kind, 'operator');
  assert.equal(r.json.country, 'FI');
  assert.equal(r.json.parent_id, 1);
  assert.equal(r.json.version, 1);
  assert.equal(r.headers.get('location'), `/api/v1/orgs/${r.json.id}`);
  const got = await admin.get(`/api/v1/orgs/${r.json.id}`);
  assert.equal(got.json.name, 'ITM Finland');
});

test('only the admin creates organizations (403 for a coordinator and a viewer)', async () => {
  assertError(await coord.post('/api/v1/orgs', { name: 'ITM Norway', country: 'NO' }), 403, 'forbidden');
  assertError(await viewer.post('/api/v1/orgs', { name: 'ITM Norway', country: 'NO' }), 403, 'forbidden');
  const all = await admin.get('/api/v1/orgs?limit=200');
  assert.ok(!all.json.items.some((o) => o.name === 'ITM Norway'));
});

test('country must be an ISO 3166-1 alpha-2 code, and an operator needs one', async () => {
  assertError(await admin.post('/api/v1/orgs', { name: 'ITM Nowhere', country: 'XX' }), 400, 'validation_failed',
    { field: 'country', message: /^country: 'XX' is not a known code/ });
  assertError(await admin.post('/api/v1/orgs', { name: 'ITM Nowhere', country: 'se' }), 400, 'validation_failed', { field: 'country' });
  assertError(await admin.post('/api/v1/orgs', { name: 'ITM Nowhere' }), 400, 'validation_failed', { field: 'country' });
});

test('name rules: required, 2..120 characters, unique (409 conflict)', async () => {
  assertError(await admin.post('/api/v1/orgs', { country: 'NO' }), 400, 'validation_failed', { field: 'name', message: 'name: is required' });
  assertError(await admin.post('/api/v1/orgs', { name: 'N', country: 'NO' }), 400, 'validation_failed',
    { field: 'name', message: 'name: must be at least 2 characters' });
  assertError(await admin.post('/api/v1/orgs', { name: 'N'.repeat(121), country: 'NO' }), 400, 'validation_failed', { field: 'name' });
  assertError(await admin.post('/api/v1/orgs', { name: 'ITM Sweden', country: 'NO' }), 409, 'conflict', { field: 'name' });
});

test('kind must be operator or foundation, and there is only one foundation', async () => {
  assertError(await admin.post('/api/v1/orgs', { name: 'Other Body', country: 'NO', kind: 'club' }), 400, 'validation_failed',
    { field: 'kind', message: 'kind: must be one of operator, foundation' });
  assertError(await admin.post('/api/v1/orgs', { name: 'Second Foundation', kind: 'foundation' }), 409, 'conflict', { field: 'kind' });
});

test('PATCH without a version is 428 precondition_required', async () => {
  const r = await coord.patch('/api/v1/orgs/2', { name: 'ITM Sverige' });
  assertError(r, 428, 'precondition_required', { field: 'version' });
  assert.equal((await coord.get('/api/v1/orgs/2')).json.name, 'ITM Sweden', 'unchanged');
});

test('a coordinator renames their own operator with the version; version and ETag go up', async () => {
  const r = await coord.patch('/api/v1/orgs/2', { name: 'ITM Sverige', version: 1 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.name, 'ITM Sverige');
  assert.equal(r.json.version, 2);
  assert.equal(r.headers.get('etag'), '"v2"');
  assert.equal((await admin.get('/api/v1/orgs/2')).json.name, 'ITM Sverige');
});

test('a stale version is 412 version_mismatch and changes nothing', async () => {
  const r = await coord.patch('/api/v1/orgs/2', { name: 'ITM Lost Update', version: 1 });
  assertError(r, 412, 'version_mismatch', { field: 'version' });
  assert.equal((await coord.get('/api/v1/orgs/2')).json.name, 'ITM Sverige');
  const h = await coord.patch('/api/v1/orgs/2', { name: 'ITM Lost Update' }, { headers: { 'If-Match': '"v1"' } });
  assertError(h, 412, 'version_mismatch');
});

test('If-Match: "vN" works as the version; a malformed If-Match is 400', async () => {
  const r = await coord.patch('/api/v1/orgs/2', { name: 'ITM Sweden' }, { headers: { 'If-Match': '"v2"' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.version, 3);
  assertError(await coord.patch('/api/v1/orgs/2', { name: 'X Y' }, { headers: { 'If-Match': 'banana' } }), 400, 'validation_failed',
    { field: 'If-Match' });
});

test('PATCH validates like create: bad country, unknown field, duplicate name', async () => {
  assertError(await coord.patch('/api/v1/orgs/2', { country: 'XX', version: 3 }), 400, 'validation_failed', { field: 'country' });
  assertError(await coord.patch('/api/v1/orgs/2', { kind: 'foundation', version: 3 }), 400, 'validation_failed',
    { field: 'kind', message: 'kind: unknown field' });
  assertError(await admin.patch('/api/v1/orgs/2', { name: 'ITM Slovenia', version: 3 }), 409, 'conflict', { field: 'name' });
  assert.equal((await coord.get('/api/v1/orgs/2')).json.version, 3, 'nothing changed');
});

test('a coordinator cannot change another operator (404), non-staff cannot change any (403)', async () => {
  assertError(await coord.patch('/api/v1/orgs/3', { name: 'Taken Over', version: 1 }), 404, 'not_found');
  assertError(await viewer.patch('/api/v1/orgs/2', { name: 'Viewer Was Here', version: 3 }), 403, 'forbidden');
  assert.equal((await admin.get('/api/v1/orgs/3')).json.name, 'ITM Slovenia');
  const si = await coordSi.patch('/api/v1/orgs/3', { country: 'SI', name: 'ITM Slovenija', version: 1 });
  assert.equal(si.status, 200, si.text);
});

test('the admin can change any operator', async () => {
  const r = await admin.patch('/api/v1/orgs/4', { name: 'ITM Eesti', version: 1 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.name, 'ITM Eesti');
});

test('deleting: only the admin (403 otherwise); refused with 409 still_referenced while people hold roles there', async () => {
  assertError(await coord.del('/api/v1/orgs/2'), 403, 'forbidden');
  assertError(await admin.del('/api/v1/orgs/2'), 409, 'still_referenced');
  assertError(await admin.del('/api/v1/orgs/1'), 409, 'still_referenced');
  assert.equal((await admin.get('/api/v1/orgs/2')).status, 200);
});

test('a fresh empty operator can be deleted (204), then it is gone (404)', async () => {
  const c = await admin.post('/api/v1/orgs', { name: 'ITM Temporary', country: 'DK' });
  assert.equal(c.status, 201, c.text);
  const r = await admin.del(`/api/v1/orgs/${c.json.id}`);
  assert.equal(r.status, 204, r.text);
  assertError(await admin.get(`/api/v1/orgs/${c.json.id}`), 404, 'not_found');
  assertError(await admin.del(`/api/v1/orgs/${c.json.id}`), 404, 'not_found');
  const all = await admin.get('/api/v1/orgs?limit=200');
  assert.ok(!all.json.items.some((o) => o.id === c.json.id));
});

test('the server exits with status 0 on SIGTERM', async () => {
  await srv.stop();
});
