// trade.test.mjs - GET /api/v1/trade/rank (issue 13): the market ranking of
// `tradebridge trade rank` for a signed-in user, on the real BACI extract in
// data/trade imported into the test server's database; bad parameters are a
// 400 naming the field; no data for the years is a 404; anonymous is a 401.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, login, request, assertError, runCli, USERS } from './lib.mjs';

const data = resolve(dirname(fileURLToPath(import.meta.url)), '../../data/trade');
let srv, trainee;

before(async () => {
  srv = await startServer();
  for (const args of [
    ['trade', 'import', '--db', srv.db, '--quiet', `${data}/baci/BACI_HS12_Y2018_shrimp6.csv`],
    ['trade', 'import-geo', '--db', srv.db, `${data}/cepii/dist_cepii.csv.gz`],
    ['trade', 'import-wdi', '--db', srv.db, '--gdp', `${data}/worldbank/gdp.csv.gz`,
      '--population', `${data}/worldbank/population.csv.gz`],
  ]) {
    const r = runCli(args);
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
  }
  trainee = await login(srv.base, USERS.trainee.email);
});
after(async () => { if (srv) await srv.stop(); });

test('a trainee ranks the markets for Viet Nam and frozen shrimp, with raw figures and reasons', async () => {
  const r = await trainee.get('/api/v1/trade/rank?home=VN&product=030617&sort=import_value&limit=5');
  assert.equal(r.status, 200, r.text);
  const d = r.json;
  assert.equal(d.home, 'VNM');
  assert.equal(d.revision, 'HS12');
  assert.deepEqual(d.years, [2018, 2018]);
  assert.equal(d.count, 211);
  assert.deepEqual(d.markets.map((m) => m.iso3), ['USA', 'CHN', 'JPN', 'ESP', 'FRA']);
  const usa = d.markets[0];
  assert.equal(usa.import_value, 4669097.935);
  assert.equal(usa.home_exports, 265883.077);
  assert.equal(usa.home_share, 0.056945);
  assert.equal(usa.suppliers, 62);
  assert.equal(usa.hhi, 0.249768);
  assert.equal(usa.distw_km, 13715.75);
  assert.equal(usa.potential, 334586.595);
  assert.equal(usa.untapped, 68703.518);
  assert.equal(usa.ease, 0.614886);
  assert.equal(usa.import_cagr, null);
  assert.match(usa.explanation, /^large demand, you already hold 5\.7%/);
  assert.ok(usa.score > 0 && usa.score <= 100);
});

test('weights change the order; per_product gives one row per HS6', async () => {
  const w = 'size=1,growth=0,untapped=0,share=0,distance=0,concentration=0,gdp_growth=0';
  const r = await trainee.get(`/api/v1/trade/rank?home=VNM&product=0306&weights=${encodeURIComponent(w)}&limit=3`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.markets.map((m) => m.rank), [1, 2, 3]);
  assert.ok(r.json.markets[0].import_value >= r.json.markets[1].import_value);
  const p = await trainee.get('/api/v1/trade/rank?home=VNM&product=160521,160529&per_product=1&sort=untapped&limit=2');
  assert.equal(p.status, 200, p.text);
  assert.deepEqual(p.json.markets.map((m) => [m.iso3, m.hs6]), [['GBR', '160521'], ['KOR', '160521']]);
});

test('bad parameters name the field; no data is a 404; anonymous is a 401', async () => {
  assertError(await trainee.get('/api/v1/trade/rank?home=Vietnam&product=030617'), 400, 'validation_failed', { field: 'home' });
  assertError(await trainee.get('/api/v1/trade/rank?home=VN&product=03x'), 400, 'validation_failed', { field: 'product' });
  assertError(await trainee.get('/api/v1/trade/rank?home=VN'), 400, 'validation_failed', { field: 'product' });
  assertError(await trainee.get('/api/v1/trade/rank?home=VN&product=0306&years=2020-2019'), 400, 'validation_failed', { field: 'years' });
  assertError(await trainee.get('/api/v1/trade/rank?home=VN&product=0306&weights=colour%3D1'), 400, 'validation_failed', { field: 'weights' });
  assertError(await trainee.get('/api/v1/trade/rank?home=VN&product=0306&sort=name'), 400, 'validation_failed', { field: 'sort' });
  assertError(await trainee.get('/api/v1/trade/rank?home=VN&product=0306&limit=0'), 400, 'validation_failed', { field: 'limit' });
  assertError(await trainee.get('/api/v1/trade/rank?home=VN&product=0306&ease=guess'), 400, 'validation_failed', { field: 'ease' });
  assertError(await trainee.get('/api/v1/trade/rank?home=VN&product=0306&years=2021'), 404, 'not_found');
  assertError(await trainee.get('/api/v1/trade/rank?home=ZZ&product=0306'), 404, 'not_found');
  const anon = await request(srv.base, 'GET', '/api/v1/trade/rank?home=VN&product=0306');
  assert.equal(anon.status, 401);
});
