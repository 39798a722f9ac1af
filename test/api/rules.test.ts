import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../src/app.ts';
import { parseImportFile } from '../../src/calls/import-jsonl.ts';
import { upsertCall } from '../../src/calls/store.ts';
import type { AppContext } from '../../src/context.ts';
import { getActiveRuleSet, matchCalls } from '../../src/matching/service.ts';
import { fromPackage } from '../../src/paths.ts';
import { authHeader, useTestContext } from '../helpers/context.ts';

const allStatuses = 'status=open,closed,forthcoming,open-ended';

/** The real matcher on the real dev calls (imported as `foerdermatch import` does), read through the API. */
describe('rules administration and explanations with the real matcher', () => {
  const makeCtx = useTestContext();
  let ctx: AppContext;
  let app: App;
  let admin: { authorization: string };
  let reader: { authorization: string };

  const matchesTable = () =>
    JSON.stringify(
      ctx.dbh.sqlite
        .prepare('select call_id, target, score, eligibility, rule_version from matches order by 1, 2')
        .all(),
    );
  const list = async (target: string, qs = '') =>
    (
      await app.inject({
        url: `/api/action-fields/${target}/matches?${allStatuses}&limit=100${qs}`,
        headers: reader,
      })
    ).json().items as {
      callId: string;
      score: number;
      eligibility: string;
      reason: string;
      ruleVersion: number;
    }[];

  beforeAll(async () => {
    ctx = makeCtx();
    const { calls, errors } = parseImportFile(
      readFileSync(fromPackage('eval', 'dev', 'calls.jsonl'), 'utf8'),
    );
    expect(errors).toEqual([]);
    ctx.dbh.sqlite.transaction(() => {
      for (const c of calls) upsertCall(ctx.dbh.db, c.call);
    })();
    matchCalls(ctx);
    app = await buildApp(ctx.config, { context: ctx });
    admin = authHeader(ctx, 'admin');
    reader = authHeader(ctx, 'reader');
  });
  afterAll(async () => app.close());

  it('lists real matches per action field with a German one-line reason, eligible before unclear', async () => {
    const items = await list('staedtepartnerschaften');
    expect(items.length).toBeGreaterThan(3);
    expect(items[0]!.reason.length).toBeGreaterThan(5);
    const ranks = items.map((i) => (i.eligibility === 'eligible' ? 0 : 1));
    expect([...ranks].sort()).toEqual(ranks);
    // A town-twinning call is at the top for the town-twinning field.
    const top = (
      await app.inject({ url: `/api/calls/${encodeURIComponent(items[0]!.callId)}`, headers: reader })
    ).json();
    expect(`${top.title} ${top.identifier}`).toMatch(/town|twin|partner/i);
  });

  it('finds English calls with a German query (bilingual vocabulary) and filters by real match scores', async () => {
    const res = (
      await app.inject({ url: '/api/calls?q=St%C3%A4dtepartnerschaft&limit=5', headers: reader })
    ).json();
    // German calls with the word itself may come first; English town-twinning calls must follow closely.
    const english = res.items.filter(
      (i: { language: string; title: string; identifier: string | null }) =>
        i.language === 'en' && /town|twin/i.test(`${i.title} ${i.identifier}`),
    );
    expect(english.length).toBeGreaterThan(0);
    const strong = (
      await app.inject({
        url: '/api/calls?actionField=staedtepartnerschaften&minScore=50&limit=100',
        headers: reader,
      })
    ).json();
    expect(strong.total).toBeGreaterThan(0);
    for (const i of strong.items) expect(i.match.score).toBeGreaterThanOrEqual(50);
  });

  it('explains why, and why not, for a pair', async () => {
    const [top] = await list('staedtepartnerschaften');
    const why = await app.inject({
      url: `/api/matches/${encodeURIComponent(top!.callId)}/staedtepartnerschaften/why`,
      headers: reader,
    });
    expect(why.statusCode).toBe(200);
    expect(why.json().stored).toMatchObject({ callId: top!.callId, score: top!.score });
    expect(why.json().explanation.rules.length).toBeGreaterThan(0);
    expect(Array.isArray(why.json().explanation.whyNot)).toBe(true);
    const unknown = await app.inject({
      url: '/api/matches/eu-ft:nope/staedtepartnerschaften/why',
      headers: reader,
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('previews a draft without saving anything', async () => {
    const before = matchesTable();
    const versions = (await app.inject({ url: '/api/rules/versions', headers: admin })).json().items.length;
    const draft = structuredClone(getActiveRuleSet(ctx).rules) as { rules: { id: string; target: string }[] };
    draft.rules = draft.rules.filter(
      (r) => !(r.target === 'staedtepartnerschaften' && r.id.startsWith('cerv.')),
    );
    const res = await app.inject({
      method: 'POST',
      url: '/api/rules/preview',
      headers: admin,
      payload: { rules: draft, topN: 5 },
    });
    expect(res.statusCode).toBe(200);
    const t = res.json().targets.find((x: { target: string }) => x.target === 'staedtepartnerschaften');
    expect(t.moves.length).toBeGreaterThan(0);
    expect(matchesTable()).toBe(before);
    expect((await app.inject({ url: '/api/rules/versions', headers: admin })).json().items.length).toBe(
      versions,
    );
  });

  it('rejects invalid rules with the path of every error, saving nothing', async () => {
    const before = matchesTable();
    const bad = await app.inject({
      method: 'PUT',
      url: '/api/rules',
      headers: admin,
      payload: {
        comment: 'kaputt',
        rules: { version: 1, rules: [{ id: 'x', target: 'nowhere', conditions: {} }] },
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.json().code).toBe('RULES_INVALID');
    expect(bad.json().errors.length).toBeGreaterThan(0);
    expect(matchesTable()).toBe(before);
    const noComment = await app.inject({
      method: 'PUT',
      url: '/api/rules',
      headers: admin,
      payload: { rules: {} },
    });
    expect(noComment.statusCode).toBe(400);
    expect(
      (
        await app.inject({
          method: 'PUT',
          url: '/api/rules',
          headers: reader,
          payload: { rules: {}, comment: 'abc' },
        })
      ).statusCode,
    ).toBe(403);
  });

  it('PUT saves a new version, re-matches, and rollback restores the old ranking', async () => {
    const original = await list('staedtepartnerschaften');
    const current = (await app.inject({ url: '/api/rules', headers: admin })).json();
    expect(current.version).toBe(1);
    const draft = structuredClone(current.rules) as { rules: { id: string; target: string }[] };
    draft.rules = draft.rules.filter(
      (r) => !(r.target === 'staedtepartnerschaften' && r.id.startsWith('cerv.')),
    );

    const saved = await app.inject({
      method: 'PUT',
      url: '/api/rules',
      headers: admin,
      payload: { rules: draft, comment: 'CERV-Regeln für Städtepartnerschaften testweise entfernt' },
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json().version).toBe(2);
    expect(saved.json().rematch.changedCalls).toBeGreaterThan(0);
    const after = await list('staedtepartnerschaften');
    // A match the new version changed says so; unchanged ones keep the version that produced them.
    const was = new Map(original.map((i) => [i.callId, i.score]));
    const moved = after.filter((i) => was.get(i.callId) !== i.score);
    expect(moved.length).toBeGreaterThan(0);
    expect(moved.every((i) => i.ruleVersion === 2)).toBe(true);
    expect(after.map((i) => `${i.callId}:${i.score}`)).not.toEqual(
      original.map((i) => `${i.callId}:${i.score}`),
    );

    const back = await app.inject({ method: 'POST', url: '/api/rules/rollback/1', headers: admin });
    expect(back.statusCode).toBe(200);
    expect(back.json().version).toBe(3);
    const restored = await list('staedtepartnerschaften');
    expect(restored.map((i) => `${i.callId}:${i.score}`)).toEqual(
      original.map((i) => `${i.callId}:${i.score}`),
    );
    const versions = (await app.inject({ url: '/api/rules/versions', headers: admin })).json().items;
    expect(versions[0]).toMatchObject({ version: 3, restoredFrom: 1, active: true });
    expect(versions[1]).toMatchObject({
      version: 2,
      comment: 'CERV-Regeln für Städtepartnerschaften testweise entfernt',
    });
    expect(
      (await app.inject({ method: 'POST', url: '/api/rules/rollback/99', headers: admin })).statusCode,
    ).toBe(404);
    const actions = ctx.dbh.sqlite
      .prepare("select action from audit_log where action like 'rules.%' order by id")
      .all();
    expect(actions).toEqual([{ action: 'rules.save' }, { action: 'rules.rollback' }]);
  });
});
