import { type Language, type PursuitStatus, pursuitStatuses } from '../domain/enums.ts';
import { AppError } from '../errors.ts';

/**
 * Legal status moves. Forward one step at a time (a skipped step would leave no trace of the
 * assessment), back one step while the application is not yet submitted, `verworfen` (dropped)
 * from every status that is not final, and a dropped pursuit may be taken up again.
 * `bewilligt` and `abgelehnt` are final: a new attempt is a new pursuit.
 */
export const legalMoves: Readonly<Record<PursuitStatus, readonly PursuitStatus[]>> = {
  beobachtet: ['in_pruefung', 'verworfen'],
  in_pruefung: ['antrag_in_vorbereitung', 'beobachtet', 'verworfen'],
  antrag_in_vorbereitung: ['eingereicht', 'in_pruefung', 'verworfen'],
  eingereicht: ['bewilligt', 'abgelehnt', 'verworfen'],
  bewilligt: [],
  abgelehnt: [],
  verworfen: ['beobachtet'],
};

/** Not yet submitted: reminders run and a passed deadline is flagged. */
export const preSubmissionStatuses: readonly PursuitStatus[] = [
  'beobachtet',
  'in_pruefung',
  'antrag_in_vorbereitung',
];

export const statusLabels: Readonly<Record<Language, Readonly<Record<PursuitStatus, string>>>> = {
  de: {
    beobachtet: 'beobachtet',
    in_pruefung: 'in Prüfung',
    antrag_in_vorbereitung: 'Antrag in Vorbereitung',
    eingereicht: 'eingereicht',
    bewilligt: 'bewilligt',
    abgelehnt: 'abgelehnt',
    verworfen: 'verworfen',
  },
  en: {
    beobachtet: 'watching',
    in_pruefung: 'assessing',
    antrag_in_vorbereitung: 'preparing the application',
    eingereicht: 'submitted',
    bewilligt: 'granted',
    abgelehnt: 'rejected',
    verworfen: 'dropped',
  },
};

export function isLegalMove(from: PursuitStatus, to: PursuitStatus): boolean {
  return legalMoves[from].includes(to);
}

/** Throws CONFLICT naming the moves that are allowed from `from`. */
export function assertLegalMove(from: PursuitStatus, to: PursuitStatus): void {
  if (isLegalMove(from, to)) return;
  const allowed = legalMoves[from];
  const list = allowed.length > 0 ? allowed.join(', ') : 'keine / none';
  throw new AppError(
    'CONFLICT',
    `Statuswechsel "${from}" → "${to}" ist nicht erlaubt; möglich: ${list}. / Moving from "${from}" to "${to}" is not allowed; allowed: ${list}.`,
    { details: [{ path: 'body.status', message: `allowed from ${from}: ${list}` }] },
  );
}

export { pursuitStatuses };
