// impact.test.mjs - the impact page (issue 14) renders in Chromium with no
// CSP violation and no console error: the headline, a chart per measure
// with its table and N, satisfaction and NPS, the comparison group; by
// cohort; a funder sees the small cells suppressed. A screenshot for docs/.
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

test('a coordinator reads the impact page: headline, charts with their tables and N, comparison', async () => {
  const page = await newPage(browser, srv, { width: 1400, height: 1000 });
  await signIn(page, DEMO.coordinator);
  const errors = consoleErrors(page);
  await open(page, '#/impact', 'Impact');
  await page.locator('#impact-headline').filter({ hasText: 'N = ' }).waitFor();
  // five measures, learning, behaviour; the pre-period trend years
  assert.equal(await page.locator('.impact-chart svg').count(), 8);
  assert.ok(await page.locator('.impact-chart svg rect.impact-bar').count() >= 3);
  await page.getByRole('table', { name: 'Change in export sales', exact: true }).waitFor();
  await page.getByText('Difference-in-differences of export sales', { exact: false }).waitFor();
  assert.equal(await page.locator('.impact-table tbody tr').filter({ hasText: 'Cohort 2023 (past)' }).count() >= 5, true);
  // The trend years as a chart (one line per group) above their table.
  const chart = page.locator('svg#impact-trend-chart');
  await chart.waitFor();
  assert.equal(await chart.locator('path.impact-line').count(), 2);
  assert.equal(await chart.locator('path[data-series="treated"]').count(), 1);
  assert.equal(await chart.locator('path[data-series="comparison"]').count(), 1);
  assert.match(await chart.locator('path[data-series="treated"]').getAttribute('d'), /^M[\d.]+,[\d.]+L/);
  const rows = await page.locator('#impact-trend-years tbody tr').count();
  assert.equal(await chart.locator('circle.impact-line-treated').count(), rows);   // every year has a mean
  assert.equal(await chart.locator('text.impact-legend').count(), 2);
  await page.locator('#impact-trend-years').waitFor();   // the table stays, for screen readers
  // The demo's cohorts started in 2021, 2022 and 2023: the warning and the estimate per start year.
  await page.locator('#impact-staggered').filter({ hasText: 'Participants started in different years (2021: ' }).waitFor();
  assert.equal(await page.locator('#impact-start-years tbody tr').count(), 4);   // pooled + three start years
  await page.screenshot({ path: shotPath('screenshot-impact.png'), fullPage: false });
  await page.locator('select[name="group"]').selectOption('year');
  await page.locator('.impact-table tbody tr').filter({ hasText: '2021' }).first().waitFor();
  // Periphery against metropolitan regions; who answered against who did not.
  await page.locator('select[name="group"]').selectOption('metro');
  await page.locator('.impact-table tbody tr').filter({ hasText: 'metropolitan' }).first().waitFor();
  await page.locator('#impact-nonresponse tbody tr').filter({ hasText: 'Non-respondents' }).waitFor();
  await page.locator('#impact-introductions').waitFor();
  noProblems(page);
  assert.deepEqual(errors, [], 'no console error');
});

test('a funder sees the impact page with small cells suppressed', async () => {
  const page = await newPage(browser, srv);
  await signIn(page, DEMO.viewer);
  const errors = consoleErrors(page);
  await open(page, '#/impact', 'Impact');
  await page.getByRole('note').filter({ hasText: 'As a funder sees it' }).waitFor();
  assert.ok(await page.getByText('Suppressed: too few firms to publish').count() >= 2);
  noProblems(page);
  assert.deepEqual(errors, [], 'no console error');
});
