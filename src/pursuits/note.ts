import type { TokenPrincipal } from '../auth/tokens.ts';
import type { AppContext } from '../context.ts';
import { AppError, zodDetails } from '../errors.ts';
import { assertCanEdit } from './access.ts';
import { getPursuit } from './get.ts';
import { actorOf, recordHistory } from './history.ts';
import { noteSchema, type PursuitNote } from './model.ts';

/** Adds a note with its author (the token's name) and time; notes are never edited. */
export function addNote(
  ctx: AppContext,
  principal: TokenPrincipal,
  id: number,
  raw: { text: string },
  now = new Date(),
): PursuitNote {
  const parsed = noteSchema.safeParse(raw);
  if (!parsed.success)
    throw new AppError('VALIDATION_FAILED', 'Ungültige Notiz / invalid note', {
      details: zodDetails(parsed.error.issues),
    });
  assertCanEdit(principal, getPursuit(ctx, id, now));
  const s = ctx.dbh.sqlite;
  const at = now.toISOString();
  const noteId = s.transaction(() => {
    const info = s
      .prepare(
        'insert into pursuit_notes (pursuit_id, author_token_id, author, at, text) values (?, ?, ?, ?, ?)',
      )
      .run(id, principal.id, principal.name, at, parsed.data.text);
    s.prepare('update pursuits set updated_at = ? where id = ?').run(at, id);
    recordHistory(ctx, id, actorOf(principal), at, [
      { field: 'note', from: null, to: Number(info.lastInsertRowid) },
    ]);
    return Number(info.lastInsertRowid);
  })();
  return { id: noteId, author: principal.name, authorTokenId: principal.id, at, text: parsed.data.text };
}
