/** Interreg programme sites: shared types, the call builder, where each site's main content sits. */
import type { Call } from '../../src/domain/call.ts';
import type { ApplicantType } from '../../src/domain/enums.ts';
import { classifyDates, toDeadlines, toOpening } from '../deadlines.ts';
import { CrawlError } from '../errors.ts';
import { applicantTypesFromText, findBudget, findFundingRate } from '../facts.ts';
import type { ProgrammeArea, ProgrammeKey } from '../interreg-areas.ts';
import { type CallDraft, finishCall, mainContent } from '../page.ts';
import { sanitizeHtml } from '../text.ts';

export interface PageContext {
  /** The URL the text was fetched from (after the base-URL mapping: for provenance). */
  url: string;
  fetchedAt: Date;
}

/** One record that could not be read; the others of the page still count. */
export interface RecordError {
  id: string;
  message: string;
}

export interface ParseResult {
  calls: Call[];
  errors: RecordError[];
}

export const INTERREG_FUNDER = 'European Union (ERDF, Interreg)';

export function layoutChanged(url: string, what: string): CrawlError {
  return new CrawlError('layout', `layout not recognised on ${url}: ${what}`, { url });
}

/** Builds a call of a programme site from one section of text. */
export function programmeCall(
  area: ProgrammeArea,
  fields: {
    sourceId: string;
    title: string;
    text: string;
    html?: string;
    url: string;
    hash: string;
    /** Kind of a date with no telling words before it (a list under "Antragsfristen"). */
    fallback?: 'deadline' | 'other';
    applicants?: string;
    keywords?: string[];
    extra?: Partial<CallDraft>;
  },
  ctx: PageContext,
): Call {
  const classified = classifyDates(fields.text, { timeZone: area.timeZone, fallback: fields.fallback });
  const rate = findFundingRate(fields.text);
  const budget = findBudget(fields.text);
  const openingDate = toOpening(classified);
  const applicantTypes: ApplicantType[] = fields.applicants ? applicantTypesFromText(fields.applicants) : [];
  return finishCall(
    {
      id: `interreg:${fields.sourceId}`,
      source: 'interreg',
      sourceId: fields.sourceId,
      funder: INTERREG_FUNDER,
      operator: area.name,
      programme: area.name,
      title: fields.title,
      summary: fields.text.split('\n').find((l) => l.length > 40 && l !== fields.title) ?? '',
      description: fields.text,
      ...(fields.html ? { descriptionHtml: sanitizeHtml(fields.html) } : {}),
      url: fields.url,
      language: area.language,
      ...(openingDate ? { openingDate } : {}),
      deadlines: toDeadlines(classified),
      ...(rate ? { fundingRate: rate.rate } : {}),
      ...(budget ? { budget } : {}),
      applicantTypes,
      ...(fields.applicants ? { applicantsText: fields.applicants } : {}),
      countries: area.countries,
      nuts: area.nuts,
      keywords: fields.keywords ?? [],
      provenance: { sourceUrl: ctx.url, contentHash: fields.hash },
      ...fields.extra,
    },
    ctx.fetchedAt,
  );
}

/** Where the main content sits on each programme site (first match wins). */
export const MAIN = {
  'de-dk': ['main#content', 'main', '#content'],
  bsr: ['main', 'article', '.entry-content'],
  'north-sea': ['main', '#main'],
  'south-baltic': ['#content', 'main'],
} as const satisfies Record<ProgrammeKey, readonly string[]>;

/** Hash of a page's main content, for change detection independent of headers and footers. */
export function mainContentHash(html: string, programme: ProgrammeKey, url: string): string {
  return mainContent(html, MAIN[programme], url).hash;
}

export const CALL_TITLE =
  /(?:new|neue[rs]?|open|opens|geöffnet|åben|launch)\b.*\b(?:call|calls|aufruf|pool|fonds|ausschreibung|indkaldelse)|\b(?:call|calls|aufruf|ausschreibung)\b.*\b(?:open|opens|geöffnet|closed)/i;
