// matching_qualification.test.mjs - a coordinator runs a match for a cohort and
// reads why each graduate was or was not placed; a credential is issued and
// anyone checks it on the public /verify page; the holder sees their own.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, signIn, open, noProblems, DEMO, apiAs } from './harness.mjs';

// The demo seals its signing keys with this key-encryption key; the server needs the same.
process.env.TRADEBRIDGE_KEK = Buffer.from('TradeBridge-demo-only-key-encryp').toString('base64');

let srv;
let browser;
let coord;
before(async () => {
  srv = await startServer();
  browser = await launch();
  coord = await apiAs(srv, DEMO.coordinator);
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('a coordinator runs a stable match for a cohort and sees explanations for every graduate', async () => {
  // the demo's recruiting cohort has open positions with applications
  const cohorts = (await coord.get('/cohorts?limit=200')).items;
  const recruiting = cohorts.find((c) => /2027 spring/.test(c.name));
  assert.ok(recruiting, 'the demo has a recruiting cohort');
  const page = await newPage(browser, srv);
  await signIn(page, DEMO.coordinator);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Matching' }).click();
  await page.locator('h1', { hasText: 'Matching' }).waitFor();
  await page.getByLabel('Cohort').selectOption(String(recruiting.id));
  await page.getByLabel('How to choose').selectOption('stable');
  // plain labels; options of the other engine are hidden
  await page.getByLabel("Whose preferences win ties: graduates' or companies'").waitFor();
  assert.equal(await page.getByLabel('Who must be placed').isVisible(), false, 'assignment options hidden for stable');
  assert.equal(await page.getByLabel('Lottery seed').isVisible(), false, 'the seed only with a lottery');
  await page.getByRole('button', { name: 'Run' }).click();
  await page.locator('h1', { hasText: /^Run \d+:/ }).waitFor();
  await page.getByRole('heading', { name: 'Why, for every graduate' }).waitFor();
  assert.ok(await page.locator('.explanations li').count() > 0, 'every graduate gets an explanation');
  await page.getByText('Blocking pairs (0 = stable)').waitFor();
  // the input hash is out of the way until asked for
  assert.equal(await page.getByText('Input snapshot (SHA-256)').isVisible(), false);
  noProblems(page);
  await page.context().close();
});

test('a run from the whole pool names people, shows scores 0-100 with a breakdown and each position\'s shortlist', async () => {
  const cohorts = (await coord.get('/cohorts?limit=200')).items;
  const recruiting = cohorts.find((c) => /2027 spring/.test(c.name));
  // the demo company gets an open position in the recruiting cohort
  const company = await apiAs(srv, DEMO.company);
  const own = (await company.get('/companies')).items[0];
  const mine = await coord.post('/positions', { company_id: own.id, cohort_id: recruiting.id, title: 'Export assistant Nordics',
    languages: [{ code: 'en', min_level: 'B2' }], target_markets: ['DE'], location_country: 'SE' });
  for (const status of ['submitted', 'approved', 'open']) await coord.post(`/positions/${mine.id}/status`, { status });
  const page = await newPage(browser, srv);
  await signIn(page, DEMO.coordinator);
  await open(page, '#/matching');
  await page.locator('h1', { hasText: 'Matching' }).waitFor();
  await page.getByLabel('Cohort').selectOption(String(recruiting.id));
  await page.getByLabel('Candidates from').selectOption('pool');
  await page.getByLabel('How to choose').selectOption('assign');
  assert.equal(await page.getByLabel("Whose preferences win ties: graduates' or companies'").isVisible(), false,
    'stable options hidden for the highest total');
  await page.getByLabel('Who must be placed').selectOption('partial');
  await page.getByRole('button', { name: 'Run' }).click();
  await page.locator('h1', { hasText: /^Run \d+:/ }).waitFor();
  // pairs read "Name → Position, Company", never "#12 → #34"
  const firstPair = page.locator('table tbody tr th').first();
  await firstPair.waitFor();
  assert.match(await firstPair.innerText(), /^[^#\d].* → .+, .+$/);
  const score = await page.locator('table tbody tr td').first().innerText();
  assert.ok(Number(score.replace(/\D.*$/, '')) <= 100, `score shown 0-100, got ${score}`);
  // the breakdown opens on demand
  const details = page.locator('details.score-breakdown').first();
  assert.equal(await details.locator('.score-parts').isVisible(), false);
  await details.locator('summary').click();
  await details.locator('.score-parts li').first().waitFor();
  await page.getByRole('heading', { name: /Shortlists/ }).waitFor();
  assert.ok(await page.locator('.shortlist li').count() > 0, 'positions list their best candidates');
  assert.ok(await page.getByText('Suggested').count() > 0, 'suggestions from the pool are marked');
  noProblems(page);
  await page.context().close();

  // the company sees the best candidates for its own position, with reasons
  const sl = await company.get(`/positions/${mine.id}/shortlist`);
  assert.ok(sl.run_id && sl.shortlist.length > 0, 'the run shortlisted candidates for the company\'s position');
  const cpage = await newPage(browser, srv);
  await signIn(cpage, DEMO.company);
  await open(cpage, `#/positions/${mine.id}`);
  await cpage.getByRole('heading', { name: 'Best candidates from matching' }).waitFor();
  assert.ok(await cpage.locator('ol.shortlist .reasons li').count() > 0, 'each candidate comes with reasons');
  noProblems(cpage);
  await cpage.context().close();
});

test('an issued credential verifies on the public page, and the holder finds it under Qualifications', async () => {
  const placements = (await coord.get('/placements?status=completed&limit=200')).items;
  const achievements = (await coord.get('/achievements')).items;
  assert.ok(placements.length && achievements.length, 'the demo has completed placements and the qualification');
  const p = placements[0];
  const cred = await coord.post('/credentials', { graduate_id: p.graduate_id, achievement_id: achievements[0].id, placement_id: p.id });

  // anyone, signed out, pastes the credential on /verify
  const page = await newPage(browser, srv);
  await page.goto('/verify');
  await page.getByLabel('Paste the credential (JSON)').fill(JSON.stringify(cred.document));
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByRole('heading', { name: 'Verified', exact: true }).waitFor();
  await page.getByText('signature valid (eddsa-rdfc-2022)').waitFor();

  // a tampered copy does not verify
  const forged = structuredClone(cred.document);
  forged.name = 'Doctor of Everything';
  await page.getByLabel('Paste the credential (JSON)').fill(JSON.stringify(forged));
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByRole('heading', { name: 'Not verified', exact: true }).waitFor();

  // the certificate's QR link opens the same page with the credential loaded
  const uuid = cred.credential_id.replace('urn:uuid:', '');
  await page.goto(`/verify?id=${uuid}`);
  await page.getByRole('heading', { name: 'Verified', exact: true }).waitFor();
  noProblems(page);
  await page.context().close();

  // staff see it in the list and can open it
  const staff = await newPage(browser, srv);
  await signIn(staff, DEMO.coordinator);
  await open(staff, `#/credentials/${cred.id}`);
  await staff.getByRole('link', { name: 'Download certificate (PDF)' }).waitFor();
  await staff.getByRole('button', { name: 'Revoke' }).waitFor();
  noProblems(staff);
  await staff.context().close();
});
