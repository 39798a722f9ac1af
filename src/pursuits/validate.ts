import { conceptIndex } from '../concept/load.ts';
import type { AppContext } from '../context.ts';
import { AppError, type ErrorDetail } from '../errors.ts';

/** The partner choices: the concept's partner cities and networks, by name. */
export function partnerChoices(ctx: AppContext): { cities: string[]; networks: string[] } {
  const c = ctx.concept.concept;
  return { cities: c.partnerCities.map((p) => p.name), networks: c.networks.map((n) => n.name) };
}

/** Unknown measures, partners or owner tokens are input errors, all reported at once. */
export function checkReferences(
  ctx: AppContext,
  input: { measures?: readonly string[]; partners?: readonly string[]; ownerTokenId?: number },
): void {
  const idx = conceptIndex(ctx.concept.concept);
  const choices = partnerChoices(ctx);
  const known = new Set([...choices.cities, ...choices.networks]);
  const details: ErrorDetail[] = [
    ...(input.measures ?? [])
      .filter((m) => !idx.measures.has(m))
      .map((m) => ({ path: 'body.measures', message: `unknown measure "${m}"` })),
    ...(input.partners ?? [])
      .filter((p) => !known.has(p))
      .map((p) => ({
        path: 'body.partners',
        message: `"${p}" is neither a partner city nor a network of the concept; use partnersText for others`,
      })),
  ];
  if (input.ownerTokenId !== undefined) {
    const t = ctx.dbh.sqlite
      .prepare('select revoked_at as revokedAt from api_tokens where id = ?')
      .get(input.ownerTokenId) as { revokedAt: string | null } | undefined;
    if (!t || t.revokedAt)
      details.push({ path: 'body.ownerTokenId', message: `no active token ${input.ownerTokenId}` });
  }
  if (details.length > 0)
    throw new AppError('VALIDATION_FAILED', details.map((d) => d.message).join('; '), { details });
}
