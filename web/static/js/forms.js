// forms.js - form fields built from small specs: text, numbers, dates, money, selects,
// type-ahead pickers over code lists and records, list editors for arrays; and the
// mapping of API errors ({field: 'languages[1].level'}) onto the field that caused them.
import { h, nextId, clear, append, debounce } from './dom.js';
import { t, tv, fieldLabels, apiPhrase, splitApiMessage } from './i18n.js';
import { errorText } from './ui.js';
import { get, qs } from './api.js';
import { moneyInput, parseMoney, fmtMoney } from './fmt.js';

// ---- code lists: names for codes, cached ----
const codeCache = new Map(); // `${list}:${code}` -> name
export async function codeName(list, code) {
  if (code === null || code === undefined || code === '') return '';
  const key = `${list}:${code}`;
  if (codeCache.has(key)) return codeCache.get(key);
  try {
    const r = await get(`/codes/${list}${qs({ q: code, limit: 50 })}`);
    for (const it of r.items) codeCache.set(`${list}:${it.code}`, it.name);
  } catch { /* the code alone is shown */ }
  if (!codeCache.has(key)) codeCache.set(key, '');
  return codeCache.get(key);
}
// "Austria (AT)", "Wholesale of … (46.38)"; a language by its name alone ("Swedish", not "Swedish (sv)").
const NAME_ONLY = new Set(['languages']);
export const codeLabel = (code, name, list) => (name ? (NAME_ONLY.has(list) ? name : `${name} (${code})`) : String(code));

/** A span showing "Name (CODE)" that fills in the name once known. */
export function codeText(list, code) {
  const span = h('span', { class: 'code' }, String(code ?? ''));
  if (code !== null && code !== undefined && code !== '')
    codeName(list, code).then((n) => { span.textContent = codeLabel(code, n, list); });
  return span;
}

async function searchCodes(list, q) {
  const r = await get(`/codes/${list}${qs({ q, limit: 12 })}`);
  return r.items.map((it) => {
    codeCache.set(`${list}:${it.code}`, it.name);
    return { value: it.code, label: codeLabel(it.code, it.name, list) };
  });
}

// ---- the combobox (ARIA 1.2 pattern): type, arrows, Enter, Escape ----
// The list shown always belongs to one query (`shownFor`). Typing makes it stale until the
// answer for the new text is in; answers to older queries are dropped, and a pick cancels
// every search still running, so a late answer can neither reopen the list nor be chosen.
// Enter chooses the highlighted option of the current text: while the text has changed and
// its answer is not in yet, Enter waits for it (and never submits the form with the value
// picked before).
function combobox({ id, search, onPick, placeholder, describedby }) {
  const listId = nextId('lb');
  const input = h('input', {
    id, type: 'text', role: 'combobox', autocomplete: 'off', class: 'input',
    aria: { autocomplete: 'list', expanded: 'false', controls: listId, describedby }, placeholder,
  });
  const list = h('ul', { id: listId, role: 'listbox', class: 'combo-list', hidden: true });
  let options = [];
  let active = -1;
  let seq = 0;
  let timer = null;
  let pending = null; // the running search: resolves true when its list is shown
  let shownFor = null; // the text the shown list answers
  let committed = ''; // the text after the last pick (or as set by the field)
  const close = () => { list.hidden = true; input.setAttribute('aria-expanded', 'false'); input.removeAttribute('aria-activedescendant'); active = -1; };
  const highlight = (i) => {
    active = i;
    [...list.children].forEach((li, j) => li.setAttribute('aria-selected', String(j === i)));
    if (i >= 0 && list.children[i]) {
      input.setAttribute('aria-activedescendant', list.children[i].id);
      list.children[i].scrollIntoView({ block: 'nearest' });
    }
  };
  const cancel = () => { clearTimeout(timer); timer = null; seq++; pending = null; };
  const pick = (o) => {
    if (!o) return;
    cancel();
    close();
    onPick(o);
    committed = input.value;
    shownFor = null;
  };
  const render = (items, q) => {
    options = items;
    shownFor = q;
    clear(list);
    items.forEach((o, i) => {
      list.append(h('li', { id: `${listId}-${i}`, role: 'option', class: 'combo-option', aria: { selected: 'false' },
        // the option that was clicked, whatever answer arrives later
        onmousedown: (e) => { e.preventDefault(); pick(o); } },
      h('span', null, o.label), o.hint ? h('span', { class: 'combo-hint' }, o.hint) : null));
    });
    if (!items.length) list.append(h('li', { class: 'combo-empty', role: 'option', aria: { disabled: 'true' } }, t('form.noMatches')));
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    highlight(items.length ? 0 : -1);
  };
  const runNow = () => {
    clearTimeout(timer);
    timer = null;
    const q = input.value.trim();
    const my = ++seq;
    pending = (async () => {
      let items;
      try { items = await search(q); } catch { items = []; }
      if (my !== seq) return false; // a newer query or a pick came in between
      pending = null;
      if (document.activeElement !== input) return false;
      render(items, q);
      return true;
    })();
    return pending;
  };
  const schedule = () => { clearTimeout(timer); timer = setTimeout(runNow, 200); };
  const stale = () => shownFor !== input.value.trim();
  input.addEventListener('input', () => { list.classList.toggle('combo-stale', stale()); schedule(); });
  input.addEventListener('focus', () => { if (!input.readOnly) schedule(); });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown') { e.preventDefault(); if (list.hidden || stale()) runNow(); else highlight(Math.min(options.length - 1, active + 1)); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); if (!stale()) highlight(Math.max(0, active - 1)); }
    else if (e.key === 'Enter') {
      if (!list.hidden && !stale() && active >= 0) { e.preventDefault(); pick(options[active]); return; }
      const typed = input.value !== committed && input.value.trim() !== '';
      if (!typed && !(!list.hidden && !stale())) return; // nothing typed: Enter submits as usual
      e.preventDefault();
      if (!list.hidden && !stale()) return; // "No matches" is shown: nothing to choose
      const want = input.value;
      (pending && !timer ? pending : runNow()).then((shown) => {
        if (shown && input.value === want && !stale() && active >= 0) pick(options[active]);
      });
    }
    else if (e.key === 'Escape') { if (!list.hidden) { e.preventDefault(); cancel(); close(); } }
  });
  input.addEventListener('blur', () => setTimeout(() => { if (document.activeElement !== input) { cancel(); close(); } }, 100));
  const setText = (v) => { input.value = v; committed = v; };
  return { input, el: h('div', { class: 'combo' }, input, list), close, setText };
}

