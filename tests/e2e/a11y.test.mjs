// a11y.test.mjs - every page checked with axe-core (injected into the page by Playwright)
// for each role, on a desktop and a phone and in Swedish: no serious or critical violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { newPage, signIn, open, noProblems, DEMO, setup, teardown } from './harness.mjs';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let ctx, srv, browser, seed;
before(async () => {
  ctx = await setup();
  ({ srv, browser, seed } = ctx);
});
after(() => teardown(ctx));

/** Serious and critical axe violations on the page as it is now. */
async function violations(page) {
  // page.evaluate runs outside the page's CSP, so axe needs no inline script
  await page.evaluate(`if (!window.axe) { ${AXE} }`);
  const r = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

async function check(page, hashes) {
  const bad = [];
  for (const hash of hashes) {
    await open(page, hash);
    await page.waitForFunction(() => ![...document.querySelectorAll('.list-status')].some((e) => /Loading|Laddar/.test(e.textContent)));
    for (const v of await violations(page)) bad.push(`${hash}: ${v}`);
  }
  return bad;
}

const staffPages = (s) => ['#/', '#/companies', `#/companies/${s.company.id}`, '#/companies/new', `#/companies/${s.company.id}/edit`,
  '#/graduates', `#/graduates/${s.graduate.id}`, '#/graduates/new', '#/cohorts', `#/cohorts/${s.cohort.id}`, '#/cohorts/new',
  '#/positions', `#/positions/${s.position.id}`, '#/positions/new', '#/applications', '#/placements', '#/placements/new', '#/board',
  '#/matching', '#/matching/weights', '#/credentials', '#/credentials/new', '#/credentials/keys', '#/achievements', '#/achievements/new',
  '#/import', '#/admin/users', '#/admin/invite', '#/admin/audit', '#/account', '#/positions/999999'];

test('public pages: sign in, forgot password, invitation, reset', async () => {
  const page = await newPage(browser, srv);
  const bad = [];
  for (const hash of ['#/login', '#/forgot-password', '#/accept-invitation?token=x', '#/reset-password?token=x', '#/help?s=coordinators']) {
    await page.goto(`/${hash}`);
    await page.locator('#main h1').waitFor();
    for (const v of await violations(page)) bad.push(`${hash}: ${v}`);
  }
  assert.deepEqual(bad, []);
  noProblems(page);
  await page.context().close();
});

test('coordinator: every staff page at 1280 px', async () => {
  const page = await newPage(browser, srv);
  await signIn(page, DEMO.coordinator);
  assert.deepEqual(await check(page, staffPages(seed)), []);
  noProblems(page);
  await page.context().close();
});

test('admin: organizations, accreditations and the home page', async () => {
  const page = await newPage(browser, srv);
  await signIn(page, DEMO.admin);
  assert.deepEqual(await check(page, ['#/', '#/admin/orgs', '#/admin/orgs/new', '#/admin/accreditations', '#/admin/users']), []);
  noProblems(page);
  await page.context().close();
});

test('company, trainee, mentor, viewer: their pages, and a page they may not use', async () => {
  for (const [who, pages] of [
    ['company', ['#/', '#/positions', '#/applications', '#/placements', '#/matching']],
    ['trainee', ['#/', '#/positions', '#/applications', '#/placements', '#/credentials', '#/admin/users']],
    ['mentor', ['#/', '#/placements']],
    ['viewer', ['#/']],
  ]) {
    const page = await newPage(browser, srv);
    await signIn(page, DEMO[who]);
    assert.deepEqual(await check(page, pages), [], who);
    noProblems(page);
    await page.context().close();
  }
});

test('phone (375 px) and Swedish', async () => {
  const page = await newPage(browser, srv, { width: 375, height: 800 });
  await page.addInitScript(() => localStorage.setItem('tb.lang', 'sv'));
  await page.goto('/#/login');
  await page.locator('[data-field="email"] input').fill(DEMO.coordinator);
  await page.locator('[data-field="password"] input').fill('TradeBridge-demo-2026');
  await page.getByRole('button', { name: 'Logga in' }).click();
  await page.locator('#main[data-route="#/"] h1').waitFor();
  const bad = await check(page, ['#/', '#/companies', `#/graduates/${seed.graduate.id}`, '#/board', '#/import', '#/admin/audit']);
  await page.getByRole('button', { name: 'Meny' }).click();
  for (const v of await violations(page)) bad.push(`open menu: ${v}`);
  assert.deepEqual(bad, []);
  noProblems(page);
  await page.context().close();
});
