import type { Db } from '../../db/client.ts';
import { matches } from '../../db/schema/index.ts';

/** A stored match row, as the matching engine writes it (the digest's input). */
export function insertMatch(
  db: Db,
  m: {
    callId: string;
    target: string;
    score: number;
    eligibility?: 'eligible' | 'unclear' | 'excluded';
    reason?: string;
    reasonEn?: string;
    matchedAt?: string;
  },
): void {
  const targetKind = /-\d+$/.test(m.target) ? 'measure' : 'action-field';
  db.insert(matches)
    .values({
      callId: m.callId,
      target: m.target,
      targetKind,
      score: m.score,
      eligibility: m.eligibility ?? 'eligible',
      reason: m.reason ?? `Passt zu ${m.target}`,
      explanation: { reasonEn: m.reasonEn ?? `Fits ${m.target}`, rules: [] },
      ruleVersion: 1,
      matchedAt: m.matchedAt ?? new Date().toISOString(),
    })
    .onConflictDoUpdate({
      target: [matches.callId, matches.target],
      set: { score: m.score, eligibility: m.eligibility ?? 'eligible' },
    })
    .run();
}
