// export_plans.test.mjs - the export plan as a living record (issue 13): markets
// with their ranking snapshot and rationale, entry mode, Incoterms rule and
// price, targets per quarter; actuals entered by the company (JSON or CSV)
// and compared with the targets in one currency at ECB rates; every change a
// version (If-Match), versions compared; PDF and XLSX; roles; bad input named
// by field with nothing stored.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, login, assertError, USERS } from './lib.mjs';

let activeSe, activeSi;
let srv, coord, coordSi, company, trainee, viewer, companyId, placement;

before(async () => {
  srv = await startServer();
  [coord, coordSi, company, trainee, viewer] = await Promise.all([
    login(srv.base, USERS.coordinator.email), login(srv.base, USERS.coordinatorSi.email),
    login(srv.base, USERS.company.email), login(srv.base, USERS.trainee.email), login(srv.base, USERS.viewer.email)]);
  const c = await company.get('/api/v1/companies');
  assert.equal(c.status, 200, c.text);
  companyId = c.json.items[0].id;
  const p = await trainee.get('/api/v1/placements');
  placement = p.json && p.json.items[0];
  activeSe = (await viewer.get('/api/v1/export-plan-counts')).json.export_plans.active;
  activeSi = (await coordSi.get('/api/v1/export-plan-counts')).json.export_plans.active;
});
after(async () => { if (srv) await srv.stop(); });

const market = (over = {}) => ({
  country: 'DE', product: '030617', rationale: 'Largest EU importer, we sell there already.',
  ranking: { rank: 3, of: 211, score: 71.4, import_value: 1234567.5, home_share: 0.012, untapped: 2345.6,
    rank_explanation: 'rank 3 of 211, score 71.4: lifted by import size (top 2%)', explanation: 'large demand' },
  entry_mode: 'distributor', incoterm: 'CIF', named_place: 'Hamburg',
  channel_partners: 'Nordsee Import GmbH (talks)',
  price: { currency: 'EUR', unit: 'kg', ex_works_minor: 1000, lines: [
    { label: 'Export clearance', stage: 'export_clearance', amount_minor: 20 },
    { label: 'Truck to Gothenburg', stage: 'pre_carriage', amount_minor: 30 },
    { label: 'Sea freight', stage: 'main_carriage', amount_minor: 50 },
    { label: 'Cargo insurance', stage: 'insurance', amount_minor: 5 },
    { label: 'German import duty', stage: 'duties', amount_minor: 80 }] },
  targets: [{ quarter: '2024-Q1', amount_minor: 10000000 }, { quarter: '2024-Q2', amount_minor: 12000000 }],
  ...over,
});
const plan = (over = {}) => ({
  company_id: companyId, title: 'Frozen shrimp to Europe', currency: 'EUR',
  markets: [market(), market({ country: 'US', incoterm: 'DDP', named_place: 'Chicago warehouse', entry_mode: 'agent',
    targets: [{ quarter: '2024-Q2', amount_minor: 5000000 }] })],
  budget: [{ label: 'Trade fair Seafood Expo', amount_minor: 4500000 }],
  milestones: [{ title: 'First distributor meeting', owner: 'Sofia Andersson', due: '2024-03-15', done: true }],
  ...over,
});

let id;

test('a coordinator writes a plan: price from ex works to the Incoterms rule, version 1, audited', async () => {
  const r = await coord.post('/api/v1/export-plans', plan());
  assert.equal(r.status, 201, r.text);
  id = r.json.id;
  assert.equal(r.headers.get('location'), `/api/v1/export-plans/${id}`);
  assert.equal(r.json.version, 1);
  assert.equal(r.json.status, 'draft');
  const de = r.json.doc.markets[0].price_at_rule;
  assert.equal(de.rule, 'CIF');
  assert.equal(de.price_minor, 1000 + 20 + 30 + 50 + 5, 'CIF: the seller pays carriage and insurance, not duties');
  assert.deepEqual(de.buyer_pays.map((l) => l.stage), ['duties']);
  assert.equal(r.json.doc.markets[1].price_at_rule.price_minor, 1185, 'DDP: everything, duties included');
  assert.equal(r.json.doc.markets[0].targets_total_minor, 22000000);
  const v = await coord.get(`/api/v1/export-plans/${id}/versions`);
  assert.deepEqual(v.json.items.map((x) => [x.version, x.change]), [[1, 'created']]);
  const a = await coord.get(`/api/v1/audit?entity=export_plan&entity_id=${id}`);
  assert.equal(a.json.items.length, 1);
});

