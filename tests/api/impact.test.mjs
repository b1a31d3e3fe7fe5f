// impact.test.mjs - impact a funder can trust (issue 14): company baselines
// and programme cost; follow-up surveys mailed with a signed single-use link
// (partial saves, one answer per link, reminders, expiry); bad input named by
// field with nothing stored; the measures with N, response rate, medians and
// seeded intervals, IRIS+ ids, the comparison group and the headline; what a
// funder, a coordinator and a company each see; erasure keeps the aggregates.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, assertError, request, linkToken, runCli, USERS, dbExec } from './lib.mjs';

let srv, coord, coordSi, company, viewer, trainee, companyId, past, pastSi;

before(async () => {
  srv = await startServer({ smtp: true });
  [coord, coordSi, company, viewer, trainee] = await Promise.all([
    login(srv.base, USERS.coordinator.email), login(srv.base, USERS.coordinatorSi.email),
    login(srv.base, USERS.company.email), login(srv.base, USERS.viewer.email), login(srv.base, USERS.trainee.email)]);
  companyId = (await company.get('/api/v1/companies')).json.items[0].id;
  const cohorts = (await coord.get('/api/v1/cohorts?limit=200')).json.items;
  const c2023 = cohorts.find((c) => c.name === 'Cohort 2023 (past)');
  assert.ok(c2023, 'the demo has past cohorts');
  past = (await coord.get(`/api/v1/placements?cohort_id=${c2023.id}&limit=200`)).json.items;
  assert.ok(past.length >= 5);
  const cohortsSi = (await coordSi.get('/api/v1/cohorts?limit=200')).json.items;
  pastSi = (await coordSi.get(`/api/v1/placements?cohort_id=${cohortsSi.find((c) => c.name === 'Cohort 2023 (past)').id}`)).json.items;
});
after(async () => { if (srv) await srv.stop(); });

/** Changes a stored value as time would (sqlite3 or psql: lib.mjs dbExec). */
const sql = (q) => dbExec(srv.db, q);
/** Today's UTC date moved by months and days, as SQLite's date('now', ...) moves it. */
const dayFromNow = (months, days) => {
  const d = new Date();
  d.setUTCMonth(d.getUTCMonth() + months);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

const baseline = (over = {}) => ({
  year: 2023, currency: 'SEK', turnover_minor: 4500000000, employees: 42, fte: 38.5,
  sales: [{ market: 'DE', year: 2022, amount_minor: 120000000 }, { market: 'DE', year: 2023, amount_minor: 150000000 },
    { market: 'NO', year: 2023, amount_minor: 30000000 }],
  ...over,
});

test('a baseline: the coordinator or the company enters it; others cannot read it', async () => {
  const r = await coord.put(`/api/v1/companies/${companyId}/impact-baseline`, baseline());
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.sales.length, 3);
  assert.equal(r.json.fte, 38.5);
  const own = await company.put(`/api/v1/companies/${companyId}/impact-baseline`, baseline({ employees: 43 }));
  assert.equal(own.status, 200, own.text);
  assert.equal((await company.get(`/api/v1/companies/${companyId}/impact-baseline`)).json.employees, 43);
  assertError(await viewer.get(`/api/v1/companies/${companyId}/impact-baseline`), 403, 'forbidden');
  assertError(await coordSi.get(`/api/v1/companies/${companyId}/impact-baseline`), 404, 'not_found');
  const other = past.find((p) => p.company_id !== companyId).company_id;
  assertError(await company.put(`/api/v1/companies/${other}/impact-baseline`, baseline()), 404, 'not_found');
});

test('a bad baseline is refused naming the field, and the stored one stays', async () => {
  const neg = baseline();
  neg.sales[0].amount_minor = -5;
  assertError(await coord.put(`/api/v1/companies/${companyId}/impact-baseline`, neg), 400, 'validation_failed',
    { field: 'sales[0].amount_minor' });
  assertError(await coord.put(`/api/v1/companies/${companyId}/impact-baseline`,
    baseline({ sales: [{ market: 'DE', year: 2019, amount_minor: 1 }] })), 400, 'validation_failed', { field: 'sales[0].year' });
  assertError(await coord.put(`/api/v1/companies/${companyId}/impact-baseline`, baseline({ currency: 'XAF' })),
    422, 'no_exchange_rate', { field: 'currency' });
  assertError(await coord.put(`/api/v1/companies/${companyId}/impact-baseline`, baseline({ employees: -1 })),
    400, 'validation_failed', { field: 'employees' });
  const b = (await coord.get(`/api/v1/companies/${companyId}/impact-baseline`)).json;
  assert.equal(b.employees, 43);
  assert.equal(b.currency, 'SEK');
});

