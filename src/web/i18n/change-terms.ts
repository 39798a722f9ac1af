import type { trackedFields } from '../../calls/store.ts';

/** Names of the call fields whose changes the call page lists (src/calls/store.ts tracks them). */

type TrackedField = (typeof trackedFields)[number];

export const changeTermsDe = {
  'change.title': 'Titel',
  'change.summary': 'Zusammenfassung',
  'change.description': 'Beschreibung',
  'change.programme': 'Programm',
  'change.identifier': 'Kennung',
  'change.funder': 'Fördergeber',
  'change.url': 'Link zum Aufruf',
  'change.openingDate': 'Öffnung',
  'change.deadlines': 'Fristen',
  'change.status': 'Status',
  'change.budget': 'Budget',
  'change.fundingRate': 'Förderquote',
  'change.applicantTypes': 'Antragstellertypen',
  'change.countries': 'Länder',
  'change.nuts': 'NUTS-Regionen',
  'change.keywords': 'Schlagwörter',
  'change.notices': 'Hinweise',
} satisfies Record<`change.${TrackedField}`, string>;

export const changeTermsEn: Record<keyof typeof changeTermsDe, string> = {
  'change.title': 'Title',
  'change.summary': 'Summary',
  'change.description': 'Description',
  'change.programme': 'Programme',
  'change.identifier': 'Identifier',
  'change.funder': 'Funder',
  'change.url': 'Call page',
  'change.openingDate': 'Opening',
  'change.deadlines': 'Deadlines',
  'change.status': 'Status',
  'change.budget': 'Budget',
  'change.fundingRate': 'Funding rate',
  'change.applicantTypes': 'Applicant types',
  'change.countries': 'Countries',
  'change.nuts': 'NUTS regions',
  'change.keywords': 'Keywords',
  'change.notices': 'Notices',
};

/** A changed field that has a name here (others are shown as they are). */
export function isTracked(field: string): field is TrackedField {
  return `change.${field}` in changeTermsDe;
}
