// network.js - the trade network (issue 15): the directory with facets and
// search (prefix, accents folded, with why each matched), a contact with its
// relationships and the paths of "who can introduce me" drawn as a small
// graph, the introduction inbox (states, approvals of other operators'
// requests) and the page an introducer answers from a link.
import { h } from '../dom.js';
import { t, tv } from '../i18n.js';
import { get, post, qs, isStaff } from '../api.js';
import { pageHeader, section, notify, errorText, button, badge } from '../ui.js';

const s = (k, v) => t(`net.${k}`, v);

function facetList(name, items, current, onPick) {
  return h('div', { class: 'net-facet' }, h('h3', null, s(`facet.${name}`)),
    h('ul', { class: 'plain' }, items.slice(0, 12).map((f) => h('li', null,
      h('button', { type: 'button', class: `btn-link${current === f.value ? ' active' : ''}`, 'data-facet': `${name}:${f.value}`,
        onclick: () => onPick(current === f.value ? null : f.value) },
      `${name === 'category' ? tv('net.category', f.value) : f.value} (${f.n})`)))));
}

export async function directory({ query, go }) {
  const params = { q: query.q || '', country: query.country || '', sector: query.sector || '', kind: query.kind || '' };
  const nav = (over) => go(`#/network${qs(Object.fromEntries(Object.entries({ ...params, ...over }).filter(([, v]) => v)))}`);
  const box = h('input', { type: 'search', name: 'q', value: params.q, placeholder: s('searchHint'), 'aria-label': s('search') });
  const form = h('form', { class: 'net-search', role: 'search', onsubmit: (e) => { e.preventDefault(); nav({ q: box.value.trim() }); } },
    box, h('button', { type: 'submit', class: 'btn' }, s('search')));
  const filters = { country: params.country, nace: params.sector, kind: params.kind };
  let list, facets;
  try {
    [list, facets] = await Promise.all([
      get(`/api/v1/contacts${qs({ q: params.q, country: params.country, sector: params.sector, kind: params.kind, limit: 50 })}`),
      get(`/api/v1/contacts/facets${qs({ country: filters.country, kind: filters.kind })}`)]);
  } catch (e) {
    return h('div', null, pageHeader(s('title')), form, section(null, h('p', { class: 'error' }, errorText(e))));
  }
  const rows = list.items.map((c) => h('tr', null,
    h('td', null, h('a', { href: `#/network/contacts/${c.id}` }, c.name)),
    h('td', null, tv('net.category', c.category)), h('td', null, c.organisation || ''),
    h('td', null, [c.city, c.country].filter(Boolean).join(', ')), h('td', null, c.owner_name || ''),
    h('td', { class: 'net-reasons' }, (c.reasons || []).join(' · '))));
  const table = rows.length
    ? h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'net-results' },
      h('caption', null, params.q ? s('resultsFor', { q: params.q }) : s('all')),
      h('thead', null, h('tr', null, ['name', 'category', 'organisation', 'place', 'owner', 'why'].map((k) => h('th', { scope: 'col' }, s(`col.${k}`))))),
      h('tbody', null, rows)))
    : h('p', { class: 'muted', id: 'net-empty' }, s('none'));
  return h('div', null,
    pageHeader(s('title'), { sub: s('sub'), actions: [h('a', { class: 'btn', href: '#/network/introductions' }, s('inbox')),
      h('a', { class: 'btn btn-secondary', href: '#/network/offers' }, t('offers.title'))] }),
    form,
    h('div', { class: 'net-layout' },
      h('aside', { class: 'card net-facets', 'aria-label': s('filters') },
        facetList('country', facets.country, params.country, (v) => nav({ country: v })),
        facetList('category', facets.category, params.kind, (v) => nav({ kind: v })),
        facetList('sector', facets.sector, params.sector, (v) => nav({ sector: v }))),
      h('div', { class: 'net-main' }, table)));
}

// ---- a contact, its relationships and its paths -----------------------------

function pathGraph(path) {
  const w = 180, height = 70, width = Math.max(w * path.people.length, 360);
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', path.explanation);
  svg.setAttribute('class', 'net-path-graph');
  const el = (tag, attrs, text) => {
    const e = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text) e.textContent = text;
    svg.append(e);
  };
  path.people.forEach((p, i) => {
    const x = w / 2 + i * w;
    if (i) el('line', { x1: x - w + 14, y1: 25, x2: x - 14, y2: 25, stroke: '#6b7280', 'stroke-width': 2 });
    el('circle', { cx: x, cy: 25, r: 12, fill: i === path.people.length - 1 ? '#1d4ed8' : '#10b981' });
    el('text', { x, y: 58, 'text-anchor': 'middle', 'font-size': 12 }, p.name);
  });
  return svg;
}

