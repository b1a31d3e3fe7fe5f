// i18n.test.mjs - every shipped language has every key (with the same {placeholders}); the UI
// in Swedish (from the switcher, kept after a reload, and from the browser's language); no
// i18n key and no raw API field name on any screen; pages a role may not use are not drawn
// (403: "No access"), a missing record says "Not found".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPO, newPage, signIn, open, noProblems, DEMO, setup, teardown } from './harness.mjs';

const I18N = resolve(REPO, 'web/static/i18n');
const readLang = (code) => {
  const load = (f) => { try { return JSON.parse(readFileSync(resolve(I18N, f), 'utf8')); } catch (e) { if (e.code === 'ENOENT') return {}; throw e; } };
  return { ...load(`${code}.json`), ...load(`${code}.extra.json`) };
};
const EN = readLang('en');
const LANGS = readdirSync(I18N).map((f) => f.match(/^([a-z]{2})\.json$/)).filter(Boolean).map((m) => m[1]);
const placeholders = (s) => [...String(s).matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('every shipped language has every English key, non-empty, with the same placeholders', () => {
  assert.ok(LANGS.includes('sv'), 'Swedish is shipped');
  for (const code of LANGS.filter((c) => c !== 'en')) {
    const L = readLang(code);
    const missing = Object.keys(EN).filter((k) => !(k in L));
    assert.deepEqual(missing, [], `${code}: keys missing`);
    const extra = Object.keys(L).filter((k) => !(k in EN));
    assert.deepEqual(extra, [], `${code}: keys English does not have`);
    for (const k of Object.keys(EN)) {
      assert.ok(String(L[k]).trim(), `${code}: ${k} is empty`);
      assert.deepEqual(placeholders(L[k]), placeholders(EN[k]), `${code}: ${k} placeholders`);
    }
  }
  // the app's source asks only for keys that exist
  const src = resolve(REPO, 'web/static/js');
  const files = [...readdirSync(src).map((f) => resolve(src, f)), ...readdirSync(resolve(src, 'pages')).map((f) => resolve(src, 'pages', f))].filter((f) => f.endsWith('.js'));
  const unknown = [];
  for (const f of files) for (const m of readFileSync(f, 'utf8').split('\n').filter((l) => !/^\s*(\/\/|\/\*|\*)/.test(l)).join('\n').matchAll(/\bt\('([\w.-]+)'/g)) if (!(m[1] in EN)) unknown.push(`${f.split('/').pop()}: ${m[1]}`);
  assert.deepEqual(unknown, [], 'keys used in the code but missing from en.json');
});

let ctx, srv, browser, coord, seed;
before(async () => {
  ctx = await setup();
  ({ srv, browser, coord, seed } = ctx);
});
after(() => teardown(ctx));

const KEY_PREFIXES = [...new Set(Object.keys(EN).map((k) => k.split('.')[0]))];
/** Text on screen (and in placeholders / aria-labels) that is an i18n key or an API field name. */
async function leaks(page) {
  const text = await page.evaluate(() => {
    const parts = [document.body.innerText];
    for (const el of document.querySelectorAll('[placeholder],[aria-label],[title]')) parts.push(el.getAttribute('placeholder') || '', el.getAttribute('aria-label') || '', el.getAttribute('title') || '');
    for (const el of document.querySelectorAll('option')) parts.push(el.textContent);
    return parts.join('\n');
  });
  const found = [];
  const keyRe = new RegExp(`\\b(?:${KEY_PREFIXES.join('|')})\\.[A-Za-z_-][\\w.-]*`, 'g');
  for (const m of text.matchAll(keyRe)) if (m[0] in EN || /^[a-z]+\.[a-z]/.test(m[0]) && !/\.(org|se|com|pdf|json|csv|xlsx)$/.test(m[0])) found.push(`key: ${m[0]}`);
  for (const m of text.matchAll(/\b[a-z]+_[a-z_]+\b/g)) found.push(`field: ${m[0]}`);
  return found.filter((x) => !/@/.test(x));
}

/** Lists loaded and names of codes and records filled in. */
async function settled(page) {
  await page.waitForFunction(() => ![...document.querySelectorAll('.list-status, a, .code')].some((e) => /^(Loading…|Laddar…|…)$/.test(e.textContent.trim())));
  await page.waitForTimeout(300);
}

const STAFF_PAGES = (s) => ['#/', '#/companies', `#/companies/${s.company.id}`, '#/companies/new', '#/graduates', `#/graduates/${s.graduate.id}`,
  '#/graduates/new', '#/cohorts', `#/cohorts/${s.cohort.id}`, '#/positions', `#/positions/${s.position.id}`, `#/positions/${s.position.id}/edit`,
  '#/applications', '#/placements', '#/placements/new', '#/board', '#/matching', '#/credentials', '#/admin/users', '#/admin/invite', '#/admin/audit', '#/account'];

for (const lang of ['sv', 'en']) {
  test(`coordinator in ${lang}: no i18n key and no API field name on any screen`, async () => {
    const page = await newPage(browser, srv);
    await page.addInitScript((l) => localStorage.setItem('tb.lang', l), lang);
    if (lang === 'en') await signIn(page, DEMO.coordinator);
    else {
      await page.goto('/#/login');
      await page.locator('[data-field="email"] input').fill(DEMO.coordinator);
      await page.locator('[data-field="password"] input').fill('TradeBridge-demo-2026');
      await page.getByRole('button', { name: 'Logga in' }).click();
      await page.locator('#main[data-route="#/"] h1', { hasText: /^Hej, / }).waitFor();
    }
    assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
    const bad = [];
    for (const hash of STAFF_PAGES(seed)) {
      await open(page, hash);
      await settled(page);
      for (const x of await leaks(page)) bad.push(`${hash} ${x}`);
    }
    // a field error names the field by its label, in the UI language
    await open(page, '#/companies/new');
    await page.locator('form button[type="submit"]').click();
    const err = page.locator('[data-field="legal_name"] .field-error');
    await err.waitFor();
    assert.equal(await err.textContent(), lang === 'sv' ? 'Juridiskt namn: måste anges' : 'Legal name: is required');
    for (const x of await leaks(page)) bad.push(`companies/new after submit ${x}`);
    assert.deepEqual(bad, []);
    noProblems(page);
    await page.context().close();
  });
}

test('Swedish: the switcher changes the language and the choice is kept; numbers, dates and money by locale', async () => {
  const page = await newPage(browser, srv);
  await page.goto('/#/login');
  await page.locator('h1', { hasText: 'Sign in to TradeBridge' }).waitFor();
  await page.getByLabel('Language').selectOption('sv');
  await page.locator('h1', { hasText: 'Logga in i TradeBridge' }).waitFor();
  await page.reload();
  await page.locator('h1', { hasText: 'Logga in i TradeBridge' }).waitFor();
  assert.equal(await page.getByLabel('Språk').inputValue(), 'sv');
  await page.locator('[data-field="email"] input').fill(DEMO.coordinator);
  await page.locator('[data-field="password"] input').fill('TradeBridge-demo-2026');
  await page.getByRole('button', { name: 'Logga in' }).click();
  await page.locator('#main[data-route="#/"] h1', { hasText: /^Hej, / }).waitFor();
  await open(page, `#/positions/${seed.position.id}`);
  await page.getByText('25 000,00 SEK').first().waitFor(); // Intl sv-SE: narrow no-break space, decimal comma
  await open(page, `#/cohorts/${seed.cohort.id}`);
  await page.getByText('1 feb. 2027').first().waitFor();
  noProblems(page);
  await page.context().close();
});

test("the browser's language picks Swedish when nothing was chosen", async () => {
  const context = await browser.newContext({ locale: 'sv-SE', baseURL: srv.base });
  const page = await context.newPage();
  await page.goto('/#/login');
  await page.locator('h1', { hasText: 'Logga in i TradeBridge' }).waitFor();
  await context.close();
});

test('a trainee typing a staff page sees "No access" and nothing of the page; a missing record says "Not found"', async () => {
  const page = await newPage(browser, srv);
  await signIn(page, DEMO.trainee);
  for (const hash of ['#/matching', '#/admin/users', '#/admin/invite', '#/board', '#/companies', '#/cohorts/new']) {
    await open(page, hash);
    assert.equal(await page.locator('#main h1').textContent(), 'No access', hash);
    assert.equal(await page.locator('#main .error-text').textContent(), "You don't have access to this.", hash);
    assert.equal(await page.locator('#main form, #main table').count(), 0, `${hash}: nothing of the page is drawn`);
    assert.equal(await page.getByRole('button', { name: /Invite/ }).count(), 0);
  }
  await open(page, '#/positions/999999');
  assert.equal(await page.locator('#main h1').textContent(), 'Not found');
  assert.doesNotMatch(await page.locator('#main').innerText(), /Something went wrong/);
  noProblems(page);
  await page.context().close();
});
