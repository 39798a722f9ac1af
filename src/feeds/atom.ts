import { Feed } from 'feed';
import type { AppContext } from '../context.ts';
import { escapeHtml, safeUrl } from '../digest/html.ts';
import { callPageUrl, publicHost } from '../digest/links.ts';
import { type FeedQuery, selectMatchingCalls } from './selection.ts';

export const FEED_LIMIT = 100;

/**
 * New matches as Atom, newest call first. Entry ids are tag URIs of the call, so a reader
 * shows each call once however often it is re-matched.
 */
export function buildAtomFeed(ctx: AppContext, q: FeedQuery, selfUrl: string): string {
  const base = ctx.config.publicBaseUrl;
  const host = publicHost(ctx.config);
  const selected = selectMatchingCalls(ctx, q, ['open', 'forthcoming', 'open-ended'])
    .sort(
      (a, b) => b.call.firstSeenAt.localeCompare(a.call.firstSeenAt) || a.call.id.localeCompare(b.call.id),
    )
    .slice(0, FEED_LIMIT);
  const updated = selected[0]?.call.firstSeenAt ?? '1970-01-01T00:00:00.000Z';
  const feed = new Feed({
    id: `tag:${host},2026:foerdermatch/matches`,
    title: 'foerdermatch – neue passende Förderaufrufe / new matching funding calls',
    link: base,
    feedLinks: { atom: selfUrl },
    updated: new Date(updated),
    generator: 'foerdermatch',
    language: 'de',
    copyright: 'Texte der Quellen / source texts: see each call',
  });
  for (const s of selected) {
    const c = s.call;
    const pageUrl = callPageUrl(ctx.config, c.id);
    const deadline = c.deadlines.find((d) => Date.parse(d.at) >= Date.now()) ?? c.deadlines.at(-1);
    feed.addItem({
      id: `tag:${host},2026:call/${encodeURIComponent(c.id)}`,
      // The library declares title and summary as type="html": crawled text is escaped first so
      // a reader shows it as text, never as markup.
      title: escapeHtml(c.title),
      link: safeUrl(c.url) ?? pageUrl,
      date: new Date(c.firstSeenAt),
      published: new Date(c.firstSeenAt),
      description: escapeHtml(
        [
          c.programme,
          `Passung / fit ${s.score}/100 – ${s.reason}`,
          deadline ? `Frist / deadline: ${deadline.raw} (${deadline.at})` : undefined,
          s.eligibility === 'unclear' ? 'Antragsberechtigung unklar / eligibility unclear' : undefined,
          pageUrl,
        ]
          .filter(Boolean)
          .join(' · '),
      ),
      category: [{ term: s.target }],
    });
  }
  return feed.atom1();
}
