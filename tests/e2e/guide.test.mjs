// guide.test.mjs - the guide (docs/guide.md) and the Help links: every screen's Help link
// opens an existing section of the guide, every picture the guide shows exists, and the
// in-app guide opens at the section. With TB_GUIDE_SHOTS=1 the pictures are taken anew
// (docs/guide/*.png), so the guide shows the screens as they are.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPO, newPage, signIn, open, noProblems, DEMO, setup, teardown } from './harness.mjs';

const GUIDE = readFileSync(resolve(REPO, 'docs/guide.md'), 'utf8');
const slug = (s) => s.toLowerCase().replace(/[^\p{L}\p{N}\s-]/gu, '').trim().replace(/\s+/g, '-');
const SECTIONS = new Set([...GUIDE.matchAll(/^#{2,4}\s+(.*)$/gm)].map((m) => slug(m[1])));
const SHOTS = process.env.TB_GUIDE_SHOTS === '1';
const shotDir = resolve(REPO, 'docs/guide');

let ctx, srv, browser, coord;
before(async () => {
  ctx = await setup({ seed: false }); // the demo's records only: the pictures show a real-looking programme
  ({ srv, browser, coord } = ctx);
  if (SHOTS) mkdirSync(shotDir, { recursive: true });
});
after(() => teardown(ctx));

async function picture(page, name) {
  await page.evaluate(() => document.activeElement && document.activeElement.blur());
  await page.waitForTimeout(300); // code names filled in
  await page.screenshot({ path: resolve(shotDir, `${name}.png`) });
}

const seen = new Map(); // section -> pages linking to it
async function visit(page, hash, shot) {
  await open(page, hash);
  await page.waitForFunction(() => ![...document.querySelectorAll('.list-status')].some((e) => /Loading/.test(e.textContent)));
  const link = page.locator('#main a.help-link');
  assert.equal(await link.count(), 1, `${hash}: one Help link`);
  const s = await link.getAttribute('data-section');
  assert.ok(SECTIONS.has(s), `${hash}: Help goes to "${s}", a section of docs/guide.md`);
  seen.set(s, [...(seen.get(s) || []), hash]);
  if (SHOTS && shot) await picture(page, shot);
}

test('every picture in the guide exists', () => {
  const missing = [...GUIDE.matchAll(/!\[[^\]]*\]\((guide\/[^)]+)\)/g)].map((m) => m[1]).filter((p) => !existsSync(resolve(REPO, 'docs', p)));
  assert.deepEqual(missing, []);
});

test('sign-in page: Help goes to the section on signing in', async () => {
  const page = await newPage(browser, srv);
  await page.goto('/#/login');
  const link = page.locator('a.help-link');
  await link.waitFor();
  assert.equal(await link.getAttribute('data-section'), 'signing-in-and-your-account');
  if (SHOTS) await picture(page, 'sign-in');
  await link.click();
  const heading = page.locator('#guide-signing-in-and-your-account');
  await heading.waitFor();
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'guide-signing-in-and-your-account');
  assert.ok(await page.locator('.guide-body img').count() > 0, 'the guide shows its pictures');
  noProblems(page);
  await page.context().close();
});

test('coordinator screens each link to their section (pictures with TB_GUIDE_SHOTS=1)', async () => {
  const page = await newPage(browser, srv);
  await signIn(page, DEMO.coordinator);
  const placement = (await coord.get('/placements?limit=1')).items[0];
  const position = (await coord.get('/positions?status=submitted&limit=1')).items[0] || (await coord.get('/positions?limit=1')).items[0];
  const company = (await coord.get('/companies?limit=1')).items[0];
  await visit(page, '#/', 'coordinator-home');
  await visit(page, '#/companies', 'companies');
  await visit(page, `#/companies/${company.id}`);
  await visit(page, '#/graduates');
  await visit(page, '#/import?kind=graduates');
  await page.getByLabel('CSV file').setInputFiles({ name: 'graduates.csv', mimeType: 'text/csv',
    buffer: Buffer.from('name,email,nationality,languages\nÅsa Ström,asa@example.se,XX,"de:B2;sv:native"\nLeo Berg,not-an-address,SE,en:C1\n') });
  await page.getByRole('button', { name: 'Check the file' }).click();
  await page.locator('table.import-errors').waitFor();
  if (SHOTS) await picture(page, 'import-check');
  await visit(page, `#/positions/${position.id}`, 'position');
  await visit(page, '#/board', 'board');
  await visit(page, '#/applications');
  await visit(page, '#/matching', 'matching');
  if (placement) await visit(page, `#/placements/${placement.id}`, 'placement');
  for (const hash of ['#/cohorts', '#/credentials', '#/admin/users', '#/admin/audit', '#/account']) await visit(page, hash);
  noProblems(page);
  await page.context().close();
});

test('company, trainee and mentor: Help goes to their own section', async () => {
  for (const [who, section, shot] of [['company', 'companies', 'company-home'], ['trainee', 'trainees', 'trainee-home'], ['mentor', 'mentors', 'mentor-home']]) {
    const page = await newPage(browser, srv);
    await signIn(page, DEMO[who]);
    await visit(page, '#/', shot);
    assert.equal(await page.locator('#main a.help-link').getAttribute('data-section'), section);
    await visit(page, '#/placements');
    noProblems(page);
    await page.context().close();
  }
});
