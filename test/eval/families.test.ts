import { describe, expect, it } from 'vitest';
import { familiesNamed, familyOf } from '../../src/eval/families.ts';

describe('programme families', () => {
  it('derives a family from programme, identifier or source, else "other"', () => {
    expect(familyOf({ source: 'eu-ft', programme: 'Citizens, Equality, Rights and Values (CERV)' })).toBe(
      'CERV',
    );
    expect(familyOf({ source: 'eu-ft', identifier: 'HORIZON-CL5-2026-01-07' })).toBe('Horizon');
    expect(familyOf({ source: 'interreg', programme: 'Interreg North Sea 2021-2027' })).toBe('Interreg');
    expect(familyOf({ source: 'eu-ft', programme: 'Erasmus+ Key Action 2' })).toBe('Erasmus+');
    expect(familyOf({ source: 'skew', programme: 'Kommunale Klimapartnerschaften' })).toBe('SKEW');
    expect(familyOf({ source: 'foerderdatenbank', programme: 'Kommunalrichtlinie' })).toBe(
      'BMZ/Förderdatenbank',
    );
    expect(familyOf({ source: 'import', programme: 'Stiftung Mercator – Förderlinie Europa' })).toBe('other');
  });

  it('finds the families a rule names in its condition values', () => {
    const conditions = {
      any: [
        { fact: 'programme', operator: 'containsAny', value: ['LIFE', 'Interreg Europe'] },
        { fact: 'text', operator: 'containsAny', value: ['town twinning'] },
      ],
    };
    expect(familiesNamed(conditions).sort()).toEqual(['Interreg', 'LIFE']);
    expect(familiesNamed({ fact: 'text', operator: 'containsAny', value: ['Ostsee*'] })).toEqual([]);
  });
});
