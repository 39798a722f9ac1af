import { createHash } from 'node:crypto';
import * as cheerio from 'cheerio';

/** Plain text from HTML: block elements become line breaks, entities decoded, whitespace normalized. */
export function htmlToText(html: string): string {
  const $ = cheerio.load(`<div id="root">${html}</div>`, null, false);
  $('script, style').remove();
  $('br').replaceWith('\n');
  $('p, div, h1, h2, h3, h4, h5, h6, tr, dt, dd, ul, ol, table').each((_i, el) => {
    $(el).prepend('\n').append('\n');
  });
  // List items: one per line, no blank line between them.
  $('li').each((_i, el) => {
    $(el).prepend('\n• ');
  });
  // A list item whose content is itself a block (<li><p>…</p></li>) keeps its bullet on the same line.
  return normalizeText($('#root').text()).replace(/^• *\n+/gm, '• ');
}

export function normalizeText(text: string): string {
  return text
    .replace(/[\u200B-\u200D\uFEFF]/g, '')
    .replace(/\u00A0/g, ' ')
    .split('\n')
    .map((l) => l.replace(/[ \t\r\f\v]+/g, ' ').trim())
    .filter((l, i, all) => l !== '' || (i > 0 && all[i - 1] !== ''))
    .join('\n')
    .replace(/^\n+|\n+$/g, '')
    .replace(/\n{3,}/g, '\n\n');
}

const allowedTags = new Set([
  'p',
  'br',
  'ul',
  'ol',
  'li',
  'strong',
  'b',
  'em',
  'i',
  'u',
  'a',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'span',
  'div',
  'abbr',
  'sup',
  'sub',
  'dl',
  'dt',
  'dd',
]);

/**
 * Sanitized HTML for display: only harmless tags survive, attributes are dropped except an
 * http(s)/mailto `href` and `title`; text is kept exactly (CC BY-ND texts stay unmodified).
 */
export function sanitizeHtml(html: string): string {
  const $ = cheerio.load(`<div id="root">${html}</div>`, null, false);
  $('script, style, iframe, object, embed, form, input, button, svg').remove();
  $('#root *').each((_i, el) => {
    if (el.type !== 'tag') return;
    const node = $(el);
    if (!allowedTags.has(el.tagName.toLowerCase())) {
      node.replaceWith(node.contents());
      return;
    }
    for (const name of Object.keys(el.attribs)) {
      const value = el.attribs[name] ?? '';
      const keep = (name === 'href' && /^(https?:|mailto:)/i.test(value.trim())) || name === 'title';
      if (!keep) node.removeAttr(name);
    }
  });
  return ($('#root').html() ?? '').trim();
}

/** Re-exported for the crawlers; the one implementation lives with the other time-zone code. */
export { zonedTimeToUtc } from '../src/domain/time.ts';

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
