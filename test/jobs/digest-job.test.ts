import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { registerJobs } from '../../src/jobs/register.ts';
import { Scheduler } from '../../src/jobs/scheduler.ts';
import { useTestContext } from '../helpers/context.ts';

describe('digest job', () => {
  const makeCtx = useTestContext();

  it('is scheduled at DIGEST_CRON in Europe/Berlin (default 07:00, after the 06:15 re-match)', async () => {
    const scheduler = new Scheduler(pino({ level: 'silent' }));
    registerJobs(makeCtx(), scheduler);
    const at = (name: string) =>
      new Intl.DateTimeFormat('de-DE', {
        timeZone: 'Europe/Berlin',
        hour: '2-digit',
        minute: '2-digit',
      }).format(scheduler.nextRun(name) as Date);
    expect(at('digest')).toBe('07:00');
    expect(at('match:daily')).toBe('06:15');
    await scheduler.stop();
  });
});
