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
      `insert into matches (call_id, target, target_kind, score, eligibility, reason, reason_en, rule_version, matched_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (call_id, target) do update set score = excluded.score, eligibility = excluded.eligibility,
         reason = excluded.reason, reason_en = excluded.reason_en`,
    )
    .run(
      m.callId,
      m.target,
      kind,
      m.score,
      m.eligibility ?? 'eligible',
      m.reason ?? `Passt zu ${m.target}`,
      m.reasonEn ?? `Fits ${m.target}`,
      m.ruleVersion ?? 1,
      m.matchedAt ?? new Date().toISOString(),
    );
}
