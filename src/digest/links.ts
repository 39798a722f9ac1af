import type { Config } from '../config.ts';

/** Absolute links in mails, feeds and calendars, all from PUBLIC_BASE_URL. */
export function callApiUrl(config: Config, callId: string): string {
  return `${config.publicBaseUrl}/api/calls/${encodeURIComponent(callId)}`;
}

/**
 * The call's web page (src/web/pages/call.tsx): what people open from a mail, feed or calendar.
 * Signed out, it leads through sign-in back to the page.
 */
export function callPageUrl(config: Config, callId: string): string {
  return `${config.publicBaseUrl}/calls/${encodeURIComponent(callId)}`;
}

export function unsubscribeUrl(config: Config, token: string): string {
  return `${config.publicBaseUrl}/unsubscribe/${encodeURIComponent(token)}`;
}

/**
 * The unabridged list behind a "N more" link, as the search page (same filters as
 * `/api/calls`, which takes one action field or one measure per request, so links name one
 * target, or none: all open calls above the score).
 */
export function callListUrl(
  config: Config,
  filter: { actionField?: string; measure?: string; minScore: number },
): string {
  const q = new URLSearchParams();
  if (filter.actionField) q.set('actionField', filter.actionField);
  if (filter.measure) q.set('measure', filter.measure);
  q.set('minScore', String(filter.minScore));
  q.set('status', 'open,forthcoming,open-ended');
  return `${config.publicBaseUrl}/search?${q.toString()}`;
}

/** Host part for Message-IDs and calendar UIDs, e.g. `foerdermatch.kiel.de`. */
export function publicHost(config: Config): string {
  return new URL(config.publicBaseUrl).hostname || 'localhost';
}
