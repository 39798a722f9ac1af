/** eu-ft: search hit (+ Topic Details) → normalized Call; deadlines, openings and budget. Pure. */
import { archivedFrom, type Call, computeStatus, type Deadline } from '../../src/domain/call.ts';
import type { DeadlineStage } from '../../src/domain/enums.ts';
import { isRealWallTime } from '../../src/domain/time.ts';
import { invalidDateNotice } from '../dates.ts';
import { htmlToText, sanitizeHtml, sha256, zonedTimeToUtc } from '../text.ts';
import { type TopicDetails, topicPageUrl } from './details.ts';
import { type BudgetOverview, FORTHCOMING, OPEN, type SearchHit } from './search.ts';

export const EU_TIME_ZONE = 'Europe/Brussels';
/** The portal's default deadline time when only a date is published. */
const DEFAULT_DEADLINE = { hour: 17, minute: 0 };

/** Framework programme ids seen in the recordings; others fall back to the details' own name. */
const programmeNames: Record<string, string> = {
  '43108390': 'Horizon Europe (HORIZON)',
  '43152860': 'Digital Europe Programme (DIGITAL)',
  '43252476': 'Single Market Programme (SMP)',
};

const stageFor = (
  model: string | undefined,
  index: number,
  count: number,
): { stage: DeadlineStage; label?: string } => {
  if (model && /two-stage/i.test(model) && count === 2) {
    return index === 0
      ? { stage: 'sketch', label: 'first stage' }
      : { stage: 'second-stage', label: 'second stage' };
  }
  if ((model && /cut-?off/i.test(model)) || count > 1)
    return { stage: 'cut-off', label: `cut-off ${index + 1}` };
  return { stage: 'single' };
};

/** A calendar day → its 17:00 in Brussels, the portal's default deadline time. */
const brusselsDeadline = (
  y: number,
  m: number,
  d: number,
  hour = DEFAULT_DEADLINE.hour,
  minute = DEFAULT_DEADLINE.minute,
) => zonedTimeToUtc({ year: y, month: m, day: d, hour, minute }, EU_TIME_ZONE).toISOString();

/**
 * Epoch milliseconds as Topic Details publishes them. Midnight UTC means "this day" and gets the
 * 17:00 Brussels default; any other instant is taken as it is.
 */
