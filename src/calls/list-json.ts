import type { Budget } from '../domain/call.ts';
import type { CallCard, CardText } from './cards.ts';
import type { CallMatchSummary } from './order.ts';
import type { CallListItem } from './query.ts';
import { berlinToday, callHref, type DeadlineView, deadlineView, shownDeadlineIndex } from './view.ts';

/**
 * The calls list (`GET /api/calls`, shape `CallSummary` of src/api/schemas.ts) written as JSON
 * text from parts kept per card. A list answer is twenty cards of mostly fixed text; writing
 * them field by field with escaping on every request was a third of a search request's garbage
 * (and its garbage collections were the long pauses). What a card shows for good (title,
 * summary, budget, link) is written once per kept card; status, deadline, relevance and match
 * are written per answer. The fields and their order are those of the schema, which stays the
 * OpenAPI description; test/calls/list-json.test.ts checks the text against it.
 */

const str = JSON.stringify;
const num = (n: number | null | undefined) => (n === null || n === undefined ? 'null' : str(n));

function budgetJson(b: Budget | null): string {
  if (!b) return 'null';
  let out = `{"currency":${str(b.currency)}`;
  if (b.total !== undefined) out += `,"total":${str(b.total)}`;
  if (b.perProjectMin !== undefined) out += `,"perProjectMin":${str(b.perProjectMin)}`;
  if (b.perProjectMax !== undefined) out += `,"perProjectMax":${str(b.perProjectMax)}`;
  if (b.raw !== undefined) out += `,"raw":${str(b.raw)}`;
  return `${out}}`;
}

function cardText(c: CallCard): CardText {
  c.text ??= {
    head:
      `{"id":${str(c.id)},"source":${str(c.source)},"programme":${c.programme === null ? 'null' : str(c.programme)},` +
      `"identifier":${c.identifier === null ? 'null' : str(c.identifier)},"title":${str(c.title)},` +
      `"summary":${str(c.summary)},"url":${c.url === null ? 'null' : str(c.url)},"language":${str(c.language)},`,
    mid: `"fundingRate":${num(c.fundingRate)},"budget":${budgetJson(c.budget)},`,
    tail: `"href":${str(callHref(c.id))}}`,
    deadlines: c.deadlines.map((d) => ({ ms: Date.parse(d.at), day: Number.NaN, json: '' })),
  };
  return c.text;
}

function deadlineJson(v: DeadlineView): string {
  return (
    `{"at":${str(v.at)},"timeZone":${str(v.timeZone)},"local":${str(v.local)},"berlin":${str(v.berlin)},` +
    `"daysLeft":${num(v.daysLeft)},"stage":${str(v.stage)},"raw":${str(v.raw)}` +
    `${v.label !== undefined ? `,"label":${str(v.label)}` : ''}}`
  );
}

/** The JSON of the deadline a card shows (`nextDeadline`), made once per card, deadline and Berlin day. */
function nextDeadlineJson(c: CallCard, t: CardText, now: number): string {
  const i = shownDeadlineIndex(
    t.deadlines.map((d) => d.ms),
    now,
  );
  if (i < 0) return 'null';
  const kept = t.deadlines[i]!;
  const today = berlinToday(now);
  if (kept.day !== today) {
    kept.json = deadlineJson(deadlineView(c.deadlines[i]!, now, kept.ms));
    kept.day = today;
  }
  return kept.json;
}

function matchJson(m: CallMatchSummary | null): string {
  if (!m) return 'null';
  return `{"target":${str(m.target)},"score":${num(m.score)},"eligibility":${str(m.eligibility)},"reason":${str(m.reason)}}`;
}

/** One list item as JSON text (the `CallSummary` of the API). */
export function callSummaryJson(item: CallListItem, now: number): string {
  const p = cardText(item.call);
  return (
    `${p.head}"status":${str(item.status)},"nextDeadline":${nextDeadlineJson(item.call, p, now)},` +
    `${p.mid}"relevance":${num(item.relevance)},"match":${matchJson(item.match)},${p.tail}`
  );
}

/** A page of the calls list as the JSON text of `{ items, total, next }`. */
export function callListJson(
  items: readonly CallListItem[],
  total: number,
  next: string | null,
  now: number,
) {
  let out = '{"items":[';
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out += ',';
    out += callSummaryJson(items[i]!, now);
  }
  return `${out}],"total":${num(total)},"next":${next === null ? 'null' : str(next)}}`;
}
