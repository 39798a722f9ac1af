import { describe, expect, it } from 'vitest';
import { type CallQueryInput, queryCalls } from '../../src/calls/query.ts';
import { upsertCall } from '../../src/calls/store.ts';
import { sampleCall } from '../helpers/calls.ts';
import { useTestContext } from '../helpers/context.ts';

const day = 86_400_000;

describe('queryCalls over many hits', () => {
  const makeCtx = useTestContext();

  it('gives the same pages as one complete list, whichever sort and filter (first page chosen without sorting all)', () => {
    const ctx = makeCtx();
    ctx.dbh.sqlite.transaction(() => {
      for (let i = 0; i < 150; i++) {
        const id = `P-${String(i).padStart(3, '0')}`;
        upsertCall(
          ctx.dbh.db,
          sampleCall({
            id: `${i % 3 ? 'eu-ft' : 'foerderdatenbank'}:${id}`,
            source: i % 3 ? 'eu-ft' : 'foerderdatenbank',
            sourceId: id,
            identifier: id,
            // Relevance varies (1–5 mentions) and ties are many: ties go by id.
            title: `Call ${id} ${'partnership '.repeat(1 + (i % 5))}`,
            summary: 'Support for municipalities.',
            description: 'Nothing else.',
            keywords: [],
            deadlines:
              i % 7 === 0
                ? []
                : [
                    {
                      at: new Date(Date.now() + ((i * 13) % 90) * day).toISOString(),
                      timeZone: 'Europe/Brussels',
                      raw: 'x',
                      stage: 'single',
                    },
                  ],
          }),
        );
      }
    })();
    const walk = (input: CallQueryInput) => {
      const ids: string[] = [];
      let cursor: string | undefined;
      for (let guard = 0; guard < 100; guard++) {
        const page = queryCalls(ctx, { ...input, limit: 7, ...(cursor ? { cursor } : {}) });
        ids.push(...page.items.map((i) => i.call.id));
        if (!page.next) return { ids, total: page.total };
        cursor = page.next;
      }
      throw new Error('no last page');
    };
    for (const input of [
      { q: 'partnership' },
      { q: 'partnership', source: 'eu-ft' },
      { q: 'partnership', sort: 'deadline' as const },
      { q: 'partnership', sort: 'newest' as const, status: 'open,open-ended' },
      { sort: 'deadline' as const },
    ]) {
      const all = queryCalls(ctx, { ...input, limit: 100 });
      const pages = walk(input);
      expect(pages.ids).toHaveLength(pages.total);
      expect(new Set(pages.ids).size).toBe(pages.total);
      expect(pages.ids.slice(0, 100)).toEqual(all.items.map((i) => i.call.id));
      if (input.q && !input.sort) {
        const scores = all.items.map((i) => i.relevance!);
        expect(scores).toEqual([...scores].sort((a, b) => b - a));
        expect(all.items[0]!.call.title).toContain(
          'partnership partnership partnership partnership partnership',
        );
      }
    }
    expect(walk({ q: 'partnership', source: 'eu-ft' }).total).toBe(100);
  });
});
