import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { AppContext } from '../context.ts';
import { dataGeneration } from '../sql.ts';

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

interface Entry {
  generation: string;
  minute: number;
  body: Buffer;
  contentType: string;
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
 * Responses say `X-Cache: hit` or `miss`.
 */
export const responseCachePlugin = fp(
  async (app: FastifyInstance, opts: { ctx: AppContext; maxBytes: number; clock: () => number }) => {
    if (opts.maxBytes <= 0) return;
    const entries = new Map<string, Entry>();
    let bytes = 0;
    const drop = (key: string) => {
      const e = entries.get(key);
      if (e) {
        bytes -= e.body.length;
        entries.delete(key);
      }
    };
    const sqlite = opts.ctx.dbh.sqlite;

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
        reply.header('x-cache', 'hit').type(hit.contentType).send(hit.body);
        return; // answered: the rest of the lifecycle (validation, handler) is skipped
      }
      if (hit) drop(key);
      req.cacheSlot = { key, generation, minute };
      reply.header('x-cache', 'miss');
      done();
    });

    app.addHook('onSend', async (req, reply, payload) => {
      const slot = req.cacheSlot;
      if (!slot || reply.statusCode !== 200 || typeof payload !== 'string') return payload;
      // Data written while this answer was made: it may already be out of date.
      if (dataGeneration(sqlite) !== slot.generation) return payload;
      // Kept as bytes: a hit then neither measures nor encodes the text again.
      const body = Buffer.from(payload);
      if (body.length > opts.maxBytes / 8) return body;
      drop(slot.key);
      // Oldest first out, within the configured size.
      while (bytes + body.length > opts.maxBytes) drop(entries.keys().next().value!);
      bytes += body.length;
      entries.set(slot.key, {
        generation: slot.generation,
        minute: slot.minute,
        body,
        contentType: String(reply.getHeader('content-type') ?? 'application/json; charset=utf-8'),
      });
      return body;
    });
  },
);
