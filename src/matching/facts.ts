import type { Concept } from '../concept/schema.ts';
import { type Call, nextDeadline } from '../domain/call.ts';
import { analyzeAll, type TextDoc } from './text.ts';
import { callTexts } from './token-batch.ts';

/** The city's own profile from the concept; rules can compare call facts with it. */
export interface CityProfile {
  type: string;
  country: string;
  nuts: string[];
  partnerCities: string[];
  partnerCountries: string[];
  partnerCountryNames: string[];
  friendCities: string[];
  friendCountries: string[];
  networks: string[];
}

export function cityProfile(concept: Concept): CityProfile {
  const uniq = (xs: string[]) => [...new Set(xs)];
  return {
    type: concept.city.type,
    country: concept.city.country,
    nuts: [...concept.city.nuts],
    partnerCities: concept.partnerCities.map((p) => p.name),
    partnerCountries: uniq(concept.partnerCities.map((p) => p.country)),
    partnerCountryNames: uniq(concept.partnerCities.map((p) => p.countryName)),
    friendCities: uniq([...concept.friendCities, ...concept.futurePartnerCities].map((f) => f.name)),
    friendCountries: uniq([...concept.friendCities, ...concept.futurePartnerCities].map((f) => f.country)),
    networks: concept.networks.flatMap((n) => (n.fullName ? [n.name, n.fullName] : [n.name])),
  };
}

/** City facts usable as a rule value: `{ "fact": "city.partnerCities" }`. */
export const cityFactNames = [
  'city.type',
  'city.country',
  'city.nuts',
  'city.partnerCities',
  'city.partnerCountries',
  'city.partnerCountryNames',
  'city.friendCities',
  'city.friendCountries',
  'city.networks',
] as const;

export function cityFact(city: CityProfile, name: string): string | string[] | undefined {
  const key = name.slice('city.'.length) as keyof CityProfile;
  return name.startsWith('city.') && key in city ? city[key] : undefined;
}

const cityValueCache = new WeakMap<CityProfile, Record<string, FactValue>>();

/** The city facts as fact values, computed once per profile (every call's facts include them). */
function cityValues(city: CityProfile): Record<string, FactValue> {
  let v = cityValueCache.get(city);
  if (!v) {
    v = Object.fromEntries(cityFactNames.map((name) => [name, cityFact(city, name)]));
    cityValueCache.set(city, v);
  }
  return v;
}

/** Facts whose value is a tokenised text (term operators work on these). */
export const textFacts = ['text', 'title', 'applicants', 'programme'] as const;
export type TextFact = (typeof textFacts)[number];
/** Facts with a plain value (in, equals, comparisons, globMatch). */
export const valueFacts = [
  'source',
  'programme',
  'identifier',
  'language',
  'status',
  'applicantTypes',
  'countries',
  'nuts',
  'keywords',
  'daysToDeadline',
  'budget',
  'fundingRate',
  ...cityFactNames,
] as const;

export type FactValue = string | number | readonly string[] | undefined;

/** Everything the engine needs from one call, computed once per call and rule set independent. */
export interface CallFacts {
  callId: string;
  docs: Record<TextFact, TextDoc>;
  values: Record<string, FactValue>;
  /** Results kept with a cached call between runs (see `CallMemo`); absent for one-off scoring. */
  memo?: CallMemo;
}

/**
 * What the engine may keep per call between runs, valid as long as the call's content is
 * unchanged (the owner drops it with the tokens): condition results by process-wide condition
 * id (1 held, 2 did not, 0 unknown; never for date-dependent conditions), and the text
 * relevance per target for one set of profiles.
 */
export interface CallMemo {
  conditions?: Int8Array;
  text?: { key: number; sums: Float64Array };
}

/** The fields a call needs for matching (a stored call, an imported line, a bench record). */
export type MatchableCall = Pick<
  Call,
  | 'id'
  | 'source'
  | 'title'
  | 'summary'
  | 'description'
  | 'language'
  | 'deadlines'
  | 'status'
  | 'applicantTypes'
  | 'countries'
  | 'nuts'
  | 'keywords'
> &
  Partial<Pick<Call, 'programme' | 'identifier' | 'applicantsText' | 'budget' | 'fundingRate' | 'funder'>>;

export interface FactOptions {
  now?: Date;
  /** Treat every call as open (evaluation on past calls). */
  ignoreDeadlines?: boolean;
}

/** A call's docs by text fact, from docs in `textFacts` order. */
export function docsByFact(docs: readonly TextDoc[]): Record<TextFact, TextDoc> {
  return { text: docs[0]!, title: docs[1]!, applicants: docs[2]!, programme: docs[3]! };
}

/** The tokenised texts of a call: the expensive part, independent of rules and dates (cacheable). */
export function analyzeCall(call: MatchableCall): Record<TextFact, TextDoc> {
  return docsByFact(analyzeAll(callTexts(call)));
}

export function callFacts(
  call: MatchableCall,
  city: CityProfile,
  options: FactOptions = {},
  docs: Record<TextFact, TextDoc> = analyzeCall(call),
  memo?: CallMemo,
): CallFacts {
  const now = options.now ?? new Date();
  const programme = call.programme ?? '';
  const next = options.ignoreDeadlines ? undefined : nextDeadline(call.deadlines, now);
  const days = next ? Math.floor((Date.parse(next.at) - now.getTime()) / 86_400_000) : undefined;
  const budget = call.budget?.total ?? call.budget?.perProjectMax;
  const values: Record<string, FactValue> = {
    source: call.source,
    programme,
    identifier: call.identifier ?? '',
    language: call.language,
    status: options.ignoreDeadlines ? 'open' : call.status,
    applicantTypes: call.applicantTypes,
    countries: call.countries,
    nuts: call.nuts,
    keywords: call.keywords,
    daysToDeadline: days,
    budget,
    fundingRate: call.fundingRate,
  };
  Object.assign(values, cityValues(city));
  return { callId: call.id, docs, values, memo };
}