// ---- field components ----
function fieldShell(spec, control, id, { hintId, errId, compact } = {}) {
  if (spec.name && spec.label && !fieldLabels.has(spec.name)) fieldLabels.set(spec.name, spec.label);
  const label = h('label', { for: id, class: 'label' }, t(spec.label), spec.required ? h('span', { class: 'req', aria: { hidden: 'true' } }, ' *') : null);
  const err = h('p', { class: 'field-error', id: errId, hidden: true });
  const el = h('div', { class: ['field', compact && 'field-compact', spec.wide && 'field-wide'], dataset: { field: spec.name } },
    label, control, spec.hint ? h('p', { class: 'hint', id: hintId }, t(spec.hint)) : null, err);
  return { el, err };
}

function withError(comp, err, focusEl) {
  if (focusEl && comp.spec && comp.spec.required) focusEl.setAttribute('aria-required', 'true');
  comp.setError = (msg) => {
    err.hidden = !msg;
    err.textContent = msg || '';
    comp.el.classList.toggle('has-error', !!msg);
    if (focusEl) { if (msg) focusEl.setAttribute('aria-invalid', 'true'); else focusEl.removeAttribute('aria-invalid'); }
  };
  comp.focus = () => focusEl && focusEl.focus();
  return comp;
}

/** Options of a select field: [[value, label]]. */
function selectOptions(spec) {
  return (spec.options || []).map((v) => (Array.isArray(v) ? v : [v, spec.optionPrefix ? tv(spec.optionPrefix, v) : String(v)]));
}

