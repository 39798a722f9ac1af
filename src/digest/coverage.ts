import { desc, isNotNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { crawlRuns, sources } from '../../db/schema/index.ts';
import type { CoverageNote } from './model.ts';

const fallbackNames: Record<string, string> = {
  'eu-ft': 'EU Funding & Tenders Portal',
  foerderdatenbank: 'Förderdatenbank des Bundes',
  interreg: 'Interreg',
  skew: 'SKEW (Engagement Global)',
};

/**
 * Sources whose most recent finished crawls did not succeed, so a reader knows what may be
 * missing from the digest. A source never crawled is not named (it may simply be disabled).
 */
export function coverageNotes(db: Db): CoverageNote[] {
  const names = new Map(
    db
      .select({ id: sources.id, name: sources.name })
      .from(sources)
      .all()
      .map((s) => [s.id as string, s.name]),
  );
  const runs = db
    .select({
      source: crawlRuns.source,
      outcome: crawlRuns.outcome,
      finishedAt: crawlRuns.finishedAt,
    })
    .from(crawlRuns)
    .where(isNotNull(crawlRuns.finishedAt))
    .orderBy(desc(crawlRuns.startedAt), desc(crawlRuns.id))
    .all();
  const bySource = new Map<string, typeof runs>();
  for (const r of runs) bySource.set(r.source, [...(bySource.get(r.source) ?? []), r]);

  const notes: CoverageNote[] = [];
  for (const [source, list] of bySource) {
    const firstOk = list.findIndex((r) => r.outcome === 'ok');
    const failedRuns = firstOk === -1 ? list.length : firstOk;
    const latest = list[0];
    if (failedRuns === 0 || !latest || latest.outcome === 'ok' || latest.outcome === 'running') continue;
    const lastOkAt = firstOk === -1 ? undefined : (list[firstOk]?.finishedAt ?? undefined);
    notes.push({
      source,
      name: names.get(source) ?? fallbackNames[source] ?? source,
      outcome: latest.outcome,
      failedRuns,
      ...(lastOkAt ? { lastOkAt } : {}),
    });
  }
  return notes.sort((a, b) => a.source.localeCompare(b.source));
}