export function deadlineFromEpochMs(ms: string): string | undefined {
  const n = Number(ms);
  if (!Number.isFinite(n) || ms.trim() === '') return undefined;
  const d = new Date(n);
  if (d.getUTCHours() === 0 && d.getUTCMinutes() === 0) {
    return brusselsDeadline(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
  }
  return d.toISOString();
}

/**
 * A search `deadlineDate` such as `2027-04-08T00:00:00.000+0000`. The index writes Brussels wall
 * time with a +0000 suffix (`…T17:00:00.000+0000` for a 17:00 deadline); midnight means "date only".
 */
export function deadlineFromSearchDate(value: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/.exec(value);
  if (!m) return undefined;
  const [y, mo, d, h, mi] = [m[1], m[2], m[3], m[4] ?? '00', m[5] ?? '00'].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  // A day or time that does not exist (2027-02-30, 25:99) is no deadline, never a rolled-over one.
  if (!isRealWallTime({ year: y, month: mo, day: d, hour: h, minute: mi })) return undefined;
  return h === 0 && mi === 0 ? brusselsDeadline(y, mo, d) : brusselsDeadline(y, mo, d, h, mi);
}

const dayStart = (y: number, m: number, d: number) =>
  zonedTimeToUtc({ year: y, month: m, day: d, hour: 0, minute: 0 }, EU_TIME_ZONE).toISOString();

function openingFromMs(ms: string | undefined): string | undefined {
  if (!ms || !Number.isFinite(Number(ms))) return undefined;
  const d = new Date(Number(ms));
  return dayStart(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

function openingFromSearch(value: string | undefined): string | undefined {
  const m = value ? /^(\d{4})-(\d{2})-(\d{2})/.exec(value) : null;
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return isRealWallTime({ year: y, month: mo, day: d }) ? dayStart(y, mo, d) : undefined;
}

/** Total and per-project range for one topic from a budget overview (all budget years summed). */
export function topicBudget(overview: BudgetOverview | undefined, identifier: string): Call['budget'] {
  const map = overview?.budgetTopicActionMap;
  if (!map) return undefined;
  const rows = Object.values(map)
    .flat()
    .filter((r) => r.action?.split(' - ')[0]?.trim().toUpperCase() === identifier.toUpperCase());
  if (rows.length === 0) return undefined;
  const total = rows.reduce(
    (sum, r) => sum + Object.values(r.budgetYearMap ?? {}).reduce((s, v) => s + (Number(v) || 0), 0),
    0,
  );
  const mins = rows.map((r) => r.minContribution ?? 0).filter((v) => v > 0);
  const maxs = rows.map((r) => r.maxContribution ?? 0).filter((v) => v > 0);
  return {
    currency: 'EUR',
    ...(total > 0 ? { total } : {}),
    ...(mins.length ? { perProjectMin: Math.min(...mins) } : {}),
    ...(maxs.length ? { perProjectMax: Math.max(...maxs) } : {}),
  };
}

function summaryFrom(text: string): string {
  const firstPara = text.split('\n').find((l) => l.length > 40) ?? text;
  return firstPara.length > 500 ? `${firstPara.slice(0, 497).trimEnd()}…` : firstPara;
}

/** Search hit (+ Topic Details when fetched) → the normalized Call. */
export function toCall(
  hit: SearchHit,
  details: TopicDetails | undefined,
  opts: { now: Date; portalBase: string; fetchedAt: string; sourceUrl: string },
): Call {
  const deadlines: Deadline[] = [];
  const notices: string[] = [];
  if (details && details.deadlineMs.length > 0) {
    details.deadlineMs.forEach((ms, i) => {
      const at = deadlineFromEpochMs(ms);
      if (at)
        deadlines.push({
          at,
          timeZone: EU_TIME_ZONE,
          raw: ms,
          ...stageFor(details.deadlineModel ?? hit.deadlineModel, i, details.deadlineMs.length),
        });
    });
  } else {
    const dates = [...new Set(hit.deadlineDates)].sort();
    dates.forEach((raw, i) => {
      const at = deadlineFromSearchDate(raw);
      if (at)
        deadlines.push({ at, timeZone: EU_TIME_ZONE, raw, ...stageFor(hit.deadlineModel, i, dates.length) });
      else notices.push(invalidDateNotice(raw));
    });
  }
  deadlines.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const openingDate = openingFromMs(details?.openingMs) ?? openingFromSearch(hit.startDate);
  const descriptionHtml = details?.descriptionHtml ?? hit.descriptionHtml;
  const description = descriptionHtml ? htmlToText(descriptionHtml) : '';
  const ids = new Set([hit.identifier, hit.callIdentifier].filter(Boolean).map((s) => s!.toUpperCase()));
  const keywords = [
    ...new Set([...(details?.keywords ?? hit.keywords), ...(details?.tags ?? hit.tags)].map((k) => k.trim())),
  ].filter((k) => k !== '' && !ids.has(k.toUpperCase()));
  const cascade = hit.type === '8';
  const budget = topicBudget(details?.budget, hit.identifier) ?? topicBudget(hit.budget, hit.identifier);
  const raw = { search: hit.metadata, ...(details ? { topicDetails: details.raw } : {}) };
  const call: Call = {
    id: `eu-ft:${hit.sourceId}`,
    source: 'eu-ft',
    sourceId: hit.sourceId,
    funder: 'European Commission',
    ...(cascade ? { operator: hit.callTitle ?? hit.title } : {}),
    programme: details?.programme ?? (hit.programmeId ? programmeNames[hit.programmeId] : undefined),
    identifier: hit.identifier,
    title: cascade ? hit.title : (details?.title ?? hit.title),
    summary: cascade && hit.summary ? hit.summary : summaryFrom(description),
    description,
    ...(descriptionHtml ? { descriptionHtml: sanitizeHtml(descriptionHtml) } : {}),
    url: cascade && hit.url ? hit.url : topicPageUrl(opts.portalBase, hit.identifier),
    language: 'en',
    ...(openingDate ? { openingDate } : {}),
    deadlines,
    status: computeStatus(
      deadlines,
      openingDate,
      opts.now,
      archivedFrom({
        title: cascade ? hit.title : (details?.title ?? hit.title),
        programme: details?.programme ?? (hit.programmeId ? programmeNames[hit.programmeId] : undefined),
      }),
    ),
    sourceStatus:
      details?.statusLabel ??
      (hit.statusCode === OPEN ? 'Open' : hit.statusCode === FORTHCOMING ? 'Forthcoming' : hit.statusCode),
    ...(budget ? { budget } : {}),
    applicantTypes: [],
    countries: [],
    nuts: [],
    keywords,
    notices,
    provenance: {
      fetchedAt: opts.fetchedAt,
      sourceUrl: opts.sourceUrl,
      contentHash: sha256(JSON.stringify(raw)),
    },
    raw,
  };
  return call;
}
