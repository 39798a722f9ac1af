import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { sendPage } from '../render.tsx';

/** The start page: what needs attention now, for the signed-in person. */
export function startPages(_ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/', { config: { page: true }, schema: { hide: true } }, async (req, reply) =>
      sendPage(req, reply, { title: (v) => v.t('start.title'), current: '/' }, (view) => (
        <h1>{view.t('start.welcome', { name: view.principal?.name ?? '' })}</h1>
      )),
    );
  };
}
