import type { DigestContent } from './model.ts';
import { renderHtml } from './render-html.ts';
import { renderText } from './render-text.ts';
import { buildView } from './view.ts';

export interface RenderedDigest {
  subject: string;
  html: string;
  text: string;
}

/** Renders both parts from the stored content; `now` drives "in N Tagen" at sending time. */
export function renderDigest(content: DigestContent, now: Date): RenderedDigest {
  const view = buildView(content, now);
  return { subject: view.subject, html: renderHtml(view), text: renderText(view) };
}
