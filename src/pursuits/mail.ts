import type { Config } from '../config.ts';
import { formatDeadline, formatInstant } from '../digest/format.ts';
import { escapeHtml, oneLine, safeUrl } from '../digest/html.ts';
import type { Deadline } from '../domain/call.ts';
import type { Language } from '../domain/enums.ts';
import type { Pursuit } from './model.ts';
import { statusLabels } from './status.ts';

/** A composed pursuit mail, stored on its outbox row so every attempt sends the same. */
export interface PursuitMailContent {
  language: Language;
  subject: string;
  text: string;
  html: string;
}

export interface CallChange {
  field: string;
  from: unknown;
  to: unknown;
}

const texts = {
  de: {
    greeting: (n: string) => `Guten Tag ${n},`,
    reminderSubject: (days: number, title: string) =>
      `Erinnerung: Frist in ${days} ${days === 1 ? 'Tag' : 'Tagen'} – ${title}`,
    reminderIntro: (days: number) =>
      `die Frist des Aufrufs, den Sie verfolgen, endet in ${days} ${days === 1 ? 'Tag' : 'Tagen'}; das Vorhaben ist noch nicht eingereicht.`,
    changeSubject: (title: string) => `Aufruf geändert: ${title}`,
    changeIntro: 'der Aufruf, den Sie verfolgen, hat sich geändert:',
    deadline: 'Frist',
    status: 'Stand des Vorhabens',
    measures: 'Maßnahmen',
    callPage: 'Ausschreibung',
    pursuit: 'Vorhaben',
    moved: 'Frist verschoben',
    textChanged: (f: string) =>
      `Text geändert (${{ title: 'Titel', summary: 'Kurzbeschreibung', description: 'Beschreibung' }[f] ?? f})`,
    other: (f: string) => `Geändert: ${f}`,
    none: '–',
    footer: 'Diese E-Mail wurde automatisch von foerdermatch erstellt, weil Sie das Vorhaben verantworten.',
  },
  en: {
    greeting: (n: string) => `Hello ${n},`,
    reminderSubject: (days: number, title: string) =>
      `Reminder: deadline in ${days} day${days === 1 ? '' : 's'} – ${title}`,
    reminderIntro: (days: number) =>
      `the deadline of the call you pursue ends in ${days} day${days === 1 ? '' : 's'}; the application is not submitted yet.`,
    changeSubject: (title: string) => `Call changed: ${title}`,
    changeIntro: 'the call you pursue has changed:',
    deadline: 'Deadline',
    status: 'Pursuit status',
    measures: 'Measures',
    callPage: 'Call page',
    pursuit: 'Pursuit',
    moved: 'Deadline moved',
    textChanged: (f: string) => `Text changed (${f})`,
    other: (f: string) => `Changed: ${f}`,
    none: '–',
    footer: 'This email was generated automatically by foerdermatch because you own the pursuit.',
  },
} as const;

function nextAt(list: unknown, now: Date): Deadline | undefined {
  const ds = (Array.isArray(list) ? list : []) as Deadline[];
  const sorted = [...ds].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return sorted.find((d) => Date.parse(d.at) >= now.getTime()) ?? sorted.at(-1);
}

/** One line per change, in the owner's language. */
export function changeLines(changes: readonly CallChange[], lang: Language, now: Date): string[] {
  const t = texts[lang];
  return changes.map((c) => {
    if (c.field === 'deadlines') {
      const a = nextAt(c.from, now);
      const b = nextAt(c.to, now);
      return `${t.moved}: ${a ? formatInstant(a.at, a.timeZone, lang) : t.none} → ${b ? formatDeadline(b, now, lang) : t.none}`;
    }
    if (['title', 'summary', 'description'].includes(c.field)) return t.textChanged(c.field);
    return t.other(c.field);
  });
}

function render(
  lang: Language,
  subject: string,
  owner: string,
  intro: string,
  lines: string[],
  links: [string, string][],
): PursuitMailContent {
  const t = texts[lang];
  const text = [
    t.greeting(owner),
    '',
    intro,
    '',
    ...lines.map((l) => `* ${oneLine(l)}`),
    '',
    ...links.map(([k, u]) => `${k}: ${u}`),
    '',
    '-- ',
    t.footer,
    '',
  ].join('\n');
  const html = `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body style="font-family:Arial,Helvetica,sans-serif;color:#1d2733;line-height:1.45"><p>${escapeHtml(t.greeting(owner))}</p><p>${escapeHtml(intro)}</p><ul>${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul><p>${links.map(([k, u]) => `<a href="${escapeHtml(u)}">${escapeHtml(k)}</a>`).join(' · ')}</p><p style="color:#667;font-size:13px">${escapeHtml(t.footer)}</p></body></html>`;
  return { language: lang, subject, text, html };
}

function facts(p: Pursuit, lang: Language, now: Date): { lines: string[]; links: [string, string][] } {
  const t = texts[lang];
  const d = p.call.nextDeadline;
  return {
    lines: [
      p.call.title,
      ...(p.call.programme ? [p.call.programme] : []),
      `${t.deadline}: ${d ? formatDeadline(d, now, lang) : t.none}`,
      `${t.status}: ${statusLabels[lang][p.status]}`,
      `${t.measures}: ${p.measures.join(', ')}`,
    ],
    links: [],
  };
}

function linksOf(config: Config, p: Pursuit, lang: Language): [string, string][] {
  const t = texts[lang];
  const url = safeUrl(p.call.url ?? undefined);
  return [
    ...(url ? [[t.callPage, url] as [string, string]] : []),
    [t.pursuit, `${config.publicBaseUrl}/api/pursuits/${p.id}`],
  ];
}

export function reminderMail(config: Config, p: Pursuit, days: number, now: Date): PursuitMailContent {
  const lang = p.owner.language;
  const t = texts[lang];
  const f = facts(p, lang, now);
  return render(
    lang,
    t.reminderSubject(days, oneLine(p.call.title)),
    p.owner.name,
    t.reminderIntro(days),
    f.lines,
    linksOf(config, p, lang),
  );
}

export function changeMail(
  config: Config,
  p: Pursuit,
  changes: readonly CallChange[],
  now: Date,
): PursuitMailContent {
  const lang = p.owner.language;
  const t = texts[lang];
  const f = facts(p, lang, now);
  return render(
    lang,
    t.changeSubject(oneLine(p.call.title)),
    p.owner.name,
    t.changeIntro,
    [...changeLines(changes, lang, now), '', ...f.lines].filter(Boolean),
    linksOf(config, p, lang),
  );
}
