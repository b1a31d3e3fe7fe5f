// layout.test.mjs - the layout faults found at 1280 px and on a 375 px phone, asserted as
// boxes (robust on any machine, unlike pixel comparisons): the top menu on one row, the
// board's last column inside the page, phone list cards that keep their values inside the
// card and the page, and a success notice that does not follow the user to the next page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newPage, signIn, open, noProblems, DEMO, setup, teardown } from './harness.mjs';

let ctx, srv, browser, coord, seed;
before(async () => {
  ctx = await setup();
  ({ srv, browser, coord, seed } = ctx);
  // long values that used to be cut on a phone
  await coord.patch(`/companies/${seed.company.id}`, { target_markets: ['DE', 'AT', 'CH', 'FR', 'NL', 'BE', 'DK', 'NO'], version: (await coord.get(`/companies/${seed.company.id}`)).version });
});
after(() => teardown(ctx));

test('1280 px: the menu is one row for admin and coordinator; the board fits; the top bar holds the language switcher', async () => {
  for (const who of ['admin', 'coordinator']) {
    const page = await newPage(browser, srv, { width: 1280, height: 800 });
    await signIn(page, DEMO[who]);
    const rows = await page.evaluate(() => new Set([...document.querySelectorAll('.nav-list > li')].map((l) => Math.round(l.getBoundingClientRect().top))).size);
    assert.equal(rows, 1, `${who}: the menu does not wrap`);
    const hidden = await page.evaluate(() => { const ul = document.querySelector('.nav-list'); return ul.scrollWidth - ul.clientWidth; });
    assert.ok(hidden <= 1, `${who}: no menu item is scrolled out of sight (${hidden}px)`);
    assert.ok(await page.locator('#lang-select').isVisible());
    await open(page, '#/board');
    const b = await page.evaluate(() => {
      const board = document.querySelector('.board');
      const last = [...board.querySelectorAll('.board-col')].pop().getBoundingClientRect();
      return { over: board.scrollWidth - board.clientWidth, right: last.right, page: document.documentElement.clientWidth };
    });
    assert.ok(b.over <= 1, `${who}: the board does not scroll sideways at 1280 px (${b.over}px)`);
    assert.ok(b.right <= b.page, 'the last column is inside the page');
    noProblems(page);
    await page.context().close();
  }
});

/** Elements in the list whose box sticks out of their card (row) or out of the page. */
async function overflow(page) {
  return page.evaluate(() => {
    const W = document.documentElement.clientWidth;
    const out = [];
    if (document.documentElement.scrollWidth > W + 1) out.push(`page is ${document.documentElement.scrollWidth}px wide`);
    for (const tr of document.querySelectorAll('.table:not(.table-compact) tbody tr')) {
      const r = tr.getBoundingClientRect();
      for (const el of tr.querySelectorAll('th, td, th *, td *')) {
        const b = el.getBoundingClientRect();
        if (b.width && (b.right > r.right + 1 || b.right > W + 1)) out.push(`${el.tagName} "${el.textContent.slice(0, 30)}" ends at ${Math.round(b.right)} (card ${Math.round(r.right)})`);
      }
    }
    return out;
  });
}

test('375 px: list cards keep every value inside the card; the menu is behind "Menu"', async () => {
  const page = await newPage(browser, srv, { width: 375, height: 800 });
  await signIn(page, DEMO.coordinator);
  assert.equal(await page.locator('.nav-list').isVisible(), false, 'the menu is folded');
  assert.ok(await page.getByRole('button', { name: 'Menu' }).isVisible());
  for (const hash of ['#/companies', '#/graduates', '#/positions', '#/applications', '#/placements', '#/cohorts', '#/admin/users', '#/admin/audit']) {
    await open(page, hash);
    await page.waitForFunction(() => !/Loading/.test(document.querySelector('.list-status')?.textContent || ''));
    await page.waitForTimeout(200);
    assert.deepEqual(await overflow(page), [], hash);
  }
  await open(page, `#/companies/${seed.company.id}`);
  assert.deepEqual(await overflow(page), [], 'company detail');
  noProblems(page);
  await page.context().close();
});

test('a success notice shows on the page its action opens and is gone on the next one', async () => {
  const page = await newPage(browser, srv);
  await signIn(page, DEMO.coordinator);
  await open(page, '#/cohorts/new');
  await page.locator('[data-field="name"] input').fill('Notice cohort');
  await page.locator('[data-field="start_date"] input').fill('2027-03-01');
  await page.locator('[data-field="end_date"] input').fill('2027-09-30');
  await page.getByRole('button', { name: 'Create' }).click();
  await page.locator('h1', { hasText: 'Notice cohort' }).waitFor();
  await page.locator('#messages .msg-success').waitFor();
  await page.getByRole('link', { name: 'Companies' }).first().click();
  await page.locator('#main[data-route^="#/companies"] h1').waitFor();
  assert.equal(await page.locator('#messages .msg').count(), 0, 'the notice does not follow to the next page');
  noProblems(page);
  await page.context().close();
});

test('375 px: the name, the language switcher and "Menu" share one row; a card value sits beside its label', async () => {
  const page = await newPage(browser, srv, { width: 375, height: 800 });
  await signIn(page, DEMO.coordinator);
  const tops = await page.evaluate(() => ['.brand', '#lang-select', '#nav-toggle'].map((s) => Math.round(document.querySelector(s).getBoundingClientRect().top)));
  assert.ok(Math.max(...tops) - Math.min(...tops) < 20, `one row: ${tops}`);
  await open(page, '#/positions');
  await page.waitForFunction(() => document.querySelector('.table tbody tr td'));
  const below = await page.evaluate(() => [...document.querySelectorAll('.table tbody tr td')].filter((c) => c.textContent.trim()).map((cell) => {
    const r = document.createRange();
    r.selectNodeContents(cell);
    const top = Math.min(...[...r.getClientRects()].map((x) => x.top));
    return top - cell.getBoundingClientRect().top > 12 ? cell.textContent : null;
  }).filter(Boolean));
  assert.deepEqual(below, [], 'every value starts on its label\'s line');
  noProblems(page);
  await page.context().close();
});
