import cron from 'node-cron';
import { sourceAdapters } from '../../crawlers/index.ts';
import type { AppContext } from '../context.ts';
import { type CrawlOutcome, crawlableSourceIds, type SourceId } from '../domain/enums.ts';

/** Outcomes after which a source's calls count as freshly crawled. */
export const goodOutcomes: readonly CrawlOutcome[] = ['ok', 'partial'];

export interface CrawlRunRow {
  id: number;
  source: string;
  trigger: string;
  startedAt: string;
  finishedAt: string | null;
  outcome: CrawlOutcome;
  fetched: number;
  newCount: number;
  changedCount: number;
  unchangedCount: number;
  delistedCount: number;
  errorCount: number;
  errors: Array<{ kind: string; url?: string; message: string }> | null;
}

export interface SourceHealth {
  id: string;
  name: string;
  enabled: boolean;
  crawlable: boolean;
  lastRun: CrawlRunRow | null;
  lastGoodRun: CrawlRunRow | null;
  /** Hours since the last good run finished; null when there never was one. */
  lastGoodAgeHours: number | null;
  /** Failed or blocked runs since the last good one. */
  errorStreak: number;
  /** No good run within `config.crawl.staleHours` (never for sources that are not crawled). */
  stale: boolean;
  nextScheduledRun: string | null;
  callCount: number;
}

const runColumns = `id, source, trigger, started_at as startedAt, finished_at as finishedAt, outcome, fetched,
  new_count as newCount, changed_count as changedCount, unchanged_count as unchangedCount,
  delisted_count as delistedCount, error_count as errorCount, errors`;

export function parseRun(row: Record<string, unknown>): CrawlRunRow {
  return { ...(row as unknown as CrawlRunRow), errors: row.errors ? JSON.parse(String(row.errors)) : null };
}

/** The next time a cron expression fires in Europe/Berlin (as the scheduler runs it). */
export function nextCronRun(expression: string): Date | null {
  if (!cron.validate(expression)) return null;
  const task = cron.schedule(expression, () => {}, { timezone: 'Europe/Berlin' });
  try {
    return task.getNextRun();
  } finally {
    task.destroy();
  }
}

const sourceNames: Record<SourceId, string> = {
  'eu-ft': 'EU Funding & Tenders Portal',
  foerderdatenbank: 'Förderdatenbank des Bundes',
  interreg: 'Interreg',
  skew: 'SKEW – Servicestelle Kommunen in der Einen Welt',
  import: 'Import (JSON Lines)',
};

/** Health of every known source: crawlable ones, rows in `sources`, and any source calls came from. */
export function sourceHealth(
  ctx: AppContext,
  now = new Date(),
  options: { schedule?: boolean } = {},
): SourceHealth[] {
  const { sqlite } = ctx.dbh;
  const rows = sqlite.prepare('select id, name, enabled from sources').all() as {
    id: string;
    name: string;
    enabled: number;
  }[];
  const counts = new Map(
    (
      sqlite.prepare('select source, count(*) as n from calls group by source').all() as {
        source: string;
        n: number;
      }[]
    ).map((r) => [r.source, r.n]),
  );
  const ids = new Set<string>([...crawlableSourceIds, ...rows.map((r) => r.id), ...counts.keys()]);
  const lastRunStmt = sqlite.prepare(
    `select ${runColumns} from crawl_runs where source = ? order by started_at desc, id desc limit 1`,
  );
  const lastGoodStmt = sqlite.prepare(
    `select ${runColumns} from crawl_runs where source = ? and outcome in ('ok','partial')
     order by coalesce(finished_at, started_at) desc, id desc limit 1`,
  );
  const streakStmt = sqlite.prepare(
    `select count(*) as n from crawl_runs where source = ? and outcome in ('failed','blocked')
     and started_at > coalesce(?, '')`,
  );
  // Crawlable = a source adapter is registered for it (crawlers/index.ts).
  const crawlable = new Set<string>(sourceAdapters.map((a) => a.id));
  const cronOf = ctx.config.crawl.cron as Record<string, string>;
  return [...ids].sort().map((id) => {
    const row = rows.find((r) => r.id === id);
    const lastRun = lastRunStmt.get(id) as Record<string, unknown> | undefined;
    const lastGood = lastGoodStmt.get(id) as Record<string, unknown> | undefined;
    const good = lastGood ? parseRun(lastGood) : null;
    const goodAt = good ? Date.parse(good.finishedAt ?? good.startedAt) : null;
    const ageHours = goodAt === null ? null : (now.getTime() - goodAt) / 3_600_000;
    const isCrawlable = crawlable.has(id);
    const enabled = row ? row.enabled === 1 : isCrawlable;
    const expression = cronOf[id];
    return {
      id,
      name: row?.name ?? sourceAdapters.find((a) => a.id === id)?.name ?? sourceNames[id as SourceId] ?? id,
      enabled,
      crawlable: isCrawlable,
      lastRun: lastRun ? parseRun(lastRun) : null,
      lastGoodRun: good,
      lastGoodAgeHours: ageHours === null ? null : Math.round(ageHours * 10) / 10,
      errorStreak: (streakStmt.get(id, good?.startedAt ?? null) as { n: number }).n,
      stale: isCrawlable && enabled && (ageHours === null || ageHours > ctx.config.crawl.staleHours),
      nextScheduledRun:
        options.schedule !== false && isCrawlable && enabled && expression && ctx.config.scheduler.enabled
          ? (nextCronRun(expression)?.toISOString() ?? null)
          : null,
      callCount: counts.get(id) ?? 0,
    };
  });
}

export function getCrawlRun(ctx: AppContext, id: number): CrawlRunRow | undefined {
  const row = ctx.dbh.sqlite.prepare(`select ${runColumns} from crawl_runs where id = ?`).get(id) as
    | Record<string, unknown>
    | undefined;
  return row ? parseRun(row) : undefined;
}

export function listCrawlRuns(
  ctx: AppContext,
  opts: { source?: string; limit: number; before?: number },
): CrawlRunRow[] {
  const where: string[] = [];
  const args: unknown[] = [];
  if (opts.source) {
    where.push('source = ?');
    args.push(opts.source);
  }
  if (opts.before !== undefined) {
    where.push('id < ?');
    args.push(opts.before);
  }
  const sql = `select ${runColumns} from crawl_runs ${where.length ? `where ${where.join(' and ')}` : ''}
    order by id desc limit ?`;
  return (ctx.dbh.sqlite.prepare(sql).all(...args, opts.limit) as Record<string, unknown>[]).map(parseRun);
}
