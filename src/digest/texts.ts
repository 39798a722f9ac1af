import type { Language } from '../domain/enums.ts';

/** Every fixed string of the digest, German first. Crawled data never goes through here. */
export interface DigestTexts {
  brand: string;
  heading: (period: string) => string;
  greeting: (name: string) => string;
  intro: string;
  newSection: string;
  fieldHeading: (n: number, name: string) => string;
  score: string;
  deadline: string;
  noDeadline: string;
  eligible: string;
  unclear: string;
  sourcePage: string;
  apiLink: string;
  more: (n: number) => string;
  changedSection: string;
  closingSection: string;
  coverageSection: string;
  gapsSection: string;
  gapLine: (n: number, name: string, gaps: number, measures: number) => string;
  coverageLine: (
    name: string,
    outcome: 'failed' | 'blocked' | 'partial',
    runs: number,
    lastOk: string | undefined,
  ) => string;
  deadlineMoved: string;
  statusChanged: string;
  budgetChanged: string;
  rateChanged: string;
  noticeAdded: string;
  none: string;
  nothingNew: string;
  footer: string;
  unsubscribe: string;
  subjectParts: {
    new: (n: number) => string;
    changed: (n: number) => string;
    closing: (n: number) => string;
  };
  subjectEmpty: string;
}

const de: DigestTexts = {
  brand: 'foerdermatch',
  heading: (p) => `Fördermittel-Digest ${p}`,
  greeting: (name) => `Guten Tag ${name},`,
  intro:
    'hier sind die Förderaufrufe, die seit Ihrem letzten Digest zu Ihren Handlungsfeldern und Maßnahmen passen.',
  newSection: 'Neue passende Aufrufe',
  fieldHeading: (n, name) => `Handlungsfeld ${n}: ${name}`,
  score: 'Passung',
  deadline: 'Frist',
  noDeadline: 'keine Frist veröffentlicht',
  eligible: 'Kiel ist antragsberechtigt.',
  unclear: 'Antragsberechtigung unklar – bitte prüfen.',
  sourcePage: 'Ausschreibung',
  apiLink: 'Details und Begründung',
  more: (n) => `${n} weitere`,
  changedSection: 'Geänderte Aufrufe',
  closingSection: 'Fristen in den nächsten 14 Tagen',
  coverageSection: 'Hinweis zur Abdeckung',
  gapsSection: 'Förderlücken',
  gapLine: (n, name, gaps, measures) =>
    `Handlungsfeld ${n} ${name}: ${gaps === 0 ? `alle ${measures === 1 ? 'Maßnahme hat' : `${measures} Maßnahmen haben`} einen passenden Aufruf` : `${gaps} ${gaps === 1 ? 'Maßnahme' : 'Maßnahmen'} ohne passenden Aufruf`} (12 Monate)`,
  coverageLine: (name, outcome, runs, lastOk) =>
    `${name}: ${runs === 1 ? 'der letzte Abruf ist' : `die letzten ${runs} Abrufe sind`} ${{ failed: 'fehlgeschlagen', blocked: 'blockiert worden', partial: 'unvollständig geblieben' }[outcome]}${lastOk ? ` (zuletzt vollständig am ${lastOk})` : ''}; neue Aufrufe dieser Quelle können fehlen.`,
  deadlineMoved: 'Frist verschoben',
  statusChanged: 'Status',
  budgetChanged: 'Budget',
  rateChanged: 'Förderquote',
  noticeAdded: 'Neuer Hinweis',
  none: '–',
  nothingNew: 'Seit dem letzten Digest gibt es keine neuen oder geänderten Aufrufe zu Ihren Themen.',
  footer: 'Diese E-Mail wurde automatisch von foerdermatch erstellt.',
  unsubscribe: 'Digest abbestellen',
  subjectParts: {
    new: (n) => `${n} neu`,
    changed: (n) => `${n} geändert`,
    closing: (n) => `${n} ${n === 1 ? 'Frist' : 'Fristen'} bald`,
  },
  subjectEmpty: 'nichts Neues',
};

const en: DigestTexts = {
  brand: 'foerdermatch',
  heading: (p) => `Funding digest ${p}`,
  greeting: (name) => `Hello ${name},`,
  intro: 'here are the funding calls that match your action fields and measures since your last digest.',
  newSection: 'New matching calls',
  fieldHeading: (n, name) => `Action field ${n}: ${name}`,
  score: 'Fit',
  deadline: 'Deadline',
  noDeadline: 'no deadline published',
  eligible: 'Kiel is eligible to apply.',
  unclear: 'Eligibility unclear – please check.',
  sourcePage: 'Call page',
  apiLink: 'Details and reasons',
  more: (n) => `${n} more`,
  changedSection: 'Changed calls',
  closingSection: 'Deadlines in the next 14 days',
  coverageSection: 'Coverage note',
  gapsSection: 'Funding gaps',
  gapLine: (n, name, gaps, measures) =>
    `Action field ${n} ${name}: ${gaps === 0 ? `${measures === 1 ? 'the measure has' : `all ${measures} measures have`} a fitting call` : `${gaps} ${gaps === 1 ? 'measure' : 'measures'} without a fitting call`} (12 months)`,
  coverageLine: (name, outcome, runs, lastOk) =>
    `${name}: the last ${runs === 1 ? 'crawl' : `${runs} crawls`} ${{ failed: 'failed', blocked: 'were blocked', partial: 'were incomplete' }[outcome]}${lastOk ? ` (last complete on ${lastOk})` : ''}; new calls from this source may be missing.`,
  deadlineMoved: 'Deadline moved',
  statusChanged: 'Status',
  budgetChanged: 'Budget',
  rateChanged: 'Funding rate',
  noticeAdded: 'New notice',
  none: '–',
  nothingNew: 'There are no new or changed calls on your topics since your last digest.',
  footer: 'This email was generated automatically by foerdermatch.',
  unsubscribe: 'Unsubscribe from this digest',
  subjectParts: {
    new: (n) => `${n} new`,
    changed: (n) => `${n} changed`,
    closing: (n) => `${n} closing soon`,
  },
  subjectEmpty: 'nothing new',
};

export const digestTexts: Record<Language, DigestTexts> = { de, en };
