import { describe, expect, it } from 'vitest';
import { deadlineView, shownDeadline } from '../../src/calls/view.ts';
import type { Deadline } from '../../src/domain/call.ts';
import { daysLeft } from '../../src/domain/time.ts';

const deadline = (at: string, timeZone = 'Europe/Brussels'): Deadline => ({
  at,
  timeZone,
  raw: at,
  stage: 'single',
});

describe('deadline views', () => {
  it('shows both zones and counts Berlin days from the moment asked, also for the same deadline object', () => {
    const d = deadline('2026-09-17T15:00:00.000Z');
    const first = deadlineView(d, Date.parse('2026-09-16T10:00:00Z'));
    expect(first).toMatchObject({
      local: '2026-09-17T17:00:00+02:00',
      berlin: '2026-09-17T17:00:00+02:00',
      daysLeft: 1,
    });
    // Kept views must follow the clock: 21:59 UTC is still the 16th in Berlin, 22:00 UTC the 17th.
    expect(deadlineView(d, Date.parse('2026-09-16T21:59:00Z')).daysLeft).toBe(1);
    expect(deadlineView(d, Date.parse('2026-09-16T22:00:00Z')).daysLeft).toBe(0);
    expect(deadlineView(d, Date.parse('2026-09-18T08:00:00Z')).daysLeft).toBe(-1);
    expect(deadlineView(d, Date.parse('2026-09-16T10:00:00Z')).daysLeft).toBe(1);
  });

  it('counts days as daysLeft does across clock changes, hour by hour', () => {
    const d = deadline('2026-10-26T10:00:00.000Z', 'America/New_York');
    for (let h = 0; h < 24 * 4; h++) {
      const now = Date.parse('2026-10-23T00:00:00Z') + h * 3_600_000 + 7 * 60_000;
      expect(deadlineView(d, now).daysLeft).toBe(daysLeft(Date.parse(d.at), now));
    }
    expect(deadlineView(d, 0).local).toBe('2026-10-26T06:00:00-04:00');
  });

  it('shows the next deadline ahead, else the last one, whatever their stored order', () => {
    const a = deadline('2026-03-01T10:00:00Z');
    const b = deadline('2026-06-01T10:00:00Z');
    const c = deadline('2026-09-01T10:00:00Z');
    const call = { deadlines: [c, a, b] };
    expect(shownDeadline(call, Date.parse('2026-01-01T00:00:00Z'))).toBe(a);
    expect(shownDeadline(call, Date.parse('2026-04-01T00:00:00Z'))).toBe(b);
    expect(shownDeadline(call, Date.parse('2026-10-01T00:00:00Z'))).toBe(c);
    expect(shownDeadline({ deadlines: [] }, 0)).toBeUndefined();
  });
});
