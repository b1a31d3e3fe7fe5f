// impact_fast.test.mjs - the impact report's stored baseline totals and the
// staggered-start warning (issue 14): a baseline's base-year total follows
// every write (the API's upsert and a direct change of the row), and when
// participants started in different years the comparison says so, naming the
// years and counts, with an estimate per start year (suppressed for a funder
// below the minimum cell).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, USERS, dbExec } from './lib.mjs';

let srv, coord, viewer;

before(async () => {
  srv = await startServer();
  [coord, viewer] = await Promise.all([login(srv.base, USERS.coordinator.email), login(srv.base, USERS.viewer.email)]);
});
after(async () => { if (srv) await srv.stop(); });

const total = async (cur) =>
  (await coord.get(`/api/v1/impact/measures?resamples=100&currency=${cur}`)).json.total.export_change.total;

test('the report follows a changed baseline: through the API and a direct write of the row', async () => {
  const answered = (await coord.get('/api/v1/impact-surveys')).json.items
    .filter((s) => s.respondent === 'company' && s.wave === 'm12' && s.submitted_at);
  assert.ok(answered.length > 0, 'the demo has answered 12-month surveys');
  let b;
  let companyId;
  for (const s of answered) {
    const r = await coord.get(`/api/v1/companies/${s.company_id}/impact-baseline`);
    if (r.status === 200) { b = r.json; companyId = s.company_id; break; }
  }
  assert.ok(b, 'an answering company has a baseline');
  const placements = new Set(answered.filter((s) => s.company_id === companyId).map((s) => s.placement_id)).size;
  const before = await total(b.currency);
  const sales = [...b.sales, { market: 'IS', year: b.year, amount_minor: 1000000 }];
  const put = await coord.put(`/api/v1/companies/${companyId}/impact-baseline`, {
    year: b.year, currency: b.currency, turnover_minor: b.turnover_minor, employees: b.employees, fte: b.fte, sales });
  assert.equal(put.status, 200, JSON.stringify(put.json));
  const afterPut = await total(b.currency);
  assert.ok(Math.abs(before - afterPut - 1000000 * placements) < 1, `${before} - ${afterPut}`);
  // A row written without the store (an import script, psql): the stored total follows it too.
  dbExec(srv.db, `UPDATE impact_baselines SET sales = '${JSON.stringify(b.sales)}' WHERE company_id = ${companyId}`);
  assert.ok(Math.abs((await total(b.currency)) - before) < 1);
});

test('participants who started in different years: a warning naming the years, an estimate per start year', async () => {
  const cmp = (await coord.get('/api/v1/impact/measures?resamples=100')).json.comparison;
  assert.ok(cmp.staggered, 'the demo cohorts started in 2021, 2022 and 2023');
  const years = cmp.staggered.start_years;
  assert.ok(years.length >= 2);
  assert.deepEqual(years.map((y) => y.year), [...years.map((y) => y.year)].sort());
  assert.equal(years.reduce((s, y) => s + y.treated, 0), cmp.treated);
  for (const y of years) {
    assert.match(cmp.staggered.warning, new RegExp(`${y.year}: ${y.treated} firms?`));
    assert.ok(y.controls >= 1);
    assert.ok(typeof y.estimate === 'number' || typeof y.why === 'string');
  }
  assert.match(cmp.staggered.warning, /staggered adoption/);
  // A funder: start years with fewer firms than the minimum cell (and a partner) keep only their year.
  const smallest = Math.min(...years.map((y) => y.treated));
  assert.equal((await coord.put('/api/v1/orgs/2/impact-settings', { currency: 'SEK', min_cell: smallest + 1 })).status,
    200);
  try {
    const f = (await viewer.get('/api/v1/impact/measures?resamples=100')).json.comparison;
    if (!f.suppressed) {
      const hidden = f.staggered.start_years.filter((y) => y.suppressed);
      assert.ok(hidden.length >= 2, JSON.stringify(f.staggered));
      for (const y of hidden) {
        assert.deepEqual(Object.keys(y).sort(), ['suppressed', 'year']);
        assert.match(f.staggered.warning, new RegExp(`${y.year}: suppressed`));
      }
    }
  } finally {
    await coord.put('/api/v1/orgs/2/impact-settings', { currency: 'SEK', min_cell: 5 });
  }
});
