/**
 * SKEW (Servicestelle Kommunen in der Einen Welt, Engagement Global; BMZ funds): pure parse
 * functions for the overview "Unsere Förderangebote" (one labelled list per offer) and the
 * programme pages with their "Bekanntmachung" section. Fetching lives in the adapter.
 */
import type { Call } from '../src/domain/call.ts';
import type { ApplicantType } from '../src/domain/enums.ts';
import { invalidDateNotice, type RejectedDate } from './dates.ts';
import { classifyDates, toDeadlines, toOpening } from './deadlines.ts';
import { CrawlError, toCrawlError } from './errors.ts';
import { applicantTypesFromText, findBudget, findDurationMonths, findFundingRate, oneLine } from './facts.ts';
import { blockText, finishCall, mainContent, slug } from './page.ts';
import { sanitizeHtml, sha256 } from './text.ts';
import type { SourceAdapter } from './types.ts';

export interface PageContext {
  url: string;
  fetchedAt: Date;
}

export const SKEW_FUNDER = 'Bundesministerium für wirtschaftliche Zusammenarbeit und Entwicklung (BMZ)';
export const SKEW_OPERATOR = 'Servicestelle Kommunen in der Einen Welt (SKEW) / Engagement Global';
const TIME_ZONE = 'Europe/Berlin';
const MAIN = ['main#content', 'main', '#content'];

/** The labels of an offer's list on the overview page. */
export const OFFER_LABELS = [
  'Beschreibung',
  'Antragshöhe',
  'Antragsberechtigte',
  'Antragstellung',
  'Besonderheit',
] as const;
export type OfferLabel = (typeof OFFER_LABELS)[number];

export interface SkewOffer {
  title: string;
  /** The heading the offer is grouped under, e.g. "Partnerschaftsprojekte". */
  group: string;
  fields: Partial<Record<OfferLabel, string>>;
  /** Absolute URL of "Mehr Informationen", when the offer has one. */
  moreUrl?: string;
}

function layoutChanged(url: string, what: string): CrawlError {
  return new CrawlError('layout', `layout not recognised on ${url}: ${what}`, { url });
}

/**
 * The offers of "Unsere Förderangebote": each a heading followed by a list of labelled items
 * ("Antragshöhe: …") and a "Mehr Informationen" link. A page without any labelled list has a
 * layout we no longer recognise.
 */
export function parseSkewOverview(html: string, ctx: PageContext): { offers: SkewOffer[]; hash: string } {
  const { $, main, hash } = mainContent(html, MAIN, ctx.url);
  const section = main.find('h2').filter((_i, h) => /förderangebote/i.test($(h).text()));
  const scope = section.length ? section.first().parent() : main;
  const offers: SkewOffer[] = [];
  let group = '';
  scope.find('h3, h4, ul').each((_i, el) => {
    const node = $(el);
    const tag = el.tagName.toLowerCase();
    if (tag === 'h3') {
      group = oneLine(node.text());
      return;
    }
    if (tag === 'h4') {
      offers.push({ title: oneLine(node.text()), group, fields: {} });
      return;
    }
    const offer = offers.at(-1);
    if (!offer) return;
    node.children('li').each((_j, li) => {
      const text = oneLine($(li).text());
      const m = /^([^:]{3,40}):\s*(.*)$/.exec(text);
      const label = OFFER_LABELS.find((l) => l.toLowerCase() === m?.[1]?.trim().toLowerCase());
      if (label && m) offer.fields[label] = m[2]!;
    });
    // "Mehr Informationen" follows the list, before the next offer's heading.
    const more = node
      .nextUntil('h3, h4')
      .find('a')
      .addBack('a')
      .filter((_j, a) => /mehr informationen/i.test($(a).text()))
      .first()
      .attr('href');
    if (more) offer.moreUrl = new URL(more, ctx.url).toString();
  });
  const labelled = offers.filter((o) => Object.keys(o.fields).length > 0);
  if (labelled.length === 0)
    throw layoutChanged(ctx.url, 'no offers with labelled lists (Antragshöhe, Antragsberechtigte …)');
  return { offers: labelled, hash };
}

