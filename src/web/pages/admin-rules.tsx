import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { audit } from '../../auth/tokens.ts';
import type { AppContext } from '../../context.ts';
import { type ErrorDetail, isAppError } from '../../errors.ts';
import { type TargetPositions, topListChanges } from '../../matching/preview-positions.ts';
import {
  getActiveRuleSet,
  listRuleSetVersions,
  previewRuleSet,
  rollbackRuleSet,
  saveRuleSet,
} from '../../matching/service.ts';
import { translator } from '../i18n.ts';
import { sendPage } from '../render.tsx';
import { PositionsDiff, RuleErrors, RulesForm, Versions, valueAt } from './admin-rules-view.tsx';

const admin = { page: true, role: 'admin' } as const;
const notices = z.enum(['saved', 'rolledBack']).optional();

interface Shown {
  text?: string;
  comment?: string;
  errors?: (ErrorDetail & { value?: string })[];
  diff?: { changes: TargetPositions[]; calls: number; feedbackWarnings: string[] };
  notice?: { key: 'saved' | 'rolledBack'; version: number };
}

/** JSON.parse with the error at "(root)" and the parser's own position message. */
function parseDraft(text: string): { data?: unknown; errors?: ErrorDetail[] } {
  try {
    return { data: JSON.parse(text) };
  } catch (err) {
    return { errors: [{ path: '(root)', message: `JSON: ${(err as Error).message}` }] };
  }
}

/**
 * The rules editor: the active rule set as JSON in a textarea (plain form posts, no script
 * needed), "preview" (old → new positions in every changed top 10, with titles), "save with
 * comment" (a new version, full re-match), the versions and rollback. Invalid rules come back
 * with every error at its path and the draft as sent.
 */
export function adminRulePages(ctx: AppContext): FastifyPluginAsyncZod {
  function show(req: FastifyRequest, reply: FastifyReply, s: Shown) {
    const active = getActiveRuleSet(ctx);
    const versions = listRuleSetVersions(ctx);
    const status = s.errors?.length ? 400 : 200;
    return sendPage(req, reply, { title: (v) => v.t('rules.title'), current: '/admin', status }, (view) => {
      const { t } = view;
      return (
        <>
          <p class="breadcrumb">
            <a href="/admin">{t('admin.title')}</a>
          </p>
          <h1>{t('rules.title')}</h1>
          {s.notice && (
            <p class="notice notice-ok" role="status">
              {t(s.notice.key === 'saved' ? 'rules.savedNotice' : 'rules.rolledBackNotice', {
                version: s.notice.version,
              })}
            </p>
          )}
          <p>
            {t('rules.activeVersion', {
              version: active.version,
              author: active.author,
              comment: active.comment,
            })}
          </p>
          {s.errors?.length ? <RuleErrors view={view} errors={s.errors} /> : null}
          {s.diff && <PositionsDiff view={view} {...s.diff} />}
          <RulesForm
            view={view}
            text={s.text ?? JSON.stringify(active.rules, null, 2)}
            comment={s.comment ?? ''}
            invalid={Boolean(s.errors?.length)}
          />
          <Versions view={view} versions={versions} />
        </>
      );
    });
  }

  function failed(
    req: FastifyRequest,
    reply: FastifyReply,
    err: unknown,
    draft: unknown,
    text: string,
    comment: string,
  ) {
    if (!isAppError(err) || (err.code !== 'RULES_INVALID' && err.code !== 'VALIDATION_FAILED')) throw err;
    const details = err.details.length ? err.details : [{ path: '(root)', message: err.message }];
    const errors = details.map((d) => {
      const value = valueAt(draft, d.path.replace(/^rules\./, ''));
      return value === undefined ? d : { ...d, value };
    });
    return show(req, reply, { text, comment, errors });
  }

  return async (app) => {
    app.get(
      '/admin/rules',
      {
        config: admin,
        schema: {
          hide: true,
          querystring: z.object({ notice: notices, version: z.coerce.number().int().optional() }).loose(),
        },
      },
      async (req, reply) => {
        const { notice, version } = req.query;
        return show(req, reply, notice && version ? { notice: { key: notice, version } } : {});
      },
    );

    app.post(
      '/admin/rules',
      {
        config: admin,
        bodyLimit: ctx.config.http.bodyLimitBytes,
        schema: {
          hide: true,
          body: z.object({
            _csrf: z.string(),
            rules: z.string(),
            comment: z.string().max(500).default(''),
            action: z.enum(['preview', 'save']).default('preview'),
          }),
        },
      },
      async (req, reply) => {
        const { rules: text, action } = req.body;
        const t = translator(req.web?.lang ?? 'de');
        const comment = req.body.comment.trim();
        const parsed = parseDraft(text);
        if (parsed.errors) return show(req, reply, { text, comment, errors: parsed.errors });
        const draft = parsed.data;
        if (action === 'save') {
          if (comment.length < 3)
            return show(req, reply, {
              text,
              comment,
              errors: [{ path: 'comment', message: t('rules.commentRequired') }],
            });
          try {
            const saved = saveRuleSet(ctx, { rules: draft, author: req.principal!.name, comment });
            audit(ctx.dbh.db, {
              actor: `token:${req.principal!.id}:${req.principal!.name}`,
              action: 'rules.save',
              target: String(saved.version),
              details: { comment },
            });
            return reply.redirect(`/admin/rules?notice=saved&version=${saved.version}`, 303);
          } catch (err) {
            return failed(req, reply, err, draft, text, comment);
          }
        }
        try {
          const preview = previewRuleSet(ctx, draft, { topN: 10 });
          const changes = topListChanges(ctx, draft, { topN: 10 });
          const feedbackWarnings = preview.targets.flatMap((p) => [
            ...p.feedback.relevantDroppedOut.map((id) =>
              t('rules.relevantDropped', { target: p.target, id }),
            ),
            ...p.feedback.notRelevantEntered.map((id) =>
              t('rules.notRelevantEntered', { target: p.target, id }),
            ),
          ]);
          return show(req, reply, {
            text,
            comment,
            diff: { changes, calls: preview.calls, feedbackWarnings },
          });
        } catch (err) {
          return failed(req, reply, err, draft, text, comment);
        }
      },
    );

    app.post(
      '/admin/rules/rollback/:version',
      {
        config: admin,
        schema: {
          hide: true,
          params: z.object({ version: z.coerce.number().int().min(1) }),
          body: z.object({ _csrf: z.string() }),
        },
      },
      async (req, reply) => {
        const saved = rollbackRuleSet(ctx, req.params.version, req.principal!.name);
        audit(ctx.dbh.db, {
          actor: `token:${req.principal!.id}:${req.principal!.name}`,
          action: 'rules.rollback',
          target: String(saved.version),
          details: { restoredFrom: req.params.version },
        });
        return reply.redirect(`/admin/rules?notice=rolledBack&version=${saved.version}`, 303);
      },
    );
  };
}
