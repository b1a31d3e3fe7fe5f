// invitations.test.mjs - inviting people by mail, accepting the invitation,
// and resetting a forgotten password (mail through an SMTP sink).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, bearer, request, assertError, linkToken, sleep, USERS, PASSWORD, resolveUserIds } from './lib.mjs';

let srv, admin, coord, viewer;

before(async () => {
  srv = await startServer({ smtp: true });
  admin = await login(srv.base, USERS.admin.email);
  coord = await login(srv.base, USERS.coordinator.email);
  viewer = await login(srv.base, USERS.viewer.email);
  await resolveUserIds(admin);
});
after(async () => { if (srv) await srv.stop(); });

const mailTo = (addr) => (m) => m.to.some((t) => t.toLowerCase() === addr.toLowerCase());
let inviteToken;   // the first invitation's link token

const INVITATION_KEYS = ['accepted_at', 'created_at', 'email', 'expires_at', 'id', 'invited_by', 'name', 'org_id', 'role',
  'status', 'subject_id', 'subject_type', 'withdrawn_at'];

test('a coordinator invites a new mentor: 201 with a pending invitation and a mail with a single-use link', async () => {
  const r = await coord.post('/api/v1/invitations', { email: 'new.mentor@example.org', name: 'Nils Mentor', role: 'mentor' });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(Object.keys(r.json).sort(), INVITATION_KEYS);
  assert.equal(r.json.email, 'new.mentor@example.org');
  assert.equal(r.json.role, 'mentor');
  assert.equal(r.json.org_id, 2);
  assert.equal(r.json.status, 'pending');
  assert.ok(Math.abs(Date.parse(r.json.expires_at) - Date.now() - 72 * 3600e3) < 600e3, r.json.expires_at);
  assert.equal(r.headers.get('location'), `/api/v1/invitations/${r.json.id}`);
  const mail = await srv.smtp.waitForMail(mailTo('new.mentor@example.org'));
  assert.match(mail.data, /^Subject: You are invited to ITM Sweden on TradeBridge\r?$/m);
  assert.match(mail.data, /Erik Johansson invited you to join ITM Sweden on TradeBridge as mentor/);
  assert.match(mail.data, /Choose your password/);
  inviteToken = linkToken(mail, 'accept-invitation');
  assert.ok(inviteToken.length >= 20);
});

test('the invitation mail is in the language asked for (Swedish here); an unknown language is refused', async () => {
  const r = await coord.post('/api/v1/invitations', { email: 'ny.mentor@example.org', name: 'Nora Mentor', role: 'mentor', locale: 'sv' });
  assert.equal(r.status, 201, r.text);
  const mail = await srv.smtp.waitForMail(mailTo('ny.mentor@example.org'));
  assert.match(mail.data, /Hej Nora Mentor!/);
  assert.match(mail.data, /Erik Johansson har bjudit in dig till ITM Sweden i TradeBridge som mentor\./);
  assert.match(mail.data, /Välj ditt lösenord här/);
  assertError(await coord.post('/api/v1/invitations', { email: 'x9@example.org', name: 'X', role: 'mentor', locale: 'de' }),
    400, 'validation_failed', { field: 'locale' });
});

test('the invitation is listed as pending; no account exists before it is accepted', async () => {
  const list = await coord.get('/api/v1/invitations');
  assert.equal(list.status, 200, list.text);
  assert.ok(list.json.items.some((i) => i.email === 'new.mentor@example.org' && i.status === 'pending'));
  const users = await admin.get('/api/v1/users?q=new.mentor');
  assert.deepEqual(users.json.items, []);
  const r = await request(srv.base, 'POST', '/api/v1/auth/login', { email: 'new.mentor@example.org', password: 'Whatever-password-1' });
  assertError(r, 401, 'invalid_credentials');
});

test('accepting needs a password of at least 10 characters (the link stays usable)', async () => {
  const r = await request(srv.base, 'POST', '/api/v1/auth/accept-invitation', { token: inviteToken, password: 'short' });
  assertError(r, 400, 'validation_failed', { field: 'password', message: 'password: must be at least 10 characters' });
});

