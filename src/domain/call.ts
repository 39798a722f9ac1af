import { z } from 'zod';
import { applicantTypes, callStatuses, deadlineStages, sourceIds } from './enums.ts';

const isoInstant = z.iso.datetime({ offset: true, message: 'expected an ISO 8601 instant' });
const isoDate = z.iso.date({ message: 'expected an ISO date YYYY-MM-DD' });

/**
 * Links we show, mail and put in feeds are http(s) only: a `javascript:` or `data:` URL runs
 * or smuggles content where it is clicked (the web UI, a mail client, a spreadsheet).
 */
export function isHttpUrl(value: string): boolean {
  if (!/^https?:\/\//i.test(value)) return false;
  try {
    const u = new URL(value);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

export const httpUrlSchema = z
  .string()
  .trim()
  .refine(isHttpUrl, { message: 'expected an http(s) URL such as https://example.org/call' });

export const deadlineSchema = z.object({
  /** The instant in UTC, ISO 8601 with Z. */
  at: isoInstant,
  /** IANA zone the deadline was published in, e.g. Europe/Brussels. */
  timeZone: z.string().min(1),
  /** The text as the source published it (kept for audit and display). */
  raw: z.string(),
  stage: z.enum(deadlineStages),
  /** Optional label in the source's words, e.g. "Projektskizze". */
  label: z.string().optional(),
});
export type Deadline = z.infer<typeof deadlineSchema>;

export const budgetSchema = z.object({
  currency: z.string().length(3).default('EUR'),
  total: z.number().nonnegative().optional(),
  perProjectMin: z.number().nonnegative().optional(),
  perProjectMax: z.number().nonnegative().optional(),
  raw: z.string().optional(),
});
export type Budget = z.infer<typeof budgetSchema>;

export const provenanceSchema = z.object({
  fetchedAt: isoInstant,
  sourceUrl: z.string().min(1),
  contentHash: z.string().min(8),
  /** Attribution required by the source's licence, e.g. Förderdatenbank CC BY-ND. */
  attribution: z.string().optional(),
});

/**
 * The normalized funding call every source produces. Matching, API and digest only ever see
 * this shape, never a source's raw format (that is kept in `raw` for audit).
 */
export const callSchema = z.object({
  /** Stable id: `<source>:<source's own id>`. */
  id: z.string().regex(/^[a-z0-9-]+:.+$/, 'expected <source>:<source id>'),
  source: z.enum(sourceIds),
  sourceId: z.string().min(1),
  funder: z.string().optional(),
  operator: z.string().optional(),
  programme: z.string().optional(),
  identifier: z.string().optional(),
  title: z.string().min(1),
  summary: z.string().default(''),
  description: z.string().default(''),
  descriptionHtml: z.string().optional(),
  url: z.string().optional(),
  language: z.string().min(2).max(5).default('en'),
  openingDate: isoInstant.optional(),
  deadlines: z.array(deadlineSchema).default([]),
  status: z.enum(callStatuses),
  /** The source's own status, evidence only (EU status codes are often stale). */
  sourceStatus: z.string().optional(),
  budget: budgetSchema.optional(),
  /** Maximum funding rate as a fraction 0..1 (0.8 = 80 %). */
  fundingRate: z.number().min(0).max(1).optional(),
  applicantTypes: z.array(z.enum(applicantTypes)).default([]),
  /** Applicant eligibility as published, e.g. "Towns and municipalities". */
  applicantsText: z.string().optional(),
  countries: z.array(z.string().regex(/^[A-Z]{2}$/)).default([]),
  nuts: z.array(z.string().regex(/^[A-Z]{2}[A-Z0-9]{0,3}$/)).default([]),
  keywords: z.array(z.string()).default([]),
  /** Notices recorded from the page, e.g. "deadline passed", "commitments suspended". */
  notices: z.array(z.string()).default([]),
  provenance: provenanceSchema,
  raw: z.unknown().optional(),
});
export type Call = z.infer<typeof callSchema>;
export type CallInput = z.input<typeof callSchema>;

export { isoDate, isoInstant };

/** Status from the dates alone; the source's own status is never trusted over them. */
export function computeStatus(
  deadlines: ReadonlyArray<{ at: string }>,
  openingDate: string | undefined,
  now: Date,
  /** Without deadlines, closed from this instant on (see `archivedFrom`). */
  archived?: string,
): (typeof callStatuses)[number] {
  const t = now.getTime();
  if (openingDate && Date.parse(openingDate) > t) return 'forthcoming';
  if (deadlines.length === 0) return archived && Date.parse(archived) <= t ? 'closed' : 'open-ended';
  return deadlines.some((d) => Date.parse(d.at) >= t) ? 'open' : 'closed';
}

const period = /\b((?:19|20)\d\d)\s*[-–—/]\s*((?:19|20)?\d\d)\b/g;
const year = /\b(19[5-9]\d|20\d\d)\b/g;

/**
 * When a call without any deadline counts as closed (archived) rather than open-ended: two
 * years after the latest year its title names ("Antragsjahr 2015", "third call 2017"), else
 * two years after the end of the programme period its programme or title names ("Interreg
 * Baltic Sea Region 2014-2020"; calls of a period close before it ends). Undefined when
 * neither names a year. An ISO instant (1 January, UTC).
 */
export function archivedFrom(call: { title: string; programme?: string | undefined }): string | undefined {
  const periodEnd = (text: string) =>
    [...text.matchAll(period)].map((m) => {
      const end = m[2]!;
      return end.length === 2 ? Number(m[1]!.slice(0, 2) + end) : Number(end);
    });
  const ends = [...periodEnd(call.title), ...periodEnd(call.programme ?? '')];
  const titleYears = [...call.title.replace(period, ' ').matchAll(year)].map((m) => Number(m[1]));
  const last =
    titleYears.length > 0 ? Math.max(...titleYears) : ends.length > 0 ? Math.max(...ends) : undefined;
  return last === undefined ? undefined : `${last + 2}-01-01T00:00:00.000Z`;
}

/** The next deadline at or after `now`, else the last one (for closed calls). */
export function nextDeadline<T extends { at: string }>(deadlines: readonly T[], now: Date): T | undefined {
  const sorted = [...deadlines].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return sorted.find((d) => Date.parse(d.at) >= now.getTime()) ?? sorted.at(-1);
}
