// markets.test.mjs - the market explorer and the export plan page (issue 13)
// render in Chromium with no CSP violation and no console error: the ranking
// table (sortable), the world map, the bar chart of the potential's
// components, "add to export plan"; the plan with its plan-vs-actual chart and
// the synthetic-data notice; a tariff entered in the explorer's form. Screenshots for docs/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, signIn, noProblems, consoleErrors, DEMO, open, shotPath } from './harness.mjs';

let srv;
let browser;
before(async () => {
  srv = await startServer();
  browser = await launch();
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('the market explorer: table, map, bars, sorting and add to export plan', async () => {
  const page = await newPage(browser, srv, { width: 1400, height: 1000 });
  await signIn(page, DEMO.coordinator);
  const errors = consoleErrors(page);
  await open(page, '#/markets', 'Which markets to export to');
  await page.locator('.market-table tbody tr').nth(100).waitFor();
  await page.locator('.market-map svg path.country').nth(150).waitFor();
  assert.ok(await page.locator('.market-map svg path.country[fill="#e5e7eb"]').count() < 100, 'most countries are coloured');
  assert.equal(await page.locator('.market-bars svg g rect').count() >= 30, true);
  await page.getByText('Source: CEPII BACI', { exact: false }).waitFor();
  // Sort by imports: largest first.
  await page.getByRole('button', { name: 'Imports (kUSD)' }).click();
  const first = await page.locator('.market-table tbody tr').first().getAttribute('data-iso3');
  assert.equal(await page.locator('.market-table th[aria-sort="descending"]').count(), 1);
  assert.ok(first, 'a market first');
  // The map follows the indicator.
  await page.locator('select[name="indicator"]').selectOption('untapped');
  await page.locator('svg[aria-label="World map coloured by Untapped (kUSD)"]').waitFor();
  await page.locator('.market-map').scrollIntoViewIfNeeded();
  await page.screenshot({ path: shotPath('screenshot-markets.png'), fullPage: false });
  // Add France to the seafood exporter's plan.
  await page.locator('.market-table tbody tr[data-iso3="FRA"]').getByRole('button', { name: 'Add to export plan' }).click();
  const dialog = page.locator('dialog');
  await dialog.locator('select[name="plan"]').selectOption({ label: 'Cold-water shrimp: first markets (Bohus Skaldjur AB)' });
  await dialog.getByRole('button', { name: 'Add to export plan' }).click();
  await page.getByText('FRA added to the export plan', { exact: false }).waitFor();
  // A tariff entered by hand in the form: listed, and the ranking says it applies.
  const tf = page.locator('form.tariff-form');
  await tf.locator('input[name="market"]').fill('FR');
  await tf.locator('input[name="product"]').fill('0306');
  await tf.locator('input[name="rate_pct"]').fill('8');
  await tf.locator('input[name="source"]').fill('EU TARIC');
  await tf.locator('input[name="as_of"]').fill('2026-01-01');
  await tf.getByRole('button', { name: 'Save tariff' }).click();
  await page.locator('#tariff-list td', { hasText: 'EU TARIC' }).waitFor();
  await page.locator('.market-table tbody tr[data-iso3="FRA"] td.explain', { hasText: 'tariff 8% entered (EU TARIC, 2026-01-01)' }).waitFor();
  // A demo product without trade statistics: the synthetic set, labelled.
  await open(page, '#/markets?home=SE&product=841370', 'Which markets to export to');
  await page.getByRole('note').filter({ hasText: 'Synthetic demonstration data' }).waitFor();
  await page.locator('.market-table tbody tr').nth(10).waitFor();
  noProblems(page);
  assert.deepEqual(errors, [], 'no console error');
});

test('the export plan page: plan against actual chart, synthetic notice, versions', async () => {
  const page = await newPage(browser, srv, { width: 1280, height: 1000 });
  await signIn(page, DEMO.company);
  const errors = consoleErrors(page);
  await open(page, '#/export-plans', 'Export plans');
  await page.locator('table tbody tr a').first().click();
  await page.locator('.plan-chart svg rect.bar-target').first().waitFor();
  assert.ok(await page.locator('.plan-chart svg rect.bar-actual').count() > 0, 'actual bars drawn');
  await page.getByRole('note').filter({ hasText: 'Synthetic demonstration data' }).waitFor();
  await page.getByRole('button', { name: 'Compare' }).click();
  await page.locator('ul.diff li').first().waitFor();
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: shotPath('screenshot-export-plan.png'), fullPage: false });
  noProblems(page);
  assert.deepEqual(errors, [], 'no console error');
});

test('the export plan page names a channel partner linked from the network directory', async () => {
  const page = await newPage(browser, srv, { width: 1280, height: 1000 });
  await signIn(page, DEMO.coordinator);
  const errors = consoleErrors(page);
  await open(page, '#/export-plans', 'Export plans');
  // the coordinator records a contact and links it from a plan (through the page's own API client)
  const id = await page.evaluate(async () => {
    const { get, post } = await import('/js/api.js');
    const companies = await get('/companies');
    const c = await post('/contacts', { kind: 'person', category: 'importer', name: 'Greta Lind',
      organisation: 'Baltic Shrimp Trading', email: 'greta.lind@example.org', country: 'DE',
      visibility: 'private', legal_basis: 'legitimate_interest' });
    const plan = await post('/export-plans', { company_id: companies.items[0].id, title: 'Shrimp to Germany',
      currency: 'EUR', markets: [{ country: 'DE', product: '030617', rationale: 'Largest EU importer.',
        entry_mode: 'distributor', incoterm: 'CIF', named_place: 'Hamburg', channel_partners: 'Hamburg fish auction',
        channel_partner_contact_ids: [c.id] }] });
    return plan.id;
  });
  await open(page, `#/export-plans/${id}`);
  const linked = page.locator('.plan-partner-contacts');
  await linked.waitFor();
  assert.match(await linked.innerText(), /Greta Lind \(Baltic Shrimp Trading\)/);
  assert.match(await linked.locator('a').getAttribute('href'), /^#\/network\/contacts\/\d+$/);
  await page.getByText('Hamburg fish auction').waitFor();
  noProblems(page);
  assert.deepEqual(errors, [], 'no console error');
});
