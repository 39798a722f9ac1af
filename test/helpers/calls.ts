import type { Call } from '../../src/domain/call.ts';

/** A valid normalized call for tests; override what the test is about. */
export function sampleCall(overrides: Partial<Call> = {}): Call {
  return {
    id: 'eu-ft:CERV-2026-CITIZENS-TOWN-TT',
    source: 'eu-ft',
    sourceId: 'CERV-2026-CITIZENS-TOWN-TT',
    funder: 'European Commission',
    programme: 'Citizens, Equality, Rights and Values (CERV)',
    identifier: 'CERV-2026-CITIZENS-TOWN-TT',
    title: 'Town Twinning',
    summary: 'Exchanges between citizens of twinned towns.',
    description: 'Town twinning projects bring together citizens from different countries.',
    url: 'https://ec.europa.eu/info/funding-tenders/opportunities/portal/screen/opportunities/topic-details/CERV-2026-CITIZENS-TOWN-TT',
    language: 'en',
    deadlines: [
      { at: '2026-09-17T15:00:00.000Z', timeZone: 'Europe/Brussels', raw: '1789603200000', stage: 'single' },
    ],
    status: 'open',
    applicantTypes: ['municipality'],
    countries: [],
    nuts: [],
    keywords: ['town twinning'],
    notices: [],
    provenance: {
      fetchedAt: '2026-05-01T05:00:00.000Z',
      sourceUrl: 'https://api.tech.ec.europa.eu/search-api/prod/rest/search',
      contentHash: 'pending-hash',
    },
    ...overrides,
  };
}
