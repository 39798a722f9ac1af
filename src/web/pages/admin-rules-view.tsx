import type { ErrorDetail } from '../../errors.ts';
import type { TargetPositions } from '../../matching/preview-positions.ts';
import type { listRuleSetVersions } from '../../matching/service.ts';
import { atBerlin } from '../components.tsx';
import { CsrfField } from '../layout.tsx';
import { HeadRow, PostButton } from '../table.tsx';
import type { View } from '../view.ts';

type Version = ReturnType<typeof listRuleSetVersions>[number];

/** The value at a dotted path of the draft, shortened, to show next to its error. */
export function valueAt(data: unknown, path: string): string | undefined {
  if (path === '(root)' || path === '') return undefined;
  let v: unknown = data;
  for (const part of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  if (v === undefined) return undefined;
  const text = JSON.stringify(v);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

export function RuleErrors({ view, errors }: { view: View; errors: (ErrorDetail & { value?: string })[] }) {
  return (
    <section class="notice notice-error" role="alert" aria-labelledby="rule-errors-title">
      <h2 id="rule-errors-title">{view.t('rules.errorsTitle', { n: errors.length })}</h2>
      <ul class="rule-errors">
        {errors.map((e) => (
          <li key={`${e.path}:${e.message}`}>
            <code class="path">{e.path}</code>: {e.message}
            {e.value !== undefined && (
              <>
                {' '}
                <span class="muted">
                  ({view.t('rules.valueWas')} <code>{e.value}</code>)
                </span>
              </>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function RulesForm({
  view,
  text,
  comment,
  invalid,
}: {
  view: View;
  text: string;
  comment: string;
  invalid: boolean;
}) {
  const { t } = view;
  return (
    <form method="post" action="/admin/rules" class="stack">
      <CsrfField view={view} />
      <label for="rules">{t('rules.jsonLabel')}</label>
      <textarea
        id="rules"
        name="rules"
        rows={24}
        spellcheck={false}
        class="code"
        aria-invalid={invalid ? 'true' : undefined}
        aria-describedby="rules-hint"
      >
        {text}
      </textarea>
      <p id="rules-hint" class="hint">
        {t('rules.jsonHint')}
      </p>
      <label for="comment">{t('rules.comment')}</label>
      <input
        id="comment"
        name="comment"
        type="text"
        maxlength={500}
        value={comment}
        aria-describedby="comment-hint"
      />
      <p id="comment-hint" class="hint">
        {t('rules.commentHint')}
      </p>
      <div class="button-row">
        <button type="submit" name="action" value="preview">
          {t('rules.preview')}
        </button>
        <button type="submit" name="action" value="save" class="primary">
          {t('rules.save')}
        </button>
      </div>
    </form>
  );
}

function position(p: number | null): string {
  return p === null ? '–' : String(p);
}

export function PositionsDiff({
  view,
  changes,
  calls,
  feedbackWarnings,
}: {
  view: View;
  changes: TargetPositions[];
  calls: number;
  feedbackWarnings: string[];
}) {
  const { t } = view;
  return (
    <section aria-labelledby="diff-title" class="panel">
      <h2 id="diff-title">{t('rules.diffTitle')}</h2>
      <p role="status">{t('rules.diffSummary', { targets: changes.length, calls })}</p>
      {feedbackWarnings.length > 0 && (
        <ul class="notice notice-warn">
          {feedbackWarnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      {changes.map((c) => (
        <table key={c.target} class="diff">
          <caption>
            {c.label} <span class="muted">({c.target})</span>
          </caption>
          <thead>
            <tr>
              <th scope="col">{t('rules.call')}</th>
              <th scope="col">{t('rules.positions')}</th>
              <th scope="col">{t('rules.scores')}</th>
            </tr>
          </thead>
          <tbody>
            {c.rows.map((r) => {
              const kind =
                r.before === null
                  ? 'entered'
                  : r.after === null
                    ? 'left'
                    : r.before === r.after
                      ? 'same'
                      : 'moved';
              return (
                <tr key={r.id} class={`diff-${kind}`}>
                  <td>
                    <a href={`/calls/${encodeURIComponent(r.id)}`}>{r.title}</a>
                    {kind === 'entered' || kind === 'left' ? (
                      <span class={`badge ${kind === 'entered' ? 'badge-ok' : 'badge-bad'}`}>
                        {t(kind === 'entered' ? 'rules.entered' : 'rules.left')}
                      </span>
                    ) : null}
                  </td>
                  <td class="positions">{`${position(r.before)} → ${position(r.after)}`}</td>
                  <td class="positions">{`${r.scoreBefore ?? '–'} → ${r.scoreAfter ?? '–'}`}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ))}
    </section>
  );
}

export function Versions({ view, versions }: { view: View; versions: Version[] }) {
  const { t } = view;
  return (
    <section aria-labelledby="versions-title">
      <h2 id="versions-title">{t('rules.versionsTitle')}</h2>
      <p class="hint">{t('admin.timesBerlin')}</p>
      <table>
        <thead>
          <HeadRow
            labels={[t('rules.version'), t('rules.when'), t('rules.author'), t('rules.comment')]}
            actions={t('rules.actions')}
          />
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.version}>
              <td>
                {v.version} {v.active && <span class="badge badge-ok">{t('rules.active')}</span>}
              </td>
              <td>{atBerlin(view, v.createdAt)}</td>
              <td>{v.author}</td>
              <td>{v.comment}</td>
              <td>
                {!v.active && (
                  <PostButton
                    view={view}
                    action={`/admin/rules/rollback/${v.version}`}
                    name={t('rules.rollbackTo', { version: v.version })}
                  >
                    {t('rules.rollback')}
                  </PostButton>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
