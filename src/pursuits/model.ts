import { z } from 'zod';
import type { Deadline } from '../domain/call.ts';
import { languages, type PursuitStatus, pursuitStatuses } from '../domain/enums.ts';

/** Inputs of the pursuit services, validated by zod (the API uses the same schemas). */
const amount = z.number().min(0, 'expected an amount ≥ 0 (EUR)').max(1e12, 'amount too large');
const measureIds = z.array(z.string().min(1).max(100)).min(1, 'at least one measure').max(60);
const partners = z.array(z.string().min(1).max(200)).max(100);

export const createPursuitSchema = z.object({
  callId: z.string().min(1).max(300),
  measures: measureIds,
  ownerEmail: z.email({ message: 'expected an email address' }).max(254),
  ownerLanguage: z.enum(languages).default('de'),
  /** Another token as owner: admins only; default the creating token. */
  ownerTokenId: z.number().int().min(1).optional(),
  amountApplied: amount.nullable().optional(),
  partners: partners.default([]),
  partnersText: z.string().max(2000).nullable().optional(),
  note: z.string().min(1).max(10_000).optional(),
});
export type CreatePursuitInput = z.input<typeof createPursuitSchema>;

export const updatePursuitSchema = z
  .object({
    measures: measureIds,
    ownerTokenId: z.number().int().min(1),
    ownerEmail: z.email({ message: 'expected an email address' }).max(254),
    ownerLanguage: z.enum(languages),
    amountApplied: amount.nullable(),
    amountGranted: amount.nullable(),
    partners,
    partnersText: z.string().max(2000).nullable(),
  })
  .partial()
  .strict();
export type UpdatePursuitInput = z.input<typeof updatePursuitSchema>;

export const movePursuitSchema = z.object({
  status: z.enum(pursuitStatuses),
  amountApplied: amount.optional(),
  amountGranted: amount.optional(),
  note: z.string().min(1).max(10_000).optional(),
});
export type MovePursuitInput = z.input<typeof movePursuitSchema>;

export const noteSchema = z.object({ text: z.string().trim().min(1, 'empty note').max(10_000) });

export interface PursuitNote {
  id: number;
  author: string;
  authorTokenId: number | null;
  at: string;
  text: string;
}

export interface PursuitHistoryEntry {
  at: string;
  actor: string;
  field: string;
  from: unknown;
  to: unknown;
}

export interface PursuitAlert {
  id: number;
  at: string;
  /** What changed in the call: `{ field, from, to }` per field (deadline, text fields, status…). */
  changes: { field: string; from: unknown; to: unknown }[];
  seenAt: string | null;
}

/** A pursuit as read by the API and the pages. */
export interface Pursuit {
  id: number;
  call: {
    id: string;
    title: string;
    programme: string | null;
    url: string | null;
    status: string;
    nextDeadline: Deadline | null;
  };
  measures: string[];
  owner: { tokenId: number; name: string; email: string; language: 'de' | 'en' };
  status: PursuitStatus;
  amountApplied: number | null;
  amountGranted: number | null;
  partners: string[];
  partnersText: string | null;
  /** The call's deadline passed while the pursuit was not yet submitted. */
  deadlineMissed: boolean;
  /** Call changes not yet marked seen by the owner. */
  unseenAlerts: number;
  createdAt: string;
  updatedAt: string;
}

export interface PursuitDetail extends Pursuit {
  notes: PursuitNote[];
  history: PursuitHistoryEntry[];
  alerts: PursuitAlert[];
}
