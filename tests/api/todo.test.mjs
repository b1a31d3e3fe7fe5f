// todo.test.mjs - issue 17: each person's to-do list (agreements to sign,
// positions to approve, deliverables, offers), the mail about it per their
// setting (at once, daily digest, never; in their language), and the
// calendar feed of its deadlines at a secret address that can be replaced
// or turned off. The server's own to-do pass is off (--todo-mail-interval 0):
// `tradebridge todo mail` runs the passes, so what each one queues is known.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, login, request, runCli, assertError, USERS, dbExec } from './lib.mjs';

let srv, coord, company, trainee, mentor, comp, grad, cohort;
let seq = 0;
const uniq = (p) => `${p} ${process.pid}-${++seq}`;

function ok(r, status, what) {
  assert.equal(r.status, status, `${what}: ${r.status} ${r.text}`);
  return r.json;
}

/** Invites a person with a role, accepts with a password, signs in. */
async function invite(email, name, role, subject) {
  const body = { email, name, role, ...(subject ? { subject_type: subject[0], subject_id: subject[1] } : {}) };
  ok(await coord.post('/api/v1/invitations', body), 201, `invite ${email}`);
  const mail = await srv.smtp.waitForMail((m) => m.to.includes(email) && /accept-invitation\?token=/.test(m.data));
  const token = mail.data.match(/accept-invitation\?token=([A-Za-z0-9_-]+)/)[1];
  const password = `Pw-${role}-${process.pid}-Todo-2026!`;
  ok(await request(srv.base, 'POST', '/api/v1/auth/accept-invitation', { token, password }), 200, 'accept');
  return login(srv.base, email, password);
}

/** One pass of the to-do mailer; returns how many mails it queued. */
function pass(now) {
  const args = ['todo', 'mail', '--db', srv.db, '--public-url', 'http://test.local'];
  if (now) args.push('--now', now);
  const r = runCli(args);
  assert.equal(r.status, 0, r.stderr);
  return Number(r.stdout.match(/todo: (\d+) mails? queued/)[1]);
}

const todo = async (c) => ok(await c.get('/api/v1/me/todo'), 200, 'to-do list').items;

before(async () => {
  srv = await startServer({ smtp: true, args: ['--todo-mail-interval', '0', '--password-cost', 'min'] });
  coord = await login(srv.base, USERS.coordinator.email);
  comp = ok(await coord.post('/api/v1/companies', { legal_name: uniq('Todo Export AB'), country: 'SE' }), 201, 'company');
  grad = ok(await coord.post('/api/v1/graduates', { name: uniq('Tilda Todo'), email: 'tilda.todo@example.org' }), 201, 'graduate');
  cohort = ok(await coord.post('/api/v1/cohorts', { name: uniq('Todo cohort'), start_date: '2027-01-01', end_date: '2027-12-31' }), 201, 'cohort');
  company = await invite('sme.todo@example.org', 'Sune SME', 'company', ['company', comp.id]);
  trainee = await invite('tilda.todo@example.org', 'Tilda Todo', 'trainee', ['graduate', grad.id]);
  mentor = await invite('mentor.todo@example.org', 'Maja Mentor', 'mentor');
  // Everyone's first look: what is open now is recorded, not mailed.
  pass();
});
after(async () => { if (srv) await srv.stop(); });

let placement;

test('an agreement waits on each party until they accept it; its start date is the deadline', async () => {
  placement = ok(await coord.post('/api/v1/placements', {
    graduate_id: grad.id, company_id: comp.id, cohort_id: cohort.id, mentor_user_id: mentor.me.user.id,
    start_date: '2027-02-01', end_date: '2027-07-31', objectives: 'Two distributors in Japan',
  }), 201, 'placement');
  const key = `agreement:${placement.id}`;
  for (const [who, c] of [['coordinator', coord], ['company', company], ['trainee', trainee]]) {
    const it = (await todo(c)).find((x) => x.key === key);
    assert.ok(it, `${who} has the agreement to sign`);
    assert.equal(it.kind, 'agreement');
    assert.equal(it.due, '2027-02-01');
    assert.equal(it.href, `#/placements/${placement.id}`);
    assert.equal(it.overdue, false);
    assert.match(it.text, /^Agreement to sign: Tilda Todo .* at Todo Export AB/);
  }
  assert.ok(!(await todo(mentor)).some((x) => x.key === key), 'the mentor is no party');
  const hash = ok(await coord.get(`/api/v1/placements/${placement.id}`), 200).agreement.terms_hash;
  ok(await coord.post(`/api/v1/placements/${placement.id}/accept`, { terms_hash: hash }), 200, 'operator accepts');
  assert.ok(!(await todo(coord)).some((x) => x.key === key), 'accepted: off the coordinator\'s list');
  assert.ok((await todo(company)).some((x) => x.key === key), 'still on the company\'s');
});

