/**
 * Source `foerderdatenbank`: the federal funding database (federal, Land and EU programmes;
 * BMZ among the funders). Result lists are walked by their own pagination links (the `gtp=`
 * tokens are session-bound, so page URLs are never built); detail pages are fetched only for new
 * or changed list cards, or when a stored page is older than the refresh period (then
 * conditionally). robots.txt asks for 30 s between requests, so the listing is saved as resume
 * state and an interrupted run continues where it stopped.
 */
import * as cheerio from 'cheerio';
import type { Call, Deadline } from '../src/domain/call.ts';
import { archivedFrom, computeStatus } from '../src/domain/call.ts';
import type { ApplicantType } from '../src/domain/enums.ts';
import { invalidDateNotice, type RejectedDate } from './dates.ts';
import { annualDeadlines, classifyDates, toDeadlines } from './deadlines.ts';
import { CrawlError, isCrawlError } from './errors.ts';
import { htmlToText, normalizeText, sanitizeHtml, sha256 } from './text.ts';
import type { CrawlContext, CrawlItem, ListingCount, SourceAdapter } from './types.ts';

/** Federal and Land programmes publish German local time. */
const FDB_TIME_ZONE = 'Europe/Berlin';

export const FDB_ATTRIBUTION =
  'Quelle: Förderdatenbank des Bundes (BMWE), www.foerderdatenbank.de — Texte unter CC BY-ND 3.0 DE, unverändert übernommen';
export const SEARCH_PATH = '/SiteGlobals/FDB/Forms/Suche/Foederprogrammsuche_Formular.html';

/** The searches we walk: programmes open to municipalities in Schleswig-Holstein, nationwide, and from the EU. */
export function searchUrls(siteBase: string): string[] {
  const base = `${siteBase}${SEARCH_PATH}?filterCategories=FundingProgram&cl2Processes_Foerderberechtigte=kommune`;
  return [
    `${base}&cl2Processes_Foerdergebiet=schleswig_holstein`,
    `${base}&cl2Processes_Foerdergebiet=_bundesweit`,
    `${base}&cl2Processes_Foerdergeber=eu`,
  ];
}

/** Slug → label for the raw-key page variant (`Foerderart: zuschuss`), from the site's filter vocabulary. */
const vocabulary: Record<string, string> = {
  _bundesweit: 'bundesweit',
  bundesweit: 'bundesweit',
  baden_wuerttemberg: 'Baden-Württemberg',
  bayern: 'Bayern',
  berlin: 'Berlin',
  brandenburg: 'Brandenburg',
  bremen: 'Bremen',
  de_ni: 'Niedersachsen',
  de_st: 'Sachsen-Anhalt',
  hamburg: 'Hamburg',
  hessen: 'Hessen',
  mecklenburg_vorpommern: 'Mecklenburg-Vorpommern',
  nordrhein_westfalen: 'Nordrhein-Westfalen',
  rheinland_pfalz: 'Rheinland-Pfalz',
  saarland: 'Saarland',
  sachsen: 'Sachsen',
  schleswig_holstein: 'Schleswig-Holstein',
  thueringen: 'Thüringen',
  arbeit: 'Arbeit',
  aus_weiterbildung: 'Aus- & Weiterbildung',
  aussenwirtschaft: 'Außenwirtschaft',
  beratung: 'Beratung',
  corona: 'Corona-Hilfe',
  digitalisierung: 'Digitalisierung',
  energieeffizienz_erneuerbare_energien: 'Energieeffizienz & Erneuerbare Energien',
  existenzgruendung_festigung: 'Existenzgründung & -festigung',
  forschung_innovation_themenoffen: 'Forschung & Innovation (themenoffen)',
  forschung_innovation_themenspezifisch: 'Forschung & Innovation (themenspezifisch)',
  frauenfoerderung: 'Frauenförderung',
  gesundheit_soziales: 'Gesundheit & Soziales',
  infrastruktur: 'Infrastruktur',
  kultur_medien_sport: 'Kultur, Medien & Sport',
  landwirtschaft_laendliche_entwicklung: 'Landwirtschaft & Ländliche Entwicklung',
  messen_ausstellungen: 'Messen & Ausstellungen',
  mobilitaet: 'Mobilität',
  regionalfoerderung: 'Regionalförderung',
  smart_cities_regionen: 'Smart Cities & Regionen',
  staedtebau_stadterneuerung: 'Städtebau & Stadterneuerung',
  umwelt_naturschutz: 'Umwelt- & Naturschutz',
  unternehmensfinanzierung: 'Unternehmensfinanzierung',
  wohnungsbau_modernisierung: 'Wohnungsbau & Modernisierung',
  bildungseinrichtung: 'Bildungseinrichtung',
  existenzgruenderin: 'Existenzgründer/in',
  forschungseinrichtung: 'Forschungseinrichtung',
  hochschule: 'Hochschule',
  kommune: 'Kommune',
  oeffentliche_einrichtung: 'Öffentliche Einrichtung',
  privatperson: 'Privatperson',
  unternehmen: 'Unternehmen',
  verband_vereinigung: 'Verband/Vereinigung',
  beteiligung: 'Beteiligung',
  buergschaft: 'Bürgschaft',
  darlehen: 'Darlehen',
  garantie: 'Garantie',
  sonstige: 'Sonstige',
  zuschuss: 'Zuschuss',
};

