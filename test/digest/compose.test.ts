import { beforeAll, describe, expect, it } from 'vitest';
import { upsertCall } from '../../src/calls/store.ts';
import type { AppContext } from '../../src/context.ts';
import { MAX_ITEMS } from '../../src/digest/compose.ts';
import { previewDigest } from '../../src/digest/preview.ts';
import { createSubscriber } from '../../src/digest/subscribers.ts';
import { sampleCall } from '../helpers/calls.ts';
import { useTestContext } from '../helpers/context.ts';
import { insertMatch } from '../helpers/matches.ts';

const now = new Date('2026-11-23T07:00:00Z');

describe('composing a digest', () => {
  const makeCtx = useTestContext();
  let ctx: AppContext;

  beforeAll(() => {
    ctx = makeCtx({ PUBLIC_BASE_URL: 'https://fm.example.org' });
    for (let i = 1; i <= 35; i++) {
      const id = `eu-ft:C-${String(i).padStart(2, '0')}`;
      upsertCall(ctx.dbh.db, sampleCall({ id, sourceId: id.slice(6), title: `Call ${i}` }), { now });
      // Every call fits the field and one of its measures: it must still appear once.
      insertMatch(ctx, { callId: id, target: 'ostseeraum', score: 40 + i });
      insertMatch(ctx, { callId: id, target: 'ostseeraum-1', score: 30 + i });
    }
    createSubscriber(
      ctx,
      { name: 'A', email: 'a@kiel.example', actionFields: ['ostseeraum'], measures: ['ostseeraum-1'] },
      now,
    );
  });

  it('lists at most 30 calls, best first and each once, then "N weitere" with a link to the full list', () => {
    const p = previewDigest(ctx, 1, now);
    expect(p.content.groups).toHaveLength(1);
    const items = p.content.groups[0]?.items ?? [];
    expect(items).toHaveLength(MAX_ITEMS);
    expect(items[0]).toMatchObject({ title: 'Call 35', score: 75, target: 'ostseeraum' });
    expect(items.at(-1)?.title).toBe('Call 6');
    expect(new Set(items.map((i) => i.callId)).size).toBe(MAX_ITEMS);
    expect(p.content.newMore).toBe(5);
    expect(p.subject).toBe('Fördermittel-Digest KW 48/2026: 35 neu');
    expect(p.content.groups[0]?.more).toBe(5);
    const more =
      'https://fm.example.org/search?actionField=ostseeraum&minScore=40&status=open%2Cforthcoming%2Copen-ended';
    expect(p.html).toContain(
      `<a href="${more.replaceAll('&', '&amp;')}" style="color:#0a58a8;">5 weitere →</a>`,
    );
    expect(p.text).toContain(`5 weitere: ${more}`);
  });

  it('does not write anything when previewing', () => {
    previewDigest(ctx, 1, now);
    const n = ctx.dbh.sqlite.prepare('select count(*) as n from digests').get() as { n: number };
    expect(n.n).toBe(0);
  });
});
