/** News lists of any programme site, and calls listed as sections (North Sea, South Baltic). Pure. */
import type { Call } from '../../src/domain/call.ts';
import { classifyDates } from '../deadlines.ts';
import { oneLine } from '../facts.ts';
import { type ProgrammeKey, programmeAreas } from '../interreg-areas.ts';
import { blockText, mainContent, slug } from '../page.ts';
import { sha256 } from '../text.ts';
import { CALL_TITLE, layoutChanged, MAIN, type PageContext, programmeCall } from './common.ts';

/**
 * A news list (article items with a date, a linked title and a teaser): items that announce a
 * call (a call word in the title, or an opening or deadline date in the teaser) become calls.
 */
export function parseNewsList(html: string, programme: ProgrammeKey, ctx: PageContext): Call[] {
  const area = programmeAreas[programme];
  const { $, main } = mainContent(html, MAIN[programme], ctx.url);
  const items = main.find('article, .news-item');
  if (items.length === 0) throw layoutChanged(ctx.url, 'no news items');
  const calls: Call[] = [];
  items.each((_i, el) => {
    const item = $(el);
    const link = item.find('h2 a, h3 a, a').first();
    const title = oneLine(link.text());
    const href = link.attr('href');
    if (!title || !href) return;
    const teaser = oneLine(item.find('.teaser, p').first().text());
    const classified = classifyDates(teaser, { timeZone: area.timeZone });
    const dated = classified.some((c) => c.kind !== 'other');
    if (!CALL_TITLE.test(title) && !dated) return;
    const url = new URL(href, ctx.url).toString();
    const itemSlug = slug(new URL(url).pathname.split('/').filter(Boolean).at(-1) ?? title);
    const published = item.find('time').attr('datetime');
    calls.push(
      programmeCall(
        area,
        {
          sourceId: `${programme}:news:${itemSlug}`,
          title,
          text: teaser,
          url,
          hash: sha256(`${title}\n${teaser}`),
          keywords: ['news'],
          extra: { summary: teaser, ...(published ? { raw: { published } } : {}) },
        },
        ctx,
      ),
    );
  });
  return calls;
}

/** Calls listed as sections (North Sea `article.call`, South Baltic `.call-entry`). */
function parseCallSections(html: string, programme: ProgrammeKey, ctx: PageContext): Call[] {
  const area = programmeAreas[programme];
  const { $, main } = mainContent(html, MAIN[programme], ctx.url);
  const sections = main.find('article.call, .call-entry, section.call');
  if (sections.length === 0) throw layoutChanged(ctx.url, 'no call sections');
  const areaText = main
    .children('p')
    .map((_i, p) => oneLine($(p).text()))
    .get()
    .join(' ');
  return sections.toArray().map((el) => {
    const section = $(el);
    const title = oneLine(section.find('h2, h3').first().text());
    if (!title) throw layoutChanged(ctx.url, 'call section without a heading');
    const text = blockText($, section);
    const status = oneLine(section.find('dt:contains("Status") + dd').text());
    return programmeCall(
      area,
      {
        sourceId: `${programme}:${slug(section.attr('id') ?? title)}`,
        title,
        text,
        html: $.html(section),
        url: section.attr('id') ? `${ctx.url}#${section.attr('id')}` : ctx.url,
        hash: sha256(text),
        applicants: areaText,
        extra: status ? { sourceStatus: status } : {},
      },
      ctx,
    );
  });
}

/** Interreg North Sea calls page. */
export function parseNorthSeaCalls(html: string, ctx: PageContext): Call[] {
  return parseCallSections(html, 'north-sea', ctx);
}

/** Interreg South Baltic calls page. */
export function parseSouthBalticCalls(html: string, ctx: PageContext): Call[] {
  return parseCallSections(html, 'south-baltic', ctx);
}
