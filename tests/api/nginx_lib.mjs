// nginx_lib.mjs - deploy/nginx.conf run unprivileged in front of test servers
// (nginx_front.test.mjs: one server; pg_nginx.test.mjs: two on one
// PostgreSQL database). The config is used as shipped except for test ports,
// a throw-away self-signed certificate, the upstream servers and (optionally)
// a shorter client_header_timeout; nginx runs with `-p TMPDIR`, its temp
// paths, pid file and logs in there. NGINX_SKIP says why it cannot run here
// (scripts/install-deps.sh test installs nginx and openssl).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';
import { sleep, SLOW_MS } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const NGINX = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));
const OPENSSL = ['/usr/bin/openssl', '/usr/local/bin/openssl'].find((p) => existsSync(p));
export const NGINX_SKIP = !NGINX ? 'nginx is not installed (scripts/install-deps.sh test installs it)'
  : !OPENSSL ? 'openssl is not installed (needed for a test certificate)' : false;

export function freePort() {
  return new Promise((r, j) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => r(port)); });
    s.on('error', j);
  });
}

/** deploy/nginx.conf with the test's ports, certificate, upstream servers and header timeout. */
function derivedConfig({ dir, upstreamPorts, tlsPort, plainPort, headerTimeout }) {
  let c = readFileSync(resolve(here, '../../deploy/nginx.conf'), 'utf8');
  const sub = (re, to) => {
    assert.match(c, re, `deploy/nginx.conf still has ${re}`);
    c = c.replace(re, to);
  };
  // one `server` line per upstream, as the file's comment tells operators to do
  sub(/^(\s*)server 127\.0\.0\.1:8080;/m, (_, ind) => upstreamPorts.map((p) => `${ind}server 127.0.0.1:${p};`).join('\n'));
  sub(/listen 80;/, `listen 127.0.0.1:${plainPort};`);
  sub(/listen 443 ssl;/, `listen 127.0.0.1:${tlsPort} ssl;`);
  c = c.replace(/^\s*listen \[::\]:\d+.*$/gm, '');
  sub(/ssl_certificate\s+\S+;/, `ssl_certificate ${dir}/cert.pem;`);
  sub(/ssl_certificate_key\s+\S+;/, `ssl_certificate_key ${dir}/key.pem;`);
  if (headerTimeout) sub(/client_header_timeout \S+;/, `client_header_timeout ${headerTimeout};`);
  const asRoot = process.getuid && process.getuid() === 0 ? 'user root;' : '';
  return `${asRoot}\nworker_processes 1;\ndaemon off;\npid ${dir}/nginx.pid;\nerror_log ${dir}/error.log info;\n` +
    `events { worker_connections 256; }\nhttp {\n  access_log ${dir}/access.log;\n` +
    ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${dir}/${t};\n`).join('') +
    `${c}\n}\n`;
}

/**
 * Starts nginx in front of the servers on `upstreamPorts`; resolves once it
 * accepts connections. Returns {tlsPort, plainPort, dir, base, stop()}.
 */
export async function startNginx(upstreamPorts, { headerTimeout } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'tb-nginx-'));
  const tlsPort = await freePort();
  const plainPort = await freePort();
  const cert = spawnSync(OPENSSL, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { encoding: 'utf8' });
  assert.equal(cert.status, 0, cert.stderr);
  writeFileSync(join(dir, 'nginx.conf'), derivedConfig({ dir, upstreamPorts, tlsPort, plainPort, headerTimeout }));
  const t = spawnSync(NGINX, ['-t', '-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], { encoding: 'utf8' });
  assert.equal(t.status, 0, `nginx -t:\n${t.stderr}`);
  const proc = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr.setEncoding('utf8').on('data', (d) => { err += d; });
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      const gone = new Promise((r) => proc.on('exit', r));
      proc.kill('SIGQUIT');   // graceful shutdown
      await Promise.race([gone, sleep(10_000)]);
      if (proc.exitCode === null) proc.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; ; i++) {
    const up = await new Promise((r) => {
      const s = net.connect(tlsPort, '127.0.0.1', () => { s.destroy(); r(true); });
      s.on('error', () => r(false));
    });
    if (up) break;
    if (i >= SLOW_MS / 50 || proc.exitCode !== null) {
      await stop();
      assert.fail(`nginx did not start:\n${err}`);
    }
    await sleep(50);
  }
  return { tlsPort, plainPort, dir, base: `https://127.0.0.1:${tlsPort}`, stop };
}
