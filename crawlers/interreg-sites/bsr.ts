/** Interreg Baltic Sea Region (WordPress): REST API posts, or the RSS feed. Pure. */
import * as cheerio from 'cheerio';
import type { Call } from '../../src/domain/call.ts';
import { CrawlError } from '../errors.ts';
import { oneLine } from '../facts.ts';
import { programmeAreas } from '../interreg-areas.ts';
import { blockText, htmlToText, slug } from '../page.ts';
import { sha256 } from '../text.ts';
import {
  CALL_TITLE,
  layoutChanged,
  type PageContext,
  type ParseResult,
  programmeCall,
  type RecordError,
} from './common.ts';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export interface WpPost {
  id: string;
  title: string;
  link: string;
  published: string;
  categories: string[];
  html: string;
}

/** Posts from `/wp-json/wp/v2/posts?_embed=wp:term`. */
export function parseWpPosts(body: string, ctx: PageContext): WpPost[] {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (err) {
    throw new CrawlError('parse', `WordPress API answer is not JSON: ${(err as Error).message}`, {
      url: ctx.url,
      cause: err,
    });
  }
  if (!Array.isArray(json)) throw layoutChanged(ctx.url, 'WordPress API answer is not a list of posts');
  return json.map((p: Record<string, unknown>) => {
    const rendered = (v: unknown) => str((v as { rendered?: unknown } | undefined)?.rendered);
    const terms = ((p._embedded as Record<string, unknown> | undefined)?.['wp:term'] ?? []) as unknown[];
    const categories = terms
      .flat()
      .filter(
        (t): t is { name: string; taxonomy?: string } => typeof (t as { name?: unknown })?.name === 'string',
      )
      .filter((t) => (t.taxonomy ?? 'category') === 'category')
      .map((t) => t.name);
    return {
      id: String(p.id),
      title: htmlToText(rendered(p.title)),
      link: str(p.link),
      published: str(p.date_gmt) ? `${str(p.date_gmt)}Z` : str(p.date),
      categories,
      html: rendered(p.content) || rendered(p.excerpt),
    };
  });
}

/** Posts from the RSS feed (`/feed/`); the post id comes from the `?p=` guid. */
export function parseRssFeed(xml: string, ctx: PageContext): WpPost[] {
  const $ = cheerio.load(xml, { xml: true });
  if ($('rss > channel').length === 0) throw layoutChanged(ctx.url, 'not an RSS feed');
  return $('channel > item')
    .toArray()
    .map((el) => {
      const item = $(el);
      const guid = item.find('guid').text();
      const link = item.find('link').text().trim();
      const pubDate = item.find('pubDate').text();
      return {
        id: /[?&]p=(\d+)/.exec(guid)?.[1] ?? slug(link),
        title: oneLine(item.find('title').text()),
        link,
        published: pubDate ? new Date(pubDate).toISOString() : '',
        categories: item
          .find('category')
          .map((_i, c) => oneLine($(c).text()))
          .get(),
        html: item.find('content\\:encoded').text() || item.find('description').text(),
      };
    });
}

/** BSR posts that are calls: in the "Calls" category, or a title that announces a call. */
export function bsrPostsToCalls(posts: readonly WpPost[], ctx: PageContext): ParseResult {
  const area = programmeAreas.bsr;
  const calls: Call[] = [];
  const errors: RecordError[] = [];
  for (const post of posts) {
    const isCall = post.categories.some((c) => /^calls?$/i.test(c)) || CALL_TITLE.test(post.title);
    if (!isCall) continue;
    try {
      if (!post.title) throw new Error('post without a title');
      const $ = cheerio.load(post.html);
      const text = blockText($, $('body'));
      calls.push(
        programmeCall(
          area,
          {
            sourceId: `bsr:post-${post.id}`,
            title: post.title,
            text,
            html: post.html,
            url: post.link || ctx.url,
            hash: sha256(`${post.title}\n${text}`),
            keywords: post.categories.filter((c) => !/^all$/i.test(c)),
            extra: { raw: { id: post.id, published: post.published, categories: post.categories } },
          },
          ctx,
        ),
      );
    } catch (err) {
      errors.push({ id: `bsr:post-${post.id}`, message: err instanceof Error ? err.message : String(err) });
    }
  }
  return { calls, errors };
}
