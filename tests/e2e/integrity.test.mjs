// integrity.test.mjs (issue 17) - nothing of weight happens on one click: the trainee's
// acceptance of the agreement asks for confirmation (cancel leaves it unaccepted); completing
// a placement before its end date asks for a written reason (the confirm button waits for
// it) that lands in the audit log; the coordinator's allowance to apply elsewhere needs a
// reason too. And the public /verify page checks the holder's e-mail against the
// credential's salted hash.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startServer, launch, newPage, open, noProblems, DEMO, apiAs, seedProgramme, programmeParties } from './harness.mjs';

let srv, browser, coord, seed, placement;
const pages = {};
process.env.TRADEBRIDGE_KEK = randomBytes(32).toString('base64');   // to issue credentials

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

test('the issue form offers only placements without a credential of the chosen qualification; /verify checks the e-mail', async () => {
  const ach = await coord.post('/achievements', { name: `Integrity certificate ${seed.u}`, description: 'd', criteria: 'c', eqf_level: '6', credits: 30 });
  const page = pages.coordinator;
  const optionText = new RegExp(`${seed.graduate.name} — ${seed.company.legal_name}`);
  await open(page, '#/credentials/new', 'Issue a credential');
  await page.locator('select[name="achievement_id"]').selectOption(String(ach.id));
  const option = page.locator('select[name="placement_id"] option', { hasText: optionText });
  await option.waitFor({ state: 'attached' });
  await page.locator('select[name="placement_id"]').selectOption(String(placement.id));
  await page.getByRole('button', { name: 'Issue a credential' }).click();
  await page.getByText('Credential issued and signed.').waitFor();
  await open(page, '#/credentials/new', 'Issue a credential');
  await page.locator('select[name="achievement_id"]').selectOption(String(ach.id));
  await page.waitForFunction((id) => ![...document.querySelectorAll('select[name="placement_id"] option')].some((o) => o.value === id), String(placement.id));

  const cred = (await coord.get(`/credentials?limit=200`)).items.find((c) => c.placement_id === placement.id);
  const verify = await newPage(browser, srv);
  await verify.goto(`/verify?id=${cred.credential_id.replace('urn:uuid:', '')}`);
  await verify.getByRole('heading', { name: 'Verified', exact: true }).waitFor();
  await verify.getByText(`Awarded to ${seed.graduate.name}.`).waitFor();
  const email = verify.getByLabel('The e-mail address of the person in front of you');
  await email.fill(seed.graduate.email.toUpperCase());
  await verify.getByRole('button', { name: 'Check the e-mail address' }).click();
  await verify.getByText('The e-mail address matches the one the credential was issued to.').waitFor();
  await email.fill('someone.else@example.org');
  await verify.getByRole('button', { name: 'Check the e-mail address' }).click();
  await verify.getByText(/does NOT match/).waitFor();
  noProblems(verify);
  await verify.context().close();
});
