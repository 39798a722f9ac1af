/**
 * Facts stated in running text of funding pages (German, Danish, English): amounts in euro,
 * funding rates, deadline stages, notices. Shared by the Interreg and SKEW parsers.
 */
import type { ApplicantType, DeadlineStage } from '../src/domain/enums.ts';

/** One line: all whitespace (also line breaks and non-breaking spaces) collapsed, trimmed. */
export function oneLine(text: string): string {
  return text
    .replace(/[\u00a0\u202f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Reads "200.000", "200,000", "6,88", "6.88", "1 000". A separator followed by exactly three
 * digits groups thousands; any other separator is the decimal mark (German or English).
 */
export function parseNumber(text: string): number | undefined {
  const t = text.replace(/[\s\u00a0\u202f]/g, '');
  if (!/^\d[\d.,]*\d$|^\d$/.test(t)) return undefined;
  const seps = t.match(/[.,]/g) ?? [];
  if (seps.length === 0) return Number(t);
  const distinct = new Set(seps);
  if (distinct.size === 2) {
    // "1.234,5" or "1,234.5": the last separator is the decimal mark.
    const dec = seps.at(-1)!;
    const [int, frac] = [t.slice(0, t.lastIndexOf(dec)), t.slice(t.lastIndexOf(dec) + 1)];
    return Number(`${int.replace(/[.,]/g, '')}.${frac}`);
  }
  if (seps.length > 1) return Number(t.replace(/[.,]/g, ''));
  const [int, frac] = t.split(/[.,]/) as [string, string];
  return frac.length === 3 ? Number(int + frac) : Number(`${int}.${frac}`);
}

const MULT = String.raw`(?:\s*(?<mult>mio\.?|millionen|million(?:s)?|mill\.?|mn|m\b|tsd\.?|tausend|thousand|k\b))?`;
const NUM = String.raw`\d{1,3}(?:[.,\s]\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?`;
const CUR = '(?:euro|eur|€)';

function multiplier(word: string | undefined): number {
  if (!word) return 1;
  const w = word.toLowerCase();
  if (w.startsWith('t') || w === 'k') return 1000;
  return 1_000_000;
}

export interface Amount {
  value: number;
  /** The lower end when the text gives a range ("50.000 bis 100.000 Euro"). */
  min?: number;
  raw: string;
  index: number;
}

const RANGE_SEP = String.raw`\s*(?:-|–|—|bis(?:\s+zu)?|und|to|and|til)\s*`;
const AMOUNT_RE = new RegExp(
  [
    // EUR 5,000–25,000 / € 1.000 bis 20.000
    String.raw`${CUR}\s*(?<a1>${NUM})${RANGE_SEP}(?<b1>${NUM})${MULT}`,
    // 50.000 bis 100.000 Euro / 1 to 2 million euro
    String.raw`(?<a2>${NUM})${RANGE_SEP}(?<b2>${NUM})${MULT.replace('mult', 'mult2')}\s*${CUR}`,
    // EUR 200,000 / € 5 million
    String.raw`${CUR}\s*(?<n3>${NUM})${MULT.replace('mult', 'mult3')}`,
    // 200.000 Euro / 6,88 Mio. Euro / 4,2 Millionen Euro
    String.raw`(?<n4>${NUM})${MULT.replace('mult', 'mult4')}\s*${CUR}`,
  ]
    .map((p) => `(?:${p})`)
    .join('|'),
  'giu',
);

/** Euro amounts in the text, in order; ranges give `min` and `value` (the upper end). */
export function findAmounts(text: string): Amount[] {
  const out: Amount[] = [];
  const t = oneLine(text);
  for (const m of t.matchAll(AMOUNT_RE)) {
    const g = m.groups ?? {};
    const raw = m[0];
    const index = m.index ?? 0;
    if (g.a1 || g.a2) {
      const mult = multiplier(g.mult ?? g.mult2);
      const a = parseNumber((g.a1 ?? g.a2)!);
      const b = parseNumber((g.b1 ?? g.b2)!);
      if (a === undefined || b === undefined) continue;
      out.push({ min: Math.round(a * mult), value: Math.round(b * mult), raw, index });
    } else {
      const n = parseNumber((g.n3 ?? g.n4)!);
      if (n === undefined) continue;
      out.push({ value: Math.round(n * multiplier(g.mult3 ?? g.mult4)), raw, index });
    }
  }
  return out;
}

const PERCENT_RE = /(?<n>\d{1,3}(?:[.,]\d+)?)\s*(?:%|prozent|procent|per\s?cent)/giu;
const RATE_HINT =
  /förder|finanzier|zuschuss|co-?financ|co-?fund|funding|grant|contribution|erdf|efre|støtte|tilskud|bis zu|up to|rate|quote/iu;
const NOT_RATE =
  /eigenanteil|eigenmittel|eigenbeteiligung|own (?:share|contribution)|pauschal|flat rate|verwaltung|overhead|mindestens|at least|egenfinansier|ausnahme|exception/iu;

/**
 * The funding rate (fraction 0..1) stated in the text: the highest percentage in a sentence
 * that speaks of funding, skipping own shares and flat rates ("mindestens 10 Prozent Eigenanteil").
 */
export function findFundingRate(text: string): { rate: number; raw: string } | undefined {
  const sentences = oneLine(text).split(/(?<=[.;!?])\s+(?=[A-ZÄÖÜ])|\n/u);
  let best: { rate: number; raw: string } | undefined;
  for (const s of sentences) {
    if (!RATE_HINT.test(s)) continue;
    for (const m of s.matchAll(PERCENT_RE)) {
      // Judge the words just before the number, so "90 Prozent; Eigenanteil 10 Prozent" keeps 90.
      const before = s.slice(Math.max(0, (m.index ?? 0) - 40), m.index ?? 0);
      const after = s.slice((m.index ?? 0) + m[0].length, (m.index ?? 0) + m[0].length + 20);
      if (NOT_RATE.test(before) || /^\s*(?:eigen|own|egen)/iu.test(after)) continue;
      const pct = Number(m.groups!.n!.replace(',', '.'));
      if (!(pct > 0 && pct <= 100)) continue;
      if (!best || pct / 100 > best.rate) best = { rate: pct / 100, raw: s };
    }
  }
  return best;
}

const STAGE_WORDS: Array<[RegExp, DeadlineStage]> = [
  [/interessenbekundung|expressions? of interest|interessetilkendegivelse/i, 'interest'],
  [
    /projektskizzen?|project idea forms?|\bpif\b|concept notes?|projektidé|antragsentwurf|step 1|stufe 1/i,
    'sketch',
  ],
  [
    /full applications?|vollantrag|antr[aä]ge?n?\b|applications?|ansøgning(?:er)?|step 2|stufe 2/i,
    'full-application',
  ],
];

/**
 * The deadline stage a label names and the words that named it ("Project Idea Form" → sketch,
 * "Antrag" → full application); undefined when the label names no stage.
 */
export function stageFromLabel(label: string): { stage: DeadlineStage; label: string } | undefined {
  let best: { stage: DeadlineStage; label: string; at: number } | undefined;
  for (const [re, stage] of STAGE_WORDS) {
    const m = re.exec(label);
    // The stage word closest to the date (the end of the label) wins: "Nach der Projektskizze folgt der Antrag bis …".
    if (m && (!best || m.index > best.at)) best = { stage, label: m[0], at: m.index };
  }
  return best && { stage: best.stage, label: best.label };
}

/** Whole months from "12 Monate", "24 months", "bis zu 36 Monaten", "39 Monate". */
export function findDurationMonths(text: string): number[] {
  return [...oneLine(text).matchAll(/(\d{1,2})\s*(?:monate|monaten|months|måneder)/giu)].map((m) =>
    Number(m[1]),
  );
}

const PER_PROJECT =
  /pro (?:projekt|vorhaben|antrag)|per (?:project|platform|partnership)|je projekt|each (?:project|platform)|max\.|maximal|maximum|höchstens|up to|bis zu|zwischen|between|antragshöhe|fördersumme|zuschuss von|contribution of/iu;
const TOTAL =
  /insgesamt|gesamt|budget|stehen|available|zur verfügung|verfügbare mittel|allocation|in total|total|pool mit|fonds mit/iu;
const NOT_CALL_BUDGET = /programme budget|programmbudget|programmvolumen/iu;

export interface BudgetFacts {
  currency: 'EUR';
  total?: number;
  perProjectMin?: number;
  perProjectMax?: number;
  raw?: string;
}

/**
 * Call total and per-project band from the lines of a text: a line speaking of "pro Projekt",
 * "max.", "up to" gives the band, one speaking of "insgesamt", "call budget" the total. The
 * programme's whole budget is not the call's.
 */
export function findBudget(text: string): BudgetFacts | undefined {
  const lines = text.split(/\n|(?<=\p{Ll}{4}[.;])\s+/u);
  const out: BudgetFacts = { currency: 'EUR' };
  const raws: string[] = [];
  const ranges: Amount[] = [];
  const singles: Amount[] = [];
  const floors: number[] = [];
  for (const line of lines) {
    if (NOT_CALL_BUDGET.test(line)) continue;
    const amounts = findAmounts(line);
    if (amounts.length === 0) continue;
    const per = PER_PROJECT.test(line) || amounts.some((a) => a.min !== undefined) || FLOOR_ANY.test(line);
    const total = !per && TOTAL.test(line);
    if (!per && !total) continue;
    raws.push(oneLine(line));
    const norm = oneLine(line);
    for (const a of amounts) {
      if (total) out.total = Math.max(out.total ?? 0, a.value);
      else if (a.min !== undefined) ranges.push(a);
      else if (FLOOR.test(norm.slice(Math.max(0, a.index - 16), a.index))) floors.push(a.value);
      else singles.push(a);
    }
  }
  if (raws.length === 0) return undefined;
  // The bands ("1.000 bis 20.000 Euro") give the per-project span; a lone "bis zu 50.000 Euro"
  // next to them is a special case kept in `raw`. Without bands, the largest maximum counts.
  if (ranges.length) {
    out.perProjectMin = Math.min(...ranges.map((r) => r.min!));
    out.perProjectMax = Math.max(...ranges.map((r) => r.value));
  } else if (singles.length) out.perProjectMax = Math.max(...singles.map((a) => a.value));
  if (floors.length && out.perProjectMin === undefined) out.perProjectMin = Math.min(...floors);
  return { ...out, raw: raws.join(' / ') };
}

/** "ab 50.000 Euro", "from EUR 10,000": a lower bound. */
const FLOOR = /(?:^|\s)(?:ab|from|mindestens|minimum|at least)\s*(?:eur|€)?\s*$/iu;
const FLOOR_ANY = /(?:^|\s)(?:ab|from)\s+(?:eur\s*|€\s*)?\d/iu;

const APPLICANT_WORDS: Array<[RegExp, ApplicantType]> = [
  [
    /kommun|gemeinde|städte|\bstadt|municipal|local (?:public )?authorit|landkreis|\bkreise|bezirke/iu,
    'municipality',
  ],
  [/regional (?:public )?authorit|bundesländer|\bregionen\b/iu, 'region'],
  [/öffentlich|public (?:bod|authorit|institution)|national (?:public )?authorit|offentlig/iu, 'public-body'],
  [
    /verein|(?<!kommunal)verbände|\bngos?\b|non-?profit|gemeinnützig|zivilgesellschaft|civil[- ]society|interessenorganisation|interest (?:group|organisation)|stiftung|foundation|\bgroups and networks/iu,
    'ngo',
  ],
  [/\bkmu\b|\bsmes?\b|small and medium/iu, 'sme'],
  [
    /unternehmen|compan(?:y|ies)|business|private (?:institution|einrichtung)|private einrichtungen|virksomhed/iu,
    'company',
  ],
  [/forschung|research/iu, 'research'],
  [/hochschul|universit|bildungseinrichtung|higher education/iu, 'university'],
];

/** Applicant types named in an eligibility text; "(not municipalities)" and the like are left out. */
export function applicantTypesFromText(text: string): ApplicantType[] {
  const positive = text.replace(/\((?:nicht|not|kein\w*|no)\b[^)]*\)/giu, ' ');
  const found = new Set<ApplicantType>();
  for (const [re, type] of APPLICANT_WORDS) if (re.test(positive)) found.add(type);
  return [...found];
}
