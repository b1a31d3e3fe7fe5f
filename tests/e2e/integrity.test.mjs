// integrity.test.mjs (issue 17) - nothing of weight happens on one click: the trainee's
// acceptance of the agreement asks for confirmation (cancel leaves it unaccepted); completing
// a placement before its end date asks for a written reason (the confirm button waits for
// it) that lands in the audit log; the coordinator's allowance to apply elsewhere needs a
// reason too. And the public /verify page checks the holder's e-mail against the
// credential's salted hash.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, open, noProblems, DEMO, apiAs, seedProgramme, programmeParties } from './harness.mjs';

let srv, browser, coord, seed, placement;
const pages = {};

before(async () => {
  srv = await startServer();
  browser = await launch();
  coord = await apiAs(srv, DEMO.coordinator);
  seed = await seedProgramme(coord);
  const parties = await programmeParties(srv, browser, coord, seed, ['coordinator', 'trainee']);
  Object.assign(pages, parties.pages);
  placement = await coord.post('/placements', {
    graduate_id: seed.graduate.id, company_id: seed.company.id, start_date: '2026-02-01', end_date: '2099-07-31', objectives: 'Open the German market',
  });
  pages.companyEmail = parties.emails.company;
});
after(async () => {
  for (const k of ['coordinator', 'trainee']) if (pages[k]) noProblems(pages[k]);
  await browser?.close();
  await srv?.stop();
});

test("the trainee's acceptance asks for confirmation; cancelling accepts nothing", async () => {
  const page = pages.trainee;
  await open(page, `#/placements/${placement.id}`, seed.graduate.name);
  await page.getByRole('button', { name: 'Accept the agreement' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText(/counts as your signature/).waitFor();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'detached' });
  assert.equal((await coord.get(`/placements/${placement.id}`)).agreement.acceptances.length, 0, 'cancel accepts nothing');
  await page.getByRole('button', { name: 'Accept the agreement' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Accept the agreement' }).click();
  await page.locator('tr[data-party="trainee"]', { hasText: 'Tomas Trainee' }).waitFor();
});

test('completing before the end date: confirmation with a required reason, kept in the audit log', async () => {
  // the other two parties sign through the API
  let p = await coord.get(`/placements/${placement.id}`);
  const company = await apiAs(srv, pages.companyEmail);
  await company.post(`/placements/${placement.id}/accept`, { terms_hash: p.agreement.terms_hash });
  p = await coord.post(`/placements/${placement.id}/accept`, { terms_hash: p.agreement.terms_hash });
  assert.equal(p.status, 'signed');
  const page = pages.coordinator;
  await open(page, `#/placements/${placement.id}`, seed.graduate.name);
  await page.getByRole('button', { name: 'Mark as completed' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText(/runs until/).waitFor();
  const confirm = dialog.getByRole('button', { name: 'Mark as completed' });
  assert.equal(await confirm.isDisabled(), true, 'no reason, no completion');
  await dialog.getByLabel('Why is it completed before its end date?').fill('The project was delivered early; the company hired the trainee.');
  assert.equal(await confirm.isDisabled(), false);
  await confirm.click();
  await page.locator('.page-header .badge', { hasText: 'Completed' }).waitFor();
  const audit = await coord.get(`/audit?entity=placement&entity_id=${placement.id}`);
  assert.ok(audit.items.some((a) => a.changes.status_reason && /delivered early/.test(a.changes.status_reason.new)), JSON.stringify(audit.items));
});

test("the coordinator's allowance to apply elsewhere needs a reason and shows who gave it", async () => {
  const other = await coord.post('/placements', {
    graduate_id: seed.graduate.id, company_id: seed.company.id, start_date: '2027-02-01', end_date: '2027-07-31',
  });
  const page = pages.coordinator;
  await open(page, `#/placements/${other.id}`, seed.graduate.name);
  await page.getByText('The trainee cannot apply to other positions while this placement runs.').waitFor();
  await page.getByRole('button', { name: 'Allow applications elsewhere' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Reason').fill('The company closes its export unit in March.');
  await dialog.getByRole('button', { name: 'Allow applications elsewhere' }).click();
  await page.getByText(/Allowed by Erik Johansson .*: The company closes its export unit in March\./).waitFor();
  assert.equal((await coord.get(`/placements/${other.id}`)).applications_elsewhere.reason, 'The company closes its export unit in March.');
});
