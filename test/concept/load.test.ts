import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConceptFile, parseConcept } from '../../src/concept/load.ts';
import { AppError } from '../../src/errors.ts';
import { fromPackage } from '../../src/paths.ts';

const file = fromPackage('rules', 'concept.json');

describe('the Kiel concept file', () => {
  const { concept } = loadConceptFile(file);

  it('has the 12 action fields in the paper’s order', () => {
    expect(concept.actionFields.map((f) => f.key)).toEqual([
      'staedtepartnerschaften',
      'befreundete-staedte',
      'ostseeraum',
      'chinastrategie',
      'staedtenetzwerke',
      'wirtschaft',
      'hochschulen',
      'land-sh',
      'foerdermittelakquise',
      'stadtverwaltung',
      'stadtgesellschaft',
      'agenda-2030',
    ]);
    expect(concept.actionFields.map((f) => f.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('has 60 measures with the paper’s counts per field and ids <field>-<n>', () => {
    expect(concept.actionFields.map((f) => f.measures.length)).toEqual([
      3, 2, 5, 3, 11, 12, 2, 4, 1, 8, 6, 3,
    ]);
    const ids = concept.actionFields.flatMap((f) => f.measures.map((m) => m.id));
    expect(ids).toHaveLength(60);
    expect(new Set(ids).size).toBe(60);
    expect(ids).toContain('ostseeraum-1');
    const ostsee = concept.actionFields.find((f) => f.key === 'ostseeraum')!;
    expect(ostsee.measures[0]!.text).toBe('Zur Umsetzung der EU-Ostseestrategie beitragen.');
  });

  it('has 13 partner cities with years, 3 overarching and 5 strategic goals', () => {
    expect(concept.partnerCities).toHaveLength(13);
    const byName = Object.fromEntries(concept.partnerCities.map((p) => [p.name, p]));
    expect(byName.Coventry).toMatchObject({ country: 'GB', since: 1967 });
    expect(byName.Aarhus).toMatchObject({ country: 'DK', since: 2019 });
    expect(byName['San Francisco']).toMatchObject({ country: 'US', since: 2017 });
    expect(concept.overarchingGoals.map((g) => g.key)).toEqual([
      'globale-verantwortung',
      'europa',
      'standort',
    ]);
    expect(concept.strategicGoals).toHaveLength(5);
    expect(concept.friendCities.length).toBeGreaterThan(5);
    expect(concept.networks.map((n) => n.key)).toEqual(expect.arrayContaining(['eurocities', 'ubc']));
  });

  it('states the goal potential per field as the paper does', () => {
    const f = concept.actionFields.find((x) => x.key === 'staedtepartnerschaften')!;
    expect(f.goalPotential).toEqual({
      'globale-verantwortung': 'sehr groß',
      europa: 'sehr groß',
      standort: 'sehr groß',
    });
    const h = concept.actionFields.find((x) => x.key === 'hochschulen')!;
    expect(h.goalPotential.europa).toBe('nicht angegeben');
  });
});

describe('a broken concept file', () => {
  const text = readFileSync(file, 'utf8');

  it('names the bad field by its path', () => {
    const data = JSON.parse(text);
    data.partnerCities[0].since = 'neunzehnhundert';
    data.actionFields[1].measures[0].text = '';
    try {
      parseConcept(JSON.stringify(data), 'broken.json');
      expect.unreachable('parseConcept accepted a broken file');
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      const e = err as AppError;
      expect(e.code).toBe('CONCEPT_INVALID');
      expect(e.details.map((d) => d.path)).toEqual(
        expect.arrayContaining(['actionFields.1.measures.0.text', 'partnerCities.0.since']),
      );
      expect(e.message).toContain('broken.json');
    }
  });

  it('names a measure id that does not follow <field>-<n>', () => {
    const data = JSON.parse(text);
    data.actionFields[2].measures[0].id = 'ostseeraum-9';
    expect(() => parseConcept(JSON.stringify(data))).toThrow(
      /actionFields\.2\.measures\.0\.id: expected "ostseeraum-1"/,
    );
  });

  it('reports invalid JSON and a missing file clearly', () => {
    expect(() => parseConcept('{ "version": ', 'x.json')).toThrow(/x\.json: not valid JSON/);
    expect(() => loadConceptFile('/nonexistent/concept.json')).toThrow(/cannot be read/);
  });
});
