import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
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

export function sendProblem(
  reply: FastifyReply,
  code: ErrorCode,
  detail: string,
  errors?: ErrorDetail[],
  status: number = errorCodes[code].status,
): FastifyReply {
  const body: Problem = {
    type: `urn:foerdermatch:problem:${code.toLowerCase().replaceAll('_', '-')}`,
    title: errorCodes[code].title,
    status,
    detail,
    instance: redactUrl(reply.request.url),
    code,
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
  return reply
    .status(status as 400)
    .type('application/problem+json; charset=utf-8')
    .send(body);
}

export function registerProblemHandlers(app: FastifyInstance): void {
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