export interface SkewProgrammePage {
  title: string;
  /** "Bekanntmachung 2024" as published (the year may lag behind the dates). */
  announcement?: string;
  /** Text per sub-heading ("Antragsberechtigte", "Anteilfinanzierung", "Fristen" …). */
  sections: Record<string, string>;
  text: string;
  html: string;
  hash: string;
}

/** A programme page: title, "Bekanntmachung" heading and the text under each sub-heading. */
export function parseSkewProgramme(html: string, ctx: PageContext): SkewProgrammePage {
  const { $, main, text, hash } = mainContent(html, MAIN, ctx.url);
  const title = oneLine(main.find('h1').first().text());
  if (!title) throw layoutChanged(ctx.url, 'no h1');
  const announcement = main
    .find('h2')
    .filter((_i, h) => /bekanntmachung/i.test($(h).text()))
    .first();
  const sections: Record<string, string> = {};
  main.find('h2, h3').each((_i, h) => {
    const heading = oneLine($(h).text());
    const lines: string[] = [];
    let next = $(h).next();
    while (next.length && !/^h[1-3]$/i.test(next.prop('tagName') ?? '')) {
      lines.push(blockText($, next));
      next = next.next();
    }
    sections[heading] = lines.join('\n');
  });
  return {
    title,
    ...(announcement.length ? { announcement: oneLine(announcement.text()) } : {}),
    sections,
    text,
    html: main.html() ?? '',
    hash,
  };
}

const NOTICES: Array<[RegExp, string]> = [
  [
    /frist\p{L}* (?:ist |sind )?(?:bereits )?(?:abgelaufen|verstrichen)|deadline has passed/iu,
    'deadline-passed',
  ],
  [
    /vorläufige\p{L}* haushaltsführung|keine neuen (?:bewilligungen|zusagen|anträge)|bewilligungen\p{L}* (?:sind )?(?:derzeit )?(?:nicht|nur in ausnahmefällen)|förderstopp|(?:zusagen|bewilligungen) (?:sind )?ausgesetzt/iu,
    'commitments-suspended',
  ],
];

/** Notices the page states ("Frist abgelaufen", new commitments suspended), with the sentence. */
export function findNotices(text: string): string[] {
  const out: string[] = [];
  for (const sentence of text.split(/\n|(?<=\p{Ll}{3}[.!?])\s+/u)) {
    for (const [re, code] of NOTICES) {
      if (re.test(sentence)) out.push(`${code}: ${oneLine(sentence).replace(/^[\p{L} ]{3,20}:\s*/u, '')}`);
    }
  }
  return [...new Set(out)];
}

/** Preconditions the eligibility text sets: a DAC-list partner, membership of the climate partnerships. */
export function findPreconditions(text: string): string[] {
  const out: string[] = [];
  if (/dac-liste|dac list|oda-empfänger/i.test(text)) {
    out.push('precondition: Partnerkommune in einem Land der DAC-Liste der OECD');
  }
  if (/kommunale klimapartnerschaften/i.test(text) && /ausschließlich|nur|teilnehmen/i.test(text)) {
    out.push('precondition: nur für Teilnehmende an „Kommunale Klimapartnerschaften“');
  }
  return out;
}

/** Programmes of Engagement Global that fund associations only, never municipalities. */
const ASSOCIATIONS_ONLY = /aktionsgruppenprogramm|\bagp\b|entwicklungspolitische bildung|\bfeb\b|bengo/i;

