import { oneLine, safeUrl } from './html.ts';
import type { DigestView } from './view.ts';

/** The plain-text part: the same content as the HTML part, one fact per line. */
export function renderText(v: DigestView): string {
  const t = v.t;
  const out: string[] = [
    v.heading,
    '='.repeat(v.heading.length),
    '',
    v.greeting,
    v.empty ? t.nothingNew : t.intro,
  ];
  const links = (url: string | undefined, pageUrl: string) => {
    const safe = safeUrl(url);
    if (safe) out.push(`  ${t.sourcePage}: ${safe}`);
    out.push(`  ${t.apiLink}: ${pageUrl}`);
  };
  const more = (label: string | undefined, url = v.moreUrl) => {
    if (label) out.push('', `${label}: ${url}`);
  };
  const section = (title: string) => out.push('', '', title, '-'.repeat(title.length));

  if (v.groups.length > 0) {
    section(t.newSection);
    for (const g of v.groups) {
      out.push('', `## ${g.heading}`);
      for (const i of g.items) {
        out.push('', `* ${oneLine(i.title)}`);
        if (i.programme) out.push(`  ${oneLine(i.programme)}`);
        out.push(`  ${oneLine(i.scoreLine)}`, `  ${i.deadline}`);
        if (i.details.length > 0) out.push(`  ${oneLine(i.details.join(' · '))}`);
        out.push(`  ${i.eligibility}`);
        links(i.url, i.pageUrl);
      }
      more(g.more, g.moreUrl);
    }
  }
  if (v.changed.length > 0) {
    section(t.changedSection);
    for (const c of v.changed) {
      out.push('', `* ${oneLine(c.title)}`);
      for (const l of c.lines) out.push(`  ${oneLine(l)}`);
      links(c.url, c.pageUrl);
    }
    more(v.changedMore);
  }
  if (v.closing.length > 0) {
    section(t.closingSection);
    for (const c of v.closing) {
      out.push('', `* ${oneLine(c.title)}`);
      if (c.programme) out.push(`  ${oneLine(c.programme)}`);
      out.push(`  ${t.deadline}: ${c.deadline}`);
      links(c.url, c.pageUrl);
    }
    more(v.closingMore);
  }
  if (v.gaps.length > 0) {
    section(t.gapsSection);
    for (const l of v.gaps) out.push(oneLine(l));
  }
  if (v.coverage.length > 0) {
    section(t.coverageSection);
    for (const l of v.coverage) out.push(oneLine(l));
  }
  out.push('', '-- ', t.footer, `${t.unsubscribe}: ${v.unsubscribeUrl}`, '');
  return out.join('\n');
}
