// http_framing.test.mjs - the HTTP layer against hostile clients, over raw
// sockets: request heads that RFC 9112 says to refuse (each gets one 400 and
// the connection is closed, so bytes smuggled behind the head never run),
// clients that send a request too slowly, and one address opening too many
// connections.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, login, request, USERS, SLOW_MS, sleep } from './lib.mjs';

/** A raw connection: collects what the server sends and notices when it closes. */
class Conn {
  constructor(port, { localAddress } = {}) {
    this.data = '';
    this.closed = new Promise((resolveP) => {
      this.sock = net.connect({ port, host: '127.0.0.1', localAddress });
      this.sock.setEncoding('latin1');
      this.sock.on('data', (d) => { this.data += d; this.onData?.(); });
      this.sock.on('error', () => {});
      this.sock.on('close', () => { this.isClosed = true; resolveP(); });
    });
    this.connected = new Promise((r, reject) => {
      this.sock.once('connect', r);
      this.sock.once('error', reject);
    });
  }

  write(bytes) {
    if (!this.isClosed) this.sock.write(Buffer.from(bytes, 'latin1'));
  }

  /** Status codes of the complete responses received so far (each framed by Content-Length). */
  statuses() {
    const out = [];
    let rest = this.data;
    for (;;) {
      const m = rest.match(/^HTTP\/1\.[01] (\d{3}) /);
      const end = rest.indexOf('\r\n\r\n');
      if (!m || end < 0) return out;
      const len = Number((rest.slice(0, end).match(/\r\ncontent-length: *(\d+)/i) || [])[1] || 0);
      if (rest.length < end + 4 + len) return out;
      out.push(Number(m[1]));
      rest = rest.slice(end + 4 + len);
    }
  }

  /** Resolves with the statuses once n responses are complete. */
  responses(n) {
    return new Promise((resolveP, reject) => {
      const check = () => {
        if (this.statuses().length >= n) { this.onData = null; resolveP(this.statuses()); } else if (this.isClosed) {
          reject(new Error(`connection closed after ${this.statuses().length} response(s):\n${this.data}`));
        }
      };
      this.onData = check;
      this.closed.then(check);
      check();
    });
  }

  destroy() { this.sock.destroy(); }
}

/** Sends bytes in one write; resolves with everything received once the server closes. */
async function exchange(port, bytes) {
  const c = new Conn(port);
  await c.connected;
  c.write(bytes);
  let timer;
  await Promise.race([c.closed, new Promise((r) => { timer = setTimeout(r, SLOW_MS); })]);
  clearTimeout(timer);
  const closed = !!c.isClosed;
  c.destroy();
  return { data: c.data, statuses: c.statuses(), closed };
}

