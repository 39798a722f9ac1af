import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertCall } from '../../src/calls/store.ts';
import type { AppContext } from '../../src/context.ts';
import { runDigests } from '../../src/digest/send.ts';
import { createSubscriber } from '../../src/digest/subscribers.ts';
import { sampleCall } from '../helpers/calls.ts';
import { useTestContext } from '../helpers/context.ts';
import { insertMatch } from '../helpers/matches.ts';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';

describe('the digest names the funding gaps of each followed action field (real SMTP)', () => {
  const makeCtx = useTestContext();
  let ctx: AppContext;
  let smtp: TestSmtpServer;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    ctx = makeCtx({ SMTP_URL: smtp.url });
    const soon = new Date(Date.now() + 20 * 86_400_000).toISOString();
    upsertCall(
      ctx.dbh.db,
      sampleCall({ deadlines: [{ at: soon, timeZone: 'Europe/Brussels', raw: soon, stage: 'single' }] }),
    );
    // Ostseeraum has 5 measures; 2 of them get a fitting call, one a call below the threshold.
    insertMatch(ctx, { callId: sampleCall().id, target: 'ostseeraum-1', score: 70 });
    insertMatch(ctx, { callId: sampleCall().id, target: 'ostseeraum-2', score: 45, eligibility: 'unclear' });
    insertMatch(ctx, { callId: sampleCall().id, target: 'ostseeraum-3', score: 20 });
    insertMatch(ctx, { callId: sampleCall().id, target: 'wirtschaft-2', score: 60 });
    createSubscriber(ctx, {
      name: 'Anna',
      email: 'anna@kiel.example',
      actionFields: ['ostseeraum'],
      measures: ['wirtschaft-1', 'wirtschaft-2'],
    });
    createSubscriber(ctx, {
      name: 'Erik',
      email: 'erik@kiel.example',
      language: 'en',
      measures: ['wirtschaft-2'],
    });
  });
  afterAll(async () => smtp.close());

  it('adds one line per followed field, counting only the followed measures of a field followed by measure', async () => {
    expect(await runDigests(ctx)).toMatchObject({ sent: 2 });
    const of = (to: string) => smtp.received.find((m) => m.envelope.to[0] === to)!;
    const de = of('anna@kiel.example');
    expect(de.parsed.text).toContain(
      'Förderlücken\n------------\nHandlungsfeld 3 Ostseeraum: 3 Maßnahmen ohne passenden Aufruf (12 Monate)\nHandlungsfeld 6 Wirtschaft: 1 Maßnahme ohne passenden Aufruf (12 Monate)',
    );
    expect(de.parsed.html).toContain(
      'Handlungsfeld 3 Ostseeraum: 3 Maßnahmen ohne passenden Aufruf (12 Monate)',
    );
    expect(of('erik@kiel.example').parsed.text).toContain(
      'Funding gaps\n------------\nAction field 6 Wirtschaft: the measure has a fitting call (12 months)',
    );
  });
});
