import type { IncomingMessage, ServerResponse } from 'node:http';
import compress from '@fastify/compress';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifySchema,
  type RawServerDefault,
} from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { authPlugin } from './api/auth.ts';
import { authFailurePlugin } from './api/auth-failures.ts';
import { brotliOptions } from './api/compression.ts';
import { clientErrorHandler, frameworkErrors, registerProblemHandlers } from './api/problem.ts';
import { responseCachePlugin } from './api/response-cache.ts';
import { callRoutes } from './api/routes/calls.ts';
import { callsCsvRoutes } from './api/routes/calls-csv.ts';
import { conceptRoutes } from './api/routes/concept.ts';
import { coverageRoutes } from './api/routes/coverage.ts';
import { digestRoutes } from './api/routes/digests.ts';
import { feedRoutes } from './api/routes/feeds.ts';
import { healthRoutes } from './api/routes/health.ts';
import { matchRoutes } from './api/routes/matches.ts';
import { pursuitRoutes } from './api/routes/pursuits.ts';
import { ruleRoutes } from './api/routes/rules.ts';
import { sourceRoutes } from './api/routes/sources.ts';
import { subscriberRoutes } from './api/routes/subscribers.ts';
import { unsubscribeRoutes } from './api/routes/unsubscribe.ts';
import { securityPlugin } from './api/security.ts';
import type { Config } from './config.ts';
import { type AppContext, createContext } from './context.ts';
import { installPipeline } from './pipeline.ts';
import { webPages } from './web/plugin.ts';
import { webSessionPlugin } from './web/session.ts';

export type App = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export interface BuildAppOptions {
  /** Reuse an existing context (tests, CLI); otherwise one is created and closed with the app. */
  context?: AppContext;
  /** Clock of the response cache's minute (tests); defaults to `Date.now`. */
  clock?: () => number;
}

/**
 * Off unless configured: the per-address limits key on the address X-Forwarded-For names, which
 * any client can write. A hop count trusts that many nearest hops whatever their address (as
 * Express does; fastify 5 now ignores a bare number), so it fits only an app that is reachable
 * through its proxies alone; addresses or CIDRs are the safer setting.
 */
function trustProxyOption(
  tp: Config['http']['trustProxy'],
): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof tp === 'number') return (_address, hop) => hop < tp;
  return typeof tp === 'boolean' ? tp : [...tp];
}

/**
 * The app factory: everything but listening. Tests call it and use `app.inject`; the server
 * entry listens and starts the schedules.
 */
export async function buildApp(config: Config, options: BuildAppOptions = {}): Promise<App> {
  const ownsContext = !options.context;
  const ctx = options.context ?? createContext(config);
  // The composition root wires crawl → re-match (the context itself knows nothing of it).
  installPipeline();

  const app = Fastify({
    loggerInstance: ctx.logger as FastifyBaseLogger,
    bodyLimit: config.http.bodyLimitBytes,
    trustProxy: trustProxyOption(config.http.trustProxy),
    // Every 4xx is problem+json, also where fastify or Node answer before any route.
    return503OnClosing: false,
    frameworkErrors,
    clientErrorHandler,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('ctx', ctx);
  registerProblemHandlers(app);
  await app.register(securityPlugin, { config });
  // brotli or gzip for responses from 1 kB, when the client accepts it; cached list responses
  // come already compressed from the response cache, which this leaves alone.
  // Up to 64 kB in one synchronous call (a list page is ~20 kB): a compression stream per answer,
  // the plugin's path above 8 kB on a 2-core host, cost ~2 ms of CPU against ~0.3 ms.
  await app.register(compress, {
    threshold: 1024,
    syncThreshold: 65_536,
    encodings: ['br', 'gzip', 'identity'],
    brotliOptions,
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'foerdermatch API',
        version: '0.1.0',
        description:
          'Fördermittel für die internationale Arbeit der Stadt: Calls, Treffer je Handlungsfeld und Maßnahme, Regeln. / Funding calls matched to the city’s action fields and measures.',
      },
      servers: [{ url: config.publicBaseUrl }],
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      },
    },
    // Every operation that is not public needs the bearer token, and the document says so: the
    // `security` entry follows the route's config, like the auth hook does.
    transform: (arg) => {
      const out = jsonSchemaTransform(arg);
      if (arg.route.config?.public === true) return out;
      const schema: FastifySchema = { ...out.schema };
      schema.security ??= [{ bearer: [] }];
      return { ...out, schema };
    },
    transformObject: jsonSchemaTransformObject,
  });
  // The docs are public: every route the Swagger UI plugin adds is marked so where it is
  // registered (an encapsulated onRoute hook), never by looking at request URLs.
  await app.register(async (docs) => {
    docs.addHook('onRoute', (route) => {
      route.config = { ...route.config, public: true };
    });
    await docs.register(swaggerUi, { routePrefix: '/docs' });
  });
  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());

  await app.register(authFailurePlugin, config.http.authFailures);
  // Before auth: on page routes it turns the session cookie into `req.principal`.
  await app.register(webSessionPlugin, { ctx });
  await app.register(authPlugin, { ctx });
  await app.register(responseCachePlugin, {
    ctx,
    maxBytes: config.http.responseCacheBytes,
    clock: options.clock ?? Date.now,
  });
  await app.register(healthRoutes(ctx));
  await app.register(conceptRoutes(ctx));
  await app.register(subscriberRoutes(ctx));
  await app.register(digestRoutes(ctx));
  await app.register(unsubscribeRoutes(ctx));
  await app.register(feedRoutes(ctx));
  await app.register(callsCsvRoutes(ctx));
  await app.register(callRoutes(ctx));
  await app.register(matchRoutes(ctx));
  await app.register(sourceRoutes(ctx));
  await app.register(ruleRoutes(ctx));
  await app.register(pursuitRoutes(ctx));
  await app.register(coverageRoutes(ctx));
  await app.register(webPages(ctx));

  if (ownsContext) app.addHook('onClose', async () => ctx.dbh.close());
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
  }
}
