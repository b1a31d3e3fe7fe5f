// ui.js - shared pieces of pages: headings, messages, badges, dialogs, paged tables.
import { h, clear, append, $ } from './dom.js';
import { t, tv, lang, has, apiPhrase, splitApiMessage, fieldLabel } from './i18n.js';
import { get, qs } from './api.js';

/** Announces a message in the aria-live region (kind: info, success, error). */
export function notify(text, kind = 'info') {
  const box = $('#messages');
  clear(box);
  const close = h('button', { type: 'button', class: 'msg-close', aria: { label: t('common.dismiss') }, onclick: () => clear(box) }, '×');
  box.append(h('div', { class: `msg msg-${kind}` }, h('span', null, text), close));
  // A notice survives the navigation its action makes right after it (e.g. "Saved." shown on the
  // record's page), not the ones the user makes later.
  box.dataset.keep = '1';
  setTimeout(() => { box.dataset.keep = '0'; }, 250);
  if (kind !== 'error') setTimeout(() => { if (box.contains(close)) clear(box); }, 6000);
}
export const clearMessages = () => clear($('#messages'));
/** On navigation to another page: a notice stays only when its action made this navigation. */
export function messagesOnNav() {
  const box = $('#messages');
  if (box.dataset.keep !== '1') clear(box);
  box.dataset.keep = '0';
}

export function pageHeader(title, { actions = [], sub = null, back = null } = {}) {
  document.title = `${title} · TradeBridge`;
  return h('div', { class: 'page-header' },
    back ? h('a', { class: 'back-link', href: back[0] }, `← ${back[1]}`) : null,
    h('div', { class: 'page-header-row' },
      h('div', null, h('h1', { id: 'page-title', tabindex: '-1' }, title), sub ? h('p', { class: 'page-sub' }, sub) : null),
      actions.length ? h('div', { class: 'page-actions' }, actions) : null));
}

export function badge(prefix, value) {
  if (!value) return null;
  return h('span', { class: `badge badge-${value}` }, tv(prefix, value));
}

export const section = (title, ...content) => h('section', { class: 'card', aria: { labelledby: null } },
  title ? h('h2', { class: 'card-title' }, title) : null, content);

export function linkBtn(href, label, cls = 'btn') { return h('a', { class: cls, href }, label); }
export function button(label, onclick, cls = 'btn') { return h('button', { type: 'button', class: cls, onclick }, label); }

/**
 * The message for an ApiError: 404 -> not found, 403 -> no access, network; a field error
 * names the field by its label ("Legal name: is required"), never by its API name; in a
 * language other than English a known error code is said in that language.
 */
export function errorText(e) {
  if (!e) return t('error.generic');
  if (e.status === 404) return t('error.notFound');
  if (e.status === 403) return t('error.forbidden');
  if (e.status === 0) return t('error.network');
  if (e.code === 'client') return e.message;
  const { path, problem } = splitApiMessage(e.message, e.field);
  if (path) return t('form.fieldError', { label: fieldLabel(path), message: apiPhrase(problem) });
  if (lang !== 'en' && e.code && has(`apiCode.${e.code}`)) return t(`apiCode.${e.code}`);
  return e.message || t('error.generic');
}

/** A page-level error (e.g. a record that does not exist or is hidden, a page the role may not use). */
export function errorPage(e, back) {
  const title = e && e.status === 404 ? t('error.notFoundTitle') : e && e.status === 403 ? t('error.forbiddenTitle') : t('error.title');
  return h('div', { class: 'error-page' },
    pageHeader(title),
    h('p', { class: 'error-text', role: 'alert' }, errorText(e)),
    h('p', null, h('a', { href: back || '#/' }, t('common.backHome'))));
}

/**
 * A modal confirmation (native <dialog>): resolves true when confirmed.
 * message names the consequence; confirmLabel the action ("Erase personal data").
 */
