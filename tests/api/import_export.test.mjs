// import_export.test.mjs - CSV import of companies and graduates (dry run,
// all-or-nothing commit, errors with row and column) and CSV/XLSX export of
// the list views (all pages, same filters, formula protection), against the
// real server. The XLSX file is read back with Python's openpyxl.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { startServer, login, runCli, USERS, ORGS, assertError, csvRows } from './lib.mjs';

let srv, coord, admin;

before(async () => {
  srv = await startServer();
  coord = await login(srv.base, USERS.coordinator.email);
  admin = await login(srv.base, USERS.admin.email);
});

after(async () => {
  if (srv) await srv.stop();
});

const CSV = { headers: { 'Content-Type': 'text/csv' } };

/** The rows of a CSV file as objects keyed by the header. */
function parseCsv(text) {
  const [header, ...data] = csvRows(text);
  return data.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

const unique = `T${Date.now().toString(36)}`;

const companiesBad = [
  'legal_name,country,nace,employees,currency,turnover,products,export_markets,contact_name,contact_email',
  `${unique} Good AB,SE,46.38,40,SEK,1250000.50,030617;0302,DE;FR,Anna Berg,anna@example.se`,
  `"${unique} Bad, ""Quoted"" Ltd",XX,46.38,many,EUR,12.345,030617,DE;QQ,,not-an-email`,
  `${unique} Yen KK,JP,,3,JPY,1000.5,,,,`,
].join('\r\n');

test('dry run reports every bad cell with its row and column, writes nothing', async () => {
  const r = await coord.post('/api/v1/import/companies?dry_run=true', companiesBad, CSV);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.rows, 3);
  assert.equal(r.json.valid, 1);
  const errs = r.json.errors.map((e) => `${e.row}/${e.column}`);
  for (const want of ['3/country', '3/employees', '3/turnover', '3/export_markets', '3/contact_name', '3/contact_email', '4/turnover'])
    assert.ok(errs.includes(want), `expected an error at ${want}; got ${JSON.stringify(r.json.errors)}`);
  const country = r.json.errors.find((e) => e.column === 'country');
  assert.equal(country.field, 'country');
  assert.match(country.message, /XX/);
  const list = await coord.get(`/api/v1/companies?q=${encodeURIComponent(unique)}`);
  assert.equal(list.json.items.length, 0);
});

test('commit with bad rows is 422 with the report and creates nothing', async () => {
  const r = await coord.post('/api/v1/import/companies?dry_run=false', companiesBad, CSV);
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.error.code, 'import_rejected');
  assert.ok(r.json.errors.length >= 7);
  const list = await coord.get(`/api/v1/companies?q=${encodeURIComponent(unique)}`);
  assert.equal(list.json.items.length, 0);
});

test('the request as a whole: content type, kind, staff only, admin names the operator', async () => {
  assertError(await coord.post('/api/v1/import/companies', companiesBad, { headers: { 'Content-Type': 'application/json' } }),
    415, 'unsupported_media_type');
  assertError(await coord.post('/api/v1/import/positions', companiesBad, CSV), 404, 'not_found');
  assertError(await coord.post('/api/v1/import/companies?dry_run=maybe', companiesBad, CSV), 400, 'validation_failed', { field: 'dry_run' });
  assertError(await admin.post('/api/v1/import/companies', companiesBad, CSV), 400, 'validation_failed', { field: 'org_id' });
  assertError(await coord.post('/api/v1/import/companies', '\r\n', CSV), 400, 'validation_failed');
  const company = await login(srv.base, USERS.company.email);
  assertError(await company.post('/api/v1/import/companies', companiesBad, CSV), 403, 'forbidden');
  const r = await admin.post(`/api/v1/import/companies?org_id=${ORGS.sweden}`, companiesBad, CSV);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.valid, 1);
});