export function makeField(spec, value, ctx = {}) {
  const id = nextId('f');
  const errId = `${id}-err`;
  const hintId = spec.hint ? `${id}-hint` : null;
  const describedby = [hintId, errId].filter(Boolean).join(' ');
  const compact = ctx.compact;
  const type = spec.type || 'text';

  if (type === 'list') return listEditor(spec, value, ctx, id, errId);
  if (type === 'codes' || type === 'refs') return multiPicker(spec, value, id, errId, hintId, describedby);
  if (type === 'code' || type === 'ref') return singlePicker(spec, value, ctx, id, errId, hintId, describedby);

  let control;
  let getv;
  if (type === 'textarea') {
    control = h('textarea', { id, name: spec.name, class: 'input', rows: spec.rows || 4, aria: { describedby } });
    control.value = value ?? '';
    getv = () => control.value.trim() || null;
  } else if (type === 'select') {
    control = h('select', { id, name: spec.name, class: 'input', aria: { describedby } },
      spec.required && value ? null : h('option', { value: '' }, t('form.choose')),
      selectOptions(spec).map(([v, l]) => h('option', { value: v }, l)));
    control.value = value ?? '';
    getv = () => control.value || null;
  } else if (type === 'checkbox') {
    control = h('input', { id, name: spec.name, type: 'checkbox', class: 'checkbox', aria: { describedby } });
    control.checked = !!value;
    getv = () => control.checked;
  } else if (type === 'tags') {
    control = h('input', { id, name: spec.name, type: 'text', class: 'input', aria: { describedby } });
    control.value = (value || []).join(', ');
    getv = () => control.value.split(',').map((s) => s.trim()).filter(Boolean);
  } else if (type === 'money') {
    control = h('input', { id, name: spec.name, type: 'text', inputmode: 'decimal', class: 'input', aria: { describedby } });
    const cur = () => (ctx.currency ? ctx.currency() : null);
    control.value = moneyInput(value, cur());
    getv = () => {
      const v = parseMoney(control.value, cur());
      if (Number.isNaN(v)) throw new FieldError(spec.name, t('form.badAmount'));
      return v;
    };
    control.addEventListener('blur', () => {
      const v = parseMoney(control.value, cur());
      if (v !== null && !Number.isNaN(v)) control.value = moneyInput(v, cur());
    });
  } else {
    const itype = { int: 'text', email: 'email', date: 'date', password: 'password', tel: 'tel', url: 'url' }[type] || 'text';
    control = h('input', { id, name: spec.name, type: itype, class: 'input', aria: { describedby },
      inputmode: type === 'int' ? 'numeric' : null, autocomplete: spec.autocomplete || (type === 'password' ? 'new-password' : null) });
    control.value = value ?? '';
    getv = () => {
      const s = control.value.trim();
      if (s === '') return null;
      if (type === 'int') {
        if (!/^-?\d+$/.test(s)) throw new FieldError(spec.name, t('form.badNumber'));
        return Number(s);
      }
      return type === 'password' ? control.value : s;
    };
  }
  const { el, err } = fieldShell(spec, control, id, { hintId, errId, compact });
  return withError({ el, get: getv, spec, control }, err, control);
}

/** A client-side problem found while collecting values. */
export class FieldError extends Error {
  constructor(field, message) { super(message); this.field = field; this.code = 'client'; }
}

function singlePicker(spec, value, ctx, id, errId, hintId, describedby) {
  let current = value ?? null;
  const search = spec.type === 'code' ? (q) => searchCodes(spec.list, q) : (q) => searchRecords(spec.ref, q);
  const cb = combobox({
    id, describedby, placeholder: t('form.typeToSearch'), search,
    onPick: (o) => { current = o.value; cb.input.value = o.label; if (spec.onChange) spec.onChange(o.value); },
  });
  const showLabel = async () => {
    if (current === null || current === '') { cb.setText(''); return; }
    const shown = current;
    let text = String(current);
    if (spec.type === 'code') text = codeLabel(current, await codeName(spec.list, current), spec.list);
    else {
      const known = ctx.record && spec.ref.nameField && ctx.record[spec.name] === current ? ctx.record[spec.ref.nameField] : null;
      if (known) text = known;
      else { try { text = spec.ref.label(await get(`${spec.ref.path}/${current}`)); } catch { /* the id stays */ } }
    }
    if (shown === current) cb.setText(text);
  };
  showLabel();
  cb.input.addEventListener('change', () => { if (cb.input.value.trim() === '') current = null; });
  cb.input.addEventListener('blur', () => setTimeout(() => { if (cb.input.value.trim() === '') current = null; else if (document.activeElement !== cb.input) showLabel(); }, 150));
  const { el, err } = fieldShell(spec, cb.el, id, { hintId, errId, compact: ctx.compact });
  return withError({ el, spec, get: () => current, set: (v) => { current = v; showLabel(); } }, err, cb.input);
}

