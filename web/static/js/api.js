// api.js - the fetch wrapper: JSON in/out, the CSRF header on unsafe methods,
// errors as ApiError {status, code, message, field}.
export const session = { me: null, csrf: null };

export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super(e.message || `HTTP ${status}`);
    this.status = status;
    this.code = e.code || 'http_' + status;
    this.field = e.field || '';
    this.body = body;
  }
}

let onUnauthorized = () => {};
export function setUnauthorizedHandler(fn) { onUnauthorized = fn; }

export async function api(method, path, body, { raw = false, headers = {}, quiet401 = false } = {}) {
  if (path.startsWith('/api/v1/')) path = path.slice(7); // callers may pass full API paths
  const h = { Accept: 'application/json', ...headers };
  let payload;
  if (body instanceof Blob || body instanceof ArrayBuffer) payload = body;
  else if (body !== undefined) { payload = JSON.stringify(body); h['Content-Type'] = 'application/json'; }
  if (method !== 'GET' && method !== 'HEAD' && session.csrf) h['X-CSRF-Token'] = session.csrf;
  let res;
  try {
    res = await fetch('/api/v1' + path, { method, headers: h, body: payload, credentials: 'same-origin' });
  } catch (e) {
    throw new ApiError(0, { error: { code: 'network', message: '' } });
  }
  if (raw && res.ok) return res;
  const text = res.status === 204 ? '' : await res.text();
  let data = null;
  if (text) { try { data = JSON.parse(text); } catch { data = null; } }
  if (!res.ok) {
    const err = new ApiError(res.status, data);
    if (res.status === 401 && !quiet401 && !path.startsWith('/auth/')) onUnauthorized(err);
    throw err;
  }
  return data;
}

export const get = (p, o) => api('GET', p, undefined, o);
export const post = (p, b, o) => api('POST', p, b, o);
export const patch = (p, b, o) => api('PATCH', p, b, o);
export const put = (p, b, o) => api('PUT', p, b, o);
export const del = (p, o) => api('DELETE', p, undefined, o);

/** Builds ?a=1&b=2 from an object, skipping empty values. */
export function qs(params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) if (v !== undefined && v !== null && v !== '') u.set(k, v);
  const s = u.toString();
  return s ? `?${s}` : '';
}

// ---- the signed-in user ----
export function setSession(me) {
  session.me = me;
  if (me && me.csrf_token) session.csrf = me.csrf_token;
  if (!me) session.csrf = null;
}

const RANK = ['admin', 'coordinator', 'company', 'trainee', 'mentor', 'viewer'];
/** The role that decides the home page and the menu (a person may hold several). */
export function mainRole() {
  const roles = (session.me && session.me.roles) || [];
  let best = null;
  for (const r of roles) if (best === null || RANK.indexOf(r.role) < RANK.indexOf(best)) best = r.role;
  return best;
}
export const hasRole = (...names) => ((session.me && session.me.roles) || []).some((r) => names.includes(r.role));
export const isStaff = () => hasRole('admin', 'coordinator');
export const isAdmin = () => hasRole('admin');
/** The record a company/trainee role is about: {type, id}. */
export function subjectOf(role) {
  const r = ((session.me && session.me.roles) || []).find((x) => x.role === role && x.subject_id);
  return r ? { type: r.subject_type, id: r.subject_id } : null;
}
