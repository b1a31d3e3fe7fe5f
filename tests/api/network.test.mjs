// network.test.mjs - the trade network (issue 15): a directory of contacts
// shared across operators (private ones stay 404 to others), full-text search
// with prefix and accent folding and reasons, relationships and "who can
// introduce me" in words, introductions through their states with the owning
// operator's approval and a single-use link for the introducer, removal on
// request keeping nothing personal.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, assertError, linkToken, runCli, USERS } from './lib.mjs';

let srv, coord, coordSi, company;
const ids = {};

before(async () => {
  srv = await startServer({ smtp: true });
  [coord, coordSi, company] = await Promise.all([
    login(srv.base, USERS.coordinator.email), login(srv.base, USERS.coordinatorSi.email),
    login(srv.base, USERS.company.email)]);
});
after(async () => { if (srv) await srv.stop(); });

const person = (over = {}) => ({
  kind: 'person', category: 'distributor', name: 'Leif Hvalstad', organisation: 'Nordic Seafood AB',
  roles: 'Purchasing manager', email: 'leif.hvalstad@example.org', country: 'SE', city: 'Göteborg', nace: '46.38',
  hs: ['0306', '030617'], languages: ['sv', 'en'], markets: ['NO', 'DK'], tags: ['seafood', 'frozen'],
  source: 'Seafood Expo 2025', visibility: 'shared', legal_basis: 'legitimate_interest', ...over,
});

test('staff record contacts; bad input is named by its field and nothing is stored', async () => {
  let r = await coord.post('/api/v1/contacts', person());
  assert.equal(r.status, 201, r.text);
  ids.lars = r.json.id;
  assert.equal(r.headers.get('location'), `/api/v1/contacts/${ids.lars}`);
  assert.deepEqual(r.json.hs, ['0306', '030617']);
  r = await coord.post('/api/v1/contacts', person({ name: 'Annika Bergfors', category: 'staff', organisation: 'ITM Sweden',
    city: 'Stockholm', email: 'anna@example.org', visibility: 'private' }));
  assert.equal(r.status, 201, r.text);
  ids.anna = r.json.id;
  r = await coord.post('/api/v1/contacts', person({ name: 'Secret Agent', category: 'agent', visibility: 'private',
    email: 'agent@example.org' }));
  ids.secret = r.json.id;
  r = await coordSi.post('/api/v1/contacts', person({ name: 'Mirela Cvetko', organisation: 'Ljubljana Fish Import',
    country: 'SI', city: 'Ljubljana', category: 'importer', email: 'maria@example.org' }));
  assert.equal(r.status, 201, r.text);
  ids.maria = r.json.id;

  assertError(await coord.post('/api/v1/contacts', person({ legal_basis: undefined })), 400, 'validation_failed', { field: 'legal_basis' });
  assertError(await coord.post('/api/v1/contacts', person({ country: 'XX' })), 400, 'validation_failed', { field: 'country' });
  assertError(await coord.post('/api/v1/contacts', person({ hs: ['9999999'] })), 400, 'validation_failed', { field: 'hs[0]' });
  assertError(await coord.post('/api/v1/contacts', person({ legal_basis: 'consent', consent: 'pending' })), 400,
    'validation_failed', { field: 'consent' });
  assertError(await coord.post('/api/v1/contacts', person({ name: 'x'.repeat(201) })), 400, 'validation_failed', { field: 'name' });
  const all = await coord.get('/api/v1/contacts?q=hvalstad');
  assert.equal(all.json.items.filter((c) => c.name === 'Leif Hvalstad').length, 1, 'nothing half stored');
});