/** Stable id: the programme page's file name, else the abbreviation in brackets, else the title. */
function offerId(offer: SkewOffer, skewHost: string): string {
  if (offer.moreUrl) {
    const u = new URL(offer.moreUrl);
    if (u.host === skewHost)
      return slug(
        u.pathname
          .replace(/\.html$/, '')
          .split('/')
          .at(-1) ?? offer.title,
      );
  }
  const abbr = /\(([A-Za-zÄÖÜäöü-]{2,12})\)\s*$/.exec(offer.title)?.[1];
  return slug(abbr ?? offer.title);
}

/** The page text without the sections whose heading matches `re`. */
function withoutSection(page: SkewProgrammePage, re: RegExp): string {
  let text = page.text;
  for (const [heading, body] of Object.entries(page.sections)) {
    if (re.test(heading) && body) text = text.replace(body, '');
  }
  return text.replace(/\n{2,}/g, '\n').trim();
}

/** Labelled lines so the date and amount readers see "Antrag: bis …", "Antragshöhe: …". */
function labelled(fields: Partial<Record<string, string>>): string {
  return Object.entries(fields)
    .filter(([, v]) => v)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
}

/**
 * One offer as a Call: the overview's labelled list, completed by the programme page's
 * "Bekanntmachung" when there is one. The round is taken from the deadlines, not from the
 * heading ("Bekanntmachung 2024" with deadlines in 2023 is the 2023 round).
 */
export function skewOfferToCall(
  offer: SkewOffer,
  page: SkewProgrammePage | undefined,
  ctx: PageContext & { overviewUrl: string; overviewHash: string; skewHost: string },
): Call {
  const sectionOf = (re: RegExp) =>
    Object.entries(page?.sections ?? {})
      .filter(([h]) => re.test(h))
      .map(([, t]) => t)
      .join('\n');
  const deadlineText =
    sectionOf(/^fristen?$/i) || sectionOf(/antragstellung/i) || offer.fields.Antragstellung || '';
  const rejected: RejectedDate[] = [];
  const classified = classifyDates(deadlineText, { timeZone: TIME_ZONE, fallback: 'deadline', rejected });
  let deadlines = toDeadlines(classified);
  // A list under "Fristen" with stage words but one date: keep its stage ("Antrag" alone is one step).
  if (
    deadlines.length === 1 &&
    deadlines[0]!.stage === 'full-application' &&
    !/skizze|interessen/i.test(deadlineText)
  ) {
    deadlines = [{ ...deadlines[0]!, stage: 'single' }];
  }
  const facts = [
    labelled(offer.fields),
    sectionOf(/anteilfinanzierung|förderquote/i),
    sectionOf(/förderhöhe|antragshöhe|laufzeit/i),
  ].join('\n');
  const rate = findFundingRate(facts);
  const budget = findBudget(facts);
  const applicantsText = [offer.fields.Antragsberechtigte, sectionOf(/antragsberechtigt/i)]
    .filter(Boolean)
    .join('\n');
  const associationsOnly = ASSOCIATIONS_ONLY.test(offer.title);
  const applicantTypes: ApplicantType[] = associationsOnly ? ['ngo'] : applicantTypesFromText(applicantsText);
  const allText = [labelled(offer.fields), page?.text ?? ''].join('\n');
  const notices = [
    ...findNotices(allText),
    ...findPreconditions(applicantsText),
    ...rejected.map((r) => invalidDateNotice(r.raw)),
  ];
  const durations = findDurationMonths(facts);
  const years = deadlines.map((d) => d.at.slice(0, 4));
  const round = years.length ? `Runde ${years[0]}` : undefined;
  const announcedYear = /\b(20\d\d)\b/.exec(page?.announcement ?? '')?.[1];
  const mercator = /stiftung mercator/i.test(allText);
  const opening = toOpening(classified);

  const id = offerId(offer, ctx.skewHost);
  const status = (() => {
    // "Frist abgelaufen" without a date still means closed, not open-ended.
    if (deadlines.length === 0 && notices.some((n) => n.startsWith('deadline-passed')))
      return 'closed' as const;
    return undefined;
  })();
  const call = finishCall(
    {
      id: `skew:${id}`,
      source: 'skew',
      sourceId: id,
      funder: mercator ? 'Stiftung Mercator' : SKEW_FUNDER,
      operator: associationsOnly ? 'Engagement Global' : SKEW_OPERATOR,
      programme: offer.title,
      ...(round ? { identifier: round } : {}),
      title: page?.title ?? offer.title,
      summary: offer.fields.Beschreibung ?? '',
      // The dates live in `deadlines`; leaving the "Fristen" list out of the text records a moved date once.
      description: [labelled(offer.fields), page && withoutSection(page, /^fristen?$/i)]
        .filter(Boolean)
        .join('\n\n'),
      ...(page ? { descriptionHtml: sanitizeHtml(page.html) } : {}),
      url: offer.moreUrl ?? ctx.overviewUrl,
      language: 'de',
      ...(opening ? { openingDate: opening } : {}),
      deadlines,
      ...(rate ? { fundingRate: rate.rate } : {}),
      ...(budget ? { budget } : {}),
      applicantTypes,
      ...(applicantsText ? { applicantsText } : {}),
      countries: ['DE'],
      nuts: [],
      keywords: [offer.group, ...(page?.announcement ? [page.announcement] : [])].filter(Boolean),
      notices,
      provenance: {
        sourceUrl: page ? (offer.moreUrl ?? ctx.url) : ctx.overviewUrl,
        contentHash: sha256(`${ctx.overviewHash}\n${page?.hash ?? ''}`),
      },
      raw: {
        offer,
        ...(page?.announcement ? { announcement: page.announcement } : {}),
        ...(announcedYear && years[0] && announcedYear !== years[0]
          ? { roundNote: `heading says ${announcedYear}, deadlines fall in ${years[0]}` }
          : {}),
        ...(durations.length ? { durationMonths: durations } : {}),
      },
    },
    ctx.fetchedAt,
  );
  return status ? { ...call, status } : call;
}

