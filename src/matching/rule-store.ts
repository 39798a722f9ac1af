import { readFileSync } from 'node:fs';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { compileEngine, type Engine } from './engine.ts';
import type { RuleSet } from './rules-schema.ts';

/** Rule set versions and the compiled engine of the active one (per database handle). */

export interface ActiveRuleSet {
  version: number;
  rules: RuleSet;
  createdAt: string;
  author: string;
  comment: string;
}

export interface VersionRow {
  version: number;
  created_at: string;
  author: string;
  comment: string;
  rules: string;
  restored_from: number | null;
  active: number;
}

// Compiled engines per database handle and version.
export const engines = new WeakMap<object, { version: number; engine: Engine }>();

export function insertVersion(
  ctx: AppContext,
  rules: unknown,
  author: string,
  comment: string,
  restoredFrom: number | null,
) {
  const s = ctx.dbh.sqlite;
  const createdAt = new Date().toISOString();
  return s.transaction(() => {
    s.prepare('UPDATE rule_set_versions SET active = 0 WHERE active = 1').run();
    const info = s
      .prepare(
        'INSERT INTO rule_set_versions (created_at, author, comment, rules, restored_from, active) VALUES (?, ?, ?, ?, ?, 1)',
      )
      .run(createdAt, author, comment, JSON.stringify(rules), restoredFrom);
    return Number(info.lastInsertRowid);
  })();
}

/** The active rule set; on first start version 1 is seeded from `config.rulesFile`. */
export function getActiveRuleSet(ctx: AppContext): ActiveRuleSet {
  const s = ctx.dbh.sqlite;
  let row = s.prepare('SELECT * FROM rule_set_versions WHERE active = 1').get() as VersionRow | undefined;
  if (!row) {
    const any = s.prepare('SELECT version FROM rule_set_versions LIMIT 1').get();
    if (!any) {
      let data: unknown;
      try {
        data = JSON.parse(readFileSync(ctx.config.rulesFile, 'utf8'));
      } catch (err) {
        throw new AppError('RULES_INVALID', `${ctx.config.rulesFile}: ${(err as Error).message}`, {
          cause: err,
        });
      }
      compileEngine(data, ctx.concept.concept);
      insertVersion(ctx, data, 'system', `Standardregeln aus ${ctx.config.rulesFile.split('/').pop()}`, null);
    } else {
      s.prepare(
        'UPDATE rule_set_versions SET active = 1 WHERE version = (SELECT MAX(version) FROM rule_set_versions)',
      ).run();
    }
    row = s.prepare('SELECT * FROM rule_set_versions WHERE active = 1').get() as VersionRow;
  }
  const engine = engineFor(ctx, row);
  return {
    version: row.version,
    rules: engine.ruleSet,
    createdAt: row.created_at,
    author: row.author,
    comment: row.comment,
  };
}

function engineFor(ctx: AppContext, row: VersionRow): Engine {
  const cached = engines.get(ctx.dbh);
  if (cached && cached.version === row.version) return cached.engine;
  const engine = compileEngine(JSON.parse(row.rules), ctx.concept.concept);
  engines.set(ctx.dbh, { version: row.version, engine });
  return engine;
}

export function activeEngine(ctx: AppContext): { version: number; engine: Engine } {
  const { version } = getActiveRuleSet(ctx);
  return { version, engine: engines.get(ctx.dbh)!.engine };
}

export function listRuleSetVersions(ctx: AppContext) {
  getActiveRuleSet(ctx);
  const rows = ctx.dbh.sqlite
    .prepare(
      'SELECT version, created_at, author, comment, restored_from, active FROM rule_set_versions ORDER BY version DESC',
    )
    .all() as Omit<VersionRow, 'rules'>[];
  return rows.map((r) => ({
    version: r.version,
    createdAt: r.created_at,
    author: r.author,
    comment: r.comment,
    restoredFrom: r.restored_from,
    active: r.active === 1,
  }));
}

/** What a rule change did: the new version and the full re-match it ran. */
