import type { Config } from '../config.ts';

/** Absolute links in mails, feeds and calendars, all from PUBLIC_BASE_URL. */
export function callApiUrl(config: Config, callId: string): string {
  return `${config.publicBaseUrl}/api/calls/${encodeURIComponent(callId)}`;
}

export function unsubscribeUrl(config: Config, token: string): string {
  return `${config.publicBaseUrl}/unsubscribe/${encodeURIComponent(token)}`;
}

/** The full, unabridged list behind a digest's "N more" link: the calls API with the subscriber's filters. */
export function callListUrl(
  config: Config,
  filters: { actionFields: readonly string[]; measures: readonly string[]; minScore: number },
): string {
  const q = new URLSearchParams();
  for (const f of filters.actionFields) q.append('actionField', f);
  for (const m of filters.measures) q.append('measure', m);
  q.set('minScore', String(filters.minScore));
  q.set('status', 'open');
  q.set('sort', 'relevance');
  return `${config.publicBaseUrl}/api/calls?${q.toString()}`;
}

/** Host part for Message-IDs and calendar UIDs, e.g. `foerdermatch.kiel.de`. */
export function publicHost(config: Config): string {
  return new URL(config.publicBaseUrl).hostname || 'localhost';
}
