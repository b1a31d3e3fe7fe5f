// Training (issue 12): the learning plan in the three-party agreement. Before
// signing, the plan's modules are part of the terms (a change to the plan
// needs new acceptances); after signing, a change to the plan is an amendment:
// audited with what changed, the agreement stays signed, and each party
// accepts the amended plan (the party who made the change by making it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, login, USERS, assertError } from './lib.mjs';

let srv, coord, company, trainee, placement, mr;
const get = (who = coord) => who.get(`/api/v1/placements/${placement.id}`).then((r) => { assert.equal(r.status, 200, r.text); return r.json; });
const acceptAll = async () => {
  for (const [who, party] of [[coord, 'operator'], [company, 'company'], [trainee, 'trainee']]) {
    const p = await get(who);
    if (p.agreement.acceptances.some((a) => a.party === party)) continue;
    const r = await who.post(`/api/v1/placements/${placement.id}/accept`, { terms_hash: p.agreement.terms_hash });
    assert.equal(r.status, 200, r.text);
  }
};

before(async () => {
  srv = await startServer();
  [coord, company, trainee] = await Promise.all(['coordinator', 'company', 'trainee'].map((r) => login(srv.base, USERS[r].email)));
  placement = (await trainee.get('/api/v1/placements')).json.items.find((p) => p.status === 'draft');
  assert.ok(placement, 'the demo trainee has a placement waiting for signatures');
});
after(async () => { if (srv) await srv.stop(); });

test('a new placement in a cohort with a curriculum gets its plan at once, inside the agreement\'s terms', async () => {
  const g = (await coord.get('/api/v1/graduates?limit=1')).json.items[0];
  const c = (await coord.get('/api/v1/companies?limit=1')).json.items[0];
  const r = await coord.post('/api/v1/placements', { graduate_id: g.id, company_id: c.id, cohort_id: placement.cohort_id,
    start_date: '2027-09-01', end_date: '2028-02-28' });
  assert.equal(r.status, 201, r.text);
  const mods = r.json.agreement.terms.learning_plan_modules;
  assert.equal(mods.length, 8);
  assert.equal(mods[0].code, 'MR');
  assert.ok(mods[0].deliverable.title && mods[0].due_date >= '2027-09-01', JSON.stringify(mods[0]));
  assert.equal(mods.find((m) => m.code === 'DIG').selected, false, 'the elective not chosen yet');
  assert.deepEqual(r.json.agreement.plan.modules, mods);
});

test('before signing: the plan joins the terms; changing it needs new acceptances', async () => {
  const p0 = await get();
  assert.equal(p0.agreement.plan, null, 'a demo draft from before: no plan yet');
  const made = await coord.post(`/api/v1/placements/${placement.id}/learning-plan`);
  assert.equal(made.status, 201, made.text);
  const p1 = await get();
  assert.equal(p1.agreement.terms.learning_plan_modules.length, 8);
  assert.notEqual(p1.agreement.terms_hash, p0.agreement.terms_hash);
  assert.equal(p1.agreement.acceptances.length, 0, 'acceptances given for the terms without the plan are gone');
  assert.equal((await coord.post(`/api/v1/placements/${placement.id}/accept`, { terms_hash: p1.agreement.terms_hash })).status, 200);
  assertError(await trainee.post(`/api/v1/placements/${placement.id}/plan-acceptance`, { plan_hash: p1.agreement.plan.plan_hash }),
    409, 'invalid_transition');
  // The company adapts a deliverable: new terms, the operator's acceptance goes, the old hash is refused.
  mr = made.json.modules[0];
  const ch = await company.patch(`/api/v1/plan-modules/${mr.id}`, {
    deliverable: { title: 'Market screen for our timber windows', description: 'Ten countries for HS 441820.', fields: [] },
    version: mr.version });
  assert.equal(ch.status, 200, ch.text);
  mr = ch.json;
  const p2 = await get();
  assert.equal(p2.agreement.terms.learning_plan_modules[0].deliverable.title, 'Market screen for our timber windows');
  assert.notEqual(p2.agreement.terms_hash, p1.agreement.terms_hash);
  assert.equal(p2.agreement.acceptances.length, 0);
  assertError(await company.post(`/api/v1/placements/${placement.id}/accept`, { terms_hash: p1.agreement.terms_hash }),
    409, 'terms_changed', { field: 'terms_hash' });
  await acceptAll();
  const p3 = await get();
  assert.equal(p3.status, 'signed');
  assert.equal(p3.agreement_hash, p2.agreement.terms_hash, 'signed with the plan in its terms');
  assert.equal(p3.agreement.terms_hash, p3.agreement_hash);
  assert.equal(p3.agreement.plan.accepted_hash, p3.agreement.plan.plan_hash);
  assert.equal(p3.agreement.plan.amendment, null);
});

