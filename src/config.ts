import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { z } from 'zod';
import { AppError } from './errors.ts';
import { fromPackage } from './paths.ts';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const int = (min: number, max: number) =>
  z.coerce
    .number({ message: `expected a whole number from ${min} to ${max}` })
    .int(`expected a whole number from ${min} to ${max}`)
    .min(min, `expected a whole number from ${min} to ${max}`)
    .max(max, `expected a whole number from ${min} to ${max}`);

const url = z.url({ message: 'expected an absolute URL such as https://example.org' });

/** A five- or six-field cron expression (node-cron syntax), checked loosely here and strictly when scheduled. */
const cron = z
  .string()
  .trim()
  .refine((v) => /^(\S+\s+){4,5}\S+$/.test(v), { message: 'expected a cron expression such as "0 5 * * *"' });

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

/** proxy-addr's names for address ranges (what fastify's `trustProxy` list accepts besides IPs). */
const proxyRangeNames = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrCidr(entry: string): boolean {
  if (proxyRangeNames.has(entry)) return true;
  const [addr = '', bits, ...rest] = entry.split('/');
  const family = isIP(addr);
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

/**
 * Which proxies may name the client in X-Forwarded-For: none by default (any client could pick
 * its own address and walk around the per-address limits), all (`true`), the nearest `n` hops,
 * or the listed addresses/CIDRs.
 */
const trustProxy = z
  .string()
  .trim()
  .transform((v, ctx): boolean | number | string[] => {
    const fail = () => {
      ctx.addIssue({
        code: 'custom',
        message: 'expected true, false, a hop count, or addresses/CIDRs such as 10.0.0.1,10.1.0.0/16',
      });
      return z.NEVER;
    };
    if (v === 'true') return true;
    if (v === 'false') return false;
    if (/^\d+$/.test(v)) return Number(v) <= 100 ? Number(v) : fail();
    const list = v.split(',').map((s) => s.trim());
    return list.every(isAddressOrCidr) ? list : fail();
  });

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PORT: int(0, 65535).default(3000),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  PUBLIC_BASE_URL: url.optional(),
  DATABASE_PATH: z.string().trim().min(1).default('./data/foerdermatch.db'),
  CONCEPT_FILE: z.string().trim().min(1).optional(),
  RULES_FILE: z.string().trim().min(1).optional(),
  SMTP_URL: z
    .string()
    .trim()
    .transform((v) => (v === '' ? undefined : v))
    .pipe(
      z.url({ protocol: /^smtps?$/, message: 'expected smtp://user:pass@host:port or smtps://…' }).optional(),
    )
    .optional(),
  OUTBOX_DIR: z.string().trim().min(1).default('./outbox'),
  MAIL_FROM: z.string().trim().min(3).default('foerdermatch <foerdermatch@localhost>'),
  DIGEST_SEND_EMPTY: bool.default(true),
  DIGEST_CRON: cron.default('0 7 * * *'),
  SCHEDULER_ENABLED: bool.default(true),
  /** Days before a pursued call's deadline on which its owner is reminded, e.g. "28,7,2". */
  PURSUIT_REMINDER_DAYS: z
    .string()
    .trim()
    .refine(
      (v) => v.split(',').every((d) => /^\s*\d{1,3}\s*$/.test(d) && Number(d) >= 1 && Number(d) <= 365),
      {
        message: 'expected whole days from 1 to 365 separated by commas, such as "28,7,2"',
      },
    )
    .default('28,7,2'),
  /** Pursuit mails (reminders, call-change alerts): hourly by default, so alerts follow crawls. */
  PURSUIT_CRON: cron.default('20 * * * *'),
  CRAWL_CONTACT: z.string().trim().min(3).default('foerdermatch@localhost'),
  CRAWL_MIN_DELAY_MS: int(0, 600_000).default(1000),
  CRAWL_TIMEOUT_MS: int(100, 600_000).default(30_000),
  CRAWL_MAX_BYTES: int(1024, 1_000_000_000).default(20_000_000),
  CRAWL_RETRIES: int(0, 10).default(3),
  CRAWL_PARTIAL_RATIO: z.coerce
    .number({ message: 'expected a number between 0 and 1' })
    .min(0, 'expected a number between 0 and 1')
    .max(1, 'expected a number between 0 and 1')
    .default(0.5),
  CRAWL_BACKOFF_MS: int(0, 600_000).default(2000),
  CRAWL_MAX_RETRY_AFTER_MS: int(0, 86_400_000).default(600_000),
  CRAWL_HEARTBEAT_MS: int(10, 3_600_000).default(30_000),
  CRAWL_LOCK_STALE_MS: int(100, 86_400_000).default(900_000),
  EU_FT_API_BASE_URL: url.default('https://api.tech.ec.europa.eu'),
  EU_FT_PORTAL_BASE_URL: url.default('https://ec.europa.eu'),
  EU_FT_PAGE_SIZE: int(1, 100).default(100),
  FDB_BASE_URL: url.default('https://www.foerderdatenbank.de'),
  FDB_DETAIL_REFRESH_DAYS: int(0, 3650).default(28),
  FDB_RESUME_MAX_AGE_HOURS: int(1, 24 * 365).default(7 * 24),
  INTERREG_BASE_URL: url.default('https://interreg.eu'),
  /** Unset: `https://<app id>-dsn.algolia.net` with the app id read from the interreg.eu page. */
  INTERREG_ALGOLIA_BASE_URL: url.default('https://algolia.net'),
  INTERREG_ALGOLIA_APP_ID: optionalString,
  INTERREG_ALGOLIA_API_KEY: optionalString,
  INTERREG_ALGOLIA_INDEX: optionalString,
  INTERREG_DE_DK_BASE_URL: url.default('https://www.interreg-de-dk.eu'),
  INTERREG_BSR_BASE_URL: url.default('https://interreg-baltic.eu'),
  INTERREG_NORTH_SEA_BASE_URL: url.default('https://www.interregnorthsea.eu'),
  INTERREG_SOUTH_BALTIC_BASE_URL: url.default('https://southbaltic.eu'),
  SKEW_BASE_URL: url.default('https://skew.engagement-global.de'),
  CRON_EU_FT: cron.default('0 5 * * *'),
  CRON_FOERDERDATENBANK: cron.default('0 3 * * 1'),
  CRON_INTERREG: cron.default('0 4 * * 2'),
  CRON_SKEW: cron.default('30 4 * * 2'),
  SOURCE_STALE_HOURS: int(1, 24 * 365).default(72),
  CORS_ORIGINS: optionalString,
  RATE_LIMIT_PER_MINUTE: int(1, 1_000_000).default(600),
  TRUST_PROXY: trustProxy.default(false),
  AUTH_FAILURES_PER_WINDOW: int(1, 1_000_000).default(20),
  AUTH_FAILURE_WINDOW_MINUTES: int(1, 24 * 60).default(15),
  BODY_LIMIT_BYTES: int(1024, 100_000_000).default(1_048_576),
  RESPONSE_CACHE_MB: int(0, 4096).default(32),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  readonly env: Env['NODE_ENV'];
  readonly logLevel: Env['LOG_LEVEL'];
  readonly port: number;
  readonly host: string;
  readonly publicBaseUrl: string;
  readonly databasePath: string;
  readonly conceptFile: string;
  readonly rulesFile: string;
  readonly mail: {
    readonly smtpUrl: string | undefined;
    readonly outboxDir: string;
    readonly from: string;
    readonly sendEmptyDigest: boolean;
    readonly digestCron: string;
  };
  readonly scheduler: { readonly enabled: boolean };
  readonly pursuits: { readonly reminderDays: readonly number[]; readonly cron: string };
  readonly crawl: {
    readonly contact: string;
    readonly userAgent: string;
    readonly minDelayMs: number;
    readonly timeoutMs: number;
    readonly maxBytes: number;
    readonly retries: number;
    /** Base of the jittered exponential backoff between retries. */
    readonly backoffMs: number;
    /** A Retry-After longer than this is not waited for; the request fails as throttled. */
    readonly maxRetryAfterMs: number;
    readonly heartbeatMs: number;
    /** A running crawl whose heartbeat is older than this is taken to be dead (killed process). */
    readonly lockStaleMs: number;
    readonly partialRatio: number;
    readonly staleHours: number;
    readonly cron: Readonly<Record<'eu-ft' | 'foerderdatenbank' | 'interreg' | 'skew', string>>;
    /** Base URLs per source and host role; defaults are the real sites. */
    readonly baseUrls: Readonly<Record<string, Readonly<Record<string, string>>>>;
    readonly euFt: { readonly pageSize: number };
    readonly foerderdatenbank: { readonly detailRefreshDays: number; readonly resumeMaxAgeHours: number };
    /** Override of the Algolia app id, search key and index read from interreg.eu (keys rotate). */
    readonly interreg: {
      readonly algolia: { readonly appId?: string; readonly apiKey?: string; readonly indexName?: string };
    };
  };
  readonly http: {
    readonly corsOrigins: readonly string[];
    readonly rateLimitPerMinute: number;
    /** fastify's `trustProxy`: false, true, a hop count, or trusted addresses/CIDRs. */
    readonly trustProxy: boolean | number | readonly string[];
    /** Failed authentications (401) per client address and window before it gets 429. */
    readonly authFailures: { readonly limit: number; readonly windowMs: number };
    readonly bodyLimitBytes: number;
    /** Size of the cache of list responses (0 = off). */
    readonly responseCacheBytes: number;
  };
}

