/** foerderdatenbank: search URLs and the pure parse of result lists and programme pages. */
import * as cheerio from 'cheerio';
import { CrawlError } from '../errors.ts';
import { htmlToText, normalizeText, sanitizeHtml, sha256 } from '../text.ts';

/** Federal and Land programmes publish German local time. */
export const FDB_TIME_ZONE = 'Europe/Berlin';

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