test('after signing: a change is an amendment, audited with a diff, accepted again by each party', async () => {
  const newDue = '2027-03-15';
  const ch = await company.patch(`/api/v1/plan-modules/${mr.id}`, { due_date: newDue, version: mr.version });
  assert.equal(ch.status, 200, ch.text);
  const p = await get();
  assert.equal(p.status, 'signed', 'the agreement stays signed; training goes on');
  const am = p.agreement.plan.amendment;
  assert.ok(am, 'an amendment waits');
  assert.notEqual(p.agreement.plan.plan_hash, p.agreement.plan.accepted_hash);
  const due = am.changes.find((c) => c.module === 'MR' && c.field === 'due_date');
  assert.equal(due.new, newDue);
  assert.equal(due.old, mr.due_date);
  assert.deepEqual(am.pending, ['trainee', 'operator'], 'the company accepted by making the change');
  assert.equal(am.acceptances[0].party, 'company');
  const audit = (await coord.get(`/api/v1/audit?entity=placement&entity_id=${placement.id}`)).json.items;
  const logged = audit.find((a) => a.changes.plan_amendment);
  assert.ok(logged, JSON.stringify(audit.map((a) => a.changes)));
  assert.ok(logged.changes.plan_amendment.new.some((c) => c.field === 'due_date' && c.new === newDue));
  // Accepted by hash; a stale hash is refused and changes nothing.
  assertError(await trainee.post(`/api/v1/placements/${placement.id}/plan-acceptance`, { plan_hash: p.agreement.plan.accepted_hash }),
    409, 'terms_changed', { field: 'plan_hash' });
  const t = await trainee.post(`/api/v1/placements/${placement.id}/plan-acceptance`, { plan_hash: p.agreement.plan.plan_hash });
  assert.equal(t.status, 200, t.text);
  assert.deepEqual(t.json.agreement.plan.amendment.pending, ['operator']);
  assertError(await trainee.post(`/api/v1/placements/${placement.id}/plan-acceptance`, { plan_hash: p.agreement.plan.plan_hash }),
    409, 'already_accepted');
  const o = await coord.post(`/api/v1/placements/${placement.id}/plan-acceptance`, { plan_hash: p.agreement.plan.plan_hash });
  assert.equal(o.status, 200, o.text);
  assert.equal(o.json.agreement.plan.amendment, null);
  assert.equal(o.json.agreement.plan.accepted_hash, p.agreement.plan.plan_hash);
  assert.equal(o.json.agreement.terms.learning_plan_modules[0].due_date, newDue, 'the terms show the plan as accepted');
  assertError(await coord.post(`/api/v1/placements/${placement.id}/plan-acceptance`, { plan_hash: p.agreement.plan.plan_hash }),
    409, 'conflict');
});

// A placement moved to another cohort: the plan follows the new cohort's curriculum version
// (work kept where the modules are the same), audited, and accepted again after signing.
const DEFAULT = JSON.parse(readFileSync(new URL('../../data/curriculum/default.json', import.meta.url), 'utf8'));
let moved;
const movedCohort = async () => {
  if (moved) return moved;
  const d = structuredClone(DEFAULT);
  d.code = 'MOVE-ITM';
  d.modules = d.modules.filter((m) => m.code !== 'NEG');
  const dig = d.modules.find((m) => m.code === 'DIG');
  Object.assign(dig, { code: 'EXP', title: 'Export follow-up', mandatory: true });
  d.modules[0].title = 'Market research, selection and entry';
  const c = await coord.post('/api/v1/curricula', d);
  assert.equal(c.status, 201, c.text);
  const h = await coord.post('/api/v1/cohorts', { name: 'Moved-to cohort', start_date: '2027-01-10', end_date: '2027-12-20',
    curriculum_version: 'MOVE-ITM@1' });
  assert.equal(h.status, 201, h.text);
  moved = h.json;
  return moved;
};
const plan = (id) => coord.get(`/api/v1/placements/${id}/learning-plan`).then((r) => { assert.equal(r.status, 200, r.text); return r.json; });

test('a draft moved to another cohort: its plan follows the new curriculum version, inside the terms', async () => {
  const cohort = await movedCohort();
  const g = (await coord.get('/api/v1/graduates?limit=2')).json.items[1];
  const c = (await coord.get('/api/v1/companies?limit=1')).json.items[0];
  const r = await coord.post('/api/v1/placements', { graduate_id: g.id, company_id: c.id, cohort_id: placement.cohort_id,
    start_date: '2027-09-01', end_date: '2028-02-28' });
  assert.equal(r.status, 201, r.text);
  assert.equal((await plan(r.json.id)).plan.curriculum_ref, 'ITM@1');
  const m = await coord.patch(`/api/v1/placements/${r.json.id}`, { cohort_id: cohort.id, version: r.json.version });
  assert.equal(m.status, 200, m.text);
  const after = await plan(r.json.id);
  assert.equal(after.plan.curriculum_ref, 'MOVE-ITM@1');
  assert.deepEqual(after.modules.map((x) => x.code), ['MR', 'MES', 'IMS', 'PPF', 'LCI', 'TLC', 'EXP']);
  assert.deepEqual(m.json.agreement.terms.learning_plan_modules.map((x) => x.code), ['MR', 'MES', 'IMS', 'PPF', 'LCI', 'TLC', 'EXP']);
});