export function confirmDialog({ title, message, confirmLabel, danger = false, reason = null }) {
  // reason: {label, required} adds a text area; the promise then gives its
  // text (or '' when optional and empty), or false when cancelled.
  return new Promise((resolve) => {
    const area = reason ? h('textarea', { id: 'dlg-reason', class: 'input', rows: 3, required: !!reason.required }) : null;
    const ok = h('button', { value: 'ok', class: danger ? 'btn btn-danger' : 'btn btn-primary' }, confirmLabel);
    const dlg = h('dialog', { class: 'dialog', aria: { labelledby: 'dlg-title', describedby: 'dlg-msg' } },
      h('h2', { id: 'dlg-title' }, title),
      h('p', { id: 'dlg-msg' }, message),
      h('form', { method: 'dialog', class: 'dialog-actions' },
        area ? h('div', { class: 'field dialog-reason' }, h('label', { for: 'dlg-reason' }, reason.label), area) : null,
        h('button', { value: 'cancel', class: 'btn btn-ghost', autofocus: true, formnovalidate: true }, t('form.cancel')),
        ok));
    if (area && reason.required) {
      const sync = () => { ok.disabled = !area.value.trim(); };
      area.addEventListener('input', sync);
      sync();
    }
    document.body.append(dlg);
    dlg.addEventListener('close', () => {
      const yes = dlg.returnValue === 'ok';
      resolve(area ? (yes ? area.value.trim() : false) : yes);
      dlg.remove();
    });
    dlg.showModal();
  });
}

/**
 * A paged table: columns [{label, cell(item) -> node|string, cls}], fetches `path + qs(params)`,
 * "load more" follows next_cursor. Returns {el, reload(params)}.
 */
export function pagedTable({ path, params = {}, columns, empty = 'list.empty', rowHref, caption, limit = 25 }) {
  const tbody = h('tbody');
  const status = h('p', { class: 'list-status', aria: { live: 'polite' } });
  const more = h('button', { type: 'button', class: 'btn btn-ghost', hidden: true }, t('list.loadMore'));
  const table = h('table', { class: 'table' },
    caption ? h('caption', { class: 'sr-only' }, caption) : null,
    h('thead', null, h('tr', null, columns.map((c) => h('th', { scope: 'col', class: c.cls }, t(c.label))))), tbody);
  const el = h('div', { class: 'list' }, h('div', { class: 'table-wrap' }, table), status, h('div', { class: 'list-more' }, more));
  let cursor = null;
  let cur = params;
  let seq = 0;
  let count = 0;
  async function load(reset) {
    const my = ++seq;
    if (reset) { cursor = null; count = 0; }
    more.disabled = true;
    status.textContent = t('common.loading');
    try {
      const r = await get(path + qs({ ...cur, limit, cursor }));
      if (my !== seq) return;
      if (reset) clear(tbody);
      for (const it of r.items) {
        const tr = h('tr', null, columns.map((c, i) => {
          let v = c.cell(it);
          if (i === 0 && rowHref) v = h('a', { href: rowHref(it) }, v || `#${it.id}`);
          return h(i === 0 ? 'th' : 'td', { scope: i === 0 ? 'row' : null, class: c.cls, dataset: { label: t(c.label) } }, v ?? '');
        }));
        tbody.append(tr);
      }
      count += r.items.length;
      cursor = r.next_cursor;
      more.hidden = !cursor;
      status.textContent = count ? t('list.shown', { n: count }) : t(empty);
    } catch (e) {
      if (my !== seq) return;
      status.textContent = errorText(e);
      status.classList.add('error-text');
    } finally {
      more.disabled = false;
    }
  }
  more.addEventListener('click', () => load(false));
  load(true);
  return { el, reload(p) { cur = p; load(true); } };
}

/**
 * "Export CSV" / "Export XLSX" for a list, with the list's filters and sort (the API's
 * ?format=csv|xlsx); update(params) follows the filters as they change.
 */
export function exportLinks(path, params, name) {
  const links = ['csv', 'xlsx'].map((format) => h('a', { class: 'btn btn-ghost btn-small', dataset: { format } }, t(`list.export.${format}`)));
  const update = (p) => {
    for (const a of links) {
      const { cursor, limit, ...rest } = p || {};
      // human headers in the UI's language (?headers=machine gives the column names, for scripts)
      a.href = `/api/v1${path}${qs({ ...rest, format: a.dataset.format, lang })}`;
      a.setAttribute('download', `${name}.${a.dataset.format}`);
    }
  };
  update(params);
  return { el: h('div', { class: 'export-links', role: 'group', aria: { label: t('list.export.label') } }, links), update };
}

/** Fetches every page of a list (for boards and pickers), up to max items. */
export async function fetchAll(path, params = {}, max = 1000) {
  const items = [];
  let cursor = null;
  do {
    const r = await get(path + qs({ ...params, limit: 200, cursor }));
    items.push(...r.items);
    cursor = r.next_cursor;
  } while (cursor && items.length < max);
  return items;
}

export { h, clear, append };
