/**
 * Enumerations shared by the database schema (column enums) and zod (validation), so the two
 * can never drift apart.
 */
export const sourceIds = ['eu-ft', 'foerderdatenbank', 'interreg', 'skew', 'import'] as const;
export type SourceId = (typeof sourceIds)[number];
export const crawlableSourceIds = ['eu-ft', 'foerderdatenbank', 'interreg', 'skew'] as const;
export type CrawlableSourceId = (typeof crawlableSourceIds)[number];

export const callStatuses = ['forthcoming', 'open', 'closed', 'open-ended'] as const;
export type CallStatus = (typeof callStatuses)[number];

export const deadlineStages = [
  'single',
  'cut-off',
  'sketch',
  'interest',
  'full-application',
  'second-stage',
  'other',
] as const;
export type DeadlineStage = (typeof deadlineStages)[number];

export const applicantTypes = [
  'municipality',
  'region',
  'public-body',
  'ngo',
  'sme',
  'company',
  'research',
  'university',
  'individual',
  'international-organisation',
  'other',
] as const;
export type ApplicantType = (typeof applicantTypes)[number];

export const crawlOutcomes = ['running', 'ok', 'partial', 'failed', 'blocked'] as const;
export type CrawlOutcome = (typeof crawlOutcomes)[number];

export const goalPotentials = ['sehr groß', 'groß', 'gering', 'keine', 'nicht angegeben'] as const;
export type GoalPotential = (typeof goalPotentials)[number];

export const eligibilities = ['eligible', 'unclear', 'excluded'] as const;
export type Eligibility = (typeof eligibilities)[number];

export const verdicts = ['relevant', 'not_relevant'] as const;
export type Verdict = (typeof verdicts)[number];

export const tokenRoles = ['reader', 'admin'] as const;
export type TokenRole = (typeof tokenRoles)[number];

export const languages = ['de', 'en'] as const;
export type Language = (typeof languages)[number];

export const cadences = ['weekly', 'daily'] as const;
export type Cadence = (typeof cadences)[number];

/** `skipped`: nothing to send for the period (empty digest not wanted, or unsubscribed meanwhile). */
export const digestStates = ['pending', 'sending', 'sent', 'failed', 'skipped'] as const;
export type DigestState = (typeof digestStates)[number];

/**
 * A pursuit's status, from watching a call to its outcome (German codes, as the city uses them):
 * beobachtet → in_pruefung → antrag_in_vorbereitung → eingereicht → bewilligt | abgelehnt;
 * `verworfen` (dropped) from any open status. Legal moves: src/pursuits/status.ts.
 */
export const pursuitStatuses = [
  'beobachtet',
  'in_pruefung',
  'antrag_in_vorbereitung',
  'eingereicht',
  'bewilligt',
  'abgelehnt',
  'verworfen',
] as const;
export type PursuitStatus = (typeof pursuitStatuses)[number];

export const pursuitMailKinds = ['reminder', 'change'] as const;
export type PursuitMailKind = (typeof pursuitMailKinds)[number];
