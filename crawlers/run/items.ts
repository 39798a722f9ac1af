/** The upsert step: what one `call` or `seen` item of an adapter does to the stored calls and the tally. */
import type { Logger } from 'pino';
import { getCall, setListFingerprint, touchCall, upsertCall } from '../../src/calls/store.ts';
import type { AppContext } from '../../src/context.ts';
import { archivedFrom, computeStatus, type Deadline } from '../../src/domain/call.ts';
import type { CrawlItem, SourceAdapter } from '../types.ts';
import type { RunTally } from './types.ts';

export interface ItemScope {
  db: AppContext['dbh']['db'];
  adapter: SourceAdapter;
  now: Date;
  runId: number;
  logger: Logger;
}

/** A freshly fetched call: upserted, counted as new, changed or unchanged. */
export function storeCall(
  { db, now, runId, logger }: ItemScope,
  s: RunTally,
  item: Extract<CrawlItem, { type: 'call' }>,
): void {
  let outcome: ReturnType<typeof upsertCall>;
  try {
    outcome = upsertCall(db, item.call, {
      now,
      crawlRunId: runId,
      onWarning: (message) => logger.warn({ callId: item.call.id }, message),
    });
  } catch (err) {
    // A record that fails the Call schema is one bad record, not a broken source.
    const message = err instanceof Error ? err.message.slice(0, 500) : String(err);
    s.errors.push({
      kind: 'parse',
      url: item.call.provenance?.sourceUrl,
      message: `${item.call.id}: ${message}`,
    });
    return;
  }
  // A published date that does not exist was left out, not rolled over: say so.
  for (const n of item.call.notices)
    if (n.startsWith('invalid-date:'))
      logger.warn(
        { callId: item.call.id, url: item.call.provenance?.sourceUrl },
        `${item.call.id}: date "${n.slice(13).trim()}" does not exist; no deadline taken from it`,
      );
  setListFingerprint(db, item.call.id, item.fingerprint ?? null);
  if (outcome === 'new') s.newCount++;
  else if (outcome === 'changed') s.changedCount++;
  else s.unchangedCount++;
  if (outcome !== 'unchanged') s.touched.push(item.call.id);
}

/** A listed, unchanged call: only "last seen" moves, unless time has moved its dates or status. */
export function storeSeen(
  { db, adapter, now, runId }: ItemScope,
  s: RunTally,
  item: Extract<CrawlItem, { type: 'seen' }>,
): void {
  const stored = getCall(db, item.id);
  if (!stored) return;
  // Time passes: a listed call whose deadline has gone by is closed by the dates, and a
  // yearly deadline moves on to its next date, with history.
  const deadlines = adapter.deadlinesAsOf?.(stored, now) ?? stored.deadlines;
  const status = computeStatus(deadlines, stored.openingDate, now, archivedFrom(stored));
  const key = (ds: readonly Deadline[]) =>
    ds.map((d) => `${d.at}|${d.stage}|${d.raw}|${d.label ?? ''}`).join('\n');
  const { firstSeenAt: _f, lastSeenAt: _l, delistedAt: _d, ...call } = stored;
  if (
    (status !== stored.status || key(deadlines) !== key(stored.deadlines)) &&
    upsertCall(db, { ...call, deadlines, status }, { now, crawlRunId: runId }) === 'changed'
  ) {
    s.changedCount++;
    s.touched.push(item.id);
  } else s.unchangedCount++;
  touchCall(db, item.id, { now, fingerprint: item.fingerprint });
}
