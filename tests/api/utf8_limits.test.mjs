// utf8_limits.test.mjs - text as long as validation allows, in scripts of
// two to four bytes a character, comes back whole: error messages that quote
// it are cut at a character boundary (still valid JSON), list cursors carry
// long sort keys (pages and exports do not stop early), and a user's name of
// the longest length survives the account's own record.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, request, assertError, runCli, USERS, resolveUserIds } from './lib.mjs';

let srv, admin, coord;

before(async () => {
  srv = await startServer();
  admin = await login(srv.base, USERS.admin.email);
  coord = await login(srv.base, USERS.coordinator.email);
  await resolveUserIds(admin);
});
after(async () => { if (srv) await srv.stop(); });

test('an unknown field of 128 "é" answers 400 with a JSON body whose message is valid UTF-8', async () => {
  const field = 'é'.repeat(128);
  const r = await coord.post('/api/v1/companies', { legal_name: 'Valid AB', country: 'SE', [field]: 1 });
  assert.equal(r.status, 400, r.text);
  assert.ok(r.text.length > 0, 'the body is not empty');
  assert.equal(r.json.error.code, 'validation_failed');
  assert.match(r.json.error.message, /^(é)+/);
  assert.ok(!r.json.error.message.includes('\uFFFD') && !r.json.error.field.includes('\uFFFD'), 'no broken character');
  assert.ok(field.startsWith(r.json.error.field), r.json.error.field);
  // the same inside a nested object, where the path is built from the name
  const nested = await coord.post('/api/v1/companies', {
    legal_name: 'Valid AB', country: 'SE', contacts: [{ name: 'A', [field]: 1 }],
  });
  assert.equal(nested.status, 400, nested.text);
  assert.ok(nested.json && !nested.json.error.message.includes('\uFFFD'), nested.text);
});

test('three companies with 199-character CJK names all come back through pagination and in the CSV export', async () => {
  const tag = '貿易試験';
  const names = ['甲', '乙', '丙'].map((c) => (tag + c).padEnd(199, '東'));
  assert.ok(names.every((n) => [...n].length === 199 && Buffer.byteLength(n) > 590));
  const ids = [];
  for (const legal_name of names) {
    const r = await coord.post('/api/v1/companies', { legal_name, country: 'SE' });
    assert.equal(r.status, 201, r.text);
    ids.push(r.json.id);
  }
  const q = encodeURIComponent(tag);
  const seen = [];
  let cursor = null;
  for (let page = 0; page < 10; page++) {
    const r = await coord.get(`/api/v1/companies?sort=name&limit=1&q=${q}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    assert.equal(r.status, 200, r.text);
    seen.push(...r.json.items.map((c) => c.legal_name));
    cursor = r.json.next_cursor;
    if (!cursor) break;
  }
  assert.deepEqual(seen, [...names].sort(), 'every company, in name order');
  const csv = await coord.get(`/api/v1/companies?sort=name&limit=1&q=${q}&format=csv`);
  assert.equal(csv.status, 200, csv.text);
  for (const n of names) assert.ok(csv.text.includes(n), `${n.slice(0, 6)}… is in the export`);
});

test('a user name of the longest length, four bytes a character, round-trips through the account', async () => {
  const name = '😀'.repeat(200);   // 800 bytes of UTF-8
  const viewer = await login(srv.base, USERS.viewer.email);
  const u = (await admin.get(`/api/v1/users/${USERS.viewer.id}`)).json;
  const r = await admin.patch(`/api/v1/users/${USERS.viewer.id}`, { name, version: u.version });
  assert.equal(r.status, 200, r.text);
  const me = await viewer.get('/api/v1/me');
  assert.equal(me.status, 200, me.text);
  assert.equal(me.json.user.name, name);
  assertError(await admin.patch(`/api/v1/users/${USERS.viewer.id}`, { name: name + 'x', version: u.version + 1 }),
    400, 'validation_failed', { field: 'name' });
  // the command line refuses what the API refuses
  const cli = runCli(['user', 'add', 'long.name@example.org', '--name', 'é'.repeat(201), '--org', 'ITM Sweden',
    '--role', 'viewer', '--password-stdin', '--db', srv.db], { input: 'A-long-enough-password\n' });
  assert.notEqual(cli.status, 0);
  assert.match(cli.stderr, /--name: must be UTF-8 text of 1 to 200 characters/);
});

test('a login with an address of 254 characters is throttled on its own, not with others sharing a prefix', async () => {
  const prefix = `${'a'.repeat(240)}@example.`;   // 249 characters
  for (let i = 0; i < 5; i++) {
    const r = await request(srv.base, 'POST', '/api/v1/auth/login', { email: `${prefix}org`, password: 'wrong' });
    assert.equal(r.status, 401, r.text);
  }
  const locked = await request(srv.base, 'POST', '/api/v1/auth/login', { email: `${prefix}org`, password: 'wrong' });
  assert.equal(locked.status, 429, locked.text);
  const other = await request(srv.base, 'POST', '/api/v1/auth/login', { email: `${prefix}net`, password: 'wrong' });
  assert.equal(other.status, 401, `a different address is not locked out: ${other.text}`);
});
