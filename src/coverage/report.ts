import type { AppContext } from '../context.ts';
import { type Budget, computeStatus, type Deadline, nextDeadline } from '../domain/call.ts';
import { type CallStatus, type Eligibility, type PursuitStatus, pursuitStatuses } from '../domain/enums.ts';
import { getActiveRuleSet } from '../matching/service.ts';
import { deadlinesOf } from '../pursuits/read.ts';
import { programmeFamily } from './family.ts';

/** A measure without a fitting call within this window is a funding gap ("Förderlücke"). */
export const GAP_WINDOW_DAYS = 365;
const DAY = 86_400_000;
const liveStatuses: readonly CallStatus[] = ['open', 'forthcoming', 'open-ended'];

export interface CoverageCall {
  callId: string;
  title: string;
  programme: string | null;
  score: number;
  eligibility: Exclude<Eligibility, 'excluded'>;
  status: CallStatus;
  nextDeadline: Deadline | null;
}

export interface PursuitFigures {
  count: number;
  /** EUR, summed over the pursuits that state an amount. */
  applied: number;
  granted: number;
}

export interface MeasureCoverage {
  measureId: string;
  actionFieldKey: string;
  actionFieldNumber: number;
  number: number;
  text: string;
  /** No fitting call within the last 12 months: a funding gap. */
  gap: boolean;
  /** Fitting calls that were open at some time within the last 12 months (or are ahead). */
  fittingLast12Months: number;
  /** Fitting calls open, open-ended or forthcoming now. */
  openCalls: number;
  best: CoverageCall | null;
  nearestDeadline: { callId: string; at: string; timeZone: string } | null;
  /** Sum of the stated total budgets (EUR) of the open fitting calls, and how many state one. */
  budgetTotal: number;
  budgetCalls: number;
  pursuits: Record<PursuitStatus, PursuitFigures>;
}

export interface FamilyCoverage {
  family: string;
  /** Distinct fitting calls of the family within the window. */
  calls: number;
  /** Fitting calls per action field key (a call fitting the field or one of its measures). */
  fields: Record<string, number>;
}

export interface CoverageReport {
  generatedAt: string;
  /** Score a match needs to count as fitting: the active rules' list threshold. */
  threshold: number;
  windowStart: string;
  gaps: number;
  fields: { key: string; number: number; name: string }[];
  /** Gaps first, then by action field and measure number. */
  measures: MeasureCoverage[];
  /** Most calls first. */
  families: FamilyCoverage[];
}

interface FitRow {
  callId: string;
  target: string;
  score: number;
  eligibility: Exclude<Eligibility, 'excluded'>;
}

/** Within the window: ahead or open now, a deadline in the window, or (no deadline) seen by a crawl in it. */
/** The few columns of a call the report reads (not the descriptions or the raw record). */
interface ReportCall {
  id: string;
  source: string;
  title: string;
  programme: string | null;
  openingDate: string | null;
  budget: Budget | null;
  lastSeenAt: string;
  delistedAt: string | null;
  deadlines: Deadline[];
}

function reportCalls(ctx: AppContext, ids: readonly string[]): Map<string, ReportCall> {
  const rows = ctx.dbh.sqlite
    .prepare(
      `select id, source, title, programme, opening_date as openingDate, budget, last_seen_at as lastSeenAt,
         delisted_at as delistedAt from calls where id in (select value from json_each(?))`,
    )
    .all(JSON.stringify(ids)) as (Omit<ReportCall, 'budget' | 'deadlines'> & { budget: string | null })[];
  const deadlines = deadlinesOf(ctx, ids);
  return new Map(
    rows.map((r) => [
      r.id,
      {
        ...r,
        budget: r.budget === null ? null : (JSON.parse(r.budget) as Budget),
        deadlines: deadlines.get(r.id) ?? [],
      },
    ]),
  );
}

function inWindow(c: ReportCall, status: CallStatus, windowStart: number): boolean {
  if (liveStatuses.includes(status) && c.delistedAt === null) return true;
  if (c.deadlines.length > 0) return c.deadlines.some((d) => Date.parse(d.at) >= windowStart);
  return Date.parse(c.lastSeenAt) >= windowStart;
}

const better = (a: CoverageCall, b: CoverageCall): number => {
  if (a.eligibility !== b.eligibility) return a.eligibility === 'eligible' ? -1 : 1;
  if (a.score !== b.score) return b.score - a.score;
  const da = a.nextDeadline ? Date.parse(a.nextDeadline.at) : Number.POSITIVE_INFINITY;
  const db = b.nextDeadline ? Date.parse(b.nextDeadline.at) : Number.POSITIVE_INFINITY;
  return da - db || a.callId.localeCompare(b.callId);
};

function emptyFigures(): Record<PursuitStatus, PursuitFigures> {
  return Object.fromEntries(pursuitStatuses.map((s) => [s, { count: 0, applied: 0, granted: 0 }])) as Record<
    PursuitStatus,
    PursuitFigures
  >;
}

/**
 * The coverage report: per measure, the fitting calls (match score ≥ the list threshold, not
 * excluded) open now, the best of them, the nearest deadline, their stated budgets, and the
 * pursuits by status with amounts; measures with no fitting call in the last 12 months first
 * (funding gaps); per programme family, the fitting calls per action field.
 */
