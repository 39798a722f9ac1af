/**
 * Reading the main content of a watched page, and turning parsed facts into a validated Call.
 * Change detection hashes the main content only, so a new cookie banner or footer date does
 * not count as a change of the call.
 */
import * as cheerio from 'cheerio';

import { archivedFrom, type Call, type CallInput, callSchema, computeStatus } from '../src/domain/call.ts';
import { CrawlError } from './errors.ts';
import { oneLine } from './facts.ts';
import { sha256 } from './text.ts';

export type Cheerio = cheerio.CheerioAPI;
/** A selection of elements, as `$(selector)` returns it. */
export type Selection = ReturnType<Cheerio>;

export interface MainContent {
  $: Cheerio;
  main: Selection;
  /** Plain text of the main content, whitespace normalized. */
  text: string;
  /** sha256 of `text`: equal hash, unchanged page. */
  hash: string;
}

const NOISE = 'script, style, noscript, nav, .breadcrumb, .cookie-banner, form, iframe';

/**
 * The main content of a page: the first of `selectors` that exists. A page without any of them
 * has a layout we no longer recognise, which is an error the run must see, not an empty result.
 */
export function mainContent(html: string, selectors: readonly string[], url: string): MainContent {
  const $ = cheerio.load(html);
  for (const sel of selectors) {
    const main = $(sel).first();
    if (main.length === 0) continue;
    main.find(NOISE).remove();
    const text = blockText($, main);
    return { $, main, text, hash: sha256(text) };
  }
  throw new CrawlError('layout', `layout not recognised: none of ${selectors.join(', ')} on ${url}`, { url });
}

const BLOCKS = new Set(['p', 'li', 'tr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'div', 'table', 'br']);

/** Text with one line per block element, so list items and table rows stay apart. */
export function blockText($: Cheerio, el: Selection): string {
  const parts: string[] = [];
  const walk = (nodes: Selection) => {
    nodes.contents().each((_i, node) => {
      if (node.type === 'text') parts.push(node.data);
      else if (node.type === 'tag' && node.name === 'dt') {
        // "Opens: 17 April 2023" on one line, so the label stays next to its date.
        parts.push('\n');
        walk($(node));
        parts.push(': ');
      } else if (node.type === 'tag' && node.name === 'dd') {
        walk($(node));
        parts.push('\n');
      } else if (node.type === 'tag') {
        const block = BLOCKS.has(node.name);
        if (block) parts.push('\n');
        if (node.name === 'td' || node.name === 'th') parts.push(' | ');
        walk($(node));
        if (block) parts.push('\n');
      }
    });
  };
  walk(el);
  return parts
    .join('')
    .split('\n')
    .map((l) => oneLine(l).replace(/^\|\s*/, ''))
    .filter(Boolean)
    .join('\n');
}

/** Plain text of an HTML fragment (entities decoded, whitespace normalized). */
export function htmlToText(html: string): string {
  const $ = cheerio.load(`<div id="x">${html}</div>`);
  return blockText($, $('#x')).replace(/\n/g, ' ');
}

export type CallDraft = Omit<CallInput, 'status' | 'provenance'> & {
  provenance: { sourceUrl: string; contentHash: string; attribution?: string };
};

/** Validates a draft into a Call, status computed from its dates at fetch time. */
export function finishCall(draft: CallDraft, fetchedAt: Date): Call {
  const deadlines = draft.deadlines ?? [];
  return callSchema.parse({
    ...draft,
    status: computeStatus(deadlines, draft.openingDate, fetchedAt, archivedFrom(draft)),
    provenance: { ...draft.provenance, fetchedAt: fetchedAt.toISOString() },
  });
}

/** URL-safe, stable slug for ids: "Reguläre Projekte – Herbst 2024" → "regulaere-projekte-herbst-2024". */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
