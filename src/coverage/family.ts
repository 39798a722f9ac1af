/** Display names of the sources, for calls that name no programme. */
const sourceNames: Record<string, string> = {
  'eu-ft': 'EU Funding & Tenders',
  foerderdatenbank: 'Förderdatenbank',
  interreg: 'Interreg',
  skew: 'SKEW',
  import: 'Import',
};

/**
 * The programme family a call belongs to, for planning by programme: "Interreg Baltic Sea
 * Region 2021-2027" and "Interreg South Baltic" are both Interreg; "Horizon Europe – European
 * Innovation Council" is Horizon Europe; "Citizens, Equality, Rights and Values (CERV)" is
 * CERV (the programme's own abbreviation). Derived from the programme's wording only.
 */
export function programmeFamily(programme: string | null | undefined, source: string): string {
  const p = (programme ?? '').replace(/\s+/g, ' ').trim();
  if (p === '') return sourceNames[source] ?? source;
  if (/^interreg\b/i.test(p)) return 'Interreg';
  // The part before a spaced dash names the umbrella programme.
  const head = p.split(/\s[–—-]\s/)[0]!.trim();
  // A trailing abbreviation in brackets is how programmes name themselves.
  const abbr = /\(([A-Za-zÄÖÜäöüß0-9+&.-]{2,15})\)\s*$/.exec(head)?.[1];
  if (abbr) return abbr;
  // Funding periods are not part of the name.
  return head.replace(/\s*\b(19|20)\d{2}\s*[-–]\s*(19|20)\d{2}\b\s*$/, '').trim() || head;
}
