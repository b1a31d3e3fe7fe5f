// offers.js - the trade network's offers board (issue 15): business offers
// and requests ("distributor sought in DE for HS 8413") with filters, posting
// one, an offer with the companies and contacts that fit it (score and
// reasons, for staff), a company showing interest (an introduction follows),
// closing it.
import { h } from '../dom.js';
import { t, tv } from '../i18n.js';
import { get, post, put, qs, isStaff, hasRole } from '../api.js';
import { pageHeader, section, notify, errorText, button } from '../ui.js';

const s = (k, v) => t(`offers.${k}`, v);
const KINDS = ['distributor_sought', 'agent_sought', 'supplier_sought', 'buyer_sought', 'tender_partner', 'other'];
const codes = (v) => v.split(/[\s,;]+/).map((x) => x.trim().toUpperCase()).filter(Boolean);
const field = (label, input) => h('label', { class: 'field' }, h('span', { class: 'label' }, label), input);

function postForm(go) {
  const kind = h('select', { name: 'kind' }, KINDS.map((k) => h('option', { value: k }, tv('offers.kind', k))));
  const title = h('input', { name: 'title', required: true, minlength: 3, maxlength: 200 });
  const description = h('textarea', { name: 'description', rows: 3, maxlength: 4000 });
  const hs = h('input', { name: 'hs', placeholder: '8413, 0306' });
  const countries = h('input', { name: 'countries', required: true, placeholder: 'DE, NO' });
  const expires = h('input', { name: 'expires_on', type: 'date', required: true });
  const f = h('form', { id: 'offer-form', onsubmit: async (e) => {
    e.preventDefault();
    try {
      const r = await post('/api/v1/offers', { kind: kind.value, title: title.value.trim(), description: description.value || undefined,
        hs: codes(hs.value), countries: codes(countries.value), expires_on: expires.value });
      notify(s('posted'), 'success');
      go(`#/network/offers/${r.id}`);
    } catch (err) { notify(errorText(err), 'error'); }
  } }, field(s('col.kind'), kind), field(s('col.title'), title), field(s('description'), description),
  field(s('col.hs'), hs), field(s('col.countries'), countries), field(s('col.expires'), expires),
  h('button', { type: 'submit', class: 'btn' }, s('post')));
  return h('details', { class: 'card' }, h('summary', null, s('new')), f);
}

export async function board({ query, go }) {
  const params = { country: query.country || '', hs: query.hs || '', kind: query.kind || '', open: query.all ? '' : '1' };
  const country = h('input', { name: 'country', value: params.country, size: 4, 'aria-label': s('col.countries'), placeholder: 'DE' });
  const hs = h('input', { name: 'hs', value: params.hs, size: 7, 'aria-label': s('col.hs'), placeholder: '8413' });
  const all = h('input', { type: 'checkbox', name: 'all', checked: !!query.all });
  const filters = h('form', { class: 'net-search', role: 'search', onsubmit: (e) => {
    e.preventDefault();
    go(`#/network/offers${qs(Object.fromEntries(Object.entries({ country: country.value.trim().toUpperCase(), hs: hs.value.trim(),
      all: all.checked ? '1' : '' }).filter(([, v]) => v)))}`);
  } }, country, hs, h('label', null, all, ` ${s('showClosed')}`), h('button', { type: 'submit', class: 'btn' }, s('filter')));
  let items;
  try {
    items = (await get(`/api/v1/offers${qs(Object.fromEntries(Object.entries({ ...params, limit: 100 }).filter(([, v]) => v)))}`)).items;
  } catch (e) {
    return h('div', null, pageHeader(s('title')), filters, section(null, h('p', { class: 'error' }, errorText(e))));
  }
  const rows = items.map((o) => h('tr', null,
    h('td', null, h('a', { href: `#/network/offers/${o.id}` }, o.title)), h('td', null, tv('offers.kind', o.kind)),
    h('td', null, o.countries.join(', ')), h('td', null, o.hs.join(', ')), h('td', null, o.company_name || o.owner_name),
    h('td', null, o.open ? o.expires_on : s('closed')), h('td', null, String(o.interests))));
  const table = rows.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'offers-list' },
    h('thead', null, h('tr', null, ['title', 'kind', 'countries', 'hs', 'by', 'expires', 'interests'].map((k) => h('th', { scope: 'col' }, s(`col.${k}`))))),
    h('tbody', null, rows))) : h('p', { class: 'muted', id: 'offers-empty' }, s('none'));
  return h('div', null,
    pageHeader(s('title'), { sub: s('sub'), back: ['#/network', t('net.title')] }),
    isStaff() || hasRole('company') ? postForm(go) : null, filters, section(null, table), await digestBox());
}

