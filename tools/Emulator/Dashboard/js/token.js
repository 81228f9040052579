// The bearer tokens: taken from #token=... (repeated for several; then removed from the address bar and history) or
// pasted, and kept per tab. One is in use; the others are there to switch to, for example from one member of an
// account to another.
const storageKey = 'invoice-api-token';
const listKey = 'invoice-api-tokens';
const roles = ['viewer', 'editor', 'owner'];

/** Moves the tokens found in the URL fragment into sessionStorage, the first one in use, and strips them from the address bar. */
export function adoptTokensFromFragment() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const tokens = fragment.getAll('token').filter((token) => token.trim() !== '');
  if (tokens.length === 0) return;
  for (const token of tokens) setToken(token);
  setToken(tokens[0]);
  fragment.delete('token');
  const rest = fragment.toString();
  history.replaceState(null, '', location.pathname + location.search + (rest ? `#${rest}` : ''));
}

/** The token in use, or null. */
export function getToken() {
  return sessionStorage.getItem(storageKey);
}

/** Every token this tab was given, in the order they came. */
export function getTokens() {
  const tokens = JSON.parse(sessionStorage.getItem(listKey) ?? '[]');
  const current = getToken();
  return current && !tokens.includes(current) ? [current, ...tokens] : tokens;
}

/** Uses the token, adding it to the tab's list when it is new. */
export function setToken(token) {
  const clean = token.trim().replace(/^Bearer\s+/i, '');
  const tokens = getTokens();
  if (!tokens.includes(clean)) sessionStorage.setItem(listKey, JSON.stringify([...tokens, clean]));
  sessionStorage.setItem(storageKey, clean);
}

/** Forgets the token in use; the first one left, if any, is used instead. */
export function forgetToken() {
  const current = getToken();
  const rest = getTokens().filter((token) => token !== current);
  sessionStorage.setItem(listKey, JSON.stringify(rest));
  if (rest.length > 0) sessionStorage.setItem(storageKey, rest[0]);
  else sessionStorage.removeItem(storageKey);
}

/**
 * What the token says about its member, for display and to leave out what its role may not do; the functions verify the
 * token and enforce the role, the page never trusts it. Read as the functions read it: the account is the `account`
 * claim, else the Identity Platform tenant, else the member's own personal account; the role is `account_role`, else
 * owner of a personal account and viewer of a named one. The email counts only when the token says it is verified.
 */
export function tokenClaims(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(payload), (char) => char.charCodeAt(0))));
    const named = claims.account ?? claims.firebase?.tenant ?? null;
    return {
      subject: claims.sub ?? null,
      email: claims.email_verified === true ? claims.email ?? null : null,
      account: named ?? claims.sub ?? null,
      personal: named === null,
      role: roles.includes(claims.account_role) ? claims.account_role : named === null ? 'owner' : 'viewer',
      admin: claims.role === 'admin' || (Array.isArray(claims.roles) && claims.roles.includes('admin')),
      expires: claims.exp ? new Date(claims.exp * 1000) : null,
    };
  } catch {
    return { subject: null, email: null, account: null, personal: true, role: 'viewer', admin: false, expires: null };
  }
}

/** Whether the role may create, change, archive, restore and import invoices (the Invoices function's route table). */
export function canWrite(role) {
  return role === 'editor' || role === 'owner';
}

/** "ana@demo.local · owner of demo-business", for the member picker. */
export function memberLabel(claims) {
  const where = claims.personal ? 'own account' : claims.account;
  return `${claims.email ?? claims.subject ?? 'unknown member'} · ${claims.role} of ${where}${claims.admin ? ' · admin' : ''}`;
}
