import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';

export interface JobDefinition {
  name: string;
  /** node-cron expression, evaluated in Europe/Berlin (the city's local time), never the host TZ. */
  cron: string;
  /** Receives an AbortSignal that fires on shutdown; long jobs must honour it. */
  run(signal: AbortSignal): Promise<unknown>;
}

export const LOCAL_TIME_ZONE = 'Europe/Berlin';

/**
 * Runs jobs on their schedules; a job never overlaps itself, and `stop()` aborts in-flight runs
 * and waits for them so the database can be closed afterwards.
 */
export class Scheduler {
  private readonly tasks = new Map<string, ScheduledTask>();
  private readonly running = new Map<string, Promise<unknown>>();
  private readonly abort = new AbortController();

  constructor(private readonly logger: Logger) {}

  add(job: JobDefinition): void {
    if (!cron.validate(job.cron))
      throw new Error(`Invalid cron expression for job ${job.name}: "${job.cron}"`);
    if (this.tasks.has(job.name)) throw new Error(`Job ${job.name} is already scheduled`);
    const task = cron.schedule(job.cron, () => void this.trigger(job), {
      timezone: LOCAL_TIME_ZONE,
      name: job.name,
    });
    this.tasks.set(job.name, task);
    this.logger.info({ job: job.name, cron: job.cron, timezone: LOCAL_TIME_ZONE }, 'job scheduled');
  }

  /** Runs a job now unless it is already running; returns false when it was skipped. */
  async trigger(job: JobDefinition): Promise<boolean> {
    if (this.abort.signal.aborted) return false;
    if (this.running.has(job.name)) {
      this.logger.warn({ job: job.name }, 'job still running, this run is skipped');
      return false;
    }
    const started = Date.now();
    const p = job
      .run(this.abort.signal)
      .then(() => this.logger.info({ job: job.name, ms: Date.now() - started }, 'job finished'))
      .catch((err: unknown) => this.logger.error({ job: job.name, err }, 'job failed'))
      .finally(() => this.running.delete(job.name));
    this.running.set(job.name, p);
    await p;
    return true;
  }

  nextRun(name: string): Date | null {
    const task = this.tasks.get(name);
    return task?.getNextRun() ?? null;
  }

  get jobNames(): string[] {
    return [...this.tasks.keys()];
  }

  async stop(): Promise<void> {
    for (const task of this.tasks.values()) await task.stop();
    this.abort.abort();
    await Promise.allSettled(this.running.values());
  }
}