// The digest: a company manager switches it on or off; staff send it now.
async function digestBox() {
  const me = await get('/api/v1/offer-digest/settings');
  const box = h('input', { type: 'checkbox', name: 'digest', checked: me.digest === 'on', onchange: async () => {
    try {
      await put('/api/v1/offer-digest/settings', { digest: box.checked ? 'on' : 'off' });
      notify(box.checked ? s('digestOn') : s('digestOff'), 'success');
    } catch (e) { notify(errorText(e), 'error'); }
  } });
  const send = isStaff() ? button(s('digestSend'), async () => {
    try {
      const r = await post('/api/v1/offer-digest/send', {});
      notify(s('digestSent', { companies: r.companies, mails: r.mails }), 'success');
    } catch (e) { notify(errorText(e), 'error'); }
  }, 'btn btn-secondary') : null;
  return section(s('digest'), h('p', { class: 'muted' }, s('digestHint')),
    hasRole('company') ? h('label', { id: 'offer-digest' }, box, ` ${s('digestMe')}`) : null, send);
}

// ---- the link in a digest: no more digests -----------------------------------

export async function unsubscribe({ query }) {
  try {
    await post('/api/v1/offer-digest/unsubscribe', { token: query.token || '' });
    return h('div', null, pageHeader(s('unsubTitle')), section(null, h('p', { id: 'offer-unsubscribed' }, s('unsubDone'))));
  } catch (e) {
    return h('div', null, pageHeader(s('unsubTitle')), section(null, h('p', { class: 'error' }, errorText(e))));
  }
}

function matchTable(id, items, href) {
  if (!items.length) return h('p', { class: 'muted' }, s('noMatches'));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'table', id },
    h('thead', null, h('tr', null, ['name', 'country', 'score', 'why'].map((k) => h('th', { scope: 'col' }, s(`col.${k}`))))),
    h('tbody', null, items.map((m) => h('tr', null, h('td', null, href ? h('a', { href: href(m) }, m.name) : m.name),
      h('td', null, m.country || ''), h('td', null, String(m.score)), h('td', { class: 'net-reasons' }, m.reasons.join(' · ')))))));
}

export async function offer({ params, go }) {
  const o = await get(`/api/v1/offers/${params.id}`);
  const reload = () => go(`#/network/offers/${o.id}?r=${Date.now()}`);
  const dl = h('dl', { class: 'net-details' }, [
    ['kind', tv('offers.kind', o.kind)], ['by', o.company_name ? `${o.company_name} (${o.owner_name})` : o.owner_name],
    ['countries', o.countries.join(', ')], ['hs', o.hs.join(', ')], ['sector', o.nace], ['expires', o.expires_on],
    ['contact', o.contact_name], ['introducer', o.introducer_name], ['interests', String(o.interests)]]
    .filter(([, v]) => v).flatMap(([k, v]) => [h('dt', null, s(`col.${k}`)), h('dd', null, v)]));
  const page = h('div', null, pageHeader(o.title, { back: ['#/network/offers', s('title')], sub: o.open ? '' : s('closed') }),
    section(s('details'), o.description ? h('p', null, o.description) : null, dl));
  if (o.open && (hasRole('company') || isStaff())) {
    const message = h('textarea', { name: 'message', rows: 2, maxlength: 2000 });
    const company = isStaff() ? h('input', { name: 'company_id', type: 'number', min: 1, size: 6 }) : null;
    page.append(section(s('interest'), h('form', { id: 'offer-interest', onsubmit: async (e) => {
      e.preventDefault();
      try {
        const r = await post(`/api/v1/offers/${o.id}/interest`, { message: message.value || undefined,
          company_id: company ? Number(company.value) : undefined });
        notify(r.introduction_id ? s('interestIntro') : s('interestSaved'), 'success');
        reload();
      } catch (err) { notify(errorText(err), 'error'); }
    } }, company ? field(s('companyId'), company) : null, field(s('message'), message),
    h('button', { type: 'submit', class: 'btn' }, s('interested')))));
  }
  if (o.interest_list.length)
    page.append(section(s('interestsShown'), h('ul', { class: 'plain', id: 'offer-interests' }, o.interest_list.map((i) =>
      h('li', null, `${i.company_name || `#${i.company_id}`}${i.message ? ` – ${i.message}` : ''}`,
        i.introduction_id ? h('a', { href: `#/network/introductions?open=${i.introduction_id}` }, ` (${s('introduction')})`) : null)))));
  if (isStaff()) {
    try {
      const m = await get(`/api/v1/offers/${o.id}/matches`);
      page.append(section(s('matchCompanies'), matchTable('offer-match-companies', m.companies, (c) => `#/companies/${c.id}`)),
        section(s('matchContacts'), matchTable('offer-match-contacts', m.contacts, (c) => `#/network/contacts/${c.id}`)));
    } catch (e) { if (e.status !== 404) notify(errorText(e), 'error'); }
    if (o.open) page.append(h('div', { class: 'page-actions' }, button(s('close'), async () => {
      try {
        const { id, version, owner_name: _o, ...rest } = o;
        const body = { version, closed: true };
        for (const k of ['kind', 'title', 'description', 'hs', 'countries', 'nace', 'contact_id', 'introducer_id', 'visibility', 'expires_on'])
          if (rest[k] !== null && rest[k] !== undefined) body[k] = rest[k];
        await put(`/api/v1/offers/${id}`, body);
        notify(s('closedNote'), 'success');
        reload();
      } catch (err) { notify(errorText(err), 'error'); }
    }, 'btn btn-secondary')));
  }
  return page;
}
