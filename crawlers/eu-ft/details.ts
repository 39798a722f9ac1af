/** eu-ft: Topic Details — URLs and the pure parse of one details document. */
import { z } from 'zod';
import { CrawlError } from '../errors.ts';
import { htmlToText } from '../text.ts';
import type { BudgetOverview } from './search.ts';

/** Topic Details URL; the portal only knows the identifier in lower case (upper case is a 404). */
export function topicDetailsUrl(portalBase: string, identifier: string): string {
  return `${portalBase}/info/funding-tenders/opportunities/data/topicDetails/${encodeURIComponent(identifier.toLowerCase())}.json`;
}

export function topicPageUrl(portalBase: string, identifier: string): string {
  return `${portalBase}/info/funding-tenders/opportunities/portal/screen/opportunities/topic-details/${encodeURIComponent(identifier)}`;
}

const msString = z.union([z.string(), z.number()]).transform(String);
const detailsSchema = z.object({
  TopicDetails: z
    .object({
      type: z.number().optional(),
      identifier: z.string().min(1),
      title: z.string().min(1),
      callIdentifier: z.string().optional(),
      callTitle: z.string().optional(),
      frameworkProgramme: z
        .object({ description: z.string().optional(), abbreviation: z.string().optional() })
        .partial()
        .optional(),
      keywords: z.array(z.string()).optional(),
      tags: z.array(z.string()).optional(),
      actions: z
        .array(
          z.object({
            status: z
              .object({ id: z.number().optional(), abbreviation: z.string().optional() })
              .partial()
              .optional(),
            plannedOpeningDate: msString.optional(),
            submissionProcedure: z.object({ abbreviation: z.string().optional() }).partial().optional(),
            deadlineDates: z.array(msString).optional(),
            deadlineModel: z.string().optional(),
          }),
        )
        .optional(),
      latestInfos: z
        .array(z.object({ lastChangeDate: z.string().optional(), content: z.string().optional() }))
        .optional(),
      budgetOverviewJSONItem: z.unknown().optional(),
      description: z.string().optional(),
      conditions: z.string().optional(),
    })
    .passthrough(),
});

export interface TopicDetails {
  identifier: string;
  title: string;
  callIdentifier?: string;
  callTitle?: string;
  programme?: string;
  keywords: string[];
  tags: string[];
  statusLabel?: string;
  openingMs?: string;
  deadlineModel?: string;
  deadlineMs: string[];
  descriptionHtml?: string;
  conditionsHtml?: string;
  latestInfos: Array<{ date?: string; text: string }>;
  budget?: BudgetOverview;
  raw: unknown;
}

/** A Topic Details document → the fields we use. A document without TopicDetails is a layout change. */
export function parseTopicDetails(json: unknown): TopicDetails {
  const parsed = detailsSchema.safeParse(json);
  if (!parsed.success) {
    throw new CrawlError('parse', `Topic Details not recognised: ${parsed.error.issues[0]?.message ?? ''}`);
  }
  const t = parsed.data.TopicDetails;
  const actions = t.actions ?? [];
  const deadlineMs = [...new Set(actions.flatMap((a) => a.deadlineDates ?? []))].sort(
    (a, b) => Number(a) - Number(b),
  );
  const openings = actions
    .map((a) => a.plannedOpeningDate)
    .filter((x): x is string => !!x)
    .sort();
  const model = actions.map((a) => a.submissionProcedure?.abbreviation ?? a.deadlineModel).find(Boolean);
  return {
    identifier: t.identifier,
    title: t.title.trim(),
    callIdentifier: t.callIdentifier,
    callTitle: t.callTitle,
    programme: t.frameworkProgramme?.description,
    keywords: t.keywords ?? [],
    tags: t.tags ?? [],
    statusLabel: actions[0]?.status?.abbreviation,
    openingMs: openings[0],
    deadlineModel: model,
    deadlineMs,
    descriptionHtml: t.description,
    conditionsHtml: t.conditions,
    latestInfos: (t.latestInfos ?? []).map((i) => ({
      date: i.lastChangeDate,
      text: htmlToText(i.content ?? ''),
    })),
    budget: (t.budgetOverviewJSONItem ?? undefined) as BudgetOverview | undefined,
    raw: json,
  };
}
