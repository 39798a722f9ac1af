import { describe, expect, it } from 'vitest';
import { htmlToText, sanitizeHtml, zonedTimeToUtc } from '../../crawlers/text.ts';

describe('crawl text helpers', () => {
  it('converts wall-clock time in a zone to UTC across daylight saving', () => {
    const at = (y: number, m: number, d: number) =>
      zonedTimeToUtc({ year: y, month: m, day: d, hour: 17, minute: 0 }, 'Europe/Brussels').toISOString();
    expect(at(2026, 3, 28)).toBe('2026-03-28T16:00:00.000Z'); // CET, day before the switch
    expect(at(2026, 3, 29)).toBe('2026-03-29T15:00:00.000Z'); // CEST from 02:00 that night
    expect(at(2026, 10, 25)).toBe('2026-10-25T16:00:00.000Z'); // back to CET
  });

  it('turns HTML into normalized plain text with entities decoded', () => {
    expect(htmlToText('<p>Erste&nbsp;Zeile &amp; mehr</p><ul><li>eins</li><li>zwei</li></ul>\u200b')).toBe(
      'Erste Zeile & mehr\n\n• eins\n• zwei',
    );
    expect(htmlToText('<ul><li><p>Absatz</p></li></ul>')).toBe('• Absatz');
  });

  it('sanitizes HTML: scripts, handlers and javascript: links go, text stays unmodified', () => {
    const html =
      '<p class="x" onclick="evil()">Text <a href="javascript:alert(1)">a</a> <a href="https://ok.example/">b</a></p><script>x()</script><font>kept text</font>';
    expect(sanitizeHtml(html)).toBe('<p>Text <a>a</a> <a href="https://ok.example/">b</a></p>kept text');
  });
});
