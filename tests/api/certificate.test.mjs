// API tests: the PDF certificate is a copy of the signed credential. It
// prints the name the credential was signed with (not today's record), says
// so when an older credential carries no name, and long names wrap without
// running into each other. Reads the PDF with pdftotext (poppler-utils).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startServer, login, expect, inviteAndLogin, mkCompany, mkGraduate, USERS, uniq,
} from './programme_lib.mjs';

process.env.TRADEBRIDGE_KEK = randomBytes(32).toString('base64');

let srv, coord, admin, dir;

before(async () => {
  srv = await startServer();
  coord = await login(srv.base, USERS.coord);
  admin = await login(srv.base, USERS.admin);
  dir = mkdtempSync(join(tmpdir(), 'tb-cert-'));
});
after(async () => {
  rmSync(dir, { recursive: true, force: true });
  await srv.stop();
});

let pdfSeq = 0;
function pdftotext(pdf, ...args) {
  const file = join(dir, `c${++pdfSeq}.pdf`);
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', [...args, file, '-'], { encoding: 'utf8' });
}
/* The page's text with line breaks and runs of spaces made single spaces. */
const flat = (t) => t.replace(/\s+/g, ' ');

async function certificate(client, id) {
  const r = await client.get(`/api/v1/credentials/${id}/certificate.pdf`);
  assert.equal(r.status, 200, `certificate ${id}: ${r.status}`);
  assert.equal(r.headers.get('content-type'), 'application/pdf');
  return r.body;
}

async function demoCredentials() {
  const list = expect(await coord.get('/api/v1/credentials?limit=200'), 200).items;
  assert.ok(list.length >= 2, 'the demo issued credentials');
  return list;
}

test('new credentials name their holder (OB 3.0 IdentityObject, not hashed) beside the hashed e-mail', async () => {
  const [c] = await demoCredentials();
  const ids = c.document.credentialSubject.identifier;
  assert.equal(ids[0].identityType, 'emailAddress');
  assert.equal(ids[0].hashed, true);
  const g = expect(await coord.get(`/api/v1/graduates/${c.graduate_id}`), 200);
  assert.deepEqual(ids[1], { type: 'IdentityObject', identityHash: g.name, identityType: 'name', hashed: false });
  // (the demo's credentials were signed under the demo's address; one issued
  // here verifies below, and tests/api/interop.test.mjs checks the demo's
  // with an independent verifier)
});

test('a renamed graduate and achievement do not change the certificate: it prints what was signed', async () => {
  const [c] = await demoCredentials();
  const g = expect(await coord.get(`/api/v1/graduates/${c.graduate_id}`), 200);
  const ach = expect(await coord.get(`/api/v1/achievements/${c.achievement_id}`), 200);
  const before = flat(pdftotext(await certificate(coord, c.id)));
  assert.ok(before.includes(g.name), `the holder's name is printed:\n${before}`);
  expect(await coord.patch(`/api/v1/graduates/${g.id}`, { name: 'Renamed Afterwards', version: g.version }), 200);
  expect(await coord.patch(`/api/v1/achievements/${ach.id}`, { name: 'Doctor of Everything', version: ach.version }), 200);
  const text = flat(pdftotext(await certificate(coord, c.id)));
  assert.ok(text.includes(g.name), `the signed name is still printed:\n${text}`);
  assert.ok(!text.includes('Renamed Afterwards'), 'today\'s name is not');
  assert.ok(text.includes(c.document.credentialSubject.achievement.name), 'the signed achievement name is printed');
  assert.ok(!text.includes('Doctor of Everything'));
  assert.ok(text.includes(c.document.validFrom.slice(0, 10)), 'the date it was signed');
  assert.ok(text.includes(c.credential_id));
  assert.match(text, /European Qualifications Framework level 6/);
});

