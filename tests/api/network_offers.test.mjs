// network_offers.test.mjs - the trade network's offers board (issue 15):
// offers and requests posted by an operator or a company, shared across
// operators (private ones 404 to others), matched to companies and contacts
// with a score and its reasons, a company's interest starting an
// introduction; and merging a duplicate contact in one step (relationships,
// introductions and offers move, the duplicate emptied, the audit keeps what
// it was); the digest mail to the companies an offer fits, each offer once,
// with an unsubscribe link and a setting.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, assertError, linkToken, runCli, USERS } from './lib.mjs';

let srv, coord, coordSi, company, trainee;
const ids = {};
const future = `${new Date().getUTCFullYear() + 1}-06-30`;

before(async () => {
  srv = await startServer({ smtp: true });
  [coord, coordSi, company, trainee] = await Promise.all([
    login(srv.base, USERS.coordinator.email), login(srv.base, USERS.coordinatorSi.email),
    login(srv.base, USERS.company.email), login(srv.base, USERS.trainee.email)]);
  const mk = async (api, over) => {
    const r = await api.post('/api/v1/contacts', { kind: 'person', category: 'distributor', legal_basis: 'legitimate_interest',
      visibility: 'shared', country: 'DE', city: 'Hamburg', ...over });
    assert.equal(r.status, 201, r.text);
    return r.json;
  };
  ids.seeker = (await mk(coord, { name: 'Henrike Pumpmann', organisation: 'Hanse Pumpen GmbH', hs: ['8413'] })).id;
  ids.introducer = (await mk(coord, { name: 'Britt Offerdal', category: 'staff', country: 'SE', city: 'Umeå',
    email: 'britt.offerdal@example.org' })).id;
  ids.dealer = (await mk(coord, { name: 'Jörg Wasserfeld', organisation: 'Rhein Fluid KG', hs: ['841370'], nace: '46.69' })).id;
  ids.hidden = (await mk(coordSi, { name: 'Private Pavel', visibility: 'private', country: 'SI' })).id;
});
after(async () => { if (srv) await srv.stop(); });

const offer = (over = {}) => ({
  kind: 'distributor_sought', title: 'Distributor wanted in Hamburg for centrifugal pumps',
  description: 'A Hamburg firm looks for Nordic pump makers to distribute.', hs: ['8413'], countries: ['DE'], nace: '28.13',
  contact_id: ids.seeker, introducer_id: ids.introducer, expires_on: future, ...over,
});

test('staff post offers; bad input is named by its field and nothing is stored', async () => {
  let r = await coord.post('/api/v1/offers', offer());
  assert.equal(r.status, 201, r.text);
  ids.offer = r.json.id;
  assert.equal(r.headers.get('location'), `/api/v1/offers/${ids.offer}`);
  assert.deepEqual(r.json.countries, ['DE']);
  assert.equal(r.json.open, true);
  assert.equal(r.json.contact_name, 'Henrike Pumpmann');
  assert.equal(r.json.visibility, 'shared');
  r = await coord.post('/api/v1/offers', offer({ title: 'Our own tender partner', kind: 'tender_partner', visibility: 'private',
    contact_id: undefined, introducer_id: undefined }));
  assert.equal(r.status, 201, r.text);
  ids.private = r.json.id;

  assertError(await coord.post('/api/v1/offers', offer({ countries: [] })), 400, 'validation_failed', { field: 'countries' });
  assertError(await coord.post('/api/v1/offers', offer({ hs: ['9999999'] })), 400, 'validation_failed', { field: 'hs[0]' });
  assertError(await coord.post('/api/v1/offers', offer({ kind: 'anything' })), 400, 'validation_failed', { field: 'kind' });
  assertError(await coord.post('/api/v1/offers', offer({ expires_on: '2026-02-30' })), 400, 'validation_failed', { field: 'expires_on' });
  assertError(await coord.post('/api/v1/offers', offer({ title: 'x'.repeat(201) })), 400, 'validation_failed', { field: 'title' });
  assertError(await coord.post('/api/v1/offers', offer({ contact_id: ids.hidden })), 404, 'not_found', { field: 'contact_id' });
  assertError(await coord.get('/api/v1/offers?hs=12a'), 400, 'validation_failed', { field: 'hs' });
  const list = await coord.get('/api/v1/offers?limit=200');
  assert.equal(list.json.items.filter((o) => o.title === offer().title).length, 1, 'nothing half stored');
});