test('programme cost per placement: staff only, money not negative', async () => {
  const p = past[0].id;
  const r = await coord.put(`/api/v1/placements/${p}/impact-cost`,
    { currency: 'SEK', operator_cost_minor: 16000000, company_fee_minor: 3000000, grants_minor: 9000000 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.operator_cost_minor, 16000000);
  assertError(await coord.put(`/api/v1/placements/${p}/impact-cost`,
    { currency: 'SEK', operator_cost_minor: -1, company_fee_minor: 0, grants_minor: 0 }), 400, 'validation_failed',
  { field: 'operator_cost_minor' });
  assertError(await company.put(`/api/v1/placements/${p}/impact-cost`,
    { currency: 'SEK', operator_cost_minor: 1, company_fee_minor: 0, grants_minor: 0 }), 403, 'forbidden');
  assertError(await coordSi.get(`/api/v1/placements/${p}/impact-cost`), 404, 'not_found');
});

const answers = (over = {}) => ({
  export_sales: [{ market: 'DE', amount_minor: 180000000, currency: 'SEK', year: 2023 },
    { market: 'US', amount_minor: 2000000, currency: 'USD', year: 2023 }],
  jobs_created_fte: 1.5, jobs_kept_fte: 2, kept_on: true, attribution_pct: 40, satisfaction: 'exceeded', nps: 9,
  ...over,
});
const answer = (token, a, submit) => request(srv.base, 'POST', '/api/v1/impact-surveys/answer', { token, answers: a, submit });
const open = (token) => request(srv.base, 'POST', '/api/v1/impact-surveys/open', { token });

test('a follow-up survey by mail: no account, partial saves, bad answers named, one answer per link', async () => {
  const p = past[1].id;
  const r = await coord.post(`/api/v1/placements/${p}/impact-surveys`, { respondent: 'company', wave: 'm6', email: 'cfo@example.org' });
  assert.equal(r.status, 201, r.text);
  assertError(await coord.post(`/api/v1/placements/${p}/impact-surveys`, { respondent: 'company', wave: 'm6' }),
    409, 'conflict', { field: 'wave' });
  const token = linkToken(await srv.smtp.waitForMail((m) => m.to.includes('cfo@example.org')), 'impact-survey');

  const o = await open(token);
  assert.equal(o.status, 200, o.text);
  assert.equal(o.json.respondent, 'company');
  assert.deepEqual(o.json.questions.find((q) => q.name === 'nps').range, [0, 10]);

  let s = await answer(token, { nps: 9, attribution_pct: 30 }, false);
  assert.equal(s.status, 200, s.text);
  assert.equal(s.json.status, 'saved');
  assert.deepEqual((await open(token)).json.answers, { nps: 9, attribution_pct: 30 });

  assertError(await answer(token, { nps: 11 }), 400, 'validation_failed', { field: 'answers.nps' });
  assertError(await answer(token, { attribution_pct: 101 }), 400, 'validation_failed', { field: 'answers.attribution_pct' });
  assertError(await answer(token, { satisfaction: 'great' }), 400, 'validation_failed', { field: 'answers.satisfaction' });
  assertError(await answer(token, answers({ export_sales: [{ market: 'DE', amount_minor: -5, currency: 'SEK', year: 2023 }] })),
    400, 'validation_failed', { field: 'answers.export_sales[0].amount_minor' });
  assertError(await answer(token, answers({ export_sales: [{ market: 'DE', amount_minor: 5, currency: 'SEK', year: 2031 }] }), true),
    422, 'no_exchange_rate', { field: 'answers.export_sales[0].currency' });
  assertError(await answer(token, { nps: 9, favourite_colour: 'red' }), 400, 'validation_failed', { field: 'answers.favourite_colour' });
  assertError(await answer(token, { job_status: 'employed' }), 400, 'validation_failed', { message: /job_status/ });
  assertError(await answer(token, { nps: 9 }, true), 400, 'validation_failed', { field: 'answers.export_sales' });
  assert.deepEqual((await open(token)).json.answers, { nps: 9, attribution_pct: 30 }, 'nothing of the refused answers was stored');

  s = await answer(token, answers(), true);
  assert.equal(s.status, 200, s.text);
  assert.equal(s.json.status, 'submitted');
  const audit = (await coord.get('/api/v1/audit?entity=impact_survey&limit=200')).json.items;
  assert.ok(audit.some((e) => e.entity_id === r.json.id && e.changes.answers.new === 'submitted by link'), 'the answer is audited');
  assertError(await answer(token, answers({ nps: 0 }), true), 410, 'link_gone', { field: 'token' });
  assertError(await open(token), 410, 'link_gone', { message: /answered already/ });
  assertError(await open('not-a-token'), 404, 'not_found', { field: 'token' });

  const mine = (await company.get('/api/v1/impact-surveys')).json.items;
  assert.ok(mine.every((x) => x.company_id === companyId && x.respondent === 'company'), 'a company sees its own answers only');
  const all = (await coord.get(`/api/v1/impact-surveys?placement_id=${p}`)).json.items;
  assert.equal(all.find((x) => x.wave === 'm6').answers.nps, 9);
  assertError(await viewer.get('/api/v1/impact-surveys'), 403, 'forbidden');
});

test('the survey mail is in the sender\'s language for a host company (no account): Swedish', async () => {
  assert.equal((await coord.patch('/api/v1/me/settings', { locale: 'sv' })).status, 200);
  try {
    const r = await coord.post(`/api/v1/placements/${past[1].id}/impact-surveys`, { respondent: 'company', wave: 'm24', email: 'vd@example.org' });
    assert.equal(r.status, 201, r.text);
    const mail = dbExec(srv.db, `SELECT subject || '|' || body FROM outbox WHERE to_addr = 'vd@example.org' ORDER BY id DESC LIMIT 1`);
    assert.match(mail, /^Hur gick exportpraktikantprogrammet\? \(två år efter praktiken\)\|Hej,\n\nvi frågar varje värdföretag två år efter praktiken/, mail);
    assert.match(mail, /inget konto behövs.*#\/impact-survey\?token=/s);
    assert.doesNotMatch(mail, /How did|host company/);
  } finally {
    assert.equal((await coord.patch('/api/v1/me/settings', { locale: 'en' })).status, 200);
  }
});

test('an expired link is refused and stores nothing; reminders give a new link', async () => {
  const p = past[2].id;
  assert.equal((await coord.post(`/api/v1/placements/${p}/impact-surveys`,
    { respondent: 'trainee', wave: 'm6', email: 'late.trainee@example.org' })).status, 201);
  const token = linkToken(await srv.smtp.waitForMail((m) => m.to.includes('late.trainee@example.org')), 'impact-survey');
  sql(`UPDATE impact_surveys SET expires_at = 1 WHERE placement_id = ${p} AND wave = 'm6'`);
  assertError(await answer(token, { nps: 8 }), 410, 'link_gone', { message: /expired/ });
  sql(`UPDATE impact_surveys SET sent_at = '2020-01-01T00:00:00Z' WHERE placement_id = ${p} AND wave = 'm6'`);
  const r = await coord.post('/api/v1/impact/remind', { days: 7 });
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.reminded >= 1);
  const mail = await srv.smtp.waitForMail((m) => m.to.includes('late.trainee@example.org') && m.data.includes('Reminder'));
  const fresh = linkToken(mail, 'impact-survey');
  assert.notEqual(fresh, token);
  const s = await answer(fresh, { job_status: 'employed', export_job: true, country: 'DE', satisfaction: 'met', nps: 8 }, true);
  assert.equal(s.status, 200, s.text);
});

test('the schedule: surveys that fall due are sent to the addresses on record, once', async () => {
  const placements = (await coord.get('/api/v1/placements?status=signed&limit=200')).json.items;
  const p = placements[0];
  sql(`UPDATE placements SET end_date = '${dayFromNow(0, -10)}' WHERE id = ${p.id}`);
  const r = await coord.post('/api/v1/impact/remind', { days: 7 });
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.sent >= 1, r.text);
  const ends = (await coord.get(`/api/v1/impact-surveys?placement_id=${p.id}`)).json.items.filter((x) => x.wave === 'end');
  assert.ok(ends.length >= 1 && ends.every((x) => !x.submitted_at));
  const again = await coord.post('/api/v1/impact/remind', { days: 7 });
  assert.equal((await coord.get(`/api/v1/impact-surveys?placement_id=${p.id}`)).json.items.filter((x) => x.wave === 'end').length,
    ends.length, 'sent once');
  assert.equal(again.status, 200);
  // An operator that asks only at the end and after a year gets no 6-month survey.
  assert.equal((await coord.put('/api/v1/orgs/2/impact-settings', { currency: 'SEK', min_cell: 5, waves: ['end', 'm12'] })).status, 200);
  sql(`UPDATE placements SET end_date = '${dayFromNow(-6, -5)}' WHERE id = ${placements[1].id}`);
  await coord.post('/api/v1/impact/remind', { days: 7 });
  assert.equal((await coord.get(`/api/v1/impact-surveys?placement_id=${placements[1].id}`)).json.items.length, 0);
  await coord.put('/api/v1/orgs/2/impact-settings', { currency: 'SEK', min_cell: 5 });
});

