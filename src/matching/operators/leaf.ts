/** What a compiled leaf is, and the helpers every operator family shares. */
import { AppError } from '../../errors.ts';
import type { CallFacts, FactValue } from '../facts.ts';

/** Result of a leaf when explaining: did it hold, and what made it (terms found, actual value). */
export interface LeafOutcome {
  ok: boolean;
  /** Terms found, or the fact's actual value. */
  evidence: string[];
}

export interface CompiledLeaf {
  test(f: CallFacts): boolean;
  explain(f: CallFacts): LeafOutcome;
}

export const asList = (v: FactValue): string[] =>
  v === undefined ? [] : Array.isArray(v) ? [...(v as readonly string[])] : [String(v)];

export function invalid(path: string, message: string): AppError {
  return new AppError('RULES_INVALID', `invalid rule set\n  ${path}: ${message}`, {
    details: [{ path, message }],
  });
}

/** Resolves `{ fact: "city.…" }` values against the city profile at compile time. */
export type ResolveCityFact = (name: string) => string | string[] | undefined;
