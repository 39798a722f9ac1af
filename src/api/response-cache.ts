import { createHash } from 'node:crypto';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { Negotiator } from '@fastify/accept-negotiator';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { exactCopy } from '../calls/gzip-pieces.ts';
import type { AppContext } from '../context.ts';
import { dataGeneration } from '../sql.ts';
import { brotliOptions } from './compression.ts';
import { SeenKeys } from './seen-keys.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Keep this GET route's 200 responses until the data changes: `shared` when the answer is
     * the same for every token, `per-token` when it depends on who asks (feedback hides calls).
     */
    cache?: 'shared' | 'per-token';
  }
  interface FastifyRequest {
    /** Set on a cache miss: where to keep the response once it is sent. */
    cacheSlot?: { key: string; generation: string; minute: number };
  }
}

type Encoding = 'br' | 'gzip' | 'identity';

interface Entry {
  generation: string;
  minute: number;
  contentType: string;
  /** Weak: the same for every encoding of the body (RFC 9110, 8.8.1). */
  etag: string;
  /**
   * The body in the codings asked for so far: at first only the one the first client took.
   * A list page is ~20 kB of JSON and ~2 kB compressed, and clients mostly take the same coding,
   * so keeping the plain bytes beside it would fill the cache ten times as fast.
   */
  bodies: Partial<Record<Encoding, Buffer>>;
  bytes: number;
}

/** Compressed once per entry, so a hit costs no compression (settings: see compression.ts). */
const encoders: Record<Exclude<Encoding, 'identity'>, (b: Buffer) => Buffer> = {
  br: (b) => exactCopy(brotliCompressSync(b, brotliOptions)),
  gzip: (b) => exactCopy(gzipSync(b, { level: 6 })),
};
const decoders: Record<Exclude<Encoding, 'identity'>, (b: Buffer) => Buffer> = {
  br: (b) => exactCopy(brotliDecompressSync(b)),
  gzip: (b) => exactCopy(gunzipSync(b)),
};
/** Below this a compressed body saves less than its header costs. */
const minCompressBytes = 1024;

/** `If-None-Match` names this entity (weak comparison; `*` matches any). */
function notModified(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const want = etag.slice(2);
  return header.split(',').some((t) => {
    const v = t.trim();
    return (v.startsWith('W/') ? v.slice(2) : v) === want;
  });
}

/**
 * Serialized responses of the hot list routes, reused while nothing that could change them has
 * changed. An entry is void once
 * - the data generation differs: any write through this connection (crawl, import, matching,
 *   feedback, rule change, …) or a commit by another process (see `dataGeneration`), or
 * - the minute turns: statuses and days left follow the clock (the calls list's own order cache
 *   keeps the same minute).
 * Per-token routes key entries by token id. The lookup runs after authentication and the rate
 * limit (in `preParsing`), so a cached answer is never given to a request those would refuse.
 *
 * An answer is kept from the second time its key is asked for (a key's first request is only
 * remembered, in `SeenKeys`). Most search queries are asked once: keeping each cost a full
 * compression, a hash and a copy per answer, and turned the cache over every few thousand
 * queries. Measured with 36,000 never-repeated URLs, 50 connections: keeping every answer
 * 2,200–2,370 req/s, p99 55–63 ms; the same server with the cache off 3,830–4,020 req/s, p99
 * 35–42 ms, which is what a first request costs now.
 *
 * Entries keep each content coding the clients asked for (brotli, gzip) next to the plain bytes,
 * so a hit is answered without compressing; a weak ETag lets clients revalidate with
 * `If-None-Match` and get 304. Responses say `X-Cache: hit` or `miss`. Other routes are
 * compressed per response (@fastify/compress), which skips bodies that already carry a coding.
 */
