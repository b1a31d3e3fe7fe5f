// programme_flow.test.mjs - the programme end to end through the browser: a coordinator
// approves and opens a position, a graduate applies, the coordinator moves the application
// to shortlisted on the board, the company sees it, the three parties accept the agreement,
// and a company cannot open another company's position.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, open, noProblems, DEMO, apiAs, seedProgramme, programmeParties } from './harness.mjs';

let srv, browser, coord, seed;
const pages = {};
let applicationId, placementId;

before(async () => {
  srv = await startServer();
  browser = await launch();
  coord = await apiAs(srv, DEMO.coordinator);
  seed = await seedProgramme(coord);
  Object.assign(pages, (await programmeParties(srv, browser, coord, seed)).pages);
});
after(async () => {
  for (const p of Object.values(pages)) noProblems(p);
  await browser?.close();
  await srv?.stop();
});

test('coordinator approves a submitted position and opens it', async () => {
  const page = pages.coordinator;
  await open(page, `#/positions/${seed.position.id}`, seed.position.title);
  const actions = page.locator('section', { has: page.getByRole('heading', { name: 'Status' }) });
  await actions.locator('.badge', { hasText: 'Submitted' }).waitFor();
  await page.getByRole('button', { name: 'Approve' }).click();
  await page.getByText('The position is now Approved.').waitFor();
  await actions.locator('.badge', { hasText: 'Approved' }).waitFor();
  await page.getByRole('button', { name: 'Open for applications' }).click();
  await actions.locator('.badge', { hasText: 'Open' }).waitFor();
  assert.equal((await coord.get(`/positions/${seed.position.id}`)).status, 'open');
});

test('the graduate sees the open position on their home page and applies', async () => {
  const page = pages.trainee;
  await open(page, '#/', /^Hello, /);
  await page.getByRole('link', { name: seed.position.title }).click();
  await page.locator('h1', { hasText: seed.position.title }).waitFor();
  await page.getByRole('button', { name: 'Apply for this position' }).click();
  await page.locator('h1', { hasText: `→ ${seed.position.title}` }).waitFor();
  await page.locator('.page-header .badge', { hasText: 'Applied' }).waitFor();
  applicationId = Number(page.url().match(/#\/applications\/(\d+)/)[1]);
  const a = await coord.get(`/applications/${applicationId}`);
  assert.equal(a.graduate_id, seed.graduate.id);
  assert.equal(a.stage, 'applied');
});

test('coordinator moves the application to shortlisted on the pipeline board (keyboard)', async () => {
  const page = pages.coordinator;
  await open(page, `#/board?position_id=${seed.position.id}`, 'Pipeline');
  const name = seed.graduate.name;
  for (const [from, to, label] of [['applied', 'screened', 'Screened'], ['screened', 'interview', 'Interview'], ['interview', 'shortlisted', 'Shortlist']]) {
    const card = page.locator(`.board-col[data-stage="${from}"] [data-app="${applicationId}"]`);
    await card.waitFor();
    const btn = card.getByRole('button', { name: `${label}: ${name}` });
    await btn.focus();
    await page.keyboard.press('Enter');
    await page.locator(`.board-col[data-stage="${to}"] [data-app="${applicationId}"]`).waitFor();
  }
  // focus stays on the moved card, so the next move is one Tab away
  const focused = await page.evaluate(() => document.activeElement.closest('[data-app]')?.dataset.app);
  assert.equal(focused, String(applicationId));
  const a = await coord.get(`/applications/${applicationId}`);
  assert.equal(a.stage, 'shortlisted');
  assert.deepEqual(a.history.map((x) => x.to_stage), ['applied', 'screened', 'interview', 'shortlisted']);
});

test('the company sees the shortlisted graduate and the stage history', async () => {
  const page = pages.company;
  await open(page, '#/', /^Hello, /);
  const shortlist = page.locator('section', { has: page.getByRole('heading', { name: 'Your shortlist' }) });
  await shortlist.getByRole('link', { name: seed.graduate.name }).click();
  await page.locator('h1', { hasText: seed.graduate.name }).waitFor();
  await page.locator('.page-header .badge', { hasText: 'Shortlisted' }).waitFor();
  await page.getByRole('button', { name: 'Make an offer' }).waitFor();
  await page.getByRole('button', { name: 'Reject' }).waitFor();
  const history = page.locator('section', { has: page.getByRole('heading', { name: 'History' }) });
  assert.equal(await history.locator('li').count(), 4);
});

test('the three parties accept the placement agreement; then it is locked', async () => {
  const p = await coord.post('/placements', {
    graduate_id: seed.graduate.id, company_id: seed.company.id, position_id: seed.position.id, cohort_id: seed.cohort.id,
    start_date: '2027-02-01', end_date: '2027-07-31', currency: 'SEK', stipend: 2000000, objectives: 'Open the German market',
  });
  placementId = p.id;
  const hash = p.agreement.terms_hash;
  for (const [role, party, who] of [['trainee', 'trainee', 'Tomas Trainee'], ['company', 'company', 'Clara Company'], ['coordinator', 'operator', 'Erik Johansson']]) {
    const page = pages[role];
    await open(page, `#/placements/${placementId}`, seed.graduate.name);
    assert.equal(await page.locator('code.hash').textContent(), hash, 'the terms fingerprint is shown');
    await page.getByText('20,000.00 SEK').first().waitFor();
    await page.getByRole('button', { name: 'Accept the agreement' }).click();
    // a signature: confirmed in a dialog (tests/e2e/integrity.test.mjs)
    await page.getByRole('dialog').getByRole('button', { name: 'Accept the agreement' }).click();
    await page.locator(`tr[data-party="${party}"]`, { hasText: who }).waitFor();
  }
  const page = pages.coordinator;
  await page.getByText(/Signed by all three parties; the terms are locked/).waitFor();
  await page.locator('.page-header .badge', { hasText: 'Signed' }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'Edit' }).count(), 0, 'locked terms cannot be edited');
  const after = await coord.get(`/placements/${placementId}`);
  assert.equal(after.status, 'signed');
  assert.deepEqual(after.agreement.acceptances.map((a) => a.terms_hash), [hash, hash, hash]);
});

test("a company user cannot open another company's position", async () => {
  const other = await coord.post('/companies', { legal_name: 'Other Exporter Oy', country: 'SE' });
  const pos = await coord.post('/positions', { company_id: other.id, title: 'Hidden position' });
  const page = pages.company;
  await open(page, `#/positions/${pos.id}`, 'Not found');
  await page.getByRole('alert').filter({ hasText: 'this record does not exist, or you do not have access to it' }).waitFor();
  assert.equal(await page.getByText('Hidden position').count(), 0);
  // its own position is fine
  await open(page, `#/positions/${seed.position.id}`, seed.position.title);
});

test('a card can also be dragged to the next stage column', async () => {
  const g2 = await coord.post('/graduates', { name: 'Dora Dragdrop', email: 'dora@example.org' });
  const app = await coord.post('/applications', { position_id: seed.position.id, graduate_id: g2.id });
  const page = pages.coordinator;
  await open(page, `#/board?position_id=${seed.position.id}`, 'Pipeline');
  const card = page.locator(`.board-col[data-stage="applied"] [data-app="${app.id}"]`);
  await card.dragTo(page.locator('.board-col[data-stage="screened"]'));
  await page.locator(`.board-col[data-stage="screened"] [data-app="${app.id}"]`).waitFor();
  assert.equal((await coord.get(`/applications/${app.id}`)).stage, 'screened');
});
