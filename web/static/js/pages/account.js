// account.js - my account: name, password, API tokens.
import { h, clear } from '../dom.js';
import { t, tv } from '../i18n.js';
import { get, post, patch, del, session, setSession } from '../api.js';
import { buildForm } from '../forms.js';
import { pageHeader, section, notify, button, errorText, confirmDialog } from '../ui.js';
import { fmtDateTime } from '../fmt.js';
import { go } from '../app.js';
import { recordLink } from '../resources.js';

const SUBJECT_BASE = { company: 'companies', graduate: 'graduates' };

export async function render() {
  const me = session.me;
  const nameForm = buildForm({
    fields: [{ name: 'name', label: 'common.name', required: true, autocomplete: 'name' }],
    record: { name: me.user.name }, submitLabel: 'form.save',
    async onSubmit(v) {
      const u = await patch('/me', { name: v.name || '' });
      session.me.user.name = u.name;
      notify(t('form.saved'), 'success');
      go('#/account');
    },
  });
  const pwForm = buildForm({
    fields: [
      { name: 'current_password', label: 'account.currentPassword', type: 'password', required: true, autocomplete: 'current-password' },
      { name: 'new_password', label: 'auth.newPassword', type: 'password', required: true, hint: 'auth.passwordHint' },
    ],
    submitLabel: 'account.changePassword',
    async onSubmit(v) {
      await post('/me/password', { current_password: v.current_password || '', new_password: v.new_password || '' });
      setSession(null);
      notify(t('account.passwordChanged'), 'success');
      go('#/login');
    },
  });

  const tokenList = h('div');
  const shown = h('div', { aria: { live: 'polite' } });
  async function loadTokens() {
    clear(tokenList);
    try {
      const r = await get('/tokens?limit=200');
      if (!r.items.length) { tokenList.append(h('p', { class: 'muted' }, t('account.noTokens'))); return; }
      tokenList.append(h('table', { class: 'table table-compact' },
        h('thead', null, h('tr', null, ['common.name', 'account.prefix', 'account.scope', 'account.created', 'account.expires', 'account.lastUsed', 'account.actions'].map((k) => h('th', { scope: 'col' }, t(k))))),
        h('tbody', null, r.items.map((tk) => h('tr', null,
          h('th', { scope: 'row' }, tk.name), h('td', null, h('code', null, `${tk.prefix}…`)), h('td', null, tv('tokenscope', tk.scope)),
          h('td', null, fmtDateTime(tk.created_at)), h('td', null, fmtDateTime(tk.expires_at) || '—'), h('td', null, fmtDateTime(tk.last_used_at) || '—'),
          h('td', null, tk.revoked_at ? t('account.revoked') : button(t('account.revoke'), async () => {
            if (!(await confirmDialog({ title: t('account.revokeTitle', { name: tk.name }), message: t('account.revokeMsg'), confirmLabel: t('account.revoke'), danger: true }))) return;
            try { await del(`/tokens/${tk.id}`); notify(t('account.tokenRevoked'), 'success'); loadTokens(); } catch (e) { notify(errorText(e), 'error'); }
          }, 'btn btn-small btn-danger-ghost')))))));
    } catch (e) { tokenList.append(h('p', { class: 'error-text' }, errorText(e))); }
  }
  const tokenForm = buildForm({
    fields: [{ name: 'name', label: 'account.tokenName', required: true, hint: 'account.tokenNameHint' },
      { name: 'scope', label: 'account.scope', type: 'select', options: ['read_write', 'read'], optionPrefix: 'tokenscope', required: true },
      { name: 'expires_in_days', label: 'account.expiresInDays', type: 'int', hint: 'account.expiresHint' }],
    record: { scope: 'read_write' },
    submitLabel: 'account.createToken',
    async onSubmit(v, f) {
      const body = { name: v.name || '', scope: v.scope || 'read_write' };
      if (v.expires_in_days !== undefined && v.expires_in_days !== null && v.expires_in_days !== '') body.expires_in_days = v.expires_in_days;
      const r = await post('/tokens', body);
      clear(shown).append(h('div', { class: 'msg msg-success token-once' },
        h('p', null, h('strong', null, t('account.tokenOnce'))),
        h('code', { class: 'token-value', tabindex: '0' }, r.token)));
      f.el.reset();
      loadTokens();
    },
  });
  loadTokens();
  return h('div', null, pageHeader(t('account.title'), { sub: me.user.email }),
    h('div', { class: 'grid-2' },
      section(t('account.profile'), nameForm.el, h('h3', { class: 'sub-title' }, t('account.roles')),
        h('ul', { class: 'plain' }, me.roles.map((r) => h('li', null, `${t(`role.${r.role}`)} · ${r.org_name}`,
          r.subject_type ? [' (', `${t(`res.${r.subject_type}`)}: `, recordLink(SUBJECT_BASE[r.subject_type], r.subject_id), ')'] : null)))),
      section(t('account.password'), pwForm.el)),
    section(t('account.tokens'), h('p', { class: 'muted' }, t('account.tokensHelp')), shown, tokenList, h('h3', { class: 'sub-title' }, t('account.newToken')), tokenForm.el));
}
