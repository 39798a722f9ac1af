import type { Budget } from '../domain/call.ts';
import { callStatuses } from '../domain/enums.ts';
import type { CallCard, CardText } from './cards.ts';
import { type DeflatedPiece, deflatePiece, GzipPieces } from './gzip-pieces.ts';
import { keptBytes, ownBytes } from './kept-bytes.ts';
import type { CallMatchSummary } from './order.ts';
import type { CallListItem } from './query.ts';
import { berlinToday, callHref, type DeadlineView, deadlineView } from './view.ts';

/**
 * The calls list (`GET /api/calls`, shape `CallSummary` of src/api/schemas.ts) written as JSON
 * from parts kept per card. A list answer is twenty cards of mostly fixed text; writing
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

/** UTF-8 bytes of JSON text (list parts are kept as bytes: written once, copied per answer). */
const bytes = (text: string) => Buffer.from(text);

function cardText(c: CallCard): CardText {
  c.text ??= {
    head: keptBytes(
      `{"id":${str(c.id)},"source":${str(c.source)},"programme":${c.programme === null ? 'null' : str(c.programme)},` +
        `"identifier":${c.identifier === null ? 'null' : str(c.identifier)},"title":${str(c.title)},` +
        `"summary":${str(c.summary)},"url":${c.url === null ? 'null' : str(c.url)},"language":${str(c.language)},`,
    ),
    mid: keptBytes(`,"fundingRate":${num(c.fundingRate)},"budget":${budgetJson(c.budget)},"relevance":`),
    tail: keptBytes(`,"href":${str(callHref(c.id))}}`),
    deadlines: c.deadlines.map((d) => ({ ms: Date.parse(d.at), day: Number.NaN, json: nothing })),
  };
  return c.text;
}

const nothing = Buffer.alloc(0);
const nullBytes = bytes('null');
const statusBytes = new Map(callStatuses.map((s) => [s, bytes(`"status":${str(s)},"nextDeadline":`)]));
const matchKey = bytes(',"match":');
const comma = bytes(',');

function deadlineJson(v: DeadlineView): string {
  return (
    `{"at":${str(v.at)},"timeZone":${str(v.timeZone)},"local":${str(v.local)},"berlin":${str(v.berlin)},` +
    `"daysLeft":${num(v.daysLeft)},"stage":${str(v.stage)},"raw":${str(v.raw)}` +
    `${v.label !== undefined ? `,"label":${str(v.label)}` : ''}}`
  );
}

/** The JSON of the deadline a card shows (`nextDeadline`), made once per card, deadline and Berlin day. */
function nextDeadlineJson(c: CallCard, t: CardText, now: number): Buffer {
  let i = -1;
  let last = -1;
  for (let k = 0; k < t.deadlines.length; k++) {
    const at = t.deadlines[k]!.ms;
    if (at >= now && (i < 0 || at < t.deadlines[i]!.ms)) i = k;
    if (last < 0 || at >= t.deadlines[last]!.ms) last = k;
  }
  if (i < 0) i = last;
  if (i < 0) return nullBytes;
  const kept = t.deadlines[i]!;
  const today = berlinToday(now);
  if (kept.day !== today) {
    kept.json = ownBytes(deadlineJson(deadlineView(c.deadlines[i]!, now, kept.ms)));
    kept.day = today;
  }
  return kept.json;
}

function matchJson(m: CallMatchSummary | null): string {
  if (!m) return 'null';
  return `{"target":${str(m.target)},"score":${num(m.score)},"eligibility":${str(m.eligibility)},"reason":${str(m.reason)}}`;
}

/** Where the parts of a list answer go: a card's fixed part as a whole, the rest piece by piece. */
interface Sink {
  card(t: CardText, status: Buffer, deadline: Buffer): void;
  plain(b: Buffer): void;
}

/** Writes the parts of a page of the calls list, `{ items, total, next }`, into `sink`. */
function writeList(
  sink: Sink,
  items: readonly CallListItem[],
  total: number,
  next: string | null,
  now: number,
): void {
  sink.plain(bytes('{"items":['));
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (i > 0) sink.plain(comma);
    const t = cardText(item.call);
    sink.card(t, statusBytes.get(item.status)!, nextDeadlineJson(item.call, t, now));
    sink.plain(item.relevance === null ? nullBytes : bytes(str(item.relevance)));
    sink.plain(matchKey);
    sink.plain(item.match ? bytes(matchJson(item.match)) : nullBytes);
    sink.plain(t.tail);
  }
  sink.plain(bytes(`],"total":${num(total)},"next":${next === null ? 'null' : str(next)}}`));
}

/**
 * A page of the calls list as the JSON bytes of `{ items, total, next }`: the kept parts of
 * each card copied once into the answer (no text is built, flattened and encoded per request).
 */
export function callListJson(
  items: readonly CallListItem[],
  total: number,
  next: string | null,
  now: number,
): Buffer {
  const out: Buffer[] = [];
  const sink: Sink = {
    card: (t, status, deadline) => out.push(t.head, status, deadline, t.mid),
    plain: (b) => out.push(b),
  };
  writeList(sink, items, total, next, now);
  return Buffer.concat(out);
}

/** The card's fixed part as a kept gzip piece, made anew when its status or deadline JSON changed. */
function pieceOf(t: CardText, status: Buffer, deadline: Buffer): DeflatedPiece {
  const kept = t.piece;
  if (kept && kept.status === status && kept.deadline === deadline) return kept.deflated;
  const deflated = deflatePiece(Buffer.concat([t.head, status, deadline, t.mid]));
  t.piece = { status, deadline, deflated };
  return deflated;
}

/** The same page as `callListJson`, as a gzip member made from the cards' kept pieces. */
export function callListGzip(
  items: readonly CallListItem[],
  total: number,
  next: string | null,
  now: number,
): Buffer {
  const gz = new GzipPieces();
  const sink: Sink = {
    card: (t, status, deadline) => gz.deflated(pieceOf(t, status, deadline)),
    plain: (b) => gz.plain(b),
  };
  writeList(sink, items, total, next, now);
  return gz.end();
}