test('the measures: N, response rate, medians, seeded intervals, IRIS+ ids, comparison group, headline', async () => {
  const r = await coord.get('/api/v1/impact/measures?resamples=2000');
  assert.equal(r.status, 200, r.text);
  const m = r.json;
  assert.equal(m.currency, 'SEK');
  assert.equal(m.wave, 'm12');
  const t = m.total;
  assert.ok(t.placements > t.answered && t.answered > 0, 'the demo has non-response');
  assert.equal(t.response_rate, t.answered / t.placements);
  assert.ok(t.export_change.n <= t.answered, 'missing answers are not counted as zeros');
  assert.ok(t.export_change.ci_low < t.export_change.mean && t.export_change.mean < t.export_change.ci_high);
  assert.equal(typeof t.export_change.median, 'number');
  assert.equal(t.nps.n, t.satisfaction.n);
  assert.deepEqual(m.iris.map((x) => x.id), ['PI3687', 'PI5691', 'PI4874', 'PI5920']);
  assert.ok(Math.abs(m.iris[2].value - (m.iris[0].value + m.iris[1].value)) < 1e-6, 'PI4874 = PI3687 + PI5691');
  assert.ok(m.comparison.treated > 0 && typeof m.comparison.estimate === 'number', JSON.stringify(m.comparison));
  assert.match(m.headline, new RegExp(`N = ${t.export_change.n} of ${t.placements} placements`));
  assert.match(m.headline, /95% CI/);
  assert.match(m.headline, /matched firms/);
  const again = (await coord.get('/api/v1/impact/measures?resamples=2000')).json;
  assert.deepEqual(again.total.export_change, t.export_change, 'the same seed gives the same interval');
  const other = (await coord.get('/api/v1/impact/measures?resamples=2000&seed=7')).json;
  assert.notDeepEqual(other.total.export_change.ci_low, t.export_change.ci_low);
  const byCohort = (await coord.get('/api/v1/impact/measures?group=cohort&resamples=500')).json;
  assert.deepEqual(byCohort.groups.map((g) => g.key).sort(), ['Cohort 2021 (past)', 'Cohort 2022 (past)', 'Cohort 2023 (past)']);
  assert.equal(byCohort.groups.reduce((s, g) => s + g.answered, 0), t.answered);
  const eur = (await coord.get('/api/v1/impact/measures?currency=EUR&resamples=200')).json;
  assert.equal(eur.currency, 'EUR');
  assert.ok(eur.total.export_change.mean < t.export_change.mean / 5, 'converted at ECB rates');
  assertError(await coord.get('/api/v1/impact/measures?wave=m7'), 400, 'validation_failed', { field: 'wave' });
  assertError(await coord.get('/api/v1/impact/measures?group=planet'), 400, 'validation_failed', { field: 'group' });
  assertError(await coord.get('/api/v1/impact/measures?currency=ZZZ'), 400, 'validation_failed', { field: 'currency' });
  assertError(await coord.get('/api/v1/impact/measures?org_id=3'), 403, 'forbidden', { field: 'org_id' });
});

