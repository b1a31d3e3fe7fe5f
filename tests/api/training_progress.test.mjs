// Training (issue 12), part 5: a cohort's progress grid (trainees x modules by
// state), the at-risk list, CSV/XLSX export, counts only for the foundation
// and viewers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, USERS, assertError, runCli } from './lib.mjs';

let srv, coord, coordSi, viewer, admin, trainee, cohort;

before(async () => {
  srv = await startServer();
  [coord, coordSi, viewer, admin, trainee] = await Promise.all(
    ['coordinator', 'coordinatorSi', 'viewer', 'admin', 'trainee'].map((r) => login(srv.base, USERS[r].email)));
  const placements = (await coord.get('/api/v1/placements?status=signed&limit=50')).json.items;
  cohort = placements.find((p) => p.cohort_id).cohort_id;
});
after(async () => { if (srv) await srv.stop(); });

test('the cohort grid: one row per trainee, one column per module, states a coordinator can act on', async () => {
  const r = await coord.get(`/api/v1/cohorts/${cohort}/progress`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.modules, ['MR', 'MES', 'IMS', 'PPF', 'LCI', 'TLC', 'NEG', 'DIG']);
  assert.ok(r.json.trainees.length >= 1);
  const states = new Set(r.json.trainees.flatMap((t) => t.states));
  for (const s of states) assert.ok(['planned', 'submitted', 'changes_requested', 'approved', 'done', 'late', 'not_chosen'].includes(s), s);
  assert.ok(states.has('done') && states.has('not_chosen'), [...states].join());
  for (const t of r.json.trainees) assert.equal(t.states.length, 8);
  for (const a of r.json.at_risk) assert.ok(a.reasons.length && a.trainee);
  // Sorted by trainee name (the query reads in placement order; the handler sorts), the at-risk list too.
  const byName = (xs) => xs.map((x) => x.trainee).every((n, i, a) => i === 0 || a[i - 1] <= n);
  assert.ok(byName(r.json.trainees), r.json.trainees.map((x) => x.trainee).join());
  assert.ok(byName(r.json.at_risk));
  assertError(await coord.get(`/api/v1/cohorts/${cohort}/progress?inactive_days=0`), 400, 'validation_failed', { field: 'inactive_days' });
  // Another operator's cohort is not there; trainees and viewers see no grid.
  assert.equal((await coordSi.get(`/api/v1/cohorts/${cohort}/progress`)).status, 404);
  assert.equal((await trainee.get(`/api/v1/cohorts/${cohort}/progress`)).status, 403);
  assert.equal((await viewer.get(`/api/v1/cohorts/${cohort}/progress`)).status, 403);
});

test('the grid as CSV and XLSX', async () => {
  const csv = await coord.get(`/api/v1/cohorts/${cohort}/progress?format=csv&headers=machine`);
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /text\/csv/);
  const header = csv.text.replace(/^\uFEFF/, '').split('\r\n')[0];
  assert.equal(header, 'placement_id,trainee,MR,MES,IMS,PPF,LCI,TLC,NEG,DIG,done');
  const xlsx = await coord.get(`/api/v1/cohorts/${cohort}/progress?format=xlsx`);
  assert.equal(xlsx.status, 200);
  assert.match(xlsx.headers.get('content-disposition'), /progress-.*\.xlsx/);
});

test('counts only: the foundation across operators, a viewer within theirs', async () => {
  const all = await admin.get('/api/v1/training/counts');
  assert.equal(all.status, 200);
  assert.ok(Object.keys(all.json.plan_modules_by_state).length >= 2, JSON.stringify(all.json));
  const mine = await viewer.get('/api/v1/training/counts');
  assert.deepEqual(Object.keys(mine.json.plan_modules_by_state), ['2']);
  assert.ok(!JSON.stringify(mine.json).includes('trainee'));
  assert.equal((await trainee.get('/api/v1/training/counts')).status, 403);
});

test('due-date reminders go to the mail outbox once a day per module', () => {
  const first = runCli(['training', 'remind', '--days', '60', '--db', srv.db]);
  assert.equal(first.status, 0, first.stderr);
  const n = Number(first.stdout.match(/(\d+) reminders? queued/)[1]);
  assert.ok(n > 0, first.stdout);
  assert.match(runCli(['training', 'remind', '--days', '60', '--db', srv.db]).stdout, /0 reminders queued/);
  assert.equal(runCli(['training', 'remind', '--days', '99', '--db', srv.db]).status, 2);
});

test('CLI: a cohort\'s results as CSV, the same cells as the grid; a missing cohort is refused', async () => {
  const grid = (await coord.get(`/api/v1/cohorts/${cohort}/progress`)).json;
  const r = runCli(['training', 'results', '--cohort', String(cohort), '--db', srv.db]);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines[0], 'placement_id,trainee,module,state,test_state,result,late');
  assert.equal(lines.length - 1, grid.trainees.length * grid.modules.length);
  const approved = lines.filter((l) => l.includes('"approved"') && l.includes('"passed"'));
  assert.ok(approved.length >= 1, r.stdout.slice(0, 400));
  assert.equal(runCli(['training', 'results', '--db', srv.db]).status, 2);
  const missing = runCli(['training', 'results', '--cohort', '999999', '--db', srv.db]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /cohort not found/);
});
