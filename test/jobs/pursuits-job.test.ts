import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { registerJobs } from '../../src/jobs/register.ts';
import { Scheduler } from '../../src/jobs/scheduler.ts';
import { useTestContext } from '../helpers/context.ts';

describe('pursuits job', () => {
  const makeCtx = useTestContext();

  it('runs at PURSUIT_CRON in Europe/Berlin (default 20 minutes past every hour)', async () => {
    const minute = async (env: NodeJS.ProcessEnv) => {
      const scheduler = new Scheduler(pino({ level: 'silent' }));
      registerJobs(makeCtx(env), scheduler);
      const next = scheduler.nextRun('pursuits') as Date;
      await scheduler.stop();
      return new Intl.DateTimeFormat('de-DE', {
        timeZone: 'Europe/Berlin',
        hour: '2-digit',
        minute: '2-digit',
      })
        .format(next)
        .slice(3);
    };
    expect(await minute({})).toBe('20');
    expect(await minute({ PURSUIT_CRON: '45 7 * * *' })).toBe('45');
  });
});
