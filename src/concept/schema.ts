import { z } from 'zod';
import { goalPotentials } from '../domain/enums.ts';

const key = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected a lower-case kebab key such as "ostseeraum"');
const country = z.string().regex(/^[A-Z]{2}$/, 'expected an ISO 3166-1 alpha-2 code such as "DK"');

export const measureSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+-\d+$/, 'expected <field-key>-<n>'),
  number: z.number().int().positive(),
  text: z.string().min(3),
});

export const actionFieldSchema = z.object({
  key,
  number: z.number().int().positive(),
  name: z.string().min(2),
  description: z.string().min(10),
  goalReference: z.string().default(''),
  goalPotential: z.record(z.string(), z.enum(goalPotentials)),
  measures: z.array(measureSchema).min(1),
});

export const conceptSchema = z
  .object({
    version: z.number().int().positive(),
    document: z.object({
      title: z.string().min(1),
      subtitle: z.string().optional(),
      publisher: z.string().min(1),
      year: z.number().int().optional(),
    }),
    city: z.object({
      name: z.string().min(1),
      shortName: z.string().min(1),
      type: z.literal('municipality'),
      country,
      region: z.string().min(1),
      nuts: z.array(z.string().regex(/^[A-Z]{2}[A-Z0-9]{0,3}$/, 'expected a NUTS code such as DEF02')),
    }),
    overarchingGoals: z
      .array(
        z.object({ key, name: z.string().min(1), shortName: z.string().min(1), description: z.string() }),
      )
      .min(1),
    strategicGoals: z.array(z.object({ key, name: z.string().min(1) })),
    actionFields: z.array(actionFieldSchema).min(1),
    partnerCities: z.array(
      z.object({
        name: z.string().min(1),
        country,
        countryName: z.string().min(1),
        since: z.number().int().min(1900).max(2100),
      }),
    ),
    friendCities: z.array(
      z.object({
        name: z.string().min(1),
        country,
        countryName: z.string().min(1),
        note: z.string().optional(),
      }),
    ),
    networks: z.array(
      z.object({
        key,
        name: z.string().min(1),
        fullName: z.string().optional(),
        membership: z.enum(['member', 'considered']),
      }),
    ),
    futurePartnerCities: z
      .array(z.object({ name: z.string().min(1), country, countryName: z.string().min(1) }))
      .default([]),
  })
  .superRefine((c, ctx) => {
    const goalKeys = new Set(c.overarchingGoals.map((g) => g.key));
    const seenFields = new Set<string>();
    const seenMeasures = new Set<string>();
    c.actionFields.forEach((f, fi) => {
      if (seenFields.has(f.key)) {
        ctx.addIssue({
          code: 'custom',
          path: ['actionFields', fi, 'key'],
          message: `duplicate key "${f.key}"`,
        });
      }
      seenFields.add(f.key);
      for (const g of Object.keys(f.goalPotential)) {
        if (!goalKeys.has(g)) {
          ctx.addIssue({
            code: 'custom',
            path: ['actionFields', fi, 'goalPotential', g],
            message: `unknown overarching goal "${g}"`,
          });
        }
      }
      f.measures.forEach((m, mi) => {
        if (m.id !== `${f.key}-${m.number}`) {
          ctx.addIssue({
            code: 'custom',
            path: ['actionFields', fi, 'measures', mi, 'id'],
            message: `expected "${f.key}-${m.number}", got "${m.id}"`,
          });
        }
        if (seenMeasures.has(m.id)) {
          ctx.addIssue({
            code: 'custom',
            path: ['actionFields', fi, 'measures', mi, 'id'],
            message: `duplicate id "${m.id}"`,
          });
        }
        seenMeasures.add(m.id);
      });
    });
  });

export type Concept = z.infer<typeof conceptSchema>;
export type ActionField = z.infer<typeof actionFieldSchema>;
export type Measure = z.infer<typeof measureSchema>;
