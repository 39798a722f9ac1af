import { conceptIndex } from '../concept/load.ts';
import type { AppContext } from '../context.ts';
import { dataGeneration } from '../sql.ts';
import { type CoverageReport, coverageReport } from './report.ts';

export interface FieldGaps {
  actionFieldKey: string;
  actionFieldNumber: number;
  actionFieldName: string;
  /** Followed measures of the field without a fitting call in the last 12 months. */
  gaps: number;
  /** Followed measures of the field. */
  measures: number;
}

/** One report per data generation and day: a digest run asks once per subscriber. */
const memo = new WeakMap<AppContext['dbh'], { key: string; report: CoverageReport }>();

function reportFor(ctx: AppContext, now: Date): CoverageReport {
  const key = `${dataGeneration(ctx.dbh.sqlite)}|${now.toISOString().slice(0, 10)}`;
  const hit = memo.get(ctx.dbh);
  if (hit?.key === key) return hit.report;
  const report = coverageReport(ctx, { now });
  memo.set(ctx.dbh, { key, report });
  return report;
}

/**
 * Funding gaps per followed action field, for the digest's line "3 Maßnahmen ohne passenden
 * Aufruf": all measures of a followed field count, of a field followed only through some
 * measures just those.
 */
export function gapsByField(
  ctx: AppContext,
  follows: { actionFields: readonly string[]; measures: readonly string[] },
  now: Date,
): FieldGaps[] {
  const idx = conceptIndex(ctx.concept.concept);
  const followed = new Set(follows.measures);
  const fieldKeys = new Set([
    ...follows.actionFields.filter((k) => idx.fields.has(k)),
    ...follows.measures
      .map((m) => idx.measures.get(m)?.actionFieldKey)
      .filter((k): k is string => k !== undefined),
  ]);
  if (fieldKeys.size === 0) return [];
  const report = reportFor(ctx, now);
  return [...fieldKeys]
    .map((key) => {
      const field = idx.fields.get(key)!;
      const whole = follows.actionFields.includes(key);
      const ms = report.measures.filter(
        (m) => m.actionFieldKey === key && (whole || followed.has(m.measureId)),
      );
      return {
        actionFieldKey: key,
        actionFieldNumber: field.number,
        actionFieldName: field.name,
        gaps: ms.filter((m) => m.gap).length,
        measures: ms.length,
      };
    })
    .sort((a, b) => a.actionFieldNumber - b.actionFieldNumber);
}
