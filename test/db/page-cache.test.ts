import { describe, expect, it } from 'vitest';
import { pageCacheKb, withPageCache } from '../../db/client.ts';
import { useTestContext } from '../helpers/context.ts';

describe('SQLite page cache', () => {
  const makeCtx = useTestContext();
  const size = (ctx: ReturnType<typeof makeCtx>) =>
    Number(ctx.dbh.sqlite.pragma('cache_size', { simple: true }));

  it('is small while serving, large during a run, and small again after it, also when the run fails', () => {
    const ctx = makeCtx();
    expect(size(ctx)).toBe(-pageCacheKb.serving);
    expect(withPageCache(ctx.dbh.sqlite, pageCacheKb.fullRun, () => size(ctx))).toBe(-pageCacheKb.fullRun);
    expect(size(ctx)).toBe(-pageCacheKb.serving);
    expect(() =>
      withPageCache(ctx.dbh.sqlite, pageCacheKb.fullRun, () => {
        throw new Error('run failed');
      }),
    ).toThrow('run failed');
    expect(size(ctx)).toBe(-pageCacheKb.serving);
  });
});