test('shared offers are seen by every operator; private ones stay with their operator', async () => {
  let r = await coordSi.get(`/api/v1/offers/${ids.offer}`);
  assert.equal(r.status, 200, r.text);
  assertError(await coordSi.get(`/api/v1/offers/${ids.private}`), 404, 'not_found');
  r = await coordSi.get('/api/v1/offers?open=1&country=DE&hs=841381');
  assert.ok(r.json.items.some((o) => o.id === ids.offer), 'an HS 8413 offer is found for a product 841381');
  assert.ok(!r.json.items.some((o) => o.id === ids.private));
  r = await coordSi.get('/api/v1/offers?kind=supplier_sought');
  assert.ok(!r.json.items.some((o) => o.id === ids.offer));
  assertError(await coordSi.put(`/api/v1/offers/${ids.offer}`, { ...offer({ contact_id: undefined, introducer_id: undefined }), version: 1 }),
    403, 'forbidden');
  r = await trainee.get('/api/v1/offers');
  assert.equal(r.status, 200, r.text);
  assertError(await trainee.post('/api/v1/offers', offer()), 403, 'forbidden');
  assertError(await company.get(`/api/v1/offers/${ids.offer}/matches`), 403, 'forbidden');
});

test('a company manager posts for their own company and may change only that offer', async () => {
  let r = await company.post('/api/v1/offers', offer({ title: 'Supplier of pump seals sought', kind: 'supplier_sought',
    company_id: 2, contact_id: undefined, introducer_id: undefined }));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.company_id, 1, 'always their own company');
  assert.equal(r.json.company_name, 'Norrland Pumpteknik AB');
  const own = r.json;
  r = await company.put(`/api/v1/offers/${own.id}`, { ...offer({ title: 'Supplier of pump seals sought in DE',
    contact_id: undefined, introducer_id: undefined }), version: own.version });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.title, 'Supplier of pump seals sought in DE');
  r = await coord.get(`/api/v1/offers/${ids.offer}`);
  assertError(await company.put(`/api/v1/offers/${ids.offer}`, { ...offer({ contact_id: undefined, introducer_id: undefined }),
    version: r.json.version }), 403, 'forbidden');
  r = await coord.get(`/api/v1/offers/${own.id}/matches`);
  assert.ok(!r.json.companies.some((c) => c.id === 1), 'the posting company is no match for its own offer');
});

test('matches: companies and contacts that fit, with a score and its reasons', async () => {
  const r = await coord.get(`/api/v1/offers/${ids.offer}/matches`);
  assert.equal(r.status, 200, r.text);
  const pumps = r.json.companies.find((c) => c.name === 'Norrland Pumpteknik AB');
  assert.ok(pumps, JSON.stringify(r.json.companies.slice(0, 3)));
  assert.equal(pumps.score, 95);
  assert.deepEqual(pumps.reasons, ['products: HS 841381 fits 8413', 'market: sells to or knows DE', 'sector: NACE 28']);
  assert.equal(r.json.companies[0].score >= r.json.companies.at(-1).score, true, 'best first');
  const dealer = r.json.contacts.find((c) => c.id === ids.dealer);
  assert.ok(dealer);
  assert.deepEqual(dealer.reasons, ['products: HS 841370 fits 8413', 'market: based in DE']);
  assert.ok(!r.json.contacts.some((c) => c.id === ids.seeker), 'the offer\'s own contact is no match');
});

test('a company shows interest; an introduction follows and the introducer is mailed', async () => {
  let r = await company.post(`/api/v1/offers/${ids.offer}/interest`, { message: 'We make exactly these pumps.' });
  assert.equal(r.status, 201, r.text);
  assert.ok(r.json.introduction_id);
  const intro = await company.get(`/api/v1/introductions/${r.json.introduction_id}`);
  assert.equal(intro.status, 200, intro.text);
  assert.equal(intro.json.target_id, ids.seeker);
  assert.equal(intro.json.introducer_id, ids.introducer);
  assert.match(intro.json.purpose, /^Offer: Distributor wanted in Hamburg/);
  assert.equal(intro.json.company_id, 1);
  await srv.smtp.waitForMail((m) => m.to.includes('britt.offerdal@example.org') && m.data.includes('Henrike Pumpmann'));
  assertError(await company.post(`/api/v1/offers/${ids.offer}/interest`, {}), 409, 'conflict');
  r = await coord.get(`/api/v1/offers/${ids.offer}`);
  assert.equal(r.json.interests, 1);
  assert.equal(r.json.interest_list[0].company_name, 'Norrland Pumpteknik AB');
  r = await coord.get(`/api/v1/audit?entity=offer_interest`);
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.items.length >= 1);
});