test('a funder sees suppressed aggregates only; each operator its own; a company no measures', async () => {
  const f = await viewer.get('/api/v1/impact/measures?group=cohort&resamples=500');
  assert.equal(f.status, 200, f.text);
  assert.equal(f.json.suppressed, true);
  const hidden = f.json.groups.filter((g) => g.suppressed);
  assert.ok(hidden.length !== 1, 'never a single suppressed cell that the total would give away');
  for (const g of f.json.groups) {
    if (g.suppressed) assert.deepEqual(Object.keys(g).sort(), ['key', 'suppressed']);
    else assert.ok(g.answered >= 5);
  }
  const staffView = (await coord.get('/api/v1/impact/measures?group=cohort&resamples=500')).json;
  assert.ok(staffView.groups.every((g) => !g.suppressed));
  const preview = (await coord.get('/api/v1/impact/measures?group=cohort&resamples=500&suppress=1')).json;
  assert.deepEqual(preview.groups.map((g) => !!g.suppressed), f.json.groups.map((g) => !!g.suppressed));
  const si = (await coordSi.get('/api/v1/impact/measures?resamples=200')).json;
  assert.equal(si.currency, 'EUR');
  assert.equal(si.total.placements, pastSi.length * 3);
  assertError(await company.get('/api/v1/impact/measures'), 403, 'forbidden');
  assertError(await trainee.get('/api/v1/impact/measures'), 403, 'forbidden');
  // The minimum cell is the operator's, never below 3.
  assertError(await coord.put('/api/v1/orgs/2/impact-settings', { currency: 'SEK', min_cell: 2 }), 400, 'validation_failed',
    { field: 'min_cell' });
  assert.equal((await coord.put('/api/v1/orgs/2/impact-settings', { currency: 'SEK', min_cell: 3 })).status, 200);
  const k3 = (await viewer.get('/api/v1/impact/measures?group=cohort&resamples=200')).json;
  assert.equal(k3.min_cell, 3);
  assert.ok(k3.groups.filter((g) => g.suppressed).length <= hidden.length);
  await coord.put('/api/v1/orgs/2/impact-settings', { currency: 'SEK', min_cell: 5 });
});

