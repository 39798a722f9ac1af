import type { Budget } from '../domain/call.ts';
import type { Cadence, CallStatus, CrawlOutcome, Eligibility, Language } from '../domain/enums.ts';

/**
 * The composed digest: plain data, stored as JSON on the outbox row so every attempt (and a
 * resend after a crash) renders the same mail. Crawled strings stay raw here; the renderers
 * escape them.
 */
export interface DigestDeadline {
  at: string;
  timeZone: string;
  label?: string;
}

export interface NewItem {
  callId: string;
  title: string;
  programme?: string;
  identifier?: string;
  score: number;
  reasonDe: string;
  reasonEn: string;
  eligibility: Exclude<Eligibility, 'excluded'>;
  /** Action field key or measure id whose match ranked this call. */
  target: string;
  status: CallStatus;
  deadline?: DigestDeadline;
  fundingRate?: number;
  budget?: Budget;
  url?: string;
  pageUrl: string;
}

export interface NewGroup {
  actionFieldKey: string;
  actionFieldNumber: number;
  actionFieldName: string;
  items: NewItem[];
  /** Calls of this field left out by the item limit, and where to see them all. */
  more: number;
  moreUrl: string;
}

export type Change =
  | { field: 'deadline'; from?: DigestDeadline; to?: DigestDeadline }
  | { field: 'status'; from?: CallStatus; to?: CallStatus }
  | { field: 'budget'; from?: Budget; to?: Budget }
  | { field: 'fundingRate'; from?: number; to?: number }
  | { field: 'notices'; added: string[] };

export interface ChangedItem {
  callId: string;
  title: string;
  url?: string;
  pageUrl: string;
  changes: Change[];
}

export interface ClosingItem {
  callId: string;
  title: string;
  programme?: string;
  deadline: DigestDeadline;
  url?: string;
  pageUrl: string;
}

export interface CoverageNote {
  source: string;
  name: string;
  outcome: Exclude<CrawlOutcome, 'ok' | 'running'>;
  /** Failed runs in a row, newest first. */
  failedRuns: number;
  lastOkAt?: string;
}

/** Funding gaps of one followed action field (src/coverage/gaps.ts). */
export interface GapLine {
  actionFieldNumber: number;
  actionFieldName: string;
  gaps: number;
  measures: number;
}

export interface DigestContent {
  version: 1;
  period: string;
  cadence: Cadence;
  language: Language;
  subscriberName: string;
  generatedAt: string;
  /** Start of the window (the subscriber's previous digest), absent for the first one. */
  since?: string;
  groups: NewGroup[];
  /** New calls not shown because of the item limit (over all groups). */
  newMore: number;
  changed: ChangedItem[];
  changedMore: number;
  closingSoon: ClosingItem[];
  closingMore: number;
  coverage: CoverageNote[];
  /** One line per followed action field: measures without a fitting call in 12 months. Absent in older rows. */
  gaps?: GapLine[];
  /** The subscriber's open calls in full, behind "N more" of the changed and closing-soon sections. */
  moreUrl: string;
  unsubscribeUrl: string;
}

export function itemCount(d: DigestContent): number {
  return d.groups.reduce((n, g) => n + g.items.length, 0) + d.changed.length + d.closingSoon.length;
}

export function isEmpty(d: DigestContent): boolean {
  return itemCount(d) === 0;
}