/** Raw machine keys of the variant → the labels of the normal page. */
const labelAliases: Record<string, string> = {
  Foerderart: 'Förderart',
  Foerderbereich: 'Förderbereich',
  Foerdergebiet: 'Fördergebiet',
  Foerderberechtigte: 'Förderberechtigte',
  Foerdergeber: 'Fördergeber',
  WeiterfuehrendeLinks: 'Weiterführende Links',
};

const applicantMap: Record<string, ApplicantType> = {
  Kommune: 'municipality',
  'Öffentliche Einrichtung': 'public-body',
  'Verband/Vereinigung': 'ngo',
  Unternehmen: 'company',
  'Existenzgründer/in': 'individual',
  Privatperson: 'individual',
  Forschungseinrichtung: 'research',
  Hochschule: 'university',
  Bildungseinrichtung: 'other',
};

/** NUTS-1 codes of the Länder. */
const landNuts: Record<string, string> = {
  'Baden-Württemberg': 'DE1',
  Bayern: 'DE2',
  Berlin: 'DE3',
  Brandenburg: 'DE4',
  Bremen: 'DE5',
  Hamburg: 'DE6',
  Hessen: 'DE7',
  'Mecklenburg-Vorpommern': 'DE8',
  Niedersachsen: 'DE9',
  'Nordrhein-Westfalen': 'DEA',
  'Rheinland-Pfalz': 'DEB',
  Saarland: 'DEC',
  Sachsen: 'DED',
  'Sachsen-Anhalt': 'DEE',
  'Schleswig-Holstein': 'DEF',
  Thüringen: 'DEG',
};

const clean = (s: string) => normalizeText(s).replace(/\s+/g, ' ').trim();

/** Resolves a link against the configured site, not the page's `<base href>` (which names the real host). */
export function resolveOnSite(href: string, siteBase: string): string {
  const u = new URL(href, 'https://placeholder.invalid/');
  return `${siteBase}${u.pathname}${u.search}`;
}

/** Our key for a programme: its content path, e.g. `Land/Hessen/fue-unternehmen-hessen-864943`. */
export function programmeKey(url: string): string | undefined {
  return /\/Foerderprogramm\/(.+?)\.html/.exec(new URL(url).pathname)?.[1];
}

export interface ListEntry {
  id: string;
  sourceId: string;
  url: string;
  title: string;
  fingerprint: string;
}

export interface ResultList {
  hits: number;
  entries: ListEntry[];
  next: string | undefined;
}

/**
 * A result page → its cards and the link to the next page. A page that is neither a result page
 * nor a recognisable FDB page (small, no hit count) is a block page; a large page without the
 * hit count, or hits without cards, is a layout change.
 */
export function parseResultList(html: string, siteBase: string): ResultList {
  const $ = cheerio.load(html);
  const count = $('#hits--count').first().text().replace(/\D/g, '');
  const cards = $('.card--fundingprogram');
  if (count === '' && cards.length === 0) {
    const text = clean($('body').text());
    if (text.length < 2000)
      throw new CrawlError('blocked', `block page instead of results: "${text.slice(0, 120)}"`);
    throw new CrawlError('layout', 'result page not recognised (no hit count, no result cards)');
  }
  const hits = Number(count || cards.length);
  if (hits > 0 && cards.length === 0)
    throw new CrawlError('layout', `${hits} hits announced but no result cards found`);
  const entries: ListEntry[] = [];
  cards.each((_i, el) => {
    const card = $(el);
    const a = card.find('.card--title a').first();
    const href = a.attr('href');
    if (!href) return;
    const url = resolveOnSite(href, siteBase);
    const sourceId = programmeKey(url);
    if (!sourceId) return;
    const title = clean(a.text());
    const facts = card
      .find('dl dt')
      .map((_j, dt) => `${clean($(dt).text())}=${clean($(dt).next('dd').text())}`)
      .get()
      .join('|');
    entries.push({
      id: `foerderdatenbank:${sourceId}`,
      sourceId,
      url,
      title,
      fingerprint: sha256(`${url}|${title}|${facts}`),
    });
  });
  const nextHref = $('.pagination a.forward').first().attr('href');
  return { hits, entries, next: nextHref ? resolveOnSite(nextHref, siteBase) : undefined };
}

