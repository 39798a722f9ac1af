/** foerderdatenbank: the fetch walk — result lists by their own links, resume state, detail pages. */
import { CrawlError, isCrawlError } from '../errors.ts';
import type { CrawlContext, CrawlItem, ListingCount } from '../types.ts';
import { toCall } from './normalize.ts';
import { type ListEntry, parseDetailPage, parseResultList, type ResultList, searchUrls } from './parse.ts';

interface ResumeState {
  version: 1;
  savedAt: string;
  entries: ListEntry[];
}

function validResume(state: unknown, maxAgeHours: number, now: Date): ResumeState | undefined {
  const s = state as Partial<ResumeState> | null;
  if (s?.version !== 1 || !Array.isArray(s.entries) || typeof s.savedAt !== 'string') return undefined;
  return now.getTime() - Date.parse(s.savedAt) <= maxAgeHours * 3_600_000 ? (s as ResumeState) : undefined;
}

/** Walks every search by its own "weiter" links. Returns the entries and whether every page was read. */
async function* walkListing(
  ctx: CrawlContext,
  site: string,
): AsyncGenerator<CrawlItem, { entries: ListEntry[]; complete: boolean; counts: ListingCount[] }> {
  const entries = new Map<string, ListEntry>();
  let complete = true;
  let pages = 0;
  const counts: ListingCount[] = [];
  for (const start of searchUrls(site)) {
    const visited = new Set<string>();
    let url: string | undefined = start;
    // Each search states its hit count; the framework compares it with the programmes read.
    const count: ListingCount = { label: start, stated: 0, read: 0 };
    counts.push(count);
    while (url && !visited.has(url)) {
      visited.add(url);
      let list: ResultList;
      try {
        const res = await ctx.http.request(url);
        list = parseResultList(res.body, site);
      } catch (err) {
        if (!isCrawlError(err) || err.critical || pages === 0) throw err;
        yield { type: 'error', error: err };
        complete = false;
        break;
      }
      pages++;
      count.stated = Math.max(count.stated, list.hits);
      count.read += list.entries.length;
      for (const e of list.entries) entries.set(e.id, e);
      ctx.progress('result pages', pages);
      url = list.next;
    }
  }
  return { entries: [...entries.values()], complete, counts };
}

export async function* crawl(ctx: CrawlContext): AsyncGenerator<CrawlItem> {
  const { site } = ctx.baseUrls as { site: string };
  const cfg = ctx.config.crawl.foerderdatenbank;
  let entries: ListEntry[];
  let complete: boolean;
  let counts: ListingCount[] = [];
  const resumed = validResume(ctx.resume.get(), cfg.resumeMaxAgeHours, ctx.now);
  if (resumed) {
    ctx.logger.info(
      { entries: resumed.entries.length, savedAt: resumed.savedAt },
      'resuming from the saved listing',
    );
    entries = resumed.entries;
    complete = true;
  } else {
    const walk = walkListing(ctx, site);
    let step = await walk.next();
    while (!step.done) {
      yield step.value;
      step = await walk.next();
    }
    ({ entries, complete, counts } = step.value);
    // Only a complete listing is worth resuming from; the framework clears it after a good run.
    if (complete && counts.every((c) => c.read >= c.stated))
      ctx.resume.set({ version: 1, savedAt: ctx.now.toISOString(), entries } satisfies ResumeState);
  }

  let done = 0;
  for (const entry of entries) {
    done++;
    ctx.progress('programmes', done, entries.length);
    const known = ctx.known(entry.id);
    const stale =
      known && ctx.now.getTime() - Date.parse(known.fetchedAt) > cfg.detailRefreshDays * 86_400_000;
    const changed = !known || known.fingerprint !== entry.fingerprint || known.delisted;
    if (!changed && !stale) {
      yield { type: 'seen', id: entry.id, fingerprint: entry.fingerprint };
      continue;
    }
    try {
      // Conditional when we hold a copy: a 304 means the page (our source of truth) is unchanged.
      const res = await ctx.http.request(entry.url, { conditional: known !== undefined });
      if (res.notModified) {
        yield { type: 'seen', id: entry.id, fingerprint: entry.fingerprint };
        continue;
      }
      const page = parseDetailPage(res.body);
      yield {
        type: 'call',
        call: toCall(entry, page, { now: ctx.now, fetchedAt: new Date().toISOString() }),
        fingerprint: entry.fingerprint,
      };
    } catch (err) {
      if (!isCrawlError(err) || err.critical) throw err;
      yield {
        type: 'error',
        error: new CrawlError(err.kind, `${entry.sourceId}: ${err.message}`, {
          url: entry.url,
          errorClass: err.errorClass,
        }),
      };
      if (known) yield { type: 'seen', id: entry.id };
    }
  }
  yield { type: 'listing', ids: entries.map((e) => e.id), complete, counts };
}
