// import.test.mjs - the import screen (check a CSV: every bad cell in a table with the
// field's label; then import a clean file, all rows at once) and "Export CSV / XLSX" on the
// lists, carrying the list's filters.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { open, DEMO, setup, teardown } from './harness.mjs';

let ctx, srv, coord, page, seed;
before(async () => {
  ctx = await setup({ signInAs: DEMO.coordinator });
  ({ srv, coord, page, seed } = ctx);
});
after(() => teardown(ctx));

const csv = (name, text) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });

test('a file with errors: the check lists each bad cell (row, column, problem by label); nothing is saved', async () => {
  await open(page, '#/import', 'Import CSV');
  await page.getByLabel('What the file holds').selectOption('graduates');
  await page.getByLabel('CSV file').setInputFiles(csv('bad.csv', 'name,email,nationality,eqf_level\nÅsa Ström,asa.import@example.se,XX,7\n,nobody@example.se,SE,12\n'));
  await page.getByRole('button', { name: 'Check the file' }).click();
  const table = page.locator('table.import-errors');
  await table.waitFor();
  const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
  assert.ok(rows.some(([r, c, p]) => r === '2' && c === 'nationality' && p === "Nationality: 'XX' is not a known code"), JSON.stringify(rows));
  assert.ok(rows.some(([r, c, p]) => r === '3' && c === 'name' && /^Name: /.test(p)), JSON.stringify(rows));
  assert.ok(rows.every(([, , p]) => !/\b[a-z]+_[a-z_]+\b/.test(p)), 'no API field names');
  await page.getByText('nothing was saved').waitFor();
  assert.equal(await page.locator('#import-commit').count(), 0, 'no import button for a file with errors');
  const list = await coord.get('/graduates?q=asa.import');
  assert.equal(list.items.length, 0);
});

test('a clean file: checked, then imported in one go', async () => {
  await open(page, '#/import?kind=graduates', 'Import CSV');
  assert.equal(await page.getByLabel('What the file holds').inputValue(), 'graduates');
  await page.getByLabel('CSV file').setInputFiles(csv('good.csv', 'name,email,languages\nÅsa Ström,asa.ok@example.se,"de:B2;sv:native"\nLeo Berg,leo.ok@example.se,en:C1\n'));
  await page.getByRole('button', { name: 'Check the file' }).click();
  await page.getByText('All 2 rows are valid. Nothing is saved yet.').waitFor();
  assert.equal((await coord.get('/graduates?q=asa.ok')).items.length, 0, 'the check saves nothing');
  await page.getByRole('button', { name: 'Import 2 rows' }).click();
  await page.locator('#main[data-route^="#/graduates"] h1', { hasText: 'Graduates' }).waitFor();
  await page.getByText('2 records imported (Graduates).').waitFor();
  assert.equal((await coord.get('/graduates?q=asa.ok')).items.length, 1);
  assert.equal((await coord.get('/graduates?q=leo.ok')).items.length, 1);
});

test('every list offers Export CSV / XLSX with its filters', async () => {
  await open(page, '#/companies?country=SE', 'Companies');
  const a = page.getByRole('link', { name: 'Export CSV' });
  const href = await a.getAttribute('href');
  const u = new URL(href, srv.base);
  assert.equal(u.pathname, '/api/v1/companies');
  assert.equal(u.searchParams.get('country'), 'SE');
  assert.equal(u.searchParams.get('format'), 'csv');
  const r = await page.request.get(href);
  assert.equal(r.status(), 200);
  assert.match(r.headers()['content-type'], /text\/csv/);
  assert.match(await r.text(), new RegExp(seed.company.legal_name));
  const x = await page.request.get(await page.getByRole('link', { name: 'Export XLSX' }).getAttribute('href'));
  assert.equal(x.status(), 200);
  assert.equal((await x.body()).subarray(0, 2).toString(), 'PK', 'an XLSX (zip) file');
  for (const [hash, heading] of [['#/graduates', 'Graduates'], ['#/positions', 'Positions'], ['#/applications', 'Applications'], ['#/placements', 'Placements'], ['#/cohorts', 'Cohorts'], ['#/admin/users', 'People'], ['#/admin/audit', 'Audit log']]) {
    await open(page, hash, heading);
    assert.ok(await page.getByRole('link', { name: 'Export CSV' }).isVisible(), hash);
    assert.ok(await page.getByRole('link', { name: 'Export XLSX' }).isVisible(), hash);
  }
});
