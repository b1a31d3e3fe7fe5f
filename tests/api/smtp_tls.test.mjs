// smtp_tls.test.mjs - with an SMTP user set, mail goes only over TLS: a
// relay that does not offer STARTTLS (or a man in the middle who strips it)
// gets no mail and no password, and the log says why.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer, request, USERS } from './lib.mjs';

let srv;

before(async () => {
  // the sink offers no STARTTLS (and no AUTH): plain SMTP only
  srv = await startServer({ smtp: true, args: ['--smtp-user', 'mailer'] });
});
after(async () => { if (srv) await srv.stop(); });

test('with an SMTP user, a relay without STARTTLS gets nothing and the log names the reason', async () => {
  const r = await request(srv.base, 'POST', '/api/v1/auth/password-reset', { email: USERS.company.email });
  assert.ok(r.status === 200 || r.status === 202, r.text);
  // the mailer wakes at once and fails; wait for its log line (bounded)
  for (let i = 0; i < 200 && !/STARTTLS/.test(srv.stderr()); i++) await sleep(100);
  assert.match(srv.stderr(), /mail: delivery of message \d+ failed \(the SMTP server did not offer STARTTLS, and the SMTP password is only sent over TLS/);
  assert.equal(srv.smtp.messages.length, 0, 'no message was sent in clear');
});
