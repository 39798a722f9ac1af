import type { conceptIndex } from '../../concept/load.ts';
import { berlin } from '../../domain/time.ts';
import type { PursuitHistoryEntry } from '../../pursuits/model.ts';
import { statusLabels } from '../../pursuits/status.ts';
import { formatDateTime } from '../components.tsx';
import { isLanguage } from '../i18n/call-terms.ts';
import { HeadRow } from '../table.tsx';
import type { View } from '../view.ts';
import { eur } from './pipeline-parts.tsx';

/** The history rows of a pursuit in words: field names and values as the page shows them, never codes or JSON. */

const fields = [
  'created',
  'status',
  'note',
  'measures',
  'ownerTokenId',
  'ownerEmail',
  'ownerLanguage',
  'amountApplied',
  'amountGranted',
  'partners',
  'partnersText',
] as const;
type Field = (typeof fields)[number];
const isField = (f: string): f is Field => (fields as readonly string[]).includes(f);

type Index = ReturnType<typeof conceptIndex>;

function valueText(view: View, index: Index, field: string, v: unknown): string {
  if (v === null || v === undefined || v === '') return '–';
  const status = statusLabels[view.lang];
  switch (field) {
    case 'status':
      return typeof v === 'string' && v in status ? status[v as keyof typeof status] : String(v);
    case 'created': {
      const s = (v as { status?: unknown }).status;
      return typeof s === 'string' && s in status ? status[s as keyof typeof status] : '–';
    }
    case 'note':
      return view.t('pursuit.history.noteAdded');
    case 'measures':
      return (Array.isArray(v) ? v : [v])
        .map((id) => {
          const m = index.measures.get(String(id));
          const f = m ? index.fields.get(m.actionFieldKey) : undefined;
          return m && f ? `${f.number}.${m.number}` : String(id);
        })
        .join(', ');
    case 'ownerLanguage':
      return typeof v === 'string' && isLanguage(v) ? view.t(`language.${v}`) : String(v);
    case 'ownerTokenId':
      return `#${v}`;
    case 'amountApplied':
    case 'amountGranted':
      return typeof v === 'number' ? `${eur(v, view.lang)} EUR` : String(v);
    default:
      return Array.isArray(v) ? v.join(', ') : typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
}

export function HistoryTable({
  view,
  index,
  history,
}: {
  view: View;
  index: Index;
  history: readonly PursuitHistoryEntry[];
}) {
  const { t } = view;
  return (
    <table class="data">
      <thead>
        <HeadRow
          labels={[
            t('pursuit.when'),
            t('pursuit.who'),
            t('pursuit.field'),
            t('pursuit.from'),
            t('pursuit.to'),
          ]}
        />
      </thead>
      <tbody>
        {history.map((h) => (
          <tr>
            <td>{formatDateTime(h.at, berlin, view.lang)}</td>
            <td>{h.actor}</td>
            <td>{isField(h.field) ? t(`pursuit.history.${h.field}`) : h.field}</td>
            <td>{valueText(view, index, h.field, h.from)}</td>
            <td>{valueText(view, index, h.field, h.to)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
