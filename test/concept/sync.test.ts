import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, runMigrations } from '../../db/client.ts';
import { parseConcept } from '../../src/concept/load.ts';
import { syncConcept } from '../../src/concept/sync.ts';
import { fromPackage } from '../../src/paths.ts';
import { useTmpDir } from '../helpers/tmp.ts';

const text = readFileSync(fromPackage('rules', 'concept.json'), 'utf8');
const count = (h: ReturnType<typeof openDatabase>, table: string) =>
  (h.sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;

describe('syncConcept', () => {
  const tmp = useTmpDir();

  it('writes the concept and is idempotent', () => {
    const h = openDatabase(join(tmp(), 'c.db'));
    runMigrations(h);
    const first = syncConcept(h.db, parseConcept(text));
    expect(first).toEqual({ changed: true, actionFields: 12, measures: 60 });
    const snapshot = h.sqlite.prepare('select * from measures order by id').all();
    const second = syncConcept(h.db, parseConcept(text));
    expect(second.changed).toBe(false);
    expect(h.sqlite.prepare('select * from measures order by id').all()).toEqual(snapshot);
    expect(count(h, 'action_fields')).toBe(12);
    expect(count(h, 'measures')).toBe(60);
    expect(count(h, 'partner_cities')).toBe(13);
    expect(count(h, 'action_field_goal_potentials')).toBe(36);
    h.close();
  });

  it('updates rows in place and drops what a changed file no longer has', () => {
    const h = openDatabase(join(tmp(), 'c.db'));
    runMigrations(h);
    syncConcept(h.db, parseConcept(text));
    const data = JSON.parse(text);
    data.actionFields[2].measures[0].text = 'Zur Umsetzung der EU-Strategie für den Ostseeraum beitragen.';
    data.actionFields[4].measures.pop();
    const result = syncConcept(h.db, parseConcept(JSON.stringify(data)));
    expect(result).toMatchObject({ changed: true, measures: 59 });
    const row = h.sqlite.prepare("select text from measures where id = 'ostseeraum-1'").get() as {
      text: string;
    };
    expect(row.text).toBe('Zur Umsetzung der EU-Strategie für den Ostseeraum beitragen.');
    expect(count(h, 'measures')).toBe(59);
    expect(h.sqlite.prepare("select 1 from measures where id = 'staedtenetzwerke-11'").get()).toBeUndefined();
    h.close();
  });
});
