import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { audit } from '../../auth/tokens.ts';
import type { AppContext } from '../../context.ts';
import { eligibilities } from '../../domain/enums.ts';
import { numericId } from '../../domain/numbers.ts';
import { assertPair } from '../../matches/feedback.ts';
import { getMatch } from '../../matches/list.ts';
import {
  explainMatch,
  getActiveRuleSet,
  listRuleSetVersions,
  previewRuleSet,
  rollbackRuleSet,
  saveRuleSet,
} from '../../matching/service.ts';
import { problemSchema } from '../problem.ts';
import { matchOut } from '../schemas.ts';

const ruleSetOut = z
  .object({
    version: z.number().int(),
    createdAt: z.string(),
    author: z.string(),
    comment: z.string(),
    rules: z.unknown().describe('the rule set as JSON (see rules/default-rules.json)'),
  })
  .meta({ id: 'RuleSet' });

const versionOut = z
  .object({
    version: z.number().int(),
    createdAt: z.string(),
    author: z.string(),
    comment: z.string(),
    restoredFrom: z.number().int().nullable(),
    active: z.boolean(),
  })
  .meta({ id: 'RuleSetVersion' });

const place = z
  .object({
    id: z.string(),
    title: z.string(),
    rank: z.number().int().describe('place in the full ranking of the target, 1 = best'),
    score: z.number(),
    eligibility: z.enum(eligibilities),
  })
  .meta({ id: 'RulePreviewPlace' });
const previewOut = z
  .object({
    baseVersion: z.number().int(),
    topN: z.number().int(),
    calls: z.number().int(),
    changedTargets: z.number().int().describe('targets where any call moved in score, eligibility or place'),
    changedTopTargets: z.number().int().describe('targets whose top N changed (entered, left or reordered)'),
    targets: z.array(
      z.object({
        target: z.string(),
        label: z.string(),
        changed: z.boolean(),
        before: z.array(place).describe('top N under the active rules'),
        after: z.array(place).describe('top N under the draft'),
        entered: z.array(place).describe('in the draft top N, not in the active one (draft places)'),
        left: z.array(place).describe('in the active top N, not in the draft one (active places)'),
        moves: z
          .array(
            z.object({
              id: z.string(),
              title: z.string(),
              before: z.number().describe('score before'),
              after: z.number().describe('score after'),
              rankBefore: z.number().int(),
              rankAfter: z.number().int(),
              eligibilityBefore: z.enum(eligibilities),
              eligibilityAfter: z.enum(eligibilities),
            }),
          )
          .describe('calls whose score, eligibility or place changed, largest score moves first (≤ 20)'),
        feedback: z.object({
          relevantDroppedOut: z.array(z.string()),
          notRelevantEntered: z.array(z.string()),
        }),
      }),
    ),
  })
  .meta({ id: 'RulePreview' });

const actor = (p: { id: number; name: string }) => `token:${p.id}:${p.name}`;

/** Rule administration (admin) and "why / why not" for a match (any reader). */
/** A saved version and what its full re-match did. */
const savedOut = z.object({
  version: z.number().int(),
  rematch: z.object({
    calls: z.number().int().describe('calls re-matched'),
    changedCalls: z.number().int().describe('calls whose matches changed'),
    writtenRows: z.number().int().describe('match rows inserted, updated or deleted'),
  }),
});

export function ruleRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/rules',
      {
        config: { role: 'admin' },
        schema: {
          tags: ['rules'],
          summary: 'Die geltenden Regeln / the active rule set (admin)',
          security: [{ bearer: [] }],
          response: { 200: ruleSetOut },
        },
      },
      async () => getActiveRuleSet(ctx),
    );

    app.get(
      '/api/rules/versions',
      {
        config: { role: 'admin' },
        schema: {
          tags: ['rules'],
          summary: 'Alle Versionen der Regeln, neueste zuerst / all rule set versions (admin)',
          security: [{ bearer: [] }],
          response: { 200: z.object({ items: z.array(versionOut) }) },
        },
      },
      async () => ({ items: listRuleSetVersions(ctx) }),
    );

    app.put(
      '/api/rules',
      {
        config: { role: 'admin' },
        schema: {
          tags: ['rules'],
          summary: 'Neue Version der Regeln speichern / save a new rule set version (admin)',
          description:
            'Validates the rules (every error with its path), saves them as the new active version with the comment, and re-matches all calls before answering.',
          security: [{ bearer: [] }],
          body: z.object({ rules: z.unknown(), comment: z.string().trim().min(3).max(500) }),
          response: { 200: savedOut, 400: problemSchema },
        },
      },
      async (req) => {
        const result = saveRuleSet(ctx, {
          rules: req.body.rules,
          author: req.principal!.name,
          comment: req.body.comment,
        });
        audit(ctx.dbh.db, {
          actor: actor(req.principal!),
          action: 'rules.save',
          target: String(result.version),
          details: { comment: req.body.comment },
        });
        return result;
      },
    );

    app.post(
      '/api/rules/preview',
      {
        config: { role: 'admin' },
        schema: {
          tags: ['rules'],
          summary: 'Entwurf testen, ohne zu speichern / preview a draft rule set (admin)',
          description:
            'Per target: calls entering or leaving the top N, the largest score moves, and stored feedback affected. Nothing is saved.',
          security: [{ bearer: [] }],
          body: z.object({ rules: z.unknown(), topN: z.number().int().min(1).max(100).optional() }),
          response: { 200: previewOut, 400: problemSchema },
        },
      },
      async (req) => previewRuleSet(ctx, req.body.rules, { topN: req.body.topN }),
    );

    app.post(
      '/api/rules/rollback/:version',
      {
        config: { role: 'admin' },
        schema: {
          tags: ['rules'],
          summary: 'Zu einer früheren Version zurückkehren / roll back to an earlier version (admin)',
          description: 'Creates a new version copying the old one and re-matches all calls.',
          security: [{ bearer: [] }],
          params: z.object({ version: numericId }),
          response: { 200: savedOut, 404: problemSchema },
        },
      },
      async (req) => {
        const result = rollbackRuleSet(ctx, req.params.version, req.principal!.name);
        audit(ctx.dbh.db, {
          actor: actor(req.principal!),
          action: 'rules.rollback',
          target: String(result.version),
          details: { restoredFrom: req.params.version },
        });
        return result;
      },
    );

    app.get(
      '/api/matches/:callId/:target/why',
      {
        schema: {
          tags: ['matches'],
          summary: 'Warum (nicht)? / why a call fits a target, or why not',
          description:
            'Computed now with the active rules: the rules that fired with their evidence, the text-relevance part, exclusions, and for the rules that did not fire the conditions that failed. `stored` is the match as listed (null when the call scored below the threshold).',
          security: [{ bearer: [] }],
          params: z.object({ callId: z.string().min(1).max(300), target: z.string().min(1).max(100) }),
          response: {
            200: z.object({ explanation: z.unknown(), stored: matchOut.nullable() }),
            404: problemSchema,
          },
        },
      },
      async (req) => {
        assertPair(ctx, req.params.callId, req.params.target);
        return {
          explanation: explainMatch(ctx, req.params.callId, req.params.target),
          stored: getMatch(ctx, req.params.callId, req.params.target) ?? null,
        };
      },
    );
  };
}
