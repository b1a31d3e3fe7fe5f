// api_reference.test.mjs - the API reference page (/api-reference) renders the
// server's OpenAPI document in Chromium under the strict CSP: every operation,
// no script error or CSP violation, no serious or critical axe violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { newPage, noProblems, setup, teardown } from './harness.mjs';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let ctx;
before(async () => { ctx = await setup({ seed: false }); });
after(() => teardown(ctx));

test('the API reference lists every operation of /api/v1/openapi.json and opens one', async () => {
  const page = await newPage(ctx.browser, ctx.srv);
  const doc = await (await page.request.get('/api/v1/openapi.json')).json();
  const ops = Object.values(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0);
  await page.goto('/api-reference');
  await page.locator('#status', { hasText: `${ops} operations` }).waitFor();
  assert.equal(await page.locator('details.op').count(), ops);
  const op = page.locator('details#postCompanies');
  await op.locator('summary').click();
  await op.getByRole('link', { name: 'postCompaniesBody' }).click();
  await page.locator('details#schema-postCompaniesBody[open]').getByText('legal_name').waitFor();
  await page.evaluate(`if (!window.axe) { ${AXE} }`);
  const r = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  assert.deepEqual(r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id), []);
  noProblems(page);
  await page.context().close();
});