test('a newline inside a quoted cell is one cell (the API refuses it in a name) and keeps the row count', async () => {
  const body = 'legal_name,country\r\n"Two\r\nLines",SE\r\nNext,XX\r\n';
  const r = await coord.post('/api/v1/import/companies', body, CSV);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.rows, 2);
  assert.deepEqual(r.json.errors.map((e) => [e.row, e.column]), [[2, 'legal_name'], [3, 'country']]);
  assert.match(r.json.errors[0].message, /control characters/);
});

const many = 230;   // more than one export page (200)

test('clean commit creates every row, listed afterwards, audited', async () => {
  const lines = ['legal_name,country,currency,turnover,products,contact_name,contact_phone,website'];
  lines.push(`${unique} Good AB,SE,SEK,1250000.50,"030617; 0302",Anna Berg,+46 70 123 45 67,https://example.se`);
  lines.push(`"=1+2 ${unique} Formula",SE,,,,,,`);
  lines.push(`"${unique} Quoted ""Q"", Inc",SE,JPY,,,,,`);
  for (let i = 0; i < many; i++) lines.push(`${unique} Bulk ${String(i).padStart(3, '0')},SE,,,,,,`);
  const body = '\ufeff' + lines.join('\r\n') + '\r\n';
  const dry = await coord.post('/api/v1/import/companies?dry_run=true', body, CSV);
  assert.equal(dry.status, 200, dry.text);
  assert.deepEqual({ rows: dry.json.rows, valid: dry.json.valid, errors: dry.json.errors }, { rows: many + 3, valid: many + 3, errors: [] });
  const r = await coord.post('/api/v1/import/companies?dry_run=false', body, CSV);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.created, many + 3);
  assert.equal(r.json.ids.length, many + 3);
  const first = await coord.get(`/api/v1/companies/${r.json.ids[0]}`);
  assert.equal(first.status, 200);
  assert.equal(first.json.turnover, 125000050);
  assert.deepEqual(first.json.products, ['030617', '0302']);
  assert.deepEqual(first.json.contacts, [{ name: 'Anna Berg', phone: '+46 70 123 45 67' }]);
  const quoted = await coord.get(`/api/v1/companies/${r.json.ids[2]}`);
  assert.equal(quoted.json.legal_name, `${unique} Quoted "Q", Inc`);
  const all = await coord.all(`/api/v1/companies?q=${encodeURIComponent(unique)}`, 200);
  assert.equal(all.length, many + 3);
  const audit = await coord.get(`/api/v1/audit?entity=company&entity_id=${r.json.ids[0]}`);
  assert.equal(audit.status, 200);
  assert.equal(audit.json.items[0].action, 'create');
});

test('graduates: languages, countries, and duplicate e-mails (in the file and in the database)', async () => {
  const g = [
    'name,email,languages,countries,eqf_level,graduation_year,available_from',
    `${unique} Åsa,asa.${unique}@example.se,"de:B2;en:C1;sv:native","DE:12:studied;FR:6:lived",7,2024,2026-01-01`,
  ].join('\n');
  const ok = await coord.post('/api/v1/import/graduates?dry_run=false', g, CSV);
  assert.equal(ok.status, 201, ok.text);
  const rec = await coord.get(`/api/v1/graduates/${ok.json.ids[0]}`);
  assert.deepEqual(rec.json.languages, [{ code: 'de', level: 'B2' }, { code: 'en', level: 'C1' }, { code: 'sv', level: 'native' }]);
  assert.deepEqual(rec.json.countries, [{ country: 'DE', months: 12, kind: 'studied' }, { country: 'FR', months: 6, kind: 'lived' }]);
  const dup = [
    'name,email,languages',
    `Again,asa.${unique}@example.se,`,
    `New,new.${unique}@example.se,de:B2`,
    `New twice,new.${unique}@example.se,xx:B2`,
  ].join('\n');
  const r = await coord.post('/api/v1/import/graduates?dry_run=false', dup, CSV);
  assert.equal(r.status, 422, r.text);
  const at = r.json.errors.map((e) => `${e.row}/${e.column}`);
  assert.ok(at.includes('2/email'), JSON.stringify(r.json.errors));   // already in the database
  assert.ok(at.includes('4/email'), JSON.stringify(r.json.errors));   // twice in the file
  assert.ok(at.includes('4/languages'), JSON.stringify(r.json.errors));
  const list = await coord.get(`/api/v1/graduates?q=${encodeURIComponent('New')}`);
  assert.ok(!list.json.items.some((x) => x.email === `new.${unique}@example.se`));
});

