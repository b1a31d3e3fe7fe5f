// Training (issue 12) and the GDPR: a graduate's export carries their training
// records (plan, deliverable versions with their files named and hashed,
// reviews, test attempts with the answers given, competency ratings); erasing
// the graduate removes what they wrote, uploaded and answered, and the
// reviewers' comments on it, while the anonymous figures (progress counts,
// states, results) stay as they were.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startServer, login, USERS, dbExec } from './lib.mjs';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const MARKER = 'GDPR-marker: our distributor in Osaka, Mr Tanaka';
let srv, coord, placement, graduateId, module, versionId, fileId;

before(async () => {
  srv = await startServer();
  coord = await login(srv.base, USERS.coordinator.email);
  // A signed placement of the demo whose plan has deliverables, reviews and test attempts.
  const placements = (await coord.get('/api/v1/placements?status=signed&limit=100')).json.items;
  for (const p of placements) {
    const plan = (await coord.get(`/api/v1/placements/${p.id}/learning-plan`)).json;
    const open = plan.modules.find((m) => m.selected && ['planned', 'changes_requested'].includes(m.state));
    if (open && plan.modules.some((m) => m.latest_version) && plan.modules.some((m) => m.attempts_used)) {
      placement = p; module = open; break;
    }
  }
  assert.ok(placement, 'the demo has a signed placement with deliverables and attempts');
  graduateId = placement.graduate_id;
  // The coordinator files a version with a file on the trainee's behalf: text that names people.
  const v = await coord.post(`/api/v1/plan-modules/${module.id}/deliverable-versions`, { body: MARKER, links: ['https://example.org/osaka'] });
  assert.equal(v.status, 201, v.text);
  versionId = v.json.id;
  const f = await coord.put(`/api/v1/deliverable-versions/${versionId}/files?name=tanaka-meeting.png`, PNG, { headers: { 'Content-Type': 'image/png' } });
  assert.equal(f.status, 201, f.text);
  fileId = f.json.id;
  const rv = await coord.post(`/api/v1/deliverable-versions/${versionId}/reviews`,
    { decision: 'request_changes', comments: [{ on: 'text', text: 'Say more about Mr Tanaka.' }] });
  assert.equal(rv.status, 200, rv.text);
});
after(async () => { if (srv) await srv.stop(); });

const trainingOf = (exp) => exp.placements.find((p) => p.id === placement.id).training;

test('the GDPR export holds the training records: plan, versions with files by name and hash, reviews, attempts, ratings', async () => {
  const r = await coord.get(`/api/v1/graduates/${graduateId}/export`);
  assert.equal(r.status, 200, r.text);
  const tr = trainingOf(r.json);
  assert.ok(tr && tr.plan && tr.plan.curriculum_ref, JSON.stringify(tr).slice(0, 300));
  assert.ok(tr.modules.length >= 8);
  assert.ok(Array.isArray(tr.competency_ratings));
  const m = tr.modules.find((x) => x.id === module.id);
  const v = m.deliverable_versions.find((x) => x.id === versionId);
  assert.equal(v.body, MARKER);
  assert.deepEqual(v.links, ['https://example.org/osaka']);
  assert.equal(v.files.length, 1);
  assert.equal(v.files[0].name, 'tanaka-meeting.png');
  assert.equal(v.files[0].mime, 'image/png');
  assert.equal(v.files[0].sha256, createHash('sha256').update(PNG).digest('hex'));
  assert.ok(m.reviews.some((x) => x.comments.some((c) => c.text === 'Say more about Mr Tanaka.')));
  const attempts = tr.modules.flatMap((x) => x.test_attempts);
  assert.ok(attempts.length >= 1, 'test attempts are there');
  assert.ok(attempts.some((a) => a.answers), 'with the answers given');
});