test('a submitted deliverable waits for the placement\'s mentor, not for the coordinators', async () => {
  // a demo mentor with a deliverable waiting for review
  const row = dbExec(srv.db, `SELECT u.email || '|' || m.id || '|' || v.id FROM plan_modules m
    JOIN placements p ON p.id = m.placement_id JOIN users u ON u.id = p.mentor_user_id
    JOIN deliverable_versions v ON v.plan_module_id = m.id AND v.status = 'submitted'
    WHERE m.state = 'submitted' ORDER BY m.id LIMIT 1`);
  assert.ok(row, 'the demo has a deliverable waiting for review');
  const [email, moduleId, versionId] = row.split('|');
  const m = await login(srv.base, email);
  const it = (await todo(m)).find((x) => x.key === `review:${versionId}`);
  assert.ok(it, `${email} has review:${versionId}`);
  assert.equal(it.href, `#/plan-modules/${moduleId}`);
  assert.match(it.text, /^Deliverable to review: /);
  assert.ok(!(await todo(coord)).some((x) => x.key === `review:${versionId}`), 'not the coordinators\' when there is a mentor');
});

test('a submitted position waits for the coordinator\'s approval, and the list is per operator', async () => {
  const p = ok(await company.post('/api/v1/positions', { company_id: comp.id, title: uniq('Todo position') }), 201, 'position');
  ok(await company.post(`/api/v1/positions/${p.id}/status`, { status: 'submitted' }), 200, 'submit');
  const it = (await todo(coord)).find((x) => x.key === `position:${p.id}`);
  assert.ok(it, 'the coordinator has it');
  assert.equal(it.href, `#/positions/${p.id}`);
  assert.ok(!(await todo(company)).some((x) => x.kind === 'position'), 'not the company\'s to approve');
  const si = await login(srv.base, USERS.coordinatorSi.email);
  assert.ok(!(await todo(si)).some((x) => x.key === `position:${p.id}`), 'another operator\'s coordinator does not see it');
  ok(await coord.post(`/api/v1/positions/${p.id}/status`, { status: 'approved' }), 200, 'approve');
  assert.ok(!(await todo(coord)).some((x) => x.key === `position:${p.id}`), 'approved: done');
});

test('settings: language and to-do mail are the person\'s own, checked, and audited', async () => {
  const s = ok(await trainee.get('/api/v1/me/settings'), 200, 'defaults');
  assert.deepEqual({ locale: s.locale, todo_mail: s.todo_mail, calendar: s.calendar }, { locale: null, todo_mail: 'immediately', calendar: false });
  assertError(await trainee.patch('/api/v1/me/settings', { todo_mail: 'hourly' }), 400, 'validation_failed', { field: 'todo_mail' });
  assertError(await trainee.patch('/api/v1/me/settings', { locale: 'de' }), 400, 'validation_failed', { field: 'locale' });
  const u = ok(await company.patch('/api/v1/me/settings', { todo_mail: 'never' }), 200, 'never');
  assert.equal(u.todo_mail, 'never');
  assert.equal(u.locale, null, 'the language is left alone');
  ok(await coord.patch('/api/v1/me/settings', { todo_mail: 'daily', locale: 'sv' }), 200, 'daily, Swedish');
  assert.equal(ok(await coord.get('/api/v1/me/settings'), 200).locale, 'sv');
  const audit = ok(await coord.get(`/api/v1/audit?entity=settings&limit=200`), 200, 'audit');
  assert.ok(audit.items.some((a) => a.entity_id === coord.me.user.id && /"todo_mail"/.test(JSON.stringify(a.changes))), JSON.stringify(audit.items.slice(0, 3)));
  // The to-do list's words follow the language: the setting, or ?lang=.
  const sv = (await todo(coord)).find((x) => x.kind === 'agreement' || x.kind === 'position');
  if (sv) assert.match(sv.text, /Avtal att skriva under|Tjänst som väntar på godkännande/);
  const en = ok(await coord.get('/api/v1/me/todo?lang=en'), 200).items.find((x) => x.kind === 'agreement' || x.kind === 'position');
  if (en) assert.match(en.text, /Agreement to sign|Position awaiting approval/);
});

