// Calls to the two functions, exactly as a client on another origin makes them: CORS, bearer token, problem+json errors.
import { getToken } from './token.js';

let configPromise;

/** The functions' base URLs from the emulator's /config.json: { invoices, stats }. */
export function loadConfig() {
  configPromise ??= fetch('config.json', { cache: 'no-store' }).then((response) => {
    if (!response.ok) throw new Error(`config.json answered ${response.status}`);
    return response.json();
  });
  return configPromise;
}

/** An error answer of a function: status, and the RFC 9457 problem when it sent one. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

/**
 * Calls a function. service: 'invoices' | 'stats'; query: an object (arrays repeat the parameter, empty values are left out);
 * body: JSON to send; upload: a File or Blob sent as it is (a supplier's ZIP or XML), under its own type;
 * as: 'blob' to receive the answer's bytes untouched (the original XML of a document), else JSON or text by its type.
 * Resolves with { body, headers } on 2xx; rejects with ApiError otherwise, or TypeError when the request never got an answer.
 */
export async function call(service, path, { method = 'GET', query, body, upload, as, headers = {}, auth = true } = {}) {
  const config = await loadConfig();
  const url = new URL(path, config[service]);
  for (const [name, value] of Object.entries(query ?? {})) {
    for (const item of [value].flat()) {
      if (item !== undefined && item !== null && item !== '' && item !== false) url.searchParams.append(name, String(item));
    }
  }
  const requestHeaders = { Accept: 'application/json', ...headers };
  if (auth) requestHeaders.Authorization = `Bearer ${getToken()}`;
  if (body !== undefined) requestHeaders['Content-Type'] = 'application/json';
  // The function recognises a document by its bytes; the type only has to be honest, or generic when the file has none.
  if (upload !== undefined) requestHeaders['Content-Type'] = upload.type || 'application/octet-stream';
  const sent = upload ?? (body === undefined ? undefined : JSON.stringify(body));
  const response = await fetch(url, { method, headers: requestHeaders, body: sent, cache: 'no-store' });
  const type = response.headers.get('Content-Type') ?? '';
  if (response.ok && as === 'blob') return { body: await response.blob(), headers: response.headers };
  const parsed = type.includes('json') ? await response.json() : await response.text();
  if (!response.ok) throw new ApiError(response.status, typeof parsed === 'object' ? parsed : null);
  return { body: parsed, headers: response.headers };
}

/** A sentence for a failed call, for the page's status line. */
export function describeFailure(error) {
  if (error instanceof ApiError) {
    if (error.status === 401) return 'The token was refused (expired, or signed with another key). Paste a fresh one.';
    return `${error.problem?.title ?? 'Request failed'} (${error.status})${error.problem?.detail ? `: ${error.problem.detail}` : ''}`;
  }
  return `Could not reach the function (${error.message}). Is the emulator still running?`;
}
