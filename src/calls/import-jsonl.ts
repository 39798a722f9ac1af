import { createHash } from 'node:crypto';
import { z } from 'zod';
import { findDates, type RejectedDate } from '../../crawlers/dates.ts';
import {
  archivedFrom,
  type Call,
  callSchema,
  computeStatus,
  type Deadline,
  httpUrlSchema,
} from '../domain/call.ts';
import { type ApplicantType, type SourceId, sourceIds } from '../domain/enums.ts';
import { isRealWallTime, zonedTimeToUtc } from '../domain/time.ts';
import { zodDetails } from '../errors.ts';

/**
 * JSON Lines import: one call per line with keys `id, source, programme, identifier, title,
 * summary, applicants, deadlines, funding, language, url` (extra keys ignored). Pure: returns
 * the parsed calls and the bad lines with their line numbers; storing is the caller's job.
 */
const lineSchema = z.object({
  id: z.union([z.string().trim().min(1), z.number()]).transform(String),
  source: z.string().trim().min(1).optional(),
  programme: z.string().nullish(),
  identifier: z.string().nullish(),
  title: z.string().trim().min(1, 'title must not be empty'),
  summary: z.string().nullish(),
  applicants: z.string().nullish(),
  deadlines: z.array(z.string()).nullish(),
  funding: z.string().nullish(),
  language: z.string().trim().min(2).max(5).nullish(),
  url: httpUrlSchema.nullish(),
});

export interface ImportLineError {
  line: number;
  reason: string;
}

export interface ImportedCall {
  line: number;
  /** The id as written in the file. */
  fileId: string;
  call: Call;
}

/**
 * EU deadlines without a time are 17:00 Brussels time (the portal's rule); other sources'
 * date-only deadlines last until the end of that day in German local time.
 */
function zoneRules(source: SourceId): { timeZone: string; dateOnly: { hour: number; minute: number } } {
  return source === 'eu-ft'
    ? { timeZone: 'Europe/Brussels', dateOnly: { hour: 17, minute: 0 } }
    : { timeZone: 'Europe/Berlin', dateOnly: { hour: 23, minute: 59 } };
}

/** A deadline that names a day or time that does not exist; the line is rejected, never rolled over. */
export class InvalidDateError extends Error {
  constructor(raw: string) {
    super(`deadlines: "${raw}" is not a real date (no such day or time)`);
    this.name = 'InvalidDateError';
  }
}

