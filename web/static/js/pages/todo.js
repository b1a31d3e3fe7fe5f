// todo.js - my to-do list (issue 17): what waits for me, with its deadlines; the
// settings of my account for it (language, to-do mail) and the calendar feed.
import { h, clear } from '../dom.js';
import { t, lang, LANGS, setLang } from '../i18n.js';
import { get, patch, post, del, session } from '../api.js';
import { fmtDate, fmtDateTime } from '../fmt.js';
import { pageHeader, section, linkBtn, button, notify, errorText, confirmDialog } from '../ui.js';
import { buildForm } from '../forms.js';

/** An item in words, in the UI language (the API also sends it in the person's mail language). */
export const itemLabel = (it) => t(`todo.kind.${it.kind}`, {
  title: it.title || '', detail: it.detail || '', wave: it.wave ? t(`impact.wave.${it.wave}`).toLowerCase() : '',
});

function todoList(items, limit) {
  if (!items.length) return h('p', { class: 'muted todo-empty' }, t('todo.empty'));
  return h('ul', { class: 'todo-list' }, (limit ? items.slice(0, limit) : items).map((it) =>
    h('li', { class: it.overdue ? 'todo-item todo-overdue' : 'todo-item', dataset: { kind: it.kind, key: it.key } },
      h('a', { href: it.href }, itemLabel(it)),
      it.due ? h('span', { class: 'todo-due' }, t(it.overdue ? 'todo.overdue' : 'todo.due', { date: fmtDate(it.due) })) : null)));
}

/** #/todo: the whole list. */
export async function render() {
  const r = await get('/me/todo');
  return h('div', null,
    pageHeader(t('todo.title'), { sub: t('todo.sub', { count: r.items.length }), actions: [linkBtn('#/account', t('todo.settingsLink'), 'btn')] }),
    h('section', { class: 'card', aria: { labelledby: 'h-todo' } }, h('h2', { class: 'card-title', id: 'h-todo' }, t('todo.waiting')),
      todoList(r.items)),
    section(t('todo.calendarTitle'), h('p', { class: 'muted' }, t('todo.calendarHelp')), h('p', null, h('a', { href: '#/account' }, t('todo.settingsLink')))));
}

/** The home page with the first items of the list on top (a panel, not a page of its own). */
export function withTodo(renderHome) {
  return async (ctx) => {
    const view = await renderHome(ctx);
    let items;
    try { items = (await get('/me/todo')).items; } catch { return view; }
    const card = h('section', { class: 'card todo-card', aria: { labelledby: 'h-todo-home' } },
      h('h2', { class: 'card-title', id: 'h-todo-home' }, t('todo.title')), todoList(items, 5),
      h('p', null, h('a', { href: '#/todo' }, t('todo.all', { count: items.length }))));
    const header = view.querySelector('.page-header');
    if (header) header.after(card); else view.prepend(card);
    return view;
  };
}

/** My account with its notification and language settings and the calendar feed. */
export function withSettings(renderAccount) {
  return async (ctx) => {
    const view = await renderAccount(ctx);
    view.append(await settingsSection());
    return view;
  };
}

async function settingsSection() {
  const s = await get('/me/settings');
  const form = buildForm({
    fields: [
      { name: 'todo_mail', label: 'todo.mailSetting', type: 'select', options: ['immediately', 'daily', 'never'], optionPrefix: 'todo.mail', required: true, hint: 'todo.mailHint' },
      { name: 'locale', label: 'todo.locale', type: 'select', options: LANGS, optionPrefix: 'lang', required: true, hint: 'todo.localeHint' },
    ],
    record: { todo_mail: s.todo_mail, locale: s.locale || lang },
    submitLabel: 'form.save',
    async onSubmit(v) {
      await patch('/me/settings', { todo_mail: v.todo_mail, locale: v.locale });
      if (v.locale !== lang) { setLang(v.locale); return; }
      notify(t('form.saved'), 'success');
    },
  });
  const cal = h('div', { id: 'calendar', aria: { live: 'polite' } });
  function drawCalendar(active, createdAt, url) {
    clear(cal);
    cal.append(h('p', { class: 'muted' }, t('todo.calendarHelp')));
    if (url) cal.append(h('div', { class: 'msg msg-success token-once' }, h('p', null, h('strong', null, t('todo.calendarOnce'))),
      h('code', { class: 'token-value calendar-url', tabindex: '0' }, url)));
    else if (active) cal.append(h('p', null, t('todo.calendarActive', { date: fmtDateTime(createdAt) })));
    cal.append(h('p', null,
      button(t(active ? 'todo.calendarRenew' : 'todo.calendarCreate'), async () => {
        if (active && !(await confirmDialog({ title: t('todo.calendarRenew'), message: t('todo.calendarRenewMsg'), confirmLabel: t('todo.calendarRenew') }))) return;
        try { const r = await post('/me/calendar'); drawCalendar(true, new Date().toISOString(), r.url); } catch (e) { notify(errorText(e), 'error'); }
      }, 'btn'), ' ',
      active ? button(t('todo.calendarOff'), async () => {
        if (!(await confirmDialog({ title: t('todo.calendarOff'), message: t('todo.calendarOffMsg'), confirmLabel: t('todo.calendarOff'), danger: true }))) return;
        try { await del('/me/calendar'); notify(t('todo.calendarOffDone'), 'success'); drawCalendar(false); } catch (e) { notify(errorText(e), 'error'); }
      }, 'btn btn-danger-ghost') : null));
  }
  drawCalendar(s.calendar, s.calendar_created_at, null);
  return h('div', { class: 'grid-2' }, section(t('todo.settingsTitle'), form.el), section(t('todo.calendarTitle'), cal));
}

/**
 * The language kept on the account: used at sign-in when this browser has no choice of its
 * own (a choice made here wins), and written when the person switches while signed in, so
 * their mail and certificates follow it.
 */
export async function applyAccountLocale() {
  if (!session.me || localStorage.getItem('tb.lang')) return;
  try {
    const s = await get('/me/settings');
    if (s.locale && LANGS.includes(s.locale) && s.locale !== lang) setLang(s.locale);
  } catch { /* the default language stays */ }
}

export async function saveLocale(code) {
  if (!session.me || !LANGS.includes(code)) return;
  try { await patch('/me/settings', { locale: code }); } catch { /* kept in this browser anyway */ }
}
