/**
 * Programme families for leave-programme-family-out evaluation. A family is derived from a
 * call's programme, identifier and source with general patterns (programme names and
 * identifier prefixes), never from call ids or titles. The same patterns decide which rules
 * "name" a family: a rule names it when a string in its conditions matches the family.
 */
export interface Family {
  key: string;
  /** Matches a programme name or identifier of the family (also used on rule terms). */
  names: RegExp;
  /** Sources whose calls belong to the family when no name matches. */
  sources?: readonly string[];
}

export const families: readonly Family[] = [
  { key: 'CERV', names: /\bCERV\b|Citizens, Equality, Rights and Values/i },
  { key: 'Interreg', names: /\binterreg|\bURBACT\b/i },
  { key: 'Erasmus+', names: /\berasmus|\bKA1\d\d\b|\bKA2\d\d\b|European Solidarity Corps|\bESC\b/i },
  {
    key: 'Horizon',
    names:
      /\bhorizon\b|\bHORIZON-|\bEIC\b|\bMSCA\b|Marie Sk|\bERC\b|European Research Council|Clean Hydrogen|CLEANH2|\bWIDERA\b/i,
  },
  { key: 'LIFE', names: /\bLIFE\b/ },
  { key: 'Creative Europe', names: /creative europe|kreatives europa|\bCREA-|\bMEDIA\b/i },
  { key: 'AMIF', names: /\bAMIF\b|Asylum, Migration and Integration|Asyl-, Migrations/i },
  { key: 'EU health', names: /EU4Health|\bEU4H\b|Health Programme|\bHP-PJ/i },
  { key: 'Digital Europe', names: /Digital Europe|\bDIGITAL-/i },
  {
    key: 'EU urban',
    names:
      /European Urban Initiative|\bEUI\b|Urban Innovative Actions|\bUIA\b|European City Facility|\bEUCF\b/i,
  },
  {
    key: 'SKEW',
    names:
      /\bSKEW\b|Engagement Global|Servicestelle Kommunen|Nakopa|Connective Cities|weltwärts|Kleinprojektefonds/i,
    sources: ['skew'],
  },
  { key: 'BMZ/Förderdatenbank', names: /\bBMZ\b|Förderdatenbank/i, sources: ['bmz', 'foerderdatenbank'] },
];

export const OTHER_FAMILY = 'other';

export interface FamilyInput {
  source: string;
  programme?: string | undefined;
  identifier?: string | undefined;
}

/** The family of a call: the first family whose names match programme or identifier, else by source. */
export function familyOf(call: FamilyInput): string {
  const text = `${call.programme ?? ''} ${call.identifier ?? ''}`;
  for (const f of families) if (f.names.test(text)) return f.key;
  for (const f of families) if (f.sources?.includes(call.source)) return f.key;
  return OTHER_FAMILY;
}

/** Every string value in a condition tree (terms, globs, values). */
export function conditionStrings(node: unknown, out: string[] = []): string[] {
  if (typeof node === 'string') out.push(node);
  else if (Array.isArray(node)) for (const x of node) conditionStrings(x, out);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) if (k !== 'fact' && k !== 'operator') conditionStrings(v, out);
  }
  return out;
}

/** The families a rule's conditions name (programme names, identifier prefixes). */
export function familiesNamed(conditions: unknown): string[] {
  const strings = conditionStrings(conditions);
  return families.filter((f) => strings.some((s) => f.names.test(s))).map((f) => f.key);
}
