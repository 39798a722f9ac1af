import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { MessageKey } from './i18n.ts';
import { Layout } from './layout.tsx';
import { type View, viewOf } from './view.ts';

export interface PageOptions {
  /** The page's title (before " – foerdermatch"); a function gets the view for its texts. */
  title: string | ((view: View) => string);
  /** The navigation entry to mark as current (its href). */
  current?: string;
  status?: number;
}

/**
 * Sends a page. preact-render-to-string escapes every text and attribute value, so data (call
 * titles, names) can never become markup; there is no raw-HTML path in the pages.
 */
export function sendPage(
  req: FastifyRequest,
  reply: FastifyReply,
  options: PageOptions,
  body: (view: View) => ComponentChildren,
): FastifyReply {
  const view = viewOf(req);
  const title = typeof options.title === 'string' ? options.title : options.title(view);
  const html = renderToString(
    <Layout view={view} title={title} {...(options.current ? { current: options.current } : {})}>
      {body(view)}
    </Layout>,
  );
  return reply
    .status(options.status ?? 200)
    .type('text/html; charset=utf-8')
    .send(`<!DOCTYPE html>${html}`);
}

/** A page with a heading and one message (errors, "forbidden"). */
export function sendMessagePage(
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  message: string,
  title: MessageKey = 'error.title',
): FastifyReply {
  return sendPage(req, reply, { title: (view) => view.t(title), status }, (view) => (
    <>
      <h1>{view.t(title)}</h1>
      <p class="notice notice-error" role="alert">
        {message}
      </p>
      <p>
        <a href="/">{view.t('error.back')}</a>
      </p>
    </>
  ));
}
