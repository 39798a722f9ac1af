import type { AppContext } from '../context.ts';
import { publicHost } from '../digest/links.ts';
import { type CallChange, changeMail } from './mail.ts';
import { enqueue } from './outbox.ts';
import { readPursuits } from './read.ts';

/** Call fields whose change the owner hears about: the deadline and the call's text, plus what decides money. */
export const alertFields = [
  'deadlines',
  'title',
  'summary',
  'description',
  'status',
  'budget',
  'fundingRate',
  'notices',
] as const;
/** Texts are long: an alert says that they changed, not the whole old and new text. */
const textFields = new Set(['summary', 'description']);

/** Statuses whose owner still acts on the call. */
const alertStatuses = ['beobachtet', 'in_pruefung', 'antrag_in_vorbereitung', 'eingereicht'];

/**
 * Turns the call changes crawls recorded (`call_changes`) since each pursuit's last look into
 * one alert on the pursuit and one mail to its owner, per pursuit and batch. The alert, the
 * outbox row and the pursuit's new high-water mark are written in one transaction, so a
 * restart neither loses a change nor alerts it twice. Returns the number of alerts made.
 */
export function scanCallChanges(ctx: AppContext, now: Date): number {
  const s = ctx.dbh.sqlite;
  const rows = s
    .prepare(
      `select p.id as pursuitId, cc.id as changeId, cc.field, cc.old_value as oldValue, cc.new_value as newValue
       from pursuits p join call_changes cc on cc.call_id = p.call_id and cc.id > p.changes_seen_id
       where p.status in (select value from json_each(?)) order by p.id, cc.id`,
    )
    .all(JSON.stringify(alertStatuses)) as {
    pursuitId: number;
    changeId: number;
    field: string;
    oldValue: string | null;
    newValue: string | null;
  }[];
  const byPursuit = new Map<number, typeof rows>();
  for (const r of rows) byPursuit.set(r.pursuitId, [...(byPursuit.get(r.pursuitId) ?? []), r]);
  const host = publicHost(ctx.config);
  let made = 0;
  for (const [pursuitId, list] of byPursuit) {
    // Oldest "from" and newest "to" per field: a deadline moved twice reads as one move.
    const spans = new Map<string, CallChange>();
    for (const r of list) {
      if (!(alertFields as readonly string[]).includes(r.field)) continue;
      const from = r.oldValue === null ? null : JSON.parse(r.oldValue);
      const to = r.newValue === null ? null : JSON.parse(r.newValue);
      const prev = spans.get(r.field);
      spans.set(r.field, { field: r.field, from: prev ? prev.from : from, to });
    }
    // In the order of `alertFields`: the deadline first, as the mail reads.
    const order = (f: string) => (alertFields as readonly string[]).indexOf(f);
    const changes = [...spans.values()]
      .sort((a, b) => order(a.field) - order(b.field))
      .filter((c) => JSON.stringify(c.from) !== JSON.stringify(c.to))
      .map((c) => (textFields.has(c.field) ? { field: c.field, from: null, to: null } : c));
    const through = list.at(-1)!.changeId;
    const pursuit = readPursuits(ctx, 'p.id = ?', [pursuitId], now)[0];
    if (!pursuit) continue;
    s.transaction(() => {
      s.prepare('update pursuits set changes_seen_id = ? where id = ? and changes_seen_id < ?').run(
        through,
        pursuitId,
        through,
      );
      if (changes.length === 0) return;
      const info = s
        .prepare(
          'insert into pursuit_alerts (pursuit_id, through_change_id, at, changes) values (?, ?, ?, ?) on conflict do nothing',
        )
        .run(pursuitId, through, now.toISOString(), JSON.stringify(changes));
      if (info.changes !== 1) return;
      enqueue(
        ctx,
        {
          pursuitId,
          kind: 'change',
          key: `change:${Number(info.lastInsertRowid)}`,
          toEmail: pursuit.owner.email,
          content: changeMail(ctx.config, pursuit, changes, now),
          host,
        },
        now,
      );
      made++;
    })();
  }
  return made;
}