function multiPicker(spec, value, id, errId, hintId, describedby) {
  let values = [...(value || [])];
  const chips = h('ul', { class: 'chips', aria: { label: t(spec.label) } });
  const search = spec.type === 'codes' ? (q) => searchCodes(spec.list, q) : (q) => searchRecords(spec.ref, q);
  const renderChips = () => {
    clear(chips);
    values.forEach((v, i) => {
      const text = spec.type === 'codes' ? codeText(spec.list, v) : h('span', null, String(v));
      chips.append(h('li', { class: 'chip' }, text, h('button', {
        type: 'button', class: 'chip-remove', aria: { label: t('form.removeItem', { item: v }) },
        onclick: () => { values.splice(i, 1); renderChips(); cb.input.focus(); },
      }, '×')));
    });
  };
  const cb = combobox({
    id, describedby, placeholder: t('form.typeToAdd'), search,
    onPick: (o) => { if (!values.includes(o.value)) values.push(o.value); cb.input.value = ''; renderChips(); },
  });
  renderChips();
  const { el, err } = fieldShell(spec, h('div', { class: 'multi' }, chips, cb.el), id, { hintId, errId });
  return withError({ el, spec, get: () => [...values] }, err, cb.input);
}

async function searchRecords(ref, q) {
  const r = await get(`${ref.path}${qs({ ...(ref.params || {}), q, limit: 12 })}`);
  return r.items.map((it) => ({ value: it.id, label: ref.label(it), hint: ref.hint ? ref.hint(it) : '' }));
}

function listEditor(spec, value, ctx, id, errId) {
  const rows = [];
  const body = h('ol', { class: 'list-rows' });
  const legend = h('legend', { class: 'label' }, t(spec.label));
  const err = h('p', { class: 'field-error', id: errId, hidden: true });
  const addBtn = h('button', { type: 'button', class: 'btn btn-small btn-ghost', onclick: () => { addRow({}); rows[rows.length - 1].fields[0].focus(); } },
    `+ ${t(spec.addLabel || 'form.addRow')}`);
  const el = h('fieldset', { class: ['field', 'list-editor', 'field-wide'], dataset: { field: spec.name }, aria: { describedby: errId } }, legend, body, addBtn, err);
  function renumber() {
    rows.forEach((r, i) => { r.li.dataset.index = String(i); r.num.textContent = `${i + 1}.`; r.del.setAttribute('aria-label', t('form.removeRow', { n: i + 1, what: t(spec.label) })); });
  }
  function addRow(v) {
    const fields = spec.sub.map((s) => makeField(s, v[s.name], { compact: true }));
    const num = h('span', { class: 'row-num', aria: { hidden: 'true' } });
    const row = { fields, num };
    row.del = h('button', { type: 'button', class: 'btn btn-small btn-ghost row-del', onclick: () => {
      const i = rows.indexOf(row); rows.splice(i, 1); row.li.remove(); renumber(); addBtn.focus();
    } }, t('form.remove'));
    row.li = h('li', { class: 'list-row' }, num, h('div', { class: 'row-fields' }, fields.map((f) => f.el)), row.del);
    rows.push(row);
    body.append(row.li);
    renumber();
  }
  (value || []).forEach(addRow);
  const comp = {
    el, spec,
    get: () => rows.map((r) => {
      const o = {};
      for (const f of r.fields) { const v = f.get(); if (v !== null && v !== '' && !(Array.isArray(v) && !v.length)) o[f.spec.name] = v; }
      return o;
    }).filter((o) => Object.keys(o).length),
    focus: () => (rows[0] ? rows[0].fields[0].focus() : addBtn.focus()),
    setError(msg, index, sub) {
      err.hidden = !msg;
      err.textContent = msg || '';
      el.classList.toggle('has-error', !!msg);
      rows.forEach((r) => { r.li.classList.remove('row-invalid'); r.fields.forEach((f) => f.setError(null)); });
      if (msg && index !== undefined && rows[index]) {
        const r = rows[index];
        r.li.classList.add('row-invalid');
        const f = sub && r.fields.find((x) => x.spec.name === sub);
        if (f) f.setError(msg);
      }
    },
    focusAt(index, sub) {
      const r = rows[index];
      if (!r) return comp.focus();
      const f = (sub && r.fields.find((x) => x.spec.name === sub)) || r.fields[0];
      f.focus();
    },
  };
  return comp;
}

// ---- whole forms ----

/**
 * buildForm({fields, record, submitLabel, onSubmit(values, form), onCancel, patch})
 * values: every field (create) or only the changed ones (patch: true).
 * onSubmit may throw an ApiError; its message is shown at the named field.
 */
