/** foerderdatenbank: list entry + programme page → normalized Call. Pure. */
import type { Call, Deadline } from '../../src/domain/call.ts';
import { archivedFrom, computeStatus } from '../../src/domain/call.ts';
import type { ApplicantType } from '../../src/domain/enums.ts';
import { invalidDateNotice, type RejectedDate } from '../dates.ts';
import { annualDeadlines, classifyDates, toDeadlines } from '../deadlines.ts';
import { type DetailPage, FDB_ATTRIBUTION, FDB_TIME_ZONE, type ListEntry } from './parse.ts';

const applicantMap: Record<string, ApplicantType> = {
  Kommune: 'municipality',
  'Öffentliche Einrichtung': 'public-body',
  'Verband/Vereinigung': 'ngo',
  Unternehmen: 'company',
  'Existenzgründer/in': 'individual',
  Privatperson: 'individual',
  Forschungseinrichtung: 'research',
  Hochschule: 'university',
  Bildungseinrichtung: 'other',
};

/** NUTS-1 codes of the Länder. */
const landNuts: Record<string, string> = {
  'Baden-Württemberg': 'DE1',
  Bayern: 'DE2',
  Berlin: 'DE3',
  Brandenburg: 'DE4',
  Bremen: 'DE5',
  Hamburg: 'DE6',
  Hessen: 'DE7',
  'Mecklenburg-Vorpommern': 'DE8',
  Niedersachsen: 'DE9',
  'Nordrhein-Westfalen': 'DEA',
  'Rheinland-Pfalz': 'DEB',
  Saarland: 'DEC',
  Sachsen: 'DED',
  'Sachsen-Anhalt': 'DEE',
  'Schleswig-Holstein': 'DEF',
  Thüringen: 'DEG',
};

/** "Bundesprogramm", "Landesprogramm Thüringen" (the Land's name from Fördergebiet when it is one Land), "EU-Programm". */
function levelOf(sourceId: string, areas: readonly string[]): string | undefined {
  const [level, segment] = sourceId.split('/');
  if (level === 'Bund') return 'Bundesprogramm';
  if (level === 'Land')
    return `Landesprogramm ${areas.length === 1 && landNuts[areas[0]!] ? areas[0] : (segment ?? '')}`.trim();
  if (level === 'EU') return 'EU-Programm';
  return undefined;
}

/**
 * Deadlines written in the programme's text: dated ones ("Antragstellung bis zum 06.12.2024")
 * and yearly ones ("spätestens bis zum 30.09. jeden Jahres", as its next date). Most programmes
 * name none and stay open-ended; dates the words before them do not make a deadline (a
 * guideline's date, a project start) are left out.
 */
export function deadlinesInText(text: string, now: Date, rejected?: RejectedDate[]): Deadline[] {
  const dated = toDeadlines(
    classifyDates(text, { timeZone: FDB_TIME_ZONE, ...(rejected ? { rejected } : {}) }),
  );
  const yearly = annualDeadlines(text, { timeZone: FDB_TIME_ZONE, now });
  const seen = new Set(dated.map((d) => d.at));
  return [...dated, ...yearly.filter((d) => !seen.has(d.at))].sort(
    (a, b) => Date.parse(a.at) - Date.parse(b.at),
  );
}

/** Detail page (+ its list entry) → the normalized Call. Most programmes have no dates: status `open-ended`. */
export function toCall(entry: ListEntry, page: DetailPage, opts: { now: Date; fetchedAt: string }): Call {
  const areas = page.facts.Fördergebiet ?? [];
  const applicants = page.facts.Förderberechtigte ?? [];
  const nuts = [...new Set(areas.map((a) => landNuts[a]).filter((n): n is string => !!n))];
  const applicantTypes = [
    ...new Set(applicants.map((a) => applicantMap[a]).filter((t): t is ApplicantType => !!t)),
  ];
  // Without a named Fördergeber: the Land of a Land programme, else the ministry from the path (Bund/BMZ/…).
  const [level, segment] = entry.sourceId.split('/');
  const funder = page.funder ?? (level === 'Land' && areas.length === 1 ? `Land ${areas[0]}` : segment);
  const rejected: RejectedDate[] = [];
  const deadlines = deadlinesInText(page.description, opts.now, rejected);
  return {
    id: entry.id,
    source: 'foerderdatenbank',
    sourceId: entry.sourceId,
    ...(funder ? { funder } : {}),
    ...(page.contact ? { operator: page.contact } : {}),
    ...(levelOf(entry.sourceId, areas) ? { programme: levelOf(entry.sourceId, areas) } : {}),
    title: page.title,
    summary: page.summary,
    description: page.description,
    ...(page.descriptionHtml ? { descriptionHtml: page.descriptionHtml } : {}),
    url: entry.url,
    language: 'de',
    deadlines,
    status: computeStatus(
      deadlines,
      undefined,
      opts.now,
      archivedFrom({ title: page.title, programme: levelOf(entry.sourceId, areas) }),
    ),
    applicantTypes,
    ...(applicants.length ? { applicantsText: applicants.join(', ') } : {}),
    countries: ['DE'],
    nuts,
    keywords: [...new Set([...(page.facts.Förderbereich ?? []), ...(page.facts.Förderart ?? [])])],
    notices: rejected.map((r) => invalidDateNotice(r.raw)),
    provenance: {
      fetchedAt: opts.fetchedAt,
      sourceUrl: entry.url,
      contentHash: entry.fingerprint,
      attribution: FDB_ATTRIBUTION,
    },
    raw: {
      facts: page.facts,
      links: page.links,
      contact: page.contact ?? null,
      tabs: page.sections.map((x) => x.label ?? null),
    },
  };
}
