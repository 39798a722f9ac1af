import type { TokenPrincipal } from '../auth/tokens.ts';
import { AppError } from '../errors.ts';

/** Readers see every pursuit; only its owner and admins change it. */
export function canEdit(principal: TokenPrincipal, pursuit: { owner: { tokenId: number } }): boolean {
  return principal.role === 'admin' || principal.id === pursuit.owner.tokenId;
}

export function assertCanEdit(
  principal: TokenPrincipal,
  pursuit: { id: number; owner: { tokenId: number } },
): void {
  if (!canEdit(principal, pursuit))
    throw new AppError(
      'FORBIDDEN',
      `Nur die verantwortliche Person oder ein Admin ändert Vorhaben ${pursuit.id}. / Only the owner or an admin may change pursuit ${pursuit.id}.`,
    );
}
