// market.test.mjs - market selection beyond the ranking itself (issue 13): the
// operator's stored ranking weights and the request's own, the rank of every
// market explained in words, on the real BACI extract in data/trade.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, assertError, runCli, USERS } from './lib.mjs';
import { importTrade } from './trade_lib.mjs';

let srv, trainee, coordinator, coordinatorSi;

before(async () => {
  srv = await startServer();
  importTrade(srv.db);
  trainee = await login(srv.base, USERS.trainee.email);
  coordinator = await login(srv.base, USERS.coordinator.email);
  coordinatorSi = await login(srv.base, USERS.coordinatorSi.email);
});
after(async () => { if (srv) await srv.stop(); });

const RANK = '/api/v1/trade/rank?home=VN&product=030617&limit=400';

test('every market carries its rank explained in words and its percentile per indicator', async () => {
  const r = await trainee.get(RANK);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.weights_source, 'default');
  assert.deepEqual(r.json.weights, { size: 0.25, growth: 0.15, untapped: 0.25, share: 0.05,
    distance: 0.15, concentration: 0.1, gdp_growth: 0.05 });
  const n = r.json.count;
  for (const m of r.json.markets) {
    assert.match(m.rank_explanation, new RegExp(`^rank ${m.rank} of ${n}, score \\d+\\.\\d: `));
    assert.match(m.rank_explanation, /lifted by|held back by|near the middle/);
    assert.equal(Object.keys(m.percentiles).length, 7);
  }
  const first = r.json.markets[0];
  assert.match(first.rank_explanation, /lifted by /);
});

test('real statistics are not synthetic; a demo product without them is answered from the labelled synthetic set', async () => {
  const real = await trainee.get(RANK);
  assert.equal(real.json.synthetic, false);
  assert.match(real.json.sources, /CEPII BACI/);
  const pumps = await trainee.get('/api/v1/trade/rank?home=SE&product=841370');
  assert.equal(pumps.status, 200, pumps.text);
  assert.equal(pumps.json.synthetic, true);
  assert.match(pumps.json.sources, /^SYNTHETIC demonstration data/);
  assert.ok(pumps.json.count > 20);
  const none = await trainee.get('/api/v1/trade/rank?home=SE&product=010121');
  assert.equal(none.json.count, 0);
  assert.equal(none.json.synthetic, false);
});

test('an operator stores its weights; its users rank with them, a request overrides them', async () => {
  const before = await trainee.get(RANK);
  const put = await coordinator.put('/api/v1/trade/weights', { size: 1, growth: 0, untapped: 0, share: 0,
    distance: 0, concentration: 0, gdp_growth: 0 });
  assert.equal(put.status, 200, put.text);
  assert.equal(put.json.source, 'operator');
  assert.equal(put.json.weights.size, 1);
  assert.equal(put.json.defaults.size, 0.25);

  const mine = await trainee.get(RANK);
  assert.equal(mine.json.weights_source, 'operator');
  const byImport = [...mine.json.markets].sort((a, b) => b.import_value - a.import_value);
  assert.equal(mine.json.markets[0].iso3, byImport[0].iso3);
  assert.notDeepEqual(mine.json.markets.slice(0, 5).map((m) => m.iso3),
    before.json.markets.slice(0, 5).map((m) => m.iso3));

  // The other operator keeps the defaults.
  const si = await coordinatorSi.get(RANK);
  assert.equal(si.json.weights_source, 'default');
  // The request's own weights apply over the operator's.
  const own = await trainee.get(`${RANK}&weights=${encodeURIComponent('size=0,distance=1')}`);
  assert.equal(own.json.weights_source, 'request');
  assert.equal(own.json.weights.size, 0);
  assert.equal(own.json.weights.distance, 1);
  assert.equal(own.json.weights.growth, 0, 'unnamed weights stay the operator\'s');

  // Back to the defaults.
  const reset = await coordinator.put('/api/v1/trade/weights', {});
  assert.equal(reset.status, 200, reset.text);
  const back = await coordinator.get('/api/v1/trade/weights');
  assert.equal(back.json.weights.size, 0.25);
  const audit = await coordinator.get('/api/v1/audit?entity=trade_settings');
  assert.equal(audit.status, 200, audit.text);
  assert.ok(audit.json.items.length >= 2);
});

test('bad weights name the field; only staff store them', async () => {
  assertError(await coordinator.put('/api/v1/trade/weights', { size: -1 }), 400, 'validation_failed', { field: 'size' });
  assertError(await coordinator.put('/api/v1/trade/weights', { nearness: 1 }), 400, 'validation_failed', { field: 'nearness' });
  assertError(await coordinator.put('/api/v1/trade/weights', { size: 'big' }), 400, 'validation_failed', { field: 'size' });
  assertError(await coordinator.put('/api/v1/trade/weights', { size: 0, growth: 0, untapped: 0, share: 0,
    distance: 0, concentration: 0, gdp_growth: 0 }), 400, 'validation_failed', { field: 'weights' });
  assertError(await trainee.get(`${RANK}&weights=size%3D0,growth%3D0,untapped%3D0,share%3D0,distance%3D0,concentration%3D0,gdp_growth%3D0`),
    400, 'validation_failed', { field: 'weights' });
  assert.equal((await trainee.put('/api/v1/trade/weights', { size: 1 })).status, 403);
});

test('tradebridge fx import: either ECB layout; a bad line stops with FILE:LINE and nothing stored', async () => {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(`${tmpdir()}/tb-fx-`);
  const good = `${dir}/eurofxref.csv`;
  writeFileSync(good, 'Date, USD, JPY, SEK, \n14 October 2024, 1.0910, 162.80, 11.3900, \n');
  const ok = runCli(['fx', 'import', '--db', srv.db, good]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /to 2024-10-14/);
  const rate = runCli(['fx', 'rate', '--db', srv.db, '--from', 'SEK', '--to', 'USD', '--date', '2024-10-14']);
  assert.equal(rate.status, 0, rate.stderr);
  assert.match(rate.stdout, /^1 SEK = 0\.095786 USD on 2024-10-14/);
  const bad = `${dir}/bad.csv`;
  writeFileSync(bad, 'Date,USD\n2024-10-15,1.09\n2024-10-16,abc\n');
  const r = runCli(['fx', 'import', '--db', srv.db, bad]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /bad\.csv:3: USD rate 'abc' is not a positive number/);
  const none = runCli(['fx', 'rate', '--db', srv.db, '--from', 'EUR', '--to', 'USD', '--date', '2024-10-15']);
  assert.equal(none.status, 0, 'the 15th falls back to the 14th: the bad file stored nothing');
  assert.match(none.stdout, /= 1\.091000 USD/);
  const vnd = runCli(['fx', 'rate', '--db', srv.db, '--from', 'EUR', '--to', 'VND', '--date', '2024-10-14']);
  assert.equal(vnd.status, 1);
  assert.match(vnd.stderr, /no reference rate for VND/);
});
