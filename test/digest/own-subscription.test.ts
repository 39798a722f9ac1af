import { beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/auth/tokens.ts';
import type { AppContext } from '../../src/context.ts';
import {
  ownSubscriber,
  subscriberFor,
  subscribeSelf,
  updateSubscription,
} from '../../src/digest/own-subscription.ts';
import { listSubscribers } from '../../src/digest/subscribers.ts';
import { useTestContext } from '../helpers/context.ts';

describe("a person's own digest subscription", () => {
  const makeCtx = useTestContext();
  let ctx: AppContext;
  beforeAll(() => {
    ctx = makeCtx();
  });
  const person = (name: string, role: 'reader' | 'admin' = 'reader') => {
    const t = createToken(ctx.dbh.db, { name, role });
    return { id: t.id, name, role };
  };

  it('links one subscription to the token; a second is refused and nothing is stored', () => {
    const p = person('Ana');
    const row = subscribeSelf(ctx, p, {
      name: 'Ana',
      email: 'ana@kiel.example',
      actionFields: ['ostseeraum'],
    });
    expect(ownSubscriber(ctx, p.id)?.id).toBe(row.id);
    expect(() =>
      subscribeSelf(ctx, p, { name: 'Ana', email: 'ana2@kiel.example', actionFields: ['ostseeraum'] }),
    ).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    expect(listSubscribers(ctx).filter((s) => s.email === 'ana2@kiel.example')).toEqual([]);
  });

  it('rolls back the subscriber row when the input is invalid', () => {
    const p = person('Ben');
    expect(() => subscribeSelf(ctx, p, { name: 'Ben', email: 'nope', actionFields: [] })).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
    expect(ownSubscriber(ctx, p.id)).toBeUndefined();
  });

  it('lets a reader change only their own; an administrator any', () => {
    const owner = person('Cem');
    const row = subscribeSelf(ctx, owner, {
      name: 'Cem',
      email: 'cem@kiel.example',
      measures: ['ostseeraum-1'],
    });
    const other = person('Dora');
    expect(() => subscriberFor(ctx, other, row.id)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(() => updateSubscription(ctx, other, row.id, { active: false })).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN' }),
    );
    const admin = person('Eva', 'admin');
    expect(updateSubscription(ctx, admin, row.id, { cadence: 'daily' }).cadence).toBe('daily');
    expect(() => subscriberFor(ctx, admin, 99_999)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(updateSubscription(ctx, owner, row.id, { active: false }).active).toBe(false);
  });
});
