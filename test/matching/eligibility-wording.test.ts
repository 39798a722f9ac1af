import { describe, expect, it } from 'vitest';
import { importCall, positions, verdict } from './real-rules.ts';

/**
 * Failure class "eligibility read too eagerly": a hard exclusion needs explicit restrictive
 * words or an applicant list without any general or public category; unclear wording keeps
 * the call listed as "Antragsberechtigung unklar – bitte prüfen", below clear calls of the
 * same fit; a programme area containing Kiel overrides vague applicant wording.
 */
const unclear = 'Antragsberechtigung unklar – bitte prüfen';

const exchangeFund = {
  id: 'nordlicht-austausch',
  programme: 'Nordlicht-Stiftung – Fonds für europäischen Austausch',
  title: 'Förderfonds Europäische Nachbarschaft: Austausch mit Frankreich und Polen',
  summary:
    'Gefördert werden Begegnungs- und Kooperationsprojekte mit Partnern in Frankreich und Polen, ' +
    'die den Austausch über Klimaanpassung und Stadtentwicklung stärken.',
};

describe('eligibility wording', () => {
  it('a list that names companies among other actors is not companies-only: unclear, not excluded', () => {
    const call = importCall({
      ...exchangeFund,
      applicants: 'Akteure, Organisationen und Unternehmen aus dem Ostseeraum',
    });
    const v = verdict(call, 'staedtepartnerschaften');
    expect(v.eligibility).toBe('unclear');
    expect(v.exclusions).toEqual([]);
    expect(v.unclear.map((u) => u.reason)).toContain(unclear);
    expect(v.unclear.map((u) => u.reasonEn)).toContain('Eligibility unclear – please check');
    expect(v.reason).toContain(unclear);
  });

  it("a citizens' micro-project fund open to institutions is not closed to the city", () => {
    const call = importCall({
      id: 'buergerfonds-nachbarn',
      programme: 'Bürgerfonds Nachbarschaft (Landesstiftung)',
      title: 'Bürgerfonds: Kleinprojekte für Begegnungen mit Partnerstädten',
      summary: 'Kleinprojekte für Begegnungen zwischen Menschen aus Partnerstädten in Frankreich und Polen.',
      applicants: 'Bürger, Vereine, Schulen und Institutionen',
    });
    const v = verdict(call, 'staedtepartnerschaften');
    expect(v.eligibility).toBe('unclear');
    expect(v.exclusions).toEqual([]);
  });

  it('explicit restrictive words still exclude, also when other applicants are named as partners', () => {
    const only = importCall({
      ...exchangeFund,
      id: 'nur-kmu',
      applicants:
        'Antragsberechtigt sind ausschließlich kleine und mittlere Unternehmen; Hochschulen und Verbände können Kooperationspartner sein',
    });
    expect(verdict(only, 'staedtepartnerschaften').eligibility).toBe('excluded');
    const list = importCall({
      ...exchangeFund,
      id: 'firms',
      applicants: 'Companies and start-ups registered in the EU',
    });
    expect(verdict(list, 'staedtepartnerschaften').eligibility).toBe('excluded');
  });

  it('a programme area containing Kiel overrides vague applicant wording', () => {
    const call = importCall({
      id: 'dk-de-fonds',
      programme: 'Interreg Deutschland-Danmark 2021-2027',
      title: 'Projekte für grenzüberschreitende Zusammenarbeit in der Energiewende',
      summary: 'Deutsch-dänische Partnerschaften entwickeln gemeinsame Lösungen für die Wärmewende.',
      applicants: 'Akteure, Organisationen und Unternehmen aus dem Programmgebiet',
    });
    expect(verdict(call, 'ostseeraum').eligibility).toBe('eligible');
  });

  it('ranks an unclear call below a clear one of the same fit', () => {
    const clear = importCall({
      ...exchangeFund,
      id: 'clear',
      applicants: 'Kommunen, Vereine und Organisationen',
    });
    const vague = importCall({
      ...exchangeFund,
      id: 'vague',
      applicants: 'Akteure, Organisationen und Unternehmen',
    });
    const pos = positions([vague, clear], 'staedtepartnerschaften');
    expect(pos.get(clear.id)).toBe(1);
    expect(pos.get(vague.id)).toBe(2);
  });
});