export function buildForm({ fields, record = {}, submitLabel = 'form.save', onSubmit, onCancel, patch = false, intro }) {
  const comps = [];
  const ctx = { record, currency: () => { const c = comps.find((x) => x.spec.name === 'currency'); return c ? c.get() : record.currency; } };
  for (const spec of fields) comps.push(makeField(spec, record[spec.name], ctx));
  const alert = h('div', { class: 'form-alert', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, t(submitLabel));
  const form = h('form', { class: 'form', novalidate: true },
    intro || null, alert, h('div', { class: 'form-grid' }, comps.map((c) => c.el)),
    h('div', { class: 'form-actions' }, submit,
      onCancel ? h('button', { type: 'button', class: 'btn btn-ghost', onclick: onCancel }, t('form.cancel')) : null));
  const api = {
    el: form, comps, alert,
    clearErrors() { alert.hidden = true; clear(alert); comps.forEach((c) => c.setError(null)); },
    showError(e) { showFormError(api, e); },
    values() {
      const out = {};
      for (const c of comps) {
        const v = c.get();
        if (patch) {
          const before = record[c.spec.name] ?? null;
          const norm = (x) => JSON.stringify(x === undefined || x === '' || (Array.isArray(x) && !x.length) ? null : x);
          if (norm(v) !== norm(before)) out[c.spec.name] = v === undefined ? null : (Array.isArray(v) && !v.length ? [] : v);
        } else if (v !== null && v !== '' && !(Array.isArray(v) && !v.length)) out[c.spec.name] = v;
      }
      return out;
    },
  };
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    api.clearErrors();
    submit.disabled = true;
    try {
      await onSubmit(api.values(), api);
    } catch (err) {
      api.showError(err);
    } finally {
      submit.disabled = false;
    }
  });
  return api;
}

/** Parses 'languages[1].level' -> {name:'languages', index:1, sub:'level'}. */
export function parseFieldPath(path) {
  const m = /^([A-Za-z_][\w]*)(?:\[(\d+)\])?(?:\.([\w]+))?/.exec(path || '');
  return m ? { name: m[1], index: m[2] === undefined ? undefined : Number(m[2]), sub: m[3] } : null;
}

export function showFormError(form, e) {
  const p = parseFieldPath(e.field);
  let target = null;
  let label = null;
  if (p) {
    target = form.comps.find((c) => c.spec.name === p.name);
    if (target && target.spec.type === 'list') {
      const sub = p.sub && target.spec.sub.find((s) => s.name === p.sub);
      label = sub ? `${t(target.spec.label)} ${p.index === undefined ? '' : p.index + 1} – ${t(sub.label)}`.replace('  ', ' ') : t(target.spec.label);
    } else if (target) label = t(target.spec.label);
    else {
      // A bare sub-field name (e.g. "level"): show it on the list editor that has such a column.
      target = form.comps.find((c) => c.spec.type === 'list' && c.spec.sub.some((s) => s.name === p.name));
      if (target) label = t(target.spec.sub.find((s) => s.name === p.name).label);
    }
  }
  // The message names the field by its label, in the UI language when the phrase is known.
  let msg;
  if (target && e.code !== 'client') {
    const { path, problem } = splitApiMessage(e.message, e.field);
    msg = t('form.fieldError', { label, message: path ? apiPhrase(problem) : (e.message || t('error.generic')) });
  } else msg = e.code === 'client' ? e.message : errorText(e);
  if (target) {
    if (target.spec.type === 'list' && p.name === target.spec.name) { target.setError(msg, p.index, p.sub); target.focusAt(p.index, p.sub); }
    else { target.setError(msg); target.focus(); }
  }
  form.alert.hidden = false;
  replace(form.alert, target ? t('form.fixErrors') : msg);
  if (!target) form.alert.focus && form.alert.setAttribute('tabindex', '-1');
}

function replace(el, ...c) { clear(el); append(el, c); }

/** A definition list of label/value pairs; values may be nodes. Empty values show a dash. */
export function dl(pairs) {
  return h('dl', { class: 'props' }, pairs.filter(Boolean).map(([k, v]) => [
    h('dt', null, t(k)),
    h('dd', null, v === null || v === undefined || v === '' || (Array.isArray(v) && !v.length) ? h('span', { class: 'muted' }, '—') : v),
  ]));
}
export { fmtMoney };
