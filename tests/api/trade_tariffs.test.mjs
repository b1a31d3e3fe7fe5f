// trade_tariffs.test.mjs - per-market tariffs entered by a person (issue 13):
// set, list and delete through the API and the command line, for the operator
// or one company; the ranking applies them where present, says so in its
// explanation, and a company's own tariffs stay its own.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, login, assertError, runCli, USERS, ORGS } from './lib.mjs';
import { importTrade } from './trade_lib.mjs';

let srv, coord, company, trainee, coordSi, companyId;

before(async () => {
  srv = await startServer();
  importTrade(srv.db);
  coord = await login(srv.base, USERS.coordinator.email);
  company = await login(srv.base, USERS.company.email);
  trainee = await login(srv.base, USERS.trainee.email);
  coordSi = await login(srv.base, USERS.coordinatorSi.email);
  const c = await company.get('/api/v1/companies?limit=5');
  assert.equal(c.status, 200, c.text);
  companyId = c.json.items[0].id;
});
after(async () => { if (srv) await srv.stop(); });

const usa = (d) => d.markets.find((m) => m.iso3 === 'USA');

test('an operator tariff lowers the potential where it applies and the explanation says so', async () => {
  const rank = '/api/v1/trade/rank?home=VN&product=030617';
  const before = usa((await trainee.get(rank)).json);
  assert.equal(before.tariff, null);
  const r = await coord.post('/api/v1/trade/tariffs', {
    market: 'US', product: '0306', rate_pct: 10, source: 'USITC HTS 2026', as_of: '2026-01-01',
  });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.factor, Math.round(1.1 ** -4 * 1e6) / 1e6);
  const after = await trainee.get(rank);
  assert.equal(after.status, 200, after.text);
  assert.equal(after.json.tariffs, 1);
  const u = usa(after.json);
  assert.equal(u.import_value, before.import_value, 'the raw import figure is not changed');
  assert.ok(Math.abs(u.potential - before.potential * 1.1 ** -4) < 0.01, `${u.potential} vs ${before.potential}`);
  assert.equal(u.tariff.rate_pct, 10);
  assert.equal(u.tariff.source, 'USITC HTS 2026');
  assert.match(u.explanation, /tariff 10% entered \(USITC HTS 2026, 2026-01-01\) lowers the potential by 32%/);
  const chn = after.json.markets.find((m) => m.iso3 === 'CHN');
  assert.equal(chn.tariff, null);
  // the ranking without them, on request
  const none = await trainee.get(`${rank}&tariffs=none`);
  assert.equal(usa(none.json).potential, before.potential);
  assertError(await trainee.get(`${rank}&tariffs=maybe`), 400, 'validation_failed', { field: 'tariffs' });
  // another operator does not see or apply them
  const si = await coordSi.get(rank);
  assert.equal(usa(si.json).tariff, null);
  assert.deepEqual((await coordSi.get('/api/v1/trade/tariffs')).json.items, []);
});

test('a company tariff replaces the operator one for that company only; setting the same key again replaces it', async () => {
  const r = await company.post('/api/v1/trade/tariffs', {
    market: 'US', product: '030617', rate_pct: 0, reference_pct: 5, source: 'Our broker', as_of: '2026-02-01',
  });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.company_id, companyId);
  const mine = usa((await company.get('/api/v1/trade/rank?home=VN&product=030617')).json);
  assert.equal(mine.tariff.source, 'Our broker');
  assert.match(mine.explanation, /raises the potential by 22%/);
  const op = usa((await trainee.get('/api/v1/trade/rank?home=VN&product=030617')).json);
  assert.equal(op.tariff.source, 'USITC HTS 2026');
  const again = await company.post('/api/v1/trade/tariffs', {
    market: 'US', product: '030617', rate_pct: 1, reference_pct: 5, source: 'Our broker', as_of: '2026-03-01',
  });
  assert.equal(again.status, 201, again.text);
  const list = await coord.get('/api/v1/trade/tariffs');
  assert.equal(list.status, 200, list.text);
  assert.deepEqual(list.json.items.map((t) => [t.market, t.product, t.company_id, t.rate_pct]),
    [['US', '0306', null, 10], ['US', '030617', companyId, 1]]);
  // the company cannot remove the operator's
  const opId = list.json.items.find((t) => t.company_id === null).id;
  assertError(await company.del(`/api/v1/trade/tariffs/${opId}`), 404, 'not_found');
  assertError(await trainee.post('/api/v1/trade/tariffs', { market: 'US', product: '03', rate_pct: 1, source: 'x', as_of: '2026-01-01' }), 403, 'forbidden');
});