export interface DetailPage {
  title: string;
  facts: Record<string, string[]>;
  funder?: string;
  contact?: string;
  links: Array<{ label: string; url: string }>;
  /** Tab texts (Kurzzusammenfassung, Zusatzinfos, Rechtsgrundlage …) as plain text; unlabelled on untabbed pages. */
  sections: Array<{ label?: string | undefined; text: string }>;
  summary: string;
  descriptionHtml: string;
  description: string;
}

/** A programme page → title, the fact list (both label variants), funder, contact, links and texts. */
export function parseDetailPage(html: string): DetailPage {
  const $ = cheerio.load(html);
  const title = clean($('h1.title').first().text());
  const dl = $('dl.document-info-fundingprogram').first();
  if (!title || dl.length === 0) {
    const text = clean($('body').text());
    if (!title && text.length < 2000)
      throw new CrawlError('blocked', `block page instead of a programme: "${text.slice(0, 120)}"`);
    throw new CrawlError('layout', 'programme page not recognised (no title or fact list)');
  }
  const facts: Record<string, string[]> = {};
  let funder: string | undefined;
  let contact: string | undefined;
  const links: DetailPage['links'] = [];
  dl.children('dt').each((_i, dt) => {
    const rawLabel = clean($(dt).text()).replace(/:$/, '').trim();
    const label = labelAliases[rawLabel] ?? rawLabel;
    const dd = $(dt).next('dd');
    if (label === 'Fördergeber') {
      funder = clean(dd.find('.link--label').first().text()) || clean(dd.text()) || undefined;
    } else if (label === 'Ansprechpunkt') {
      const parts = [
        clean(dd.find('.card--title').first().text()),
        clean(dd.find('.card--title-subtitle').text()),
        ...dd
          .find('.address p, .person-contact p:not(.website)')
          .map((_j, p) => clean($(p).text()))
          .get(),
      ].filter(Boolean);
      contact = parts.join(', ') || undefined;
    } else if (label === 'Weiterführende Links') {
      dd.find('a[href]').each((_j, a) => {
        const href = $(a).attr('href') ?? '';
        if (/^https?:/i.test(href)) links.push({ label: clean($(a).text()), url: href });
      });
    } else {
      facts[label] = clean(dd.text())
        .split(/,\s*/)
        .map((v) => v.trim())
        .filter(Boolean)
        .map((v) => vocabulary[v] ?? v);
    }
  });
  const sections = textSections($);
  const textHtml = sections
    .map((sec) => (sec.label ? `<h2>${sec.label}</h2>${sec.html}` : sec.html))
    .join('\n');
  const summarySection = sections.find((sec) => sec.label === 'Kurzzusammenfassung');
  return {
    title,
    facts,
    ...(funder ? { funder } : {}),
    ...(contact ? { contact } : {}),
    links,
    sections: sections.map((sec) => ({ label: sec.label, text: htmlToText(sec.html) })),
    summary: firstParagraph(summarySection ? htmlToText(summarySection.html) : htmlToText(textHtml)),
    descriptionHtml: sanitizeHtml(textHtml),
    description: htmlToText(textHtml),
  };
}

/**
 * The page's texts: either tabs (`h2.horizontal--tab-opener` + `article.content--tab-text`, e.g.
 * Kurzzusammenfassung / Zusatzinfos / Rechtsgrundlage) or untabbed rich-text blocks.
 */
function textSections($: cheerio.CheerioAPI): Array<{ label?: string; html: string }> {
  const main = $('.content--main').first();
  const openers = main.find('h2.horizontal--tab-opener');
  if (openers.length > 0) {
    return openers
      .map((_i, h2) => ({
        label: clean($(h2).find('.btn--label').text() || $(h2).text()),
        html: $(h2).nextAll('article.content--tab-text').first().html() ?? '',
      }))
      .get();
  }
  // Untabbed: the outermost rich-text blocks only (they may nest).
  return main
    .find('.rich--text')
    .filter((_i, el) => $(el).parents('.rich--text').length === 0)
    .map((_i, el) => ({ html: $(el).html() ?? '' }))
    .get();
}

