// API tests: match runs that take candidates from the operator's whole pool
// (source "pool"): suggestions beside applications, shortlists with reasons,
// "why not" for everyone, approval creating offered applications with a mail
// to the graduate, stale runs refused as a whole, bad input answered clearly.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, login, expect, expectError, mkCompany, mkCohort, mkGraduate, mkOpenPosition, inviteAndLogin, USERS, uniq,
} from './programme_lib.mjs';

let srv, coord;
const consent = { purpose: 'Recruitment for the export trainee programme', text_version: '2026-01' };

before(async () => {
  srv = await startServer();
  coord = await login(srv.base, USERS.coord);
});
after(async () => { await srv.stop(); });

async function graduate(level, { consents = true, ...extra } = {}) {
  const g = await mkGraduate(coord, {
    email: `${uniq('g')}@example.org`, residence: 'SE', field: '0413',
    languages: [{ code: 'sv', level: 'native' }, { code: 'is', level }], ...extra,
  });
  if (consents) expect(await coord.post(`/api/v1/graduates/${g.id}/consent`, consent), 200, 'consent');
  return g;
}

// Two open positions asking for Icelandic (which no demo graduate speaks), one
// application only: the rest of the pool must be found by the run itself.
async function icelandicCohort() {
  const company = await mkCompany(coord, { nace: '28.13', legal_name: uniq('Nordic Pumps') });
  const cohort = await mkCohort(coord);
  const p1 = await mkOpenPosition(coord, company.id, {
    cohort_id: cohort.id, places: 1, title: 'Export assistant', target_markets: ['IS'], location_country: 'SE',
    languages: [{ code: 'is', min_level: 'B2' }], fields: ['0413'],
  });
  const p2 = await mkOpenPosition(coord, company.id, {
    cohort_id: cohort.id, places: 1, title: 'Market analyst', target_markets: ['IS'], location_country: 'SE',
    languages: [{ code: 'is', min_level: 'B1' }], fields: ['0311'],
  });
  const applicant = await graduate('C2', { countries: [{ country: 'IS', months: 12, kind: 'studied' }] });
  const pooled = await graduate('C1');
  const weak = await graduate('A2');
  const silent = await graduate('C2', { consents: false });
  const app = expect(await coord.post('/api/v1/applications', { position_id: p1.id, graduate_id: applicant.id }), 201);
  return { company, cohort, p1, p2, applicant, pooled, weak, silent, app };
}

const explanation = (run, g) => run.result.graduates.find((x) => x.graduate_id === g.id)?.explanation ?? '';

test('a pool run suggests graduates who never applied, with shortlists and reasons, and approval offers them', async () => {
  const c = await icelandicCohort();
  const run = expect(await coord.post('/api/v1/match-runs', { cohort_id: c.cohort.id, engine: 'assign', source: 'pool' }), 201);
  assert.equal(run.result.summary.source, 'pool');
  const pairs = run.result.pairs;
  assert.equal(pairs.length, 2, 'both positions filled from the pool');
  const byGrad = Object.fromEntries(pairs.map((p) => [p.graduate_id, p]));
  assert.ok(byGrad[c.applicant.id] && byGrad[c.pooled.id], 'the applicant and the pooled graduate are proposed');
  const suggestion = pairs.find((p) => p.source === 'suggestion');
  assert.ok(suggestion, 'at least one proposal is a suggestion');
  assert.equal(suggestion.application_id, 0);
  assert.ok(suggestion.reasons.length > 0, 'a suggestion says why');
  assert.equal(suggestion.graduate_name.length > 0, true);
  // shortlists: each position lists its candidates best first, with reasons
  const list = run.result.shortlists.find((s) => s.position_id === c.p1.id);
  assert.ok(list.shortlist.length >= 2);
  assert.equal(list.shortlist[0].rank, 1);
  assert.ok(list.shortlist[0].score >= list.shortlist[1].score);
  assert.ok(list.shortlist.every((x) => x.reasons.length > 0 && ['application', 'suggestion'].includes(x.source)));
  // why not, in words
  assert.match(explanation(run, c.weak), /Icelandic A2 against required B/);
  assert.match(explanation(run, c.silent), /no consent/);

  const approved = expect(await coord.post(`/api/v1/match-runs/${run.id}/approve`, {}), 200);
  assert.equal(approved.status, 'approved');
  const apps = expect(await coord.get(`/api/v1/applications?graduate_id=${suggestion.graduate_id}`), 200).items;
  const created = apps.find((a) => a.position_id === suggestion.position_id);
  assert.ok(created, 'the suggestion became an application');
  assert.equal(created.stage, 'offered');
  const sugg = suggestion.graduate_id === c.pooled.id ? c.pooled : c.applicant;
  const mail = await srv.smtp.waitFor(sugg.email, /Proposed for/);
  assert.match(mail.text, /accept or decline/);

  // the graduate sees why the position was suggested, on their application
  const trainee = await inviteAndLogin(srv, coord, { email: `${uniq('t')}@example.org`, name: 'Trainee',
    role: 'trainee', subject_type: 'graduate', subject_id: sugg.id });
  const mine = expect(await trainee.get(`/api/v1/applications/${created.id}`), 200);
  assert.match(mine.notes, /suggested from the pool because .*Required languages: Icelandic/);
  // ... and may decline it like any offer
  const declined = expect(await trainee.post(`/api/v1/applications/${created.id}/stage`,
    { stage: 'declined', version: mine.version }), 200);
  assert.equal(declined.stage, 'declined');

  // the company sees its position's shortlist with reasons; another company does not
  const owner = await inviteAndLogin(srv, coord, { email: `${uniq('co')}@example.org`, name: 'Owner',
    role: 'company', subject_type: 'company', subject_id: c.company.id });
  const sl = expect(await owner.get(`/api/v1/positions/${c.p1.id}/shortlist`), 200);
  assert.equal(sl.run_id, run.id);
  assert.ok(sl.shortlist.length >= 2 && sl.shortlist.every((x) => x.name && x.reasons.length > 0));
  const other = await mkCompany(coord);
  const stranger = await inviteAndLogin(srv, coord, { email: `${uniq('co')}@example.org`, name: 'Stranger',
    role: 'company', subject_type: 'company', subject_id: other.id });
  expectError(await stranger.get(`/api/v1/positions/${c.p1.id}/shortlist`), 404);
});

