import { describe, expect, it } from 'vitest';
import {
  findNotices,
  parseSkewOverview,
  parseSkewProgramme,
  SKEW_FUNDER,
  skewOfferToCall,
} from '../../crawlers/skew.ts';
import type { Call } from '../../src/domain/call.ts';
import { factSheet, fixtureText, sheetInstant } from '../helpers/fixtures.ts';

type FactProgramme = Record<string, unknown> & { id: string };
const facts = factSheet<{ programmes: FactProgramme[] }>('skew');
const fact = (id: string) => facts.programmes.find((p) => p.id === id)!;
const HOST = 'skew.engagement-global.de';
const BASE = `https://${HOST}/`;
const fetchedAt = new Date('2026-11-25T06:00:00Z');
const page = (file: string) => fixtureText('skew', `site/${HOST}/${file}`);

const overview = parseSkewOverview(page('kommunale-foerderung.html'), {
  url: `${BASE}kommunale-foerderung.html`,
  fetchedAt,
});

function callFor(title: RegExp): Call {
  const offer = overview.offers.find((o) => title.test(o.title));
  if (!offer) throw new Error(`no offer ${title}`);
  const local = offer.moreUrl?.startsWith(BASE) ? offer.moreUrl.slice(BASE.length) : undefined;
  const programme = local ? parseSkewProgramme(page(local), { url: offer.moreUrl!, fetchedAt }) : undefined;
  return skewOfferToCall(offer, programme, {
    url: offer.moreUrl ?? `${BASE}kommunale-foerderung.html`,
    fetchedAt,
    overviewUrl: `${BASE}kommunale-foerderung.html`,
    overviewHash: overview.hash,
    skewHost: HOST,
  });
}

describe('SKEW overview "Unsere Förderangebote"', () => {
  it('reads every offer with its group, labelled fields and "Mehr Informationen" link', () => {
    expect(overview.offers.map((o) => o.title)).toEqual([
      'Kleinprojektefonds kommunale Entwicklungspolitik',
      'Nachhaltige Kommunalentwicklung durch Partnerschaftsprojekte (Nakopa)',
      'Förderprogramm für Kommunale Klimaschutz- und Klimaanpassungsprojekte (FKKP)',
      'Fachkräfte für kommunale Partnerschaften weltweit (FKPW)',
      'Initiative Kommunales Know-how für Nahost',
      'Deutsch-türkische kommunale Partnerschaften',
      'Koordination kommunaler Entwicklungspolitik (KEpol)',
      'Aktionsgruppenprogramm (AGP)',
      'Förderprogramm Entwicklungspolitische Bildung (FEB)',
      'bengo – Förderung privater Träger',
    ]);
    const kpf = overview.offers[0]!;
    expect(kpf.group).toBe('Kleinprojekte im In- und Ausland');
    expect(kpf.moreUrl).toBe(`${BASE}kleinprojektefonds.html`);
    expect(Object.keys(kpf.fields)).toEqual([
      'Beschreibung',
      'Antragshöhe',
      'Antragsberechtigte',
      'Antragstellung',
      'Besonderheit',
    ]);
    expect(overview.offers.find((o) => /türkische/.test(o.title))?.moreUrl).toBeUndefined();
  });

  it('a page without labelled lists is a changed layout', () => {
    const html = page('kommunale-foerderung.html').replace(/<strong>[^<]*:<\/strong>/g, '');
    expect(() => parseSkewOverview(html, { url: `${BASE}kommunale-foerderung.html`, fetchedAt })).toThrow(
      /layout not recognised/,
    );
  });
});

