import { factSheet, fixtureText } from '../helpers/fixtures.ts';

/** The Interreg fact sheet and fixture pages, shared by the Interreg parse tests. */
export type FactCall = Record<string, unknown> & { id: string };
export const facts = factSheet<{ calls: FactCall[] }>('interreg');
export const fact = (id: string) => facts.calls.find((c) => c.id === id)!;
export const page = (path: string) => fixtureText('interreg', `site/${path}`);
export const parseCtx = (url: string) => ({ url, fetchedAt: new Date('2025-06-01T08:00:00Z') });
/** Kiel's NUTS 3 region. */
export const KIEL = 'DEF02';