test('the comparison group from a register extract: bad rows refused whole', async () => {
  const firm = (over = {}) => ({ ref: 'REG-T-1', source: 'register', nace: '28.13', employees: 30, currency: 'SEK',
    base_year: 2022, baseline_minor: 100000000, followup_minor: 110000000, ...over });
  assertError(await coord.post('/api/v1/impact/comparison', { firms: [firm(), firm({ ref: 'REG-T-2', currency: 'XAF' })] }),
    422, 'no_exchange_rate', { field: 'firms[1].currency' });
  assertError(await coord.post('/api/v1/impact/comparison', { firms: [firm({ baseline_minor: -1 })] }),
    400, 'validation_failed', { field: 'firms[0].baseline_minor' });
  const before = (await coord.get('/api/v1/impact/measures?resamples=200')).json.comparison.comparison_firms;
  const r = await coord.post('/api/v1/impact/comparison', { firms: [firm()] });
  assert.equal(r.status, 200, r.text);
  assert.equal((await coord.get('/api/v1/impact/measures?resamples=200')).json.comparison.comparison_firms, before + 1);
  // The same as a CSV register extract (money in major units), through the API and the command.
  const csv = 'ref,nace,employees,currency,base_year,baseline,followup\r\nREG-C-1,28.13,12,SEK,2022,1250000.50,1300000\r\n'
    + 'REG-C-2,46.69,80,EUR,2021,90000,99000\r\n';
  const c = await coord.post('/api/v1/impact/comparison.csv', csv, { headers: { 'Content-Type': 'text/csv' } });
  assert.equal(c.status, 200, c.text);
  assert.equal(c.json.stored, 2);
  assertError(await coord.post('/api/v1/impact/comparison.csv', 'ref,employees,currency,base_year,baseline,followup\nX,1,SEK,2022,-5,1\n',
    { headers: { 'Content-Type': 'text/csv' } }), 400, 'validation_failed', { field: 'baseline', message: /line 2/ });
  assertError(await coord.post('/api/v1/impact/comparison.csv', 'ref,employees\nX,1\n', { headers: { 'Content-Type': 'text/csv' } }),
    400, 'validation_failed', { field: 'currency' });
  const { writeFileSync } = await import('node:fs');
  const file = `${srv.dir}/register.csv`;
  writeFileSync(file, 'ref,employees,currency,base_year,baseline,followup\nREG-CLI-1,30,SEK,2022,100,110\n');
  const cli = runCli(['impact', 'comparison-import', file, '--db', srv.db, '--operator', 'ITM Sweden']);
  assert.equal(cli.status, 0, cli.stderr);
  assert.match(cli.stdout, /1 comparison firm stored/);
  assert.equal((await coord.get('/api/v1/impact/measures?resamples=200')).json.comparison.comparison_firms, before + 4);
});

