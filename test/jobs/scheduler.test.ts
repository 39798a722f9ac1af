import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { Scheduler } from '../../src/jobs/scheduler.ts';

describe('Scheduler', () => {
  it('never runs a job twice at once and aborts in-flight work on stop', async () => {
    const s = new Scheduler(pino({ level: 'silent' }));
    let runs = 0;
    let sawAbort = false;
    const job = {
      name: 'slow',
      cron: '0 5 * * *',
      run: (signal: AbortSignal) =>
        new Promise<void>((resolve) => {
          runs++;
          signal.addEventListener('abort', () => {
            sawAbort = true;
            resolve();
          });
        }),
    };
    s.add(job);
    expect(s.nextRun('slow')).toBeInstanceOf(Date);
    const first = s.trigger(job);
    expect(await s.trigger(job)).toBe(false);
    await s.stop();
    expect(await first).toBe(true);
    expect(runs).toBe(1);
    expect(sawAbort).toBe(true);
  });

  it('rejects an invalid cron expression', () => {
    const s = new Scheduler(pino({ level: 'silent' }));
    expect(() => s.add({ name: 'x', cron: 'every day', run: async () => {} })).toThrow(/Invalid cron/);
  });
});
