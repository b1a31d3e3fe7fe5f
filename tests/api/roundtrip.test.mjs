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
  const dry = await coord.post('/api/v1/import/companies?dry_run=true', body, CSV);
  assert.equal(dry.status, 200, dry.text);
  assert.deepEqual(dry.json.errors, []);
  assert.deepEqual([dry.json.new_rows, dry.json.changed_rows, dry.json.unchanged_rows], [1, 1, 1]);
  const done = await coord.post('/api/v1/import/companies?dry_run=false', body, CSV);
  assert.equal(done.status, 201, done.text);
  assert.deepEqual(done.json.updated_ids, [a.id]);
  assert.equal(done.json.created, 1);
  assert.equal(done.json.unchanged, 1);
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
  for (const q of ['lang=sv', 'headers=machine']) {
    const r = await coord.get(`/api/v1/companies?format=csv&${q}&q=${unique}`);
    const d = await coord.post('/api/v1/import/companies?dry_run=true', r.text, CSV);
    assert.equal(d.status, 200, d.text);
    assert.deepEqual(d.json.errors, [], q);
    assert.equal(d.json.unchanged_rows, 3, q);
  }
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

test('XLSX: an export edited in a spreadsheet program imports back (API and CLI)', async () => {
  const res = await fetch(`${srv.base}/api/v1/companies?format=xlsx&lang=en&q=${unique}&sort=name`, { headers: { Cookie: `tb_session=${coord.cookie}` } });
  assert.equal(res.status, 200);
  const file = join(srv.dir, 'companies.xlsx');
  writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  const py = python();
  assert.ok(py, 'openpyxl is needed (python3-openpyxl)');
  // Change Beta's employees, add a row; saved by openpyxl (shared strings, its own styles).
  const edit = `
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1]); ws = wb.active
head = [c.value for c in ws[1]]
for row in ws.iter_rows(min_row=2):
    if row[head.index('Legal name')].value.endswith('Beta AB'):
        row[head.index('Employees')].value = 7
new = [None] * len(head)
new[head.index('Legal name')] = sys.argv[2]; new[head.index('Country')] = 'SE'; new[head.index('Employees')] = 3
ws.append(new)
wb.save(sys.argv[1])
`;
  const p = spawnSync(py, ['-c', edit, file, `${unique} Delta AB`], { encoding: 'utf8' });
  assert.equal(p.status, 0, p.stderr);
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
