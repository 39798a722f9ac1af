/**
 * Interreg programme sites watched directly, as pure parse functions: Deutschland-Danmark
 * (deadlines, Pool für kürzere Projekte, Bürgerprojektefonds, news), Baltic Sea Region
 * (WordPress REST API or RSS), North Sea and South Baltic (calls, news). Text in, validated Calls out.
 */
import * as cheerio from 'cheerio';
import type { Call } from '../src/domain/call.ts';
import type { ApplicantType } from '../src/domain/enums.ts';
import { classifyDates, toDeadlines, toOpening } from './deadlines.ts';
import { CrawlError } from './errors.ts';
import { applicantTypesFromText, findBudget, findFundingRate, oneLine } from './facts.ts';
import { type ProgrammeArea, type ProgrammeKey, programmeAreas } from './interreg-areas.ts';
import { blockText, type CallDraft, finishCall, htmlToText, mainContent, slug } from './page.ts';
import { sanitizeHtml, sha256 } from './text.ts';

export interface PageContext {
  /** The URL the text was fetched from (after the base-URL mapping: for provenance). */
  url: string;
  fetchedAt: Date;
}

/** One record that could not be read; the others of the page still count. */
export interface RecordError {
  id: string;
  message: string;
}

export interface ParseResult {
  calls: Call[];
  errors: RecordError[];
}

export const INTERREG_FUNDER = 'European Union (ERDF, Interreg)';

export function layoutChanged(url: string, what: string): CrawlError {
  return new CrawlError('layout', `layout not recognised on ${url}: ${what}`, { url });
}

