import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { isAppError } from '../../errors.ts';
import { CsrfField } from '../layout.tsx';
import { sendMessagePage } from '../render.tsx';
import type { View } from '../view.ts';

/** Address and language the person gave last time (tokens carry no address), else the page's language. */
export function ownerDefaults(ctx: AppContext, view: View): { email: string; language: 'de' | 'en' } {
  const id = view.principal?.id;
  const row = id
    ? (ctx.dbh.sqlite
        .prepare(
          'select owner_email as email, owner_language as language from pursuits where owner_token_id = ? order by id desc limit 1',
        )
        .get(id) as { email: string; language: 'de' | 'en' } | undefined)
    : undefined;
  return row ?? { email: '', language: view.lang };
}

/** "In die Pipeline übernehmen": one call for the given measures (or a choice of measures). */
export function AddToPipeline({
  view,
  callId,
  title,
  measures,
  choices,
  owner,
}: {
  view: View;
  callId: string;
  title: string;
  measures?: string[];
  choices?: { id: string; label: string }[];
  owner: { email: string; language: 'de' | 'en' };
}) {
  const { t } = view;
  const key = `${callId}-${(measures ?? []).join('-')}`.replace(/[^A-Za-z0-9_-]/g, '_');
  return (
    <details class="add-pipeline">
      <summary>{t('pipeline.add')}</summary>
      <form method="post" action="/pipeline" class="stack" aria-label={t('pipeline.addFor', { title })}>
        <CsrfField view={view} />
        <input type="hidden" name="callId" value={callId} />
        {(measures ?? []).map((m) => (
          <input type="hidden" name="measures" value={m} />
        ))}
        {choices && (
          <label class="filter">
            {t('pipeline.measures')}
            <select name="measures" multiple required size={Math.min(6, choices.length)}>
              {choices.map((c) => (
                <option value={c.id}>{c.label}</option>
              ))}
            </select>
          </label>
        )}
        <label class="filter">
          {t('pipeline.email')}
          <input type="email" name="ownerEmail" required value={owner.email} id={`email-${key}`} />
        </label>
        <label class="filter">
          {t('pipeline.language')}
          <select name="ownerLanguage">
            <option value="de" selected={owner.language === 'de'}>
              Deutsch
            </option>
            <option value="en" selected={owner.language === 'en'}>
              English
            </option>
          </select>
        </label>
        <button type="submit">{t('pipeline.add')}</button>
      </form>
    </details>
  );
}

/** A form's amount: empty → not given; "12.500,50" or "12500.5" → a number. */
export const formAmount = z
  .string()
  .max(40)
  .optional()
  .transform((v, c) => {
    const s = (v ?? '').trim().replace(/\s/g, '');
    if (s === '') return undefined;
    const n = Number(
      /,\d{1,2}$/.test(s) ? s.replace(/\./g, '').replace(',', '.') : s.replace(/[.,](?=\d{3}\b)/g, ''),
    );
    if (!Number.isFinite(n)) {
      c.addIssue({ code: 'custom', message: `"${v}" ist kein Betrag / not an amount` });
      return z.NEVER;
    }
    return n;
  });

/** A repeated form field (one value arrives as a string, several as an array). */
export const formList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter((s) => s !== ''));

/** Runs a service call; FORBIDDEN, CONFLICT and VALIDATION_FAILED become 403, 409 and 400 pages naming the field (the plugin's handler knows only 404/400 and the bare message). */
export function withServiceErrors(
  req: FastifyRequest,
  reply: FastifyReply,
  fn: () => FastifyReply,
): FastifyReply {
  try {
    return fn();
  } catch (err) {
    if (!isAppError(err)) throw err;
    const status = { FORBIDDEN: 403, CONFLICT: 409, VALIDATION_FAILED: 400 }[err.code as string];
    if (status === undefined) throw err;
    // Say which field was wrong ("body.ownerEmail: expected an email address"), not only "invalid".
    const details = err.details.map((d) => `${d.path.replace(/^body\./, '')}: ${d.message}`).join('; ');
    return sendMessagePage(req, reply, status, details ? `${err.message} – ${details}` : err.message);
  }
}

export const eur = (n: number, lang: 'de' | 'en') =>
  n.toLocaleString(lang === 'de' ? 'de-DE' : 'en-GB', { maximumFractionDigits: 2 });