test('shared contacts are seen across operators; private ones of another operator are 404', async () => {
  let r = await coordSi.get(`/api/v1/contacts/${ids.lars}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.owner_name.length > 0, true);
  assertError(await coordSi.get(`/api/v1/contacts/${ids.secret}`), 404, 'not_found');
  let list = await coordSi.get('/api/v1/contacts?q=hvalstad');
  assert.ok(list.json.items.some((c) => c.id === ids.lars));
  list = await coordSi.get('/api/v1/contacts?q=secret%20agent');
  assert.ok(!list.json.items.some((c) => c.id === ids.secret));
  // another operator cannot change a shared contact it does not own
  r = await coordSi.put(`/api/v1/contacts/${ids.lars}`, { ...person({ roles: 'CEO' }), version: 1 });
  assertError(r, 403, 'forbidden');
});

test('company managers see shared contacts and their own, never the operator\'s private ones', async () => {
  let r = await company.get('/api/v1/contacts?q=hvalstad');
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.items.some((c) => c.id === ids.lars));
  r = await company.get('/api/v1/contacts?q=secret%20agent');
  assert.ok(!r.json.items.some((c) => c.id === ids.secret));
  r = await company.post('/api/v1/contacts', person({ name: 'Own Buyer', visibility: 'shared', email: 'buyer@example.org' }));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.visibility, 'private');
  assertError(await coordSi.get(`/api/v1/contacts/${r.json.id}`), 404, 'not_found');
  assert.equal((await company.get(`/api/v1/contacts/${ids.secret}`)).status, 404);
});

test('search: prefix, accent folding, filters, and why each matched', async () => {
  let r = await coordSi.get('/api/v1/contacts?q=Goteborg%20hvalst');
  assert.equal(r.status, 200, r.text);
  const hit = r.json.items.find((c) => c.id === ids.lars);
  assert.ok(hit, 'Goteborg finds Göteborg');
  assert.ok(hit.reasons.some((x) => x.startsWith('city')), JSON.stringify(hit.reasons));
  r = await coordSi.get('/api/v1/contacts?q=hvals%20nord%20purch');
  assert.ok(r.json.items.some((c) => c.id === ids.lars), 'prefixes of several words');
  r = await coordSi.get('/api/v1/contacts?q=seafood&country=SI');
  assert.ok(r.json.items.every((c) => c.country === 'SI'));
  r = await coordSi.get('/api/v1/contacts?q=hvalstad&hs=0306&language=sv');
  assert.ok(r.json.items.some((c) => c.id === ids.lars));
  assert.ok(r.json.items[0].reasons.includes('trades HS 0306'));
  r = await coordSi.get('/api/v1/contacts?q=hvalstad&hs=0101');
  assert.equal(r.json.items.length, 0);
  assertError(await coord.get('/api/v1/contacts?q=x&country=Sweden'), 400, 'validation_failed', { field: 'country' });
  assertError(await coord.get('/api/v1/contacts?q=%22%2A'), 400, 'validation_failed', { field: 'q' });
  r = await coord.get('/api/v1/contacts/facets');
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.country.some((f) => f.value === 'SE' && f.n >= 1));
});

test('search at scale: whole words rank first, filters are kept in the index and follow edits', async () => {
  const mk = async (over) => {
    const r = await coord.post('/api/v1/contacts', person({ email: null, ...over }));
    assert.equal(r.status, 201, r.text);
    return r.json;
  };
  const berg = await mk({ name: 'Ulla Holmberg', organisation: 'Kattegat Trading', category: 'operator_office',
    nace: '52.29', country: 'DK' });
  const holm = await mk({ name: 'Ulla Holm', organisation: 'Kattegat Trading', category: 'operator_office',
    nace: '52.29', country: 'DK' });
  let r = await coord.get('/api/v1/contacts?q=ulla%20holm');
  assert.deepEqual(r.json.items.map((c) => c.id).slice(0, 2), [holm.id, berg.id], 'the whole word first, then the prefix');
  r = await coord.get('/api/v1/contacts?q=kattegat&kind=operator_office&nace=52&country=DK');
  assert.deepEqual(r.json.items.map((c) => c.id).sort(), [berg.id, holm.id].sort());
  const up = await coord.put(`/api/v1/contacts/${holm.id}`, { ...person({ email: null }), name: 'Ulla Holm',
    organisation: 'Kattegat Trading', category: 'agent', nace: '52.29', country: 'SE', version: holm.version });
  assert.equal(up.status, 200, up.text);
  r = await coord.get('/api/v1/contacts?q=kattegat&country=DK');
  assert.deepEqual(r.json.items.map((c) => c.id), [berg.id], 'moved to SE: no longer found in DK');
  r = await coord.get('/api/v1/contacts?q=kattegat&country=SE&kind=agent');
  assert.deepEqual(r.json.items.map((c) => c.id), [holm.id]);
});

test('relationships: no self-links, no doubles; who can introduce me, explained in words', async () => {
  assertError(await coord.post(`/api/v1/contacts/${ids.anna}/links`, { to_id: ids.anna, kind: 'knows', strength: 3 }),
    400, 'validation_failed', { field: 'to_id' });
  const today = new Date().toISOString().slice(0, 10);
  let r = await coord.post(`/api/v1/contacts/${ids.anna}/links`, { to_id: ids.lars, kind: 'knows', strength: 4, last_contact: today });
  assert.equal(r.status, 201, r.text);
  assertError(await coord.post(`/api/v1/contacts/${ids.anna}/links`, { to_id: ids.lars, kind: 'knows', strength: 2 }), 409, 'conflict');
  assertError(await coord.post(`/api/v1/contacts/${ids.anna}/links`, { to_id: ids.lars, kind: 'knows', strength: 6 }), 400,
    'validation_failed', { field: 'strength' });
  r = await coord.post(`/api/v1/contacts/${ids.lars}/links`, { to_id: ids.maria, kind: 'worked_with', strength: 5, last_contact: '2025-01-10' });
  assert.equal(r.status, 201, r.text);
  assertError(await coordSi.post(`/api/v1/contacts/${ids.lars}/links`, { to_id: ids.secret, kind: 'knows', strength: 2 }), 404, 'not_found');

  r = await coord.get(`/api/v1/contacts/${ids.maria}/paths`);
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.paths.length >= 1, r.text);
  const p = r.json.paths[0];
  assert.equal(p.hops, 2);
  assert.deepEqual(p.people.map((x) => x.id), [ids.anna, ids.lars, ids.maria]);
  assert.match(p.explanation, /Annika Bergfors \(staff, at ITM Sweden in Stockholm\) knows Leif Hvalstad well, last contact today/);
  assert.match(p.explanation, /Leif Hvalstad .* knows Mirela Cvetko very well/);
  r = await coord.get('/api/v1/network/paths?country=SI&k=10');
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.paths.length >= 1, r.text);
  assert.ok(r.json.paths.every((x) => x.people.at(-1).country === 'SI' && x.hops <= 3), r.text);
  assertError(await coordSi.get(`/api/v1/contacts/${ids.secret}/paths`), 404, 'not_found');
});

test('a relationship is deleted by the operator that recorded it, once', async () => {
  const r = await coord.post(`/api/v1/contacts/${ids.anna}/links`, { to_id: ids.maria, kind: 'member_of', strength: 1 });
  assert.equal(r.status, 201, r.text);
  const link = r.json.links.find((l) => l.kind === 'member_of');
  assertError(await coordSi.del(`/api/v1/contact-links/${link.id}`), 404, 'not_found');
  assert.equal((await coord.del(`/api/v1/contact-links/${link.id}`)).status, 204);
  assertError(await coord.del(`/api/v1/contact-links/${link.id}`), 404, 'not_found');
});

test('an introduction to another operator\'s contact: approval, link, states, outcome', async () => {
  let r = await coord.post('/api/v1/introductions', { introducer_id: ids.lars, target_id: ids.maria,
    purpose: 'Distributor for frozen shrimp in Slovenia', message: 'We met at Seafood Expo.' });
  assert.equal(r.status, 201, r.text);
  const id = r.json.id;
  assert.equal(r.json.state, 'requested');
  assert.equal(r.json.approval, 'pending');
  assertError(await coord.post(`/api/v1/introductions/${id}/state`, { state: 'accepted' }), 409, 'conflict', { field: 'state' });
  assertError(await coord.post(`/api/v1/introductions/${id}/send-link`), 409, 'conflict');
  assertError(await coordSi.get(`/api/v1/introductions/${id}`), 404, 'not_found');
  const ap = await coordSi.get('/api/v1/introduction-approvals?state=pending');
  const mine = ap.json.items.find((a) => a.introduction_id === id);
  assert.ok(mine, ap.text);
  assert.equal(mine.target_name, 'Mirela Cvetko');
  r = await coordSi.post(`/api/v1/introduction-approvals/${mine.id}`, { decision: 'approve' });
  assert.equal(r.status, 200, r.text);
  assertError(await coordSi.post(`/api/v1/introduction-approvals/${mine.id}`, { decision: 'refuse' }), 409, 'conflict');
  assertError(await coord.post(`/api/v1/introduction-approvals/${mine.id}`, { decision: 'refuse' }), 409, 'conflict');

  r = await coord.post(`/api/v1/introductions/${id}/send-link`);
  assert.equal(r.status, 202, r.text);
  const mail = await srv.smtp.waitForMail((m) => m.to.includes('leif.hvalstad@example.org'));
  assert.match(mail.data, /asks whether you could introduce them to Mirela Cvetko/, 'in the sender\'s language: English');
  const token = linkToken(mail, 'introduction-answer');
  r = await coord.post('/api/v1/introduction-links/open', { token });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.target_name, 'Mirela Cvetko');
  r = await coord.post('/api/v1/introduction-links/answer', { token, decision: 'accept', note: 'Happy to.' });
  assert.equal(r.status, 200, r.text);
  assertError(await coord.post('/api/v1/introduction-links/answer', { token, decision: 'decline' }), 410, 'link_gone');
  assertError(await coord.post('/api/v1/introduction-links/open', { token: 'A'.repeat(43) }), 404, 'not_found');

  for (const state of ['made', 'meeting_held', 'deal_started']) {
    r = await coord.post(`/api/v1/introductions/${id}/state`, { state });
    assert.equal(r.status, 200, `${state}: ${r.text}`);
  }
  assertError(await coord.post(`/api/v1/introductions/${id}/state`, { state: 'deal_closed' }), 400, 'validation_failed', { field: 'value_minor' });
  assertError(await coord.post(`/api/v1/introductions/${id}/state`, { state: 'made' }), 409, 'conflict');
  r = await coord.post(`/api/v1/introductions/${id}/state`, { state: 'deal_closed', value_minor: 2500000,
    currency: 'EUR', market: 'SI', hs: '030617' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 'deal_closed');
  assert.deepEqual(r.json.events.map((e) => e.state),
    ['requested', 'accepted', 'made', 'meeting_held', 'deal_started', 'deal_closed']);
  assert.match(r.json.events[1].by_name, /Leif Hvalstad \(by link\)/);
  assertError(await coord.post(`/api/v1/introductions/${id}/state`, { state: 'dropped' }), 409, 'conflict');
  r = await coord.get('/api/v1/introduction-outcomes');
  assert.ok(r.json.items.some((o) => o.market === 'SI' && o.value_minor === 2500000 && o.deals_closed === 1), r.text);
});

test('an introduction inside the operator needs no approval and mails the introducer at once', async () => {
  // the introducer has no account: the mail is in the sender's language (Swedish here)
  assert.equal((await coord.patch('/api/v1/me/settings', { locale: 'sv' })).status, 200);
  const r = await coord.post('/api/v1/introductions', { introducer_id: ids.anna, target_id: ids.lars, purpose: 'Meet the buyer' });
  assert.equal((await coord.patch('/api/v1/me/settings', { locale: 'en' })).status, 200);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.approval, null);
  const mail = await srv.smtp.waitForMail((m) => m.to.includes('anna@example.org') && m.data.includes('Leif Hvalstad'));
  assert.match(mail.data, /Hej Annika Bergfors,/);
  assert.match(mail.data, /undrar om du kan presentera hen för Leif Hvalstad\.\r?\n\r?\nSyfte: Meet the buyer/);
  assert.match(mail.data, /Svara här, inget konto behövs/);
  assertError(await coord.post('/api/v1/introductions', { introducer_id: ids.anna, target_id: ids.anna, purpose: 'Self' }),
    400, 'validation_failed', { field: 'target_id' });
  assertError(await coordSi.post('/api/v1/introductions', { introducer_id: ids.lars, target_id: ids.secret, purpose: 'Hidden' }),
    404, 'not_found');
});

test('CSV import: rows checked as the API does, duplicates named with the contact to merge, all or nothing', async () => {
  const CSV = { headers: { 'Content-Type': 'text/csv' } };
  const bad = [
    'kind,category,name,organisation,email,country,city,hs,languages,visibility,legal_basis',
    'person,agent,Gunnhild Rasmussen,Bergen Fisk AS,gunnhild@example.org,NO,Bergen,0306;030617,no;en,shared,legitimate_interest',
    'person,agent,Leif H.,Nordic Seafood AB,LEIF.HVALSTAD@example.org,SE,Göteborg,,,,legitimate_interest',
    'organisation,importer,Ljubljana Fish Import,,,SI,Ljubljana,,,,',
    'organisation,importer,LJUBLJANA FISH IMPORT,,,XX,Ljubljana,,,,',
    'person,agent,No Basis,,nobasis@example.org,SE,,,,,',
  ].join('\n');
  let r = await coord.post('/api/v1/import/contacts?dry_run=false', bad, CSV);
  assert.equal(r.status, 422, r.text);
  const at = r.json.errors.map((e) => `${e.row}/${e.field}`);
  assert.ok(at.includes('3/duplicate_of'), r.text);   // the same e-mail, case aside
  assert.ok(at.includes('5/country'), r.text);
  assert.ok(at.includes('6/legal_basis'), r.text);
  assert.match(r.json.errors.find((e) => e.row === 3).message, new RegExp(`duplicate of contact ${ids.lars} .*same e-mail`));
  assert.equal((await coord.get('/api/v1/contacts?q=gunnhild')).json.items.length, 0, 'nothing stored');
  r = await coord.post('/api/v1/contacts', { kind: 'organisation', category: 'importer', name: 'Göteborgs Räkor AB', visibility: 'shared' });
  assert.equal(r.status, 201, r.text);
  const good = [
    'kind,category,name,organisation,email,country,city,hs,languages,visibility,legal_basis',
    'person,agent,Gunnhild Rasmussen,Bergen Fisk AS,gunnhild@example.org,NO,Bergen,0306;030617,no;en,shared,legitimate_interest',
    'organisation,importer,GOTEBORGS RAKOR AB,,,SE,Göteborg,,,,',
  ].join('\n');
  r = await coord.post('/api/v1/import/contacts?dry_run=false', good, CSV);
  assert.equal(r.status, 422, r.text);
  assert.match(r.json.errors[0].message, /same organisation/);
  r = await coord.post('/api/v1/import/contacts?dry_run=false', good.split('\n').slice(0, 2).join('\n'), CSV);
  assert.equal(r.status, 201, r.text);
  const g = await coord.get(`/api/v1/contacts/${r.json.ids[0]}`);
  assert.deepEqual(g.json.hs, ['0306', '030617']);
  assert.equal(g.json.visibility, 'shared');
});

test('vCard import (folded lines, escapes, groups; bad cards named by line) and vCard/CSV export', async () => {
  const VCF = { headers: { 'Content-Type': 'text/vcard' } };
  const bad = [
    'BEGIN:VCARD', 'VERSION:4.0', 'FN:Ragnhild Øvrebø', 'ORG:Tromsø Sjømat AS;Sales', 'TITLE:Head of\\, imports',
    'item1.EMAIL;TYPE=work:ragnhild@example.org', 'ADR;TYPE=work:;;Strandgata 1;Tromsø;;9008;NO',
    'LANG:nb-NO', 'CATEGORIES:seafood,cod', 'NOTE:first line', ' continued on a folded line', 'END:VCARD',
    'BEGIN:VCARD', 'VERSION:2.1', 'FN:Old Format', 'END:VCARD',
    'BEGIN:VCARD', 'VERSION:4.0', 'this line has no colon', 'FN:Broken', 'END:VCARD',
    'BEGIN:VCARD', 'VERSION:4.0', 'FN:Bad Country', 'ADR:;;;Oslo;;;XX', 'END:VCARD',
  ].join('\r\n');
  let r = await coord.post('/api/v1/import/contacts?dry_run=false', bad, VCF);
  assert.equal(r.status, 422, r.text);
  const at = r.json.errors.map((e) => `${e.row}/${e.field}`).sort();
  assert.deepEqual(at, ['14/version', '19/file', '22/country'].sort(), r.text);
  assert.equal((await coord.get('/api/v1/contacts?q=ragnhild')).json.items.length, 0, 'nothing stored');
  const good = bad.split('\r\n').slice(0, 12).join('\r\n') + '\r\n';
  r = await coord.post('/api/v1/import/contacts?dry_run=false', good, VCF);
  assert.equal(r.status, 201, r.text);
  const c = (await coord.get(`/api/v1/contacts/${r.json.ids[0]}`)).json;
  assert.equal(c.name, 'Ragnhild Øvrebø');
  assert.equal(c.organisation, 'Tromsø Sjømat AS');
  assert.equal(c.roles, 'Head of, imports');
  assert.equal(c.city, 'Tromsø');
  assert.equal(c.country, 'NO');
  assert.deepEqual(c.languages, ['nb']);
  assert.deepEqual(c.tags, ['seafood', 'cod']);
  r = await coord.post('/api/v1/import/contacts?dry_run=true', good, VCF);
  assert.equal(r.json.errors[0].field, 'duplicate_of', 'the same card again is a duplicate');

  const vcf = await coord.get('/api/v1/contacts?q=ragnhild&format=vcf');
  assert.equal(vcf.status, 200);
  assert.match(vcf.headers.get('content-type'), /^text\/vcard/);
  assert.match(vcf.text, /BEGIN:VCARD\r\nVERSION:4\.0\r\nKIND:individual\r\nFN:Ragnhild Øvrebø\r\n/);
  assert.match(vcf.text, /TITLE:Head of\\, imports\r\n/);
  assert.match(vcf.text, /ADR:;;;Tromsø;;;NO\r\n/);
  assert.ok(vcf.text.split('\r\n').every((l) => Buffer.byteLength(l) <= 75), 'folded at 75 octets');
  const csv = await coord.get('/api/v1/contacts?q=ragnhild&format=csv&lang=en');
  assert.equal(csv.status, 200, csv.text);
  assert.match(csv.text.split('\n')[0], /^"?ID"?,"?Kind"?,"?Category"?,"?Name"?,"?Organisation"?/, 'human headers by default');
  assert.match(csv.text, /Ragnhild Øvrebø/);
  const sv = await coord.get('/api/v1/contacts?q=ragnhild&format=csv&lang=sv');
  assert.match(sv.text.split('\n')[0], /^"?ID"?,"?Typ"?,"?Kategori"?,"?Namn"?/, 'Swedish headers');
  const machine = await coord.get('/api/v1/contacts?q=ragnhild&format=csv&headers=machine');
  assert.match(machine.text.split('\n')[0], /^"?id"?,"?kind"?,"?category"?,"?name"?/, 'machine headers for scripts');
  assertError(await coord.get('/api/v1/contacts?format=pdf'), 400, 'validation_failed', { field: 'format' });
});

test('removal on request keeps nothing personal', async () => {
  let r = await coord.post(`/api/v1/contacts/${ids.secret}/remove`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.name, 'Removed contact');
  assert.equal(r.json.email, null);
  assert.equal(r.json.organisation, null);
  assert.ok(r.json.removed_at);
  r = await coord.get('/api/v1/contacts?q=Secret');
  assert.equal(r.json.items.length, 0);
  r = await coord.get(`/api/v1/audit?entity=contact&entity_id=${ids.secret}`);
  assert.ok(!r.text.includes('Secret Agent') && !r.text.includes('agent@example.org'), 'the audit keeps no personal data');
  assertError(await coordSi.post(`/api/v1/contacts/${ids.lars}/remove`), 403, 'forbidden');
});

test('command line: network search over the whole directory; bad options are usage errors', async () => {
  let r = runCli(['network', 'search', '--db', srv.db, '--country', 'SE', 'Goteborg', 'hvalst']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Leif Hvalstad\tSE\t.*city matches/);
  r = runCli(['network', 'search', '--db', srv.db, '--json', 'mirela', 'cvet']);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(JSON.parse(r.stdout).some((c) => c.name === 'Mirela Cvetko'));
  r = runCli(['network', 'search', '--db', srv.db, '--country', 'Sweden', 'x']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /country/);
  r = runCli(['network', 'remind', '--db', srv.db, '--days', '0']);
  assert.equal(r.status, 2);
  r = runCli(['network', 'remind', '--db', srv.db]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /network: 0 reminders queued/);
});
