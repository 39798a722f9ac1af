import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { AppError, zodDetails } from '../errors.ts';
import { type Concept, conceptSchema } from './schema.ts';

export interface LoadedConcept {
  concept: Concept;
  /** SHA-256 of the file's bytes: unchanged hash = nothing to sync. */
  hash: string;
  file: string;
}

/** Parses concept JSON text; errors name the file and every bad field by path. */
export function parseConcept(text: string, file = '(inline)'): LoadedConcept {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new AppError('CONCEPT_INVALID', `${file}: not valid JSON (${(err as Error).message})`, {
      cause: err,
    });
  }
  const parsed = conceptSchema.safeParse(data);
  if (!parsed.success) {
    const details = zodDetails(parsed.error.issues);
    const list = details.map((d) => `  ${d.path}: ${d.message}`).join('\n');
    throw new AppError('CONCEPT_INVALID', `${file}: invalid concept\n${list}`, { details });
  }
  return { concept: parsed.data, hash: createHash('sha256').update(text).digest('hex'), file };
}

export function loadConceptFile(file: string): LoadedConcept {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new AppError(
      'CONCEPT_NOT_FOUND',
      `Concept file ${file} cannot be read: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
  return parseConcept(text, file);
}

/** Lookup helpers over a loaded concept. */
export function conceptIndex(concept: Concept) {
  const fields = new Map(concept.actionFields.map((f) => [f.key, f]));
  const measures = new Map(
    concept.actionFields.flatMap((f) =>
      f.measures.map((m) => [m.id, { ...m, actionFieldKey: f.key }] as const),
    ),
  );
  return { fields, measures };
}