export function coverageReport(
  ctx: AppContext,
  options: { now?: Date; threshold?: number } = {},
): CoverageReport {
  const now = options.now ?? new Date();
  const threshold = options.threshold ?? getActiveRuleSet(ctx).rules.scoring.minScore;
  const windowStart = now.getTime() - GAP_WINDOW_DAYS * DAY;
  const concept = ctx.concept.concept;
  const s = ctx.dbh.sqlite;

  const fits = s
    .prepare(
      `select call_id as callId, target, score, eligibility from matches
       where score >= ? and eligibility != 'excluded'`,
    )
    .all(threshold) as FitRow[];
  const calls = reportCalls(ctx, [...new Set(fits.map((f) => f.callId))]);
  const statusOf = new Map(
    [...calls.values()].map((c) => [c.id, computeStatus(c.deadlines, c.openingDate ?? undefined, now)]),
  );
  const windowed = (id: string) => {
    const c = calls.get(id);
    return c !== undefined && inWindow(c, statusOf.get(id)!, windowStart);
  };
  const live = (id: string) => liveStatuses.includes(statusOf.get(id)!) && calls.get(id)?.delistedAt === null;

  const byTarget = new Map<string, FitRow[]>();
  for (const f of fits) {
    const list = byTarget.get(f.target);
    if (list) list.push(f);
    else byTarget.set(f.target, [f]);
  }

  const pursuitRows = s
    .prepare(
      `select pm.measure_id as measureId, p.status, p.amount_applied as applied, p.amount_granted as granted
       from pursuit_measures pm join pursuits p on p.id = pm.pursuit_id`,
    )
    .all() as { measureId: string; status: PursuitStatus; applied: number | null; granted: number | null }[];

  const pursuitsOf = new Map<string, typeof pursuitRows>();
  for (const p of pursuitRows) pursuitsOf.set(p.measureId, [...(pursuitsOf.get(p.measureId) ?? []), p]);

  const measures: MeasureCoverage[] = [];
  for (const field of concept.actionFields) {
    for (const m of field.measures) {
      const rows = (byTarget.get(m.id) ?? []).filter((r) => calls.has(r.callId));
      const open = rows.filter((r) => live(r.callId));
      const views = open.map((r): CoverageCall => {
        const c = calls.get(r.callId)!;
        const next = nextDeadline(c.deadlines, now);
        return {
          callId: c.id,
          title: c.title,
          programme: c.programme,
          score: r.score,
          eligibility: r.eligibility,
          status: statusOf.get(c.id)!,
          nextDeadline: next && Date.parse(next.at) >= now.getTime() ? next : null,
        };
      });
      const nearest = views
        .filter((v) => v.nextDeadline)
        .sort(
          (a, b) =>
            Date.parse(a.nextDeadline!.at) - Date.parse(b.nextDeadline!.at) ||
            a.callId.localeCompare(b.callId),
        )[0];
      const budgets = open
        .map((r) => calls.get(r.callId)!.budget)
        .filter((b) => b?.total !== undefined && (b.currency ?? 'EUR') === 'EUR');
      const figures = emptyFigures();
      for (const p of pursuitsOf.get(m.id) ?? []) {
        const f = figures[p.status];
        f.count++;
        f.applied += p.applied ?? 0;
        f.granted += p.granted ?? 0;
      }
      const fitting = rows.filter((r) => windowed(r.callId)).length;
      measures.push({
        measureId: m.id,
        actionFieldKey: field.key,
        actionFieldNumber: field.number,
        number: m.number,
        text: m.text,
        gap: fitting === 0,
        fittingLast12Months: fitting,
        openCalls: open.length,
        best: [...views].sort(better)[0] ?? null,
        nearestDeadline: nearest?.nextDeadline
          ? { callId: nearest.callId, at: nearest.nextDeadline.at, timeZone: nearest.nextDeadline.timeZone }
          : null,
        budgetTotal: budgets.reduce((sum, b) => sum + (b?.total ?? 0), 0),
        budgetCalls: budgets.length,
        pursuits: figures,
      });
    }
  }
  measures.sort(
    (a, b) =>
      Number(b.gap) - Number(a.gap) || a.actionFieldNumber - b.actionFieldNumber || a.number - b.number,
  );

  // Per family and field: distinct calls fitting the field itself or one of its measures.
  const fieldOf = new Map<string, string>();
  for (const f of concept.actionFields) {
    fieldOf.set(f.key, f.key);
    for (const m of f.measures) fieldOf.set(m.id, f.key);
  }
  const families = new Map<string, { calls: Set<string>; fields: Map<string, Set<string>> }>();
  for (const r of fits) {
    const fieldKey = fieldOf.get(r.target);
    if (!fieldKey || !windowed(r.callId)) continue;
    const c = calls.get(r.callId)!;
    const name = programmeFamily(c.programme, c.source);
    const fam = families.get(name) ?? { calls: new Set<string>(), fields: new Map<string, Set<string>>() };
    fam.calls.add(c.id);
    const set = fam.fields.get(fieldKey) ?? new Set<string>();
    set.add(c.id);
    fam.fields.set(fieldKey, set);
    families.set(name, fam);
  }

  return {
    generatedAt: now.toISOString(),
    threshold,
    windowStart: new Date(windowStart).toISOString(),
    gaps: measures.filter((m) => m.gap).length,
    fields: concept.actionFields.map((f) => ({ key: f.key, number: f.number, name: f.name })),
    measures,
    families: [...families.entries()]
      .map(([family, f]) => ({
        family,
        calls: f.calls.size,
        fields: Object.fromEntries(
          concept.actionFields
            .filter((a) => f.fields.has(a.key))
            .map((a) => [a.key, f.fields.get(a.key)!.size]),
        ),
      }))
      .sort((a, b) => b.calls - a.calls || a.family.localeCompare(b.family)),
  };
}