/** The dates in a published deadline string, as UTC instants of the source's local time. */
export function datesIn(text: string, source: SourceId = 'import'): string[] {
  const { timeZone, dateOnly } = zoneRules(source);
  const iso = [
    ...text.matchAll(
      /(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?/gi,
    ),
  ];
  if (iso.length > 0) {
    return iso.map((m) => {
      const [, y, mo, d, h, mi, sec, offset] = m;
      const wall = h ? { hour: Number(h), minute: Number(mi) } : dateOnly;
      const parts = { year: Number(y), month: Number(mo), day: Number(d), ...wall };
      // Round trip: `2027-02-30` or `T25:99` would roll over into another day; reject instead.
      if (!isRealWallTime({ ...parts, second: Number(sec ?? 0) })) throw new InvalidDateError(m[0]);
      // An explicit offset is an instant already; otherwise it is a wall time in the source's zone.
      if (offset) return new Date(m[0]).toISOString();
      return zonedTimeToUtc(parts, timeZone).toISOString();
    });
  }
  const rejected: RejectedDate[] = [];
  const found = findDates(text, { timeZone, rejected });
  if (rejected[0]) throw new InvalidDateError(rejected[0].raw);
  return found.map((p) => {
    if (p.hasTime) return p.at;
    const [y, mo, d] = p.date.split('-').map(Number) as [number, number, number];
    return zonedTimeToUtc({ year: y, month: mo, day: d, ...dateOnly }, timeZone).toISOString();
  });
}

function stageOf(text: string): Deadline['stage'] {
  const t = text.toLowerCase();
  if (/skizze|sketch|concept note|idea/.test(t)) return 'sketch';
  if (/interesse|interest|expression/.test(t)) return 'interest';
  if (/second stage|2nd stage|stufe 2/.test(t)) return 'second-stage';
  if (/full application|antrag/.test(t)) return 'full-application';
  if (/cut-?off/.test(t)) return 'cut-off';
  return 'single';
}

export function parseDeadlines(list: readonly string[], source: SourceId = 'import'): Deadline[] {
  const { timeZone } = zoneRules(source);
  const out: Deadline[] = [];
  for (const raw of list) {
    const dates = datesIn(raw, source);
    // "Open 2024-11-05 to 2025-02-04": the closing date is the deadline.
    const at = dates.at(-1);
    if (!at) continue;
    out.push({ at, timeZone, raw, stage: stageOf(raw) });
  }
  return out;
}

/** Applicant types named in a published eligibility text (German or English). */
export function applicantTypesOf(text: string): ApplicantType[] {
  const t = ` ${text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')} `;
  const found = new Set<ApplicantType>();
  const has = (...words: string[]) => words.some((w) => t.includes(w));
  if (
    has(
      'municipal',
      'kommun',
      'gemeinde',
      'towns',
      ' cities',
      ' city ',
      'local authorit',
      'urban authorit',
      'stadte',
      ' stadt ',
      'landkreis',
      'kreisfreie',
      'kreise',
      'local and regional authorit',
    )
  )
    found.add('municipality');
  if (has('regional authorit', 'regions', 'regionen', 'bundeslander', ' lander ')) found.add('region');
  if (
    has(
      'public bod',
      'public author',
      'public administration',
      'public organisation',
      'public and private',
      'offentlich',
      'juristische personen',
      'behorde',
      'civil servants',
      'officials',
    )
  )
    found.add('public-body');
  if (
    has(
      'ngo',
      'non-profit',
      'nonprofit',
      'gemeinnutzig',
      'verein',
      'association',
      'civil society',
      'foundation',
      'stiftung',
      'foreninger',
      'zivilgesellschaft',
    )
  )
    found.add('ngo');
  if (
    has(
      'sme',
      'kmu',
      'small and medium',
      'kleine und mittlere',
      'mittelstand',
      'start-up',
      'startup',
      'scale-up',
      'kleinstunternehmen',
    )
  )
    found.add('sme');
  if (
    has(
      'compan',
      'enterprise',
      'unternehmen',
      'business',
      'firms',
      'contractor',
      'tenderer',
      'betriebe',
      'producer',
    )
  )
    found.add('company');
  if (has('universit', 'hochschul', 'higher education')) found.add('university');
  if (has('research', 'forschung', 'scientific', 'wissenschaft')) found.add('research');
  if (
    has(
      'individual',
      'researchers',
      'wissenschaftlerinnen',
      'wissenschaftler ',
      'postdoc',
      'principal investigator',
      'einzelperson',
      'privatperson',
      'fachleute',
      'students',
    )
  )
    found.add('individual');
  if (has('international organi')) found.add('international-organisation');
  // General organisations or institutions: the city may be one of them (a research
  // institution or a researcher's host organisation is not).
  const general = t.replace(
    /forschungseinrichtung\w*|(host|research|academic) (institution|organisation|organization)\w*/g,
    '',
  );
  if (
    [
      'organisation',
      'organization',
      ' institution',
      'legal entit',
      'einrichtung',
      'trager',
      'entities',
      'akteure',
      'actors',
      'stellen',
      'consorti',
      ' partners ',
      'partners,',
      'partners from',
      'partnerships',
      'applicants',
    ].some((w) => general.includes(w))
  )
    found.add('other');
  if (found.size === 0 && t.trim() !== '') found.add('other');
  return [...found];
}

function toSource(s: string | undefined): SourceId {
  return s && (sourceIds as readonly string[]).includes(s) ? (s as SourceId) : 'import';
}

/** Parses one object of an import file into a normalized call. */
export function callFromLine(data: unknown, now: Date): { fileId: string; call: Call } {
  const line = lineSchema.parse(data);
  const source = toSource(line.source);
  const sourceId = line.id;
  const id =
    /^[a-z0-9-]+:.+$/.test(sourceId) && sourceId.startsWith(`${source}:`)
      ? sourceId
      : `${source}:${sourceId}`;
  const deadlines = parseDeadlines(line.deadlines ?? [], source);
  const body = JSON.stringify(data);
  const call = callSchema.parse({
    id,
    source,
    sourceId,
    funder: line.source && source === 'import' ? line.source : undefined,
    programme: line.programme ?? undefined,
    identifier: line.identifier ?? undefined,
    title: line.title,
    summary: line.summary ?? '',
    description: '',
    url: line.url ?? undefined,
    language: line.language ?? 'en',
    deadlines,
    status: computeStatus(
      deadlines,
      undefined,
      now,
      archivedFrom({ title: line.title, programme: line.programme ?? undefined }),
    ),
    budget: line.funding ? { currency: 'EUR', raw: line.funding } : undefined,
    applicantTypes: applicantTypesOf(line.applicants ?? ''),
    applicantsText: line.applicants ?? undefined,
    provenance: {
      fetchedAt: now.toISOString(),
      sourceUrl: line.url ?? 'import',
      contentHash: createHash('sha256').update(body).digest('hex'),
    },
  });
  return { fileId: line.id, call };
}

/** Parses a whole JSON Lines text; blank lines are skipped, bad lines reported with their number. */
export function parseImportFile(
  text: string,
  now = new Date(),
): { calls: ImportedCall[]; errors: ImportLineError[] } {
  const calls: ImportedCall[] = [];
  const errors: ImportLineError[] = [];
  const seen = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    let data: unknown;
    try {
      data = JSON.parse(raw);
    } catch (err) {
      errors.push({ line, reason: `not valid JSON (${(err as Error).message})` });
      return;
    }
    if (!data || typeof data !== 'object' || Array.isArray(data)) {
      errors.push({ line, reason: 'expected a JSON object' });
      return;
    }
    try {
      const { fileId, call } = callFromLine(data, now);
      const dup = seen.get(call.id);
      if (dup !== undefined) {
        errors.push({ line, reason: `duplicate id "${fileId}" (first on line ${dup})` });
        return;
      }
      seen.set(call.id, line);
      calls.push({ line, fileId, call });
    } catch (err) {
      if (err instanceof InvalidDateError) {
        errors.push({ line, reason: err.message });
        return;
      }
      const issues =
        err instanceof z.ZodError ? zodDetails(err.issues) : [{ path: '(root)', message: String(err) }];
      errors.push({ line, reason: issues.map((d) => `${d.path}: ${d.message}`).join('; ') });
    }
  });
  return { calls, errors };
}
