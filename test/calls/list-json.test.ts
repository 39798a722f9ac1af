import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { callSummaryOut } from '../../src/api/schemas.ts';
import { fastSerializerCompiler } from '../../src/api/serialize.ts';
import { callListGzip, callListJson } from '../../src/calls/list-json.ts';
import { type CallListItem, queryCalls } from '../../src/calls/query.ts';
import { upsertCall } from '../../src/calls/store.ts';
import { callHref, deadlineView, shownDeadline } from '../../src/calls/view.ts';
import type { Call } from '../../src/domain/call.ts';
import { sampleCall } from '../helpers/calls.ts';
import { useTestContext } from '../helpers/context.ts';
import { insertMatch } from '../helpers/matches.ts';

const listOut = z.object({
  items: z.array(callSummaryOut),
  total: z.number().int(),
  next: z.string().nullable(),
});
/** The schema's own serializer (fast-json-stringify): what the route wrote before. */
const bySchema = fastSerializerCompiler({ schema: listOut });

/** The list item as the schema describes it, field by field. */
function reference(i: CallListItem, now: number) {
  const c = i.call;
  const d = shownDeadline(c, now);
  return {
    id: c.id,
    source: c.source,
    programme: c.programme,
    identifier: c.identifier,
    title: c.title,
    summary: c.summary,
    url: c.url,
    language: c.language,
    status: i.status,
    nextDeadline: d ? deadlineView(d, now) : null,
    fundingRate: c.fundingRate,
    budget: c.budget,
    relevance: i.relevance,
    match: i.match,
    href: callHref(c.id),
  };
}

const awkward = 'Quote " backslash \\ line\nbreak\ttab \u0001 – Städte 城市 😀 lone \ud800 end';
const calls: Call[] = [
  sampleCall({
    id: 'eu-ft:A',
    sourceId: 'A',
    title: `Partnerschaft ${awkward}`,
    summary: `${awkward} `.repeat(8),
    budget: { currency: 'EUR', total: 1_500_000, perProjectMax: 60_000.5, raw: 'bis zu "60.000" €' },
    fundingRate: 0.9,
    deadlines: [
      {
        at: '2027-03-01T10:00:00.000Z',
        timeZone: 'Europe/Brussels',
        raw: 'b',
        stage: 'full-application',
        label: 'Vollantrag',
      },
      {
        at: '2026-11-01T10:00:00.000Z',
        timeZone: 'America/New_York',
        raw: 'a',
        stage: 'sketch',
        label: 'Skizze',
      },
    ],
  }),
  sampleCall({
    id: 'eu-ft:B',
    sourceId: 'B',
    title: 'Partnerschaft ohne alles',
    programme: undefined,
    identifier: undefined,
    url: undefined,
    deadlines: [],
    budget: undefined,
    fundingRate: undefined,
  }),
  sampleCall({ id: 'eu-ft:C', sourceId: 'C', title: 'Partnerschaft, eine Frist', language: 'de' }),
];

describe('calls list as JSON text', () => {
  const makeCtx = useTestContext();

  it('writes exactly what the schema serializer writes, for awkward text, nulls, labels and matches', () => {
    const ctx = makeCtx();
    for (const c of calls) upsertCall(ctx.dbh.db, c);
    insertMatch(ctx, { callId: 'eu-ft:A', target: 'staedtepartnerschaften', score: 71.25, reason: awkward });
    insertMatch(ctx, {
      callId: 'eu-ft:C',
      target: 'staedtepartnerschaften',
      score: 40,
      eligibility: 'unclear',
    });
    const inputs = [
      { q: 'Partnerschaft' },
      { q: 'Partnerschaft', limit: 1 },
      { actionField: 'staedtepartnerschaften' },
      { sort: 'newest' as const },
      {},
    ];
    // Before, between and after the two deadlines of A, and across a Berlin midnight.
    const nows = [
      '2026-10-31T22:59:00Z',
      '2026-10-31T23:00:00Z',
      '2027-01-15T12:00:00Z',
      '2027-06-01T00:00:00Z',
    ];
    let compared = 0;
    for (const input of inputs) {
      for (const at of nows) {
        const now = Date.parse(at);
        const r = queryCalls(ctx, input, { now: new Date(now) });
        const text = callListJson(r.items, r.total, r.next, now).toString();
        const expected = bySchema({
          items: r.items.map((i) => reference(i, now)),
          total: r.total,
          next: r.next,
        });
        expect(text).toBe(expected);
        // The gzip made from the cards' kept pieces: the same bytes once unpacked, also after a
        // status or deadline changed between two answers (each `now` here changes one of them).
        expect(gunzipSync(callListGzip(r.items, r.total, r.next, now)).toString()).toBe(expected);
        expect(listOut.strict().parse(JSON.parse(text)).items).toHaveLength(r.items.length);
        compared += r.items.length;
      }
    }
    expect(compared).toBeGreaterThan(30);
    const r = queryCalls(ctx, { q: 'Partnerschaft' });
    const a = JSON.parse(callListJson(r.items, 3, null, Date.parse(nows[0]!)).toString());
    const itemA = a.items.find((i: { id: string }) => i.id === 'eu-ft:A');
    // As stored (SQLite keeps text as UTF-8, so the lone surrogate comes back as U+FFFD).
    expect(itemA.title).toBe(r.items.find((i) => i.call.id === 'eu-ft:A')!.call.title);
    expect(itemA.title).toContain('Quote " backslash \\ line\nbreak\ttab \u0001 – Städte 城市 😀');
    expect(itemA.nextDeadline).toMatchObject({
      label: 'Skizze',
      local: '2026-11-01T05:00:00-05:00',
      daysLeft: 1,
    });
  });
});