test('erasure removes what the graduate wrote, uploaded and answered; the anonymous figures stay', async () => {
  const counts = (await coord.get('/api/v1/training/counts')).json;
  const grid = (await coord.get(`/api/v1/cohorts/${placement.cohort_id}/progress`)).json;
  const row = grid.trainees.find((t) => t.placement_id === placement.id);
  const before = (await coord.get(`/api/v1/placements/${placement.id}/learning-plan`)).json.modules;

  // Mail still queued: the "changes requested" notice to the trainee, and one to someone else.
  const email = (await coord.get(`/api/v1/graduates/${graduateId}`)).json.email;
  const queued = (addr) => Number(dbExec(srv.db,
    `SELECT count(*) FROM outbox WHERE sent_at IS NULL AND lower(to_addr) = lower('${addr.replace(/'/g, "''")}')`));
  dbExec(srv.db, `INSERT INTO outbox (org_id, to_addr, subject, body, created_at) VALUES (${placement.org_id}, '${email.toUpperCase()}', 'Due soon: Tanaka', 'x', '2026-01-01T00:00:00Z'), (${placement.org_id}, 'someone.else@example.org', 'Other', 'y', '2026-01-01T00:00:00Z')`);
  assert.ok(queued(email) >= 2, `mail queued to ${email}`);

  const e = await coord.post(`/api/v1/graduates/${graduateId}/erase`);
  assert.equal(e.status, 200, e.text);
  // The graduate's unsent mail is gone (any case of the address); other people's stays.
  assert.equal(queued(email), 0, 'no mail to the erased graduate is left in the outbox');
  assert.equal(queued('someone.else@example.org'), 1);

  // Counts, the grid's states and results, and each module's state and scores are unchanged.
  assert.deepEqual((await coord.get('/api/v1/training/counts')).json, counts);
  const grid2 = (await coord.get(`/api/v1/cohorts/${placement.cohort_id}/progress`)).json;
  const row2 = grid2.trainees.find((t) => t.placement_id === placement.id);
  assert.deepEqual(row2.states, row.states);
  assert.deepEqual(row2.results, row.results);
  assert.notEqual(row2.trainee, row.trainee, 'the name is gone from the grid');
  const after = (await coord.get(`/api/v1/placements/${placement.id}/learning-plan`)).json.modules;
  assert.deepEqual(after.map((m) => [m.code, m.state, m.test_state, m.test_score, m.rubric_score, m.result]),
    before.map((m) => [m.code, m.state, m.test_state, m.test_score, m.rubric_score, m.result]));

  // The text, the links, the file and its name, the comments, the answers are gone; the hashes stay.
  const exp = (await coord.get(`/api/v1/graduates/${graduateId}/export`)).json;
  const text = JSON.stringify(trainingOf(exp));
  assert.ok(!text.includes('Tanaka') && !text.includes('osaka') && !text.includes('tanaka-meeting'), text.slice(0, 400));
  const tr = trainingOf(exp);
  const v = tr.modules.find((x) => x.id === module.id).deliverable_versions.find((x) => x.id === versionId);
  assert.equal(v.body, '');
  assert.match(v.sha256, /^[0-9a-f]{64}$/);
  assert.equal(v.files[0].sha256, createHash('sha256').update(PNG).digest('hex'));
  for (const a of tr.modules.flatMap((x) => x.test_attempts)) assert.equal(a.answers ?? null, null);
  const file = await coord.get(`/api/v1/deliverable-files/${fileId}`);
  assert.equal(file.status, 409, file.text);
  assert.equal(file.json.error.code, 'erased');
  // The audit trail of the training records no longer holds their content.
  const audit = (await coord.get(`/api/v1/audit?entity=deliverable_version&entity_id=${versionId}`)).json.items;
  assert.ok(audit.length >= 1 && audit.every((a) => a.changes.erased === true), JSON.stringify(audit));
});

test('a trainee\'s own export carries their training records too', async () => {
  const trainee = await login(srv.base, USERS.trainee.email);
  const mine = (await trainee.get('/api/v1/placements')).json.items[0];
  const r = await trainee.get(`/api/v1/graduates/${mine.graduate_id}/export`);
  assert.equal(r.status, 200, r.text);
  const p = r.json.placements.find((x) => x.id === mine.id);
  assert.ok(p && 'training' in p && Array.isArray(p.training.modules), JSON.stringify(p).slice(0, 300));
});
