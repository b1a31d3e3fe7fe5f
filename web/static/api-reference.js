// The API reference page: renders /api/v1/openapi.json (the server's
// generated OpenAPI 3.1 document) as one section per resource. Plain DOM and
// textContent only, so it runs under the server's strict CSP.
const statusEl = document.getElementById('status');
const toc = document.getElementById('toc');
const opsEl = document.getElementById('operations');
const schemasEl = document.getElementById('schemas');
const schemaList = document.getElementById('schema-list');

function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') e.className = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

const refName = (ref) => ref.split('/').pop();
const anchor = (name) => `schema-${name}`;

/** A short type text: "string (date)", "array of company", "integer 1..600". */
function typeText(s) {
  if (!s) return '';
  if (s.$ref) return refName(s.$ref);
  let t = Array.isArray(s.type) ? s.type.join(' or ') : s.type || 'any';
  if (s.enum) t += `: ${s.enum.join(' | ')}`;
  if (s.format) t += ` (${s.format})`;
  if (s.type === 'array' || (Array.isArray(s.type) && s.type.includes('array'))) t = `${t} of ${typeText(s.items)}`;
  if (s.minimum !== undefined || s.maximum !== undefined) t += ` ${s.minimum ?? ''}..${s.maximum ?? ''}`;
  if (s.maxLength !== undefined) t += `, ≤ ${s.maxLength} characters`;
  return t;
}

function schemaLink(s) {
  if (s && s.$ref) return el('a', { href: `#${anchor(refName(s.$ref))}` }, refName(s.$ref));
  if (s && s.type === 'array' && s.items && s.items.$ref) {
    const span = el('span', {}, 'array of ');
    span.append(schemaLink(s.items));
    return span;
  }
  return document.createTextNode(typeText(s));
}

/** A table of an object schema's properties. */
function propertiesTable(schema) {
  const props = schema.properties || {};
  const required = new Set(schema.required || []);
  const rows = Object.entries(props).map(([name, p]) => el('tr', {},
    el('td', {}, el('code', {}, name), required.has(name) ? el('span', { class: 'req' }, ' required') : null),
    el('td', {}, schemaLink(p)),
    el('td', {}, p.description || '')));
  if (!rows.length) return el('p', { class: 'muted' }, schema.additionalProperties === false ? 'No fields.' : 'A JSON object.');
  return el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, 'Field'), el('th', {}, 'Type'), el('th', {}, 'Notes'))),
    el('tbody', {}, ...rows));
}

function operationBlock(method, path, op) {
  const d = el('details', { class: 'op', id: op.operationId });
  d.append(el('summary', {}, el('span', { class: `method ${method}` }, method.toUpperCase()), ' ',
    el('code', { class: 'path' }, path), ' ', el('span', { class: 'sum' }, op.summary || '')));
  d.append(el('p', {}, op.description || ''));
  if (op.parameters && op.parameters.length) {
    d.append(el('h4', {}, 'Parameters'));
    d.append(el('table', {}, el('tbody', {}, ...op.parameters.map((p) => el('tr', {},
      el('td', {}, el('code', {}, p.name), ` (${p.in})`), el('td', {}, typeText(p.schema)), el('td', {}, p.description || ''))))));
  }
  if (op.requestBody) {
    d.append(el('h4', {}, 'Request body'));
    for (const [type, media] of Object.entries(op.requestBody.content)) {
      const p = el('p', {}, el('code', {}, type), ': ');
      p.append(schemaLink(media.schema));
      d.append(p);
    }
  }
  d.append(el('h4', {}, 'Responses'));
  const rows = Object.entries(op.responses).map(([status, r]) => {
    const cell = el('td', {});
    for (const [type, media] of Object.entries(r.content || {})) {
      cell.append(el('code', {}, type), ' ');
      cell.append(schemaLink(media.schema));
    }
    return el('tr', { class: Number(status) >= 400 ? 'err' : 'ok' }, el('td', {}, status), el('td', {}, r.description || ''), cell);
  });
  d.append(el('table', {}, el('tbody', {}, ...rows)));
  return d;
}

function render(doc) {
  const byTag = new Map((doc.tags || []).map((t) => [t.name, { tag: t, ops: [] }]));
  let count = 0;
  for (const [path, item] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(item)) {
      const tag = (op.tags && op.tags[0]) || 'other';
      if (!byTag.has(tag)) byTag.set(tag, { tag: { name: tag }, ops: [] });
      byTag.get(tag).ops.push([method, path, op]);
      count++;
    }
  const list = el('ul', {});
  for (const { tag, ops } of byTag.values()) {
    if (!ops.length) continue;
    list.append(el('li', {}, el('a', { href: `#tag-${tag.name}` }, tag.name)));
    const sec = el('section', { id: `tag-${tag.name}` }, el('h2', {}, tag.name));
    if (tag.description) sec.append(el('p', { class: 'lead' }, tag.description));
    for (const [m, p, op] of ops) sec.append(operationBlock(m, p, op));
    opsEl.append(sec);
  }
  toc.append(list);
  for (const [name, schema] of Object.entries(doc.components.schemas || {})) {
    const box = el('details', { class: 'schema', id: anchor(name) }, el('summary', {}, el('code', {}, name)));
    if (schema.description) box.append(el('p', {}, schema.description));
    box.append(propertiesTable(schema));
    if (name === 'Error') box.append(propertiesTable(schema.properties.error));
    schemaList.append(box);
  }
  schemasEl.hidden = false;
  statusEl.textContent = `${doc.info.title} ${doc.info.version}: ${count} operations on ${Object.keys(doc.paths).length} paths.`;
  if (location.hash) document.getElementById(location.hash.slice(1))?.scrollIntoView();
}

// A link to a schema opens it.
document.addEventListener('click', (e) => {
  const a = e.target.closest('a[href^="#schema-"]');
  if (a) document.getElementById(a.getAttribute('href').slice(1))?.setAttribute('open', '');
});

fetch('/api/v1/openapi.json')
  .then((r) => { if (!r.ok) throw new Error(`HTTP ${r.status}`); return r.json(); })
  .then(render)
  .catch((e) => { statusEl.textContent = `The API document could not be loaded: ${e.message}`; });
