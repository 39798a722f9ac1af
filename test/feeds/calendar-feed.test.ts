import { XMLParser, XMLValidator } from 'fast-xml-parser';
import ical, { type VEvent } from 'node-ical';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../src/app.ts';
import { createToken } from '../../src/auth/tokens.ts';
import { upsertCall } from '../../src/calls/store.ts';
import type { AppContext } from '../../src/context.ts';
import type { Call } from '../../src/domain/call.ts';
import { sampleCall } from '../helpers/calls.ts';
import { useTestContext } from '../helpers/context.ts';
import { insertMatch } from '../helpers/matches.ts';

const hostile = '<script>alert(1)</script> & "Partner" ]]>';

function call(id: string, overrides: Partial<Call> = {}): Call {
  return sampleCall({ id: `eu-ft:${id}`, sourceId: id, identifier: id, title: `Call ${id}`, ...overrides });
}

function events(text: string): VEvent[] {
  return Object.values(ical.sync.parseICS(text)).filter((c): c is VEvent => c?.type === 'VEVENT');
}

describe('calendar (ICS) and Atom feed', () => {
  const makeCtx = useTestContext();
  let app: App;
  let ctx: AppContext;
  let token: string;

  beforeAll(async () => {
    ctx = makeCtx({ PUBLIC_BASE_URL: 'https://foerdermatch.example.org' });
    app = await buildApp(ctx.config, { context: ctx });
    token = createToken(ctx.dbh.db, { name: 'calendar', role: 'reader' }).token;
    const db = ctx.dbh.db;
    upsertCall(
      db,
      call('TWO-STAGE', {
        title: 'Two-stage call',
        deadlines: [
          // 17:00 in Brussels in winter (CET) and in summer (CEST).
          {
            at: '2027-01-14T16:00:00.000Z',
            timeZone: 'Europe/Brussels',
            raw: '14 January 2027 17:00:00 Brussels time',
            stage: 'sketch',
            label: 'Projektskizze',
          },
          {
            at: '2027-06-10T15:00:00.000Z',
            timeZone: 'Europe/Brussels',
            raw: '10 June 2027 17:00:00 Brussels time',
            stage: 'full-application',
          },
        ],
      }),
    );
    upsertCall(
      db,
      call('BERLIN', {
        title: hostile,
        url: 'https://www.foerderdatenbank.de/x',
        deadlines: [
          {
            at: '2027-03-31T21:59:00.000Z',
            timeZone: 'Europe/Berlin',
            raw: '31.03.2027 23:59',
            stage: 'single',
          },
        ],
      }),
    );
    upsertCall(db, call('CLOSED', { status: 'closed' }));
    upsertCall(db, call('OTHER-FIELD', { title: 'Only China' }));
    insertMatch(ctx, { callId: 'eu-ft:TWO-STAGE', target: 'staedtepartnerschaften', score: 80 });
    insertMatch(ctx, { callId: 'eu-ft:BERLIN', target: 'ostseeraum-2', score: 55, eligibility: 'unclear' });
    insertMatch(ctx, { callId: 'eu-ft:CLOSED', target: 'staedtepartnerschaften', score: 99 });
    insertMatch(ctx, { callId: 'eu-ft:OTHER-FIELD', target: 'chinastrategie', score: 90 });
  });
  afterAll(async () => app.close());

  it('serves one event per deadline of matching open calls at the right instants, with VTIMEZONEs and alarms', async () => {
    const r = await app.inject({
      url: `/api/calendar.ics?actionField=staedtepartnerschaften&measure=ostseeraum-2&token=${token}`,
    });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/calendar; charset=utf-8');
    const ev = events(r.body).sort((a, b) => a.start.getTime() - b.start.getTime());
    expect(ev.map((e) => e.start.toISOString())).toEqual([
      '2027-01-14T16:00:00.000Z', // 17:00 CET
      '2027-03-31T21:59:00.000Z', // 23:59 CEST in Berlin
      '2027-06-10T15:00:00.000Z', // 17:00 CEST
    ]);
    expect(ev.map((e) => (e.start as Date & { tz?: string }).tz)).toEqual([
      'Europe/Brussels',
      'Europe/Berlin',
      'Europe/Brussels',
    ]);
    expect(r.body).toContain('DTSTART;TZID=Europe/Brussels:20270114T170000');
    expect(r.body).toContain('DTSTART;TZID=Europe/Brussels:20270610T170000');
    expect(r.body).toMatch(/BEGIN:VTIMEZONE\r\nTZID:Europe\/Brussels/);
    expect(r.body).toMatch(/BEGIN:VTIMEZONE\r\nTZID:Europe\/Berlin/);
    expect(r.body.match(/TRIGGER;RELATED=START:-P14D|TRIGGER:-P14D/g)).toHaveLength(3);
    expect(r.body.match(/TRIGGER;RELATED=START:-P2D|TRIGGER:-P2D/g)).toHaveLength(3);
    expect(ev[0]?.summary).toBe('Frist / Deadline: Two-stage call (Projektskizze)');
    expect(ev[1]?.summary).toBe(`Frist / Deadline: ${hostile}`);
    expect(r.body).not.toContain('Only China');
    expect(r.body).not.toContain('Call CLOSED');
  });

  it('keeps UIDs stable so a moved deadline replaces its event', async () => {
    const url = `/api/calendar.ics?actionField=staedtepartnerschaften&token=${token}`;
    const before = events((await app.inject({ url })).body);
    upsertCall(
      ctx.dbh.db,
      call('TWO-STAGE', {
        title: 'Two-stage call',
        deadlines: [
          {
            at: '2027-01-21T16:00:00.000Z',
            timeZone: 'Europe/Brussels',
            raw: '21 January 2027',
            stage: 'sketch',
            label: 'Projektskizze',
          },
          {
            at: '2027-06-10T15:00:00.000Z',
            timeZone: 'Europe/Brussels',
            raw: '10 June 2027',
            stage: 'full-application',
          },
        ],
      }),
    );
    const after = events((await app.inject({ url })).body);
    expect(after.map((e) => e.uid).sort()).toEqual(before.map((e) => e.uid).sort());
    const uid = 'deadline-eu-ft%3ATWO-STAGE-0@foerdermatch.example.org';
    expect(before.find((e) => e.uid === uid)?.start.toISOString()).toBe('2027-01-14T16:00:00.000Z');
    expect(after.find((e) => e.uid === uid)?.start.toISOString()).toBe('2027-01-21T16:00:00.000Z');
  });

  it('needs a token (query or header) and rejects unknown filters', async () => {
    expect((await app.inject({ url: '/api/calendar.ics' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/feed.atom?token=fm_wrong' })).statusCode).toBe(401);
    const bad = await app.inject({ url: `/api/calendar.ics?actionField=mars&token=${token}` });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toEqual({
      path: 'querystring.actionField',
      message: 'unknown action field "mars"',
    });
  });

  it('serves new matches as well-formed Atom with escaped titles and no token in its links', async () => {
    const r = await app.inject({
      url: `/api/feed.atom?actionField=staedtepartnerschaften,befreundete-staedte&measure=ostseeraum-2&token=${token}`,
    });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    expect(XMLValidator.validate(r.body)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false }).parse(r.body);
    const entries = [doc.feed.entry].flat();
    expect(entries).toHaveLength(2);
    // Titles are type="html": what a reader renders is the HTML-decoded text, never markup.
    const titles = entries.map((e: { title: { '#text': string; '@_type': string } }) => {
      expect(e.title['@_type']).toBe('html');
      return e.title['#text'];
    });
    expect(titles).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Partner&quot; ]]&gt;');
    expect(titles).toContain('Two-stage call');
    expect(r.body).not.toContain('<script>');
    expect(entries.map((e: { id: string }) => e.id).sort()).toEqual([
      'tag:foerdermatch.example.org,2026:call/eu-ft%3ABERLIN',
      'tag:foerdermatch.example.org,2026:call/eu-ft%3ATWO-STAGE',
    ]);
    expect(r.body).not.toContain(token);
  });
});
