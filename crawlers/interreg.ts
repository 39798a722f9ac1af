/**
 * Interreg: pure parse functions for the aggregated call index on interreg.eu (a hosted Algolia
 * search fed from keep.eu) and for the programme sites watched directly (Deutschland-Danmark,
 * Baltic Sea Region, North Sea, South Baltic). Every function takes the fetched text and returns
 * validated Calls; fetching lives in the adapter.
 */
import * as cheerio from 'cheerio';
import type { Call, Deadline } from '../src/domain/call.ts';
import type { ApplicantType } from '../src/domain/enums.ts';
import { parseDate } from './dates.ts';
import { classifyDates, toDeadlines, toOpening } from './deadlines.ts';
import { CrawlError, isCrawlError, toCrawlError } from './errors.ts';
import { applicantTypesFromText, findBudget, findFundingRate, oneLine } from './facts.ts';
import {
  countryCode,
  type ProgrammeArea,
  type ProgrammeKey,
  programmeAreas,
  programmeByName,
} from './interreg-areas.ts';
import { blockText, type CallDraft, finishCall, htmlToText, mainContent, slug } from './page.ts';
import { sanitizeHtml, sha256 } from './text.ts';
import type { CrawlContext, CrawlItem, SourceAdapter } from './types.ts';

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

const FUNDER = 'European Union (ERDF, Interreg)';

