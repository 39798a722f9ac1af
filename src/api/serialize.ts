import fastJson from 'fast-json-stringify';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';

type Json = { [k: string]: unknown };

/**
 * Rewrites zod's JSON Schema into what fast-json-stringify writes fastest and the way zod
 * would: shared definitions inlined, `anyOf [X, null]` as X with `nullable` (otherwise every
 * such value is validated with ajv first, and a value with an extra field fails to match and
 * throws), and no `additionalProperties: false` (fields the schema does not name are dropped
 * anyway, as zod's parse drops them).
 */
function forSerializer(node: unknown, definitions: Json, depth = 0): unknown {
  if (Array.isArray(node)) return node.map((n) => forSerializer(n, definitions, depth));
  if (!node || typeof node !== 'object') return node;
  if (depth > 50) throw new Error('schema too deep (recursive?) for the fast serializer');
  let n = node as Json;
  if (typeof n.$ref === 'string') {
    const name = decodeURIComponent(n.$ref.replace(/^#\/(definitions|\$defs)\//, ''));
    const { $ref: _ref, ...rest } = n;
    n = { ...(definitions[name] as Json), ...rest };
  }
  const anyOf = n.anyOf as Json[] | undefined;
  if (anyOf?.length === 2 && anyOf.some((b) => b.type === 'null')) {
    const { anyOf: _a, ...rest } = n;
    n = { ...anyOf.find((b) => b.type !== 'null')!, ...rest, nullable: true };
    return forSerializer(n, definitions, depth + 1);
  }
  const out: Json = {};
  for (const [k, v] of Object.entries(n)) {
    if (k === 'definitions' || k === '$defs' || k === '$schema') continue;
    if (k === 'additionalProperties' && v === false) continue;
    out[k] =
      k === 'properties'
        ? mapValues(v as Json, (p) => forSerializer(p, definitions, depth + 1))
        : forSerializer(v, definitions, depth + 1);
  }
  return out;
}

const mapValues = (o: Json, f: (v: unknown) => unknown): Json =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));

/**
 * Response serializer for the hot list routes: the route's zod schema turned into JSON Schema
 * once and compiled by fast-json-stringify (fastify's own serializer). It writes exactly the
 * schema's fields, several times faster than validating every response with zod first; the
 * schemas stay the single source for the OpenAPI document.
 */
export function fastSerializerCompiler({ schema }: { schema: unknown }): (data: unknown) => string {
  const json = z.toJSONSchema(schema as z.ZodType, {
    target: 'draft-7',
    io: 'output',
    unrepresentable: 'any',
  }) as Json;
  const definitions = { ...((json.definitions as Json) ?? {}), ...((json.$defs as Json) ?? {}) };
  return fastJson(forSerializer(json, definitions) as Parameters<typeof fastJson>[0]) as (
    data: unknown,
  ) => string;
}

/**
 * Sends JSON that is already written, as text or UTF-8 bytes (fastify passes either through
 * unchanged under a JSON content type); for routes that write their answer themselves, in the
 * shape of their schema.
 */
export function sendJsonText(reply: FastifyReply, text: string | Buffer): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(text);
}
