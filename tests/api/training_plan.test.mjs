// Training (issue 12), parts 2-4: the learning plan made when a placement is
// signed, the trainee's home, deliverable versions with files typed from their
// content, the mentor's review, single-use review links, tests with a stored
// seed and no answer key before submission, short answers graded by a person,
// competency ratings - each change audited, each limit a clear 4xx.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, USERS, assertError, linkToken, request, dbExec } from './lib.mjs';

let srv, coord, company, trainee, mentor, viewer, coordSi;
let placement, plan, mr;   // the demo trainee's placement, its plan, its first module

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

before(async () => {
  srv = await startServer({ smtp: true, args: ['--attachment-max', '4096'] });
  [coord, company, trainee, mentor, viewer, coordSi] = await Promise.all(
    ['coordinator', 'company', 'trainee', 'mentor', 'viewer', 'coordinatorSi'].map((r) => login(srv.base, USERS[r].email)));
  const mine = await trainee.get('/api/v1/placements');
  placement = mine.json.items.find((p) => p.status === 'draft');
  assert.ok(placement, 'the demo trainee has a placement waiting for signatures');
});
after(async () => { if (srv) await srv.stop(); });

test('the demo\'s drafts in a cohort with a curriculum have their plan in the agreement, accepted for those terms', async () => {
  const drafts = (await coord.get('/api/v1/placements?status=draft&limit=100')).json.items
    .filter((p) => p.id !== placement.id);   // the demo trainee's own draft is one from before curricula
  assert.ok(drafts.length >= 2, 'the demo has other drafts');
  let adapted = 0;
  for (const d of drafts) {
    const p = (await coord.get(`/api/v1/placements/${d.id}`)).json;
    const mods = p.agreement.terms.learning_plan_modules;
    assert.ok(mods && mods.length === 8, `draft ${d.id} has a learning plan in its terms`);
    for (const a of p.agreement.acceptances) assert.equal(a.terms_hash, p.agreement.terms_hash, `draft ${d.id}: acceptance for these terms`);
    adapted += mods.some((m) => m.code === 'DIG' && m.selected) ? 1 : 0;
  }
  assert.ok(adapted >= 1, 'some company has chosen the elective already');
});

test('signing the agreement makes the learning plan from the cohort\'s curriculum version', async () => {
  const before = await trainee.get(`/api/v1/placements/${placement.id}/learning-plan`);
  assert.equal(before.status, 200);
  assert.equal(before.json.plan, null);
  for (const [party, name] of [[coord, 'operator'], [company, 'company'], [trainee, 'trainee']]) {
    const p = (await party.get(`/api/v1/placements/${placement.id}`)).json;
    if (p.agreement.acceptances.some((a) => a.party === name)) continue;   // the demo has some already
    const r = await party.post(`/api/v1/placements/${placement.id}/accept`, { terms_hash: p.agreement.terms_hash });
    assert.equal(r.status, 200, r.text);
  }
  const r = await trainee.get(`/api/v1/placements/${placement.id}/learning-plan`);
  assert.equal(r.status, 200, r.text);
  plan = r.json;
  assert.equal(plan.plan.curriculum_ref, 'ITM@1');
  assert.equal(plan.modules.length, 8);
  assert.deepEqual(plan.modules.map((m) => m.code), ['MR', 'MES', 'IMS', 'PPF', 'LCI', 'TLC', 'NEG', 'DIG']);
  const dig = plan.modules.find((m) => m.code === 'DIG');
  assert.equal(dig.selected, 0, 'an elective waits to be chosen');
  for (const m of plan.modules) assert.ok(m.planned_start <= m.due_date && m.state === 'planned', m.code);
  assert.ok(plan.modules[0].planned_start >= placement.start_date && plan.modules[7].due_date <= placement.end_date);
  mr = plan.modules[0];
  // A plan is made once.
  assertError(await coord.post(`/api/v1/placements/${placement.id}/learning-plan`), 409, 'conflict');
  // Other operators and other trainees see nothing of it.
  assert.equal((await coordSi.get(`/api/v1/plan-modules/${mr.id}`)).status, 404);
  assert.equal((await viewer.get(`/api/v1/plan-modules/${mr.id}`)).status, 403);
});