function layoutChanged(url: string, what: string): CrawlError {
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
      funder: FUNDER,
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

// ---------------------------------------------------------------------------------------------
// interreg.eu and its Algolia index

export interface AlgoliaConfig {
  appId: string;
  apiKey: string;
  indexName: string;
}

export const ALGOLIA_DEFAULT_INDEX = 'prod_en-us_content';
/** All open and forthcoming calls of all programmes in one page. */
export const ALGOLIA_FILTERS =
  'contentType:callForProjectsPage AND (callStatus:Open OR callStatus:Forthcoming)';
export const ALGOLIA_HITS_PER_PAGE = 500;

/** The body of the one Algolia query (POST /1/indexes/{index}/query). */
export function algoliaQueryBody(): string {
  const params = new URLSearchParams({
    filters: ALGOLIA_FILTERS,
    hitsPerPage: String(ALGOLIA_HITS_PER_PAGE),
  });
  return JSON.stringify({ params: params.toString() });
}

const APP_ID_RE =
  /["']?(?:algoliaAppId|algoliaApplicationId|applicationId|appId|ALGOLIA_APP_ID|algolia_app_id)["']?\s*[:=]\s*["']([A-Za-z0-9]{6,20})["']/;
const KEY_RE =
  /["']?(?:algoliaSearchKey|algoliaApiKey|searchOnlyApiKey|searchKey|apiKey|ALGOLIA_SEARCH_KEY|algolia_search_key)["']?\s*[:=]\s*["']([A-Za-z0-9=_-]{16,200})["']/;
const INDEX_RE = /["']?indexName["']?\s*[:=]\s*["']([A-Za-z0-9_.-]+)["']|data-index="([A-Za-z0-9_.-]+)"/;

/**
 * The Algolia application id and search-only key embedded in the calls page. They rotate, so
 * the adapter reads them from the page on every run (and again after a 403).
 */
export function readAlgoliaConfig(html: string): AlgoliaConfig | undefined {
  const appId = APP_ID_RE.exec(html)?.[1];
  const apiKey = KEY_RE.exec(html)?.[1];
  if (!appId || !apiKey) return undefined;
  const idx = INDEX_RE.exec(html);
  return { appId, apiKey, indexName: idx?.[1] ?? idx?.[2] ?? ALGOLIA_DEFAULT_INDEX };
}

interface AlgoliaHit {
  objectID?: unknown;
  title?: unknown;
  teaser?: unknown;
  description?: unknown;
  associatedProgrammes?: unknown;
  callStatus?: unknown;
  callOpenDate?: unknown;
  callDeadlineDate?: unknown;
  callEligibleCountryNames?: unknown;
  callEligibleCountryNuts?: unknown;
  callThemes?: unknown;
  targetAudience?: unknown;
  callExternalUrl?: unknown;
  contentUrl?: unknown;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const strs = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '') : [];

const AUDIENCE: Array<[RegExp, ApplicantType]> = [
  [/local public authorit|municipal/i, 'municipality'],
  [/regional public authorit/i, 'region'],
  [/national public authorit|public (?:body|equivalent)|sectoral agenc|infrastructure/i, 'public-body'],
  [/\bngo\b|interest group|non-?profit|civil society|association/i, 'ngo'],
  [/\bsme\b/i, 'sme'],
  [/enterprise|business|compan/i, 'company'],
  [/research/i, 'research'],
  [/higher education|universit|education and training/i, 'university'],
];

function audienceTypes(audience: string[]): ApplicantType[] {
  const out = new Set<ApplicantType>();
  for (const a of audience) for (const [re, t] of AUDIENCE) if (re.test(a)) out.add(t);
  return [...out];
}

/** A hit's date: epoch seconds (or ms) are instants; a string is local time of the programme. */
function hitDate(
  value: unknown,
  timeZone: string,
  end: boolean,
): { at: string; raw: string; zone: string } | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) {
    const ms = value < 1e11 ? value * 1000 : value;
    return { at: new Date(ms).toISOString(), raw: String(value), zone: timeZone };
  }
  const s = str(value).trim();
  if (!s) return undefined;
  const parsed = parseDate(s, { timeZone, defaultTime: end ? 'end-of-day' : 'start-of-day' });
  return parsed && { at: parsed.at, raw: s, zone: parsed.timeZone };
}

/** One Algolia hit as a Call; throws on a hit that cannot be a call (no id or title). */
export function algoliaHitToCall(hit: AlgoliaHit, ctx: PageContext & { siteBase: string }): Call {
  const objectId = str(hit.objectID) || (typeof hit.objectID === 'number' ? String(hit.objectID) : '');
  if (!objectId) throw new Error('hit without objectID');
  const title = oneLine(str(hit.title));
  if (!title) throw new Error(`hit ${objectId} has no title`);
  const programmes = strs(hit.associatedProgrammes);
  const area = programmes.map(programmeByName).find(Boolean);
  const timeZone = area?.timeZone ?? 'Europe/Brussels';
  const descriptionHtml = str(hit.description);
  const description = descriptionHtml ? htmlToText(descriptionHtml) : '';
  const teaser = oneLine(str(hit.teaser));
  const text = [teaser, description].filter(Boolean).join('\n');

  // The index has one deadline; the description may name the stages ("Project Idea Form by …,
  // full application by …"). Same instant: keep the description's stage label.
  const fromText = toDeadlines(classifyDates(text, { timeZone }));
  const indexed = hitDate(hit.callDeadlineDate, timeZone, true);
  const deadlines: Deadline[] = [...fromText];
  if (indexed && !fromText.some((d) => d.at.slice(0, 10) === indexed.at.slice(0, 10))) {
    deadlines.push({ at: indexed.at, timeZone: indexed.zone, raw: indexed.raw, stage: 'single' });
    deadlines.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  }
  const opening = hitDate(hit.callOpenDate, timeZone, false);
  const countries = strs(hit.callEligibleCountryNames)
    .map(countryCode)
    .filter((c): c is string => Boolean(c));
  const nuts = strs(hit.callEligibleCountryNuts).filter((n) => /^[A-Z]{2}[A-Z0-9]{0,3}$/.test(n));
  const rate = findFundingRate(text);
  const budget = findBudget(text);
  const external = str(hit.callExternalUrl);
  const content = str(hit.contentUrl);
  const url = external || (content ? new URL(content, ctx.siteBase).toString() : undefined);

  return finishCall(
    {
      id: `interreg:${objectId}`,
      source: 'interreg',
      sourceId: objectId,
      funder: FUNDER,
      ...(programmes.length ? { programme: programmes.join(', '), operator: programmes.join(', ') } : {}),
      title,
      summary: teaser,
      description,
      ...(descriptionHtml ? { descriptionHtml: sanitizeHtml(descriptionHtml) } : {}),
      ...(url ? { url } : {}),
      language: 'en',
      ...(opening ? { openingDate: opening.at } : {}),
      deadlines,
      ...(str(hit.callStatus) ? { sourceStatus: str(hit.callStatus) } : {}),
      ...(rate ? { fundingRate: rate.rate } : {}),
      ...(budget ? { budget } : {}),
      applicantTypes: audienceTypes(strs(hit.targetAudience)),
      ...(strs(hit.targetAudience).length ? { applicantsText: strs(hit.targetAudience).join(', ') } : {}),
      countries: countries.length ? [...new Set(countries)] : (area?.countries ?? []),
      nuts: nuts.length ? [...new Set(nuts)] : (area?.nuts ?? []),
      keywords: strs(hit.callThemes),
      provenance: { sourceUrl: ctx.url, contentHash: sha256(JSON.stringify(hit)) },
      raw: hit,
    },
    ctx.fetchedAt,
  );
}

/**
 * The Algolia answer: every hit that is a call, and an error per hit that is not. An answer
 * without a `hits` array is not a result list at all (the API changed): that throws.
 */
export function parseAlgoliaHits(
  body: string,
  ctx: PageContext & { siteBase: string },
): ParseResult & { nbHits: number } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (err) {
    throw new CrawlError('parse', `Algolia answer is not JSON: ${(err as Error).message}`, {
      url: ctx.url,
      cause: err,
    });
  }
  const hits = (json as { hits?: unknown }).hits;
  if (!Array.isArray(hits)) throw layoutChanged(ctx.url, 'no hits array in the Algolia answer');
  const calls: Call[] = [];
  const errors: RecordError[] = [];
  hits.forEach((hit: AlgoliaHit, i) => {
    try {
      calls.push(algoliaHitToCall(hit, ctx));
    } catch (err) {
      errors.push({
        id: str(hit?.objectID) || `#${i}`,
        message: err instanceof Error ? err.message : String(err),
      });
    }
  });
  const nbHits = (json as { nbHits?: unknown }).nbHits;
  return { calls, errors, nbHits: typeof nbHits === 'number' ? nbHits : hits.length };
}

// ---------------------------------------------------------------------------------------------
// Programme sites

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

// ---------------------------------------------------------------------------------------------
// The adapter

/** Paths of the pages watched, under each programme's base URL. */
export const INTERREG_PATHS = {
  callsPage: '/calls-for-projects/',
  algoliaQuery: (index: string) => `/1/indexes/${encodeURIComponent(index)}/query`,
  deDkDeadlines: '/ueber-uns/unsere-antragsfristen/',
  deDkPool: '/wir-foerdern/pool-fuer-kuerzere-projekte/',
  deDkCitizensFund: '/wir-foerdern/buergerprojektefonds/',
  deDkNews: '/news-events/news/',
  bsrPosts: '/wp-json/wp/v2/posts',
  bsrFeed: '/feed/',
  northSeaCalls: '/calls',
  northSeaNews: '/our-news',
  southBalticCalls: '/calls-for-proposals',
  southBalticNews: '/news',
} as const;

/**
 * Stand-in base for the Algolia role: the real host is `<app id>-dsn.algolia.net`, known only
 * once the app id has been read from the page.
 */
export const ALGOLIA_FROM_APP_ID = 'https://algolia.net';

/** Algolia's host for an application id, checked so a page cannot send us anywhere else. */
export function algoliaBase(configured: string, appId: string): string {
  if (new URL(configured).host !== new URL(ALGOLIA_FROM_APP_ID).host) return configured;
  if (!/^[A-Za-z0-9]{6,20}$/.test(appId))
    throw new CrawlError('layout', `implausible Algolia app id "${appId}"`);
  return `https://${appId.toLowerCase()}-dsn.algolia.net`;
}

async function fetchAlgoliaConfig(
  ctx: CrawlContext,
  override: Partial<AlgoliaConfig>,
): Promise<AlgoliaConfig> {
  const url = `${ctx.baseUrls.site}${INTERREG_PATHS.callsPage}`;
  const page = await ctx.http.request(url);
  const read = readAlgoliaConfig(page.body);
  if (!read) throw new CrawlError('layout', 'no Algolia app id and search key on the calls page', { url });
  return { ...read, ...(override.indexName ? { indexName: override.indexName } : {}) };
}

async function queryAlgolia(ctx: CrawlContext, cfg: AlgoliaConfig) {
  const base = algoliaBase(ctx.baseUrls.algolia!, cfg.appId);
  ctx.http.allowHost(new URL(base).host);
  const url = `${base}${INTERREG_PATHS.algoliaQuery(cfg.indexName)}`;
  const res = await ctx.http.request(url, {
    method: 'POST',
    body: algoliaQueryBody(),
    headers: {
      'content-type': 'application/json',
      'x-algolia-application-id': cfg.appId,
      'x-algolia-api-key': cfg.apiKey,
    },
  });
  return parseAlgoliaHits(res.body, { url, fetchedAt: ctx.now, siteBase: ctx.baseUrls.site! });
}

const isForbidden = (err: unknown) => isCrawlError(err) && (err.status === 403 || err.status === 401);

/**
 * All open and forthcoming calls from the index. The search key rotates: with a configured
 * override we try that first; a 403 makes us re-read the key from the page once.
 */
export async function crawlAlgolia(ctx: CrawlContext, override: Partial<AlgoliaConfig>) {
  const configured =
    override.appId && override.apiKey
      ? {
          appId: override.appId,
          apiKey: override.apiKey,
          indexName: override.indexName ?? ALGOLIA_DEFAULT_INDEX,
        }
      : undefined;
  const first = configured ?? (await fetchAlgoliaConfig(ctx, override));
  try {
    return await queryAlgolia(ctx, first);
  } catch (err) {
    if (!isForbidden(err)) throw err;
    ctx.logger.info('Algolia refused the search key (403); reading the key from the page again');
    const fresh = await fetchAlgoliaConfig(ctx, override);
    return await queryAlgolia(ctx, fresh);
  }
}

/** BSR posts from the WordPress REST API, or from the RSS feed when the site does not answer it. */
async function bsrPosts(ctx: CrawlContext): Promise<WpPost[]> {
  const api = `${ctx.baseUrls.bsr}${INTERREG_PATHS.bsrPosts}?per_page=50&_embed=wp:term`;
  try {
    const res = await ctx.http.request(api, { headers: { accept: 'application/json' } });
    return parseWpPosts(res.body, { url: api, fetchedAt: ctx.now });
  } catch (err) {
    // robots.txt or a block stays fatal; anything else (404, no JSON, a 5xx) means: use the feed.
    if (isCrawlError(err) && (err.kind === 'robots' || err.kind === 'blocked')) throw err;
    ctx.logger.info({ err: String(err) }, 'BSR WordPress API unavailable; reading the RSS feed');
    const feed = `${ctx.baseUrls.bsr}${INTERREG_PATHS.bsrFeed}`;
    const res = await ctx.http.request(feed);
    return parseRssFeed(res.body, { url: feed, fetchedAt: ctx.now });
  }
}

interface SitePage {
  label: string;
  read(ctx: CrawlContext): Promise<ParseResult>;
}

const page =
  (role: string, path: string, parse: (body: string, pctx: PageContext) => Call | Call[]) =>
  async (ctx: CrawlContext): Promise<ParseResult> => {
    const url = `${ctx.baseUrls[role]}${path}`;
    const res = await ctx.http.request(url);
    const out = parse(res.body, { url, fetchedAt: ctx.now });
    return { calls: Array.isArray(out) ? out : [out], errors: [] };
  };

/** The programme sites watched directly, also when the index is down. */
export const programmePages: readonly SitePage[] = [
  { label: 'DE-DK deadlines', read: page('deDk', INTERREG_PATHS.deDkDeadlines, parseDeDkDeadlines) },
  { label: 'DE-DK pool', read: page('deDk', INTERREG_PATHS.deDkPool, parseDeDkPool) },
  {
    label: 'DE-DK Bürgerprojektefonds',
    read: page('deDk', INTERREG_PATHS.deDkCitizensFund, parseDeDkCitizensFund),
  },
  {
    label: 'DE-DK news',
    read: page('deDk', INTERREG_PATHS.deDkNews, (b, c) => parseNewsList(b, 'de-dk', c)),
  },
  {
    label: 'BSR posts',
    read: async (ctx) =>
      bsrPostsToCalls(await bsrPosts(ctx), { url: `${ctx.baseUrls.bsr}/`, fetchedAt: ctx.now }),
  },
  { label: 'North Sea calls', read: page('northSea', INTERREG_PATHS.northSeaCalls, parseNorthSeaCalls) },
  {
    label: 'North Sea news',
    read: page('northSea', INTERREG_PATHS.northSeaNews, (b, c) => parseNewsList(b, 'north-sea', c)),
  },
  {
    label: 'South Baltic calls',
    read: page('southBaltic', INTERREG_PATHS.southBalticCalls, parseSouthBalticCalls),
  },
  {
    label: 'South Baltic news',
    read: page('southBaltic', INTERREG_PATHS.southBalticNews, (b, c) => parseNewsList(b, 'south-baltic', c)),
  },
];

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
    const ids: string[] = [];
    let complete = true;
    const steps = 1 + programmePages.length;
    ctx.progress('interreg.eu index', 0, steps);
    try {
      const index = await crawlAlgolia(ctx, ctx.config.crawl.interreg.algolia);
      for (const call of index.calls) {
        ids.push(call.id);
        yield { type: 'call', call };
      }
      for (const e of index.errors) yield recordError(e);
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
    let done = 1;
    for (const site of programmePages) {
      ctx.progress(site.label, done++, steps);
      let result: ParseResult;
      try {
        result = await site.read(ctx);
      } catch (err) {
        const e = toCrawlError(err);
        // A changed layout, robots.txt or a block page stops the run; one unreachable page does not.
        if (e.critical) throw e;
        complete = false;
        yield { type: 'error', error: e };
        continue;
      }
      for (const call of result.calls) {
        ids.push(call.id);
        yield { type: 'call', call };
      }
      for (const e of result.errors) yield recordError(e);
    }
    ctx.progress('done', steps, steps);
    yield { type: 'listing', ids, complete };
  },
};