test('CSV export: every page, the same filters, money in major units, formula cells protected', async () => {
  const r = await coord.get(`/api/v1/companies?format=csv&headers=machine&q=${encodeURIComponent(unique)}&sort=name`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get('content-type'), 'text/csv; charset=utf-8');
  assert.match(r.headers.get('content-disposition'), /^attachment; filename="companies-\d{4}-\d{2}-\d{2}\.csv"$/);
  const rows = parseCsv(r.text);
  assert.equal(rows.length, many + 3);
  const names = rows.map((x) => x.legal_name);
  assert.deepEqual(names, [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  const good = rows.find((x) => x.legal_name === `${unique} Good AB`);
  assert.equal(good.turnover, '1250000.50');
  assert.equal(good.currency, 'SEK');
  assert.equal(good.products, '030617; 0302');
  assert.ok(rows.some((x) => x.legal_name === `'=1+2 ${unique} Formula`), 'a formula-like cell starts with an apostrophe');
  assert.ok(rows.some((x) => x.legal_name === `${unique} Quoted "Q", Inc`));
  assert.equal(good.contacts, 'Anna Berg::+46 70 123 45 67');   // name:email:phone:role, as the importer reads it
  const filtered = await coord.get(`/api/v1/companies?format=csv&headers=machine&q=${encodeURIComponent(`${unique} Bulk 00`)}`);
  assert.equal(parseCsv(filtered.text).length, 10);
  assertError(await coord.get('/api/v1/companies?format=pdf'), 400, 'validation_failed', { field: 'format' });
  assertError(await coord.get('/api/v1/companies?format=csv&headers=json'), 400, 'validation_failed', { field: 'headers' });
  assertError(await coord.get('/api/v1/companies?format=csv&lang=de'), 400, 'validation_failed', { field: 'lang' });
});

test('CSV export of graduates shows languages as de:B2', async () => {
  const r = await coord.get(`/api/v1/graduates?format=csv&headers=machine&q=${encodeURIComponent(unique)}`);
  assert.equal(r.status, 200, r.text);
  const rows = parseCsv(r.text);
  assert.equal(rows.length, 1);
  assert.equal(rows[0].languages, 'de:B2; en:C1; sv:native');
  assert.equal(rows[0].countries, 'DE:12:studied; FR:6:lived');
});

test('an export imports back', async () => {
  const r = await coord.get(`/api/v1/graduates?format=csv&headers=machine&q=${encodeURIComponent(unique)}`);
  const row = parseCsv(r.text)[0];
  const back = ['name,email,languages,countries,eqf_level,graduation_year,available_from',
    [row.name + ' copy', 'copy.' + row.email, `"${row.languages}"`, `"${row.countries}"`, row.eqf_level, row.graduation_year, row.available_from].join(',')].join('\n');
  const d = await coord.post('/api/v1/import/graduates?dry_run=true', back, CSV);
  assert.equal(d.status, 200, d.text);
  assert.deepEqual(d.json.errors, []);
});

test('XLSX export opens in a reader: bold frozen header, numbers and money as numbers', async () => {
  const res = await fetch(`${srv.base}/api/v1/companies?format=xlsx&headers=machine&q=${encodeURIComponent(unique)}`, {
    headers: { Cookie: `tb_session=${coord.cookie}` },
  });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.match(res.headers.get('content-disposition'), /filename="companies-\d{4}-\d{2}-\d{2}\.xlsx"/);
  const bytes = Buffer.from(await res.arrayBuffer());
  assert.equal(bytes.subarray(0, 2).toString(), 'PK');
  const file = join(srv.dir, 'export.xlsx');
  writeFileSync(file, bytes);
  const py = `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb.active
rows = [[c.value if not hasattr(c.value, 'isoformat') else c.value.isoformat() for c in r] for r in ws.iter_rows()]
print(json.dumps({"title": ws.title, "freeze": ws.freeze_panes, "bold": ws["A1"].font.b,
                  "rows": rows, "width_a": ws.column_dimensions["A"].width}))
`;
  // The first Python that has openpyxl (a pyenv python3 may shadow Debian's).
  const python = ['python3', '/usr/bin/python3'].find((exe) =>
    spawnSync(exe, ['-c', 'import openpyxl'], { encoding: 'utf8' }).status === 0);
  assert.ok(python, 'openpyxl is needed (Debian: python3-openpyxl, see scripts/install-deps.sh)');
  const p = spawnSync(python, ['-c', py, file], { encoding: 'utf8' });
  assert.equal(p.status, 0, p.stderr);
  const x = JSON.parse(p.stdout);
  assert.equal(x.title, 'companies');
  assert.equal(x.freeze, 'A2');
  assert.equal(x.bold, true);
  assert.ok(x.width_a > 5);
  const [header, ...data] = x.rows;
  assert.equal(data.length, many + 3);
  const col = (n) => header.indexOf(n);
  const good = data.find((r) => r[col('legal_name')] === `${unique} Good AB`);
  assert.equal(good[col('turnover')], 1250000.5);
  assert.equal(typeof good[col('id')], 'number');
  assert.ok(data.some((r) => r[col('legal_name')] === `=1+2 ${unique} Formula`), 'stored as text, not a formula');
});

test('users and audit export too (staff lists with their own filters)', async () => {
  const u = await coord.get('/api/v1/users?format=csv&headers=machine');
  assert.equal(u.status, 200, u.text);
  assert.match(u.headers.get('content-disposition'), /filename="users-/);
  const users = parseCsv(u.text);
  assert.ok(users.some((x) => x.email === USERS.coordinator.email));
  assert.ok(!Object.keys(users[0]).some((k) => /password/.test(k)));
  const a = await coord.get('/api/v1/audit?format=xlsx&headers=machine&entity=company');
  assert.equal(a.status, 200, a.text);
  assert.equal(a.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  for (const list of ['cohorts', 'positions', 'applications', 'placements']) {
    const r = await coord.get(`/api/v1/${list}?format=csv&headers=machine`);
    assert.equal(r.status, 200, `${list}: ${r.text}`);
    assert.match(r.headers.get('content-disposition'), new RegExp(`filename="${list}-`));
  }
});

test('CLI: tradebridge import prints one line per error; exit 1 on errors, 0 when clean, 2 on usage', async () => {
  const bad = join(srv.dir, 'bad.csv');
  writeFileSync(bad, `name,nationality\nOk ${unique},SE\nBad ${unique},XX\n`);
  const r = runCli(['import', 'graduates', bad, '--org', String(ORGS.sweden), '--db', srv.db, '--dry-run']);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /^row 3, column nationality: nationality: 'XX' is not a known code$/m);
  const good = join(srv.dir, 'good.csv');
  writeFileSync(good, `name,email\nCli ${unique},cli.${unique}@example.se\n`);
  const dry = runCli(['import', 'graduates', good, '--org', 'ITM Sweden', '--db', srv.db, '--dry-run']);
  assert.equal(dry.status, 0, dry.stdout + dry.stderr);
  assert.match(dry.stdout, /dry run/);
  const ok = runCli(['import', 'graduates', good, '--org', String(ORGS.sweden), '--db', srv.db]);
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /imported 1 row \(/);
  const list = await coord.get(`/api/v1/graduates?q=${encodeURIComponent(`Cli ${unique}`)}`);
  assert.equal(list.json.items.length, 1);
  assert.equal(runCli(['import', 'graduates', good, '--db', srv.db]).status, 2);       // no --org
  assert.equal(runCli(['import', 'people', good, '--org', '2', '--db', srv.db]).status, 2);
});
