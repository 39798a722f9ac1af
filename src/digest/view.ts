import type { Language } from '../domain/enums.ts';
import {
  formatBudget,
  formatDay,
  formatDeadline,
  formatInstant,
  formatPeriod,
  formatRate,
  formatStatus,
} from './format.ts';
import { type Change, type DigestContent, type DigestDeadline, isEmpty } from './model.ts';
import { type DigestTexts, digestTexts } from './texts.ts';

/**
 * The digest as display strings, shared by the HTML and the text renderer so both parts say
 * the same. Values are still raw text here; each renderer escapes for its own format.
 */
export interface ItemView {
  title: string;
  programme?: string;
  scoreLine: string;
  deadline: string;
  details: string[];
  eligibility: string;
  url?: string;
  pageUrl: string;
}

export interface DigestView {
  t: DigestTexts;
  lang: Language;
  subject: string;
  heading: string;
  greeting: string;
  empty: boolean;
  groups: { heading: string; items: ItemView[]; more?: string; moreUrl: string }[];
  changed: { title: string; lines: string[]; url?: string; pageUrl: string }[];
  changedMore?: string;
  closing: { title: string; programme?: string; deadline: string; url?: string; pageUrl: string }[];
  closingMore?: string;
  coverage: string[];
  gaps: string[];
  moreUrl: string;
  unsubscribeUrl: string;
}

function changeLine(c: Change, t: DigestTexts, lang: Language, now: Date): string {
  // The old deadline in its own zone only; the new one in full, with the days left.
  const from = (d: DigestDeadline | undefined) => (d ? formatInstant(d.at, d.timeZone, lang) : t.none);
  switch (c.field) {
    case 'deadline':
      return `${t.deadlineMoved}: ${from(c.from)} → ${c.to ? formatDeadline(c.to, now, lang) : t.none}`;
    case 'status':
      return `${t.statusChanged}: ${formatStatus(c.from, lang)} → ${formatStatus(c.to, lang)}`;
    case 'budget':
      return `${t.budgetChanged}: ${c.from ? formatBudget(c.from, lang) || t.none : t.none} → ${c.to ? formatBudget(c.to, lang) || t.none : t.none}`;
    case 'fundingRate':
      return `${t.rateChanged}: ${c.from !== undefined ? formatRate(c.from, lang) : t.none} → ${c.to !== undefined ? formatRate(c.to, lang) : t.none}`;
    case 'notices':
      return `${t.noticeAdded}: ${c.added.join('; ')}`;
  }
}

export function subjectOf(d: DigestContent): string {
  const t = digestTexts[d.language];
  const n = d.groups.reduce((s, g) => s + g.items.length, 0) + d.newMore;
  const parts = [
    n > 0 ? t.subjectParts.new(n) : '',
    d.changed.length + d.changedMore > 0 ? t.subjectParts.changed(d.changed.length + d.changedMore) : '',
    d.closingSoon.length + d.closingMore > 0
      ? t.subjectParts.closing(d.closingSoon.length + d.closingMore)
      : '',
  ].filter(Boolean);
  return `${t.heading(formatPeriod(d.period, d.language))}: ${parts.length > 0 ? parts.join(', ') : t.subjectEmpty}`;
}

export function buildView(d: DigestContent, now: Date): DigestView {
  const lang = d.language;
  const t = digestTexts[lang];
  return {
    t,
    lang,
    subject: subjectOf(d),
    heading: t.heading(formatPeriod(d.period, lang)),
    greeting: t.greeting(d.subscriberName),
    empty: isEmpty(d),
    groups: d.groups.map((g) => ({
      heading: t.fieldHeading(g.actionFieldNumber, g.actionFieldName),
      ...(g.more > 0 ? { more: t.more(g.more) } : {}),
      moreUrl: g.moreUrl,
      items: g.items.map((i) => ({
        title: i.title,
        ...(i.programme
          ? { programme: i.identifier ? `${i.programme} · ${i.identifier}` : i.programme }
          : {}),
        scoreLine: `${t.score} ${i.score}/100 – ${lang === 'de' ? i.reasonDe : i.reasonEn}`,
        deadline: `${t.deadline}: ${i.deadline ? formatDeadline(i.deadline, now, lang) : t.noDeadline}`,
        details: [
          i.fundingRate !== undefined ? formatRate(i.fundingRate, lang) : '',
          i.budget ? formatBudget(i.budget, lang) : '',
        ].filter(Boolean),
        eligibility: i.eligibility === 'eligible' ? t.eligible : t.unclear,
        ...(i.url ? { url: i.url } : {}),
        pageUrl: i.pageUrl,
      })),
    })),
    changed: d.changed.map((c) => ({
      title: c.title,
      lines: c.changes.map((x) => changeLine(x, t, lang, now)),
      ...(c.url ? { url: c.url } : {}),
      pageUrl: c.pageUrl,
    })),
    ...(d.changedMore > 0 ? { changedMore: t.more(d.changedMore) } : {}),
    closing: d.closingSoon.map((c) => ({
      title: c.title,
      ...(c.programme ? { programme: c.programme } : {}),
      deadline: formatDeadline(c.deadline, now, lang),
      ...(c.url ? { url: c.url } : {}),
      pageUrl: c.pageUrl,
    })),
    ...(d.closingMore > 0 ? { closingMore: t.more(d.closingMore) } : {}),
    coverage: d.coverage.map((c) =>
      t.coverageLine(c.name, c.outcome, c.failedRuns, c.lastOkAt ? formatDay(c.lastOkAt, lang) : undefined),
    ),
    gaps: (d.gaps ?? []).map((g) => t.gapLine(g.actionFieldNumber, g.actionFieldName, g.gaps, g.measures)),
    moreUrl: d.moreUrl,
    unsubscribeUrl: d.unsubscribeUrl,
  };
}
