import { html, type SafeHtml, safeUrl } from './html.ts';
import type { DigestTexts } from './texts.ts';
import type { DigestView, ItemView } from './view.ts';

// Inline styles only: mail clients drop <style> blocks and the digest loads no remote resources.
const s = {
  body: 'margin:0;padding:0;background:#f4f5f7;',
  wrap: 'max-width:680px;margin:0 auto;padding:24px 16px;font-family:Arial,Helvetica,sans-serif;color:#1d2733;font-size:15px;line-height:1.45;',
  h1: 'font-size:22px;margin:0 0 12px;color:#003064;',
  h2: 'font-size:18px;margin:28px 0 8px;color:#003064;border-bottom:2px solid #003064;padding-bottom:4px;',
  h3: 'font-size:16px;margin:18px 0 6px;color:#2c4a6b;',
  card: 'background:#ffffff;border:1px solid #d9dee5;border-radius:6px;padding:12px 14px;margin:0 0 10px;',
  title: 'font-weight:bold;font-size:16px;margin:0 0 4px;',
  muted: 'color:#5a6676;font-size:13px;margin:0 0 4px;',
  line: 'margin:0 0 4px;',
  link: 'color:#0a58a8;',
  note: 'background:#fff7e0;border:1px solid #e8c860;border-radius:6px;padding:10px 14px;margin:16px 0;font-size:14px;',
  footer: 'color:#5a6676;font-size:12px;margin-top:28px;border-top:1px solid #d9dee5;padding-top:10px;',
};

function link(url: string | undefined, label: string): SafeHtml | string {
  const safe = safeUrl(url);
  return safe ? html`<a href="${safe}" style="${s.link}">${label}</a>` : '';
}

function links(url: string | undefined, pageUrl: string, t: DigestTexts): SafeHtml {
  const source = link(url, t.sourcePage);
  return html`<p style="${s.line}">${source ? html`${source} · ` : ''}${link(pageUrl, t.apiLink)}</p>`;
}

function item(i: ItemView, t: DigestTexts): SafeHtml {
  return html`<div style="${s.card}">
<p style="${s.title}">${i.title}</p>
${i.programme ? html`<p style="${s.muted}">${i.programme}</p>` : ''}
<p style="${s.line}">${i.scoreLine}</p>
<p style="${s.line}">${i.deadline}</p>
${i.details.length > 0 ? html`<p style="${s.line}">${i.details.join(' · ')}</p>` : ''}
<p style="${s.muted}">${i.eligibility}</p>
${links(i.url, i.pageUrl, t)}
</div>`;
}

/** The HTML part. Every string from the view is escaped by the `html` tag. */
export function renderHtml(v: DigestView): string {
  const t = v.t;
  const more = (label: string | undefined, url = v.moreUrl) =>
    label ? html`<p style="${s.line}">${link(url, `${label} →`)}</p>` : '';

  const body = html`<!DOCTYPE html>
<html lang="${v.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${v.subject}</title></head>
<body style="${s.body}"><div style="${s.wrap}">
<h1 style="${s.h1}">${v.heading}</h1>
<p style="${s.line}">${v.greeting}</p>
${v.empty ? html`<p style="${s.line}">${t.nothingNew}</p>` : html`<p style="${s.line}">${t.intro}</p>`}
${
  v.groups.length > 0
    ? html`<h2 style="${s.h2}">${t.newSection}</h2>
${v.groups.map(
  (g) => html`<h3 style="${s.h3}">${g.heading}</h3>
${g.items.map((i) => item(i, t))}
${more(g.more, g.moreUrl)}`,
)}`
    : ''
}
${
  v.changed.length > 0
    ? html`<h2 style="${s.h2}">${t.changedSection}</h2>
${v.changed.map(
  (c) => html`<div style="${s.card}"><p style="${s.title}">${c.title}</p>
${c.lines.map((l) => html`<p style="${s.line}">${l}</p>`)}
${links(c.url, c.pageUrl, t)}</div>`,
)}
${more(v.changedMore)}`
    : ''
}
${
  v.closing.length > 0
    ? html`<h2 style="${s.h2}">${t.closingSection}</h2>
${v.closing.map(
  (c) => html`<div style="${s.card}"><p style="${s.title}">${c.title}</p>
${c.programme ? html`<p style="${s.muted}">${c.programme}</p>` : ''}
<p style="${s.line}">${t.deadline}: ${c.deadline}</p>
${links(c.url, c.pageUrl, t)}</div>`,
)}
${more(v.closingMore)}`
    : ''
}
${
  v.gaps.length > 0
    ? html`<div style="${s.note}"><strong>${t.gapsSection}</strong>
${v.gaps.map((l) => html`<p style="${s.line}">${l}</p>`)}</div>`
    : ''
}
${
  v.coverage.length > 0
    ? html`<div style="${s.note}"><strong>${t.coverageSection}</strong>
${v.coverage.map((l) => html`<p style="${s.line}">${l}</p>`)}</div>`
    : ''
}
<div style="${s.footer}"><p style="${s.line}">${t.footer}</p>
<p style="${s.line}">${link(v.unsubscribeUrl, t.unsubscribe)}</p></div>
</div></body></html>
`;
  return body.value;
}
