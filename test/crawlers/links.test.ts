import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { algoliaHitToCall } from '../../crawlers/interreg.ts';
import { runCrawl } from '../../crawlers/run.ts';
import type { SourceAdapter } from '../../crawlers/types.ts';
import { getCallCards } from '../../src/calls/cards.ts';
import { getCall } from '../../src/calls/store.ts';
import { useTestContext } from '../helpers/context.ts';

const NOW = new Date('2026-06-01T08:00:00Z');

/** Interreg's index as the crawler reads it, with links that must not be kept. */
const hits = [
  { objectID: 'js', title: 'Script link', callExternalUrl: 'javascript:alert(1)' },
  { objectID: 'data', title: 'Data link', callExternalUrl: 'data:text/html,<script>alert(1)</script>' },
  { objectID: 'ok', title: 'Good link', callExternalUrl: 'https://interreg.example/call' },
];

/** The real interreg hit parser behind a source that serves these hits (no HTTP needed). */
const indexOnly: SourceAdapter = {
  id: 'interreg',
  name: 'Interreg',
  defaultBaseUrls: { site: 'https://interreg.example' },
  async *crawl(ctx) {
    const page = { url: `${ctx.baseUrls.site}/calls`, fetchedAt: ctx.now, siteBase: ctx.baseUrls.site! };
    for (const hit of hits) yield { type: 'call', call: algoliaHitToCall(hit, page) };
    yield { type: 'listing', ids: hits.map((h) => `interreg:${h.objectID}`), complete: true };
  },
};

describe('links of crawled calls', () => {
  const makeCtx = useTestContext();

  it('keeps only http(s) links: a javascript: or data: link is dropped with a warning, the call is kept', async () => {
    const ctx = makeCtx();
    const lines: Array<{ level: number; msg: string; callId?: string }> = [];
    ctx.logger = pino(
      { level: 'warn' },
      new Writable({
        write(chunk, _enc, cb) {
          lines.push(JSON.parse(String(chunk)));
          cb();
        },
      }),
    );
    const run = await runCrawl(ctx, indexOnly, { trigger: 'test', now: NOW });
    expect(run).toMatchObject({ outcome: 'ok', newCount: 3 });
    const db = ctx.dbh.db;
    expect(getCall(db, 'interreg:js')).toMatchObject({ title: 'Script link' });
    expect(getCall(db, 'interreg:js')!.url).toBeUndefined();
    expect(getCall(db, 'interreg:data')!.url).toBeUndefined();
    expect(getCall(db, 'interreg:ok')!.url).toBe('https://interreg.example/call');
    const cards = getCallCards(ctx.dbh.sqlite, ['interreg:js', 'interreg:data', 'interreg:ok']);
    expect(cards.map((c) => c.url)).toEqual([null, null, 'https://interreg.example/call']);
    const warnings = lines.filter((l) => /link dropped/.test(l.msg));
    expect(warnings.map((w) => w.callId).sort()).toEqual(['interreg:data', 'interreg:js']);
    expect(warnings[0]!.level).toBe(40);
  });
});
