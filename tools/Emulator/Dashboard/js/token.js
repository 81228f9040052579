// The bearer token: taken once from #token=... (then removed from the address bar and history), kept per tab.
const storageKey = 'invoice-api-token';

/** Moves a token found in the URL fragment into sessionStorage and strips it from the address bar. */
export function adoptTokenFromFragment() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const token = fragment.get('token');
  if (!token) return;
  setToken(token);
  fragment.delete('token');
  const rest = fragment.toString();
  history.replaceState(null, '', location.pathname + location.search + (rest ? `#${rest}` : ''));
}

export function getToken() {
  return sessionStorage.getItem(storageKey);
}

export function setToken(token) {
  sessionStorage.setItem(storageKey, token.trim().replace(/^Bearer\s+/i, ''));
}

export function forgetToken() {
  sessionStorage.removeItem(storageKey);
}

/** The token's subject, for display only (the functions verify the token; the page never trusts it). */
export function tokenSubject(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const claims = JSON.parse(atob(payload));
    return { subject: claims.sub ?? null, admin: claims.role === 'admin', expires: claims.exp ? new Date(claims.exp * 1000) : null };
  } catch {
    return { subject: null, admin: false, expires: null };
  }
}
