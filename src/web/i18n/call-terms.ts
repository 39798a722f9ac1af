import { type ApplicantType, type DeadlineStage, type Language, languages } from '../../domain/enums.ts';
import type { textFacts, valueFacts } from '../../matching/facts.ts';

/** A call's facts that rules test (the city's facts are never evidence of a call). */
type CallFact = (typeof textFacts)[number] | Exclude<(typeof valueFacts)[number], `city.${string}`>;

/**
 * Names of a call's coded values (deadline stages, applicant types, languages) for the pages,
 * merged into the main catalogue (src/web/i18n.ts): a page never shows a code such as
 * `full-application` or `municipality`.
 */
export const callTermsDe = {
  'stage.single': 'einzige Frist',
  'stage.cut-off': 'Stichtag',
  'stage.sketch': 'Projektskizze',
  'stage.interest': 'Interessenbekundung',
  'stage.full-application': 'Vollantrag',
  'stage.second-stage': 'zweite Stufe',
  'stage.other': 'sonstige',
  'applicant.municipality': 'Kommune',
  'applicant.region': 'Region',
  'applicant.public-body': 'öffentliche Einrichtung',
  'applicant.ngo': 'Nichtregierungsorganisation',
  'applicant.sme': 'KMU',
  'applicant.company': 'Unternehmen',
  'applicant.research': 'Forschungseinrichtung',
  'applicant.university': 'Hochschule',
  'applicant.individual': 'Einzelperson',
  'applicant.international-organisation': 'internationale Organisation',
  'applicant.other': 'sonstige',
  'language.de': 'Deutsch',
  'language.en': 'Englisch',
  'call.notices': 'Hinweise',
  'call.effectPoints': '{points} Punkte',
  'fact.text': 'Text',
  'fact.title': 'Titel',
  'fact.applicants': 'Antragsberechtigte',
  'fact.programme': 'Programm',
  'fact.source': 'Quelle',
  'fact.identifier': 'Kennung',
  'fact.language': 'Sprache',
  'fact.status': 'Status',
  'fact.applicantTypes': 'Antragstellertypen',
  'fact.countries': 'Länder',
  'fact.nuts': 'NUTS-Regionen',
  'fact.keywords': 'Schlagwörter',
  'fact.daysToDeadline': 'Tage bis zur Frist',
  'fact.budget': 'Budget',
  'fact.fundingRate': 'Förderquote',
} satisfies Record<
  | `stage.${DeadlineStage}`
  | `applicant.${ApplicantType}`
  | `language.${Language}`
  | `fact.${CallFact}`
  | 'call.notices'
  | 'call.effectPoints',
  string
>;

export const callTermsEn: Record<keyof typeof callTermsDe, string> = {
  'stage.single': 'single deadline',
  'stage.cut-off': 'cut-off date',
  'stage.sketch': 'project outline',
  'stage.interest': 'expression of interest',
  'stage.full-application': 'full application',
  'stage.second-stage': 'second stage',
  'stage.other': 'other',
  'applicant.municipality': 'municipality',
  'applicant.region': 'region',
  'applicant.public-body': 'public body',
  'applicant.ngo': 'non-governmental organisation',
  'applicant.sme': 'SME',
  'applicant.company': 'company',
  'applicant.research': 'research organisation',
  'applicant.university': 'university',
  'applicant.individual': 'individual',
  'applicant.international-organisation': 'international organisation',
  'applicant.other': 'other',
  'language.de': 'German',
  'language.en': 'English',
  'call.notices': 'Notices',
  'call.effectPoints': '{points} points',
  'fact.text': 'text',
  'fact.title': 'title',
  'fact.applicants': 'applicants',
  'fact.programme': 'programme',
  'fact.source': 'source',
  'fact.identifier': 'identifier',
  'fact.language': 'language',
  'fact.status': 'status',
  'fact.applicantTypes': 'applicant types',
  'fact.countries': 'countries',
  'fact.nuts': 'NUTS regions',
  'fact.keywords': 'keywords',
  'fact.daysToDeadline': 'days to the deadline',
  'fact.budget': 'budget',
  'fact.fundingRate': 'funding rate',
};

/** A call's language code that has a name here (calls may carry other codes, shown as they are). */
export function isLanguage(code: string): code is Language {
  return (languages as readonly string[]).includes(code);
}

/** A fact a rule tested on the call that has a name here (others are shown as they are). */
export function isCallFact(fact: string): fact is CallFact {
  return `fact.${fact}` in callTermsDe;
}