test('the company enters actuals; plan against actual in one currency at ECB quarterly averages', async () => {
  assert.equal((await company.put(`/api/v1/export-plans/${id}`, plan())).status, 403);
  const r = await company.post(`/api/v1/export-plans/${id}/actuals`, { actuals: [
    { market: 'DE', quarter: '2024-Q1', currency: 'SEK', amount_minor: 110000000 },
    { market: 'US', quarter: '2024-Q2', currency: 'USD', amount_minor: 6000000 }] },
  { headers: { 'If-Match': '"v1"' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.version, 2);
  const p = await company.get(`/api/v1/export-plans/${id}/progress`);
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.currency, 'EUR');
  assert.deepEqual(p.json.quarters, ['2024-Q1', '2024-Q2']);
  const fx = await company.get('/api/v1/fx?from=SEK&to=EUR&year=2024&quarter=1');
  assert.equal(fx.status, 200, fx.text);
  const de = p.json.markets[0].rows[0];
  assert.equal(de.target_minor, 10000000);
  assert.equal(de.actual_minor, Math.round(110000000 * fx.json.rate));
  assert.equal(de.variance_minor, de.actual_minor - de.target_minor);
  assert.equal(p.json.markets[0].rows[1].actual_minor, null, 'no actual entered yet');
  // In another currency: the targets are converted too.
  const usd = await company.get(`/api/v1/export-plans/${id}/progress?currency=USD`);
  assert.equal(usd.status, 200, usd.text);
  assert.equal(usd.json.markets[1].rows[1].actual_minor, 6000000);
  // Same market, quarter and currency again replaces the figure.
  const again = await company.post(`/api/v1/export-plans/${id}/actuals`, { version: 2, actuals: [
    { market: 'DE', quarter: '2024-Q1', currency: 'SEK', amount_minor: 120000000 }] });
  assert.equal(again.status, 200, again.text);
  assert.equal(again.json.doc.actuals.length, 2);
});

test('actuals as CSV; a bad line is named and nothing is stored', async () => {
  const csv = (body) => company.send('POST', `/api/v1/export-plans/${id}/actuals.csv`, body,
    { headers: { 'Content-Type': 'text/csv', 'If-Match': '"v3"' } });
  const bad = await csv('market,quarter,currency,amount\nDE,2024-Q2,SEK,12.345\n');
  assertError(bad, 400, 'validation_failed', { field: 'amount', message: /line 2: amount/ });
  const ok = await csv('market,quarter,currency,amount\r\nDE,2024-Q2,SEK,1500000.50\r\nUS,2024-Q1,USD,1000\r\n');
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.version, 4);
  const de = ok.json.doc.actuals.find((a) => a.quarter === '2024-Q2' && a.market === 'DE');
  assert.equal(de.amount_minor, 150000050);
});

