import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { callSummaryOut, explainedMatchOut } from '../../src/api/schemas.ts';
import { fastSerializerCompiler } from '../../src/api/serialize.ts';

const deadline = {
  at: '2026-09-17T15:00:00.000Z',
  timeZone: 'Europe/Brussels',
  local: '2026-09-17T17:00:00+02:00',
  berlin: '2026-09-17T17:00:00+02:00',
  daysLeft: 12,
  stage: 'single',
  raw: '17 September 2026 17:00:00 Brussels time',
};

const summary = {
  id: 'foerderdatenbank:städtepartnerschaft-"zitat"',
  source: 'foerderdatenbank',
  programme: null,
  identifier: 'CERV-2026-CITIZENS-TOWN-TT',
  title: 'Städtepartnerschaften – Begegnungen\nmit "Anführungszeichen" und \\ Backslash \u2028',
  summary: 'Fördert Bürgerbegegnungen 🇪🇺 zwischen Partnerstädten.',
  url: null,
  language: 'de',
  status: 'open',
  nextDeadline: { ...deadline, label: 'Stufe 1', internal: 'not in the schema' },
  fundingRate: 0.9,
  budget: { currency: 'EUR', total: 1_500_000, raw: undefined },
  relevance: null,
  match: { target: 'staedtepartnerschaften-1', score: 87.5, eligibility: 'eligible', reason: 'passt' },
  href: '/api/calls/foerderdatenbank%3Ast%C3%A4dtepartnerschaft',
  secret: 'a field the schema does not name is never written',
};

/** What validating with zod and then JSON.stringify would have sent. */
const viaZod = (schema: z.ZodType, data: unknown) => JSON.parse(JSON.stringify(schema.parse(data)));

describe('fast serializer of the list routes', () => {
  it('writes exactly what the zod schema describes (extra fields dropped, nulls and optionals kept as such)', () => {
    const list = z.object({
      items: z.array(callSummaryOut),
      total: z.number().int(),
      next: z.string().nullable(),
    });
    const data = {
      items: [
        summary,
        { ...summary, id: 'eu-ft:X', nextDeadline: null, budget: null, match: null, relevance: 3.25 },
      ],
      total: 2,
      next: null,
    };
    const text = fastSerializerCompiler({ schema: list })(data);
    expect(JSON.parse(text)).toEqual(viaZod(list, data));
    expect(text).not.toContain('secret');
    expect(text).not.toContain('internal');
  });

  it('writes free-form explanations as they are', () => {
    const match = {
      callId: 'eu-ft:X',
      target: 'ostseeraum',
      targetKind: 'action-field',
      score: 61,
      eligibility: 'unclear',
      reason: 'Kommune? unklar',
      reasonEn: 'Eligibility unclear',
      explanation: {
        reasonEn: 'Fits',
        rules: [{ id: 'r1', points: 20 }],
        unclear: ['applicants'],
        text: null,
      },
      ruleVersion: 3,
      matchedAt: '2026-05-01T05:00:00.000Z',
    };
    const text = fastSerializerCompiler({ schema: explainedMatchOut })(match);
    expect(JSON.parse(text)).toEqual(viaZod(explainedMatchOut, match));
  });
});
