/**
 * The delisting step: the run's outcome from how it ended and what its listing covered. Only a
 * complete listing that is not suspiciously short marks calls "no longer listed".
 */
import { eq } from 'drizzle-orm';
import { sources } from '../../db/schema/index.ts';
import { markDelisted } from '../../src/calls/store.ts';
import type { AppContext } from '../../src/context.ts';
import type { CrawlError } from '../errors.ts';
import type { CrawlItem, SourceAdapter } from '../types.ts';
import type { RunSummary, RunTally } from './types.ts';

export function ensureSourceRow(ctx: AppContext, adapter: SourceAdapter, now: Date) {
  const { db } = ctx.dbh;
  db.insert(sources)
    .values({ id: adapter.id, name: adapter.name, updatedAt: now.toISOString() })
    .onConflictDoNothing()
    .run();
  return db.select().from(sources).where(eq(sources.id, adapter.id)).get()!;
}

/** The outcome of a run; after a complete, plausible listing, marks the calls it no longer lists. */
export function decideOutcome(
  ctx: AppContext,
  adapter: SourceAdapter,
  run: {
    sourceRow: ReturnType<typeof ensureSourceRow>;
    fatal: CrawlError | undefined;
    listing: Extract<CrawlItem, { type: 'listing' }> | undefined;
    now: Date;
    finishedAt: Date;
    s: RunTally;
  },
): RunSummary['outcome'] {
  const { db } = ctx.dbh;
  const { sourceRow, fatal, listing, now, finishedAt, s } = run;
  let outcome: RunSummary['outcome'];
  if (fatal) {
    outcome = fatal.kind === 'blocked' || fatal.kind === 'robots' ? 'blocked' : 'failed';
  } else if (!listing) {
    outcome = 'failed';
    s.errors.push({ kind: 'layout', message: 'source ended without reporting its listing' });
  } else {
    const lastGood = sourceRow.lastGoodListingCount;
    const tooShort =
      lastGood !== null && lastGood > 0 && listing.ids.length < ctx.config.crawl.partialRatio * lastGood;
    if (tooShort) {
      s.errors.push({
        kind: 'layout',
        message: `listing returned ${listing.ids.length} calls, last good listing ${lastGood}: treated as partial`,
      });
    }
    // Fewer rows read than the source says it holds: a page came back empty or short.
    const shortfalls = (listing.counts ?? []).filter((c) => c.read < c.stated);
    for (const c of shortfalls) {
      s.errors.push({
        kind: 'layout',
        message: `listing read ${c.read} of the ${c.stated} rows the source states (${c.label}): treated as partial`,
      });
    }
    const complete = listing.complete && shortfalls.length === 0;
    if (!listing.complete && !tooShort) s.errors.push({ kind: 'layout', message: 'listing incomplete' });
    if (complete && !tooShort) {
      const delisted = markDelisted(db, adapter.id, new Set(listing.ids), now);
      s.delistedCount = delisted.length;
      s.touched.push(...delisted);
      db.update(sources)
        .set({
          lastGoodListingCount: listing.ids.length,
          resumeState: null,
          updatedAt: finishedAt.toISOString(),
        })
        .where(eq(sources.id, adapter.id))
        .run();
      outcome = s.errors.length > 0 ? 'partial' : 'ok';
    } else outcome = 'partial';
  }
  return outcome;
}
