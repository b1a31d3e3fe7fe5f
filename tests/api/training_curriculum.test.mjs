// Training (issue 12), part 1: curricula as versioned competency frameworks -
// the shipped default, creating and editing versions, freezing once a cohort
// uses one, the diff, answer keys kept from trainees, the CLI import/export.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, login, USERS, assertError, runCli } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const DEFAULT = JSON.parse(readFileSync(join(here, '../../data/curriculum/default.json'), 'utf8'));
let srv, coord, coordSi, trainee, viewer, admin;

before(async () => {
  srv = await startServer();
  [coord, coordSi, trainee, viewer, admin] = await Promise.all(
    ['coordinator', 'coordinatorSi', 'trainee', 'viewer', 'admin'].map((r) => login(srv.base, USERS[r].email)));
});
after(async () => { if (srv) await srv.stop(); });

const doc = (code, patch = (d) => d) => patch({ ...structuredClone(DEFAULT), code });

test('the default curriculum ships: 8 modules, each with outcomes, competencies of 3-4 levels, a deliverable and a test', async () => {
  assert.equal(DEFAULT.modules.length, 8);
  const list = await coord.get('/api/v1/curricula');
  assert.equal(list.status, 200, list.text);
  const itm = list.json.items.find((c) => c.code === 'ITM');
  assert.ok(itm, 'every operator reads the foundation\'s ITM curriculum');
  const c = await coord.get(`/api/v1/curricula/${itm.id}`);
  assert.equal(c.status, 200);
  const v1 = c.json.versions[0];
  assert.equal(v1.ref, 'ITM@1');
  assert.equal(v1.status, 'frozen', 'the demo cohorts follow ITM@1, so it is frozen');
  const v = (await coord.get(`/api/v1/curriculum-versions/${v1.id}`)).json;
  for (const m of v.content.modules) {
    assert.ok(m.outcomes.length >= 1 && m.hours > 0 && m.eqf_level === 6, m.code);
    for (const k of m.competencies) assert.ok(k.levels.length >= 3 && k.levels.length <= 4, k.id);
    assert.ok(m.deliverable.title && m.deliverable.fields.length, m.code);
    assert.ok(m.test.questions.length >= 3, m.code);
    assert.deepEqual(m.esco, [], 'no invented ESCO URIs');
  }
  assert.equal(v.content.modules.find((m) => m.code === 'DIG').mandatory, false);
});

test('answer keys: staff read them, a trainee never does', async () => {
  const itm = (await trainee.get('/api/v1/curricula')).json.items.find((c) => c.code === 'ITM');
  const vs = (await trainee.get(`/api/v1/curricula/${itm.id}`)).json.versions;
  const mine = await trainee.get(`/api/v1/curriculum-versions/${vs[0].id}`);
  assert.equal(mine.status, 200);
  assert.ok(!mine.text.includes('"answer"'), 'no answer key in what a trainee receives');
  const staff = await coord.get(`/api/v1/curriculum-versions/${vs[0].id}`);
  assert.ok(staff.json.content.modules[0].test.questions[0].answer !== undefined);
});

test('an operator creates a curriculum, edits its draft, a cohort freezes it, the next edit is a new draft, diff', async () => {
  const r = await coord.post('/api/v1/curricula', doc('SE-ITM'));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.headers.get('location'), `/api/v1/curricula/${r.json.id}`);
  const v1 = r.json.versions[0];
  assert.deepEqual([v1.ref, v1.status, v1.version], ['SE-ITM@1', 'draft', 1]);

  // A draft is edited in place (with its version).
  const edited = doc('SE-ITM', (d) => { d.modules[0].hours = 100; return d; });
  assertError(await coord.patch(`/api/v1/curriculum-versions/${v1.id}`, edited, { headers: { 'If-Match': '"v7"' } }),
    412, 'version_mismatch');
  const e1 = await coord.patch(`/api/v1/curriculum-versions/${v1.id}`, edited, { headers: { 'If-Match': '"v1"' } });
  assert.equal(e1.status, 200, e1.text);
  assert.equal(e1.json.version, 2);
  assert.equal(e1.json.content.modules[0].hours, 100);

  // A cohort names it: frozen.
  const h = await coord.post('/api/v1/cohorts', { name: 'Training test cohort', start_date: '2027-01-10', end_date: '2027-12-20',
    curriculum_version: 'SE-ITM@1' });
  assert.equal(h.status, 201, h.text);
  const frozen = (await coord.get(`/api/v1/curriculum-versions/${v1.id}`)).json;
  assert.equal(frozen.status, 'frozen');

  // Editing a frozen version leaves it as it is and makes version 2, a draft.
  const next = doc('SE-ITM', (d) => {
    d.modules[0].hours = 120;
    d.modules = d.modules.filter((m) => m.code !== 'DIG');
    d.modules.push({ ...structuredClone(DEFAULT.modules[7]), code: 'FAIR', title: 'Trade fairs and missions', prerequisites: [] });
    return d;
  });
  const e2 = await coord.patch(`/api/v1/curriculum-versions/${v1.id}`, next, { headers: { 'If-Match': '"v2"' } });
  assert.equal(e2.status, 201, e2.text);
  assert.equal(e2.json.ref, 'SE-ITM@2');
  assert.equal(e2.json.status, 'draft');
  assert.equal((await coord.get(`/api/v1/curriculum-versions/${v1.id}`)).json.content.modules[0].hours, 100);

  const d = await coord.get(`/api/v1/curriculum-versions/${e2.json.id}/diff?with=${v1.id}`);
  assert.equal(d.status, 200, d.text);
  assert.deepEqual([d.json.from, d.json.to], ['SE-ITM@1', 'SE-ITM@2']);
  assert.deepEqual(d.json.diff.added, ['FAIR']);
  assert.deepEqual(d.json.diff.removed, ['DIG']);
  assert.deepEqual(d.json.diff.changed, [{ code: 'MR', fields: ['hours'] }]);
  assertError(await coord.get(`/api/v1/curriculum-versions/${v1.id}/diff`), 400, 'validation_failed', { field: 'with' });

  // The audit has the creation, the edit and the freezing.
  const audit = await coord.get(`/api/v1/audit?entity=curriculum_version&entity_id=${v1.id}&limit=20`);
  assert.deepEqual(audit.json.items.map((x) => x.action).sort(), ['create', 'update', 'update']);
});

