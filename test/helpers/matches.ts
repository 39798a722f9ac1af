import type { AppContext } from '../../src/context.ts';

/**
 * Writes a match row directly, for tests of the reading side (lists, filters, feedback) that
 * should not depend on how the matcher scores.
 */
export function insertMatch(
  ctx: AppContext,
  m: {
    callId: string;
    target: string;
    score: number;
    eligibility?: 'eligible' | 'unclear' | 'excluded';
    reason?: string;
    reasonEn?: string;
    ruleVersion?: number;
    matchedAt?: string;
  },
): void {
  const kind = /-\d+$/.test(m.target) ? 'measure' : 'action-field';
  ctx.dbh.sqlite
    .prepare(
      `insert into matches (call_id, target, target_kind, score, eligibility, reason, explanation, rule_version, matched_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (call_id, target) do update set score = excluded.score, eligibility = excluded.eligibility,
         reason = excluded.reason, explanation = excluded.explanation`,
    )
    .run(
      m.callId,
      m.target,
      kind,
      m.score,
      m.eligibility ?? 'eligible',
      m.reason ?? `Passt zu ${m.target}`,
      JSON.stringify({ reasonEn: m.reasonEn ?? `Fits ${m.target}`, rules: [] }),
      m.ruleVersion ?? 1,
      m.matchedAt ?? new Date().toISOString(),
    );
}