/** The first real paragraph, skipping short headings such as "Kurztext" or "Rechtsgrundlage". */
function firstParagraph(text: string): string {
  const line = text.split('\n').find((l) => l.length > 60) ?? '';
  return line.length > 500 ? `${line.slice(0, 497).trimEnd()}…` : line;
}

/** "Bundesprogramm", "Landesprogramm Thüringen" (the Land's name from Fördergebiet when it is one Land), "EU-Programm". */
function levelOf(sourceId: string, areas: readonly string[]): string | undefined {
  const [level, segment] = sourceId.split('/');
  if (level === 'Bund') return 'Bundesprogramm';
  if (level === 'Land')
    return `Landesprogramm ${areas.length === 1 && landNuts[areas[0]!] ? areas[0] : (segment ?? '')}`.trim();
  if (level === 'EU') return 'EU-Programm';
  return undefined;
}

/**
 * Deadlines written in the programme's text: dated ones ("Antragstellung bis zum 06.12.2024")
 * and yearly ones ("spätestens bis zum 30.09. jeden Jahres", as its next date). Most programmes
 * name none and stay open-ended; dates the words before them do not make a deadline (a
 * guideline's date, a project start) are left out.
 */
export function deadlinesInText(text: string, now: Date, rejected?: RejectedDate[]): Deadline[] {
  const dated = toDeadlines(
    classifyDates(text, { timeZone: FDB_TIME_ZONE, ...(rejected ? { rejected } : {}) }),
  );
  const yearly = annualDeadlines(text, { timeZone: FDB_TIME_ZONE, now });
  const seen = new Set(dated.map((d) => d.at));
  return [...dated, ...yearly.filter((d) => !seen.has(d.at))].sort(
    (a, b) => Date.parse(a.at) - Date.parse(b.at),
  );
}

/** Detail page (+ its list entry) → the normalized Call. Most programmes have no dates: status `open-ended`. */
export function toCall(entry: ListEntry, page: DetailPage, opts: { now: Date; fetchedAt: string }): Call {
  const areas = page.facts.Fördergebiet ?? [];
  const applicants = page.facts.Förderberechtigte ?? [];
  const nuts = [...new Set(areas.map((a) => landNuts[a]).filter((n): n is string => !!n))];
  const applicantTypes = [
    ...new Set(applicants.map((a) => applicantMap[a]).filter((t): t is ApplicantType => !!t)),
  ];
  // Without a named Fördergeber: the Land of a Land programme, else the ministry from the path (Bund/BMZ/…).
  const [level, segment] = entry.sourceId.split('/');
  const funder = page.funder ?? (level === 'Land' && areas.length === 1 ? `Land ${areas[0]}` : segment);
  const rejected: RejectedDate[] = [];
  const deadlines = deadlinesInText(page.description, opts.now, rejected);
  return {
    id: entry.id,
    source: 'foerderdatenbank',
    sourceId: entry.sourceId,
    ...(funder ? { funder } : {}),
    ...(page.contact ? { operator: page.contact } : {}),
    ...(levelOf(entry.sourceId, areas) ? { programme: levelOf(entry.sourceId, areas) } : {}),
    title: page.title,
    summary: page.summary,
    description: page.description,
    ...(page.descriptionHtml ? { descriptionHtml: page.descriptionHtml } : {}),
    url: entry.url,
    language: 'de',
    deadlines,
    status: computeStatus(
      deadlines,
      undefined,
      opts.now,
      archivedFrom({ title: page.title, programme: levelOf(entry.sourceId, areas) }),
    ),
    applicantTypes,
    ...(applicants.length ? { applicantsText: applicants.join(', ') } : {}),
    countries: ['DE'],
    nuts,
    keywords: [...new Set([...(page.facts.Förderbereich ?? []), ...(page.facts.Förderart ?? [])])],
    notices: rejected.map((r) => invalidDateNotice(r.raw)),
    provenance: {
      fetchedAt: opts.fetchedAt,
      sourceUrl: entry.url,
      contentHash: entry.fingerprint,
      attribution: FDB_ATTRIBUTION,
    },
    raw: {
      facts: page.facts,
      links: page.links,
      contact: page.contact ?? null,
      tabs: page.sections.map((x) => x.label ?? null),
    },
  };
}

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

async function* crawl(ctx: CrawlContext): AsyncGenerator<CrawlItem> {
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

export const foerderdatenbank: SourceAdapter = {
  id: 'foerderdatenbank',
  name: 'Förderdatenbank des Bundes',
  defaultBaseUrls: { site: 'https://www.foerderdatenbank.de' },
  crawl,
  // A yearly deadline moves on when its date passes, also while the page stays unchanged.
  deadlinesAsOf: (call, now) => deadlinesInText(call.description, now),
};