export async function contact({ params, go }) {
  const c = await get(`/api/v1/contacts/${params.id}`);
  let paths = [];
  try { paths = (await get(`/api/v1/contacts/${params.id}/paths`)).paths; } catch (e) { notify(errorText(e), 'error'); }
  const dl = h('dl', { class: 'net-details' }, [
    ['category', tv('net.category', c.category)], ['organisation', c.organisation], ['roles', c.roles],
    ['place', [c.city, c.country].filter(Boolean).join(', ')], ['sector', c.nace], ['hs', (c.hs || []).join(', ')],
    ['languages', (c.languages || []).join(', ')], ['markets', (c.markets || []).join(', ')], ['tags', (c.tags || []).join(', ')],
    ['owner', `${c.owner_name} (${tv('net.visibility', c.visibility)})`], ['email', c.email]]
    .filter(([, v]) => v).flatMap(([k, v]) => [h('dt', null, s(`col.${k}`)), h('dd', null, v)]));
  const ask = (p) => {
    const introducer = p.people[p.people.length - 2];
    const purpose = h('input', { name: 'purpose', required: true, minlength: 3, maxlength: 300 });
    const f = h('form', { class: 'net-ask', onsubmit: async (e) => {
      e.preventDefault();
      try {
        const r = await post('/api/v1/introductions', { introducer_id: introducer.id, target_id: c.id, purpose: purpose.value });
        notify(s('asked', { name: introducer.name }), 'success');
        go(`#/network/introductions?open=${r.id}`);
      } catch (err) { notify(errorText(err), 'error'); }
    } }, h('label', { class: 'field' }, h('span', { class: 'label' }, s('purpose')), purpose),
    h('button', { type: 'submit', class: 'btn' }, s('askVia', { name: introducer.name })));
    return f;
  };
  const pathCards = paths.length ? paths.map((p) => h('article', { class: 'net-path' }, pathGraph(p),
    h('p', { class: 'net-explanation' }, p.explanation), ask(p))) : [h('p', { class: 'muted', id: 'net-no-path' }, s('noPath'))];
  const links = (c.links || []).map((l) => h('li', null, `${l.from_name} – ${tv('net.link', l.kind)} – ${l.to_name} (${'★'.repeat(l.strength)}${l.last_contact ? `, ${l.last_contact}` : ''})`));
  return h('div', null, pageHeader(c.name, { back: ['#/network', s('title')], sub: c.removed_at ? s('removed') : c.organisation || '' }),
    section(s('details'), dl),
    section(s('paths'), h('div', { id: 'net-paths' }, pathCards)),
    section(s('links'), links.length ? h('ul', { class: 'plain' }, links) : h('p', { class: 'muted' }, s('noLinks'))),
    isStaff() && !c.removed_at ? mergeForm(c, go) : null);
}

// Merging a duplicate (its id, as in its address) into this contact.
function mergeForm(c, go) {
  const from = h('input', { name: 'from_id', type: 'number', min: 1, required: true, size: 8 });
  return section(s('merge'), h('p', { class: 'muted' }, s('mergeHint')), h('form', { id: 'net-merge', onsubmit: async (e) => {
    e.preventDefault();
    try {
      const r = await post(`/api/v1/contacts/${c.id}/merge`, { from_id: Number(from.value), version: c.version });
      notify(s('merged', { links: r.merge.links_moved.length, intros: r.merge.introductions_moved.length }), 'success');
      go(`#/network/contacts/${c.id}?r=${Date.now()}`);
    } catch (err) { notify(errorText(err), 'error'); }
  } }, h('label', { class: 'field' }, h('span', { class: 'label' }, s('mergeFrom')), from),
  h('button', { type: 'submit', class: 'btn btn-secondary' }, s('mergeButton'))));
}

// ---- the introduction inbox ----------------------------------------------------

const NEXT = { accepted: ['made'], made: ['meeting_held'], meeting_held: ['deal_started'], deal_started: ['deal_closed'] };