describe('request framing', () => {
  let srv, coord;
  before(async () => {
    srv = await startServer();
    coord = await login(srv.base, USERS.coordinator.email);
  });
  after(async () => { if (srv) await srv.stop(); });

  /** A request that would create an API token named `smuggled-${tag}` if it ran. */
  const smuggled = (tag) => {
    const body = JSON.stringify({ name: `smuggled-${tag}` });
    return `POST /api/v1/tokens HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: tb_session=${coord.cookie}\r\n` +
      `X-CSRF-Token: ${coord.csrf}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
  };
  const tokenNames = async () => {
    const r = await coord.get('/api/v1/tokens?limit=200');
    assert.equal(r.status, 200, r.text);
    return r.json.items.map((t) => t.name);
  };

  test('a well-formed pipelined request behind another one runs (the probes below would show smuggling)', async () => {
    const r = await exchange(srv.port,
      `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n${smuggled('control')}`.replace(
        'Content-Type', 'Connection: close\r\nContent-Type'));
    assert.deepEqual(r.statuses, [200, 201], r.data);
    assert.ok((await tokenNames()).includes('smuggled-control'));
  });

  // Each head is followed, in the same write, by a request that creates a token.
  const probes = {
    'folded Content-Length (obs-fold)': (s) => `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length:\r\n ${s.length}\r\n\r\n${s}`,
    '"Transfer-Encoding : chunked" (space before the colon) with Content-Length':
      (s) => `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding : chunked\r\nContent-Length: 0\r\n\r\n${s}`,
    'folded Transfer-Encoding with Content-Length':
      (s) => `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding:\r\n chunked\r\nContent-Length: 0\r\n\r\n${s}`,
    '"Content-Length : 50" beside "Content-Length: 5"':
      (s) => `POST /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length : 50\r\nContent-Length: 5\r\n\r\nabcde${s}`,
    '"Host :" beside Host': (s) => `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nHost : evil.example\r\nContent-Length: 0\r\n\r\n${s}`,
    'the same Content-Length twice': (s) => `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nContent-Length: 0\r\n\r\n${s}`,
    'Content-Length and Transfer-Encoding: chunked':
      (s) => `POST /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${s}`,
    'Transfer-Encoding: chunked twice': (s) => `POST /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n` +
      `Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n${s}`,
    'Transfer-Encoding: chunked in HTTP/1.0': (s) => `POST /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${s}`,
    'a bare LF between header lines': (s) => `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\nContent-Length: 0\r\n\r\n${s}`,
    'a bare LF ending the head': (s) => `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\n\n${s}`,
    'a bare LF ending the request line': (s) => `GET /healthz HTTP/1.1\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n${s}`,
    'a NUL in the request target': (s) => `GET /healthz\0/x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n${s}`,
    'two spaces before the request target': (s) => `GET  /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n${s}`,
    'a NUL in the method': (s) => `GE\0T /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n${s}`,
    'a NUL in a header value': (s) => `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: a\0b\r\nContent-Length: 0\r\n\r\n${s}`,
    'a bare CR in a header value': (s) => `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: a\rb\r\nContent-Length: 0\r\n\r\n${s}`,
  };
  let n = 0;
  for (const [name, make] of Object.entries(probes)) {
    const tag = `p${++n}`;
    test(`${name}: one 400, then the connection is closed and the smuggled request never runs`, async () => {
      const r = await exchange(srv.port, make(smuggled(tag)));
      assert.deepEqual(r.statuses, [400], r.data);
      assert.ok(r.closed, `the server closed the connection:\n${r.data}`);
      assert.match(r.data, /\r\nconnection: close\r\n/i, r.data);
      const body = r.data.slice(r.data.indexOf('\r\n\r\n') + 4);
      if (body.startsWith('{')) assert.ok(JSON.parse(body).error.message, body);
      assert.ok(!(await tokenNames()).includes(`smuggled-${tag}`), 'the smuggled request did not run');
    });
  }

  test('a Content-Length that is not a plain number: libmicrohttpd answers 400 itself and closes', async () => {
    // MHD refuses it before the request reaches TradeBridge (with an HTML page
    // whose head 0.9.75 sends twice): still nothing after it runs.
    const r = await exchange(srv.port, `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0x0\r\n\r\n${smuggled('cl-hex')}`);
    assert.match(r.data, /^HTTP\/1\.1 400 /, r.data);
    assert.ok(r.closed);
    assert.ok(!/^HTTP\/1\.1 (?!400)/m.test(r.data), r.data);
    assert.ok(!(await tokenNames()).includes('smuggled-cl-hex'), 'the smuggled request did not run');
  });

  test('well-formed heads still pass: optional whitespace, empty values, cookies, HTTP/1.0', async () => {
    let r = await exchange(srv.port, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A:   spaced   \r\nX-B:\r\n' +
      'Cookie: a=b; c=d\r\nConnection: close\r\n\r\n');
    assert.deepEqual(r.statuses, [200], r.data);
    r = await exchange(srv.port, 'GET /healthz HTTP/1.0\r\n\r\n');
    assert.deepEqual(r.statuses, [200], r.data);
    r = await exchange(srv.port, 'GET /healthz?x=%41%20b HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    assert.deepEqual(r.statuses, [200], r.data);
  });
});

describe('slow clients', () => {
  let srv;
  before(async () => { srv = await startServer({ args: ['--request-timeout', '2', '--connection-timeout', '60'] }); });
  after(async () => { if (srv) await srv.stop(); });

  /** Sends text a byte every 300 ms (never idle for a second) until done or the server closes. */
  async function dribble(c, text) {
    for (const ch of text) {
      if (c.isClosed) return false;
      c.write(ch);
      await sleep(300);
    }
    return !c.isClosed;
  }
  // ~60 s of bytes: far past the 2 s request timeout, never past the idle timeout.
  const slowHead = `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ${'a'.repeat(200)}\r\n\r\n`;

  test('a client sending its head a byte at a time is cut off while others are served', async () => {
    const slow = new Conn(srv.port);
    await slow.connected;
    const dribbling = dribble(slow, slowHead);
    const r = await request(srv.base, 'GET', '/healthz');
    assert.equal(r.status, 200, 'a normal request is answered meanwhile');
    assert.equal(await dribbling, false, 'the server closed the slow connection before its head was complete');
    assert.equal(slow.data, '', 'no answer to the incomplete request');
    const m = await request(srv.base, 'GET', '/metrics');
    assert.match(m.text, /^tradebridge_http_late_requests_closed_total [1-9]/m, m.text);
  });

  test('a keep-alive connection is cut off when its next head dribbles in, not while it is idle', async () => {
    const c = new Conn(srv.port);
    await c.connected;
    c.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    assert.deepEqual(await c.responses(1), [200]);
    await sleep(3500);   // idle longer than the request timeout: fine
    c.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    assert.deepEqual(await c.responses(2), [200, 200], 'an idle keep-alive connection stays usable');
    assert.equal(await dribble(c, slowHead), false, 'the slow second head was cut off');
    assert.deepEqual(c.statuses(), [200, 200]);
  });

  test('a body sent a byte at a time is cut off', async () => {
    const c = new Conn(srv.port);
    await c.connected;
    c.write('POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n');
    assert.equal(await dribble(c, ' '.repeat(200)), false, 'the server closed the connection before the body was complete');
  });
});

describe('connections per address', () => {
  let srv;
  const cap = 3;
  before(async () => { srv = await startServer({ args: ['--max-connections-per-address', String(cap)] }); });
  after(async () => { if (srv) await srv.stop(); });

  const get = 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';

  test('an address holding its cap of connections gets no more; other addresses are served', async () => {
    const held = [];
    for (let i = 0; i < cap; i++) {
      const c = new Conn(srv.port);
      await c.connected;
      c.write(get);
      assert.deepEqual(await c.responses(1), [200], `connection ${i + 1} of ${cap} is served and kept open`);
      held.push(c);
    }
    for (let i = 0; i < 2; i++) {
      const extra = new Conn(srv.port);
      await extra.connected.catch(() => {});
      extra.write(get);
      await extra.closed;
      assert.equal(extra.data, '', 'a connection over the cap is closed without an answer');
    }
    const other = new Conn(srv.port, { localAddress: '127.0.0.2' });
    await other.connected;
    other.write(get);
    assert.deepEqual(await other.responses(1), [200], 'another address is still served');
    other.destroy();
    for (const c of held) c.destroy();
    // The server notices the closed connections on its own time; then 127.0.0.1 is served again.
    let ok = false;
    for (let i = 0; i < 100 && !ok; i++) {
      const r = await request(srv.base, 'GET', '/healthz').catch(() => null);
      ok = r?.status === 200;
      if (!ok) await sleep(100);
    }
    assert.ok(ok, 'the address is served again once it holds fewer connections');
  });
});
