// impact_evidence.test.mjs - impact's evidence beyond the surveys (issue 14):
// export sales per company, market and year imported from CSV (errors name
// the row and the column, nothing stored on bad input), firms that applied but
// were never placed as comparison firms, pre-period trends over more than two
// years, periphery vs metropolitan regions, respondents against
// non-respondents, learning (L2) and behaviour (L3) from the training
// records, introductions' outcomes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { startServer, login, assertError, runCli, USERS, dbExec } from './lib.mjs';

let srv, coord, viewer, applicant, participant;

const sql = (q) => dbExec(srv.db, q);
const csvPost = (who, body) => who.post('/api/v1/impact/export-sales.csv', body, { headers: { 'Content-Type': 'text/csv' } });
const measures = async (q = '') => {
  const r = await coord.get(`/api/v1/impact/measures?resamples=200${q}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
};
const salesRows = () => Number(sql('SELECT count(*) FROM impact_export_sales'));

before(async () => {
  srv = await startServer();
  [coord, viewer] = await Promise.all([login(srv.base, USERS.coordinator.email), login(srv.base, USERS.viewer.email)]);
  const org = (await coord.get('/api/v1/impact/measures?resamples=50')).json.total;
  assert.ok(org.answered > 0, 'the demo has answered follow-ups');
  // A participant that answered its 12-month follow-up and has a baseline, and a
  // firm of the same sector and size band that applied and was never placed.
  const rows = sql("SELECT c.id, c.nace, b.employees, b.year FROM placements p JOIN companies c ON c.id = p.company_id "
    + "JOIN impact_baselines b ON b.company_id = c.id JOIN orgs o ON o.id = p.org_id WHERE o.name = 'ITM Sweden' "
    + "AND EXISTS (SELECT 1 FROM impact_surveys s WHERE s.placement_id = p.id AND s.respondent = 'company' "
    + "AND s.wave = 'm12' AND s.submitted_at IS NOT NULL) ORDER BY p.id").split('\n').map((l) => l.split('|'));
  participant = { id: Number(rows[0][0]), nace: rows[0][1], employees: Number(rows[0][2]), year: Number(rows[0][3]) };
  applicant = Number(sql("SELECT min(c.id) FROM companies c JOIN orgs o ON o.id = c.org_id WHERE o.name = 'ITM Sweden' "
    + "AND EXISTS (SELECT 1 FROM positions po WHERE po.company_id = c.id AND po.status <> 'draft') "
    + "AND NOT EXISTS (SELECT 1 FROM placements p WHERE p.company_id = c.id AND p.status IN ('signed', 'completed', 'terminated'))"));
  assert.ok(applicant > 0, 'the demo has a firm that applied and was not placed');
  // It applied in 2022, and looks like the participant (as a coordinator would record it).
  sql(`UPDATE positions SET created_at = '2022-03-01T09:00:00Z' WHERE company_id = ${applicant}`);
  sql(`UPDATE companies SET nace = '${participant.nace}', employees = ${participant.employees} WHERE id = ${applicant}`);
});
after(async () => { if (srv) await srv.stop(); });

test('export sales from CSV: bad rows are named by row and column, and nothing is stored', async () => {
  const stored = salesRows();
  assert.ok(stored > 0, 'the demo has a sales history for its past participants');
  const head = 'company_id,market,year,currency,amount\n';
  const good = `${applicant},DE,2021,SEK,1000000\n`;
  const cases = [
    [`${good}${applicant},DE,2022,SEK,-5\n`, 'amount', /row 3, column amount: .*negative/],
    [`${good}${applicant},XX,2022,SEK,5\n`, 'market', /row 3, column market/],
    [`${good}${applicant},DE,2022,SEK,12.345\n`, 'amount', /row 3, column amount/],
    [`${good}${applicant},DE,20x2,SEK,5\n`, 'year', /row 3, column year/],
    [`${good}${applicant},DE,2022,ZZZ,5\n`, 'currency', /row 3, column currency/],
    [`${good}${applicant},DE,2022,SEK,\n`, 'amount', /row 3, column amount: empty/],
    [`${good}${good}`, 'market', /row 3, .*already on row 2/],
    [`${good}999999,DE,2022,SEK,5\n`, 'company_id', /row 3, column company_id: no company 999999/],
  ];
  for (const [rows, field, message] of cases)
    assertError(await csvPost(coord, head + rows), 400, 'validation_failed', { field, message });
  assertError(await csvPost(coord, 'company_id,market,year\n1,DE,2022\n'), 400, 'validation_failed', { field: 'currency' });
  assertError(await csvPost(coord, 'market,year,currency,amount\nDE,2022,SEK,1\n'), 400, 'validation_failed', { field: 'company_id' });
  // By registration number: one that is not the operator's is named by row and column.
  assertError(await csvPost(coord, `registration_number,${head}${good}000000-0000,,DE,2022,SEK,5\n`.replace(`\n${applicant}`, `\n,${applicant}`)),
    400, 'validation_failed', { field: 'registration_number', message: /row 3, column registration_number: no registration number 000000-0000/ });
  assertError(await csvPost(coord, `${head}${applicant},DE,2022,XAF,5\n`), 422, 'no_exchange_rate');
  assertError(await coord.post('/api/v1/impact/export-sales.csv', { rows: [] }), 415, 'unsupported_media_type');
  assertError(await csvPost(viewer, head + good), 403, 'forbidden');
  assert.equal(salesRows(), stored, 'a bad file stores none of its rows');
});

test('firms that applied but were never placed become comparison firms, with pre-period trends', async () => {
  const before = (await measures()).comparison;
  assert.equal(before.comparison_sources.applicants_never_placed, 0);
  // Five years of the applicant (it applied in 2022: base 2021, follow-up 2022) and
  // of the participant around its baseline year; two markets in one year.
  const y = participant.year;
  const lines = ['company_id,market,year,currency,amount'];
  for (let t = 2018; t <= 2022; t++) lines.push(`${applicant},DE,${t},SEK,${1000000 + 50000 * (t - 2018)}`);
  lines.push(`${applicant},NO,2022,SEK,100000.50`);
  for (let t = y - 3; t <= y; t++) lines.push(`${participant.id},DE,${t},SEK,${2000000 + 100000 * (t - y)}`);
  const r = await csvPost(coord, `${lines.join('\r\n')}\r\n`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.stored, lines.length - 1);
  // One audit record per file: rows and companies.
  const audit = sql("SELECT changes FROM audit_log WHERE entity = 'impact_export_sales' ORDER BY id DESC").split('\n')[0];
  assert.deepEqual(JSON.parse(audit), { companies: { new: 2 }, rows: { new: lines.length - 1 } });
  const after = (await measures()).comparison;
  assert.equal(after.comparison_sources.applicants_never_placed, 1);
  assert.equal(after.comparison_firms, before.comparison_firms + 1);
  assert.ok(after.controls >= 1);
  // The trend chart has more than two periods: years -3..+1 around each firm's base year.
  const years = after.trend_years.map((t) => t.year);
  assert.ok(years.length > 2, JSON.stringify(after.trend_years));
  assert.deepEqual(years, [...years].sort((a, b) => a - b));
  const base = after.trend_years.find((t) => t.year === 0);
  assert.equal(base.comparison_n, 1);
  assert.equal(base.comparison_mean, 115000000);       // 2021 in minor units of SEK
  const plus1 = after.trend_years.find((t) => t.year === 1);
  assert.equal(plus1.comparison_mean, 120000000 + 10000050);
  assert.ok(after.trend_years.find((t) => t.year === -3).treated_n >= 1);
  // The same amounts again replace, not add.
  assert.equal((await csvPost(coord, `${lines.join('\n')}\n`)).status, 200);
  assert.equal((await measures()).comparison.trend_years.find((t) => t.year === 0).comparison_mean, 115000000);
  // As a funder sees it: a mean over fewer firms than the minimum cell (one applicant here) is withheld.
  const f = (await viewer.get('/api/v1/impact/measures?resamples=50')).json;
  if (f.comparison.suppressed) assert.equal(f.comparison.trend_years, undefined);
  else {
    const hidden = f.comparison.trend_years.find((t) => t.year === 0);
    assert.equal(hidden.comparison_mean, null);
    assert.equal(hidden.suppressed, 'primary');
  }
  // The report draws them (PDF) and lists them.
  const pdf = await coord.get('/api/v1/impact/report?format=pdf&resamples=50');
  assert.equal(pdf.status, 200);
  assert.equal(pdf.headers.get('content-type'), 'application/pdf');
});

test('export sales by the company\'s registration number', async () => {
  const [id, regno] = sql(`SELECT id, registration_number FROM companies WHERE id = ${applicant}`).split('|');
  const r = await csvPost(coord, `registration_number,market,year,currency,amount\n${regno},NO,2017,SEK,10\n`);
  assert.equal(r.status, 200, r.text);
  assert.equal(sql(`SELECT amount_minor FROM impact_export_sales WHERE company_id = ${id} AND year = 2017`), '1000');
});

test('a participant without an entered baseline gets it from the imported sales', async () => {
  const before = (await measures()).total.export_change.n;
  // Take one answering participant's entered baseline away: it drops out ...
  const p = sql("SELECT p.company_id, substr(p.start_date, 1, 4) FROM placements p JOIN orgs o ON o.id = p.org_id "
    + "WHERE o.name = 'ITM Sweden' AND EXISTS (SELECT 1 FROM impact_surveys s WHERE s.placement_id = p.id "
    + "AND s.respondent = 'company' AND s.wave = 'm12' AND s.submitted_at IS NOT NULL) "
    + `AND p.company_id <> ${participant.id} ORDER BY p.id DESC`).split('\n')[0].split('|');
  sql(`DELETE FROM impact_baselines WHERE company_id = ${p[0]}`);
  sql(`DELETE FROM impact_export_sales WHERE company_id = ${p[0]}`);
  const without = (await measures()).total.export_change.n;
  assert.ok(without < before);
  // ... and comes back with its exports of the year before the placement started (by the command).
  const file = `${srv.dir}/sales.csv`;
  writeFileSync(file, `company_id,market,year,currency,amount\n${p[0]},FI,${Number(p[1]) - 1},EUR,150000\n`);
  const cli = runCli(['impact', 'baseline-import', file, '--db', srv.db]);
  assert.equal(cli.status, 0, cli.stderr);
  assert.match(cli.stdout, /1 export-sales row stored/);
  assert.equal((await measures()).total.export_change.n, before);
  writeFileSync(file, 'company_id,market,year,currency,amount\n1,DE,2022,SEK,-1\n');
  const bad = runCli(['impact', 'baseline-import', file, '--db', srv.db]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /row 2, column amount/);
  assert.equal(runCli(['impact', 'baseline-import', '--db', srv.db]).status, 2);
});

test('periphery against metropolitan regions (Eurostat metro regions typology)', async () => {
  const m = await measures('&group=metro');
  const keys = m.groups.map((g) => g.key);
  assert.ok(keys.includes('metropolitan'), keys.join());
  assert.ok(keys.every((k) => ['metropolitan', 'periphery', '(unclassified)'].includes(k)), keys.join());
  assert.equal(m.groups.reduce((s, g) => s + g.placements, 0), m.total.placements);
  const rep = await coord.get('/api/v1/impact/report?format=json&group=metro&resamples=50');
  assert.equal(rep.status, 200, rep.text);
  assert.deepEqual(JSON.parse(rep.text).groups.map((g) => g.key), keys);
  const xlsx = await coord.get('/api/v1/impact/report?format=xlsx&group=metro&resamples=50');
  assert.equal(xlsx.status, 200);
  assertError(await coord.get('/api/v1/impact/measures?group=metropolis'), 400, 'validation_failed', { field: 'group' });
});

test('respondents against non-respondents, before the survey', async () => {
  const m = await measures();
  const { respondents, non_respondents: non } = m.nonresponse;
  assert.equal(respondents.n, m.total.answered);
  assert.equal(respondents.n + non.n, m.total.placements);
  for (const side of [respondents, non]) {
    assert.ok(side.baseline_exports.n <= side.n);
    assert.ok(side.metropolitan.n <= side.n);
    if (side.metropolitan.n) assert.ok(side.metropolitan.share >= 0 && side.metropolitan.share <= 1);
  }
  assert.ok(respondents.baseline_exports.mean > 0);
});

test('learning (L2) and behaviour (L3) from the training records; introductions from the network', async () => {
  const before = (await measures()).total;
  assert.equal(before.learning.n, 0);
  const past = sql("SELECT p.id FROM placements p JOIN orgs o ON o.id = p.org_id WHERE o.name = 'ITM Sweden' "
    + "AND p.end_date < '2025-01-01' AND p.status IN ('signed', 'completed') ORDER BY p.id").split('\n').slice(0, 2).map(Number);
  const levels = [[1, 3, 3], [2, 3, 4]];   // pre, post, mentor
  for (const [i, id] of past.entries()) {
    for (const [k, kind] of ['pre', 'post', 'mentor'].entries())
      sql(`INSERT INTO competency_ratings (org_id, placement_id, competency, kind, level, at) SELECT org_id, id, 'MR-SCREEN', '${kind}', ${levels[i][k]}, '2023-06-01T00:00:00Z' FROM placements WHERE id = ${id}`);
  }
  const t = (await measures()).total;
  assert.equal(t.learning.n, 2);
  assert.equal(t.learning.mean, 1.5);     // (3-1 + 3-2) / 2 levels
  assert.equal(t.behaviour.n, 2);
  assert.equal(t.behaviour.mean, 3.5);
  const intro = (await measures()).introductions;
  assert.equal(typeof intro.n, 'number');
  assert.equal(Object.values(intro.by_state).reduce((s, n) => s + n, 0), intro.n);
  assert.ok(intro.deals_closed <= intro.deals_started && intro.deals_started <= intro.meetings);
});
