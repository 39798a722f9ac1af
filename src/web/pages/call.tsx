import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { statusAt } from '../../calls/query.ts';
import { getCall, getCallChanges } from '../../calls/store.ts';
import { conceptIndex } from '../../concept/load.ts';
import type { AppContext } from '../../context.ts';
import { berlin } from '../../domain/time.ts';
import { AppError } from '../../errors.ts';
import { matchesOfCall } from '../../matches/list.ts';
import type { ConditionOutcome } from '../../matching/engine.ts';
import type { Explanation } from '../../matching/explain.ts';
import type { Rule } from '../../matching/rules-schema.ts';
import { explainTargets, getActiveRuleSet } from '../../matching/service.ts';
import { sourceHealth } from '../../sources/status.ts';
import { DeadlineText, EligibilityBadge, formatDateTime, StatusBadge } from '../components.tsx';
import { isCallFact, isLanguage } from '../i18n/call-terms.ts';
import { fieldPagePath, measurePagePath } from '../links.ts';
import { sendPage } from '../render.tsx';
import type { View } from '../view.ts';
import { ChangesTable } from './call-changes.tsx';
import { AddToPipeline, ownerDefaults } from './pipeline-parts.tsx';

/** How many targets get the full "why" (with the rules that did not fire) on the page. */
const EXPLAINED_TARGETS = 12;

/** Only http(s) links become links; anything else is shown as text. */
function safeHref(url: string | undefined | null): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : undefined;
  } catch {
    return undefined;
  }
}

