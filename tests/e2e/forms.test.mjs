// forms.test.mjs - forms and single-use links in the browser: API errors shown at the field
// (plain inputs and list editors), code pickers by keyboard, money in minor units, the
// "someone else changed it" reload, invitations and password reset by mail, consent, CV and
// GDPR erase, API tokens.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, signIn, open, noProblems, DEMO, apiAs, seedProgramme, PASSWORD } from './harness.mjs';

let srv, browser, coord, page, seed;

before(async () => {
  srv = await startServer();
  browser = await launch();
  coord = await apiAs(srv, DEMO.coordinator);
  seed = await seedProgramme(coord, { positionStatus: 'draft' });
  page = await newPage(browser, srv);
  await signIn(page, DEMO.coordinator);
});
after(async () => {
  if (page) noProblems(page);
  await browser?.close();
  await srv?.stop();
});

const field = (p, name) => p.locator(`[data-field="${name}"]`).first();

test('a bad email in the graduate form shows the server message next to the email input', async () => {
  await open(page, '#/graduates/new', 'New graduate');
  await field(page, 'name').locator('input').fill('Mira Kovač');
  await field(page, 'email').locator('input').fill('not-an-address');
  await page.getByRole('button', { name: 'Create' }).click();
  const err = field(page, 'email').locator('.field-error');
  await err.filter({ hasText: 'Email: not a valid address' }).waitFor();
  const input = field(page, 'email').locator('input');
  assert.equal(await input.getAttribute('aria-invalid'), 'true');
  assert.ok((await input.getAttribute('aria-describedby')).split(' ').includes(await err.getAttribute('id')), 'the message describes the input');
  assert.equal(await page.evaluate(() => document.activeElement.closest('[data-field]')?.dataset.field), 'email', 'focus moves to the field');
  assert.equal(await field(page, 'name').locator('.field-error').isVisible(), false);
});

