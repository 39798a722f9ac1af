/** eu-ft: the fetch walk — search pages, then Topic Details for new or changed topics. */
import { CrawlError, isCrawlError } from '../errors.ts';
import type { CrawlContext, CrawlItem } from '../types.ts';
import { parseTopicDetails, topicDetailsUrl } from './details.ts';
import { toCall } from './normalize.ts';
import { dedupeHits, parseSearchPage, type SearchHit, searchBody, searchUrl } from './search.ts';

export async function* crawl(ctx: CrawlContext): AsyncGenerator<CrawlItem> {
  const { api, portal } = ctx.baseUrls as { api: string; portal: string };
  const pageSize = ctx.config.crawl.euFt.pageSize;
  const hits: SearchHit[] = [];
  let complete = false;
  // Rows read against the largest `totalResults` any page stated: an empty page 2 under a
  // stated 9 is a short read, not the end of the listing.
  let rowsRead = 0;
  let stated: number | undefined;
  for (let page = 1; page <= 1000; page++) {
    const url = searchUrl(api, pageSize, page);
    let parsed: ReturnType<typeof parseSearchPage>;
    try {
      const res = await ctx.http.requestJson(url, { method: 'POST', body: searchBody() });
      parsed = parseSearchPage(res.json);
    } catch (err) {
      // A broken page ends the listing early (partial run); page 1 failing means we have nothing.
      if (!isCrawlError(err) || err.critical || page === 1) throw err;
      yield { type: 'error', error: err };
      break;
    }
    for (const p of parsed.problems) {
      // Truncated JSON-in-string fields are common upstream: the record stays, the value is dropped.
      if (p.level === 'field') ctx.logger.debug({ ref: p.ref, url }, p.message);
      else yield { type: 'error', error: new CrawlError('parse', `${p.ref}: ${p.message}`, { url }) };
    }
    hits.push(...parsed.hits);
    rowsRead += parsed.resultCount;
    if (parsed.totalResults !== undefined) stated = Math.max(stated ?? 0, parsed.totalResults);
    ctx.progress('search pages', page);
    if (parsed.resultCount < pageSize) {
      complete = true;
      break;
    }
  }

  const topics = dedupeHits(hits);
  let done = 0;
  for (const hit of topics) {
    const id = `eu-ft:${hit.sourceId}`;
    const known = ctx.known(id);
    done++;
    ctx.progress('topics', done, topics.length);
    if (known && known.fingerprint === hit.fingerprint && !known.delisted) {
      yield { type: 'seen', id, fingerprint: hit.fingerprint };
      continue;
    }
    const fetchedAt = new Date().toISOString();
    // Cascade calls (type 8) live on the project's own site and have no Topic Details.
    if (hit.type === '8') {
      yield {
        type: 'call',
        call: toCall(hit, undefined, {
          now: ctx.now,
          portalBase: portal,
          fetchedAt,
          sourceUrl: searchUrl(api, pageSize, 1),
        }),
        fingerprint: hit.fingerprint,
      };
      continue;
    }
    const detailsUrl = topicDetailsUrl(portal, hit.identifier);
    try {
      const res = await ctx.http.requestJson(detailsUrl);
      const details = parseTopicDetails(res.json);
      yield {
        type: 'call',
        call: toCall(hit, details, { now: ctx.now, portalBase: portal, fetchedAt, sourceUrl: detailsUrl }),
        fingerprint: hit.fingerprint,
      };
    } catch (err) {
      if (isCrawlError(err) && !err.critical) {
        // The stored version (if any) stays as it was; the next run tries again (no fingerprint stored).
        yield {
          type: 'error',
          error: new CrawlError(err.kind, `${hit.identifier}: ${err.message}`, {
            url: detailsUrl,
            errorClass: err.errorClass,
          }),
        };
        if (known) yield { type: 'seen', id };
        continue;
      }
      throw err;
    }
  }
  yield {
    type: 'listing',
    ids: topics.map((h) => `eu-ft:${h.sourceId}`),
    complete,
    ...(stated !== undefined
      ? { counts: [{ label: searchUrl(api, pageSize, 1), stated, read: rowsRead }] }
      : {}),
  };
}
