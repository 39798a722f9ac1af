import { type BrotliOptions, constants } from 'node:zlib';

/**
 * Brotli settings for answers, per response (@fastify/compress) and once per response-cache
 * entry. Quality 1: ~45 µs for a 20 kB list page, 2.1 kB; quality 4 is 18 % smaller but took
 * twice the time, and 3 and 5 took 0.1–1.2 ms (their match finders' tables are allocated and
 * cleared per call) — with the cache on, most of the cost of a query nobody asked before.
 * A 64 kB window (default 4 MB) compresses a list page as small without allocating megabytes per
 * answer. (Output chunks under 4 kB would come from Node's shared buffer pool, where a kept
 * answer or card text beside them holds the whole slab: the default 16 kB chunk instead.)
 */
export const brotliOptions: BrotliOptions = {
  params: {
    [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
    [constants.BROTLI_PARAM_QUALITY]: 1,
    [constants.BROTLI_PARAM_LGWIN]: 16,
  },
};