// ---------------------------------------------------------------------------------------------
// The adapter

export const SKEW_OVERVIEW_PATH = '/kommunale-foerderung.html';

export const skew: SourceAdapter = {
  id: 'skew',
  name: 'SKEW – Servicestelle Kommunen in der Einen Welt (Engagement Global)',
  defaultBaseUrls: { site: 'https://skew.engagement-global.de' },
  async *crawl(ctx) {
    const overviewUrl = `${ctx.baseUrls.site}${SKEW_OVERVIEW_PATH}`;
    const res = await ctx.http.request(overviewUrl);
    const { offers, hash } = parseSkewOverview(res.body, { url: overviewUrl, fetchedAt: ctx.now });
    const skewHost = new URL(overviewUrl).host;
    const ids: string[] = [];
    let complete = true;
    let done = 0;
    for (const offer of offers) {
      ctx.progress(offer.title, done++, offers.length);
      // Programme pages on the SKEW site are read; links to other Engagement Global sites are not followed.
      const local = offer.moreUrl && new URL(offer.moreUrl).host === skewHost ? offer.moreUrl : undefined;
      let page: SkewProgrammePage | undefined;
      if (local) {
        try {
          const p = await ctx.http.request(local);
          page = parseSkewProgramme(p.body, { url: local, fetchedAt: ctx.now });
        } catch (err) {
          const e = toCrawlError(err, local);
          if (e.critical) throw e;
          // Without its page the call would lose its deadlines: keep the stored one, say so.
          complete = false;
          ids.push(`skew:${offerId(offer, skewHost)}`);
          yield { type: 'error', error: e };
          continue;
        }
      }
      const call = skewOfferToCall(offer, page, {
        url: local ?? overviewUrl,
        fetchedAt: ctx.now,
        overviewUrl,
        overviewHash: hash,
        skewHost,
      });
      ids.push(call.id);
      yield { type: 'call', call };
    }
    ctx.progress('done', offers.length, offers.length);
    yield { type: 'listing', ids, complete };
  },
};
