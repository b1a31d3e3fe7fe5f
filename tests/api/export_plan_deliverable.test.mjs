// export_plan_deliverable.test.mjs - the export plan as the deliverable of the
// market modules of the trainee's learning plan (issue 13): submitted from the
// plan, it becomes a deliverable version of the MR or MES module with the
// plan's PDF attached, and is reviewed like any other deliverable.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, assertError, USERS } from './lib.mjs';

let srv, coord, company, trainee, mentor, placement, modules, planId;

before(async () => {
  srv = await startServer();
  [coord, company, trainee, mentor] = await Promise.all(
    ['coordinator', 'company', 'trainee', 'mentor'].map((r) => login(srv.base, USERS[r].email)));
  placement = (await trainee.get('/api/v1/placements')).json.items.find((p) => p.status === 'draft');
  for (const [party, name] of [[coord, 'operator'], [company, 'company'], [trainee, 'trainee']]) {
    const p = (await party.get(`/api/v1/placements/${placement.id}`)).json;
    if (p.agreement.acceptances.some((a) => a.party === name)) continue;
    const r = await party.post(`/api/v1/placements/${placement.id}/accept`, { terms_hash: p.agreement.terms_hash });
    assert.equal(r.status, 200, r.text);
  }
  modules = (await trainee.get(`/api/v1/placements/${placement.id}/learning-plan`)).json.modules;
  const r = await trainee.post('/api/v1/export-plans', { placement_id: placement.id, title: 'Shrimp to Japan', currency: 'EUR',
    home: 'SE', markets: [{ country: 'JP', product: '030617', rationale: 'Large and close to our partner.', entry_mode: 'agent',
      incoterm: 'CIP', named_place: 'Tokyo' }] });
  assert.equal(r.status, 201, r.text);
  planId = r.json.id;
});
after(async () => { if (srv) await srv.stop(); });

const mod = (code) => modules.find((m) => m.code === code);

test('only a market module of the plan\'s own placement takes the plan', async () => {
  assertError(await trainee.post(`/api/v1/export-plans/${planId}/submit`, { plan_module_id: mod('IMS').id }), 409, 'conflict',
    { field: 'plan_module_id' });
  assertError(await trainee.post(`/api/v1/export-plans/${planId}/submit`, { plan_module_id: 999999 }), 400, 'validation_failed',
    { field: 'plan_module_id' });
  assertError(await company.post(`/api/v1/export-plans/${planId}/submit`, { plan_module_id: mod('MR').id }), 403, 'forbidden');
});

test('the trainee submits the plan as the market research deliverable; the mentor reviews it like any other', async () => {
  const r = await trainee.post(`/api/v1/export-plans/${planId}/submit`, { plan_module_id: mod('MR').id, note: 'Japan first.' });
  assert.equal(r.status, 201, r.text);
  const v = r.json.deliverable_version;
  assert.equal(r.headers.get('location'), `/api/v1/deliverable-versions/${v.id}`);
  assert.match(v.body, /^Export plan "Shrimp to Japan" .*version 1, as the deliverable of MR/);
  assert.match(v.body, /- JP, HS 030617: agent, Incoterms 2020 CIP Tokyo/);
  assert.match(v.body, /Japan first\./);
  const m = (await trainee.get(`/api/v1/plan-modules/${mod('MR').id}`)).json;
  assert.equal(m.state, 'submitted');
  const files = m.versions.find((x) => x.id === v.id).files;
  assert.equal(files.length, 1);
  assert.equal(files[0].mime, 'application/pdf');
  assert.equal(files[0].name, `export-plan-${planId}-v1.pdf`);
  const file = await mentor.get(`/api/v1/deliverable-files/${files[0].id}`);
  assert.equal(file.status, 200);
  assert.equal(file.headers.get('content-type'), 'application/pdf');
  const rq = await mentor.post(`/api/v1/deliverable-versions/${v.id}/reviews`,
    { decision: 'request_changes', comments: [{ on: `file:${files[0].id}`, text: 'Add a second market.' }] });
  assert.equal(rq.status, 200, rq.text);
  assert.equal(rq.json.status, 'changes_requested');
  // the next version of the plan, submitted again, is a new deliverable version
  const again = await trainee.post(`/api/v1/export-plans/${planId}/submit`, { plan_module_id: mod('MR').id });
  assert.equal(again.status, 201, again.text);
  assert.equal(again.json.deliverable_version.number, 2);
});
