/** Interreg Deutschland-Danmark: deadlines table, Pool für kürzere Projekte, Bürgerprojektefonds. Pure. */
import type * as cheerio from 'cheerio';
import type { Call } from '../../src/domain/call.ts';
import { oneLine } from '../facts.ts';
import { programmeAreas } from '../interreg-areas.ts';
import { blockText, mainContent, slug } from '../page.ts';
import { sha256 } from '../text.ts';
import { layoutChanged, MAIN, type PageContext, programmeCall } from './common.ts';

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