test('code pickers work by keyboard; a list-editor error shows on the list editor', async () => {
  await open(page, '#/graduates/new', 'New graduate');
  await field(page, 'name').locator('input').fill('Jonas Berger');
  const nat = field(page, 'nationality').locator('input[role="combobox"]');
  await nat.fill('Austria');
  await page.getByRole('option', { name: /Austria \(AT\)/ }).waitFor();
  await nat.press('Enter');
  assert.equal(await nat.inputValue(), 'Austria (AT)');
  // languages: German, but no level
  await page.getByRole('button', { name: '+ Add language' }).click();
  const row = field(page, 'languages').locator('.list-row').first();
  const lang = row.locator('[data-field="code"] input[role="combobox"]');
  await lang.fill('German');
  await page.getByRole('option', { name: /^German$/ }).waitFor();
  await lang.press('ArrowDown');
  await lang.press('ArrowUp');
  await lang.press('Enter');
  assert.equal(await lang.inputValue(), 'German');
  await page.getByRole('button', { name: 'Create' }).click();
  // the API names the field (today a bare "level"; a path such as "languages[0].level" works too)
  const listErr = field(page, 'languages').locator(':scope > .field-error');
  await listErr.waitFor();
  // named by its label, never by the API's field name
  assert.match(await listErr.textContent(), /Level: is required/);
  assert.doesNotMatch(await listErr.textContent(), /\blevel\b|languages\[/);
  assert.equal(await field(page, 'languages').getAttribute('class').then((c) => c.includes('has-error')), true);
  // now pick the level and save
  await row.locator('[data-field="level"] select').selectOption('B2');
  await page.getByRole('button', { name: 'Create' }).click();
  await page.locator('h1', { hasText: 'Jonas Berger' }).waitFor();
  const id = Number(page.url().match(/#\/graduates\/(\d+)/)[1]);
  const g = await coord.get(`/graduates/${id}`);
  assert.equal(g.nationality, 'AT');
  assert.deepEqual(g.languages, [{ code: 'de', level: 'B2' }]);
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** Holds back the code search for the query `q` by `ms` (a slow network), others pass at once. */
async function slowQuery(p, q, ms) {
  await p.route('**/api/v1/codes/countries?*', async (route) => {
    if (new URL(route.request().url()).searchParams.get('q') === q) await sleep(ms);
    await route.continue().catch(() => {});
  });
}

test('picker: Enter before the answer is in chooses the highlighted option of the new text, never submits the old value', async () => {
  await open(page, '#/graduates/new', 'New graduate');
  await field(page, 'name').locator('input').fill('Enter Before Answer');
  const nat = field(page, 'nationality').locator('input[role="combobox"]');
  await nat.fill('Austria');
  await page.getByRole('option', { name: /Austria \(AT\)/ }).click();
  assert.equal(await nat.inputValue(), 'Austria (AT)');
  await slowQuery(page, 'Germ', 700);
  try {
    await nat.fill('Germ');
    await nat.press('Enter'); // before the debounce and the slow answer
    await page.waitForFunction(() => document.querySelector('[data-field="nationality"] input').value === 'Germany (DE)');
    assert.match(page.url(), /#\/graduates\/new$/, 'the form was not submitted with Austria');
    await nat.press('Enter'); // now Enter submits
    await page.locator('h1', { hasText: 'Enter Before Answer' }).waitFor();
    const id = Number(page.url().match(/#\/graduates\/(\d+)/)[1]);
    assert.equal((await coord.get(`/graduates/${id}`)).nationality, 'DE');
  } finally { await page.unroute('**/api/v1/codes/countries?*'); }
});

test('picker: a click on the shown list picks what was clicked; a late answer neither reopens nor answers Enter', async () => {
  await open(page, '#/graduates/new', 'New graduate');
  await field(page, 'name').locator('input').fill('Click Before Answer');
  const nat = field(page, 'nationality').locator('input[role="combobox"]');
  await nat.fill('Sw');
  const swiss = page.getByRole('option', { name: /Switzerland \(CH\)/ });
  await swiss.waitFor();
  await slowQuery(page, 'Swe', 700);
  try {
    const sent = page.waitForRequest((r) => r.url().includes('/codes/countries') && new URL(r.url()).searchParams.get('q') === 'Swe');
    const answered = page.waitForResponse((r) => r.url().includes('/codes/countries') && new URL(r.url()).searchParams.get('q') === 'Swe');
    await nat.press('e'); // "Swe": its search goes out, slowly
    await sent;
    await swiss.click(); // the (stale) list still shows Switzerland: that is what the user picks
    assert.equal(await nat.inputValue(), 'Switzerland (CH)');
    await answered; // the answer for "Swe" (Sweden first) arrives after the pick
    await sleep(300);
    assert.equal(await nat.getAttribute('aria-expanded'), 'false', 'the late answer does not reopen the list');
    await nat.press('Enter'); // submits with the picked value
    await page.locator('h1', { hasText: 'Click Before Answer' }).waitFor();
    const id = Number(page.url().match(/#\/graduates\/(\d+)/)[1]);
    assert.equal((await coord.get(`/graduates/${id}`)).nationality, 'CH');
  } finally { await page.unroute('**/api/v1/codes/countries?*'); }
});

test('money is entered in major units and stored in minor units', async () => {
  await open(page, `#/positions/${seed.position.id}/edit`, 'Edit');
  const pay = field(page, 'pay').locator('input');
  assert.equal(await pay.inputValue(), '25000.00');
  await pay.fill('27 500,50');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.locator('h1', { hasText: seed.position.title }).waitFor();
  assert.equal((await coord.get(`/positions/${seed.position.id}`)).pay, 2750050);
  await page.getByText('27,500.50 SEK').first().waitFor();
});

test('a stale edit (412) offers to reload the current version', async () => {
  await open(page, `#/cohorts/${seed.cohort.id}/edit`, 'Edit');
  const name = field(page, 'name').locator('input');
  const fresh = await coord.get(`/cohorts/${seed.cohort.id}`);
  await coord.patch(`/cohorts/${seed.cohort.id}`, { name: 'Changed meanwhile', version: fresh.version });
  await name.fill('My edit');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Someone else changed this record').waitFor();
  await page.getByRole('button', { name: 'Reload the current version' }).click();
  await page.getByText('This is the current version.').waitFor();
  assert.equal(await field(page, 'name').locator('input').inputValue(), 'Changed meanwhile');
  await field(page, 'name').locator('input').fill('Spring cohort 2027');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.locator('h1', { hasText: 'Spring cohort 2027' }).waitFor();
});

test('consent, CV upload and GDPR erase (with a confirmation naming the consequence)', async () => {
  const g = await coord.post('/graduates', { name: 'Erik Erasable', email: 'erik.erasable@example.org' });
  await open(page, `#/graduates/${g.id}`, 'Erik Erasable');
  await page.getByRole('button', { name: 'Record consent' }).click();
  await page.getByText('Consent recorded.').waitFor();
  await page.getByRole('button', { name: 'Withdraw consent' }).waitFor();
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
  await page.getByLabel('Upload a CV (PDF)').setInputFiles({ name: 'cv-erik.pdf', mimeType: 'application/pdf', buffer: pdf });
  await page.getByRole('button', { name: 'Upload', exact: true }).click();
  await page.getByText('CV uploaded.').waitFor();
  await page.getByRole('link', { name: 'Download CV' }).waitFor();
  assert.equal((await coord.get(`/graduates/${g.id}`)).has_cv, true);
  // erase: the dialog names what happens; cancelling keeps everything
  await page.getByRole('button', { name: 'Erase personal data…' }).click();
  const dlg = page.getByRole('dialog');
  await dlg.getByText(/permanently erases Erik Erasable's personal details, CV, login/).waitFor();
  await dlg.getByRole('button', { name: 'Cancel' }).click();
  assert.equal((await coord.get(`/graduates/${g.id}`)).erased_at, null);
  await page.getByRole('button', { name: 'Erase personal data…' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Erase permanently' }).click();
  await page.getByText('The personal data was erased.').waitFor();
  assert.ok((await coord.get(`/graduates/${g.id}`)).erased_at);
  await page.getByRole('heading', { name: 'Erased', exact: true }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'Edit' }).count(), 0);
});

test('invite a mentor in the UI; the invitation link sets the password; the mentor signs in', async () => {
  await open(page, '#/admin/invite', 'Invite a person');
  await field(page, 'email').locator('input').fill('new.mentor@example.org');
  await field(page, 'name').locator('input').fill('Nina Mentor');
  await field(page, 'role').locator('select').selectOption('mentor');
  await page.getByRole('button', { name: 'Send the invitation' }).click();
  await page.getByText('Invitation sent to new.mentor@example.org (Mentor).').waitFor();
  const token = await srv.smtp.token('new.mentor@example.org', 'accept-invitation');
  const p2 = await newPage(browser, srv);
  await p2.goto(`/#/accept-invitation?token=${token}`);
  await p2.getByRole('heading', { name: 'Welcome to TradeBridge' }).waitFor();
  await field(p2, 'password').locator('input').fill('short');
  await field(p2, 'password2').locator('input').fill('short');
  await p2.getByRole('button', { name: 'Set password' }).click();
  await field(p2, 'password').locator('.field-error').waitFor();
  const pw = 'a-long-mentor-passphrase-2027';
  await field(p2, 'password').locator('input').fill(pw);
  await field(p2, 'password2').locator('input').fill(pw);
  await p2.getByRole('button', { name: 'Set password' }).click();
  await p2.getByText('Password set. You can sign in now as new.mentor@example.org.').waitFor();
  await signIn(p2, 'new.mentor@example.org', pw);
  await p2.getByRole('heading', { name: 'Your placements' }).waitFor();
  noProblems(p2);
  await p2.context().close();
});

test('forgot password: the reset link from the mail sets a new password', async () => {
  const email = 'forgetful@example.org';
  await coord.post('/invitations', { email, name: 'Fred Forgetful', role: 'viewer' });
  const inv = await srv.smtp.token(email, 'accept-invitation');
  await fetch(`${srv.base}/api/v1/auth/accept-invitation`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token: inv, password: PASSWORD }) });
  const p2 = await newPage(browser, srv);
  await p2.goto('/#/login');
  await p2.getByRole('link', { name: 'Forgot your password?' }).click();
  await p2.getByRole('heading', { name: 'Reset your password' }).waitFor();
  await field(p2, 'email').locator('input').fill(email);
  await p2.getByRole('button', { name: 'Send the link' }).click();
  await p2.getByText('If the address is registered, a reset link is on its way.').waitFor();
  const token = await srv.smtp.token(email, 'reset-password');
  await p2.goto(`/#/reset-password?token=${token}`);
  await p2.getByRole('heading', { name: 'Choose a new password' }).waitFor();
  const pw = 'brand-new-passphrase-2027';
  await field(p2, 'password').locator('input').fill(pw);
  await field(p2, 'password2').locator('input').fill(pw);
  await p2.getByRole('button', { name: 'Set password' }).click();
  await p2.getByText(/Password set/).waitFor();
  await signIn(p2, email, pw);
  noProblems(p2);
  await p2.context().close();
});

test('my account: an API token is shown once, listed and revoked', async () => {
  await open(page, '#/account', 'My account');
  await page.getByLabel('Token name').fill('report script');
  await page.getByRole('button', { name: 'Create token' }).click();
  const shown = page.locator('.token-value');
  await shown.waitFor();
  assert.match(await shown.textContent(), /^tb_/);
  const row = page.locator('tr', { hasText: 'report script' });
  await row.waitFor();
  await row.getByRole('button', { name: 'Revoke' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
  await page.getByText('Token revoked.').waitFor();
});