test('a closed offer takes no more interest', async () => {
  let r = await coord.get(`/api/v1/offers/${ids.offer}`);
  r = await coord.put(`/api/v1/offers/${ids.offer}`, { ...offer(), closed: true, version: r.json.version });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.open, false);
  assertError(await coord.post(`/api/v1/offers/${ids.offer}/interest`, { company_id: 2 }), 409, 'conflict');
  r = await coord.get('/api/v1/offers?open=1&limit=200');
  assert.ok(!r.json.items.some((o) => o.id === ids.offer));
  r = await coord.get(`/api/v1/audit?entity=offer&entity_id=${ids.offer}`);
  assert.deepEqual(r.json.items.map((e) => e.action).sort(), ['create', 'update']);
});

test('merging a duplicate contact moves its relationships, introductions and offers, and audits what it was', async () => {
  const base = { kind: 'person', category: 'importer', legal_basis: 'legitimate_interest', visibility: 'private', country: 'NO' };
  let r = await coord.post('/api/v1/contacts', { ...base, name: 'Ola Nordmann', email: 'ola@example.org', tags: ['fish'] });
  const a = r.json;
  r = await coord.post('/api/v1/contacts', { ...base, name: 'Ola Nordmann', email: 'OLA@example.org', phone: '+47 22 00 00 00',
    city: 'Bergen', tags: ['fish', 'frozen'], hs: ['0303'] });
  const b = r.json;
  await coord.post(`/api/v1/contacts/${b.id}/links`, { to_id: ids.introducer, kind: 'knows', strength: 4 });
  await coord.post(`/api/v1/contacts/${a.id}/links`, { to_id: ids.dealer, kind: 'knows', strength: 2 });
  await coord.post(`/api/v1/contacts/${b.id}/links`, { to_id: ids.dealer, kind: 'knows', strength: 3 });
  r = await coord.post('/api/v1/introductions', { introducer_id: ids.introducer, target_id: b.id, purpose: 'Frozen fish buyer' });
  assert.equal(r.status, 201, r.text);
  const intro = r.json.id;
  r = await coord.post('/api/v1/offers', offer({ title: 'Buyer sought in NO', kind: 'buyer_sought', countries: ['NO'], contact_id: b.id }));
  const off = r.json.id;

  assertError(await coord.post(`/api/v1/contacts/${a.id}/merge`, { from_id: a.id, version: a.version }), 400, 'validation_failed', { field: 'from_id' });
  assertError(await coord.post(`/api/v1/contacts/${a.id}/merge`, { from_id: b.id, version: a.version + 5 }), 412, 'version_mismatch');
  assertError(await coordSi.post(`/api/v1/contacts/${ids.dealer}/merge`, { from_id: ids.seeker, version: 1 }), 403, 'forbidden');
  assertError(await coord.post(`/api/v1/contacts/${a.id}/merge`, { from_id: ids.hidden, version: a.version }), 404, 'not_found', { field: 'from_id' });
  // (the same care for an introduction through a contact one may not see)
  assertError(await coord.post('/api/v1/introductions', { introducer_id: ids.hidden, target_id: a.id, purpose: 'Hidden introducer' }),
    404, 'not_found', { field: 'introducer_id' });

  r = await coord.post(`/api/v1/contacts/${a.id}/merge`, { from_id: b.id, version: a.version });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.email, 'ola@example.org', 'the kept contact keeps its values');
  assert.equal(r.json.city, 'Bergen', 'and takes the duplicate\'s where it had none');
  assert.deepEqual(r.json.tags, ['fish', 'frozen']);
  assert.deepEqual(r.json.hs, ['0303']);
  assert.equal(r.json.merge.links_moved.length, 1);
  assert.equal(r.json.merge.links_dropped.length, 1, 'the repeated link to the dealer is dropped');
  assert.deepEqual(r.json.merge.introductions_moved, [intro]);
  assert.ok(r.json.links.some((l) => l.to_id === ids.introducer && l.from_id === a.id));
  r = await coord.get(`/api/v1/introductions/${intro}`);
  assert.equal(r.json.target_id, a.id);
  r = await coord.get(`/api/v1/offers/${off}`);
  assert.equal(r.json.contact_id, a.id);
  r = await coord.get(`/api/v1/contacts/${b.id}`);
  assert.equal(r.json.name, 'Merged contact');
  assert.equal(r.json.email, null);
  assert.ok(r.json.removed_at);
  r = await coord.get(`/api/v1/audit?entity=contact&entity_id=${b.id}`);
  const entry = r.json.items.find((e) => e.changes.merged_into);
  assert.equal(entry.changes.merged_into.new, a.id);
  assert.equal(entry.changes.was.phone, '+47 22 00 00 00', 'the audit keeps the duplicate to undo by hand');
  const again = await coord.get(`/api/v1/contacts/${a.id}`);
  assertError(await coord.post(`/api/v1/contacts/${a.id}/merge`, { from_id: b.id, version: again.json.version }), 409, 'conflict');
});

