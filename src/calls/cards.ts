import type Database from 'better-sqlite3';
import type { Budget, Deadline } from '../domain/call.ts';
import type { SourceId } from '../domain/enums.ts';
import { callsGeneration } from '../sql.ts';
import type { DeflatedPiece } from './gzip-pieces.ts';
import { SharedStrings } from './shared-strings.ts';

/**
 * What a list shows of a call, read straight from SQLite without re-validating every row
 * (rows were validated on the way in by `upsertCall`). Lists read 20–100 of these per request,
 * so this path stays lean; `getCall` is the full, validated read.
 */
export interface CallCard {
  id: string;
  source: SourceId;
  sourceId: string;
  funder: string | null;
  programme: string | null;
  identifier: string | null;
  title: string;
  summary: string;
  url: string | null;
  language: string;
  openingDate: string | null;
  deadlines: Deadline[];
  budget: Budget | null;
  fundingRate: number | null;
  applicantsText: string | null;
  keywords: string[];
  fetchedAt: string;
  sourceUrl: string;
  firstSeenAt: string;
  delistedAt: string | null;
  /** The card as lists write it, kept with the card once written (src/calls/list-json.ts). */
  text?: CardText;
}

/**
 * List text of a card. Kept on the card itself rather than in a WeakMap beside it: weak maps
 * with thousands of young keys made every young garbage collection several times slower.
 */
export interface CardText {
  /** JSON bytes from `{` to `"language":…,` */
  head: Buffer;
  /** `,"fundingRate":…,"budget":…,"relevance":` */
  mid: Buffer;
  /** `,"href":…}` */
  tail: Buffer;
  /** Per deadline, in the order of `deadlines`: its instant, and its JSON as of Berlin day `day`. */
  deadlines: { ms: number; day: number; json: Buffer }[];
  /**
   * head, status, next deadline and mid deflated as one gzip piece (src/calls/gzip-pieces.ts),
   * for the status and deadline JSON it was made with (the very buffers: made anew when either is).
   */
  piece?: { status: Buffer; deadline: Buffer; deflated: DeflatedPiece };
}

interface Row {
  id: string;
  source: SourceId;
  source_id: string;
  funder: string | null;
  programme: string | null;
  identifier: string | null;
  title: string;
  summary: string;
  url: string | null;
  language: string;
  opening_date: string | null;
  budget: string | null;
  funding_rate: number | null;
  applicants_text: string | null;
  keywords: string;
  fetched_at: string;
  source_url: string;
  first_seen_at: string;
  delisted_at: string | null;
}

const statements = new WeakMap<
  Database.Database,
  Map<number, { calls: Database.Statement; deadlines: Database.Statement }>
>();

function prepared(sqlite: Database.Database, n: number) {
  let byN = statements.get(sqlite);
  if (!byN) {
    byN = new Map();
    statements.set(sqlite, byN);
  }
  let st = byN.get(n);
  if (!st) {
    const marks = Array.from({ length: n }, () => '?').join(',');
    st = {
      calls: sqlite.prepare(
        `select id, source, source_id, funder, programme, identifier, title, summary, url, language, opening_date,
                budget, funding_rate, applicants_text, keywords, fetched_at, source_url, first_seen_at, delisted_at
         from calls where id in (${marks})`,
      ),
      deadlines: sqlite.prepare(
        `select call_id, at, time_zone, raw, stage, label from call_deadlines where call_id in (${marks})
         order by call_id, position`,
      ),
    };
    byN.set(n, st);
  }
  return st;
}

/**
 * Cards already read, per connection, while the calls and their deadlines stay the same (a
 * write to them, by this connection or another process, empties it; see `callsGeneration`).
 * Rows with long texts span several pages, so reading 20 cards costs more than the rest of a
 * list request. Cards are shared: callers never mutate them.
 */
const known = new WeakMap<Database.Database, { generation: number; cards: Map<string, CallCard> }>();
/**
 * Room for every card of a large database (the bench's 20,000 calls: ~2 kB each with its list
 * text). A full cache stops changing, and cards entering it were what survived young garbage
 * collections; at 5,000 (cleared when full) every fourth card of a search was read again and
 * a request cost ~25 % more CPU.
 */
const maxKnown = 25_000;

/** Cards for the given ids, in the order of `ids` (missing ids are skipped). */
export function getCallCards(sqlite: Database.Database, ids: readonly string[]): CallCard[] {
  if (ids.length === 0) return [];
  const generation = callsGeneration(sqlite);
  // Inside a transaction: read afresh and keep nothing (see callsGeneration).
  if (generation === undefined)
    return orderedAs(ids, new Map(readCards(sqlite, [...new Set(ids)]).map((c) => [c.id, c])));
  let memo = known.get(sqlite);
  if (!memo || memo.generation !== generation) {
    memo = { generation, cards: new Map() };
    known.set(sqlite, memo);
  }
  const cards = memo.cards;
  const missing = [...new Set(ids.filter((id) => !cards.has(id)))];
  if (missing.length > 0) {
    if (cards.size + missing.length > maxKnown) cards.clear();
    for (const card of readCards(sqlite, missing)) cards.set(card.id, card);
  }
  return orderedAs(ids, cards);
}

function orderedAs(ids: readonly string[], cards: ReadonlyMap<string, CallCard>): CallCard[] {
  return ids.map((id) => cards.get(id)).filter((c): c is CallCard => c !== undefined);
}

/** Kept cards repeat these values across calls and deadlines: one copy each. */
const shared = new SharedStrings();

function readCards(sqlite: Database.Database, ids: readonly string[]): CallCard[] {
  const st = prepared(sqlite, ids.length);
  const rows = st.calls.all(...ids) as Row[];
  const deadlines = new Map<string, Deadline[]>();
  for (const d of st.deadlines.all(...ids) as Array<{
    call_id: string;
    at: string;
    time_zone: string;
    raw: string;
    stage: Deadline['stage'];
    label: string | null;
  }>) {
    const list = deadlines.get(d.call_id) ?? [];
    list.push({
      at: d.at,
      timeZone: shared.of(d.time_zone),
      raw: d.raw,
      stage: shared.of(d.stage) as Deadline['stage'],
      ...(d.label ? { label: shared.of(d.label) } : {}),
    });
    deadlines.set(d.call_id, list);
  }
  const byId = new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        source: shared.of(r.source) as SourceId,
        sourceId: r.source_id,
        funder: shared.of(r.funder),
        programme: shared.of(r.programme),
        identifier: r.identifier,
        title: r.title,
        summary: r.summary,
        // Rows written before links were checked may hold another scheme (the scheme test is
        // enough here; new rows are checked in full by \`upsertCall\`).
        url: r.url && /^https?:\/\//i.test(r.url) ? r.url : null,
        language: shared.of(r.language),
        openingDate: r.opening_date,
        deadlines: deadlines.get(r.id) ?? [],
        budget: r.budget ? (JSON.parse(r.budget) as Budget) : null,
        fundingRate: r.funding_rate,
        applicantsText: r.applicants_text,
        keywords: JSON.parse(r.keywords) as string[],
        fetchedAt: shared.of(r.fetched_at),
        sourceUrl: shared.of(r.source_url),
        firstSeenAt: shared.of(r.first_seen_at),
        delistedAt: r.delisted_at,
      } satisfies CallCard,
    ]),
  );
  return ids.map((id) => byId.get(id)).filter((c): c is CallCard => c !== undefined);
}
