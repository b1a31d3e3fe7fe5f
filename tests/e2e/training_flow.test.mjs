// training_flow.test.mjs - one module from plan to credential: the agreement is
// signed and the plan appears; the trainee submits the market screen and sends
// a review link; a mentor without an account approves it on a phone with the
// rubric; the trainee takes the test; the module has its result; the
// credential lists the competencies and the approved deliverable, and the
// independent verifier accepts it. The coordinator reads the cohort grid.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startServer, launch, newPage, signIn, open, noProblems, DEMO, apiAs, REPO } from './harness.mjs';

process.env.TRADEBRIDGE_KEK = Buffer.from('TradeBridge-demo-only-key-encryp').toString('base64');

let srv, browser, coord, company, trainee, placement, plan;
before(async () => {
  srv = await startServer();
  browser = await launch();
  [coord, company, trainee] = await Promise.all([apiAs(srv, DEMO.coordinator), apiAs(srv, DEMO.company), apiAs(srv, DEMO.trainee)]);
  placement = (await trainee.get('/placements')).items.find((p) => p.status === 'draft');
  for (const [party, name] of [[coord, 'operator'], [company, 'company'], [trainee, 'trainee']]) {
    const p = await party.get(`/placements/${placement.id}`);
    if (!p.agreement.acceptances.some((a) => a.party === name))
      await party.post(`/placements/${placement.id}/accept`, { terms_hash: p.agreement.terms_hash });
  }
  plan = await trainee.get(`/placements/${placement.id}/learning-plan`);
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('one module from the plan to a verified credential that lists the competencies', async () => {
  const mr = plan.modules[0];
  const page = await newPage(browser, srv);
  await signIn(page, DEMO.trainee);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Training' }).click();
  await page.locator('h1', { hasText: 'Training' }).waitFor();
  await page.locator('.tr-due a', { hasText: 'MR' }).waitFor();
  await open(page, `#/placements/${placement.id}/plan`, 'Learning plan');
  assert.equal(await page.locator('tbody tr').count(), 8);
  await page.getByRole('link', { name: /MR — Market research/ }).click();
  await page.locator('h1', { hasText: 'MR — Market research and selection' }).waitFor();

  // The deliverable, then a review link for the mentor.
  await page.getByLabel('Your work (text, Markdown)').fill('## Market screen\n\nTen countries screened for HS 441820; Germany, Norway, Japan lead.');
  await page.getByRole('button', { name: 'Submit a new version' }).click();
  await page.locator('.tr-version h3', { hasText: 'Version 1' }).waitFor();
  await page.locator('#tr-link-email').fill('ola.outside@example.org');
  await page.locator('#tr-link-name').fill('Ola Outside');
  await page.locator('#tr-link-locale').selectOption('sv');   // the mail's language (the reviewer has no account)
  await page.getByRole('button', { name: 'Send' }).click();
  const token = await srv.smtp.token('ola.outside@example.org', 'review');
  assert.ok(srv.smtp.messages.some((m) => m.to.includes('ola.outside@example.org') && /ber dig som handledare att granska/.test(m.text)),
    'the review link mail is in Swedish');
  noProblems(page);

  // The mentor, signed out, on a phone: approves with the rubric.
  const phone = await newPage(browser, srv, { width: 390, height: 800 });
  await phone.goto(`/#/review?token=${token}`);
  await phone.locator('h1', { hasText: 'Market research and selection' }).waitFor();
  await phone.locator('#tr-rubric-evidence').selectOption('2');
  await phone.locator('#tr-rubric-use').selectOption('1');
  await phone.getByRole('button', { name: 'Approve' }).click();
  await phone.locator('#tr-thanks').waitFor();
  // the link works once
  await phone.goto(`/#/review?token=${token}&again=1`);
  await phone.getByText(/already used/).waitFor();
  noProblems(phone);
  await phone.context().close();

  // The test, answered right (the key is the coordinator's to read).
  const key = (await coord.get(`/curriculum-versions/${plan.plan.curriculum_version_id}`)).content.modules[0].test;
  await open(page, `#/plan-modules/${mr.id}`, 'MR — Market research');
  await page.locator('.badge-tr-approved').first().waitFor();
  await page.getByRole('button', { name: 'Start the test' }).click();
  for (const q of key.questions) {
    const box = page.locator('fieldset.tr-question', { has: page.locator('legend', { hasText: q.text }) });
    if (q.type === 'short') await box.locator('textarea').fill('UN Comtrade: import values by HS code and partner.');
    else for (const i of [].concat(q.answer)) await box.locator(`input[value="${i}"]`).check();
  }
  await page.getByRole('button', { name: 'Submit answers' }).click();
  await page.getByText(/Waiting for a person to grade|Passed/).first().waitFor();
  noProblems(page);
  await page.context().close();

  // The short answer is graded by the coordinator; the module has its result.
  const attempt = (await coord.get(`/plan-modules/${mr.id}`)).attempts.at(-1);
  const short = key.questions.find((q) => q.type === 'short');
  await coord.post(`/test-attempts/${attempt.id}/grade`, { points: [{ question: short.id, points: short.points }] });
  const done = await coord.get(`/plan-modules/${mr.id}`);
  assert.equal(done.test_state, 'passed');
  assert.equal(done.result, Math.floor((100 * 40 + 75 * 60) / 100));
  await trainee.req('PUT', `/placements/${placement.id}/competency-ratings`, { kind: 'post', competency: 'MR-SCREEN', level: 3 });

  // The credential: the plan is not complete, so the coordinator overrides with a reason.
  await coord.post(`/placements/${placement.id}/status`, { status: 'completed', reason: 'End-to-end test: completed before the end date.' });
  const ach = (await coord.get('/achievements')).items.find((a) => a.org_id === placement.org_id);
  const cred = await coord.post('/credentials', { graduate_id: placement.graduate_id, achievement_id: ach.id,
    placement_id: placement.id, override_reason: 'End-to-end test: one module walked through; the others are not due.' });
  const subject = cred.document.credentialSubject;
  assert.ok(subject.achievement.alignment.some((a) => a.targetCode === 'MR-SCREEN'));
  assert.ok(subject.result.some((r) => r.achievedLevel.endsWith('#competency-MR-SCREEN-level-3')));
  const ev = cred.document.evidence.find((e) => e.genre === 'Workplace deliverable');
  assert.match(ev.name, /^Market research and selection: /);
  assert.match(ev.description, /SHA-256 of the approved version: [0-9a-f]{64}/);
  const did = await (await fetch(`${srv.base}/issuers/${placement.org_id}/did.json`)).json();
  writeFileSync(join(srv.dir, 'vc.json'), JSON.stringify(cred.document));
  writeFileSync(join(srv.dir, 'did.json'), JSON.stringify(did));
  const v = spawnSync(process.execPath, [resolve(REPO, 'tests/interop/verify-independent.mjs'), join(srv.dir, 'vc.json'),
    join(srv.dir, 'did.json')], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(JSON.parse(v.stdout || '{}').verified, true, v.stdout + v.stderr);
});

test('the mentor\'s review inbox on a phone: a deliverable waiting, changes requested with a comment', async () => {
  const mes = plan.modules.find((m) => m.code === 'MES');
  await trainee.post(`/plan-modules/${mes.id}/deliverable-versions`, { body: 'Entry plan: distributor in Germany, budget 40k SEK.' });
  const page = await newPage(browser, srv, { width: 390, height: 800 });
  await signIn(page, DEMO.mentor);
  await open(page, '#/training', 'Training');
  await page.locator('.tr-waiting a', { hasText: 'MES' }).first().click();
  await page.locator('h1', { hasText: 'MES — Market entry strategy' }).waitFor();
  await page.locator('#tr-comment').fill('Name two candidate distributors and how you found them.');
  await page.getByRole('button', { name: 'Request changes' }).click();
  await page.locator('.tr-review-note', { hasText: 'Name two candidate distributors' }).waitFor();
  noProblems(page);
  await page.context().close();
  const home = await trainee.get('/me/training');
  assert.ok(home.returned.some((m) => m.code === 'MES'));
});

test('the coordinator reads the cohort grid and the curriculum versions', async () => {
  const page = await newPage(browser, srv);
  await signIn(page, DEMO.coordinator);
  await open(page, `#/cohorts/${placement.cohort_id}/progress`, 'Progress');
  assert.ok(await page.locator('.tr-grid tbody tr').count() >= 1);
  await page.locator('.tr-cell-done').first().waitFor();
  await open(page, '#/curricula', 'Curricula');
  await page.getByRole('link', { name: 'ITM@1' }).click();
  await page.locator('h1', { hasText: 'ITM@1 — International trade management' }).waitFor();

  // The editor: a new curriculum from a document, then a frozen version's edit becomes a new draft.
  const doc = JSON.parse(readFileSync(join(REPO, 'data/curriculum/default.json'), 'utf8'));
  await open(page, '#/curricula', 'Curricula');
  await page.locator('#tr-doc').fill(JSON.stringify({ ...doc, code: 'E2E', title: 'Trade skills (e2e)' }));
  await page.getByRole('button', { name: 'Create' }).click();
  await page.locator('h1', { hasText: 'E2E@1 — Trade skills (e2e)' }).waitFor();
  await coord.post('/cohorts', { name: 'E2E cohort', start_date: '2027-03-01', end_date: '2027-12-01', curriculum_version: 'E2E@1' });
  await page.reload();
  await page.locator('h1', { hasText: 'E2E@1' }).waitFor();
  await page.locator('#tr-doc').fill(JSON.stringify({ ...doc, code: 'E2E', title: 'Trade skills (e2e), revised' }));
  await page.getByRole('button', { name: 'Save' }).click();
  await page.locator('h1', { hasText: 'E2E@2 — Trade skills (e2e), revised' }).waitFor();
  await page.locator('#tr-compare').selectOption({ label: 'E2E@1' });
  await page.locator('.tr-diff li', { hasText: 'Title or description changed' }).waitFor();
  noProblems(page);
  await page.context().close();
});

test('a plan changed after signing: the trainee sees what changed and accepts the amended plan', async () => {
  const dig = (await coord.get(`/placements/${placement.id}/learning-plan`)).modules.find((m) => m.code === 'DIG');
  await coord.patch(`/plan-modules/${dig.id}`, { selected: true, version: dig.version });
  const page = await newPage(browser, srv);
  await signIn(page, DEMO.trainee);
  await open(page, `#/placements/${placement.id}`, placement.graduate_name);
  await page.locator('.plan-terms tbody tr', { hasText: 'DIG' }).waitFor();
  const box = page.locator('.plan-amendment');
  await box.waitFor();
  assert.match(await box.innerText(), /DIG · selected/);
  await page.getByRole('button', { name: 'Accept the amended learning plan' }).click();
  await page.locator('.plan-amendment li').first().waitFor();   // still waiting for the company
  const p = await coord.get(`/placements/${placement.id}`);
  assert.deepEqual(p.agreement.plan.amendment.pending, ['company']);
  noProblems(page);
  await page.context().close();
});
