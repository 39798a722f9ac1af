import { describe, expect, it } from 'vitest';
import {
  ALGOLIA_FROM_APP_ID,
  algoliaBase,
  algoliaQueryBody,
  parseAlgoliaHits,
  readAlgoliaConfig,
} from '../../crawlers/interreg.ts';
import { coversNuts } from '../../crawlers/interreg-areas.ts';
import { sheetInstant } from '../helpers/fixtures.ts';
import { fact, KIEL, page, parseCtx } from './interreg-facts.ts';

const ctx = parseCtx;

describe('interreg.eu Algolia index', () => {
  it('reads the application id, search key and index from the calls page', () => {
    expect(readAlgoliaConfig(page('interreg.eu/calls-for-projects/index.html'))).toEqual({
      appId: 'KX7R2Q9L4M',
      apiKey: '3f1c0a5e2b7d4c9e8f6a1b2c3d4e5f60',
      indexName: 'prod_en-us_content',
    });
    expect(readAlgoliaConfig('<html><body>no search here</body></html>')).toBeUndefined();
  });

  it('derives the Algolia host from the app id unless a base URL is configured', () => {
    expect(algoliaBase(ALGOLIA_FROM_APP_ID, 'KX7R2Q9L4M')).toBe('https://kx7r2q9l4m-dsn.algolia.net');
    expect(algoliaBase('http://127.0.0.1:8080', 'KX7R2Q9L4M')).toBe('http://127.0.0.1:8080');
    expect(() => algoliaBase(ALGOLIA_FROM_APP_ID, 'evil.example/x')).toThrowError(
      expect.objectContaining({ kind: 'layout' }),
    );
  });

  it('asks for open and forthcoming call pages, 500 per page', () => {
    const params = new URLSearchParams(JSON.parse(algoliaQueryBody()).params);
    expect(params.get('filters')).toBe(
      'contentType:callForProjectsPage AND (callStatus:Open OR callStatus:Forthcoming)',
    );
    expect(params.get('hitsPerPage')).toBe('500');
  });

  /** The recorded answer plus a hit without a title, as the index carries while an editor works on it. */
  const body = JSON.parse(page('algolia/query.json'));
  body.hits.push({
    objectID: 'callForProjectsPage-4400',
    title: '',
    associatedProgrammes: ['Interreg Europe'],
  });
  body.nbHits = 5;
  const result = parseAlgoliaHits(JSON.stringify(body), {
    ...ctx('https://kx7r2q9l4m-dsn.algolia.net/1/indexes/prod_en-us_content/query'),
    siteBase: 'https://interreg.eu',
  });
  const byId = (id: string) => result.calls.find((c) => c.id === id)!;

  it('turns every hit with a title into a call and reports the one without', () => {
    expect(result.calls.map((c) => c.id)).toEqual([
      'interreg:callForProjectsPage-4121',
      'interreg:callForProjectsPage-4188',
      'interreg:callForProjectsPage-4302',
      'interreg:callForProjectsPage-4055',
    ]);
    expect(result.errors).toEqual([
      { id: 'callForProjectsPage-4400', message: 'hit callForProjectsPage-4400 has no title' },
    ]);
    expect(result.nbHits).toBe(5);
  });

  it('BSR small projects: opening, idea-form and full-application deadlines, EU contribution', () => {
    const f = fact('interreg-bsr-small-3');
    const c = byId('interreg:callForProjectsPage-4121');
    expect(c.openingDate).toBe(sheetInstant(`${f.opening}T00:00`));
    expect(c.deadlines.map((d) => [d.at, d.stage])).toEqual([
      [sheetInstant(f.deadline_project_idea_form as string), 'sketch'],
      [sheetInstant(f.deadline_full_application as string), 'full-application'],
    ]);
    expect(c.budget?.perProjectMax).toBe(f.max_eu_contribution_eur);
    expect(c.sourceStatus).toBe('Open');
    expect(c.status).toBe('open');
    expect(c.countries).toContain('DE');
    expect(coversNuts(c.nuts, KIEL)).toBe(true);
    expect(c.applicantTypes).toEqual(['municipality', 'region', 'ngo']);
    expect(c.url).toBe('https://interreg-baltic.eu/all/small-projects-third-call-open/');
  });

  it('BSR platforms: epoch-second opening, 16:00 CET deadline, 80 %, budget and maximum', () => {
    const f = fact('interreg-bsr-platforms-2025');
    const c = byId('interreg:callForProjectsPage-4188');
    expect(c.openingDate).toBe(sheetInstant(`${f.opening}T00:00`));
    expect(c.deadlines).toEqual([
      {
        at: sheetInstant(f.deadline as string),
        timeZone: 'Europe/Berlin',
        raw: '2025-11-20T16:00:00',
        stage: 'single',
      },
    ]);
    expect(c.fundingRate).toBe((f.funding_rate_pct as number) / 100);
    expect(c.budget).toMatchObject({ total: f.call_budget_eur, perProjectMax: f.max_eu_contribution_eur });
  });

  it('South Baltic: forthcoming, and Kiel is outside its area', () => {
    const f = fact('interreg-south-baltic-5');
    const c = byId('interreg:callForProjectsPage-4302');
    expect(c.status).toBe('forthcoming');
    expect(c.sourceStatus).toBe('Forthcoming');
    expect(c.deadlines[0]?.at).toBe(sheetInstant(f.deadline as string));
    expect(coversNuts(c.nuts, KIEL)).toBe(false);
    expect(coversNuts(c.nuts, 'DE80N')).toBe(true);
  });

  it('DE-DK pool: 65 % and EUR 200,000, Kiel in the area', () => {
    const c = byId('interreg:callForProjectsPage-4055');
    expect(c.fundingRate).toBe(0.65);
    expect(c.budget?.perProjectMax).toBe(200_000);
    expect(c.openingDate).toBeUndefined();
    expect(coversNuts(c.nuts, KIEL)).toBe(true);
  });

  it('rejects an answer that is not a hit list', () => {
    const c = { ...ctx('https://x/1/indexes/i/query'), siteBase: 'https://interreg.eu' };
    expect(() => parseAlgoliaHits('{"message":"Invalid Application-ID or API key","status":403}', c)).toThrow(
      /no hits array/,
    );
    expect(() => parseAlgoliaHits('{"hits": [', c)).toThrow(/not JSON/);
  });
});