test('the digest mails each company\'s managers the offers that fit, once, with a link to stop it', async () => {
  let r = await company.get('/api/v1/offer-digest/settings');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.digest, 'on');
  r = await coord.post('/api/v1/offers', offer({ title: 'Pump distributor sought in Belgium', countries: ['BE'], hs: ['841381'],
    contact_id: undefined, introducer_id: undefined }));
  assert.equal(r.status, 201, r.text);
  r = await coord.post('/api/v1/offer-digest/send', {});
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.companies >= 1 && r.json.mails >= 1, r.text);
  const mail = await srv.smtp.waitForMail((m) => m.to.includes(USERS.company.email) && m.data.includes('Pump distributor sought in Belgium'));
  assert.match(mail.data, /Subject: Offers board: \d+ new offers? for Norrland Pumpteknik AB/);
  assert.match(mail.data, /products: HS 841381 fits 841381/);
  r = await coord.post('/api/v1/offer-digest/send', {});
  assert.deepEqual(r.json, { companies: 0, mails: 0 }, 'each offer once per company');

  const token = linkToken(mail, 'offer-digest-unsubscribe');
  r = (await fetch(`${srv.base}/api/v1/offer-digest/unsubscribe`, { method: 'POST',
    headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token }) }));
  assert.equal(r.status, 200, await r.text());
  assert.equal((await company.get('/api/v1/offer-digest/settings')).json.digest, 'off');
  assertError(await company.post('/api/v1/offer-digest/unsubscribe', { token: 'x'.repeat(43) }), 404, 'not_found', { field: 'token' });
  assertError(await company.post('/api/v1/offer-digest/unsubscribe', { token: 'short' }), 400, 'validation_failed', { field: 'token' });
  await coord.post('/api/v1/offers', offer({ title: 'Second pump distributor sought in Belgium', countries: ['BE'], hs: ['841381'],
    contact_id: undefined, introducer_id: undefined }));
  r = await coord.post('/api/v1/offer-digest/send', { min_score: 95 });
  assert.deepEqual(r.json, { companies: 1, mails: 0 }, 'a manager who asked for no digest gets none');
  assertError(await company.post('/api/v1/offer-digest/send', {}), 403, 'forbidden');
  assertError(await company.put('/api/v1/offer-digest/settings', { digest: 'weekly' }), 400, 'validation_failed', { field: 'digest' });
  r = await company.put('/api/v1/offer-digest/settings', { digest: 'on' });
  assert.equal(r.json.digest, 'on');
});

test('command line: the digest for every operator; bad options are usage errors', async () => {
  await coordSi.post('/api/v1/offers', offer({ title: 'Hydraulic pumps wanted in Slovenia', countries: ['SI'], hs: ['8413'],
    contact_id: undefined, introducer_id: undefined }));
  let r = runCli(['network', 'digest', '--db', srv.db, '--public-url', 'http://test.local']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^network: offers digest for [1-9]\d* compan(y|ies), \d+ mails? queued$/m);
  r = runCli(['network', 'digest', '--db', srv.db]);
  assert.match(r.stdout, /offers digest for 0 companies, 0 mails queued/);
  r = runCli(['network', 'digest', '--min-score', '0', '--db', srv.db]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--min-score: a number from 1 to 100/);
});
