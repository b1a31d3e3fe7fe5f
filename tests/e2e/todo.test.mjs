// todo.test.mjs - issue 17 in the browser: the to-do list on the home page and on its
// own page, each item opening its record; the notification settings, the calendar
// address shown once, and the language kept on the account.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, teardown, open, newPage, signIn, noProblems, DEMO } from './harness.mjs';

let ctx;
before(async () => { ctx = await setup({ signInAs: DEMO.coordinator }); });
after(async () => { await teardown(ctx); });

test('the coordinator\'s home page lists what waits for them; an item opens its record', async () => {
  const { page, seed } = ctx;
  await open(page, '#/');
  const card = page.locator('.todo-card');
  await card.getByRole('heading', { name: 'To do' }).waitFor();
  // the home page shows the first five (deadlines first); the whole list has the new position
  assert.ok(await card.locator('.todo-item').count() >= 1);
  await card.getByRole('link', { name: /^All your to-dos \(\d+\)$/ }).click();
  await page.locator('#main[data-route="#/todo"] h1', { hasText: 'To do' }).waitFor();
  const item = page.locator(`.todo-item[data-key="position:${seed.position.id}"]`);
  await item.getByRole('link', { name: `Position awaiting approval: ${seed.position.title} at ${seed.company.legal_name}` }).click();
  await page.locator(`#main[data-route="#/positions/${seed.position.id}"] h1`).waitFor();
  // approved, it is done
  await ctx.coord.post(`/positions/${seed.position.id}/status`, { status: 'approved' });
  await open(page, '#/todo', 'To do');
  assert.equal(await page.locator(`.todo-item[data-key="position:${seed.position.id}"]`).count(), 0);
  noProblems(page);
});

test('settings: to-do mail, a calendar address shown once, and the language of mail kept on the account', async () => {
  const { page, srv } = ctx;
  await open(page, '#/account');
  const mail = page.getByLabel('Mail about my to-do list');
  assert.equal(await mail.inputValue(), 'immediately');
  await mail.selectOption('daily');
  await page.getByRole('button', { name: 'Save' }).last().click();
  await page.locator('.msg-success', { hasText: 'Saved' }).first().waitFor();
  assert.equal((await ctx.coord.get('/me/settings')).todo_mail, 'daily');

  await page.getByRole('button', { name: 'Create calendar address' }).click();
  const url = await page.locator('.calendar-url').textContent();
  assert.match(url, /\/api\/v1\/calendar\/[0-9a-f]{40}\.ics$/);
  const feed = await page.request.get(new URL(url).pathname);
  assert.equal(feed.status(), 200);
  assert.match(feed.headers()['content-type'], /^text\/calendar/);
  await open(page, '#/account');
  assert.equal(await page.locator('.calendar-url').count(), 0, 'shown once');
  await page.getByRole('button', { name: 'Make a new address' }).waitFor();

  // Swedish, chosen on the account: the app follows now, and on a new device at sign-in
  await page.getByLabel('Language of my mail and certificates').selectOption('sv');
  await page.getByRole('button', { name: 'Save' }).last().click();
  await page.locator('h1', { hasText: 'Mitt konto' }).waitFor();
  assert.equal((await ctx.coord.get('/me/settings')).locale, 'sv');
  const other = await newPage(ctx.browser, srv);
  await other.goto('/#/login');
  await other.locator('[data-field="email"] input').fill(DEMO.coordinator);
  await other.locator('[data-field="password"] input').fill('TradeBridge-demo-2026');
  await other.getByRole('button', { name: 'Sign in' }).click();
  await other.locator('#main[data-route="#/"] h1', { hasText: /^Hej, / }).waitFor();
  noProblems(other);
  await other.context().close();
  // and back to English with the switcher while signed in
  await page.locator('#lang-select').selectOption('en');
  await page.locator('h1', { hasText: 'My account' }).waitFor();
  assert.equal((await ctx.coord.get('/me/settings')).locale, 'en');
  noProblems(page);
});

test('a trainee sees the agreement waiting for them, with its deadline', async () => {
  const { srv, seed, coord } = ctx;
  const { inviteBound } = await import('./harness.mjs');
  const email = await inviteBound(srv, coord, { role: 'trainee', subjectType: 'graduate', subjectId: seed.graduate.id, name: 'Lena Weber' });
  const pl = await coord.post('/placements', { graduate_id: seed.graduate.id, company_id: seed.company.id, cohort_id: seed.cohort.id,
    start_date: '2027-02-01', end_date: '2027-08-31' });
  const page = await newPage(ctx.browser, srv);
  await signIn(page, email);
  const item = page.locator(`.todo-card .todo-item[data-key="agreement:${pl.id}"]`);
  await item.getByRole('link', { name: /^Agreement to sign: Lena Weber/ }).waitFor();
  assert.equal(await item.locator('.todo-due').textContent(), 'due Feb 1, 2027');
  noProblems(page);
  await page.context().close();
});