test('an older credential without a name says the name is not recorded', async () => {
  const list = await demoCredentials();
  const c = list[1];
  // A credential signed before names were included: the hashed e-mail only.
  execFileSync('sqlite3', [srv.db, '.timeout 10000',
    `UPDATE credentials SET document = json_remove(document, '$.credentialSubject.identifier[1]') WHERE id = ${c.id}`]);
  const shown = expect(await coord.get(`/api/v1/credentials/${c.id}`), 200);
  assert.equal(shown.document.credentialSubject.identifier.length, 1);
  const g = expect(await coord.get(`/api/v1/graduates/${c.graduate_id}`), 200);
  const text = flat(pdftotext(await certificate(coord, c.id)));
  assert.match(text, /Holder's name not recorded in this credential/);
  assert.ok(!text.includes(g.name), 'no name from the database instead');
});

/* Text blocks of the page as pdftotext lays them out: [{yMin, yMax, xMin, xMax, text}]. */
function blocks(pdf) {
  const html = pdftotext(pdf, '-bbox-layout');
  return [...html.matchAll(/<block xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([\s\S]*?)<\/block>/g)]
    .map((m) => ({
      xMin: +m[1], yMin: +m[2], xMax: +m[3], yMax: +m[4],
      text: [...m[5].matchAll(/<word[^>]*>([^<]*)<\/word>/g)].map((w) => w[1]).join(' '),
    }));
}

test('a long issuer name and a long achievement name wrap and never overlap the text below', async () => {
  // the operator's longest name and the achievement's longest name
  const org = expect(await admin.get('/api/v1/orgs/2'), 200);
  const issuer = ('Nationella exportrådet för små och medelstora företag ').repeat(3).slice(0, 120).trim();
  expect(await admin.patch('/api/v1/orgs/2', { name: issuer, version: org.version }), 200);
  const achName = ('Certified International Trade and Export Development Specialist ').repeat(4).slice(0, 200).trim();
  const ach = expect(await coord.post('/api/v1/achievements', {
    name: achName, description: 'Applied international trade at an exporting SME. '.repeat(40).trim(),
    criteria: 'Export project signed off by the mentor.', eqf_level: '6', credits: 60,
  }), 201);
  // a completed placement to award it for
  const company = await mkCompany(coord);
  const g = await mkGraduate(coord, { email: `${uniq('grad')}@example.org` });
  const trainee = await inviteAndLogin(srv, coord, { email: g.email, name: g.name, role: 'trainee', subject_type: 'graduate', subject_id: g.id });
  const boss = await inviteAndLogin(srv, coord, { email: `${uniq('boss')}@example.org`, name: 'Boss', role: 'company', subject_type: 'company', subject_id: company.id });
  let p = expect(await coord.post('/api/v1/placements', {
    graduate_id: g.id, company_id: company.id, start_date: '2026-01-10', end_date: '2026-10-31',
    objectives: 'Open the German market', currency: 'SEK', stipend: 2500000,
  }), 201);
  for (const party of [trainee, boss, coord])
    p = expect(await party.post(`/api/v1/placements/${p.id}/accept`, { terms_hash: p.agreement.terms_hash }), 200);
  expect(await coord.post(`/api/v1/placements/${p.id}/status`, { status: 'completed' }), 200);
  const cred = expect(await coord.post('/api/v1/credentials', { graduate_id: g.id, achievement_id: ach.id, placement_id: p.id }), 201);

  assert.deepEqual(cred.document.credentialSubject.identifier[1],
    { type: 'IdentityObject', identityHash: g.name, identityType: 'name', hashed: false });
  const v = await (await fetch(`${srv.base}/api/v1/public/verify`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(cred.document),
  })).json();
  assert.equal(v.verified, true, JSON.stringify(v));

  const pdf = await certificate(trainee, cred.id);
  const text = flat(pdftotext(pdf));
  for (const word of issuer.split(' ').concat(achName.split(' '), g.name.split(' ')))
    assert.ok(text.includes(word), `"${word}" is on the page:\n${text}`);
  assert.ok(text.includes(cred.credential_id), `the whole credential id is on the page:\n${text}`);
  const bs = blocks(pdf);
  assert.ok(bs.length >= 6, JSON.stringify(bs));
  for (let i = 0; i < bs.length; i++) {
    const a = bs[i];
    assert.ok(a.xMin >= 36 && a.xMax <= 595.3 - 36 && a.yMin >= 36 && a.yMax <= 841.9 - 36, `inside the frame: ${JSON.stringify(a)}`);
    for (let j = i + 1; j < bs.length; j++) {
      const b = bs[j];
      const overlap = a.xMin < b.xMax && b.xMin < a.xMax && a.yMin < b.yMax && b.yMin < a.yMax;
      assert.ok(!overlap, `blocks overlap:\n${JSON.stringify(a)}\n${JSON.stringify(b)}`);
    }
  }
  expect(await admin.patch('/api/v1/orgs/2', { name: org.name, version: org.version + 1 }), 200);
});
