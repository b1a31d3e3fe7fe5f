// roles.test.mjs - every demo role signs in and sees its own home page; sign out;
// the phone layout (collapsing menu); screenshots for docs/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, signIn, noProblems, DEMO, shotPath, apiAs, seedProgramme } from './harness.mjs';

let srv;
let browser;
before(async () => {
  srv = await startServer();
  browser = await launch();
  // something to count on the coordinator's home page
  const coord = await apiAs(srv, DEMO.coordinator);
  await seedProgramme(coord);
});
after(async () => { await browser?.close(); await srv?.stop(); });

const HOMES = [
  // role, email, a heading only that role's home page has
  ['admin', DEMO.admin, 'Operators'],
  ['coordinator', DEMO.coordinator, 'Positions awaiting approval'],
  ['company', DEMO.company, 'Your positions'],
  ['trainee', DEMO.trainee, 'Open positions'],
  ['mentor', DEMO.mentor, 'Your placements'],
  ['viewer', DEMO.viewer, 'Pipeline'],
];

for (const [role, email, heading] of HOMES) {
  test(`${role} signs in and sees the ${role} home page`, async () => {
    const page = await newPage(browser, srv);
    await signIn(page, email);
    await page.getByRole('heading', { name: heading, exact: true }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Home' }).waitFor();
    if (role === 'viewer') {
      assert.equal(await nav.getByRole('link', { name: 'Companies' }).count(), 0, 'a viewer has no record lists');
      assert.equal(await page.getByRole('heading', { name: 'Positions awaiting approval' }).count(), 0);
    }
    if (role === 'coordinator') {
      await nav.getByRole('link', { name: 'Companies' }).waitFor();
      // the submitted position from the setup is waiting for approval
      await page.getByRole('link', { name: /^Export assistant DACH/ }).waitFor();
    }
    if (role === 'mentor') assert.equal(await nav.getByRole('link', { name: 'Positions' }).count(), 0);
    noProblems(page);
    await page.context().close();
  });
}

test('sign out ends the session; a restored session survives a reload', async () => {
  const page = await newPage(browser, srv);
  await signIn(page, DEMO.coordinator);
  await page.reload();
  await page.locator('h1', { hasText: 'Hello, ' }).waitFor();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in to TradeBridge' }).waitFor();
  await page.getByText('You are signed out.').waitFor();
  await page.goto('/#/companies');
  await page.getByRole('heading', { name: 'Sign in to TradeBridge' }).waitFor();
  noProblems(page);
  await page.context().close();
});

test('wrong password shows the server message', async () => {
  const page = await newPage(browser, srv);
  await page.goto('/#/login');
  await page.locator('[data-field="email"] input').fill(DEMO.viewer);
  await page.locator('[data-field="password"] input').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').filter({ hasText: 'the email address or the password is wrong' }).waitFor();
  await page.context().close();
});

test('coordinator home page screenshot at 1280x800', async () => {
  const page = await newPage(browser, srv, { width: 1280, height: 800 });
  await signIn(page, DEMO.coordinator);
  await page.getByRole('link', { name: /^Export assistant DACH/ }).waitFor();
  await page.screenshot({ path: shotPath('screenshot-coordinator.png') });
  noProblems(page);
  await page.context().close();
});

test('phone size: the menu collapses behind a button, pages fit 375 px', async () => {
  const page = await newPage(browser, srv, { width: 375, height: 812 });
  await signIn(page, DEMO.coordinator);
  const toggle = page.getByRole('button', { name: 'Menu' });
  await toggle.waitFor();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  const nav = page.locator('#nav');
  assert.equal(await nav.getByRole('link', { name: 'Companies' }).isVisible(), false, 'the menu is collapsed');
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  await nav.getByRole('link', { name: 'Positions' }).click();
  await page.locator('h1', { hasText: 'Positions' }).waitFor();
  assert.equal(await nav.getByRole('link', { name: 'Companies' }).isVisible(), false, 'the menu closes after navigating');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling (overflow ${overflow}px)`);
  await page.screenshot({ path: shotPath('screenshot-phone.png') });
  noProblems(page);
  await page.context().close();
});
