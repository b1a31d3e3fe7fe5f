// roundtrip.test.mjs (issue 17) - exports people read (human headers in the UI
// language, readable values, names next to ids) and that import back: a list
// exported as CSV or XLSX, edited, and imported updates the records it names
// (by id, with the version check: a stale version is reported on its row and
// nothing is overwritten), creates the new rows and leaves unchanged rows
// alone; ?headers=machine is the variant for scripts. The XLSX file is edited
// with Python's openpyxl, as a spreadsheet program would save it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { startServer, login, runCli, USERS, ORGS, csvRows as rows } from './lib.mjs';

let srv, coord;
const unique = `R${Date.now().toString(36)}`;
const CSV = { headers: { 'Content-Type': 'text/csv' } };
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
let a, b;

before(async () => {
  srv = await startServer();
  coord = await login(srv.base, USERS.coordinator.email);
  const mk = async (body) => {
    const r = await coord.post('/api/v1/companies', body);
    assert.equal(r.status, 201, r.text);
    return r.json;
  };
  a = await mk({ legal_name: `${unique} Alfa AB`, country: 'SE', nace: '28.13', employees: 40, currency: 'SEK', turnover: 125000050,
    products: ['841381'], target_markets: ['DE', 'FR'], website: 'https://alfa.example',
    contacts: [{ role: 'Export manager', phone: '+46 70 123 45 67', email: 'anna@alfa.example', name: 'Anna Berg' }] });
  b = await mk({ legal_name: `${unique} Beta AB`, country: 'SE', employees: 5 });
});
after(async () => { if (srv) await srv.stop(); });