const stripSlash = (u: string) => u.replace(/\/+$/, '');

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/**
 * Parses the environment once. Every invalid variable is reported in one error, each with
 * what it expects, so an operator fixes them all in one go.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings count as unset, as most shells and .env files intend.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({
      path: i.path.map(String).join('.'),
      message: i.message,
    }));
    const lines = details.map((d) => `  ${d.path}: ${d.message} (got ${JSON.stringify(env[d.path])})`);
    throw new AppError('CONFIG_INVALID', `Invalid configuration:\n${lines.join('\n')}`, { details });
  }
  const e = parsed.data;
  return deepFreeze({
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    port: e.PORT,
    host: e.HOST,
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    databasePath: e.DATABASE_PATH === ':memory:' ? ':memory:' : resolve(e.DATABASE_PATH),
    conceptFile: e.CONCEPT_FILE ? resolve(e.CONCEPT_FILE) : fromPackage('rules', 'concept.json'),
    rulesFile: e.RULES_FILE ? resolve(e.RULES_FILE) : fromPackage('rules', 'default-rules.json'),
    mail: {
      smtpUrl: e.SMTP_URL,
      outboxDir: resolve(e.OUTBOX_DIR),
      from: e.MAIL_FROM,
      sendEmptyDigest: e.DIGEST_SEND_EMPTY,
      digestCron: e.DIGEST_CRON,
    },
    scheduler: { enabled: e.SCHEDULER_ENABLED },
    pursuits: {
      reminderDays: [...new Set(e.PURSUIT_REMINDER_DAYS.split(',').map((d) => Number(d.trim())))].sort(
        (a, b) => b - a,
      ),
      cron: e.PURSUIT_CRON,
    },
    crawl: {
      contact: e.CRAWL_CONTACT,
      userAgent: `foerdermatch/0.1 (+mailto:${e.CRAWL_CONTACT})`,
      minDelayMs: e.CRAWL_MIN_DELAY_MS,
      timeoutMs: e.CRAWL_TIMEOUT_MS,
      maxBytes: e.CRAWL_MAX_BYTES,
      retries: e.CRAWL_RETRIES,
      backoffMs: e.CRAWL_BACKOFF_MS,
      maxRetryAfterMs: e.CRAWL_MAX_RETRY_AFTER_MS,
      heartbeatMs: e.CRAWL_HEARTBEAT_MS,
      lockStaleMs: e.CRAWL_LOCK_STALE_MS,
      partialRatio: e.CRAWL_PARTIAL_RATIO,
      staleHours: e.SOURCE_STALE_HOURS,
      cron: {
        'eu-ft': e.CRON_EU_FT,
        foerderdatenbank: e.CRON_FOERDERDATENBANK,
        interreg: e.CRON_INTERREG,
        skew: e.CRON_SKEW,
      },
      baseUrls: {
        'eu-ft': { api: stripSlash(e.EU_FT_API_BASE_URL), portal: stripSlash(e.EU_FT_PORTAL_BASE_URL) },
        foerderdatenbank: { site: stripSlash(e.FDB_BASE_URL) },
        interreg: {
          site: stripSlash(e.INTERREG_BASE_URL),
          algolia: stripSlash(e.INTERREG_ALGOLIA_BASE_URL),
          deDk: stripSlash(e.INTERREG_DE_DK_BASE_URL),
          bsr: stripSlash(e.INTERREG_BSR_BASE_URL),
          northSea: stripSlash(e.INTERREG_NORTH_SEA_BASE_URL),
          southBaltic: stripSlash(e.INTERREG_SOUTH_BALTIC_BASE_URL),
        },
        skew: { site: stripSlash(e.SKEW_BASE_URL) },
      },
      euFt: { pageSize: e.EU_FT_PAGE_SIZE },
      foerderdatenbank: {
        detailRefreshDays: e.FDB_DETAIL_REFRESH_DAYS,
        resumeMaxAgeHours: e.FDB_RESUME_MAX_AGE_HOURS,
      },
      interreg: {
        algolia: {
          ...(e.INTERREG_ALGOLIA_APP_ID ? { appId: e.INTERREG_ALGOLIA_APP_ID } : {}),
          ...(e.INTERREG_ALGOLIA_API_KEY ? { apiKey: e.INTERREG_ALGOLIA_API_KEY } : {}),
          ...(e.INTERREG_ALGOLIA_INDEX ? { indexName: e.INTERREG_ALGOLIA_INDEX } : {}),
        },
      },
    },
    http: {
      corsOrigins: e.CORS_ORIGINS ? e.CORS_ORIGINS.split(',').map((s) => s.trim()) : [],
      rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
      trustProxy: e.TRUST_PROXY,
      authFailures: { limit: e.AUTH_FAILURES_PER_WINDOW, windowMs: e.AUTH_FAILURE_WINDOW_MINUTES * 60_000 },
      bodyLimitBytes: e.BODY_LIMIT_BYTES,
      responseCacheBytes: e.RESPONSE_CACHE_MB * 1_048_576,
    },
  } satisfies Config);
}

/** Config for tests: defaults plus overrides, never reading the real environment. */
export function testConfig(overrides: NodeJS.ProcessEnv = {}): Config {
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', SCHEDULER_ENABLED: 'false', ...overrides });
}
