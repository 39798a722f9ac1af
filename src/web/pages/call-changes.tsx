import { applicantTypes, callStatuses, deadlineStages } from '../../domain/enums.ts';
import { berlin } from '../../domain/time.ts';
import { formatDateTime } from '../components.tsx';
import { isTracked } from '../i18n/change-terms.ts';
import { HeadRow } from '../table.tsx';
import type { View } from '../view.ts';

/** A call's change history in words: field names and values as the page shows them, never codes or JSON. */

const isIn = <T extends string>(list: readonly T[], v: unknown): v is T =>
  typeof v === 'string' && (list as readonly string[]).includes(v);

function short(text: string): string {
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

/** A stored old or new value in words (values are as the store kept them: JSON of the call's field). */
function valueText(view: View, field: string, v: unknown): string {
  if (v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) return '–';
  const { t, lang } = view;
  const locale = lang === 'de' ? 'de-DE' : 'en-GB';
  switch (field) {
    case 'deadlines':
      return (Array.isArray(v) ? v : [])
        .map((d: { at?: unknown; stage?: unknown; label?: unknown }) => {
          const at = typeof d.at === 'string' ? formatDateTime(d.at, berlin, lang) : '?';
          const stage = isIn(deadlineStages, d.stage) ? ` (${t(`stage.${d.stage}`)})` : '';
          return `${at}${stage}`;
        })
        .join('; ');
    case 'openingDate':
      return typeof v === 'string' ? formatDateTime(v, berlin, lang, v.length > 10) : String(v);
    case 'status':
      return isIn(callStatuses, v) ? t(`status.${v}`) : String(v);
    case 'fundingRate':
      return typeof v === 'number' ? `${Math.round(v * 100)} %` : String(v);
    case 'applicantTypes':
      return (Array.isArray(v) ? v : [v])
        .map((a) => (isIn(applicantTypes, a) ? t(`applicant.${a}`) : String(a)))
        .join(', ');
    case 'budget': {
      const b = v as {
        raw?: string;
        currency?: string;
        total?: number;
        perProjectMin?: number;
        perProjectMax?: number;
      };
      if (b.raw) return short(b.raw);
      return [b.total, b.perProjectMin, b.perProjectMax]
        .filter((x): x is number => typeof x === 'number')
        .map((x) => `${x.toLocaleString(locale)} ${b.currency ?? ''}`.trim())
        .join(' / ');
    }
    default:
      if (Array.isArray(v)) return short(v.map(String).join(', '));
      return short(typeof v === 'object' ? JSON.stringify(v) : String(v));
  }
}

export function ChangesTable({
  view,
  changes,
}: {
  view: View;
  changes: readonly { changedAt: string; field: string; oldValue: unknown; newValue: unknown }[];
}) {
  const { t } = view;
  return (
    <table>
      <thead>
        <HeadRow labels={[t('call.when'), t('call.changedField'), t('call.old'), t('call.new')]} />
      </thead>
      <tbody>
        {changes.map((c) => (
          <tr>
            <td>{formatDateTime(c.changedAt, berlin, view.lang)}</td>
            <td>{isTracked(c.field) ? t(`change.${c.field}`) : c.field}</td>
            <td>{valueText(view, c.field, c.oldValue)}</td>
            <td>{valueText(view, c.field, c.newValue)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
