// plan_partners.test.mjs - introduction outcomes flow into the export plan's
// channel partners (issue 15): when an introduction for a company reaches
// "deal started" or "deal closed", its target becomes a channel partner of the
// company's plans for that market (the deal's market, else the target's
// country), on every such plan of the company that is not closed; once only,
// audited, a new plan version.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, USERS } from './lib.mjs';

let srv, coord, companyId;
before(async () => {
  srv = await startServer();
  coord = await login(srv.base, USERS.coordinator.email);
  const company = await login(srv.base, USERS.company.email);
  companyId = (await company.get('/api/v1/companies')).json.items[0].id;
});
after(async () => { if (srv) await srv.stop(); });

const market = (country, over = {}) => ({ country, product: '030617', rationale: 'Large importer.',
  entry_mode: 'distributor', incoterm: 'CIF', named_place: 'Port', ...over });
const contact = async (name, country) => {
  const r = await coord.post('/api/v1/contacts', { kind: 'person', category: 'distributor', name,
    organisation: `${name} Trading`, email: `${name.split(' ')[0].toLowerCase()}.pp@example.org`, country,
    visibility: 'private', legal_basis: 'legitimate_interest' });
  assert.equal(r.status, 201, r.text);
  return r.json.id;
};
const move = async (id, state, extra = {}) => {
  const r = await coord.post(`/api/v1/introductions/${id}/state`, { state, ...extra });
  assert.equal(r.status, 200, `${state}: ${r.text}`);
};
const partners = (plan, country) => plan.doc.markets.find((m) => m.country === country).channel_partner_contact_ids || [];

test('a deal started or closed makes the target a channel partner of the company\'s plan for that market, once', async () => {
  const p = await coord.post('/api/v1/export-plans', { company_id: companyId, title: 'Shrimp partners', currency: 'EUR',
    markets: [market('DE'), market('US', { incoterm: 'DDP', entry_mode: 'agent' })] });
  assert.equal(p.status, 201, p.text);
  const introducer = await contact('Ottilie Brandt', 'DE');
  const klaus = await contact('Klaus Petersen', 'DE');
  const fr = await contact('Amélie Roux', 'FR');

  // DE target: nothing before the deal starts; then linked on DE only, with its name shown
  let r = await coord.post('/api/v1/introductions', { introducer_id: introducer, target_id: klaus,
    purpose: 'Distributor in Germany', company_id: companyId });
  assert.equal(r.status, 201, r.text);
  const a = r.json.id;
  for (const s of ['accepted', 'made', 'meeting_held']) await move(a, s);
  let plan = (await coord.get(`/api/v1/export-plans/${p.json.id}`)).json;
  assert.equal(plan.version, p.json.version, 'a meeting is not yet a partner');
  await move(a, 'deal_started');
  plan = (await coord.get(`/api/v1/export-plans/${p.json.id}`)).json;
  assert.equal(plan.version, p.json.version + 1);
  assert.deepEqual(partners(plan, 'DE'), [klaus]);
  assert.deepEqual(partners(plan, 'US'), []);
  const shown = plan.doc.markets.find((m) => m.country === 'DE').channel_partner_contacts;
  assert.equal(shown[0].name, 'Klaus Petersen');
  // closing the same deal links nothing twice
  await move(a, 'deal_closed', { value_minor: 900000, currency: 'EUR', market: 'DE', hs: '030617' });
  plan = (await coord.get(`/api/v1/export-plans/${p.json.id}`)).json;
  assert.equal(plan.version, p.json.version + 1, 'idempotent');
  assert.deepEqual(partners(plan, 'DE'), [klaus]);

  // a French target: no French market in the plan; a deal closed for the US links it on US
  r = await coord.post('/api/v1/introductions', { introducer_id: introducer, target_id: fr,
    purpose: 'Agent for the US', company_id: companyId });
  const b = r.json.id;
  for (const s of ['accepted', 'made', 'meeting_held', 'deal_started']) await move(b, s);
  assert.equal((await coord.get(`/api/v1/export-plans/${p.json.id}`)).json.version, p.json.version + 1);
  await move(b, 'deal_closed', { value_minor: 500000, currency: 'USD', market: 'US', hs: '030617' });
  plan = (await coord.get(`/api/v1/export-plans/${p.json.id}`)).json;
  assert.deepEqual(partners(plan, 'US'), [fr]);
  assert.deepEqual(partners(plan, 'DE'), [klaus]);

  // audited: the plan's update and the introduction naming the plan
  const au = await coord.get('/api/v1/audit?entity=introduction&action=update');
  const linked = au.json.items.filter((e) => e.changes && e.changes.export_plan_partner &&
    e.changes.export_plan_partner.plan_id === p.json.id);
  assert.deepEqual(linked.map((e) => [e.entity_id, e.changes.export_plan_partner.market]).sort(), [[a, 'DE'], [b, 'US']]);
  const versions = (await coord.get(`/api/v1/export-plans/${p.json.id}/versions`)).json;
  assert.ok((versions.items || versions).length >= 3, JSON.stringify(versions));
});