test('the company adapts a deliverable to its products; the coordinator chooses the elective; mandatory stays', async () => {
  const r = await company.patch(`/api/v1/plan-modules/${mr.id}`, {
    deliverable: { title: 'Market screen for our timber windows', description: 'Screen ten countries for HS 441820.', fields: [] },
  }, { headers: { 'If-Match': `"v${mr.version}"` } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.deliverable.title, 'Market screen for our timber windows');
  const dig = plan.modules.find((m) => m.code === 'DIG');
  const e = await coord.patch(`/api/v1/plan-modules/${dig.id}`, { selected: true, version: dig.version });
  assert.equal(e.json.selected, 1);
  assertError(await coord.patch(`/api/v1/plan-modules/${mr.id}`, { selected: false, version: r.json.version }),
    400, 'validation_failed', { field: 'selected' });
  assertError(await coord.patch(`/api/v1/plan-modules/${mr.id}`, { planned_start: '2027-05-01', due_date: '2027-04-01',
    version: r.json.version }), 400, 'validation_failed', { field: 'due_date' });
  assertError(await trainee.patch(`/api/v1/plan-modules/${mr.id}`, { selected: true, version: r.json.version }), 403, 'forbidden');
  const audit = await coord.get(`/api/v1/audit?entity=plan_module&entity_id=${mr.id}`);
  assert.ok(audit.json.items.some((a) => a.changes.deliverable));
});

test('deliverable: versions, files checked by content, mentor asks for changes, trainee home shows it, link review', async () => {
  assertError(await trainee.post(`/api/v1/plan-modules/${mr.id}/deliverable-versions`, { body: '' }), 400, 'validation_failed',
    { field: 'body' });
  const v1 = await trainee.post(`/api/v1/plan-modules/${mr.id}/deliverable-versions`,
    { body: '## Market screen\n\nGermany, Norway and Japan lead.', links: ['https://example.org/screen'] });
  assert.equal(v1.status, 201, v1.text);
  assert.equal(v1.json.number, 1);
  assert.match(v1.json.sha256, /^[0-9a-f]{64}$/);
  const mail = await srv.smtp.waitForMail((m) => m.to.includes(USERS.mentor.email) && m.data.includes('Deliverable to review'));
  assert.ok(mail);

  // Files: typed from the content, not the name; the size limit is configurable (413).
  const put = (body, name) => trainee.put(`/api/v1/deliverable-versions/${v1.json.id}/files?name=${encodeURIComponent(name)}`,
    body, { headers: { 'Content-Type': 'application/octet-stream' } });
  const png = await put(PNG, 'chart.png');
  assert.equal(png.status, 201, png.text);
  assert.equal(png.json.mime, 'image/png');
  assert.equal((await put(PDF, 'screen.pdf')).json.mime, 'application/pdf');
  assertError(await put(Buffer.from('just some text, not a PDF'), 'fake.pdf'), 415, 'unsupported_media_type', { field: 'file' });
  assertError(await put(PNG, ''), 400, 'validation_failed', { field: 'name' });
  assertError(await put(Buffer.concat([PDF, Buffer.alloc(5000, 32)]), 'big.pdf'), 413, 'too_large', { field: 'file' });
  const file = await mentor.get(`/api/v1/deliverable-files/${png.json.id}`);
  assert.equal(file.status, 200);
  assert.equal(file.headers.get('content-type'), 'image/png');

  // The mentor asks for changes (comments required), the trainee's home lists it as returned, mail goes out.
  assertError(await mentor.post(`/api/v1/deliverable-versions/${v1.json.id}/reviews`, { decision: 'request_changes' }),
    400, 'validation_failed', { field: 'comments' });
  const rq = await mentor.post(`/api/v1/deliverable-versions/${v1.json.id}/reviews`,
    { decision: 'request_changes', comments: [{ on: 'text', text: 'Add the tariff for Japan.' }, { on: `file:${png.json.id}`, text: 'Label the axes.' }] });
  assert.equal(rq.status, 200, rq.text);
  assert.equal(rq.json.status, 'changes_requested');
  assertError(await mentor.post(`/api/v1/deliverable-versions/${v1.json.id}/reviews`,
    { decision: 'approve', rubric: [{ criterion: 'evidence', level: 2 }, { criterion: 'use', level: 2 }] }), 409, 'invalid_transition');
  const home = (await trainee.get('/api/v1/me/training')).json;
  assert.ok(home.returned.some((m) => m.id === mr.id), JSON.stringify(home));
  assert.ok(home.due_next.length >= 1);
  await srv.smtp.waitForMail((m) => m.data.includes('Changes requested'));
  // No file is added to a reviewed version.
  assertError(await put(PNG, 'late.png'), 409, 'invalid_transition');

  // Version 2; version 1 is kept.
  const v2 = await trainee.post(`/api/v1/plan-modules/${mr.id}/deliverable-versions`, { body: '## Market screen v2\n\nWith tariffs.' });
  assert.equal(v2.json.number, 2);
  const mod = (await trainee.get(`/api/v1/plan-modules/${mr.id}`)).json;
  assert.deepEqual(mod.versions.map((v) => [v.number, v.status]), [[1, 'changes_requested'], [2, 'submitted']]);
  assert.equal(mod.versions[0].files.length, 2);
  assert.equal(mod.reviews[0].comments[1].on, `file:${png.json.id}`);
  assert.equal(mod.definition.test.questions, undefined, 'no questions (nor keys) with the module');

  // A review link for a mentor without an account: bound to version 2, single use.
  const l = await trainee.post(`/api/v1/deliverable-versions/${v2.json.id}/review-links`, { email: 'outside.mentor@example.org', name: 'Ola Outside' });
  assert.equal(l.status, 201, l.text);
  const token = linkToken(await srv.smtp.waitForMail((m) => m.to.includes('outside.mentor@example.org')), 'review');
  // The mail is in the language the sender picks, else the sender's own (the reviewer has no account).
  assert.match((await srv.smtp.waitForMail((m) => m.to.includes('outside.mentor@example.org'))).data, /asks you, as their mentor, to review/);
  assert.equal((await trainee.post(`/api/v1/deliverable-versions/${v2.json.id}/review-links`,
    { email: 'svensk.mentor@example.org', name: 'Sven Svensk', locale: 'sv' })).status, 201);
  const outbox = (to) => dbExec(srv.db, `SELECT subject || '|' || body FROM outbox WHERE to_addr = '${to}' ORDER BY id DESC LIMIT 1`);
  assert.match(outbox('svensk.mentor@example.org'), /^Granska gärna: .*\|Hej Sven Svensk,\n\n.* ber dig som handledare att granska leverabeln för modulen .*\(version 2\).*inget konto behövs.*#\/review\?token=/s);
  assert.equal((await trainee.patch('/api/v1/me/settings', { locale: 'sv' })).status, 200);
  assert.equal((await trainee.post(`/api/v1/deliverable-versions/${v2.json.id}/review-links`,
    { email: 'annan.mentor@example.org', name: 'Anna Annan' })).status, 201);
  assert.match(outbox('annan.mentor@example.org'), /^Granska gärna: .*\|Hej Anna Annan,/s, 'the trainee reads Swedish');
  assert.equal((await trainee.patch('/api/v1/me/settings', { locale: 'en' })).status, 200);
  assertError(await trainee.post(`/api/v1/deliverable-versions/${v2.json.id}/review-links`,
    { email: 'x.mentor@example.org', name: 'X', locale: 'de' }), 400, 'validation_failed', { field: 'locale' });
  const open = await request(srv.base, 'POST', '/api/v1/review-links/open', { token });
  assert.equal(open.status, 200, open.text);
  assert.equal(open.json.number, 2);
  assert.ok(open.json.definition.rubric.criteria.length);
  // Approving scores the rubric; a bad rubric changes nothing and leaves the link usable.
  assertError(await request(srv.base, 'POST', '/api/v1/review-links/review', { token, decision: 'approve' }),
    400, 'validation_failed', { field: 'rubric' });
  assertError(await request(srv.base, 'POST', '/api/v1/review-links/review',
    { token, decision: 'approve', rubric: [{ criterion: 'evidence', level: 5 }, { criterion: 'use', level: 1 }] }),
  400, 'validation_failed', { field: 'rubric' });
  const ok = await request(srv.base, 'POST', '/api/v1/review-links/review',
    { token, decision: 'approve', rubric: [{ criterion: 'evidence', level: 2 }, { criterion: 'use', level: 1 }] });
  assert.equal(ok.status, 200, ok.text);
  assertError(await request(srv.base, 'POST', '/api/v1/review-links/review', { token, decision: 'approve' }), 410, 'link_gone',
    { message: /already used/ });
  assertError(await request(srv.base, 'POST', '/api/v1/review-links/open', { token: 'x'.repeat(43) }), 404, 'not_found');
  const after = (await coord.get(`/api/v1/plan-modules/${mr.id}`)).json;
  assert.equal(after.state, 'approved');
  assert.equal(after.rubric_score, 75);
  assert.equal(after.reviews.at(-1).via, 'link');
  assert.match(after.reviews.at(-1).reviewer_name, /Ola Outside/);
  const audit = await coord.get('/api/v1/audit?entity=deliverable_review&limit=5');
  assert.ok(audit.json.items.some((a) => a.changes.via.new === 'link'));
});

test('test: seeded order stored, no key before submission, attempts limited, pass mark, result by weights', async () => {
  const staffView = (await coord.get(`/api/v1/curriculum-versions/${plan.plan.curriculum_version_id}`)).json;
  const key = staffView.content.modules.find((m) => m.code === 'MR').test;
  assertError(await coord.post(`/api/v1/plan-modules/${mr.id}/attempts`), 403, 'forbidden');
  const a1 = await trainee.post(`/api/v1/plan-modules/${mr.id}/attempts`);
  assert.equal(a1.status, 201, a1.text);
  assert.ok(!a1.text.includes('"answer"'), 'no answer key before submission');
  assert.equal(a1.json.questions.length, key.questions.length);
  assertError(await trainee.post(`/api/v1/plan-modules/${mr.id}/attempts`), 409, 'attempt_open');
  // Wrong answers: failed, counted.
  const wrong = key.questions.filter((q) => q.type === 'single').map((q) => ({ question: q.id, choice: (q.answer + 1) % q.options.length }));
  const f = await trainee.post(`/api/v1/test-attempts/${a1.json.id}/submit`, { answers: wrong });
  assert.equal(f.status, 200, f.text);
  assert.equal(f.json.state, 'failed');
  assertError(await trainee.post(`/api/v1/test-attempts/${a1.json.id}/submit`, { answers: wrong }), 409, 'invalid_transition');
  // The stored seed reproduces the order: staff read it with the attempt.
  const stored = (await coord.get(`/api/v1/plan-modules/${mr.id}`)).json.attempts[0];
  assert.equal(typeof stored.seed, 'number');
  assert.deepEqual(stored.question_order, a1.json.questions.map((q) => q.id));
  // Right answers plus a short answer: graded by a person, then passed.
  const a2 = (await trainee.post(`/api/v1/plan-modules/${mr.id}/attempts`)).json;
  assertError(await trainee.post(`/api/v1/test-attempts/${a2.id}/submit`, { answers: [{ question: 'nope', choice: 0 }] }),
    400, 'validation_failed', { field: 'answers' });
  const answers = key.questions.map((q) => (q.type === 'single' ? { question: q.id, choice: q.answer }
    : q.type === 'multiple' ? { question: q.id, choices: q.answer } : { question: q.id, text: 'UN Comtrade: imports by HS code.' }));
  const s = await trainee.post(`/api/v1/test-attempts/${a2.id}/submit`, { answers });
  assert.equal(s.json.state, 'grading');
  assert.equal(s.json.pending_short_answers, 1);
  const shortQ = key.questions.find((q) => q.type === 'short');
  assertError(await coord.post(`/api/v1/test-attempts/${a2.id}/grade`, { points: [{ question: shortQ.id, points: 99 }] }),
    400, 'validation_failed', { field: 'points' });
  const g = await coord.post(`/api/v1/test-attempts/${a2.id}/grade`, { points: [{ question: shortQ.id, points: shortQ.points }] });
  assert.equal(g.status, 200, g.text);
  assert.equal(g.json.state, 'passed');
  assert.equal(g.json.percent, 100);
  const m = (await trainee.get(`/api/v1/plan-modules/${mr.id}`)).json;
  assert.equal(m.test_state, 'passed');
  assert.equal(m.result, Math.floor((100 * 40 + 75 * 60) / 100), 'test 40 % and rubric 60 % as the curriculum declares');
  assertError(await trainee.post(`/api/v1/plan-modules/${mr.id}/attempts`), 409, 'invalid_transition');
});

/** Moves a stored time into the past, as the clock would. */
const age = (sql) => dbExec(srv.db, sql);

test('an expired review link and a test submitted after its time are refused and change nothing', async () => {
  const ims = plan.modules.find((x) => x.code === 'MES');
  const v = (await trainee.post(`/api/v1/plan-modules/${ims.id}/deliverable-versions`, { body: 'Entry plan, first draft.' })).json;
  await trainee.post(`/api/v1/deliverable-versions/${v.id}/review-links`, { email: 'late.mentor@example.org', name: 'Late Mentor' });
  const token = linkToken(await srv.smtp.waitForMail((m) => m.to.includes('late.mentor@example.org')), 'review');
  age(`UPDATE review_links SET expires_at = 1 WHERE version_id = ${v.id}`);
  assertError(await request(srv.base, 'POST', '/api/v1/review-links/review', { token, decision: 'request_changes',
    comments: [{ on: 'text', text: 'late' }] }), 410, 'link_gone', { message: /expired/ });
  assert.equal((await coord.get(`/api/v1/deliverable-versions/${v.id}`)).json.status, 'submitted');

  const tls = plan.modules.find((x) => x.code === 'TLC');
  const a = (await trainee.post(`/api/v1/plan-modules/${tls.id}/attempts`)).json;
  age(`UPDATE test_attempts SET deadline = 1 WHERE id = ${a.id}`);
  assertError(await trainee.post(`/api/v1/test-attempts/${a.id}/submit`, { answers: [] }), 409, 'time_over');
  assert.equal((await trainee.get(`/api/v1/test-attempts/${a.id}`)).json.state, 'open');
});

test('attempts run out', async () => {
  const mes = plan.modules.find((x) => x.code === 'MES');
  for (let i = 0; i < 3; i++) {
    const a = (await trainee.post(`/api/v1/plan-modules/${mes.id}/attempts`)).json;
    assert.equal((await trainee.post(`/api/v1/test-attempts/${a.id}/submit`, { answers: [] })).json.state, 'failed');
  }
  assertError(await trainee.post(`/api/v1/plan-modules/${mes.id}/attempts`), 409, 'attempts_exhausted');
});

test('competency ratings: the trainee assesses themself, the mentor rates behaviour, nobody else', async () => {
  const r = await trainee.put(`/api/v1/placements/${placement.id}/competency-ratings`, { kind: 'pre', competency: 'MR-SCREEN', level: 1 });
  assert.equal(r.status, 200, r.text);
  assertError(await trainee.put(`/api/v1/placements/${placement.id}/competency-ratings`, { kind: 'mentor', competency: 'MR-SCREEN', level: 4 }),
    403, 'forbidden');
  assertError(await trainee.put(`/api/v1/placements/${placement.id}/competency-ratings`, { kind: 'pre', competency: 'NOPE', level: 1 }),
    400, 'validation_failed', { field: 'competency' });
  const m = await mentor.put(`/api/v1/placements/${placement.id}/competency-ratings`, { kind: 'mentor', competency: 'MR-SCREEN', level: 3 });
  assert.equal(m.status, 200, m.text);
  const plan2 = (await company.get(`/api/v1/placements/${placement.id}/learning-plan`)).json;
  assert.deepEqual(plan2.ratings.map((x) => [x.competency, x.kind, x.level]), [['MR-SCREEN', 'mentor', 3], ['MR-SCREEN', 'pre', 1]]);
});
