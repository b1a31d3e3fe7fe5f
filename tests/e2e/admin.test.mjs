// admin.test.mjs - the admin screens: organizations, people (filter, disable), invitations
// bound to a company (picked by type-ahead), the audit log with filters.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, signIn, open, noProblems, DEMO, apiAs } from './harness.mjs';

let srv, browser, admin, coord, page;

before(async () => {
  srv = await startServer();
  browser = await launch();
  admin = await apiAs(srv, DEMO.admin);
  coord = await apiAs(srv, DEMO.coordinator);
  page = await newPage(browser, srv);
  await signIn(page, DEMO.admin);
});
after(async () => {
  if (page) noProblems(page);
  await browser?.close();
  await srv?.stop();
});

const field = (p, name) => p.locator(`[data-field="${name}"]`).first();

test('the admin creates an operator and renames it', async () => {
  await open(page, '#/admin/orgs', 'Organizations');
  await page.getByRole('link', { name: 'New operator' }).click();
  await page.locator('h1', { hasText: 'New operator' }).waitFor();
  await field(page, 'name').locator('input').fill('ITM Latvia');
  const country = field(page, 'country').locator('input[role="combobox"]');
  await country.fill('Latvia');
  await page.getByRole('option', { name: /Latvia \(LV\)/ }).click();
  await page.getByRole('button', { name: 'Create' }).click();
  await page.getByRole('link', { name: 'ITM Latvia' }).click();
  await field(page, 'name').locator('input').fill('ITM Latvija');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('link', { name: 'ITM Latvija' }).waitFor();
  const orgs = await admin.get('/orgs?limit=200');
  const lv = orgs.items.find((o) => o.name === 'ITM Latvija');
  assert.equal(lv.country, 'LV');
});

test('people: filter by role, disable and enable an account', async () => {
  await open(page, '#/admin/users', 'People');
  await field(page, 'role').locator('select').selectOption('viewer');
  const row = page.locator('tr', { hasText: DEMO.viewer });
  await row.waitFor();
  await page.locator('tbody tr', { hasText: DEMO.coordinator }).waitFor({ state: 'detached' });
  await row.getByRole('button', { name: 'Disable' }).click();
  const dlg = page.getByRole('dialog');
  await dlg.getByText('can no longer sign in').waitFor();
  await dlg.getByRole('button', { name: 'Disable' }).click();
  await row.locator('.badge', { hasText: 'Disabled' }).waitFor();
  const r = await fetch(`${srv.base}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: DEMO.viewer, password: 'TradeBridge-demo-2026' }) });
  assert.equal(r.status, 401, 'a disabled account cannot sign in');
  await row.getByRole('button', { name: 'Enable' }).click();
  await row.locator('.badge', { hasText: 'Active' }).waitFor();
});

test('a coordinator invites a company manager bound to a company picked by type-ahead', async () => {
  const company = await coord.post('/companies', { legal_name: 'Baltic Amber Export AB', country: 'SE' });
  const p = await newPage(browser, srv);
  await signIn(p, DEMO.coordinator);
  await open(p, '#/admin/invite', 'Invite a person');
  await field(p, 'email').locator('input').fill('amber.manager@example.org');
  await field(p, 'name').locator('input').fill('Aino Amber');
  await field(p, 'role').locator('select').selectOption('company');
  const pick = field(p, 'subject_id').locator('input[role="combobox"]');
  await pick.fill('Baltic Amber');
  await p.getByRole('option', { name: /Baltic Amber Export AB/ }).waitFor();
  await pick.press('Enter');
  await p.getByRole('button', { name: 'Send the invitation' }).click();
  await p.getByText('Invitation sent to amber.manager@example.org (Company).').waitFor();
  // The role waits for the invited person to accept.
  const invitations = await coord.get('/invitations?limit=200');
  const inv = invitations.items.find((x) => x.email === 'amber.manager@example.org');
  assert.deepEqual([inv.role, inv.subject_type, inv.subject_id, inv.status], ['company', 'company', company.id, 'pending']);
  const row = p.locator('tr', { hasText: 'amber.manager@example.org' });
  await row.locator('.badge', { hasText: 'Pending' }).waitFor();
  await row.getByRole('button', { name: 'Withdraw' }).click();
  await row.locator('.badge', { hasText: 'Withdrawn' }).waitFor();
  noProblems(p);
  await p.context().close();
});

test('the audit log lists changes newest first and filters by record type and action', async () => {
  const o = await admin.post('/orgs', { name: 'ITM Lietuva', country: 'LT' });
  await admin.patch(`/orgs/${o.id}`, { name: 'ITM Lithuania', version: o.version });
  await open(page, '#/admin/audit', 'Audit log');
  await field(page, 'entity').locator('select').selectOption('organization');
  await field(page, 'action').locator('select').selectOption('update');
  const first = page.locator('tbody tr').first();
  await first.getByText(`Organization #${o.id}`).waitFor();
  await first.getByText('name').first().waitFor();
  assert.equal(await page.locator('tbody tr', { hasText: 'Created' }).count(), 0);
});