test('a run is refused as a whole when its cohort changed since, and nothing is offered', async () => {
  const c = await icelandicCohort();
  const run = expect(await coord.post('/api/v1/match-runs', { cohort_id: c.cohort.id, engine: 'stable', source: 'pool' }), 201);
  assert.ok(run.result.pairs.length >= 1);
  const cohort = expect(await coord.get(`/api/v1/cohorts/${c.cohort.id}`), 200);
  expect(await coord.patch(`/api/v1/cohorts/${c.cohort.id}`, { name: uniq('Renamed'), version: cohort.version }), 200);
  expectError(await coord.post(`/api/v1/match-runs/${run.id}/approve`, {}), 409, { code: 'stale_run' });
  const app = expect(await coord.get(`/api/v1/applications/${c.app.id}`), 200);
  assert.equal(app.stage, 'applied', 'the application was not moved');
  const apps = expect(await coord.get(`/api/v1/applications?graduate_id=${c.pooled.id}`), 200).items;
  assert.equal(apps.length, 0, 'no suggestion became an application');
  const again = expect(await coord.get(`/api/v1/match-runs/${run.id}`), 200);
  assert.equal(again.status, 'proposed');
});

test('bad input: unknown source, weights all zero', async () => {
  const c = await icelandicCohort();
  expectError(await coord.post('/api/v1/match-runs', { cohort_id: c.cohort.id, engine: 'assign', source: 'everyone' }),
    400, { field: 'source' });
  const zero = { languages: 0, market_languages: 0, market_experience: 0, field: 0, sector: 0, location: 0, availability: 0 };
  expectError(await coord.put('/api/v1/match-weights', zero), 400, { field: 'weights' });
});

test('the suggestion mail is in the trainee\'s language, else the approving coordinator\'s: Swedish', async () => {
  expect(await coord.patch('/api/v1/me/settings', { locale: 'sv' }), 200, 'the coordinator reads Swedish');
  try {
    const c = await icelandicCohort();
    const run = expect(await coord.post('/api/v1/match-runs', { cohort_id: c.cohort.id, engine: 'assign', source: 'pool' }), 201);
    const suggestion = run.result.pairs.find((p) => p.source === 'suggestion');
    assert.ok(suggestion, 'a suggestion');
    expect(await coord.post(`/api/v1/match-runs/${run.id}/approve`, {}), 200);
    const email = expect(await coord.get(`/api/v1/graduates/${suggestion.graduate_id}`), 200).email;
    const mail = await srv.smtp.waitFor(email, /föreslår dig för tjänsten/);
    assert.match(mail.text, /Hej .*,/);
    assert.match(mail.text, /poäng av 100/);
    assert.match(mail.text, /Varför du föreslås:\r?\n- Språk som krävs: Icelandic/);
    assert.match(mail.text, /tacka ja eller nej till erbjudandet/);
    assert.doesNotMatch(mail.text, /Proposed for|accept or decline|Required languages/);
  } finally {
    expect(await coord.patch('/api/v1/me/settings', { locale: 'en' }), 200, 'back to English');
  }
});