test('the home country defaults to the company\'s', async () => {
  const r = await company.get('/api/v1/trade/rank?product=030617&limit=3');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.home, 'SWE');
  const c = await coord.get(`/api/v1/trade/rank?product=030617&limit=3&company_id=${companyId}`);
  assert.equal(c.json.home, 'SWE');
  assertError(await coord.get('/api/v1/trade/rank?product=030617'), 400, 'validation_failed', { field: 'home' });
});

test('bad input names the field', async () => {
  const ok = { market: 'US', product: '0306', rate_pct: 10, source: 'S', as_of: '2026-01-01' };
  assertError(await coord.post('/api/v1/trade/tariffs', { ...ok, market: 'XX' }), 400, 'validation_failed', { field: 'market' });
  assertError(await coord.post('/api/v1/trade/tariffs', { ...ok, product: '030' }), 400, 'validation_failed', { field: 'product' });
  assertError(await coord.post('/api/v1/trade/tariffs', { ...ok, rate_pct: -1 }), 400, 'validation_failed', { field: 'rate_pct' });
  assertError(await coord.post('/api/v1/trade/tariffs', { ...ok, as_of: '2026-02-30' }), 400, 'validation_failed', { field: 'as_of' });
  assertError(await coord.post('/api/v1/trade/tariffs', { ...ok, source: undefined }), 400, 'validation_failed', { field: 'source' });
  assertError(await coord.post('/api/v1/trade/tariffs', { ...ok, origin: 'US' }), 400, 'validation_failed', { field: 'origin' });
  assertError(await coord.post('/api/v1/trade/tariffs', { ...ok, company_id: 999999 }), 404, 'not_found', { field: 'company_id' });
});

test('the command line sets, imports and lists tariffs, and trade rank --org applies them', () => {
  const org = String(ORGS.sweden);
  let r = runCli(['trade', 'tariff', 'set', '--db', srv.db, '--org', org, '--market', 'JP', '--product', '030617',
    '--rate', '7.5', '--source', 'Japan tariff schedule', '--date', '2026-04-01', '--origin', 'VN']);
  assert.equal(r.status, 0, r.stderr);
  const csv = join(srv.dir, 'tariffs.csv');
  writeFileSync(csv, 'market,product,rate_pct,source,as_of,reference_pct\nES,0306,12,TARIC,2026-01-01,12\nFR,0306,12,TARIC,2026-01-01,\n');
  r = runCli(['trade', 'tariff', 'import', '--db', srv.db, '--org', org, csv]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /2 tariffs stored/);
  writeFileSync(csv, 'market,product,rate_pct,source,as_of\nDE,0306,5,TARIC,2026-01-01\nDE,0306,abc,TARIC,2026-01-01\n');
  r = runCli(['trade', 'tariff', 'import', '--db', srv.db, '--org', org, csv]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /tariffs\.csv:3: rate_pct/);
  r = runCli(['trade', 'tariff', 'list', '--db', srv.db, '--org', org]);
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /^\d+,DE,/m, 'a failed import stores nothing');
  assert.match(r.stdout, /,JP,030617,VN,7\.5,,4,0\.748801,,"Japan tariff schedule",2026-04-01/);
  r = runCli(['trade', 'tariff', 'set', '--db', srv.db, '--org', org, '--market', 'JP', '--product', '030617',
    '--rate', 'lots', '--source', 'x', '--date', '2026-04-01']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /rate_pct/);
  r = runCli(['trade', 'rank', '--db', srv.db, '--home', 'VN', '--product', '030617', '--org', org,
    '--columns', 'iso3,potential,explanation']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^JPN,[\d.]+,.*tariff 7\.5% entered \(Japan tariff schedule, 2026-04-01\) lowers the potential by 25%/m);
  assert.match(r.stdout, /^ESP,[\d.]+,.*tariff 12% entered \(TARIC, 2026-01-01\), no more than other suppliers pay/m);
  assert.match(r.stdout, /^FRA,[\d.]+,.*tariff 12% entered \(TARIC, 2026-01-01\) lowers the potential by 36%/m);
});
