import { fileURLToPath } from 'node:url';
import formbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import type { FastifyError } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { isAppError } from '../errors.ts';
import { translator } from './i18n.ts';
import { adminPages } from './pages/admin.tsx';
import { callPages } from './pages/call.tsx';
import { coveragePages } from './pages/coverage.tsx';
import { digestPages } from './pages/digest.tsx';
import { exportPages } from './pages/exports.tsx';
import { fieldPages } from './pages/fields.tsx';
import { pipelinePages } from './pages/pipeline.tsx';
import { pursuitPages } from './pages/pursuit.tsx';
import { searchPages } from './pages/search.tsx';
import { signInPages } from './pages/sign-in.tsx';
import { startPages } from './pages/start.tsx';
import { sendMessagePage } from './render.tsx';

const publicDir = fileURLToPath(new URL('./public/', import.meta.url));

/**
 * The web pages: HTML from the server, one file per page group under src/web/pages, static CSS
 * and JS from src/web/public at /static/. Encapsulated, so its form parser and its HTML error
 * page stay with the pages and the JSON API is unchanged.
 */
export function webPages(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    await app.register(formbody, { bodyLimit: 65_536 });
    // Stylesheet and script are public (the sign-in page needs them); marked where registered.
    await app.register(async (files) => {
      files.addHook('onRoute', (route) => {
        route.config = { ...route.config, public: true };
        route.schema = { ...route.schema, hide: true };
      });
      await files.register(fastifyStatic, {
        root: publicDir,
        prefix: '/static/',
        index: false,
        maxAge: '1h',
        cacheControl: true,
      });
    });

    // Errors on pages are pages too (problem+json stays for the API).
    app.setErrorHandler((err: FastifyError, req, reply) => {
      const t = translator(req.web?.lang ?? 'de');
      if (isAppError(err)) {
        const status = err.status;
        if (status >= 500) req.log.error({ err }, 'page error');
        return sendMessagePage(req, reply, status, status === 404 ? t('error.notFound') : err.message);
      }
      if (hasZodFastifySchemaValidationErrors(err) || (err.statusCode && err.statusCode < 500)) {
        return sendMessagePage(req, reply, err.statusCode ?? 400, err.message);
      }
      req.log.error({ err }, 'page error');
      return sendMessagePage(req, reply, 500, t('error.internal'));
    });

    await app.register(signInPages(ctx));
    await app.register(startPages(ctx));
    await app.register(searchPages(ctx));
    await app.register(fieldPages(ctx));
    await app.register(callPages(ctx));
    await app.register(exportPages(ctx));
    await app.register(digestPages(ctx));
    await app.register(adminPages(ctx));
    await app.register(pipelinePages(ctx));
    await app.register(pursuitPages(ctx));
    await app.register(coveragePages(ctx));
  };
}
