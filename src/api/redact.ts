/**
 * Tokens in URLs (`?token=` of the calendar and feed subscriptions) must not reach logs or
 * problem bodies. The query parser decodes names (`?%74oken=` is `token`) and a misspelt route
 * still carries the query, so every `token` parameter of every URL is masked, however written.
 */
export const REDACTED = '[redacted]';

function decodedName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

/** `url` with the value of each `token` query parameter replaced by `[redacted]`. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  // Cheap exit for the common case: no query, or none that could spell "token".
  if (q < 0 || !/t|%/i.test(url.slice(q))) return url;
  const hash = url.indexOf('#', q);
  const query = url.slice(q + 1, hash < 0 ? undefined : hash);
  const masked = query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      return decodedName(name).trim().toLowerCase() === 'token' ? `${name}=${REDACTED}` : pair;
    })
    .join('&');
  return `${url.slice(0, q)}?${masked}${hash < 0 ? '' : url.slice(hash)}`;
}