describe('SKEW programmes as calls', () => {
  it('Kleinprojektefonds: EUR 1,000–20,000, 90 %, DAC precondition, deadline passed, commitments suspended', () => {
    const f = fact('skew-kleinprojektefonds');
    const grant = f.grant_eur as { min: number; max: number };
    const c = callFor(/^Kleinprojektefonds/);
    expect(c.id).toBe('skew:kleinprojektefonds');
    expect(c.funder).toBe(SKEW_FUNDER);
    expect(c.operator).toBe('Servicestelle Kommunen in der Einen Welt (SKEW) / Engagement Global');
    expect(c.budget).toMatchObject({ perProjectMin: grant.min, perProjectMax: grant.max });
    expect(c.fundingRate).toBe((f.funding_rate_pct_max as number) / 100);
    expect(c.deadlines).toEqual([
      {
        at: sheetInstant('2024-10-15'),
        timeZone: 'Europe/Berlin',
        raw: '15. Oktober 2024',
        stage: 'single',
        label: 'Antrag',
      },
    ]);
    expect(c.identifier).toBe('Runde 2024');
    expect(c.status).toBe('closed');
    expect(c.applicantTypes).toEqual(['municipality']);
    expect(c.notices).toEqual([
      'deadline-passed: Die Antragsfrist ist abgelaufen.',
      'commitments-suspended: Aufgrund der vorläufigen Haushaltsführung des Bundes 2025 können neue Bewilligungen nur in Ausnahmefällen erteilt werden.',
      'precondition: Partnerkommune in einem Land der DAC-Liste der OECD',
    ]);
    expect((c.raw as { durationMonths: number[] }).durationMonths).toEqual([f.duration_max_months]);
  });

  it('Nakopa: 90 %, two-step deadlines, round 2023 although the heading says 2024', () => {
    const c = callFor(/Nakopa/);
    expect(c.fundingRate).toBe(0.9);
    expect(c.deadlines.map((d) => [d.at, d.stage, d.label])).toEqual([
      [sheetInstant('2023-07-31'), 'interest', 'Interessenbekundung'],
      [sheetInstant('2023-09-30'), 'full-application', 'Antrag'],
    ]);
    expect(c.identifier).toBe('Runde 2023');
    expect(c.keywords).toContain('Bekanntmachung 2024');
    expect((c.raw as { roundNote: string }).roundNote).toBe('heading says 2024, deadlines fall in 2023');
    const g = fact('skew-nakopa').grant_eur as { tier1: number[]; tier3_climate_FKKP_experienced: number[] };
    expect(c.budget).toMatchObject({
      perProjectMin: g.tier1[0],
      perProjectMax: g.tier3_climate_FKKP_experienced[1],
    });
    expect(c.notices).toEqual(['precondition: Partnerkommune in einem Land der DAC-Liste der OECD']);
    // Project start and end dates are not deadlines.
    expect(c.deadlines.some((d) => d.at.startsWith('2025') || d.at.startsWith('2028'))).toBe(false);
  });

  it('FKKP: only for members of the climate partnerships, interest then application', () => {
    const c = callFor(/FKKP/);
    expect(c.deadlines.map((d) => [d.at, d.stage])).toEqual([
      [sheetInstant('2023-03-06'), 'interest'],
      [sheetInstant('2023-05-07'), 'full-application'],
    ]);
    expect(c.budget).toMatchObject({ perProjectMin: 100_000, perProjectMax: 500_000 });
    expect(c.fundingRate).toBe(0.9);
    expect(c.notices).toContain('precondition: nur für Teilnehmende an „Kommunale Klimapartnerschaften“');
  });

  it('rolling offers without dates are open-ended; the Mercator offer names its funder', () => {
    expect(callFor(/Fachkräfte/).status).toBe('open-ended');
    const mercator = callFor(/türkische/);
    expect(mercator.funder).toBe('Stiftung Mercator');
    expect(mercator.budget).toMatchObject({ perProjectMin: 5000, perProjectMax: 25_000 });
    expect(mercator.deadlines.map((d) => d.at)).toEqual([sheetInstant('2023-11-15')]);
    expect(mercator.url).toBe(`${BASE}kommunale-foerderung.html`);
  });

  it('KEpol from the overview alone: draft application deadline 31 March 2025', () => {
    const c = callFor(/KEpol/);
    expect(c.id).toBe('skew:kepol');
    expect(c.deadlines.map((d) => [d.at, d.stage, d.label])).toEqual([
      [sheetInstant('2025-03-31'), 'sketch', 'Antragsentwurf'],
    ]);
    expect(c.fundingRate).toBe(0.9);
  });

  it('AGP, FEB and bengo fund associations only: applicant type ngo, operator Engagement Global', () => {
    const calls = [callFor(/AGP/), callFor(/FEB/), callFor(/bengo/)];
    expect(calls.map((c) => c.applicantTypes)).toEqual([['ngo'], ['ngo'], ['ngo']]);
    expect(calls.every((c) => c.operator === 'Engagement Global' && c.funder === SKEW_FUNDER)).toBe(true);
    expect(calls[0]!.budget?.perProjectMax).toBe(fact('eg-agp').grant_eur_max);
    // "25 Prozent Eigenanteil" is an own share, not a funding rate; bengo's rate is 75 %, 90 % only by exception.
    expect(calls[1]!.fundingRate).toBeUndefined();
    expect(calls[2]!.fundingRate).toBe((fact('eg-bengo').funding_rate_pct as number) / 100);
  });
});

describe('findNotices', () => {
  it('records passed deadlines and suspended commitments with their sentence', () => {
    expect(
      findNotices('Die Frist ist abgelaufen. Neue Zusagen sind ausgesetzt. Bitte beachten Sie die FAQ.'),
    ).toEqual([
      'deadline-passed: Die Frist ist abgelaufen.',
      'commitments-suspended: Neue Zusagen sind ausgesetzt.',
    ]);
    expect(findNotices('Anträge können laufend gestellt werden.')).toEqual([]);
  });
});
