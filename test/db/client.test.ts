import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.ts';
import { useTmpDir } from '../helpers/tmp.ts';

describe('write-ahead log checkpoints', () => {
  const tmp = useTmpDir();
  const fill = (h: ReturnType<typeof openDatabase>) => {
    h.sqlite.exec('create table t (x text)');
    const ins = h.sqlite.prepare('insert into t values (?)');
    h.sqlite.transaction(() => {
      for (let i = 0; i < 6000; i++) ins.run('x'.repeat(1000));
    })();
  };

  it('are not made by commits but by the timer, while the connection stays open', async () => {
    const path = join(tmp(), 'wal.db');
    const h = openDatabase(path, { checkpointEveryMs: 50 });
    fill(h);
    // Committed 6 MB (more than the default checkpoint size), all still in the log: the commit did not copy it into the file.
    expect(statSync(path).size).toBeLessThan(100_000);
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(6_000_000);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(statSync(path).size).toBeGreaterThan(6_000_000);
    expect(h.sqlite.prepare('select count(*) as n from t').get()).toEqual({ n: 6000 });
    h.close();
  });

  it('are made when the connection closes, so nothing stays only in the log', () => {
    const path = join(tmp(), 'close.db');
    const h = openDatabase(path);
    fill(h);
    h.close();
    expect(statSync(path).size).toBeGreaterThan(6_000_000);
    const again = openDatabase(path);
    expect(again.sqlite.prepare('select count(*) as n from t').get()).toEqual({ n: 6000 });
    again.close();
  });
});
