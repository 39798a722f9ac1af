import { html, type SafeHtml } from './html.ts';

export type UnsubscribePageKind = 'confirm' | 'done' | 'already' | 'unknown';

const texts: Record<UnsubscribePageKind, { title: string; de: string; en: string }> = {
  confirm: {
    title: 'Digest abbestellen / Unsubscribe',
    de: 'Möchten Sie den Fördermittel-Digest für {email} abbestellen?',
    en: 'Do you want to stop the funding digest for {email}?',
  },
  done: {
    title: 'Abgemeldet / Unsubscribed',
    de: '{email} erhält den Fördermittel-Digest nicht mehr.',
    en: '{email} will no longer receive the funding digest.',
  },
  already: {
    title: 'Bereits abgemeldet / Already unsubscribed',
    de: '{email} ist bereits abgemeldet.',
    en: '{email} is already unsubscribed.',
  },
  unknown: {
    title: 'Link ungültig / Invalid link',
    de: 'Dieser Abmeldelink ist unbekannt. Vielleicht wurde der Empfänger gelöscht.',
    en: 'This unsubscribe link is unknown. The subscriber may have been removed.',
  },
};

function withEmail(text: string, email: string): SafeHtml {
  const [before, after] = text.split('{email}');
  return after === undefined ? html`${text}` : html`${before}<strong>${email}</strong>${after}`;
}

/** A small bilingual page, German first; the confirm form posts back to the same URL (RFC 8058 style). */
export function unsubscribePage(kind: UnsubscribePageKind, email = ''): string {
  const t = texts[kind];
  const form =
    kind === 'confirm'
      ? html`<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit" style="font-size:16px;padding:8px 18px;background:#003064;color:#fff;border:0;border-radius:4px;cursor:pointer">Abbestellen / Unsubscribe</button></form>`
      : '';
  return html`<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${t.title}</title></head>
<body style="font-family:Arial,Helvetica,sans-serif;color:#1d2733;max-width:560px;margin:40px auto;padding:0 16px;line-height:1.5">
<h1 style="font-size:22px;color:#003064">${t.title}</h1>
<p>${withEmail(t.de, email)}</p>
<p lang="en" style="color:#5a6676">${withEmail(t.en, email)}</p>
${form}
<p style="color:#5a6676;font-size:12px;margin-top:32px">foerdermatch</p>
</body></html>
`.value;
}