test('bad curricula answer 400 naming the field and change nothing', async () => {
  const cases = [
    [doc('BAD1', (d) => { d.modules[0].competencies[0].levels = d.modules[0].competencies[0].levels.slice(0, 2); return d; }),
      'modules[0].competencies[0].levels'],
    [doc('BAD2', (d) => { d.modules[1].esco = ['http://example.org/skill/1']; return d; }), 'modules[1]'],
    [doc('BAD3', (d) => { d.modules[1].prerequisites = ['NOPE']; return d; }), 'modules[1]'],
    [doc('BAD4', (d) => { d.modules[2].weights = { test: 50, rubric: 60 }; return d; }), 'modules[2].weights'],
    [doc('BAD5', (d) => { d.modules[3].test.questions[0].answer = 9; return d; }), 'modules[3].test.questions[0]'],
    [doc('BAD 6'), 'code'],
    [{ code: 'BAD7', title: 'x' }, 'title'],
  ];
  for (const [body, field] of cases) assertError(await coord.post('/api/v1/curricula', body), 400, 'validation_failed', { field });
  const r = await coord.send('POST', '/api/v1/curricula', 'not json', { headers: { 'Content-Type': 'application/json' } });
  assertError(r, 400, 'validation_failed', { field: 'body' });
  assertError(await coord.post('/api/v1/cohorts', { name: 'No such version', start_date: '2027-01-10', end_date: '2027-06-30',
    curriculum_version: 'NOPE@3' }), 400, 'validation_failed', { field: 'curriculum_version' });
  const list = (await coord.get('/api/v1/curricula')).json.items;
  assert.ok(!list.some((c) => c.code.startsWith('BAD')));
});

test('roles: a viewer and a trainee read, only staff write; the foundation\'s curriculum is not an operator\'s to edit', async () => {
  assertError(await trainee.post('/api/v1/curricula', doc('T1')), 403, 'forbidden');
  assertError(await viewer.post('/api/v1/curricula', doc('T2')), 403, 'forbidden');
  const itm = (await coordSi.get('/api/v1/curricula')).json.items.find((c) => c.code === 'ITM');
  const v = (await coordSi.get(`/api/v1/curricula/${itm.id}`)).json.versions[0];
  assertError(await coordSi.patch(`/api/v1/curriculum-versions/${v.id}`, doc('ITM'), { headers: { 'If-Match': '"v1"' } }),
    403, 'forbidden');
  // Another operator's own curriculum is not visible.
  const mine = await coord.post('/api/v1/curricula', doc('SE-ONLY'));
  assert.equal(mine.status, 201);
  assert.equal((await coordSi.get(`/api/v1/curricula/${mine.json.id}`)).status, 404);
  assert.ok(!(await coordSi.get('/api/v1/curricula')).json.items.some((c) => c.code === 'SE-ONLY'));
  // The foundation must name the operator it creates a curriculum for.
  assertError(await admin.post('/api/v1/curricula', doc('F1')), 400, 'validation_failed', { field: 'org_id' });
});

test('CLI: curriculum export then import as a new version; an unchanged import adds nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tb-curr-'));
  const file = join(dir, 'itm.json');
  let r = runCli(['curriculum', 'export', file, '--org', '1', '--db', srv.db]);
  assert.equal(r.status, 0, r.stderr);
  const d = JSON.parse(readFileSync(file, 'utf8'));
  assert.equal(d.code, 'ITM');
  assert.equal(d.modules.length, 8);
  r = runCli(['curriculum', 'import', file, '--org', '2', '--db', srv.db]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /ITM@1 \(draft\)/);
  r = runCli(['curriculum', 'import', file, '--org', '2', '--db', srv.db]);
  assert.match(r.stdout, /ITM@1/, 'unchanged: no new version');
  d.modules[0].hours = 99;
  writeFileSync(file, JSON.stringify(d));
  r = runCli(['curriculum', 'import', file, '--org', '2', '--db', srv.db]);
  assert.match(r.stdout, /ITM@2 \(draft\)/);
  d.modules[0].competencies = [];
  writeFileSync(file, JSON.stringify(d));
  r = runCli(['curriculum', 'import', file, '--org', '2', '--db', srv.db]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /modules\[0\]\.competencies/);
  assert.equal(runCli(['curriculum', 'import', '--org', '2', '--db', srv.db]).status, 2);
});
