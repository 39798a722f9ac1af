/**
 * Programme areas of the Interreg programmes watched directly: countries (ISO) and, where a
 * country takes part only in part, the NUTS regions of that part. Kiel (NUTS DEF02) lies in
 * Deutschland-Danmark, North Sea and Baltic Sea Region, not in South Baltic (Mecklenburg-Vorpommern only).
 * From the programme pages and the fact sheet in test/fixtures/interreg.
 */
export interface ProgrammeArea {
  key: ProgrammeKey;
  name: string;
  countries: string[];
  /** Whole countries as NUTS 0 codes, partial ones by their regions. */
  nuts: string[];
  /** Zone the programme publishes its deadlines in. */
  timeZone: string;
  language: 'de' | 'en';
}

export type ProgrammeKey = 'de-dk' | 'bsr' | 'north-sea' | 'south-baltic';

export const programmeAreas: Readonly<Record<ProgrammeKey, ProgrammeArea>> = {
  'de-dk': {
    key: 'de-dk',
    name: 'Interreg Deutschland-Danmark',
    countries: ['DE', 'DK'],
    // Flensburg, Kiel, Lübeck, Neumünster, Nordfriesland, Ostholstein, Plön, Rendsburg-Eckernförde,
    // Schleswig-Flensburg; Region Sjælland, Region Syddanmark.
    nuts: ['DEF01', 'DEF02', 'DEF03', 'DEF04', 'DEF07', 'DEF08', 'DEF0A', 'DEF0B', 'DEF0C', 'DK02', 'DK03'],
    timeZone: 'Europe/Copenhagen',
    language: 'de',
  },
  bsr: {
    key: 'bsr',
    name: 'Interreg Baltic Sea Region',
    countries: ['DK', 'EE', 'FI', 'DE', 'LV', 'LT', 'NO', 'PL', 'SE'],
    // Germany: Berlin, Brandenburg, Bremen, Hamburg, Mecklenburg-Vorpommern, Lüneburg region, Schleswig-Holstein.
    nuts: ['DK', 'EE', 'FI', 'LV', 'LT', 'NO', 'PL', 'SE', 'DE3', 'DE4', 'DE5', 'DE6', 'DE8', 'DE93', 'DEF'],
    timeZone: 'Europe/Berlin',
    language: 'en',
  },
  'north-sea': {
    key: 'north-sea',
    name: 'Interreg North Sea',
    countries: ['BE', 'DK', 'FR', 'DE', 'NL', 'NO', 'SE'],
    // Germany: Bremen, Hamburg, Niedersachsen, Schleswig-Holstein; other countries in part, not itemised here.
    nuts: ['DE5', 'DE6', 'DE9', 'DEF'],
    timeZone: 'Europe/Brussels',
    language: 'en',
  },
  'south-baltic': {
    key: 'south-baltic',
    name: 'Interreg South Baltic',
    countries: ['DK', 'DE', 'LT', 'PL', 'SE'],
    // Germany: Mecklenburg-Vorpommern only; Schleswig-Holstein (and Kiel) are outside.
    nuts: ['DE8'],
    timeZone: 'Europe/Berlin',
    language: 'en',
  },
};

/** True when one of `nuts` is `region` or contains it (DEF contains DEF02). */
export function coversNuts(nuts: readonly string[], region: string): boolean {
  return nuts.some((n) => region.startsWith(n));
}

/** The programme a name refers to, e.g. "Interreg Deutschland-Danmark (6A)". */
export function programmeByName(name: string): ProgrammeArea | undefined {
  const n = name.toLowerCase();
  if (/deutschland-danmark|germany-denmark|de-dk/.test(n)) return programmeAreas['de-dk'];
  if (/south baltic|südliche ostsee/.test(n)) return programmeAreas['south-baltic'];
  if (/baltic sea region|ostseeraum/.test(n)) return programmeAreas.bsr;
  if (/north sea|nordsee/.test(n)) return programmeAreas['north-sea'];
  return undefined;
}

const countryCodes: Record<string, string> = {
  austria: 'AT',
  belgium: 'BE',
  bulgaria: 'BG',
  croatia: 'HR',
  cyprus: 'CY',
  czechia: 'CZ',
  'czech republic': 'CZ',
  denmark: 'DK',
  estonia: 'EE',
  finland: 'FI',
  france: 'FR',
  germany: 'DE',
  greece: 'GR',
  hungary: 'HU',
  ireland: 'IE',
  italy: 'IT',
  latvia: 'LV',
  lithuania: 'LT',
  luxembourg: 'LU',
  malta: 'MT',
  netherlands: 'NL',
  'the netherlands': 'NL',
  poland: 'PL',
  portugal: 'PT',
  romania: 'RO',
  slovakia: 'SK',
  slovenia: 'SI',
  spain: 'ES',
  sweden: 'SE',
  norway: 'NO',
  iceland: 'IS',
  liechtenstein: 'LI',
  switzerland: 'CH',
  ukraine: 'UA',
  moldova: 'MD',
  'united kingdom': 'GB',
  albania: 'AL',
  'bosnia and herzegovina': 'BA',
  montenegro: 'ME',
  'north macedonia': 'MK',
  serbia: 'RS',
  'faroe islands': 'FO',
  greenland: 'GL',
};

/** ISO code of an English country name, undefined for names we do not know. */
export function countryCode(name: string): string | undefined {
  return countryCodes[name.trim().toLowerCase()];
}