test('accepting the invitation sets the password and name; the person then signs in with the role', async () => {
  const r = await request(srv.base, 'POST', '/api/v1/auth/accept-invitation',
    { token: inviteToken, password: 'Nils-own-password-7', name: 'Nils Mentorsson' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.email, 'new.mentor@example.org');
  const c = await login(srv.base, 'new.mentor@example.org', 'Nils-own-password-7');
  assert.equal(c.me.user.name, 'Nils Mentorsson');
  assert.equal(c.me.tenant_id, 2);
  assert.deepEqual(c.me.roles.map((x) => [x.role, x.org_id]), [['mentor', 2]]);
  const u = await coord.get(`/api/v1/users/${c.me.user.id}`);
  assert.equal(u.json.status, 'active');
});

test('the same invitation link a second time is 404 on token', async () => {
  const r = await request(srv.base, 'POST', '/api/v1/auth/accept-invitation', { token: inviteToken, password: 'Another-password-9' });
  assertError(r, 404, 'not_found', { field: 'token' });
  const l = await request(srv.base, 'POST', '/api/v1/auth/login', { email: 'new.mentor@example.org', password: 'Another-password-9' });
  assertError(l, 401, 'invalid_credentials', {}, 'the password did not change');
});

test('unknown or malformed invitation tokens are refused', async () => {
  assertError(await request(srv.base, 'POST', '/api/v1/auth/accept-invitation', { token: 'A'.repeat(43), password: 'Some-password-123' }),
    404, 'not_found', { field: 'token' });
  assertError(await request(srv.base, 'POST', '/api/v1/auth/accept-invitation', { token: 'short', password: 'Some-password-123' }),
    400, 'validation_failed', { field: 'token', message: 'token: must be at least 20 characters' });
  assertError(await request(srv.base, 'POST', '/api/v1/auth/accept-invitation', { password: 'Some-password-123' }),
    400, 'validation_failed', { field: 'token', message: 'token: is required' });
});

test('a coordinator cannot invite into another operator (404 on org_id) nor invite admins (403)', async () => {
  assertError(await coord.post('/api/v1/invitations', { email: 'x1@example.org', name: 'X', role: 'mentor', org_id: 3 }),
    404, 'not_found', { field: 'org_id' });
  assertError(await coord.post('/api/v1/invitations', { email: 'x2@example.org', name: 'X', role: 'admin' }),
    403, 'forbidden', { field: 'role' });
  assertError(await coord.post('/api/v1/invitations', { email: 'x3@example.org', name: 'X', role: 'admin', org_id: 1 }),
    404, 'not_found', { field: 'org_id' });
  const all = await admin.get('/api/v1/users?q=example.org&limit=200');
  assert.ok(!all.json.items.some((u) => /^x[123]@/.test(u.email)), 'nobody was created');
});

test('inviting is for staff: a viewer gets 403', async () => {
  assertError(await viewer.post('/api/v1/invitations', { email: 'x4@example.org', name: 'X', role: 'mentor' }), 403, 'forbidden');
});

test('invitations are validated: bad email, missing name, unknown role, company role without its company', async () => {
  assertError(await coord.post('/api/v1/invitations', { email: 'not-an-address', name: 'X', role: 'mentor' }),
    400, 'validation_failed', { field: 'email', message: 'email: not a valid address' });
  assertError(await coord.post('/api/v1/invitations', { email: 'x5@example.org', role: 'mentor' }),
    400, 'validation_failed', { field: 'name', message: 'name: is required' });
  assertError(await coord.post('/api/v1/invitations', { email: 'x5@example.org', name: 'X', role: 'owner' }),
    400, 'validation_failed', { field: 'role' });
  assertError(await coord.post('/api/v1/invitations', { email: 'x5@example.org', name: 'X', role: 'company' }),
    400, 'validation_failed', { field: 'subject_type' });
  assertError(await coord.post('/api/v1/invitations', { email: 'x5@example.org', name: 'X', role: 'mentor', subject_type: 'placement' }),
    400, 'validation_failed', { field: 'subject_id' });
});

test('the admin invites an admin into the foundation and a coordinator into ITM Estonia', async () => {
  const a = await admin.post('/api/v1/invitations', { email: 'second.admin@example.org', name: 'Second Admin', role: 'admin', org_id: 1 });
  assert.equal(a.status, 201, a.text);
  assert.equal(a.json.org_id, 1);
  const c = await admin.post('/api/v1/invitations', { email: 'coord.ee@example.org', name: 'Eva Tamm', role: 'coordinator', org_id: 4 });
  assert.equal(c.status, 201, c.text);
  const mail = await srv.smtp.waitForMail(mailTo('coord.ee@example.org'));
  assert.match(mail.data, /ITM Estonia/);
  const token = linkToken(mail, 'accept-invitation');
  const ok = await request(srv.base, 'POST', '/api/v1/auth/accept-invitation', { token, password: 'Eva-password-2026' });
  assert.equal(ok.status, 200, ok.text);
  const eva = await login(srv.base, 'coord.ee@example.org', 'Eva-password-2026');
  assert.equal(eva.me.tenant_id, 4);
  const orgs = await eva.get('/api/v1/orgs');
  assert.deepEqual(orgs.json.items.map((o) => o.id), [4]);
});

test('admins are only invited into the foundation, operator roles only into operators', async () => {
  assertError(await admin.post('/api/v1/invitations', { email: 'x6@example.org', name: 'X', role: 'admin', org_id: 2 }),
    403, 'forbidden', { field: 'role' });
  assertError(await admin.post('/api/v1/invitations', { email: 'x6@example.org', name: 'X', role: 'mentor', org_id: 1 }),
    400, 'validation_failed', { field: 'org_id' });
});

test('inviting an existing person from another operator gives a coordinator no power to disable them', async () => {
  // ITM Sweden's coordinator "invites" ITM Slovenia's coordinator as a viewer,
  // then tries to disable that account, which would lock them out of Slovenia too.
  const si = USERS.coordinatorSi;
  const inv = await coord.post('/api/v1/invitations', { email: si.email, name: 'Whoever', role: 'viewer' });
  let disabled = null;
  if (inv.status === 201) {
    const u = await coord.get(`/api/v1/users/${si.id}`);
    if (u.status === 200) {
      const d = await coord.patch(`/api/v1/users/${si.id}`, { status: 'disabled', version: u.json.version });
      if (d.status === 200) disabled = d;
    }
  }
  const r = await request(srv.base, 'POST', '/api/v1/auth/login', { email: si.email, password: PASSWORD });
  if (disabled) {   // put things back for the tests that follow
    const cur = await admin.get(`/api/v1/users/${si.id}`);
    await admin.patch(`/api/v1/users/${si.id}`, { status: 'active', version: cur.json.version });
  }
  assert.ok(!disabled, `ITM Sweden's coordinator disabled ITM Slovenia's coordinator: ${disabled && disabled.text}`);
  assert.equal(r.status, 200, `ITM Slovenia's coordinator can still sign in: ${r.text}`);
});

test('password reset answers 202 with the same body whether or not the address is registered', async () => {
  const known = await request(srv.base, 'POST', '/api/v1/auth/password-reset', { email: USERS.company.email });
  const unknown = await request(srv.base, 'POST', '/api/v1/auth/password-reset', { email: 'no.such.person@example.org' });
  assert.equal(known.status, 202, known.text);
  assert.equal(unknown.status, 202, unknown.text);
  assert.equal(known.text, unknown.text);
  assert.equal(sessionless(known), true);
  await srv.smtp.waitForMail(mailTo(USERS.company.email));
  await sleep(2500);
  assert.ok(!srv.smtp.messages.some(mailTo('no.such.person@example.org')), 'no mail to an unregistered address');
});

function sessionless(r) { return !r.headers.get('set-cookie'); }

test('password reset: the mailed link sets a new password; the old one fails, the new one works, sessions and tokens end', async () => {
  const before = await login(srv.base, USERS.company.email);
  const tok = await before.post('/api/v1/tokens', { name: 'company script' });
  assert.equal(tok.status, 201, tok.text);
  const mail = await srv.smtp.waitForMail(mailTo(USERS.company.email));
  assert.match(mail.data, /^Subject: Reset your TradeBridge password\r?$/m);
  const token = linkToken(mail, 'reset-password');
  const r = await request(srv.base, 'POST', '/api/v1/auth/password-reset/confirm', { token, password: 'Company-new-pass-11' });
  assert.equal(r.status, 200, r.text);
  assertError(await before.get('/api/v1/me'), 401, 'unauthenticated');
  assertError(await bearer(srv.base, tok.json.token).get('/api/v1/me'), 401, 'unauthenticated');
  assertError(await request(srv.base, 'POST', '/api/v1/auth/login', { email: USERS.company.email, password: PASSWORD }), 401, 'invalid_credentials');
  const c = await login(srv.base, USERS.company.email, 'Company-new-pass-11');
  assert.equal(c.me.user.id, USERS.company.id);
  assertError(await request(srv.base, 'POST', '/api/v1/auth/password-reset/confirm', { token, password: 'Company-third-pass-1' }),
    404, 'not_found', { field: 'token' });
});

test('an invitation link cannot be used as a reset link, nor the other way round', async () => {
  const r = await admin.post('/api/v1/invitations', { email: 'crossed@example.org', name: 'Crossed Links', role: 'viewer', org_id: 4 });
  assert.equal(r.status, 201, r.text);
  const token = linkToken(await srv.smtp.waitForMail(mailTo('crossed@example.org')), 'accept-invitation');
  assertError(await request(srv.base, 'POST', '/api/v1/auth/password-reset/confirm', { token, password: 'Crossed-password-1' }),
    404, 'not_found', { field: 'token' });
  const ok = await request(srv.base, 'POST', '/api/v1/auth/accept-invitation', { token, password: 'Crossed-password-1' });
  assert.equal(ok.status, 200, ok.text);
});

test('a reset link does not bring back an account that was disabled after the link was sent', async () => {
  const r = await request(srv.base, 'POST', '/api/v1/auth/password-reset', { email: USERS.mentor.email });
  assert.equal(r.status, 202);
  const token = linkToken(await srv.smtp.waitForMail(mailTo(USERS.mentor.email)), 'reset-password');
  const u = await coord.get(`/api/v1/users/${USERS.mentor.id}`);
  const d = await coord.patch(`/api/v1/users/${USERS.mentor.id}`, { status: 'disabled', version: u.json.version });
  assert.equal(d.status, 200, d.text);
  await request(srv.base, 'POST', '/api/v1/auth/password-reset/confirm', { token, password: 'Mentor-back-again-1' });
  const after = await coord.get(`/api/v1/users/${USERS.mentor.id}`);
  assert.equal(after.json.status, 'disabled', 'the account stays disabled');
  const l = await request(srv.base, 'POST', '/api/v1/auth/login', { email: USERS.mentor.email, password: 'Mentor-back-again-1' });
  assertError(l, 401, 'invalid_credentials');
});

test('staff withdraw a pending invitation: its link then fails and it cannot be withdrawn twice', async () => {
  const inv = await coord.post('/api/v1/invitations', { email: 'withdrawn@example.org', name: 'Withdrawn Invitee', role: 'mentor' });
  assert.equal(inv.status, 201, inv.text);
  const token = linkToken(await srv.smtp.waitForMail(mailTo('withdrawn@example.org')), 'accept-invitation');
  assert.equal((await coord.del(`/api/v1/invitations/${inv.json.id}`)).status, 204);
  assertError(await request(srv.base, 'POST', '/api/v1/auth/accept-invitation', { token, password: 'Withdrawn-password-1' }),
    404, 'not_found', { field: 'token' });
  assert.equal((await coord.get(`/api/v1/invitations/${inv.json.id}`)).json.status, 'withdrawn');
  assertError(await coord.del(`/api/v1/invitations/${inv.json.id}`), 409, 'invalid_transition');
  assertError(await request(srv.base, 'POST', '/api/v1/auth/login', { email: 'withdrawn@example.org', password: 'Withdrawn-password-1' }),
    401, 'invalid_credentials');
});

test('invitations are staff business of their own operator: a viewer gets 403, another operator 404', async () => {
  const inv = await coord.post('/api/v1/invitations', { email: 'private.invite@example.org', name: 'P', role: 'viewer' });
  assertError(await viewer.get('/api/v1/invitations'), 403, 'forbidden');
  const si = await login(srv.base, USERS.coordinatorSi.email);
  assertError(await si.get(`/api/v1/invitations/${inv.json.id}`), 404, 'not_found');
  assertError(await si.del(`/api/v1/invitations/${inv.json.id}`), 404, 'not_found');
  assert.ok(!(await si.get('/api/v1/invitations?limit=200')).json.items.some((i) => i.id === inv.json.id));
});

const EE = 'coordinator.ee@demo.tradebridge.org';

test('inviting an existing address answers exactly like a new one and changes nothing until its owner accepts', async () => {
  const known = await coord.post('/api/v1/invitations', { email: EE, name: 'Anybody', role: 'viewer' });
  const unknown = await coord.post('/api/v1/invitations', { email: 'nobody.yet@example.org', name: 'Anybody', role: 'viewer' });
  assert.equal(known.status, 201, known.text);
  assert.equal(unknown.status, 201, unknown.text);
  assert.deepEqual(Object.keys(known.json).sort(), Object.keys(unknown.json).sort());
  for (const k of ['status', 'role', 'org_id', 'name', 'subject_type', 'subject_id', 'invited_by'])
    assert.equal(known.json[k], unknown.json[k], k);
  const ee = (await admin.get(`/api/v1/users?q=${encodeURIComponent(EE)}`)).json.items[0];
  const roles = async () => (await admin.get(`/api/v1/users/${ee.id}`)).json.roles.map((m) => [m.role, m.org_id]);
  assert.deepEqual(await roles(), [['coordinator', 4]], 'no role before acceptance');
  assertError(await coord.get(`/api/v1/users/${ee.id}`), 404, 'not_found');
  const mail = await srv.smtp.waitForMail(mailTo(EE));
  assert.match(mail.data, /Nothing changes in your account unless you accept/);
  assert.match(mail.data, /current TradeBridge password/);
  const token = linkToken(mail, 'accept-invitation');
  assertError(await request(srv.base, 'POST', '/api/v1/auth/accept-invitation', { token, password: 'Not-her-password-1' }),
    401, 'invalid_credentials', { field: 'password' });
  assert.deepEqual(await roles(), [['coordinator', 4]], 'a wrong password accepts nothing');
  const ok = await request(srv.base, 'POST', '/api/v1/auth/accept-invitation', { token, password: PASSWORD });
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual(await roles(), [['coordinator', 4], ['viewer', 2]]);
  const again = await login(srv.base, EE, PASSWORD);
  assert.equal(again.me.tenant_id, 4, 'the password is unchanged and she still works in ITM Estonia');
});

test('a trainee bound to a graduate record of another operator cannot be moved by an invitation', async () => {
  const si = await login(srv.base, USERS.coordinatorSi.email);
  const inv = await si.post('/api/v1/invitations', { email: USERS.trainee.email, name: 'Trainee', role: 'coordinator' });
  assert.equal(inv.status, 201, inv.text);
  const mail = await srv.smtp.waitForMail((m) => mailTo(USERS.trainee.email)(m) && /ITM Slovenia/.test(m.data));
  const token = linkToken(mail, 'accept-invitation');
  const r = await request(srv.base, 'POST', '/api/v1/auth/accept-invitation', { token, password: PASSWORD });
  assertError(r, 409, 'conflict', { field: 'token' });
  const t = await login(srv.base, USERS.trainee.email);
  assert.equal(t.me.tenant_id, 2);
  assert.deepEqual(t.me.roles.map((m) => [m.role, m.org_id]), [['trainee', 2]]);
  const g = await t.get(`/api/v1/graduates/${t.me.roles[0].subject_id}`);
  assert.equal(g.status, 200, 'the trainee still reaches their own record');
  assert.equal(g.json.user_id, USERS.trainee.id);
});

test('a graduate record that already has its login cannot be given to another address (409 on subject_id)', async () => {
  const t = await login(srv.base, USERS.trainee.email);
  const gid = t.me.roles[0].subject_id;
  assertError(await coord.post('/api/v1/invitations', { email: 'impostor@example.org', name: 'I', role: 'trainee',
    subject_type: 'graduate', subject_id: gid }), 409, 'conflict', { field: 'subject_id' });
});

test('accepting a trainee invitation binds the new account to its graduate record', async () => {
  const free = (await coord.all('/api/v1/graduates', 200)).find((g) => g.user_id === null && g.email);
  const inv = await coord.post('/api/v1/invitations', { email: 'fresh.trainee@example.org', name: 'Fresh Trainee', role: 'trainee',
    subject_type: 'graduate', subject_id: free.id });
  assert.equal(inv.status, 201, inv.text);
  const token = linkToken(await srv.smtp.waitForMail(mailTo('fresh.trainee@example.org')), 'accept-invitation');
  const ok = await request(srv.base, 'POST', '/api/v1/auth/accept-invitation', { token, password: 'Fresh-trainee-pw-1' });
  assert.equal(ok.status, 200, ok.text);
  const t = await login(srv.base, 'fresh.trainee@example.org', 'Fresh-trainee-pw-1');
  assert.deepEqual(t.me.roles.map((m) => [m.role, m.org_id, m.subject_type, m.subject_id]), [['trainee', 2, 'graduate', free.id]]);
  const g = await t.get(`/api/v1/graduates/${free.id}`);
  assert.equal(g.status, 200, g.text);
  assert.equal(g.json.user_id, t.me.user.id);
});

test('password reset validates the address', async () => {
  assertError(await request(srv.base, 'POST', '/api/v1/auth/password-reset', { email: 'nope' }), 400, 'validation_failed',
    { field: 'email', message: 'email: not a valid address' });
});

test('the server exits with status 0 on SIGTERM', async () => {
  await srv.stop();
});