const csvCell = (v) => (/[",\r\n;]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const toCsv = (table) => table.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';

const exportCsv = async (path) => {
  const r = await coord.get(path);
  assert.equal(r.status, 200, r.text);
  return rows(r.text);
};

/** A dry run that reports no errors and [new, changed, unchanged] rows, then the commit; its answer. */
async function importChecked(kind, body, counts) {
  const dry = await coord.post(`/api/v1/import/${kind}?dry_run=true`, body, CSV);
  assert.equal(dry.status, 200, dry.text);
  assert.deepEqual(dry.json.errors, []);
  assert.deepEqual([dry.json.new_rows, dry.json.changed_rows, dry.json.unchanged_rows], counts);
  const done = await coord.post(`/api/v1/import/${kind}?dry_run=false`, body, CSV);
  assert.equal(done.status, 201, done.text);
  return done.json;
}

/** Exports kind (filtered) with Swedish and with machine headers and checks each imports back changing nothing; the counts of unchanged rows. */
async function reimportsUnchanged(kind, filter = `q=${unique}`) {
  const unchanged = [];
  for (const q of ['lang=sv', 'headers=machine']) {
    const r = await coord.get(`/api/v1/${kind}?format=csv&${q}&${filter}`);
    const d = await coord.post(`/api/v1/import/${kind}?dry_run=true`, r.text, CSV);
    assert.equal(d.status, 200, d.text);
    assert.deepEqual(d.json.errors, [], q);
    assert.equal(d.json.changed_rows, 0, q);
    unchanged.push(d.json.unchanged_rows);
  }
  return unchanged;
}

test('human export: headers in the UI language, readable values, names next to ids; machine variant for scripts', async () => {
  const [header, ...data] = await exportCsv(`/api/v1/companies?format=csv&lang=en&q=${unique}&sort=name`);
  for (const h of ['ID', 'Operator', 'Legal name', 'Turnover', 'Contacts', 'Version', 'SME check', 'Created', 'Updated'])
    assert.ok(header.includes(h), `${h} in ${header}`);
  assert.equal(header.indexOf('Operator'), header.indexOf('Operator ID') + 1, 'the name next to the id');
  const row = Object.fromEntries(header.map((h, i) => [h, data[0][i]]));
  assert.equal(row['Legal name'], `${unique} Alfa AB`);
  assert.equal(row.Operator, 'ITM Sweden');
  assert.equal(row.Turnover, '1250000.50');
  assert.equal(row.Contacts, 'Anna Berg:anna@alfa.example:+46 70 123 45 67:Export manager', 'name:email:phone:role whatever the stored order');
  assert.ok(['SME', 'Not an SME', 'Not enough data'].includes(row['SME check']), row['SME check']);
  assert.ok(data.flat().every((cell) => !/[{}]|"eligible"/.test(cell)), 'no raw JSON in any cell');
  const [sv] = await exportCsv(`/api/v1/companies?format=csv&lang=sv&q=${unique}`);
  assert.ok(sv.includes('Juridiskt namn') && sv.includes('Operatör'), sv.join('|'));
  const r = await fetch(`${srv.base}/api/v1/companies?format=csv&q=${unique}`, { headers: { Cookie: `tb_session=${coord.cookie}`, 'Accept-Language': 'sv-SE,sv;q=0.9' } });
  assert.ok(rows(await r.text())[0].includes('Juridiskt namn'), 'Accept-Language when ?lang is absent');
  const [machine] = await exportCsv(`/api/v1/companies?format=csv&headers=machine&q=${unique}`);
  assert.deepEqual(machine.slice(0, 3), ['id', 'org_id', 'legal_name']);
  // placements: enumerations in words, names beside ids
  const [ph, ...pd] = await exportCsv('/api/v1/placements?format=csv&lang=en');
  assert.equal(ph[ph.indexOf('Graduate ID') + 1], 'Graduate');
  assert.ok(pd.every((x) => !['draft', 'signed', 'completed'].includes(x[ph.indexOf('Status')])), 'status in words');
});

test('a human CSV export, edited and imported back: updates what changed, adds new rows, leaves the rest', async () => {
  const table = await exportCsv(`/api/v1/companies?format=csv&lang=en&q=${unique}&sort=name`);
  const [header] = table;
  const col = (h) => header.indexOf(h);
  const alfa = table.find((r) => r[col('ID')] === String(a.id));
  alfa[col('Legal name')] = `${unique} Alfa Aktiebolag`;
  alfa[col('Website')] = '';   // cleared in the spreadsheet: cleared in the record
  const fresh = header.map(() => '');
  fresh[col('Legal name')] = `${unique} Gamma AB`;
  fresh[col('Country')] = 'SE';
  table.push(fresh);
  const body = toCsv(table);
  const done = await importChecked('companies', body, [1, 1, 1]);
  assert.deepEqual(done.updated_ids, [a.id]);
  assert.equal(done.created, 1);
  assert.equal(done.unchanged, 1);
  const now = (await coord.get(`/api/v1/companies/${a.id}`)).json;
  assert.equal(now.legal_name, `${unique} Alfa Aktiebolag`);
  assert.equal(now.website, null);
  assert.equal(now.version, 2);
  assert.equal(now.turnover, 125000050, 'money unchanged through the round trip');
  assert.equal(now.contacts[0].email, 'anna@alfa.example');
  assert.equal((await coord.get(`/api/v1/companies/${b.id}`)).json.version, 1, 'an unchanged row writes nothing');
  const audit = (await coord.get(`/api/v1/audit?entity=company&entity_id=${a.id}`)).json.items;
  assert.ok(audit.some((x) => x.changes.legal_name && x.changes.legal_name.new === `${unique} Alfa Aktiebolag`), 'the update is audited');

  // The same file again: Alfa's version 1 is stale now - reported on its row, nothing written.
  const stale = await coord.post('/api/v1/import/companies?dry_run=false', body, CSV);
  assert.equal(stale.status, 422, stale.text);
  const e = stale.json.errors.find((x) => x.field === 'version');
  assert.equal(e.row, table.indexOf(alfa) + 1);
  assert.match(e.message, /changed after this file was exported/);
  assert.equal((await coord.get(`/api/v1/companies?q=${encodeURIComponent(`${unique} Gamma`)}`)).json.items.length, 1, 'all or nothing');
  // An id from nowhere, a missing version, an id twice: each on its row.
  const bad = toCsv([['ID', 'Version', 'Legal name', 'Country'], ['999999', '1', 'X AB', 'SE'], [String(b.id), '', 'Y AB', 'SE'],
    [String(a.id), '2', 'Z AB', 'SE'], [String(a.id), '2', 'Z AB', 'SE']]);
  const r = await coord.post('/api/v1/import/companies?dry_run=true', bad, CSV);
  const at = r.json.errors.map((x) => `${x.row}/${x.field}`);
  assert.ok(at.includes('2/id') && at.includes('3/version') && at.includes('5/id'), JSON.stringify(r.json.errors));
});

test('Swedish headers and the machine export import back too', async () => {
  assert.deepEqual(await reimportsUnchanged('companies'), [3, 3]);
  const g = await coord.get('/api/v1/graduates?format=csv&lang=sv');
  const d = await coord.post('/api/v1/import/graduates?dry_run=true', g.text, CSV);
  assert.equal(d.status, 200, d.text);
  assert.deepEqual(d.json.errors, []);
  assert.equal(d.json.changed_rows, 0);
  assert.ok(d.json.unchanged_rows > 10);
});

function python() {
  return ['python3', '/usr/bin/python3'].find((exe) => spawnSync(exe, ['-c', 'import openpyxl'], { encoding: 'utf8' }).status === 0);
}

/** Downloads an XLSX export, edits it with openpyxl (`edit`: Python after the workbook is open as
 * wb/ws with the header row in `head`; argv[2...] = args) as a spreadsheet program saves it; its path. */
async function editedXlsx(path, name, edit, ...args) {
  const res = await fetch(`${srv.base}${path}`, { headers: { Cookie: `tb_session=${coord.cookie}` } });
  assert.equal(res.status, 200);
  const file = join(srv.dir, name);
  writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  const py = python();
  assert.ok(py, 'openpyxl is needed (python3-openpyxl)');
  const script = `import sys, openpyxl\nwb = openpyxl.load_workbook(sys.argv[1]); ws = wb.active\nhead = [c.value for c in ws[1]]\n${edit}\nwb.save(sys.argv[1])\n`;
  const p = spawnSync(py, ['-c', script, file, ...args], { encoding: 'utf8' });
  assert.equal(p.status, 0, p.stderr);
  return file;
}

test('XLSX: an export edited in a spreadsheet program imports back (API and CLI)', async () => {
  // Change Beta's employees, add a row; saved by openpyxl (shared strings, its own styles).
  const file = await editedXlsx(`/api/v1/companies?format=xlsx&lang=en&q=${unique}&sort=name`, 'companies.xlsx', `
for row in ws.iter_rows(min_row=2):
    if row[head.index('Legal name')].value.endswith('Beta AB'):
        row[head.index('Employees')].value = 7
new = [None] * len(head)
new[head.index('Legal name')] = sys.argv[2]; new[head.index('Country')] = 'SE'; new[head.index('Employees')] = 3
ws.append(new)`, `${unique} Delta AB`);
  const bytes = readFileSync(file);
  const dry = await coord.post('/api/v1/import/companies?dry_run=true', bytes, { headers: { 'Content-Type': XLSX_TYPE } });
  assert.equal(dry.status, 200, dry.text);
  assert.deepEqual(dry.json.errors, []);
  assert.deepEqual([dry.json.new_rows, dry.json.changed_rows], [1, 1]);
  const cli = runCli(['import', 'companies', file, '--org', String(ORGS.sweden), '--db', srv.db]);
  assert.equal(cli.status, 0, cli.stdout + cli.stderr);
  assert.match(cli.stdout, /imported 1 row/);
  assert.match(cli.stdout, /updated 1 record named by their id/);
  assert.equal((await coord.get(`/api/v1/companies/${b.id}`)).json.employees, 7);
  assert.equal((await coord.get(`/api/v1/companies?q=${encodeURIComponent(`${unique} Delta`)}`)).json.items.length, 1);
  // graduates: dates and lists survive the spreadsheet
  const g = await fetch(`${srv.base}/api/v1/graduates?format=xlsx`, { headers: { Cookie: `tb_session=${coord.cookie}` } });
  const gd = await coord.post('/api/v1/import/graduates?dry_run=true', Buffer.from(await g.arrayBuffer()), { headers: { 'Content-Type': XLSX_TYPE } });
  assert.equal(gd.status, 200, gd.text);
  assert.deepEqual(gd.json.errors, []);
  assert.equal(gd.json.changed_rows, 0, 'an untouched export changes nothing');
  // not a workbook
  const junk = await coord.post('/api/v1/import/companies?dry_run=true', Buffer.from('PK\x03\x04 not really'), { headers: { 'Content-Type': XLSX_TYPE } });
  assert.equal(junk.status, 400);
  assert.equal(junk.json.error.field, 'file');
});

test('contacts (network directory): an export edited and imported back updates by id with the version check; shared contacts of another operator, stale rows and duplicates are reported on their rows', async () => {
  const si = await login(srv.base, USERS.coordinatorSi.email);
  const mk = async (c, body) => { const r = await c.post('/api/v1/contacts', body); assert.equal(r.status, 201, r.text); return r.json; };
  // Icelandic (no demo contact speaks it) selects this test's contacts: the directory's full-text
  // search (?q=) has no PostgreSQL form yet, its filters do.
  const fisk = await mk(coord, { kind: 'organisation', category: 'importer', name: `${unique} Fisk AB`, email: `fisk.${unique}@example.org`,
    country: 'SE', city: 'Göteborg', hs: ['0306'], languages: ['sv', 'is'], tags: ['seafood'], visibility: 'shared' });
  const lena = await mk(coord, { kind: 'person', category: 'distributor', name: `Lena ${unique}`, organisation: 'Nordic Seafood AB',
    roles: 'Buyer', email: `lena.${unique}@example.org`, country: 'SE', languages: ['is'], legal_basis: 'legitimate_interest', visibility: 'private' });
  const ribe = await mk(si, { kind: 'organisation', category: 'agent', name: `${unique} Ribe Agent`, country: 'SI', languages: ['is'], visibility: 'shared' });
  const olle = await mk(coord, { kind: 'person', category: 'agent', name: 'Olle Annan', email: 'olle.annan@example.org',
    legal_basis: 'legitimate_interest', visibility: 'private' });   // not in the exported list

  const table = await exportCsv(`/api/v1/contacts?format=csv&lang=en&language=is`);
  const [header] = table;
  const col = (h) => header.indexOf(h);
  assert.equal(header[0], 'ID');
  assert.ok(header.includes('Version') && header.includes('Operator'), header.join('|'));
  const row = (id) => table.find((r) => r[col('ID')] === String(id));
  assert.deepEqual([fisk.id, lena.id, ribe.id].map((id) => !!row(id)), [true, true, true], 'the shared contact of another operator is listed too');
  assert.equal(row(fisk.id)[col('Operator')], 'ITM Sweden');
  row(fisk.id)[col('City')] = 'Malmö';
  row(fisk.id)[col('Tags')] = '';
  row(lena.id)[col('Roles')] = 'Head of purchasing';
  const fresh = header.map(() => '');
  Object.assign(fresh, { [col('Kind')]: 'person', [col('Category')]: 'importer', [col('Name')]: `Hanna ${unique}`, [col('Country')]: 'SE',
    [col('Languages')]: 'is', [col('Legal basis')]: 'legitimate_interest' });
  table.push(fresh);
  const body = toCsv(table);
  const done = await importChecked('contacts', body, [1, 2, 1]);
  assert.deepEqual(done.updated_ids.sort(), [fisk.id, lena.id].sort());
  const now = (await coord.get(`/api/v1/contacts/${fisk.id}`)).json;
  assert.deepEqual([now.city, now.tags, now.hs, now.languages, now.version, now.visibility], ['Malmö', [], ['0306'], ['sv', 'is'], 2, 'shared']);
  assert.equal((await coord.get(`/api/v1/contacts/${lena.id}`)).json.roles, 'Head of purchasing');
  assert.equal((await si.get(`/api/v1/contacts/${ribe.id}`)).json.version, 1, 'the unchanged row writes nothing');
  assert.ok((await coord.get(`/api/v1/audit?entity=contact&entity_id=${fisk.id}`)).json.items.some((x) => x.action === 'update'), 'audited');

  // The same file again: both versions are stale now - each on its row, nothing written (all or nothing).
  const stale = await coord.post('/api/v1/import/contacts?dry_run=false', body, CSV);
  assert.equal(stale.status, 422, stale.text);
  const staleRows = stale.json.errors.filter((x) => x.field === 'version').map((x) => x.row).sort();
  assert.deepEqual(staleRows, [table.indexOf(row(fisk.id)) + 1, table.indexOf(row(lena.id)) + 1].sort());
  assert.match(stale.json.errors[0].message, /changed after this file was exported/);

  // Another operator's shared contact, a duplicate e-mail, the API's rules: each on its row.
  const again = await exportCsv(`/api/v1/contacts?format=csv&lang=en&language=is`);
  const r2 = (id) => again.find((r) => r[col('ID')] === String(id));
  r2(ribe.id)[col('City')] = 'Koper';
  r2(lena.id)[col('Email')] = 'olle.annan@example.org';
  r2(fisk.id)[col('Kind')] = 'person';   // a person needs a legal basis
  const bad = await coord.post('/api/v1/import/contacts?dry_run=true', toCsv(again), CSV);
  const at = (id, field) => bad.json.errors.find((x) => x.row === again.indexOf(r2(id)) + 1 && x.field === field);
  assert.match(at(ribe.id, 'id')?.message ?? '', /shared by another operator/, JSON.stringify(bad.json.errors));
  assert.match(at(lena.id, 'duplicate_of')?.message ?? '', new RegExp(`duplicate of contact ${olle.id} \\(Olle Annan, same e-mail\\)`), JSON.stringify(bad.json.errors));
  assert.ok(at(fisk.id, 'legal_basis'), JSON.stringify(bad.json.errors));

  // Swedish and machine headers import back unchanged.
  assert.deepEqual(await reimportsUnchanged('contacts', 'language=is'), [4, 4]);

  // XLSX, edited by a spreadsheet program.
  const file = await editedXlsx(`/api/v1/contacts?format=xlsx&lang=en&language=is`, 'contacts.xlsx', `
for row in ws.iter_rows(min_row=2):
    if str(row[head.index('ID')].value) == sys.argv[2]:
        row[head.index('Phone')].value = '+46 31 12 34 56'`, String(lena.id));
  const x = await coord.post('/api/v1/import/contacts?dry_run=false', readFileSync(file), { headers: { 'Content-Type': XLSX_TYPE } });
  assert.equal(x.status, 201, x.text);
  assert.deepEqual(x.json.updated_ids, [lena.id]);
  assert.equal((await coord.get(`/api/v1/contacts/${lena.id}`)).json.phone, '+46 31 12 34 56');
});
