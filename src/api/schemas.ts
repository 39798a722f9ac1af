import { z } from 'zod';
import { callStatuses, eligibilities, sourceIds } from '../domain/enums.ts';

/** Response shapes shared by several routes (and named in the OpenAPI document). */

export const deadlineOut = z
  .object({
    at: z.string().describe('UTC instant'),
    timeZone: z.string().describe('zone the deadline was published in'),
    local: z.string().describe('the deadline in its publishing zone, ISO 8601 with offset'),
    berlin: z.string().describe('the deadline in Europe/Berlin, ISO 8601 with offset'),
    daysLeft: z.number().int().describe('calendar days left in Europe/Berlin; negative when past'),
    stage: z.string(),
    label: z.string().optional(),
    raw: z.string(),
  })
  .meta({ id: 'Deadline' });

export const budgetOut = z
  .object({
    currency: z.string(),
    total: z.number().optional(),
    perProjectMin: z.number().optional(),
    perProjectMax: z.number().optional(),
    raw: z.string().optional(),
  })
  .meta({ id: 'Budget' });

export const matchBriefOut = z
  .object({
    target: z.string(),
    score: z.number(),
    eligibility: z.enum(eligibilities),
    reason: z.string(),
  })
  .meta({ id: 'MatchBrief' });

export const callSummaryOut = z
  .object({
    id: z.string(),
    source: z.enum(sourceIds),
    programme: z.string().nullable(),
    identifier: z.string().nullable(),
    title: z.string(),
    summary: z.string(),
    url: z.string().nullable(),
    language: z.string(),
    status: z.enum(callStatuses),
    nextDeadline: deadlineOut.nullable(),
    fundingRate: z.number().nullable(),
    budget: budgetOut.nullable(),
    relevance: z.number().nullable(),
    match: matchBriefOut.nullable(),
    href: z.string(),
  })
  .meta({ id: 'CallSummary' });

export const matchOut = z
  .object({
    callId: z.string(),
    target: z.string(),
    targetKind: z.enum(['action-field', 'measure']),
    score: z.number(),
    eligibility: z.enum(eligibilities),
    reason: z.string(),
    reasonEn: z.string(),
    ruleVersion: z.number().int(),
    matchedAt: z.string(),
  })
  .meta({ id: 'Match' });

/** A match on its call's page: with the full explanation, made on read with the active rules. */
export const explainedMatchOut = matchOut.extend({ explanation: z.unknown() }).meta({ id: 'ExplainedMatch' });

export const pageLinks = z.object({ next: z.string().nullable() });
