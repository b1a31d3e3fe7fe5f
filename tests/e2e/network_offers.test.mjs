// network_offers.test.mjs - the offers board (issue 15) in Chromium with no
// script error or CSP violation: the board with the demo's offers, posting
// one, the companies that fit it with their reasons, a company showing
// interest (an introduction follows) and switching the digest off and on;
// the digest's unsubscribe page; merging a duplicate contact from the
// contact page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, signIn, noProblems, DEMO, open, apiAs } from './harness.mjs';

let srv, browser, coord;
const ids = {};

before(async () => {
  srv = await startServer();
  browser = await launch();
  coord = await apiAs(srv, DEMO.coordinator);
  const mk = (over) => coord.post('/contacts', { kind: 'organisation', category: 'importer', visibility: 'private',
    country: 'NO', city: 'Bergen', ...over });
  ids.keep = (await mk({ name: 'Bergen Sjømat AS', email: 'post@bergen-sjomat.example.org' })).id;
  ids.dup = (await mk({ name: 'Bergen Sjomat AS', phone: '+47 55 00 00 00', tags: ['shrimp'] })).id;
  ids.other = (await mk({ name: 'Hordaland Frys AS' })).id;
  await coord.post(`/contacts/${ids.dup}/links`, { to_id: ids.other, kind: 'knows', strength: 4 });
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('the board lists open offers; staff post one and see the companies that fit, with reasons', async () => {
  const page = await newPage(browser, srv, { width: 1400, height: 1000 });
  await signIn(page, DEMO.coordinator);
  await open(page, '#/network/offers', 'Offers board');
  await page.locator('#offers-list tbody tr', { hasText: 'Distributor sought in DE for centrifugal pumps' }).first().waitFor();
  await page.locator('details summary', { hasText: 'Post an offer or a request' }).click();
  const form = page.locator('#offer-form');
  await form.locator('select[name="kind"]').selectOption('distributor_sought');
  await form.locator('input[name="title"]').fill('Distributor sought in Austria for submersible pumps');
  await form.locator('input[name="hs"]').fill('841370');
  await form.locator('input[name="countries"]').fill('AT');
  await form.locator('input[name="expires_on"]').fill('2027-09-30');
  await form.getByRole('button', { name: 'Post' }).click();
  await page.locator('h1', { hasText: 'Distributor sought in Austria for submersible pumps' }).waitFor();
  const row = page.locator('#offer-match-companies tbody tr', { hasText: 'Norrland Pumpteknik AB' });
  await row.waitFor();
  assert.match(await row.locator('.net-reasons').textContent(), /products: HS 841370 fits 841370 · market: sells to or knows AT/);
  noProblems(page);
});

test('a company manager shows interest; an introduction follows', async () => {
  const page = await newPage(browser, srv, { width: 1400, height: 1000 });
  await signIn(page, DEMO.company);
  await open(page, '#/network/offers?country=DK', 'Offers board');
  await page.locator('#offers-list tbody tr a', { hasText: 'Joint stand at a Danish food fair' }).click();
  await page.locator('h1', { hasText: 'Joint stand at a Danish food fair' }).waitFor();
  await page.locator('#offer-interest textarea[name="message"]').fill('We would share a stand.');
  await page.getByRole('button', { name: 'We are interested' }).click();
  await page.locator('#offer-interests li', { hasText: 'Norrland Pumpteknik AB' }).waitFor();
  // the digest: switched off and on again from the board
  await open(page, '#/network/offers', 'Offers board');
  const box = page.locator('#offer-digest input[name="digest"]');
  assert.equal(await box.isChecked(), true);
  await box.uncheck();
  await page.getByText('You will get no more offers digests.').waitFor();
  await box.check();
  await page.getByText('You will get the offers digest.').waitFor();
  noProblems(page);
});

test('the unsubscribe link of a digest: an unknown one says so', async () => {
  const page = await newPage(browser, srv);
  await open(page, `#/offer-digest-unsubscribe?token=${'x'.repeat(43)}`, 'Offers digest');
  await page.locator('p.error').waitFor();
});

test('staff merge a duplicate contact from the contact page', async () => {
  const page = await newPage(browser, srv, { width: 1400, height: 1000 });
  await signIn(page, DEMO.coordinator);
  await open(page, `#/network/contacts/${ids.keep}`, 'Bergen Sjømat AS');
  await page.locator('#net-merge input[name="from_id"]').fill(String(ids.dup));
  await page.getByRole('button', { name: 'Merge into this contact' }).click();
  await page.getByText('Merged: 1 relationships and 0 introductions moved.').waitFor();
  await page.locator('li', { hasText: 'Hordaland Frys AS' }).first().waitFor();
  const c = await coord.get(`/contacts/${ids.keep}`);
  assert.equal(c.phone, '+47 55 00 00 00');
  assert.equal((await coord.get(`/contacts/${ids.dup}`)).name, 'Merged contact');
  noProblems(page);
});
