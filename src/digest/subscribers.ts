import { randomBytes } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { subscribers } from '../../db/schema/index.ts';
import { conceptIndex } from '../concept/load.ts';
import type { AppContext } from '../context.ts';
import { cadences, languages } from '../domain/enums.ts';
import { AppError, type ErrorDetail, zodDetails } from '../errors.ts';

export type SubscriberRow = typeof subscribers.$inferSelect;

const fields = {
  name: z.string().trim().min(1, 'expected a name').max(200),
  email: z.email({ message: 'expected an email address' }).max(320),
  language: z.enum(languages),
  actionFields: z.array(z.string().trim().min(1)).max(100),
  measures: z.array(z.string().trim().min(1)).max(500),
  minScore: z.number().min(0, 'expected 0 to 100').max(100, 'expected 0 to 100'),
  cadence: z.enum(cadences),
};

export const subscriberInputSchema = z.object({
  name: fields.name,
  email: fields.email,
  language: fields.language.default('de'),
  actionFields: fields.actionFields.default([]),
  measures: fields.measures.default([]),
  minScore: fields.minScore.default(40),
  cadence: fields.cadence.default('weekly'),
});
export type SubscriberInput = z.input<typeof subscriberInputSchema>;

export const subscriberPatchSchema = z
  .object({ ...fields, active: z.boolean() })
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: 'expected at least one field to change' });
export type SubscriberPatch = z.input<typeof subscriberPatchSchema>;

/** What admins see: everything but the unsubscribe token (it acts like a password for one click). */
export function publicSubscriber(row: SubscriberRow) {
  const { unsubscribeToken: _secret, ...rest } = row;
  return rest;
}

function fail(details: ErrorDetail[]): never {
  throw new AppError(
    'VALIDATION_FAILED',
    `Invalid subscriber: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`,
    { details },
  );
}

const stringList = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

/** Parses the input and reports every problem at once: shape errors and unknown concept keys. */
function parse<T>(ctx: AppContext, schema: z.ZodType<T>, input: unknown, needsTarget: boolean): T {
  const r = schema.safeParse(input);
  const raw = (input ?? {}) as { actionFields?: unknown; measures?: unknown };
  const targetDetails = targetProblems(
    ctx,
    stringList(raw.actionFields),
    stringList(raw.measures),
    needsTarget,
  );
  if (!r.success) fail([...zodDetails(r.error.issues), ...targetDetails]);
  return r.data;
}

/** Every action field key and measure id must exist in the concept; a subscriber follows something. */
function targetProblems(
  ctx: AppContext,
  actionFields: readonly string[],
  measures: readonly string[],
  needsTarget: boolean,
): ErrorDetail[] {
  const idx = conceptIndex(ctx.concept.concept);
  const details = [
    ...actionFields
      .map((k, i) => ({ k, i }))
      .filter(({ k }) => !idx.fields.has(k))
      .map(({ k, i }) => ({ path: `actionFields.${i}`, message: `unknown action field "${k}"` })),
    ...measures
      .map((m, i) => ({ m, i }))
      .filter(({ m }) => !idx.measures.has(m))
      .map(({ m, i }) => ({ path: `measures.${i}`, message: `unknown measure "${m}"` })),
  ];
  if (needsTarget && actionFields.length + measures.length === 0)
    details.push({ path: 'actionFields', message: 'follow at least one action field or measure' });
  return details;
}

function checkTargets(ctx: AppContext, actionFields: readonly string[], measures: readonly string[]): void {
  const details = targetProblems(ctx, actionFields, measures, true);
  if (details.length > 0) fail(details);
}

function emailTaken(ctx: AppContext, email: string, exceptId?: number): boolean {
  const row = ctx.dbh.db.select().from(subscribers).where(eq(subscribers.email, email)).get();
  return row !== undefined && row.id !== exceptId;
}

export function createSubscriber(ctx: AppContext, input: unknown, now = new Date()): SubscriberRow {
  const s = parse(ctx, subscriberInputSchema, input, true);
  const actionFields = [...new Set(s.actionFields)];
  const measures = [...new Set(s.measures)];
  checkTargets(ctx, actionFields, measures);
  const email = s.email.toLowerCase();
  if (emailTaken(ctx, email))
    throw new AppError('CONFLICT', `A subscriber with the address ${email} exists already.`);
  return ctx.dbh.db
    .insert(subscribers)
    .values({
      ...s,
      email,
      actionFields,
      measures,
      unsubscribeToken: randomBytes(24).toString('base64url'),
      createdAt: now.toISOString(),
    })
    .returning()
    .get();
}

export function listSubscribers(ctx: AppContext): SubscriberRow[] {
  return ctx.dbh.db.select().from(subscribers).orderBy(asc(subscribers.id)).all();
}

export function getSubscriber(ctx: AppContext, id: number): SubscriberRow | undefined {
  return ctx.dbh.db.select().from(subscribers).where(eq(subscribers.id, id)).get();
}

function mustGet(ctx: AppContext, id: number): SubscriberRow {
  const row = getSubscriber(ctx, id);
  if (!row) throw new AppError('NOT_FOUND', `No subscriber with id ${id}.`);
  return row;
}

export function updateSubscriber(
  ctx: AppContext,
  id: number,
  patch: unknown,
  now = new Date(),
): SubscriberRow {
  const current = mustGet(ctx, id);
  const p = parse(ctx, subscriberPatchSchema, patch, false);
  const actionFields = p.actionFields ? [...new Set(p.actionFields)] : current.actionFields;
  const measures = p.measures ? [...new Set(p.measures)] : current.measures;
  checkTargets(ctx, actionFields, measures);
  const email = p.email?.toLowerCase() ?? current.email;
  if (emailTaken(ctx, email, id))
    throw new AppError('CONFLICT', `A subscriber with the address ${email} exists already.`);
  const reactivated = p.active === true && !current.active;
  const deactivated = p.active === false && current.active;
  return ctx.dbh.db
    .update(subscribers)
    .set({
      ...p,
      email,
      actionFields,
      measures,
      ...(reactivated ? { unsubscribedAt: null } : {}),
      ...(deactivated ? { unsubscribedAt: now.toISOString() } : {}),
    })
    .where(eq(subscribers.id, id))
    .returning()
    .get();
}

/** Deletes the subscriber and, by cascade, their outbox rows. */
export function removeSubscriber(ctx: AppContext, id: number): SubscriberRow {
  const row = mustGet(ctx, id);
  ctx.dbh.db.delete(subscribers).where(eq(subscribers.id, id)).run();
  return row;
}

export function findByUnsubscribeToken(ctx: AppContext, token: string): SubscriberRow | undefined {
  return ctx.dbh.db.select().from(subscribers).where(eq(subscribers.unsubscribeToken, token)).get();
}

/** One-click unsubscribe; repeating it is harmless. Returns undefined for an unknown token. */
export function unsubscribe(ctx: AppContext, token: string, now = new Date()): SubscriberRow | undefined {
  const row = findByUnsubscribeToken(ctx, token);
  if (!row) return undefined;
  if (!row.active) return row;
  return ctx.dbh.db
    .update(subscribers)
    .set({ active: false, unsubscribedAt: now.toISOString() })
    .where(eq(subscribers.id, row.id))
    .returning()
    .get();
}
