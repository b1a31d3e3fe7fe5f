// auth.js - sign in, forgot password, reset password, accept an invitation.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { post } from '../api.js';
import { buildForm } from '../forms.js';
import { notify } from '../ui.js';
import { afterLogin, go } from '../app.js';

function authShell(title, intro, ...content) {
  document.title = `${title} · TradeBridge`;
  return h('div', { class: 'auth' },
    h('div', { class: 'auth-card card' },
      h('h1', { id: 'page-title', tabindex: '-1' }, title),
      intro ? h('p', { class: 'muted' }, intro) : null,
      content));
}

export function login({ query }) {
  const form = buildForm({
    fields: [
      { name: 'email', label: 'common.email', type: 'email', required: true, autocomplete: 'username' },
      { name: 'password', label: 'auth.password', type: 'password', required: true, autocomplete: 'current-password' },
    ],
    submitLabel: 'auth.signIn',
    async onSubmit(v) {
      const me = await post('/auth/login', { email: v.email || '', password: v.password || '' });
      await afterLogin(me, query.next);
    },
  });
  return authShell(t('auth.signInTitle'), t('auth.signInIntro'), form.el,
    h('p', { class: 'auth-links' }, h('a', { href: '#/forgot-password' }, t('auth.forgot'))));
}

export function forgot() {
  const done = h('div', { role: 'status' });
  const form = buildForm({
    fields: [{ name: 'email', label: 'common.email', type: 'email', required: true, autocomplete: 'username' }],
    submitLabel: 'auth.sendLink',
    async onSubmit(v) {
      await post('/auth/password-reset', { email: v.email || '' });
      form.el.hidden = true;
      done.append(h('p', { class: 'msg msg-success' }, t('auth.resetSent')));
    },
  });
  return authShell(t('auth.forgotTitle'), t('auth.forgotIntro'), form.el, done,
    h('p', { class: 'auth-links' }, h('a', { href: '#/login' }, t('auth.backToSignIn'))));
}

function linkPage({ query }, { title, intro, endpoint, withName }) {
  if (!query.token) return authShell(title, null, h('p', { class: 'error-text', role: 'alert' }, t('auth.noToken')));
  const fields = [];
  if (withName) fields.push({ name: 'name', label: 'auth.yourName', autocomplete: 'name' });
  fields.push({ name: 'password', label: 'auth.newPassword', type: 'password', required: true, hint: 'auth.passwordHint' },
    { name: 'password2', label: 'auth.repeatPassword', type: 'password', required: true });
  const form = buildForm({
    fields, submitLabel: 'auth.setPassword',
    async onSubmit(v) {
      if ((v.password || '') !== (v.password2 || '')) {
        throw Object.assign(new Error(t('auth.passwordsDiffer')), { field: 'password2' });
      }
      const body = { token: query.token, password: v.password || '' };
      if (withName && v.name) body.name = v.name;
      const r = await post(endpoint, body);
      notify(t('auth.passwordSet', { email: r.email }), 'success');
      go('#/login');
    },
  });
  return authShell(title, intro, form.el);
}

export const resetPassword = (ctx) => linkPage(ctx, { title: t('auth.resetTitle'), intro: t('auth.resetIntro'), endpoint: '/auth/password-reset/confirm' });
export const acceptInvitation = (ctx) => linkPage(ctx, { title: t('auth.inviteTitle'), intro: t('auth.inviteIntro'), endpoint: '/auth/accept-invitation', withName: true });
