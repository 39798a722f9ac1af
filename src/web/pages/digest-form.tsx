import type { Concept } from '../../concept/schema.ts';
import type { SubscriberRow } from '../../digest/subscribers.ts';
import type { ErrorDetail } from '../../errors.ts';
import type { MessageKey } from '../i18n.ts';
import { CsrfField } from '../layout.tsx';
import type { View } from '../view.ts';

/** What the form shows: the stored row, or what the person sent (kept after an error). */
export interface DigestFormValues {
  name: string;
  email: string;
  language: string;
  cadence: string;
  minScore: string;
  actionFields: string[];
  measures: string[];
}

export function valuesOf(row: SubscriberRow): DigestFormValues {
  return {
    name: row.name,
    email: row.email,
    language: row.language,
    cadence: row.cadence,
    minScore: String(row.minScore),
    actionFields: row.actionFields,
    measures: row.measures,
  };
}

/** The form's fields by the first segment of an error path (`measures.3` → targets). */
const fieldOfPath: Record<string, string> = {
  name: 'name',
  email: 'email',
  language: 'language',
  cadence: 'cadence',
  minScore: 'minScore',
  actionFields: 'targets',
  measures: 'targets',
};

const errorText: Record<string, MessageKey> = {
  name: 'digest.error.name',
  email: 'digest.error.email',
  minScore: 'digest.error.minScore',
  targets: 'digest.error.targets',
  language: 'digest.error.choice',
  cadence: 'digest.error.choice',
};

/** Errors per form field, in the person's language; the service's own message is kept as detail. */
export function fieldErrors(details: readonly ErrorDetail[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const d of details) {
    const field = fieldOfPath[d.path.split('.')[0] ?? ''] ?? 'form';
    out.set(field, [...(out.get(field) ?? []), d.message]);
  }
  return out;
}

function FieldError({ view, id, messages }: { view: View; id: string; messages?: string[] }) {
  if (!messages?.length) return null;
  const key = errorText[id.replace(/-error$/, '')];
  return (
    <p id={id} class="field-error">
      {key ? view.t(key) : null} <span class="muted">({messages.join('; ')})</span>
    </p>
  );
}

interface FormProps {
  view: View;
  concept: Concept;
  values: DigestFormValues;
  errors: Map<string, string[]>;
  action: string;
  submit: MessageKey;
}

/** Subscribe or change: address, name, language, cadence, minimum score, fields and measures. */
export function DigestForm({ view, concept, values, errors, action, submit }: FormProps) {
  const { t } = view;
  const invalid = (f: string) => (errors.has(f) ? 'true' : undefined);
  const described = (f: string, hint?: string) =>
    [hint, errors.has(f) ? `${f}-error` : undefined].filter(Boolean).join(' ') || undefined;
  return (
    <form method="post" action={action} class="stack digest-form" novalidate>
      <CsrfField view={view} />
      <label for="email">{t('digest.email')}</label>
      <input
        id="email"
        name="email"
        type="email"
        required
        autocomplete="email"
        value={values.email}
        aria-invalid={invalid('email')}
        aria-describedby={described('email')}
      />
      <FieldError view={view} id="email-error" messages={errors.get('email')} />
      <label for="name">{t('digest.name')}</label>
      <input
        id="name"
        name="name"
        type="text"
        required
        autocomplete="name"
        value={values.name}
        aria-invalid={invalid('name')}
        aria-describedby={described('name')}
      />
      <FieldError view={view} id="name-error" messages={errors.get('name')} />
      <div class="form-row">
        <div class="stack">
          <label for="language">{t('digest.language')}</label>
          <select id="language" name="language">
            <option value="de" selected={values.language === 'de'}>
              Deutsch
            </option>
            <option value="en" selected={values.language === 'en'}>
              English
            </option>
          </select>
        </div>
        <div class="stack">
          <label for="cadence">{t('digest.cadence')}</label>
          <select id="cadence" name="cadence">
            <option value="weekly" selected={values.cadence === 'weekly'}>
              {t('digest.weekly')}
            </option>
            <option value="daily" selected={values.cadence === 'daily'}>
              {t('digest.daily')}
            </option>
          </select>
        </div>
        <div class="stack">
          <label for="minScore">{t('digest.minScore')}</label>
          <input
            id="minScore"
            name="minScore"
            type="number"
            min={0}
            max={100}
            step={1}
            value={values.minScore}
            aria-invalid={invalid('minScore')}
            aria-describedby={described('minScore', 'minScore-hint')}
          />
        </div>
      </div>
      <p id="minScore-hint" class="hint">
        {t('digest.minScoreHint')}
      </p>
      <FieldError view={view} id="minScore-error" messages={errors.get('minScore')} />
      <fieldset class="targets" aria-describedby={described('targets', 'targets-hint')}>
        <legend>{t('digest.targets')}</legend>
        <p id="targets-hint" class="hint">
          {t('digest.targetsHint')}
        </p>
        <FieldError view={view} id="targets-error" messages={errors.get('targets')} />
        {concept.actionFields.map((f) => (
          <fieldset key={f.key} class="target-group">
            <legend>
              <input
                type="checkbox"
                id={`af-${f.key}`}
                name="actionFields"
                value={f.key}
                checked={values.actionFields.includes(f.key)}
              />
              <label for={`af-${f.key}`}>{`${f.number}. ${f.name}`}</label>
            </legend>
            <ul class="measure-list">
              {f.measures.map((m) => (
                <li key={m.id}>
                  <input
                    type="checkbox"
                    id={`m-${m.id}`}
                    name="measures"
                    value={m.id}
                    checked={values.measures.includes(m.id)}
                  />
                  <label for={`m-${m.id}`}>{`${f.number}.${m.number} ${m.text}`}</label>
                </li>
              ))}
            </ul>
          </fieldset>
        ))}
      </fieldset>
      <FieldError view={view} id="form-error" messages={errors.get('form')} />
      <button type="submit" class="primary">
        {t(submit)}
      </button>
    </form>
  );
}
