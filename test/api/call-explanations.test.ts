import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../src/app.ts';
import { createToken } from '../../src/auth/tokens.ts';
import { upsertCall } from '../../src/calls/store.ts';
import type { AppContext } from '../../src/context.ts';
import { sampleCall } from '../helpers/calls.ts';
import { authHeader, useTestContext } from '../helpers/context.ts';
import { insertMatch } from '../helpers/matches.ts';
import { PageClient } from '../helpers/web-inject.ts';

/**
 * Explanations are made on read. A stored row whose target the concept no longer has (a concept
 * change before the next full re-match) must not take the call down with it.
 */
describe('a call with a match for a target the concept no longer has', () => {
  const makeCtx = useTestContext();
  let ctx: AppContext;
  let app: App;
  const id = 'eu-ft:CERV-2026-CITIZENS-TOWN-TT';
  beforeAll(async () => {
    ctx = makeCtx();
    upsertCall(ctx.dbh.db, sampleCall({ id, sourceId: 'CERV-2026-CITIZENS-TOWN-TT' }));
    insertMatch(ctx, { callId: id, target: 'staedtepartnerschaften', score: 80 });
    insertMatch(ctx, {
      callId: id,
      target: 'abgeschafft',
      score: 60,
      reason: 'Abgeschafft: früherer Grund',
      reasonEn: 'Abolished: earlier reason',
    });
    app = await buildApp(ctx.config, { context: ctx });
  });
  afterAll(async () => app.close());

  it('answers the call with the stored reason and no explanation for that target', async () => {
    const res = await app.inject({ url: `/api/calls/${encodeURIComponent(id)}`, headers: authHeader(ctx) });
    expect(res.statusCode).toBe(200);
    const byTarget = Object.fromEntries(
      (res.json().matches as { target: string; explanation: unknown; reasonEn: string }[]).map((m) => [
        m.target,
        m,
      ]),
    );
    expect(byTarget.staedtepartnerschaften?.explanation).toMatchObject({ target: 'staedtepartnerschaften' });
    expect(byTarget.abgeschafft).toMatchObject({ explanation: null, reasonEn: 'Abolished: earlier reason' });
  });

  it('shows the call page with the stored reason line for that target', async () => {
    const client = new PageClient(app);
    await client.signIn(createToken(ctx.dbh.db, { name: 'Rita', role: 'reader' }).token);
    const page = await client.get(`/calls/${encodeURIComponent(id)}?lang=de`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Abgeschafft: früherer Grund');
  });

  it('still answers 404 when asked why for that target', async () => {
    const res = await app.inject({
      url: `/api/matches/${encodeURIComponent(id)}/abgeschafft/why`,
      headers: authHeader(ctx),
    });
    expect(res.statusCode).toBe(404);
  });
});