/** Builds a call of a programme site from one section of text. */
function programmeCall(
  area: ProgrammeArea,
  fields: {
    sourceId: string;
    title: string;
    text: string;
    html?: string;
    url: string;
    hash: string;
    /** Kind of a date with no telling words before it (a list under "Antragsfristen"). */
    fallback?: 'deadline' | 'other';
    applicants?: string;
    keywords?: string[];
    extra?: Partial<CallDraft>;
  },
  ctx: PageContext,
): Call {
  const classified = classifyDates(fields.text, { timeZone: area.timeZone, fallback: fields.fallback });
  const rate = findFundingRate(fields.text);
  const budget = findBudget(fields.text);
  const openingDate = toOpening(classified);
  const applicantTypes: ApplicantType[] = fields.applicants ? applicantTypesFromText(fields.applicants) : [];
  return finishCall(
    {
      id: `interreg:${fields.sourceId}`,
      source: 'interreg',
      sourceId: fields.sourceId,
      funder: INTERREG_FUNDER,
      operator: area.name,
      programme: area.name,
      title: fields.title,
      summary: fields.text.split('\n').find((l) => l.length > 40 && l !== fields.title) ?? '',
      description: fields.text,
      ...(fields.html ? { descriptionHtml: sanitizeHtml(fields.html) } : {}),
      url: fields.url,
      language: area.language,
      ...(openingDate ? { openingDate } : {}),
      deadlines: toDeadlines(classified),
      ...(rate ? { fundingRate: rate.rate } : {}),
      ...(budget ? { budget } : {}),
      applicantTypes,
      ...(fields.applicants ? { applicantsText: fields.applicants } : {}),
      countries: area.countries,
      nuts: area.nuts,
      keywords: fields.keywords ?? [],
      provenance: { sourceUrl: ctx.url, contentHash: fields.hash },
      ...fields.extra,
    },
    ctx.fetchedAt,
  );
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Where the main content sits on each programme site (first match wins). */
const MAIN = {
  'de-dk': ['main#content', 'main', '#content'],
  bsr: ['main', 'article', '.entry-content'],
  'north-sea': ['main', '#main'],
  'south-baltic': ['#content', 'main'],
} as const satisfies Record<ProgrammeKey, readonly string[]>;

/** Hash of a page's main content, for change detection independent of headers and footers. */
export function mainContentHash(html: string, programme: ProgrammeKey, url: string): string {
  return mainContent(html, MAIN[programme], url).hash;
}

/**
 * Interreg Deutschland-Danmark "Unsere Antragsfristen": one call per row of the deadlines
 * table (Antragsrunde | Öffnung | Antragsfrist | Verfügbare Mittel), with the rate and
 * eligibility stated on the page.
 */
export function parseDeDkDeadlines(html: string, ctx: PageContext): Call[] {
  const area = programmeAreas['de-dk'];
  const { $, main, text, hash } = mainContent(html, MAIN['de-dk'], ctx.url);
  const table = main.find('table').first();
  if (table.length === 0) throw layoutChanged(ctx.url, 'no deadlines table');
  const headers = table
    .find('thead th, tr:first-child th')
    .map((_i, th) => oneLine($(th).text()).toLowerCase())
    .get();
  const col = (re: RegExp) => headers.findIndex((h) => re.test(h));
  const [cRound, cOpen, cDeadline, cBudget] = [
    col(/runde|ausschreibung/),
    col(/öffnung/),
    col(/frist/),
    col(/mittel|budget/),
  ];
  if (cRound < 0 || cDeadline < 0)
    throw layoutChanged(ctx.url, `unexpected table columns: ${headers.join(' | ')}`);

  const intro = main
    .find('p')
    .map((_i, p) => oneLine($(p).text()))
    .get()
    .join('\n');
  const applicants = main
    .find('h2')
    .filter((_i, h) => /wer kann|antragsberechtigt/i.test($(h).text()))
    .first()
    .nextAll('ul')
    .first()
    .find('li')
    .map((_i, li) => oneLine($(li).text()))
    .get()
    .join('; ');
  const priorities = main
    .find('h2')
    .filter((_i, h) => /prioritäten/i.test($(h).text()))
    .first()
    .nextAll('ul')
    .first()
    .find('li')
    .map((_i, li) => oneLine($(li).text()).replace(/^Priorität \d+:\s*/, ''))
    .get();

  return table
    .find('tbody tr')
    .toArray()
    .map((tr) => {
      const cells = $(tr)
        .find('td')
        .map((_i, td) => oneLine($(td).text()))
        .get();
      const round = cells[cRound] ?? '';
      // Labelled line per cell, so the date parser sees "Öffnung: …" and "Antragsfrist: …".
      const rowText = [
        cOpen >= 0 ? `Öffnung: ${cells[cOpen] ?? ''}` : '',
        `Antragsfrist: ${cells[cDeadline] ?? ''}`,
        cBudget >= 0 ? `Verfügbare Mittel insgesamt: ${cells[cBudget] ?? ''}` : '',
        intro,
      ]
        .filter(Boolean)
        .join('\n');
      return programmeCall(
        area,
        {
          sourceId: `de-dk:regular:${slug(round)}`,
          title: round,
          text: rowText,
          url: ctx.url,
          hash: sha256(`${hash}\n${cells.join('|')}`),
          applicants,
          keywords: priorities,
          extra: { description: `${round}\n${rowText}\n${text}` },
        },
        ctx,
      );
    });
}

/** Text of the section under a heading matching `re`, up to the next heading of that level. */
function sectionText($: cheerio.CheerioAPI, main: ReturnType<cheerio.CheerioAPI>, re: RegExp): string {
  const h = main
    .find('h2, h3')
    .filter((_i, el) => re.test($(el).text()))
    .first();
  if (h.length === 0) return '';
  const tag = h.prop('tagName')?.toLowerCase() ?? 'h2';
  const lines: string[] = [];
  let next = h.next();
  while (next.length && next.prop('tagName')?.toLowerCase() !== tag) {
    lines.push(blockText($, next));
    next = next.next();
  }
  return lines.join('\n');
}

/**
 * "Pool für kürzere Projekte": the cut-off dates listed under "Antragsfristen", rate, per-project
 * maximum by priority, pool total, duration.
 */
export function parseDeDkPool(html: string, ctx: PageContext): Call {
  const area = programmeAreas['de-dk'];
  const { $, main, text, hash } = mainContent(html, MAIN['de-dk'], ctx.url);
  const title = oneLine(main.find('h1').first().text());
  if (!title) throw layoutChanged(ctx.url, 'no h1');
  const deadlineText = sectionText($, main, /antragsfristen|frister/i);
  if (!deadlineText) throw layoutChanged(ctx.url, 'no "Antragsfristen" section');
  const call = programmeCall(
    area,
    {
      sourceId: 'de-dk:pkp',
      title,
      // Dates listed under "Antragsfristen" are cut-offs even without a word before them.
      text: text.replace(deadlineText, deadlineText.replace(/^(?=\S)/gm, 'Antragsfrist: ')),
      html: main.html() ?? undefined,
      url: ctx.url,
      hash,
      applicants: oneLine(
        text
          .split('\n')
          .filter((l) => /partner/i.test(l))
          .join(' '),
      ),
      keywords: ['Pool für kürzere Projekte', 'PKP'],
      // The dates live in `deadlines`; leaving them out of the text records a moved date once.
      extra: { description: text.replace(deadlineText, '').replace(/\n{2,}/g, '\n') },
    },
    ctx,
  );
  return {
    ...call,
    deadlines: call.deadlines.map((d) => ({ ...d, stage: 'cut-off', label: 'Antragsfrist' })),
  };
}

/** "Bürgerprojektefonds": a standing fund (no deadlines), total and per-project maximum. */
export function parseDeDkCitizensFund(html: string, ctx: PageContext): Call {
  const area = programmeAreas['de-dk'];
  const { main, text, hash } = mainContent(html, MAIN['de-dk'], ctx.url);
  const title = oneLine(main.find('h1').first().text());
  if (!title) throw layoutChanged(ctx.url, 'no h1');
  return programmeCall(
    area,
    {
      sourceId: 'de-dk:buergerprojektefonds',
      title,
      text,
      html: main.html() ?? undefined,
      url: ctx.url,
      hash,
      keywords: ['Bürgerprojektefonds', 'Bürgerpool', 'Transportpool', 'people-to-people'],
      extra: { notices: /laufend/i.test(text) ? ['rolling: Anträge können laufend gestellt werden'] : [] },
    },
    ctx,
  );
}

const CALL_TITLE =
  /(?:new|neue[rs]?|open|opens|geöffnet|åben|launch)\b.*\b(?:call|calls|aufruf|pool|fonds|ausschreibung|indkaldelse)|\b(?:call|calls|aufruf|ausschreibung)\b.*\b(?:open|opens|geöffnet|closed)/i;

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

// ---------------------------------------------------------------------------------------------
// Interreg Baltic Sea Region (WordPress): REST API posts, or the RSS feed

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
