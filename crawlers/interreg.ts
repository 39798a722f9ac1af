/**
 * Source `interreg`: the aggregated call index on interreg.eu (a hosted Algolia search fed from
 * keep.eu; pure parse functions in `interreg/algolia.ts`) plus the programme sites that matter for
 * Kiel, watched directly (parsers in `interreg-sites.ts`, fetch steps in `interreg/walk.ts`). The
 * adapter here runs them; when the index refuses us even with a freshly read key, the programme
 * sites still count and the run is partial.
 */
import type { Call } from '../src/domain/call.ts';
import { CrawlError, toCrawlError } from './errors.ts';
import { ALGOLIA_FROM_APP_ID, crawlAlgolia, programmePages } from './interreg/walk.ts';
import { programmeAreas } from './interreg-areas.ts';
import type { ParseResult, RecordError } from './interreg-sites.ts';
import { joinTwins } from './interreg-twins.ts';
import type { CrawlItem, ListingCount, SourceAdapter } from './types.ts';

export {
  ALGOLIA_DEFAULT_INDEX,
  ALGOLIA_FILTERS,
  ALGOLIA_HITS_PER_PAGE,
  type AlgoliaConfig,
  algoliaHitToCall,
  algoliaQueryBody,
  parseAlgoliaHits,
  readAlgoliaConfig,
} from './interreg/algolia.ts';
export {
  ALGOLIA_FROM_APP_ID,
  algoliaBase,
  crawlAlgolia,
  INTERREG_PATHS,
  programmePages,
} from './interreg/walk.ts';

/** A record-level problem as the framework's error item. */
const recordError = (e: RecordError, url?: string): CrawlItem => ({
  type: 'error',
  error: new CrawlError('parse', `${e.id}: ${e.message}`, url ? { url } : {}),
});

export const interreg: SourceAdapter = {
  id: 'interreg',
  name: 'Interreg (interreg.eu index; Deutschland-Danmark, Baltic Sea Region, North Sea, South Baltic)',
  defaultBaseUrls: {
    site: 'https://interreg.eu',
    algolia: ALGOLIA_FROM_APP_ID,
    deDk: 'https://www.interreg-de-dk.eu',
    bsr: 'https://interreg-baltic.eu',
    northSea: 'https://www.interregnorthsea.eu',
    southBaltic: 'https://southbaltic.eu',
  },
  async *crawl(ctx) {
    let complete = true;
    const steps = 1 + programmePages.length;
    ctx.progress('interreg.eu index', 0, steps);
    let index: Call[] = [];
    const counts: ListingCount[] = [];
    try {
      const result = await crawlAlgolia(ctx, ctx.config.crawl.interreg.algolia);
      index = result.calls;
      // One page of up to 500 hits: more stated hits than returned means the index was not read whole.
      counts.push({ label: 'interreg.eu index (Algolia)', stated: result.nbHits, read: result.hitCount });
      for (const e of result.errors) yield recordError(e);
    } catch (err) {
      // The index is down or refuses us even with a fresh key: the programme sites still count,
      // but the listing is incomplete, so nothing from the index is marked "no longer listed".
      const e = toCrawlError(err);
      complete = false;
      yield {
        type: 'error',
        error: new CrawlError(e.kind, `interreg.eu index unavailable, programme sites only: ${e.message}`, {
          ...(e.url ? { url: e.url } : {}),
          ...(e.status ? { status: e.status } : {}),
          errorClass: 'non-retryable',
        }),
      };
    }
    // Calls are handed on once every page is read: an index entry may repeat a site's call.
    const callPages: Call[] = [];
    const announced: Call[] = [];
    /** Programmes whose own call page could not be read in this run. */
    const unread = new Set<string>();
    let fatal: CrawlError | undefined;
    let done = 1;
    for (const site of programmePages) {
      ctx.progress(site.label, done++, steps);
      let result: ParseResult;
      try {
        result = await site.read(ctx);
      } catch (err) {
        const e = toCrawlError(err);
        // A changed layout, robots.txt or a block page stops the run (after what was read is
        // handed on); one unreachable page does not.
        if (site.programme) unread.add(programmeAreas[site.programme].name);
        if (e.critical) {
          fatal = e;
          // The pages after it are not read either.
          for (const rest of programmePages.slice(done - 1))
            if (rest.programme) unread.add(programmeAreas[rest.programme].name);
          break;
        }
        complete = false;
        yield { type: 'error', error: e };
        continue;
      }
      (site.announces ? announced : callPages).push(...result.calls);
      for (const e of result.errors) yield recordError(e);
    }
    const joined = joinTwins(index, callPages);
    for (const t of joined.twins)
      ctx.logger.info(t, 'interreg.eu index entry repeats a programme site call; kept once');
    const ids: string[] = [];
    for (const call of [...callPages, ...announced]) {
      ids.push(call.id);
      yield { type: 'call', call };
    }
    for (const call of joined.index) {
      // Its twin may be on the programme page that failed: an entry stored before stays listed
      // as it is, a new one waits for the next run rather than becoming a second copy.
      if (call.programme && unread.has(call.programme)) {
        if (ctx.known(call.id)) {
          ids.push(call.id);
          yield { type: 'seen', id: call.id };
        } else ctx.logger.info({ id: call.id }, 'index entry held back: its programme page was not read');
        continue;
      }
      ids.push(call.id);
      yield { type: 'call', call };
    }
    if (fatal) throw fatal;
    ctx.progress('done', steps, steps);
    yield { type: 'listing', ids, complete, counts };
  },
};