function short(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (text === undefined) return '–';
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function Outcome({ o }: { o: ConditionOutcome }) {
  if (o.kind === 'leaf') {
    return (
      <li>
        <code>
          {o.fact} {o.operator} {short(o.value)}
        </code>
      </li>
    );
  }
  return (
    <li>
      <code>{o.kind}</code>
      <ul>
        {o.children.map((c) => (
          <Outcome o={c} />
        ))}
      </ul>
    </li>
  );
}

/** A fired rule's effect in the page's language, from the active rule (the explanation words it in English). */
function effectOf(view: View, rule: Rule | undefined, fallback: string): string {
  const e = rule?.effect;
  if (e?.type === 'add')
    return view.t('call.effectPoints', { points: `${e.points >= 0 ? '+' : ''}${e.points}` });
  if (e?.type === 'multiply') return `×${e.factor}`;
  return fallback;
}

function Why({ view, e, rules }: { view: View; e: Explanation; rules: ReadonlyMap<string, Rule> }) {
  const { t } = view;
  return (
    <div class="why">
      <p>{view.lang === 'en' ? e.reasonEn : e.reason}</p>
      {e.rules.length > 0 && (
        <>
          <h4>{t('call.rulesFired')}</h4>
          <ul>
            {e.rules.map((r) => {
              const rule = rules.get(r.id);
              return (
                <li>
                  <strong>{view.lang === 'en' ? (rule?.nameEn ?? r.name) : r.name}</strong> (
                  {effectOf(view, rule, r.effect)}){' '}
                  {r.evidence.map((ev) => (
                    <span class="evidence">
                      {isCallFact(ev.fact) ? t(`fact.${ev.fact}`) : ev.fact}: {ev.found.join(', ')}
                    </span>
                  ))}
                </li>
              );
            })}
          </ul>
        </>
      )}
      {e.text.terms.length > 0 && (
        <p>
          <strong>{t('call.textTerms', { points: e.text.points })}:</strong>{' '}
          {e.text.terms.map((x) => `${x.term} (${Math.round(x.weight * 10) / 10})`).join(', ')}
        </p>
      )}
      {e.exclusions.length > 0 && (
        <p>
          <strong>{t('call.exclusions')}:</strong>{' '}
          {e.exclusions.map((x) => (view.lang === 'en' ? x.reasonEn : x.reason)).join('; ')}
        </p>
      )}
      {e.unclear.length > 0 && (
        <p>
          <strong>{t('call.unclear')}:</strong>{' '}
          {e.unclear.map((x) => (view.lang === 'en' ? x.reasonEn : x.reason)).join('; ')}
        </p>
      )}
      {e.whyNot && e.whyNot.length > 0 && (
        <details class="why-not">
          <summary>
            {t('call.whyNot')} ({e.whyNot.length})
          </summary>
          <ul>
            {e.whyNot.map((r) => (
              <li>
                <strong>{r.name}</strong> <span class="muted">({r.id})</span> – {t('call.failed')}:
                <ul>
                  <Outcome o={r.failed} />
                </ul>
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}

function Field({ label, children }: { label: string; children: preact.ComponentChildren }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

/** `GET /calls/:id`: every field, provenance, change history and the fit with its reasons. */
export function callPages(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/calls/:id',
      {
        config: { page: true },
        schema: { hide: true, params: z.object({ id: z.string().min(1).max(300) }) },
      },
      async (req, reply) => {
        const call = getCall(ctx.dbh.db, req.params.id);
        if (!call) throw new AppError('NOT_FOUND', 'no such call');
        const now = Date.now();
        const status = statusAt(
          {
            openingAt: call.openingDate ? Date.parse(call.openingDate) : null,
            deadlines: call.deadlines.map((d) => Date.parse(d.at)),
          },
          now,
        );
        const health = sourceHealth(ctx, new Date(now), { schedule: false }).find(
          (s) => s.id === call.source,
        );
        const changes = getCallChanges(ctx.dbh.db, call.id);
        const index = conceptIndex(ctx.concept.concept);
        const matches = matchesOfCall(ctx, call.id).filter(
          (m) => m.score > 0 || m.eligibility !== 'eligible',
        );
        // Made now (rows store the reason lines only); "why not" for the best few targets.
        const targets = matches.map((m) => m.target);
        const ruleById = new Map(getActiveRuleSet(ctx).rules.rules.map((r) => [r.id, r]));
        const explained = new Map([
          ...explainTargets(ctx, call.id, targets.slice(0, EXPLAINED_TARGETS), { whyNot: true }),
          ...explainTargets(ctx, call.id, targets.slice(EXPLAINED_TARGETS)),
        ]);
        const targetLabel = (target: string, view: View) => {
          const f = index.fields.get(target);
          if (f)
            return {
              href: fieldPagePath(f.key),
              text: view.t('field.ofField', { n: f.number, name: f.name }),
            };
          const m = index.measures.get(target);
          const pf = m ? index.fields.get(m.actionFieldKey) : undefined;
          return m && pf
            ? { href: measurePagePath(m.id), text: `${pf.number}.${m.number} ${m.text}` }
            : { href: undefined, text: target };
        };
        // Measures this call fits first, then the concept's other measures.
        const measureChoices = (view: View) => {
          const fitting = matches.map((m) => m.target).filter((id) => index.measures.has(id));
          const rest = [...index.measures.keys()].filter((id) => !fitting.includes(id));
          return [...fitting, ...rest].map((id) => ({ id, label: targetLabel(id, view).text }));
        };
        return sendPage(req, reply, { title: call.title }, (view) => {
          const { t } = view;
          const sourceHref = safeHref(call.provenance.sourceUrl);
          const callHref = safeHref(call.url);
          return (
            <article>
              <h1>{call.title}</h1>
              <p class="meta">
                <StatusBadge view={view} status={status} />
                {health?.stale && (
                  <span
                    class="badge badge-warn"
                    title={t('call.staleHint', { hours: ctx.config.crawl.staleHours })}
                  >
                    {t('call.stale')}
                  </span>
                )}
                {call.delistedAt && (
                  <span class="badge badge-bad">
                    {t('call.delisted', { date: formatDateTime(call.delistedAt, berlin, view.lang, false) })}
                  </span>
                )}
                {call.programme && <span>{call.programme}</span>}
              </p>
              {health?.stale && (
                <p class="notice">{t('call.staleHint', { hours: ctx.config.crawl.staleHours })}</p>
              )}
              {call.summary && <p class="lead">{call.summary}</p>}
              <AddToPipeline
                view={view}
                callId={call.id}
                title={call.title}
                choices={measureChoices(view)}
                owner={ownerDefaults(ctx, view)}
              />

              <h2>{t('call.fields')}</h2>
              <dl class="fields">
                {call.identifier && <Field label={t('call.identifier')}>{call.identifier}</Field>}
                {call.funder && <Field label={t('call.funder')}>{call.funder}</Field>}
                {call.operator && <Field label={t('call.operator')}>{call.operator}</Field>}
                {call.openingDate && (
                  <Field label={t('call.opening')}>
                    {formatDateTime(call.openingDate, berlin, view.lang)}
                  </Field>
                )}
                <Field label={t('call.deadlines')}>
                  {call.deadlines.length === 0 ? (
                    t('card.noDeadline')
                  ) : (
                    <ul class="plain">
                      {call.deadlines.map((d) => (
                        <li>
                          <DeadlineText view={view} deadline={d} source={call.source} now={now} />{' '}
                          <span class="muted">
                            {t('call.stage')}: {d.label ?? t(`stage.${d.stage}`)} ·{' '}
                            {view.lang === 'de' ? `„${d.raw}“` : `“${d.raw}”`}
                          </span>
                        </li>
                      ))}
                    </ul>
                  )}
                </Field>
                {call.budget && (
                  <Field label={t('call.budget')}>
                    {call.budget.raw ??
                      [call.budget.total, call.budget.perProjectMin, call.budget.perProjectMax]
                        .filter((x) => x !== undefined)
                        .map(
                          (x) =>
                            `${x!.toLocaleString(view.lang === 'de' ? 'de-DE' : 'en-GB')} ${call.budget!.currency}`,
                        )
                        .join(' / ')}
                  </Field>
                )}
                {call.fundingRate !== undefined && (
                  <Field label={t('call.fundingRate')}>{Math.round(call.fundingRate * 100)} %</Field>
                )}
                {call.applicantsText && <Field label={t('call.applicants')}>{call.applicantsText}</Field>}
                {call.applicantTypes.length > 0 && (
                  <Field label={t('call.applicantTypes')}>
                    {call.applicantTypes.map((a) => t(`applicant.${a}`)).join(', ')}
                  </Field>
                )}
                {call.countries.length > 0 && (
                  <Field label={t('call.countries')}>{call.countries.join(', ')}</Field>
                )}
                {call.keywords.length > 0 && (
                  <Field label={t('call.keywords')}>{call.keywords.join(', ')}</Field>
                )}
                <Field label={t('call.language')}>
                  {isLanguage(call.language) ? t(`language.${call.language}`) : call.language}
                </Field>
                {call.notices.length > 0 && (
                  <Field label={t('call.notices')}>{call.notices.join('; ')}</Field>
                )}
              </dl>
              {call.description && call.description !== call.summary && (
                <>
                  <h2>{t('call.description')}</h2>
                  <div class="description">
                    {call.description.split(/\n{2,}/).map((para) => (
                      <p>{para}</p>
                    ))}
                  </div>
                </>
              )}

              <h2>{t('call.provenance')}</h2>
              <dl class="fields">
                <Field label={t('card.source')}>
                  {health?.name ?? call.source}{' '}
                  {sourceHref ? <a href={sourceHref}>{t('call.sourceLink')}</a> : call.provenance.sourceUrl}
                </Field>
                {callHref && (
                  <Field label={t('call.callLink')}>
                    <a href={callHref}>{call.url}</a>
                  </Field>
                )}
                <Field label={t('call.fetchedAt')}>
                  {formatDateTime(call.provenance.fetchedAt, berlin, view.lang)} ({t('card.zone.berlin')})
                </Field>
                <Field label={t('call.firstSeen')}>
                  {formatDateTime(call.firstSeenAt, berlin, view.lang)}
                </Field>
                {call.provenance.attribution && <Field label="©">{call.provenance.attribution}</Field>}
              </dl>

              <h2>{t('call.history')}</h2>
              {changes.length === 0 ? (
                <p>{t('call.noHistory')}</p>
              ) : (
                <ChangesTable view={view} changes={changes} />
              )}

              <h2>{t('call.fit')}</h2>
              {matches.length === 0 ? (
                <p>{t('call.noFit')}</p>
              ) : (
                <ul class="cards">
                  {matches.map((m) => {
                    const label = targetLabel(m.target, view);
                    const e = explained.get(m.target);
                    return (
                      <li class="card">
                        <h3>
                          {label.href ? <a href={label.href}>{label.text}</a> : label.text}{' '}
                          <span class="score">{t('card.fit', { score: Math.round(m.score) })}</span>{' '}
                          <EligibilityBadge view={view} eligibility={m.eligibility} />
                        </h3>
                        {e ? (
                          <details open={m === matches[0]}>
                            <summary>{t('call.why')}</summary>
                            <Why view={view} e={e} rules={ruleById} />
                          </details>
                        ) : (
                          <p>{view.lang === 'en' && m.reasonEn ? m.reasonEn : m.reason}</p>
                        )}
                      </li>
                    );
                  })}
                </ul>
              )}
            </article>
          );
        });
      },
    );
  };
}
