import { z } from 'zod';
import { AppError, zodDetails } from '../errors.ts';

/**
 * A rule set is plain JSON in the shape of json-rules-engine rules. Nothing in it is code:
 * terms are word lists (optionally with `*` wildcards), identifiers are matched with globs.
 */
export const operators = [
  'containsAny',
  'containsAll',
  'phrase',
  'near',
  'in',
  'equals',
  'gt',
  'gte',
  'lt',
  'lte',
  'globMatch',
] as const;
export type Operator = (typeof operators)[number];

/** A reference to a city fact from the concept, resolved when the rule set is compiled. */
const factRef = z.object({ fact: z.string().min(1) }).strict();
const term = z.string().trim().min(1).max(200);

const nearValue = z
  .object({
    a: z.array(term).min(1),
    b: z.array(term).min(1),
    within: z.number().int().min(1).max(50).default(8),
  })
  .strict();

export const leafSchema = z
  .object({
    fact: z.string().min(1),
    operator: z.enum(operators),
    value: z.union([z.array(z.union([term, z.number()])), term, z.number(), z.boolean(), factRef, nearValue]),
    /** For term operators: how many distinct terms must match (default 1 for containsAny). */
    min: z.number().int().min(1).max(50).optional(),
  })
  .strict();
export type Leaf = z.infer<typeof leafSchema>;

export type Condition = Leaf | { all: Condition[] } | { any: Condition[] } | { not: Condition };

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.object({ all: z.array(conditionSchema) }).strict(),
    z.object({ any: z.array(conditionSchema).min(1) }).strict(),
    z.object({ not: conditionSchema }).strict(),
    leafSchema,
  ]),
);

const topConditions = z.union([
  z.object({ all: z.array(conditionSchema) }).strict(),
  z.object({ any: z.array(conditionSchema).min(1) }).strict(),
  z.object({ not: conditionSchema }).strict(),
]);

export const effectSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('add'), points: z.number().min(-100).max(100) }).strict(),
  z.object({ type: z.literal('multiply'), factor: z.number().min(0).max(10) }).strict(),
  z
    .object({
      type: z.literal('exclude'),
      /** German line shown to users. */
      reason: z.string().min(3),
      reasonEn: z.string().min(3).optional(),
    })
    .strict(),
  z
    .object({
      /** Eligibility cannot be decided from the data: rank below eligible calls. */
      type: z.literal('unclear'),
      reason: z.string().min(3),
      reasonEn: z.string().min(3).optional(),
    })
    .strict(),
]);
export type Effect = z.infer<typeof effectSchema>;

const target = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected an action field key, a measure id or "all"');

export const ruleSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9]+([-.][a-z0-9]+)*$/, 'expected a lower-case id such as "cerv-town-twinning"'),
    name: z.string().min(2),
    nameEn: z.string().min(2).optional(),
    description: z.string().default(''),
    target: z.union([target, z.array(target).min(1)]),
    priority: z.number().int().min(0).max(1000).default(2),
    conditions: topConditions,
    effect: effectSchema,
    enabled: z.boolean().default(true),
  })
  .strict();
export type Rule = z.infer<typeof ruleSchema>;

const vocabulary = z.record(
  target,
  z.object({ de: z.array(term).default([]), en: z.array(term).default([]) }).strict(),
);

export const scoringSchema = z
  .object({
    /** Points the text relevance adds at most (before saturation). */
    textWeight: z.number().min(0).max(200).default(40),
    /** BM25 sum at which the text part reaches half of its weight. */
    textHalf: z.number().positive().max(1000).default(12),
    /** Raw points at which the final score reaches 63 (1 − 1/e) of 100. */
    scale: z.number().positive().max(1000).default(60),
    /** Share of the action field's raw points a measure inherits. */
    measureInherit: z.number().min(0).max(1).default(0.5),
    /** Below this score a pair is not a match: not stored, not ranked among matches. */
    minScore: z.number().min(0).max(100).default(30),
    /**
     * Weight of a text stem that also stands in the title or the programme (identifier
     * included), against 1 in the summary or description: where evidence stands says how
     * central it is to the call.
     */
    headWeight: z.number().min(1).max(10).default(2),
  })
  .strict();
export type Scoring = z.infer<typeof scoringSchema>;

export const ruleSetSchema = z
  .object({
    version: z.number().int().positive().optional(),
    scoring: scoringSchema.default(() => scoringSchema.parse({})),
    vocabulary: vocabulary.default({}),
    rules: z.array(ruleSchema),
  })
  .strict()
  .superRefine((rs, ctx) => {
    const seen = new Set<string>();
    rs.rules.forEach((r, i) => {
      if (seen.has(r.id))
        ctx.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: `duplicate id "${r.id}"` });
      seen.add(r.id);
    });
  });
export type RuleSet = z.infer<typeof ruleSetSchema>;
export type RuleSetInput = z.input<typeof ruleSetSchema>;

/**
 * Validates a rule set; every problem is reported with its path (e.g. `rules.3.effect.points`).
 * `knownTargets` (field keys and measure ids) is checked when given.
 */
export function parseRuleSet(data: unknown, knownTargets?: ReadonlySet<string>): RuleSet {
  const parsed = ruleSetSchema.safeParse(data);
  if (!parsed.success) {
    const details = zodDetails(parsed.error.issues);
    throw new AppError(
      'RULES_INVALID',
      `invalid rule set\n${details.map((d) => `  ${d.path}: ${d.message}`).join('\n')}`,
      {
        details,
      },
    );
  }
  if (knownTargets) {
    const details: { path: string; message: string }[] = [];
    parsed.data.rules.forEach((r, i) => {
      const targets = Array.isArray(r.target) ? r.target : [r.target];
      targets.forEach((t, j) => {
        if (t !== 'all' && !knownTargets.has(t)) {
          details.push({
            path: Array.isArray(r.target) ? `rules.${i}.target.${j}` : `rules.${i}.target`,
            message: `unknown target "${t}"`,
          });
        }
      });
    });
    for (const key of Object.keys(parsed.data.vocabulary)) {
      if (!knownTargets.has(key))
        details.push({ path: `vocabulary.${key}`, message: `unknown target "${key}"` });
    }
    if (details.length > 0) {
      throw new AppError(
        'RULES_INVALID',
        `invalid rule set\n${details.map((d) => `  ${d.path}: ${d.message}`).join('\n')}`,
        { details },
      );
    }
  }
  return parsed.data;
}