export const responseCachePlugin = fp(
  async (app: FastifyInstance, opts: { ctx: AppContext; maxBytes: number; clock: () => number }) => {
    if (opts.maxBytes <= 0) return;
    // The OpenAPI document names the 304 of the cached routes (and the header that gets it).
    app.addHook('onRoute', (route) => {
      if (!route.config?.cache || !route.schema) return;
      route.schema = {
        ...route.schema,
        response: {
          ...(route.schema.response as object | undefined),
          304: z
            .null()
            .describe(
              'Nicht geändert: die ETag aus If-None-Match gilt noch. / Not modified: the ETag sent in If-None-Match is still current.',
            ),
        },
      };
    });
    const entries = new Map<string, Entry>();
    const asked = new SeenKeys();
    let bytes = 0;
    const drop = (key: string) => {
      const e = entries.get(key);
      if (e) {
        bytes -= e.bytes;
        entries.delete(key);
      }
    };
    const sqlite = opts.ctx.dbh.sqlite;
    // Clients send the same few Accept-Encoding values: each is parsed once (at most 100 kept,
    // so odd headers cannot grow memory).
    const parsed = new Map<string, string>();
    const negotiator = new Negotiator<Encoding>({
      supportedValues: ['br', 'gzip', 'identity'],
      cache: {
        get: (k) => parsed.get(k),
        has: (k) => parsed.has(k),
        set(k, v) {
          if (parsed.size >= 100) parsed.clear();
          parsed.set(k, v);
          return this;
        },
      },
    });
    const encodingFor = (req: FastifyRequest): Encoding => {
      const header = req.headers['accept-encoding'];
      if (!header) return 'identity';
      return negotiator.negotiate(header) ?? 'identity';
    };

    /** The entry's body in the coding the request accepts, made (and counted) on first use. */
    const bodyFor = (entry: Entry, wanted: Encoding): { body: Buffer; encoding: Encoding } => {
      const kept = entry.bodies[wanted];
      if (kept) return { body: kept, encoding: wanted };
      // Bodies below the threshold are kept plain only (see onSend), so `identity` is there.
      const plain = entry.bodies.identity ?? plainOf(entry);
      let body = plain;
      if (wanted !== 'identity' && plain.length >= minCompressBytes) body = encoders[wanted](plain);
      else wanted = 'identity';
      if (!entry.bodies[wanted]) {
        entry.bodies[wanted] = body;
        entry.bytes += body.length;
        bytes += body.length;
      }
      return { body, encoding: wanted };
    };
    const plainOf = (entry: Entry): Buffer => {
      const coding = entry.bodies.br ? 'br' : 'gzip';
      return decoders[coding](entry.bodies[coding]!);
    };

    const send = (reply: FastifyReply, entry: Entry, wanted: Encoding) => {
      const { body, encoding } = bodyFor(entry, wanted);
      reply.header('etag', entry.etag).header('vary', 'Accept-Encoding').type(entry.contentType);
      if (encoding !== 'identity') reply.header('content-encoding', encoding);
      return body;
    };

    const keyOf = (req: FastifyRequest, mode: 'shared' | 'per-token'): string | undefined => {
      if (mode === 'shared') return `*${req.url}`;
      return req.principal ? `${req.principal.id}${req.url}` : undefined;
    };

    app.addHook('preParsing', (req: FastifyRequest, reply: FastifyReply, _payload, done) => {
      const mode = req.routeOptions.config.cache;
      const key = mode && req.method === 'GET' ? keyOf(req, mode) : undefined;
      if (!key) return done();
      const generation = dataGeneration(sqlite);
      const minute = Math.floor(opts.clock() / 60_000);
      const hit = entries.get(key);
      if (hit && hit.generation === generation && hit.minute === minute) {
        reply.header('x-cache', 'hit');
        if (notModified(req.headers['if-none-match'], hit.etag)) {
          reply.code(304).header('etag', hit.etag).header('vary', 'Accept-Encoding').send();
        } else {
          reply.send(send(reply, hit, encodingFor(req)));
        }
        return; // answered: the rest of the lifecycle (validation, handler) is skipped
      }
      reply.header('x-cache', 'miss');
      // A key asked for the first time: answered the way an uncached route answers, not kept.
      if (!asked.seen(key) && !hit) return done();
      if (hit) drop(key);
      req.cacheSlot = { key, generation, minute };
      done();
    });

    // Callback style: it runs on every response, and an async hook costs a promise and a turn.
    app.addHook('onSend', (req, reply, payload, done) => {
      const slot = req.cacheSlot;
      const written = typeof payload === 'string' || Buffer.isBuffer(payload);
      if (!slot || reply.statusCode !== 200 || !written) return done(null, payload);
      // Data written while this answer was made: it may already be out of date.
      if (dataGeneration(sqlite) !== slot.generation) return done(null, payload);
      // Kept as bytes: a hit then neither measures nor encodes the text again.
      const plain = exactCopy(typeof payload === 'string' ? Buffer.from(payload) : payload);
      if (plain.length > opts.maxBytes / 8) return done(null, plain);
      const wanted = plain.length < minCompressBytes ? 'identity' : encodingFor(req);
      const body = wanted === 'identity' ? plain : encoders[wanted](plain);
      const entry: Entry = {
        generation: slot.generation,
        minute: slot.minute,
        contentType: String(reply.getHeader('content-type') ?? 'application/json; charset=utf-8'),
        etag: `W/"${createHash('sha256').update(plain).digest('base64url').slice(0, 27)}"`,
        bodies: { [wanted]: body },
        bytes: body.length,
      };
      drop(slot.key);
      bytes += entry.bytes;
      entries.set(slot.key, entry);
      reply.header('etag', entry.etag).header('vary', 'Accept-Encoding');
      if (wanted !== 'identity') reply.header('content-encoding', wanted);
      // Oldest first out, within the configured size (never the entry just made).
      while (bytes > opts.maxBytes && entries.size > 1) drop(entries.keys().next().value!);
      done(null, body);
    });
  },
);