test('mail: new items at once to those who want it, never to those who chose never, a Swedish daily digest once a day', async () => {
  const p2 = ok(await coord.post('/api/v1/placements', {
    graduate_id: grad.id, company_id: comp.id, cohort_id: cohort.id, start_date: '2027-03-01', end_date: '2027-08-31',
  }), 201, 'second placement');
  // trainee: immediately (default); company: never; coordinator: daily (a digest only from 07:00 UTC)
  assert.equal(pass('2030-01-01T05:00:00Z'), 1, 'one mail: the trainee\'s');
  // Both agreements are new to her (the first one since her first look): one mail lists them.
  const m = await srv.smtp.waitForMail((x) => x.to.includes('tilda.todo@example.org') && /Agreement to sign/.test(x.data));
  assert.match(m.data, /Subject: 2 new things to do in TradeBridge/);
  assert.match(m.data, new RegExp(`http://test\\.local/#/placements/${p2.id}`));
  assert.match(m.data, /due 1 March 2027/);
  assert.match(m.data, /http:\/\/test\.local\/#\/account/, 'says where to change it');
  assert.equal(pass('2030-01-01T05:30:00Z'), 0, 'each item is mailed once');

  assert.equal(pass('2030-01-01T08:00:00Z'), 1, 'the coordinator\'s digest');
  const d = await srv.smtp.waitForMail((x) => x.to.includes(USERS.coordinator.email) && /Din att g/.test(x.data));
  assert.match(d.data, /Subject: =\?UTF-8\?B\?/, 'a Swedish subject, encoded');
  assert.match(d.data, /Hej /);
  assert.match(d.data, /Avtal att skriva under: Tilda Todo/);
  assert.match(d.data, /senast 1 mars 2027/);
  assert.equal(pass('2030-01-01T20:00:00Z'), 0, 'one digest a day');
  assert.equal(pass('2030-01-02T07:10:00Z'), 1, 'and the next day again');
  assert.ok(!srv.smtp.messages.some((x) => x.to.includes('sme.todo@example.org') && /Agreement to sign|Avtal/.test(x.data)),
    'the company chose never');
});

test('calendar feed: a secret address per person with their deadlines as all-day events; replaced or turned off, the old one is gone', async () => {
  assertError(await request(srv.base, 'GET', `/api/v1/calendar/${'0'.repeat(40)}.ics`), 404, 'not_found');
  const c1 = ok(await trainee.post('/api/v1/me/calendar'), 201, 'new address');
  assert.match(c1.url, /^http:\/\/test\.local\/api\/v1\/calendar\/[0-9a-f]{40}\.ics$/);
  assert.equal(ok(await trainee.get('/api/v1/me/settings'), 200).calendar, true);
  const path = new URL(c1.url).pathname;
  const r = await request(srv.base, 'GET', path);
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type'), /^text\/calendar/);
  assert.equal(r.headers.get('cache-control'), 'private, no-store');
  const ics = r.text;
  assert.ok(ics.startsWith('BEGIN:VCALENDAR\r\n') && ics.trimEnd().endsWith('END:VCALENDAR'), ics);
  assert.ok(!/[^\r]\n/.test(ics), 'every line ends with CRLF');
  for (const line of ics.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75, `folded at 75 octets: ${line}`);
  const unfolded = ics.replace(/\r\n[ \t]/g, '');
  assert.match(unfolded, new RegExp(`UID:agreement:${placement.id}-\\d+@tradebridge`));
  assert.match(unfolded, /DTSTART;VALUE=DATE:20270201\r\nDTEND;VALUE=DATE:20270202/);
  assert.match(unfolded, /SUMMARY:Agreement to sign: Tilda Todo .* at Todo Export AB/);
  assert.match(unfolded, new RegExp(`URL:http://test\\.local/#/placements/${placement.id}`));

  // Swedish, with characters that RFC 5545 escapes (comma, semicolon) in a name.
  ok(await trainee.patch('/api/v1/me/settings', { locale: 'sv' }), 200, 'sv');
  ok(await coord.patch(`/api/v1/companies/${comp.id}`, { legal_name: uniq('Åkesson; Bygg, Export och Handel i Norrland med ett långt namn AB'), version: comp.version }), 200, 'rename');
  const sv = (await request(srv.base, 'GET', path)).text.replace(/\r\n[ \t]/g, '');
  assert.match(sv, /SUMMARY:Avtal att skriva under: Tilda Todo .* på Åkesson\\; Bygg\\, Export/, sv);

  const c2 = ok(await trainee.post('/api/v1/me/calendar'), 201, 'replaced');
  assert.notEqual(c2.url, c1.url);
  assertError(await request(srv.base, 'GET', path), 404, 'not_found');
  assert.equal((await request(srv.base, 'GET', new URL(c2.url).pathname)).status, 200);
  assert.equal((await trainee.del('/api/v1/me/calendar')).status, 204);
  assertError(await request(srv.base, 'GET', new URL(c2.url).pathname), 404, 'not_found');
  assert.equal(ok(await trainee.get('/api/v1/me/settings'), 200).calendar, false);
});

test('the PDF certificate is in the reader\'s language (their setting, or ?lang=)', async () => {
  const list = ok(await coord.get('/api/v1/credentials?limit=5'), 200, 'credentials').items;
  assert.ok(list.length, 'the demo issued credentials');
  const text = async (q) => {
    const r = await fetch(`${srv.base}/api/v1/credentials/${list[0].id}/certificate.pdf${q}`, { headers: { Cookie: `tb_session=${coord.cookie}` } });
    assert.equal(r.status, 200);
    const file = join(srv.dir, `cert${q ? '-en' : ''}.pdf`);
    writeFileSync(file, Buffer.from(await r.arrayBuffer()));
    return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  };
  assert.equal(ok(await coord.get('/api/v1/me/settings'), 200).locale, 'sv', 'set above');
  const sv = await text('');
  for (const words of ['INTYG', 'Härmed intygas att', 'har tilldelats', 'Europeiska referensramen för kvalifikationer, nivå 6',
    'Utfärdat av', 'Detta intyg är en kopia av ett digitalt signerat Open Badges', 'Intygets id:'])
    assert.ok(sv.includes(words), `${words} in:\n${sv}`);
  assert.ok(!sv.includes('This certifies that'));
  const en = await text('?lang=en');
  assert.ok(en.includes('CERTIFICATE') && en.includes('This certifies that') && en.includes('Issued by'), en);
});

test('mail to a person with an account is in their language: a password reset in Swedish', async () => {
  assert.equal(ok(await trainee.get('/api/v1/me/settings'), 200).locale, 'sv', 'set above');
  assert.equal((await request(srv.base, 'POST', '/api/v1/auth/password-reset', { email: 'tilda.todo@example.org' })).status, 202);
  const m = await srv.smtp.waitForMail((x) => x.to.includes('tilda.todo@example.org') && /reset-password\?token=/.test(x.data));
  assert.match(m.data, /Subject: =\?UTF-8\?B\?/);
  assert.match(m.data, /Hej Tilda Todo,/);
  assert.match(m.data, /Välj ett nytt lösenord här \(länken fungerar en gång, i en timme\):/);
  assert.match(m.data, /Om du inte väntade dig det här meddelandet/);
});

test('a due-date reminder (tradebridge training remind) is in the trainee\'s language', async () => {
  const sql = (q) => dbExec(srv.db, q);
  const day = (days) => new Date(Date.now() + days * 86400000).toISOString().slice(0, 10);
  // a demo trainee with an account and a module due, who reads Swedish
  const user = sql(`SELECT g.user_id FROM plan_modules m JOIN placements p ON p.id = m.placement_id
    JOIN graduates g ON g.id = p.graduate_id WHERE g.user_id IS NOT NULL AND m.selected = 1 AND p.status = 'signed'
    AND m.state IN ('planned', 'changes_requested') AND m.due_date <= '${day(60)}' AND g.erased_at IS NULL
    AND (m.reminded_at IS NULL OR m.reminded_at < '${day(0)}') ORDER BY m.due_date LIMIT 1`);
  assert.ok(user, 'the demo has a trainee with a module due');
  sql(`INSERT INTO user_settings (user_id, locale, updated_at) VALUES (${user}, 'sv', 'now')
    ON CONFLICT (user_id) DO UPDATE SET locale = 'sv'`);
  const r = runCli(['training', 'remind', '--days', '60', '--db', srv.db, '--public-url', 'http://test.local']);
  assert.equal(r.status, 0, r.stderr);
  const mail = sql(`SELECT subject || '|' || body FROM outbox WHERE to_addr = (SELECT email FROM graduates WHERE user_id = ${user})
    AND subject LIKE 'Senast %' ORDER BY id DESC LIMIT 1`);
  assert.match(mail, /^Senast \d{4}-\d{2}-\d{2}: .*\|Hej .*leverabeln för modulen/s, mail);
  assert.ok(sql(`SELECT count(*) FROM outbox WHERE subject LIKE 'Due %'`) > 0, 'the others still in English');
});

test('a follow-up survey that falls due waits for the operator\'s coordinators until company and trainee have answered; in the feed and the digest', async () => {
  const day = (days) => new Date(Date.now() + days * 86400000).toISOString().slice(0, 10);
  const monthsBefore = (iso, m) => { const d = new Date(`${iso}T00:00:00Z`); d.setUTCMonth(d.getUTCMonth() - m); return d.toISOString().slice(0, 10); };
  const ended = ok(await coord.post('/api/v1/placements', {
    graduate_id: grad.id, company_id: comp.id, cohort_id: cohort.id, start_date: day(-200), end_date: day(-3),
  }), 201, 'a placement that ended three days ago');
  // the 6-month wave of this one falls due in ten days; its end wave is long past
  const earlier = ok(await coord.post('/api/v1/placements', {
    graduate_id: grad.id, company_id: comp.id, cohort_id: cohort.id, start_date: monthsBefore(day(-190), 6), end_date: monthsBefore(day(10), 6),
  }), 201, 'a placement that ended about six months ago');
  dbExec(srv.db, `UPDATE placements SET status = 'completed' WHERE id IN (${ended.id}, ${earlier.id})`);

  const items = ok(await coord.get('/api/v1/me/todo?lang=en'), 200, 'to-do').items;
  const end = items.find((x) => x.key === `survey:${ended.id * 4}`);
  assert.ok(end, `the end-of-placement survey is due: ${JSON.stringify(items.filter((x) => x.kind === 'survey'))}`);
  assert.deepEqual({ kind: end.kind, wave: end.wave, due: end.due, overdue: end.overdue, href: end.href },
    { kind: 'survey', wave: 'end', due: day(-3), overdue: true, href: `#/placements/${ended.id}` });
  assert.match(end.text, /^Follow-up survey due \(end of placement\): Tilda Todo .* at /);
  const m6 = items.find((x) => x.key === `survey:${earlier.id * 4 + 1}`);
  assert.ok(m6, 'the 6-month survey due within two weeks is listed');
  assert.equal(m6.overdue, false);
  assert.ok(m6.due > day(0) && m6.due <= day(14), m6.due);
  assert.ok(!items.some((x) => x.key === `survey:${earlier.id * 4}`), 'a wave more than 60 days past is left to the report');
  for (const [who, c] of [['company', company], ['trainee', trainee], ['mentor', mentor], ['another operator', await login(srv.base, USERS.coordinatorSi.email)]])
    assert.ok(!(await todo(c)).some((x) => x.kind === 'survey' && x.ref_id === ended.id), `not the ${who}'s`);

  // in the coordinator's calendar feed (their language: Swedish, set above) ...
  const feed = ok(await coord.post('/api/v1/me/calendar'), 201, 'feed');
  const ics = (await request(srv.base, 'GET', new URL(feed.url).pathname)).text.replace(/\r\n[ \t]/g, '');
  assert.match(ics, new RegExp(`UID:survey:${ended.id * 4}-\\d+@tradebridge`));
  assert.match(ics, new RegExp(`DTSTART;VALUE=DATE:${day(-3).replaceAll('-', '')}`));
  assert.match(ics, /SUMMARY:Dags för uppföljningsenkät \(vid praktikens slut\): Tilda Todo/);
  // ... and in their daily digest
  assert.ok(pass('2030-01-05T08:00:00Z') >= 1);
  const digest = dbExec(srv.db, `SELECT body FROM outbox WHERE to_addr = '${USERS.coordinator.email}' ORDER BY id DESC LIMIT 1`);
  assert.match(digest, /Dags för uppföljningsenkät \(vid praktikens slut\): Tilda Todo/);
  assert.match(digest, new RegExp(`http://test\\.local/#/placements/${ended.id}`));

  // answered by one: still waiting; by both: done
  for (const respondent of ['company', 'trainee'])
    ok(await coord.post(`/api/v1/placements/${ended.id}/impact-surveys`, { respondent, wave: 'end', email: `${respondent}.survey@example.org` }), 201, `send to the ${respondent}`);
  const answer = (respondent) => dbExec(srv.db, `UPDATE impact_surveys SET submitted_at = '${day(0)}T10:00:00Z' WHERE placement_id = ${ended.id} AND respondent = '${respondent}'`);
  answer('company');
  assert.ok((await todo(coord)).some((x) => x.key === `survey:${ended.id * 4}`), 'the trainee has not answered');
  answer('trainee');
  assert.ok(!(await todo(coord)).some((x) => x.key === `survey:${ended.id * 4}`), 'both answered: done');
});

test('a follow-up wave six months after the 31st falls on the last day of a shorter month, on both backends', async (t) => {
  // 2026-08-31 + 6 months is 2027-02-28 (PostgreSQL's date + interval), not
  // 2027-03-03 (SQLite's date(x, '+6 months')). The to-do list shows a wave's
  // due date from 60 days back to 14 ahead of today, so the placement ends on
  // the 31st six months before the latest such month end in that window.
  const iso = (d) => d.toISOString().slice(0, 10);
  const today = new Date(`${iso(new Date())}T00:00:00Z`);
  const lo = iso(new Date(today.getTime() - 60 * 86400000)), hi = iso(new Date(today.getTime() + 14 * 86400000));
  let due = null, end = null;
  for (let k = 1; k >= -3 && !due; k--) {
    const last = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + k + 1, 0));  // the month's last day
    const from = new Date(Date.UTC(last.getUTCFullYear(), last.getUTCMonth() - 6 + 1, 0));   // 6 months before, its last day
    if (from.getUTCDate() === 31 && last.getUTCDate() < 31 && iso(last) > lo && iso(last) <= hi)
      [due, end] = [iso(last), iso(from)];
  }
  if (!due)
    return t.skip('no month end of a shorter month in the window today (early February, early September)');
  const p = ok(await coord.post('/api/v1/placements', {
    graduate_id: grad.id, company_id: comp.id, cohort_id: cohort.id, start_date: `${end.slice(0, 8)}01`, end_date: end,
  }), 201, `a placement ending ${end}`);
  dbExec(srv.db, `UPDATE placements SET status = 'completed' WHERE id = ${p.id}`);
  const m6 = (await todo(coord)).find((x) => x.key === `survey:${p.id * 4 + 1}`);
  assert.ok(m6, `the 6-month wave of a placement ending ${end} is listed (due ${due})`);
  assert.equal(m6.due, due);
});
