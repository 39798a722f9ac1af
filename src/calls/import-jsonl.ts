import { createHash } from 'node:crypto';
import { z } from 'zod';
import { type Call, callSchema, computeStatus, type Deadline } from '../domain/call.ts';
import { type ApplicantType, type SourceId, sourceIds } from '../domain/enums.ts';
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
  url: z.string().nullish(),
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

const months: Record<string, number> = {
  january: 1,
  jan: 1,
  januar: 1,
  janvier: 1,
  february: 2,
  feb: 2,
  februar: 2,
  march: 3,
  mar: 3,
  marz: 3,
  maerz: 3,
  april: 4,
  apr: 4,
  may: 5,
  mai: 5,
  june: 6,
  jun: 6,
  juni: 6,
  july: 7,
  jul: 7,
  juli: 7,
  august: 8,
  aug: 8,
  september: 9,
  sep: 9,
  sept: 9,
  october: 10,
  oct: 10,
  oktober: 10,
  okt: 10,
  november: 11,
  nov: 11,
  december: 12,
  dec: 12,
  dezember: 12,
  dez: 12,
};

const pad = (n: number) => String(n).padStart(2, '0');

/** The dates in a published deadline string, as ISO instants (end of day when no time is given). */
export function datesIn(text: string): string[] {
  const out: string[] = [];
  const folded = text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '');
  for (const m of folded.matchAll(/(\d{4})-(\d{2})-(\d{2})(?:t(\d{2}):(\d{2}))?/g)) {
    const [, y, mo, d, h, mi] = m;
    out.push(h ? `${y}-${mo}-${d}T${h}:${mi}:00.000Z` : `${y}-${mo}-${d}T23:59:59.000Z`);
  }
  if (out.length > 0) return out;
  for (const m of folded.matchAll(/(\d{1,2})\.?\s+([a-z]+)\s+(\d{4})/g)) {
    const mo = months[m[2]!];
    if (mo) out.push(`${m[3]}-${pad(mo)}-${pad(Number(m[1]))}T23:59:59.000Z`);
  }
  for (const m of folded.matchAll(/(\d{1,2})\.(\d{1,2})\.(\d{4})/g)) {
    out.push(`${m[3]}-${pad(Number(m[2]))}-${pad(Number(m[1]))}T23:59:59.000Z`);
  }
  return out.filter((iso) => !Number.isNaN(Date.parse(iso)));
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

export function parseDeadlines(list: readonly string[]): Deadline[] {
  const out: Deadline[] = [];
  for (const raw of list) {
    const dates = datesIn(raw);
    // "Open 2024-11-05 to 2025-02-04": the closing date is the deadline.
    const at = dates.at(-1);
    if (!at) continue;
    out.push({ at, timeZone: 'Europe/Brussels', raw, stage: stageOf(raw) });
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
  const deadlines = parseDeadlines(line.deadlines ?? []);
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
    status: computeStatus(deadlines, undefined, now),
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
      const issues =
        err instanceof z.ZodError ? zodDetails(err.issues) : [{ path: '(root)', message: String(err) }];
      errors.push({ line, reason: issues.map((d) => `${d.path}: ${d.message}`).join('; ') });
    }
  });
  return { calls, errors };
}
