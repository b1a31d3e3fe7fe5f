// network.test.mjs - the trade network's screens (issue 15) in Chromium with
// no script error or CSP violation: the directory (search with accents
// folded, reasons, facets), a contact with "who can introduce me" drawn and
// explained, asking for an introduction, the inbox moving it along, another
// operator's approval, and the introducer answering from the mailed link.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, signIn, noProblems, DEMO, open, apiAs } from './harness.mjs';

let srv, browser, coord, coordSi;
const ids = {};

before(async () => {
  srv = await startServer();
  browser = await launch();
  coord = await apiAs(srv, DEMO.coordinator);
  coordSi = await apiAs(srv, DEMO.coordinatorSi);
  const mk = (api, over) => api.post('/contacts', { kind: 'person', category: 'distributor', legal_basis: 'legitimate_interest',
    visibility: 'shared', country: 'SE', city: 'Göteborg', organisation: 'Västkust Fisk AB', roles: 'Buyer', ...over });
  ids.staff = (await mk(coord, { name: 'Solveig Ekwall', category: 'staff', organisation: 'ITM Sweden', city: 'Stockholm' })).id;
  ids.introducer = (await mk(coord, { name: 'Torvald Hägglund', email: 'torvald@example.org' })).id;
  ids.target = (await mk(coordSi, { name: 'Vesna Podgornik', country: 'SI', city: 'Koper', organisation: 'Luka Fish d.o.o.' })).id;
  await coord.post(`/contacts/${ids.staff}/links`, { to_id: ids.introducer, kind: 'knows', strength: 5, last_contact: '2026-11-01' });
  await coord.post(`/contacts/${ids.introducer}/links`, { to_id: ids.target, kind: 'worked_with', strength: 4, last_contact: '2026-06-01' });
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('the directory: search folds accents, says why, and filters by facet', async () => {
  const page = await newPage(browser, srv, { width: 1400, height: 1000 });
  await signIn(page, DEMO.coordinator);
  await open(page, '#/network', 'Trade network');
  await page.getByRole('searchbox', { name: 'Search' }).fill('Goteborg hagglund');
  await page.getByRole('button', { name: 'Search' }).click();
  const row = page.locator('#net-results tbody tr', { hasText: 'Torvald Hägglund' });
  await row.waitFor();
  assert.match(await row.locator('.net-reasons').textContent(), /city matches "Goteborg"/);
  await page.locator('[data-facet="country:SE"]').click();
  await page.waitForFunction(() => location.hash.includes('country=SE'));
  await page.locator('#net-results tbody tr').first().waitFor();
  noProblems(page);
});

test('a contact shows who can introduce me, and the request goes to the inbox', async () => {
  const page = await newPage(browser, srv, { width: 1400, height: 1000 });
  await signIn(page, DEMO.coordinator);
  await open(page, `#/network/contacts/${ids.target}`, 'Vesna Podgornik');
  const path = page.locator('#net-paths .net-path').first();
  await path.locator('svg.net-path-graph circle').nth(2).waitFor();
  assert.match(await path.locator('.net-explanation').textContent(),
    /Solveig Ekwall \(staff, at ITM Sweden in Stockholm\) knows Torvald Hägglund very well/);
  await path.locator('input[name="purpose"]').fill('A distributor for our shrimp in Slovenia');
  await path.getByRole('button', { name: 'Ask Torvald Hägglund for an introduction' }).click();
  const row = page.locator('#net-intros tbody tr', { hasText: 'Vesna Podgornik' });
  await row.waitFor();
  assert.match(await row.textContent(), /Requested.*Approval: pending/);
  noProblems(page);
});

test('the owning operator approves; the introducer answers from the link; the inbox moves it on', async () => {
  const si = await newPage(browser, srv);
  await signIn(si, DEMO.coordinatorSi);
  await open(si, '#/network/introductions', 'Introductions');
  const ap = si.locator('#net-approvals li', { hasText: 'Vesna Podgornik' });
  await ap.getByRole('button', { name: 'Approve' }).click();
  await si.locator('#net-approvals li', { hasText: 'Vesna Podgornik' }).waitFor({ state: 'detached' });
  noProblems(si);

  const intro = (await coord.get('/introductions')).items.find((i) => i.target_id === ids.target);
  await coord.post(`/introductions/${intro.id}/send-link`);
  const token = await srv.smtp.token('torvald@example.org', 'introduction-answer');
  const anon = await newPage(browser, srv);
  await open(anon, `#/introduction-answer?token=${token}`, 'An introduction request');
  await anon.getByRole('button', { name: 'Accept' }).click();
  await anon.locator('#net-thanks').waitFor();
  noProblems(anon);

  const page = await newPage(browser, srv, { width: 1400, height: 1000 });
  await signIn(page, DEMO.coordinator);
  await open(page, '#/network/introductions', 'Introductions');
  const row = () => page.locator(`#net-intros tr[data-intro="${intro.id}"]`);
  await row().getByRole('button', { name: 'Introduction made' }).click();
  await row().getByRole('button', { name: 'Meeting held' }).waitFor();
  assert.match(await row().textContent(), /Introduction made/);
  noProblems(page);
});
