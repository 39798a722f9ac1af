import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, type ErrorCode, type ErrorDetail, errorCodes, isAppError } from '../errors.ts';
import { redactUrl } from './redact.ts';

/** RFC 9457 problem details, with our stable `code` and field-level `errors`. */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    code: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof problemSchema>;

export function problemBody(
  code: ErrorCode,
  detail: string,
  options: { status?: number; instance?: string; errors?: ErrorDetail[] | undefined } = {},
): Problem {
  const { errors } = options;
  return {
    type: `urn:foerdermatch:problem:${code.toLowerCase().replaceAll('_', '-')}`,
    title: errorCodes[code].title,
    status: options.status ?? errorCodes[code].status,
    detail,
    // The URL as sent, but never a token in it.
    ...(options.instance === undefined ? {} : { instance: redactUrl(options.instance) }),
    code,
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}

export function sendProblem(
  reply: FastifyReply,
  code: ErrorCode,
  detail: string,
  errors?: ErrorDetail[],
  status: number = errorCodes[code].status,
): FastifyReply {
  const body = problemBody(code, detail, { status, instance: reply.request.url, errors });
  return reply
    .status(status as 400)
    .type('application/problem+json; charset=utf-8')
    .send(body);
}

/**
 * Errors fastify meets before routing (fastify's `frameworkErrors` option): a path that is not
 * valid percent-encoding (`/api/x/%ff`), an overlong parameter. Their default answers are plain
 * JSON that echo the raw URL, query tokens included.
 */
export function frameworkErrors(err: FastifyError, _req: FastifyRequest, reply: FastifyReply): void {
  if (err.code === 'FST_ERR_BAD_URL')
    sendProblem(
      reply,
      'BAD_REQUEST',
      'Der Pfad ist nicht gültig URL-kodiert. / The path is not valid percent-encoding.',
    );
  else if (err.code === 'FST_ERR_MAX_PARAM_LENGTH')
    sendProblem(
      reply,
      'BAD_REQUEST',
      'Ein Pfadteil ist zu lang. / A path segment is too long.',
      undefined,
      414,
    );
  else {
    reply.log.error({ err }, 'framework error');
    sendProblem(reply, 'INTERNAL', 'An internal error occurred; it has been logged.');
  }
}

/**
 * Requests Node's HTTP parser refuses before fastify sees them (fastify's `clientErrorHandler`):
 * headers too large (431), a request line or method that is not HTTP (400), a client too slow
 * to send its request (408). Answered as problem+json on the raw socket, which is then closed.
 */
export function clientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  // A reset connection has nobody left to answer.
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [code, detail]: [ErrorCode, string] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? ['HEADERS_TOO_LARGE', 'Die Kopfzeilen der Anfrage sind zu groß. / The request headers are too large.']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? ['REQUEST_TIMEOUT', 'Die Anfrage kam nicht rechtzeitig an. / The request did not arrive in time.']
        : ['BAD_REQUEST', 'Die Anfrage ist kein gültiges HTTP. / The request is not valid HTTP.'];
  const body = JSON.stringify(problemBody(code, detail));
  const status = errorCodes[code].status;
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}

export function registerProblemHandlers(app: FastifyInstance): void {
  // While closing (fastify's own 503 is plain JSON, so `return503OnClosing` is off): requests
  // that still arrive on open connections get 503 problem+json, before authentication.
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onRequest', (_req, reply, done) => {
    if (!closing) return done();
    reply.header('connection', 'close').header('retry-after', '5');
    sendProblem(
      reply,
      'SHUTTING_DOWN',
      'Der Dienst wird gerade beendet; bitte gleich erneut versuchen. / The service is shutting down; please retry shortly.',
    );
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, 'ROUTE_NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}`),
  );

  app.setErrorHandler((err: FastifyError | AppError | Error, request, reply) => {
    if (isAppError(err)) return sendProblem(reply, err.code, err.message, err.details);
    if (hasZodFastifySchemaValidationErrors(err)) {
      const errors = err.validation.map((v) => ({
        path: [err.validationContext, ...String(v.instancePath).split('/').filter(Boolean)].join('.'),
        message: v.message ?? 'invalid',
      }));
      return sendProblem(reply, 'VALIDATION_FAILED', 'The request is invalid; see errors.', errors);
    }
    const fe = err as FastifyError;
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendProblem(reply, 'PAYLOAD_TOO_LARGE', fe.message);
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      const code: ErrorCode = fe.statusCode === 429 ? 'RATE_LIMITED' : 'VALIDATION_FAILED';
      return sendProblem(reply, code, fe.message, undefined, fe.statusCode);
    }
    request.log.error({ err }, 'unhandled error');
    return sendProblem(reply, 'INTERNAL', 'An internal error occurred; it has been logged.');
  });
}

export { AppError };
