// contract.mjs - every response an API test receives through lib.mjs's
// request() is checked against the server's OpenAPI 3.1 document
// (`tradebridge openapi`, the same as GET /api/v1/openapi.json): the status
// must be declared for the route and the body must match the declared schema
// (ajv, JSON Schema draft 2020-12 as OpenAPI 3.1 uses). A response that breaks
// the contract fails the test with the route, the status and ajv's error.
import { spawnSync } from 'node:child_process';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

let contract = null;

function pointer(...parts) {
  return parts.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}

/** Loads the document once per test process: {doc, ajv, ops: [{method, template, re, op}]}. */
export function loadContract(binary) {
  if (contract) return contract;
  const r = spawnSync(binary, ['openapi'], { encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=0' } });
  if (r.status !== 0) throw new Error(`tradebridge openapi failed (${r.status}): ${r.stderr}`);
  const doc = JSON.parse(r.stdout);
  const ajv = new Ajv2020({ strict: false, allErrors: false });
  addFormats(ajv);
  ajv.addSchema(doc, 'openapi.json');
  const ops = [];
  for (const [template, item] of Object.entries(doc.paths)) {
    const re = new RegExp('^' + template.replace(/[.]/g, '\\.').replace(/\{id\d*\}/g, '[1-9][0-9]*')
      .replace(/\{[a-z]+\}/g, '[a-z0-9-]{1,40}') + '$');
    for (const [method, op] of Object.entries(item))
      ops.push({ method: method.toUpperCase(), template, re, op });
  }
  contract = { doc, ajv, ops, validators: new Map() };
  return contract;
}

function validator(c, template, method, status, type) {
  const key = `${method} ${template} ${status} ${type}`;
  let v = c.validators.get(key);
  if (!v) {
    v = c.ajv.compile({ $ref: `openapi.json#/${pointer('paths', template, method.toLowerCase(), 'responses', status, 'content', type, 'schema')}` });
    c.validators.set(key, v);
  }
  return v;
}

/**
 * Checks one exchange; returns null when it keeps the contract (or is not an
 * API route: static files, unknown paths), else the reason.
 */
export function contractViolation(binary, method, path, res) {
  const c = loadContract(binary);
  const p = path.split('?')[0];
  const m = method === 'HEAD' ? 'GET' : method;
  const onPath = c.ops.filter((o) => o.re.test(p));
  const hit = onPath.find((o) => o.method === m);
  if (!hit) return null;   // static files, 404 for unknown paths and 405 are the server's, not a route's
  const route = `${m} ${hit.template}`;
  const answer = hit.op.responses[String(res.status)];
  if (!answer) return `${route}: status ${res.status} is not declared (declared: ${Object.keys(hit.op.responses).join(', ')}); body: ${res.text.slice(0, 300)}`;
  if (method === 'HEAD' || res.status === 304) return null;
  const declared = Object.keys(answer.content || {});
  const got = (res.headers.get('content-type') || '').split(';')[0].trim();
  if (!declared.length) {
    if (res.text.length) return `${route}: status ${res.status} declares no body, got ${got}: ${res.text.slice(0, 200)}`;
    return null;
  }
  const fits = (d) => d === got || d === '*/*' || (d.endsWith('/*') && got.startsWith(d.slice(0, -1)));
  if (!declared.some(fits)) return `${route}: status ${res.status} answered ${got || 'no Content-Type'}, declared ${declared.join(', ')}`;
  if (got !== 'application/json' || !declared.includes(got)) return null;
  const v = validator(c, hit.template, m, String(res.status), got);
  if (v(res.json)) return null;
  const e = v.errors[0];
  return `${route}: status ${res.status} body breaks the schema at ${e.instancePath || '/'}: ${e.message}` +
    ` (${e.schemaPath}${e.params ? ' ' + JSON.stringify(e.params) : ''}); body: ${res.text.slice(0, 300)}`;
}