test('a signed placement moved to another cohort: work kept, the plan amended, audited, accepted again', async () => {
  const cohort = await movedCohort();
  const before = await plan(placement.id);
  const neg = before.modules.find((x) => x.code === 'NEG');
  // Work done in MR (same module in both) and in NEG (not in the new curriculum).
  for (const x of [mr, neg]) {
    const v = await coord.post(`/api/v1/plan-modules/${x.id}/deliverable-versions`, { body: `Work on ${x.code}`, links: [] });
    assert.equal(v.status, 201, v.text);
  }
  const p0 = await get();
  // Only the cohort may change after signing, and only by the operator.
  assertError(await coord.patch(`/api/v1/placements/${placement.id}`, { cohort_id: cohort.id, stipend: 1, version: p0.version }),
    409, 'locked');
  const m = await coord.patch(`/api/v1/placements/${placement.id}`, { cohort_id: cohort.id, version: p0.version });
  assert.equal(m.status, 200, m.text);
  assert.equal(m.json.status, 'signed', 'the agreement stays signed; training goes on');
  assert.equal(m.json.cohort_id, cohort.id);

  const after = await plan(placement.id);
  assert.equal(after.plan.curriculum_ref, 'MOVE-ITM@1');
  assert.deepEqual(after.modules.map((x) => [x.code, x.selected]),
    [['MR', 1], ['MES', 1], ['IMS', 1], ['PPF', 1], ['LCI', 1], ['TLC', 1], ['EXP', 1], ['NEG', 0]]);
  const mr2 = after.modules[0];
  assert.equal(mr2.id, mr.id, 'the same module row: its work stays');
  assert.equal(mr2.state, 'submitted');
  assert.equal(mr2.latest_version, 1);
  assert.equal(mr2.title, 'Market research, selection and entry');
  assert.equal(mr2.deliverable.title, mr.deliverable.title, 'the company\'s adaptation stays');
  const neg2 = after.modules.find((x) => x.code === 'NEG');
  assert.equal(neg2.id, neg.id, 'work done in a module the new curriculum lacks is kept, out of the plan');
  assert.equal(neg2.latest_version, 1);

  // An amendment the trainee and the company accept; the operator did by making it.
  const am = m.json.agreement.plan.amendment;
  assert.ok(am, 'an amendment waits');
  assert.deepEqual(am.pending, ['trainee', 'company']);
  assert.ok(am.changes.some((c) => c.module === 'EXP' && c.field === 'code' && c.new === 'EXP'), JSON.stringify(am.changes));
  assert.ok(am.changes.some((c) => c.module === 'DIG' && c.field === 'module' && c.new === null));
  assert.ok(am.changes.some((c) => c.module === 'NEG' && c.field === 'selected' && c.new === false));
  assert.ok(am.changes.some((c) => c.module === 'MR' && c.field === 'title'));
  const audit = (await coord.get(`/api/v1/audit?entity=learning_plan&entity_id=${after.plan.id}`)).json.items;
  const moveLog = audit.find((a) => a.changes.curriculum_version && a.changes.curriculum_version.new === 'MOVE-ITM@1');
  assert.ok(moveLog, JSON.stringify(audit.map((a) => a.changes)));
  assert.equal(moveLog.changes.curriculum_version.old, 'ITM@1');
  assert.deepEqual(moveLog.changes.modules_added.new, ['EXP']);
  assert.deepEqual(moveLog.changes.modules_removed.new, ['DIG']);
  assert.deepEqual(moveLog.changes.modules_kept_out_of_plan.new, ['NEG']);
  const plog = (await coord.get(`/api/v1/audit?entity=placement&entity_id=${placement.id}`)).json.items;
  assert.ok(plog.some((a) => a.changes.cohort_id && a.changes.cohort_id.new === cohort.id), 'the move is audited');

  const hash = m.json.agreement.plan.plan_hash;
  for (const who of [trainee, company]) {
    const r = await who.post(`/api/v1/placements/${placement.id}/plan-acceptance`, { plan_hash: hash });
    assert.equal(r.status, 200, r.text);
  }
  const p1 = await get();
  assert.equal(p1.agreement.plan.amendment, null);
  assert.equal(p1.agreement.plan.accepted_hash, hash);
  assert.ok(p1.agreement.terms.learning_plan_modules.some((x) => x.code === 'EXP'), 'the terms show the plan as accepted');
});
