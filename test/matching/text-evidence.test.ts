import { describe, expect, it } from 'vitest';
import { callFacts } from '../../src/matching/facts.ts';
import { engine, importCall, now } from './real-rules.ts';

/**
 * Failure class "ranking within the top 20": function words and call boilerplate are no text
 * evidence, and evidence in the title or programme weighs more than in the description.
 */
const idx = (t: string) => engine.targetIndex.get(t)!.index;
const facts = (c: ReturnType<typeof importCall>) => callFacts(c, engine.city, { now });

describe('text evidence', () => {
  it('leaves out function words, boilerplate and years ("Jahre", "beitragen", "bzw", "BMZ")', () => {
    const call = importCall({
      id: 'boiler',
      source: 'bmz',
      programme: 'Förderprogramm des Bundes',
      title: 'Förderung von Vorhaben, die in den kommenden Jahren zur Umsetzung beitragen',
      summary:
        'Gefördert werden Vorhaben bzw. Projekte, die über drei Jahre zu den Zielen des BMZ beitragen; ' +
        'Anträge für 2027 sind bis zum Jahresende einzureichen.',
    });
    const f = facts(call);
    for (const target of ['agenda-2030', 'stadtverwaltung', 'staedtepartnerschaften', 'wirtschaft']) {
      const words = engine.textTerms(f, idx(target), 50).map((t) => t.term);
      for (const w of ['jahren', 'jahre', 'beitragen', 'bzw', 'bmz', 'den', 'die', '2027'])
        expect(words, `${target}: ${words.join(', ')}`).not.toContain(w);
    }
  });

  it('weights evidence in the title above the same evidence in the description', () => {
    const base = { programme: 'Förderfonds Europa', applicants: 'Kommunen' };
    const inTitle = importCall({
      ...base,
      id: 'title',
      title: 'Städtepartnerschaften und Bürgerbegegnungen',
      summary: 'Zuschüsse für Reisen und Treffen.',
    });
    const inText = importCall({
      ...base,
      id: 'text',
      title: 'Zuschüsse für Reisen und Treffen',
      summary: 'Städtepartnerschaften und Bürgerbegegnungen.',
    });
    const t = idx('staedtepartnerschaften');
    expect(engine.bm25(facts(inTitle), t)).toBeGreaterThan(engine.bm25(facts(inText), t) * 1.5);
  });
});
