import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { upsertCall } from '../../src/calls/store.ts';
import type { AppContext } from '../../src/context.ts';
import { AppError } from '../../src/errors.ts';
import {
  explainMatch,
  getActiveRuleSet,
  isWarm,
  listRuleSetVersions,
  matchCalls,
  matchPending,
  previewRuleSet,
  rollbackRuleSet,
  saveRuleSet,
  warmMatching,
} from '../../src/matching/service.ts';
import { fromPackage } from '../../src/paths.ts';
import { sampleCall } from '../helpers/calls.ts';
import { useTestContext } from '../helpers/context.ts';

const now = new Date('2026-05-01T00:00:00Z');
const defaults = JSON.parse(readFileSync(fromPackage('rules', 'default-rules.json'), 'utf8'));

const calls = [
  sampleCall(),
  sampleCall({
    id: 'eu-ft:BALTIC-1',
    sourceId: 'BALTIC-1',
    identifier: 'INTERREG-BSR-1',
    programme: 'Interreg Baltic Sea Region',
    title: 'Small projects in the Baltic Sea Region',
    summary:
      'Cooperation of cities and regions around the Baltic Sea on the EU Strategy for the Baltic Sea Region.',
    description: '',
    keywords: [],
  }),
  sampleCall({
    id: 'eu-ft:EIC-1',
    sourceId: 'EIC-1',
    identifier: 'HORIZON-EIC-1',
    programme: 'Horizon Europe – EIC Accelerator',
    title: 'EIC Accelerator for start-ups',
    summary: 'Grants and equity for start-ups and SMEs scaling up breakthrough innovations.',
    applicantTypes: ['sme'],
    description: '',
    keywords: [],
  }),
];

function seed(ctx: AppContext) {
  for (const c of calls) upsertCall(ctx.dbh.db, c, { now });
}

function matchRows(ctx: AppContext) {
  return ctx.dbh.sqlite
    .prepare(
      'SELECT call_id, target, score, eligibility, reason, reason_en, rule_version FROM matches ORDER BY call_id, target',
    )
    .all();
}