function introRow(i, reload) {
  const act = async (state, extra = {}) => {
    try { await post(`/api/v1/introductions/${i.id}/state`, { state, ...extra }); reload(); } catch (e) { notify(errorText(e), 'error'); }
  };
  const buttons = [];
  if (i.state === 'requested' && isStaff()) buttons.push(button(s('accept'), () => act('accepted')), button(s('decline'), () => act('declined'), 'btn btn-secondary'));
  for (const n of NEXT[i.state] || []) {
    if (n === 'deal_closed') {
      const value = h('input', { type: 'number', min: 1, name: 'value', 'aria-label': s('value'), placeholder: s('value') });
      const cur = h('input', { name: 'currency', maxlength: 3, size: 4, value: 'EUR', 'aria-label': s('currency') });
      const market = h('input', { name: 'market', maxlength: 2, size: 3, 'aria-label': s('market'), placeholder: 'DE' });
      const hs = h('input', { name: 'hs', maxlength: 6, size: 7, 'aria-label': 'HS', placeholder: '0306' });
      buttons.push(h('span', { class: 'net-close' }, value, cur, market, hs, button(tv('net.state', n), () => act(n, {
        value_minor: Math.round(Number(value.value) * 100), currency: cur.value.toUpperCase(), market: market.value.toUpperCase(), hs: hs.value }))));
    } else buttons.push(button(tv('net.state', n), () => act(n)));
  }
  if (!['declined', 'deal_closed', 'dropped'].includes(i.state)) buttons.push(button(s('drop'), () => act('dropped'), 'btn btn-secondary'));
  return h('tr', { 'data-intro': i.id },
    h('td', null, i.asker_name), h('td', null, i.introducer_name), h('td', null, i.target_name), h('td', null, i.purpose),
    h('td', null, badge('net.state', i.state), i.approval ? h('span', { class: 'muted' }, ` ${s('approval')}: ${tv('net.approval', i.approval)}`) : null),
    h('td', null, buttons));
}

export async function inbox({ go }) {
  const page = h('div');
  const reload = () => go(location.hash.includes('?') ? location.hash.replace(/&r=\d+/, '') + `&r=${Date.now()}` : `#/network/introductions?r=${Date.now()}`);
  const items = (await get('/api/v1/introductions')).items;
  const table = items.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'net-intros' },
    h('thead', null, h('tr', null, ['asker', 'introducer', 'target', 'purpose', 'state', 'actions'].map((k) => h('th', { scope: 'col' }, s(`col.${k}`))))),
    h('tbody', null, items.map((i) => introRow(i, reload))))) : h('p', { class: 'muted' }, s('noIntros'));
  page.append(pageHeader(s('inbox'), { back: ['#/network', s('title')], sub: s('inboxSub') }), section(s('introductions'), table));
  if (isStaff()) {
    const ap = (await get('/api/v1/introduction-approvals?state=pending')).items;
    const decide = async (a, decision) => {
      try { await post(`/api/v1/introduction-approvals/${a.id}`, { decision }); reload(); } catch (e) { notify(errorText(e), 'error'); }
    };
    page.append(section(s('approvals'), ap.length ? h('ul', { class: 'plain', id: 'net-approvals' }, ap.map((a) => h('li', null,
      s('approvalLine', { asker: a.asker_name, target: a.target_name, purpose: a.purpose }), ' ',
      button(s('approve'), () => decide(a, 'approve')), button(s('refuse'), () => decide(a, 'refuse'), 'btn btn-secondary'))))
      : h('p', { class: 'muted' }, s('noApprovals'))));
  }
  return page;
}

// ---- the introducer's answer, from a link ---------------------------------------

export async function answer({ query }) {
  const token = query.token || '';
  let v;
  try { v = await post('/api/v1/introduction-links/open', { token }); } catch (e) {
    return h('div', null, pageHeader(s('answerTitle')), section(null, h('p', { class: 'error' }, errorText(e))));
  }
  const page = h('div');
  const note = h('textarea', { name: 'note', maxlength: 2000, rows: 3 });
  const send = async (decision) => {
    try {
      await post('/api/v1/introduction-links/answer', { token, decision, note: note.value || undefined });
      page.replaceChildren(pageHeader(s('answerTitle')), section(null, h('p', { id: 'net-thanks' }, s('thanks'))));
    } catch (e) { notify(errorText(e), 'error'); }
  };
  page.append(pageHeader(s('answerTitle'), { sub: s('answerSub', { asker: v.asker_name, target: v.target_name }) }),
    section(null, h('p', null, h('strong', null, s('purpose')), ' ', v.purpose), v.message ? h('p', null, v.message) : null,
      h('label', { class: 'field' }, h('span', { class: 'label' }, s('note')), note),
      h('div', { class: 'page-actions' }, button(s('accept'), () => send('accept')), button(s('decline'), () => send('decline'), 'btn btn-secondary'))));
  return page;
}