test('every change is a version; versions compare; a stale If-Match is a 412', async () => {
  const body = plan({ status: 'active' });
  body.markets[0].incoterm = 'FOB';
  delete body.company_id;
  assertError(await trainee.put(`/api/v1/export-plans/${id}`, body, { headers: { 'If-Match': '"v4"' } }), 404, 'not_found');
  const r = await coord.put(`/api/v1/export-plans/${id}`, body, { headers: { 'If-Match': '"v4"' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.version, 5);
  assert.equal(r.json.doc.actuals.length, 4, 'editing the plan keeps the actuals');
  assert.equal(r.json.doc.markets[0].price_at_rule.price_minor, 1050, 'FOB: clearance and pre-carriage only');
  const stale = await coord.put(`/api/v1/export-plans/${id}`, body, { headers: { 'If-Match': '"v4"' } });
  assertError(stale, 412, 'version_mismatch');
  const d = await coord.get(`/api/v1/export-plans/${id}/diff?from=4&to=5`);
  assert.equal(d.status, 200, d.text);
  const paths = d.json.changes.map((c) => c.path);
  assert.ok(paths.includes('markets[0].incoterm'), paths.join(' '));
  assert.ok(paths.includes('status'));
  assert.deepEqual(d.json.changes.find((c) => c.path === 'markets[0].incoterm'), { path: 'markets[0].incoterm', old: 'CIF', new: 'FOB' });
  const v1 = await company.get(`/api/v1/export-plans/${id}/versions/1`);
  assert.equal(v1.status, 200, v1.text);
  assert.equal(v1.json.doc.markets[0].incoterm, 'CIF');
  const list = await coord.get(`/api/v1/export-plans/${id}/versions`);
  assert.deepEqual(list.json.items.map((x) => x.change), ['created', 'actuals', 'actuals', 'actuals', 'updated']);
});

test('PDF (with the chart) and XLSX exports', async () => {
  const pdf = await company.get(`/api/v1/export-plans/${id}/plan.pdf`);
  assert.equal(pdf.status, 200);
  assert.equal(pdf.headers.get('content-type'), 'application/pdf');
  assert.ok(pdf.text.startsWith('%PDF-'));
  const x = await company.send('GET', `/api/v1/export-plans/${id}/plan.xlsx`);
  assert.equal(x.status, 200);
  assert.match(x.headers.get('content-type'), /spreadsheetml/);
  assert.ok(x.text.startsWith('PK'));
});

test('roles: the other operator does not see it, a funder only counts, a trainee writes for their placement', async () => {
  assertError(await coordSi.get(`/api/v1/export-plans/${id}`), 404, 'not_found');
  assert.equal((await viewer.get('/api/v1/export-plans')).status, 403);
  const counts = await viewer.get('/api/v1/export-plan-counts');
  assert.equal(counts.status, 200, counts.text);
  assert.equal(counts.json.export_plans.active, activeSe + 1, 'the demo\'s and this one');
  assert.equal((await coordSi.get('/api/v1/export-plan-counts')).json.export_plans.active, activeSi);
  const mine = await company.all('/api/v1/export-plans', 50);
  assert.ok(mine.some((p) => p.id === id));
  assert.ok(mine.every((p) => p.company_id === companyId), 'a company sees its own plans only');
  const all = await coord.all('/api/v1/export-plans', 50);
  assert.ok(all.length > mine.length);
  assertError(await trainee.post('/api/v1/export-plans', plan()), 400, 'validation_failed', { field: 'placement_id' });
  if (placement) {
    const body = plan({ placement_id: placement.id });
    delete body.company_id;
    const t = await trainee.post('/api/v1/export-plans', body);
    assert.equal(t.status, 201, t.text);
    assert.equal(t.json.placement_id, placement.id);
    assert.equal((await trainee.get(`/api/v1/export-plans/${t.json.id}`)).status, 200);
  }
});

test('bad input names the field and stores nothing', async () => {
  const cases = [
    [plan({ markets: [market({ country: 'XX' })] }), 'markets[0].country'],
    [plan({ markets: [market({ incoterm: 'FOO' })] }), 'markets[0].incoterm'],
    [plan({ markets: [market({ incoterm: 'DAT' })] }), 'markets[0].incoterm'],
    [plan({ markets: [market({ entry_mode: 'franchise' })] }), 'markets[0].entry_mode'],
    [plan({ markets: [market({ targets: [{ quarter: '2024-Q1', amount_minor: -5 }] })] }), 'markets[0].targets[0].amount_minor'],
    [plan({ markets: [market({ targets: [{ quarter: '2024-Q1', amount_minor: 1e16 }] })] }), 'markets[0].targets[0].amount_minor'],
    [plan({ markets: [market({ targets: [{ quarter: '2024-Q5', amount_minor: 5 }] })] }), 'markets[0].targets[0].quarter'],
    [plan({ markets: [market(), market()] }), 'markets[1].country'],
    [plan({ currency: 'EUROS' }), 'currency'],
    [plan({ markets: [market({ price: { currency: 'EUR', ex_works_minor: 5, lines: [{ label: 'x', stage: 'main_carriage', amount_minor: 1, currency: 'USD' }] } })] }),
      'markets[0].price.lines[0].currency'],
    [plan({ markets: [market({ ranking: { score: 250 } })] }), 'markets[0].ranking.score'],
  ];
  const before = await coord.get('/api/v1/export-plan-counts');
  for (const [body, field] of cases) {
    assertError(await coord.post('/api/v1/export-plans', body), 400, 'validation_failed', { field });
  }
  const after = await coord.get('/api/v1/export-plan-counts');
  assert.deepEqual(after.json, before.json);

  const cur = await coord.get(`/api/v1/export-plans/${id}`);
  const v = cur.json.version;
  const post = (actuals) => company.post(`/api/v1/export-plans/${id}/actuals`, { version: v, actuals });
  const noRate = await post([{ market: 'DE', quarter: '2024-Q3', currency: 'VND', amount_minor: 5 }]);
  assertError(noRate, 422, 'no_exchange_rate', { field: 'actuals[4].currency', message: /VND in 2024-Q3/ });
  const future = await post([{ market: 'DE', quarter: '2030-Q1', currency: 'SEK', amount_minor: 5 }]);
  assertError(future, 422, 'no_exchange_rate');
  assertError(await post([{ market: 'FR', quarter: '2024-Q3', currency: 'EUR', amount_minor: 5 }]), 400,
    'validation_failed', { field: 'actuals[4].market' });
  assertError(await post([{ market: 'DE', quarter: '2024-Q3', currency: 'EUR', amount_minor: -1 }]), 400,
    'validation_failed', { field: 'actuals[0].amount_minor' });
  const now = await coord.get(`/api/v1/export-plans/${id}`);
  assert.equal(now.json.version, v, 'nothing stored');
  assertError(await coord.get(`/api/v1/export-plans/${id}/progress?currency=XYZ`), 400, 'validation_failed', { field: 'currency' });
  assertError(await coord.get('/api/v1/fx?from=SEK&to=VND&date=2024-10-11'), 422, 'no_exchange_rate');
});

test('channel partners: a contact of the operator\'s network directory by id, or free text; another operator\'s is refused', async () => {
  const contact = (name, organisation, over = {}) => ({ kind: 'person', category: 'distributor', name, organisation,
    email: `${name.split(' ')[0].toLowerCase()}.plan@example.org`, country: 'DE', visibility: 'shared',
    legal_basis: 'legitimate_interest', ...over });
  const own = await coord.post('/api/v1/contacts', contact('Jonas Wendt', 'Nordsee Import GmbH'));
  assert.equal(own.status, 201, own.text);
  const other = await coordSi.post('/api/v1/contacts', contact('Mojca Kranjc', 'Adria Seafood d.o.o.', { country: 'SI' }));
  assert.equal(other.status, 201, other.text);
  assert.equal((await coord.get(`/api/v1/contacts/${other.json.id}`)).status, 200, 'shared: the operator sees it');

  // by id, next to free text for a partner not in the directory
  const body = plan({ markets: [market({ channel_partners: 'Hamburg fish auction (not in the directory)',
    channel_partner_contact_ids: [own.json.id] })] });
  const r = await coord.post('/api/v1/export-plans', body);
  assert.equal(r.status, 201, r.text);
  const m = r.json.doc.markets[0];
  assert.equal(m.channel_partners, 'Hamburg fish auction (not in the directory)');
  assert.deepEqual(m.channel_partner_contact_ids, [own.json.id]);
  assert.equal(m.channel_partner_contacts.length, 1);
  assert.equal(m.channel_partner_contacts[0].id, own.json.id);
  assert.equal(m.channel_partner_contacts[0].name, 'Jonas Wendt');
  assert.equal(m.channel_partner_contacts[0].organisation, 'Nordsee Import GmbH');
  const got = await company.get(`/api/v1/export-plans/${r.json.id}`);
  assert.equal(got.json.doc.markets[0].channel_partner_contacts[0].name, 'Jonas Wendt', 'the company sees who');

  // free text only: no links
  const t = await coord.post('/api/v1/export-plans', plan({ markets: [market()] }));
  assert.equal(t.status, 201, t.text);
  assert.equal(t.json.doc.markets[0].channel_partners, 'Nordsee Import GmbH (talks)');
  assert.equal(t.json.doc.markets[0].channel_partner_contacts, undefined, 'no links, nothing shown');

  // another operator's contact (shared or not), or none: 422 naming the field, nothing stored
  const before = await coord.get('/api/v1/export-plan-counts');
  for (const bad of [other.json.id, 99999999]) {
    assertError(await coord.post('/api/v1/export-plans', plan({ markets: [market({ channel_partner_contact_ids: [own.json.id, bad] })] })),
      422, 'unprocessable', { field: 'markets[0].channel_partner_contact_ids[1]' });
  }
  assert.deepEqual((await coord.get('/api/v1/export-plan-counts')).json, before.json);
  const cur = r.json;
  const upd = { ...plan(), version: cur.version, markets: [market(), market({ country: 'US', channel_partner_contact_ids: [other.json.id] })] };
  delete upd.company_id;
  assertError(await coord.put(`/api/v1/export-plans/${cur.id}`, upd), 422, 'unprocessable',
    { field: 'markets[1].channel_partner_contact_ids[0]' });
  assert.equal((await coord.get(`/api/v1/export-plans/${cur.id}`)).json.version, cur.version, 'nothing stored');
  assertError(await coord.post('/api/v1/export-plans', plan({ markets: [market({ channel_partner_contact_ids: ['x'] })] })),
    400, 'validation_failed', { field: 'markets[0].channel_partner_contact_ids[0]' });

  // the PDF and the XLSX name the linked contact (pdftotext, unzip: poppler-utils, unzip)
  const bytes = async (what) => {
    const res = await fetch(`${srv.base}/api/v1/export-plans/${cur.id}/${what}`, { headers: { Cookie: `tb_session=${coord.cookie}` } });
    assert.equal(res.status, 200, what);
    const file = join(tmpdir(), `tb-plan-${process.pid}-${what}`);
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    return file;
  };
  const pdfText = execFileSync('pdftotext', [await bytes('plan.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  assert.match(pdfText, /Channel partners \(network directory\): Jonas Wendt \(Nordsee Import GmbH\)/);
  assert.match(pdfText, /Channel partners: Hamburg fish auction/);
  const strings = execFileSync('unzip', ['-p', await bytes('plan.xlsx'), 'xl/sharedStrings.xml'], { encoding: 'utf8' });
  assert.ok(strings.includes('Jonas Wendt (Nordsee Import GmbH)'), 'the XLSX names the linked contact');

  // the person asks to be removed from the directory: the company still enters actuals, the link goes
  const rm = await coord.post(`/api/v1/contacts/${own.json.id}/remove`, {});
  assert.ok(rm.status === 200 || rm.status === 204, rm.text);
  const act = await company.post(`/api/v1/export-plans/${cur.id}/actuals`, { version: cur.version,
    actuals: [{ market: 'DE', quarter: '2024-Q1', currency: 'EUR', amount_minor: 700000 }] });
  assert.equal(act.status, 200, act.text);
  assert.deepEqual(act.json.doc.markets[0].channel_partner_contact_ids, []);
  assert.deepEqual(act.json.doc.markets[0].channel_partner_contacts, []);
  assert.equal(act.json.doc.markets[0].channel_partners, 'Hamburg fish auction (not in the directory)');
});

test('a plan in SEK with targets beyond the rates takes actuals in SEK; other currencies need a rate', async () => {
  const body = plan({ title: 'Pumps to the Nordics', currency: 'SEK',
    markets: [market({ country: 'NO', targets: [{ quarter: '2026-Q1', amount_minor: 50000000 }] })] });
  const r = await coord.post('/api/v1/export-plans', body);
  assert.equal(r.status, 201, r.text);
  const sek = await company.post(`/api/v1/export-plans/${r.json.id}/actuals`, { version: 1, actuals: [
    { market: 'NO', quarter: '2026-Q1', currency: 'SEK', amount_minor: 41000000 }] });
  assert.equal(sek.status, 200, sek.text);
  const p = await company.get(`/api/v1/export-plans/${r.json.id}/progress`);
  assert.equal(p.json.markets[0].rows[0].attainment, 0.82);
  const nok = await company.post(`/api/v1/export-plans/${r.json.id}/actuals`, { version: 2, actuals: [
    { market: 'NO', quarter: '2026-Q1', currency: 'NOK', amount_minor: 100 }] });
  assertError(nok, 422, 'no_exchange_rate', { field: 'actuals[1].currency', message: /NOK in 2026-Q1/ });
});

test('the list as CSV, like every list', async () => {
  const r = await coord.get('/api/v1/export-plans?format=csv&headers=machine&status=active');
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type'), /text\/csv/);
  const lines = r.text.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  assert.match(lines[0], /^id,org_id,company_id,placement_id,title,status,/);
  assert.ok(lines.length > 2);
  assert.ok(lines.slice(1).every((l) => l.includes(',active,')));
});

test('a company with an export plan is not deleted under it (409)', async () => {
  const c = await coord.get('/api/v1/companies?q=Bohus%20Skaldjur');
  assert.equal(c.json.items.length, 1, c.text);
  const d = await coord.del(`/api/v1/companies/${c.json.items[0].id}`);
  assert.equal(d.status, 409, d.text);
  assert.equal((await coord.get(`/api/v1/companies/${c.json.items[0].id}`)).status, 200);
});
