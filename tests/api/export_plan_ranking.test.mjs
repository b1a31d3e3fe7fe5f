// export_plan_ranking.test.mjs - an export plan's ranking snapshot is the
// server's (issue 13): when a chosen market is saved the server ranks the
// markets itself and keeps what it said, whatever the client sent; a newer
// import shows on the plan as data_changed, and ranking-refresh takes the
// ranking of the data stored now as a new version.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, USERS, runCli } from './lib.mjs';
import { importTrade, tradeData } from './trade_lib.mjs';

let srv, coord, trainee, companyId, id, version;

before(async () => {
  srv = await startServer();
  importTrade(srv.db);
  coord = await login(srv.base, USERS.coordinator.email);
  trainee = await login(srv.base, USERS.trainee.email);
  companyId = (await coord.get('/api/v1/companies?limit=1')).json.items[0].id;
});
after(async () => { if (srv) await srv.stop(); });

const market = (country, over = {}) => ({
  country, product: '030617', rationale: 'Large and we already sell there.', entry_mode: 'distributor',
  incoterm: 'FCA', named_place: 'Ho Chi Minh City', ...over,
});

test('the server ranks the chosen market itself; a snapshot sent by the client is not kept', async () => {
  const r = await coord.post('/api/v1/export-plans', { company_id: companyId, title: 'Shrimp', currency: 'USD', home: 'VN',
    markets: [market('US', { ranking: { rank: 1, of: 1, score: 99.9, explanation: 'made up' } })] });
  assert.equal(r.status, 201, r.text);
  id = r.json.id;
  version = r.json.version;
  const rank = (await trainee.get('/api/v1/trade/rank?home=VN&product=030617')).json;
  const us = rank.markets.find((m) => m.iso3 === 'USA');
  const s = r.json.doc.markets[0].ranking;
  assert.equal(s.computed_by, 'server');
  assert.equal(s.rank, us.rank);
  assert.equal(s.of, rank.count);
  assert.equal(s.score, us.score);
  assert.equal(s.potential, us.potential);
  assert.equal(s.explanation, us.explanation);
  assert.equal(s.home, 'VNM');
  assert.equal(s.years, '2018-2018');
  assert.match(s.data_stamp, /^[0-9a-f]{16}$/);
  assert.equal(s.data_changed, false);
  assert.equal(r.json.doc.ranking_data_changed, 0);
});

test('a market the ranking cannot place is saved with the reason', async () => {
  const p = await coord.get(`/api/v1/export-plans/${id}`);
  const body = { title: 'Shrimp', currency: 'USD', home: 'VN',
    markets: [market('US', { ranking: p.json.doc.markets[0].ranking }), market('DE', { product: '847130' })] };
  const r = await coord.put(`/api/v1/export-plans/${id}`, body, { headers: { 'If-Match': `"v${p.json.version}"` } });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.doc.markets[0].ranking.data_stamp, p.json.doc.markets[0].ranking.data_stamp, 'an unchanged market keeps its snapshot');
  assert.match(r.json.doc.markets[1].ranking.unavailable, /./);
  version = r.json.version;
});

test('a newer import shows on the plan; ranking-refresh takes the new data as a new version', async () => {
  const r0 = runCli(['trade', 'import', '--db', srv.db, '--quiet', `${tradeData}/baci/BACI_HS12_Y2018_shrimp6.csv`]);
  assert.equal(r0.status, 0, r0.stderr);
  const p = await coord.get(`/api/v1/export-plans/${id}`);
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.doc.markets[0].ranking.data_changed, true);
  assert.match(p.json.doc.markets[0].ranking.data_imported_now, /^\d{4}-\d\d-\d\dT/);
  assert.equal(p.json.doc.ranking_data_changed, 1);
  const stale = await coord.post(`/api/v1/export-plans/${id}/ranking-refresh`, {}, { headers: { 'If-Match': '"v1"' } });
  assert.equal(stale.status, 412, stale.text);
  const r = await coord.post(`/api/v1/export-plans/${id}/ranking-refresh`, {}, { headers: { 'If-Match': `"v${version}"` } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.version, version + 1);
  assert.equal(r.json.doc.markets[0].ranking.data_changed, false);
  assert.equal(r.json.doc.ranking_data_changed, 0);
  const v = await coord.get(`/api/v1/export-plans/${id}/versions`);
  assert.equal(v.json.items.at(-1).change, 'ranking');
});