test('erasing a trainee keeps the anonymous aggregates', async () => {
  const before = (await coord.get('/api/v1/impact/measures?resamples=200')).json.total.trainees;
  const surveys = (await coord.get('/api/v1/impact-surveys')).json.items;
  const s = surveys.find((x) => x.respondent === 'trainee' && x.wave === 'm12' && x.submitted_at && x.answers.role);
  assert.ok(s, 'a trainee answered the 12-month survey');
  const p = (await coord.get(`/api/v1/placements/${s.placement_id}`)).json;
  const e = await coord.post(`/api/v1/graduates/${p.graduate_id}/erase`);
  assert.ok(e.status === 200 || e.status === 204, e.text);
  const after = (await coord.get('/api/v1/impact/measures?resamples=200')).json.total.trainees;
  assert.deepEqual(after, before);
  const kept = (await coord.get(`/api/v1/impact-surveys?placement_id=${s.placement_id}`)).json.items.find((x) => x.id === s.id);
  assert.equal(kept.answers.role, undefined, 'the free-text role is gone');
  assert.equal(kept.answers.nps, s.answers.nps);
});

test('tradebridge impact report gives the same figures as the API', async () => {
  const api = (await coord.get('/api/v1/impact/measures?resamples=300')).json;
  const r = runCli(['impact', 'report', '--db', srv.db, '--operator', 'ITM Sweden', '--resamples', '300']);
  assert.equal(r.status, 0, r.stderr);
  const cli = JSON.parse(r.stdout);
  assert.equal(cli.headline, api.headline);
  assert.deepEqual(cli.total, api.total);
  const bad = runCli(['impact', 'report', '--db', srv.db, '--operator', 'ITM Sweden', '--format', 'doc']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--format/);
  const none = runCli(['impact', 'report', '--db', srv.db, '--operator', 'No Such Operator']);
  assert.equal(none.status, 1);
});

test('the funder report as PDF, XLSX and JSON through the API, suppressed for a funder', async () => {
  const pdf = await viewer.get('/api/v1/impact/report?format=pdf&group=cohort&resamples=300');
  assert.equal(pdf.status, 200, pdf.text);
  assert.equal(pdf.headers.get('content-type'), 'application/pdf');
  assert.ok(pdf.text.startsWith('%PDF-'));
  const xlsx = await coord.get('/api/v1/impact/report?format=xlsx&resamples=300');
  assert.equal(xlsx.status, 200);
  assert.match(xlsx.headers.get('content-disposition'), /impact-report\.xlsx/);
  assert.ok(xlsx.text.startsWith('PK'));
  const json = await viewer.get('/api/v1/impact/report?format=json&group=cohort&resamples=300');
  assert.equal(json.status, 200);
  assert.equal(JSON.parse(json.text).suppressed, true);
  assertError(await coord.get('/api/v1/impact/report?format=doc'), 400, 'validation_failed', { field: 'format' });
  assertError(await company.get('/api/v1/impact/report'), 403, 'forbidden');
  const r = runCli(['impact', 'report', '--db', srv.db, '--operator', 'ITM Sweden', '--format', 'pdf']);
  assert.equal(r.status, 2, 'a PDF needs --output');
});