describe('rule set versions', () => {
  const open = useTestContext();

  it('seeds version 1 from the rules file on first use', () => {
    const ctx = open();
    const active = getActiveRuleSet(ctx);
    expect(active.version).toBe(1);
    expect(active.author).toBe('system');
    expect(active.rules.rules.length).toBe(defaults.rules.length);
  });

  it('saves new versions, rejects invalid ones with paths and rolls back', () => {
    const ctx = open();
    seed(ctx);
    getActiveRuleSet(ctx);
    const smaller = { ...defaults, rules: defaults.rules.slice(0, 5) };
    expect(saveRuleSet(ctx, { rules: smaller, author: 'anna', comment: 'weniger Regeln' })).toMatchObject({
      version: 2,
      rematch: { calls: 3 },
    });
    expect(getActiveRuleSet(ctx).rules.rules).toHaveLength(5);
    expect(matchRows(ctx).every((r) => (r as { rule_version: number }).rule_version === 2)).toBe(true);

    let caught: unknown;
    try {
      saveRuleSet(ctx, { rules: { rules: [{ id: 'x' }] }, author: 'anna', comment: 'kaputt' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).code).toBe('RULES_INVALID');
    expect((caught as AppError).details.map((d) => d.path)).toContain('rules.0.name');
    expect(getActiveRuleSet(ctx).version).toBe(2);
    expect(() => saveRuleSet(ctx, { rules: smaller, author: ' ', comment: 'x' })).toThrow(
      /author is required/,
    );

    expect(rollbackRuleSet(ctx, 1, 'ben')).toMatchObject({ version: 3 });
    const active = getActiveRuleSet(ctx);
    expect(active.rules.rules).toHaveLength(defaults.rules.length);
    const versions = listRuleSetVersions(ctx);
    expect(versions.map((v) => [v.version, v.active, v.restoredFrom])).toEqual([
      [3, true, 1],
      [2, false, null],
      [1, false, null],
    ]);
    expect(() => rollbackRuleSet(ctx, 99, 'ben')).toThrow(/does not exist/);
  });
});

describe('matching stored calls', () => {
  const open = useTestContext();

  it('writes matches with their reasons and empties the match queue', () => {
    const ctx = open();
    seed(ctx);
    const r = matchCalls(ctx, { now });
    expect(r.calls).toBe(3);
    const twinning = ctx.dbh.sqlite
      .prepare(
        "SELECT * FROM matches WHERE call_id = 'eu-ft:CERV-2026-CITIZENS-TOWN-TT' AND target = 'staedtepartnerschaften'",
      )
      .get() as { score: number; eligibility: string; reason: string; reason_en: string };
    expect(twinning.eligibility).toBe('eligible');
    expect(twinning.score).toBeGreaterThan(50);
    expect(twinning.reason).toMatch(/^Städtepartnerschaften: /);
    expect(twinning.reason_en).toMatch(/Town Twinning/);
    // The full explanation is made on read, worded as the stored lines.
    const ex = explainMatch(ctx, 'eu-ft:CERV-2026-CITIZENS-TOWN-TT', 'staedtepartnerschaften', { now });
    expect([ex.reason, ex.reasonEn]).toEqual([twinning.reason, twinning.reason_en]);
    expect(ex.rules.length).toBeGreaterThan(0);
    const eic = ctx.dbh.sqlite
      .prepare("SELECT eligibility, reason FROM matches WHERE call_id = 'eu-ft:EIC-1'")
      .all() as {
      eligibility: string;
      reason: string;
    }[];
    expect(eic.every((m) => m.eligibility === 'excluded' && m.reason.startsWith('Ausgeschlossen:'))).toBe(
      true,
    );
    expect(ctx.dbh.sqlite.prepare('SELECT COUNT(*) AS n FROM match_queue').get()).toEqual({
      n: 0,
    });
  });

  it('leaves a call queued when the queue holds content other than what the run matched', () => {
    const ctx = open();
    seed(ctx);
    // As if a crawl in another process changed the call after the run had read it.
    ctx.dbh.sqlite
      .prepare("UPDATE match_queue SET content_hash = 'changed-meanwhile' WHERE call_id = 'eu-ft:EIC-1'")
      .run();
    matchCalls(ctx, { now });
    expect(ctx.dbh.sqlite.prepare('SELECT call_id, content_hash FROM match_queue').all()).toEqual([
      { call_id: 'eu-ft:EIC-1', content_hash: 'changed-meanwhile' },
    ]);
    expect(matchPending(ctx, { now }).calls).toBe(1);
  });

  it('an incremental re-match gives the same rows as a full one', () => {
    const ctx = open();
    seed(ctx);
    matchCalls(ctx, { now });
    const changed = {
      ...calls[1]!,
      summary: `${calls[1]!.summary} Town twinning and youth exchange with Tallinn.`,
    };
    upsertCall(ctx.dbh.db, changed, { now });
    expect(matchPending(ctx, { now })).toMatchObject({ calls: 1 });
    const incremental = matchRows(ctx);
    matchCalls(ctx, { now });
    expect(matchRows(ctx)).toEqual(incremental);
    expect(matchPending(ctx, { now })).toMatchObject({ calls: 0 });
  });

  it('after a rule change writes only the rows that changed, and equals matching from scratch', () => {
    const ctx = open();
    seed(ctx);
    expect(matchCalls(ctx, { now })).toMatchObject({ calls: 3, changedCalls: 3 });
    const v1 = matchRows(ctx) as { call_id: string; target: string; score: number; rule_version: number }[];
    // Nothing changed: every call is scored again, no row is written.
    expect(matchCalls(ctx, { now })).toMatchObject({ calls: 3, changedCalls: 0, writtenRows: 0 });

    const edited = structuredClone(defaults) as typeof defaults;
    const rule = edited.rules.find((r: { id: string }) => r.id === 'baltic.region.65');
    rule.effect.points -= 30;
    const saved = saveRuleSet(ctx, { rules: edited, author: 'anna', comment: 'weniger Ostsee', now });
    expect(saved.rematch).toMatchObject({ calls: 3, changedCalls: 1 });
    const v2 = matchRows(ctx) as typeof v1;
    const key = (r: { call_id: string; target: string }) => `${r.call_id} ${r.target}`;
    const old = new Map(v1.map((r) => [key(r), r]));
    const moved = v2.filter((r) => old.get(key(r))?.score !== r.score);
    expect(moved.length).toBeGreaterThan(0);
    expect(moved.every((r) => r.call_id === 'eu-ft:BALTIC-1' && r.rule_version === 2)).toBe(true);
    // Rows the change did not touch keep the version that produced them.
    expect(v2.filter((r) => r.call_id !== 'eu-ft:BALTIC-1').every((r) => r.rule_version === 1)).toBe(true);
    expect(saved.rematch.writtenRows).toBeLessThan(v2.length);

    // The same rows as computing everything afresh under the active version.
    const content = () =>
      (matchRows(ctx) as Record<string, unknown>[]).map(({ rule_version: _v, ...rest }) => rest);
    const incremental = content();
    ctx.dbh.sqlite.exec('DELETE FROM matches; DELETE FROM match_state;');
    expect(matchCalls(ctx, { now })).toMatchObject({ changedCalls: 3 });
    expect(content()).toEqual(incremental);
  });

  it('warms the matcher in slices without writing, and stops when aborted', async () => {
    const ctx = open();
    // Content no other test uses, so the process-wide token cache cannot already hold it.
    const fresh = calls.map((c) => ({ ...c, summary: `${c.summary} ${ctx.config.databasePath}` }));
    for (const c of fresh) upsertCall(ctx.dbh.db, c, { now });
    const hashes = ctx.dbh.sqlite.prepare('SELECT id, content_hash FROM calls ORDER BY id').all() as {
      id: string;
      content_hash: string;
    }[];
    expect(hashes.some((h) => isWarm(h.id, h.content_hash))).toBe(false);

    const stop = new AbortController();
    stop.abort();
    expect(await warmMatching(ctx, { slice: 1, signal: stop.signal, now })).toEqual({ calls: 0 });
    expect(await warmMatching(ctx, { slice: 2, now })).toEqual({ calls: 3 });
    expect(hashes.every((h) => isWarm(h.id, h.content_hash))).toBe(true);
    expect(matchRows(ctx)).toEqual([]);
    expect(matchCalls(ctx, { now })).toMatchObject({ calls: 3, changedCalls: 3 });
  });

  it('explains why and why not', () => {
    const ctx = open();
    seed(ctx);
    const ex = explainMatch(ctx, 'eu-ft:BALTIC-1', 'chinastrategie', { now });
    expect(ex.whyNot!.some((w) => w.id.startsWith('china'))).toBe(true);
    const yes = explainMatch(ctx, 'eu-ft:BALTIC-1', 'ostseeraum', { now });
    expect(yes.rules.map((r) => r.id)).toContain('baltic.region.65');
    expect(() => explainMatch(ctx, 'eu-ft:NOPE', 'ostseeraum')).toThrow(/unknown call/);
    expect(() => explainMatch(ctx, 'eu-ft:BALTIC-1', 'mars')).toThrow(/unknown action field/);
  });
});

describe('preview', () => {
  const open = useTestContext();

  it('reports entered/left/moves and feedback effects without saving anything', () => {
    const ctx = open();
    seed(ctx);
    matchCalls(ctx, { now });
    const tokenId = Number(
      ctx.dbh.sqlite
        .prepare(
          "INSERT INTO api_tokens (name, token_hash, role, created_at) VALUES ('t', 'h', 'admin', '2026-01-01')",
        )
        .run().lastInsertRowid,
    );
    ctx.dbh.sqlite
      .prepare(
        "INSERT INTO feedback (call_id, target, token_id, verdict, created_at, updated_at) VALUES ('eu-ft:CERV-2026-CITIZENS-TOWN-TT', 'staedtepartnerschaften', ?, 'relevant', 'x', 'x')",
      )
      .run(tokenId);
    const before = matchRows(ctx);
    const draft = {
      ...defaults,
      rules: [
        ...defaults.rules,
        {
          id: 'drop-twinning',
          name: 'Keine Partnerschaften',
          target: 'staedtepartnerschaften',
          conditions: { all: [{ fact: 'text', operator: 'containsAny', value: ['twinning'] }] },
          effect: { type: 'exclude', reason: 'Test' },
        },
      ],
    };
    const p = previewRuleSet(ctx, draft, { topN: 1, now });
    const t = p.targets.find((x) => x.target === 'staedtepartnerschaften')!;
    expect(t.left.map((x) => x.id)).toEqual(['eu-ft:CERV-2026-CITIZENS-TOWN-TT']);
    expect(t.entered).toHaveLength(1);
    expect(t.feedback.relevantDroppedOut).toEqual(['eu-ft:CERV-2026-CITIZENS-TOWN-TT']);
    expect(p.baseVersion).toBe(1);
    expect(matchRows(ctx)).toEqual(before);
    expect(listRuleSetVersions(ctx)).toHaveLength(1);
  });

  it('counts targets whose scores move without a change of the top N, with titles and old → new places', () => {
    const ctx = open();
    seed(ctx);
    matchCalls(ctx, { now });
    // Halving the Baltic rules moves scores on the Baltic targets; the top 10 of 3 calls keeps its members.
    const draft = structuredClone(defaults) as typeof defaults;
    for (const r of draft.rules as { id: string; effect: { type: string; points?: number } }[])
      if (r.id.startsWith('baltic.region.') && r.effect.type === 'add')
        r.effect.points = r.effect.points! / 2;
    const p = previewRuleSet(ctx, draft, { now });
    const t = p.targets.find((x) => x.target === 'ostseeraum')!;
    expect(t.entered).toEqual([]);
    expect(t.left).toEqual([]);
    expect(p.changedTargets).toBeGreaterThanOrEqual(4);
    expect(p.changedTargets).toBe(p.targets.filter((x) => x.moves.length > 0).length);
    expect(t.changed).toBe(true);
    const m = t.moves.find((x) => x.id === 'eu-ft:BALTIC-1')!;
    expect(m).toMatchObject({
      title: 'Small projects in the Baltic Sea Region',
      rankBefore: 1,
      rankAfter: 1,
    });
    expect(m.after).toBeLessThan(m.before);
    expect(t.before.map((x) => x.rank)).toEqual([1, 2, 3]);
    expect(t.before[0]).toMatchObject({
      id: 'eu-ft:BALTIC-1',
      title: 'Small projects in the Baltic Sea Region',
    });
    expect(t.after[0]!.score).toBe(m.after);
    // Unchanged targets report no moves.
    const china = p.targets.find((x) => x.target === 'chinastrategie')!;
    expect(china).toMatchObject({ changed: false, moves: [] });
  });
});
