/**
 * Journey 2 (docs: /work/shared/guides/journeys.md): appointment booking
 * from a "Book on WhatsApp" link / QR code, end to end on loopback — the
 * example project `examples/journeys/2-appointment-booking/` served by the
 * real server (its handlers module computing the calendar and the free
 * times), the Graph emulator, scripted virtual phones and the SQL sink
 * writing into a temporary SQLite file.
 *
 * The visitor's path: the clinic's site shows the link of
 * `GET /api/flows/clinic-booking/link`; the phone sends the link's
 * pre-filled text; the keyword entry point answers with the flow; the
 * phone tries a past or closed day first (the date picker refuses it), then
 * books; the endpoint answers the times of the chosen day, confirms, and the
 * booking becomes exactly one row in the clinic's table.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BOOKING_FLOW_ID, calendar, createClinicHandlers, memoryBook, openingSlots,
} from '../../../examples/journeys/2-appointment-booking/handlers.js';
import type { PhoneScripts } from '../../../src/emulator/phones/phone-script.js';
import { createHandlerRegistry, type FlowHandler, type FlowHandlers, type FlowRequestContext, type HandlerResult } from '../../../src/services/flow-handlers.js';
import { ensureSubmissionTable, type SubmissionRow, type SubmissionTables } from '../../../src/sinks/sql/submission-table.js';
import { createDatabase, type StoreDatabase } from '../../../src/store/create-database.js';
import { JOURNEY_API_KEY, startJourney, waitFor, type Journey } from './journey-kit.js';

const PROJECT = 'examples/journeys/2-appointment-booking/flowbridge.yaml';
const BUSINESS_PHONE = '15550009999';
/** A Monday; the clinic books from tomorrow, four weeks ahead, closed on Sundays and on HOLIDAY. */
const TODAY = '2026-03-02';
const HOLIDAY = '2026-03-10';
const SATURDAY = '2026-03-07';
const WEDNESDAY = '2026-03-04';
const SUNDAY = '2026-03-08';

const ANN = '15551000201';
const BOB = '15551000202';
const CARA = '15551000203';
const DAN = '15551000204';
const ERIN = '15551000205';

const scripts: PhoneScripts = {
  phones: {
    // Tries yesterday first, then books Saturday 11:30.
    [ANN]: { invalidFirst: { screen: 'BOOK', answers: { date: '2026-03-01' } }, answers: { BOOK: { service: 'dental', date: SATURDAY }, SLOT: { slot: '11:30', full_name: 'Ann Lee', phone: '+31612345678' } } },
    // Tries a Sunday first, then books Wednesday 16:00.
    [BOB]: { invalidFirst: { screen: 'BOOK', answers: { date: SUNDAY } }, answers: { BOOK: { service: 'checkup', date: WEDNESDAY }, SLOT: { slot: '16:00', full_name: 'Bob Stone', phone: '+447700900123' } } },
    // Tries the holiday first, sees the times of Wednesday and leaves.
    [CARA]: { invalidFirst: { screen: 'BOOK', answers: { date: HOLIDAY } }, answers: { BOOK: { service: 'vaccine', date: WEDNESDAY } }, abandonAt: 'SLOT' },
    // Gets the flow and never opens it.
    [DAN]: { open: false },
    // Books after the clinic's table broke (the last test).
    [ERIN]: { answers: { BOOK: { service: 'vaccine', date: WEDNESDAY }, SLOT: { slot: '09:00', full_name: 'Erin Park', phone: '+12025550143' } } },
  },
};

interface Exchange {
  readonly flowToken: string;
  readonly action: string;
  readonly screen: string | undefined;
  readonly result: HandlerResult;
}

/** The clinic's handlers, recording every answer of the endpoint. */
function recorded(handlers: FlowHandlers, log: Exchange[]): FlowHandlers {
  const wrap = (h: FlowHandler | undefined): FlowHandler | undefined => h && (async (ctx: FlowRequestContext) => {
    const result = await h(ctx);
    log.push({ flowToken: ctx.flowToken, action: ctx.action, screen: ctx.screen, result });
    return result;
  });
  const screens = Object.fromEntries(Object.entries(handlers.screens ?? {}).map(([id, s]) => [id, { data_exchange: wrap(s.data_exchange) }]));
  return { INIT: wrap(handlers.INIT), screens };
}

const exchanges: Exchange[] = [];
const book = memoryBook();
const clinic = createClinicHandlers({ today: () => TODAY, holidays: [HOLIDAY], bookings: book });
let dir: string;
let bookings: StoreDatabase;
let journey: Journey;
let link: { flowId: string; keyword: string; phone: string; url: string };
const tokens = new Map<string, string>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fb-j2-'));
  const registry = createHandlerRegistry();
  registry.register(BOOKING_FLOW_ID, recorded(clinic, exchanges));
  journey = await startJourney({
    projectFile: PROJECT, scripts, handlers: registry,
    env: { BOOKINGS_DATABASE_URL: `sqlite:${join(dir, 'bookings.db')}` },
    config: { FLOWBRIDGE_BUSINESS_PHONE: BUSINESS_PHONE },
  });
  bookings = createDatabase(`sqlite:${join(dir, 'bookings.db')}`);
  const answer = await journey.api('GET', `/flows/${BOOKING_FLOW_ID}/link`);
  expect(answer.status).toBe(200);
  link = answer.json as typeof link;
  const text = new URL(link.url).searchParams.get('text') ?? '';
  for (const waId of [ANN, BOB, CARA, DAN]) {
    const { delivery } = await journey.sandbox.phones.sendText(waId, text);
    expect(delivery.ok).toBe(true);
  }
  await waitFor('every phone to finish its flow', async () => {
    await journey.settle();
    return [ANN, BOB, CARA, DAN].every((waId) => journey.sandbox.phones.outcomes.some((o) => o.waId === waId));
  });
  await journey.settle();
  for (const o of journey.sandbox.phones.outcomes) if (o.flowToken !== undefined) tokens.set(o.waId, o.flowToken);
  await waitFor('both bookings delivered', async () => {
    const { json } = await journey.api('GET', `/deliveries?flow=${BOOKING_FLOW_ID}&state=delivered`);
    return (json.deliveries as unknown[]).length === 2;
  });
}, 60_000);

afterAll(async () => {
  await journey?.close();
  await bookings?.close();
  rmSync(dir, { recursive: true, force: true });
});

const bookingRows = async (): Promise<SubmissionRow[]> => bookings.db.selectFrom('bookings' as never).selectAll().execute() as Promise<SubmissionRow[]>;
const outcome = (waId: string) => journey.sandbox.phones.outcomes.find((o) => o.waId === waId);
const slotScreen = (waId: string) => exchanges.find((e) => e.flowToken === tokens.get(waId) && e.screen === 'BOOK' && e.result.kind === 'next');

describe('journey 2: booking from a wa.me link / QR code', () => {
  it('the link opens a chat with the clinic whose pre-filled text is the flow keyword, and the QR code encodes it', async () => {
    expect(link).toEqual({ flowId: BOOKING_FLOW_ID, keyword: 'BOOK', phone: BUSINESS_PHONE, url: `https://wa.me/${BUSINESS_PHONE}?text=BOOK` });
    expect(new URL(link.url).searchParams.get('text')).toBe(journey.server.catalogue.get(BOOKING_FLOW_ID)?.entry.keyword);
    const qr = await fetch(`${journey.server.url}/api/flows/${BOOKING_FLOW_ID}/qr.svg`, { headers: { authorization: `Bearer ${JOURNEY_API_KEY}` } });
    expect(qr.status).toBe(200);
    expect(qr.headers.get('content-type')).toContain('image/svg+xml');
    expect(await qr.text()).toContain('<svg');
  });

  it('every phone that wrote the keyword got the flow, opened with the calendar of today', () => {
    for (const waId of [ANN, BOB, CARA, DAN]) expect(tokens.get(waId), waId).toBeDefined();
    const init = exchanges.find((e) => e.flowToken === tokens.get(ANN) && e.action === 'INIT');
    expect(init?.result).toMatchObject({ kind: 'next', screen: 'BOOK', data: { min_date: '2026-03-03', max_date: '2026-03-30' } });
    const closed = init?.result.kind === 'next' ? init.result.data.closed_dates : undefined;
    expect(closed).toEqual(['2026-03-08', HOLIDAY, '2026-03-15', '2026-03-22', '2026-03-29']);
  });

  it('the date picker refuses a past day, a Sunday and a holiday before anything reaches the endpoint', () => {
    for (const waId of [ANN, BOB, CARA]) {
      const result = outcome(waId)?.result;
      expect(result && 'invalidAttempt' in result ? result.invalidAttempt : undefined, waId).toMatchObject({ screen: 'BOOK', outcome: 'blocked' });
    }
    // No request of the endpoint ever carried a refused day.
    const asked = exchanges.filter((e) => e.screen === 'BOOK').map((e) => e.result.kind === 'next' ? e.result.data.date : 'refused');
    expect(asked.sort()).toEqual([WEDNESDAY, WEDNESDAY, SATURDAY].sort());
  });

  it('the endpoint refuses past and closed days on its own (a tampered client)', async () => {
    const ctx = (date: string) => ({ action: 'data_exchange', screen: 'BOOK', data: { service: 'checkup', date }, version: '4.0', flowToken: 't', session: {} }) as unknown as FlowRequestContext;
    const refuse = clinic.screens!.BOOK!.data_exchange!;
    expect(await refuse(ctx('2026-03-01'))).toMatchObject({ kind: 'error', fieldErrors: { date: expect.stringContaining('has passed') } });
    expect(await refuse(ctx(TODAY))).toMatchObject({ kind: 'error', fieldErrors: { date: expect.stringContaining('has passed') } });
    expect(await refuse(ctx(SUNDAY))).toMatchObject({ kind: 'error', fieldErrors: { date: expect.stringContaining('closed') } });
    expect(await refuse(ctx(HOLIDAY))).toMatchObject({ kind: 'error', fieldErrors: { date: expect.stringContaining('closed') } });
    expect(await refuse(ctx('2026-04-30'))).toMatchObject({ kind: 'error', fieldErrors: { date: expect.stringContaining('28 days ahead') } });
    expect(await refuse(ctx('2026-02-30'))).toMatchObject({ kind: 'error' });
  });

  it('the times offered depend on the chosen day', () => {
    const times = (waId: string) => {
      const r = slotScreen(waId)?.result;
      return r?.kind === 'next' ? (r.data.slots as Array<{ id: string }>).map((s) => s.id) : undefined;
    };
    expect(times(ANN)).toEqual([...openingSlots(SATURDAY, [])]);
    expect(times(ANN)).not.toContain('13:00');
    expect(times(BOB)).toContain('16:00');
    expect(times(BOB)!.length).toBeGreaterThan(times(ANN)!.length);
    expect(slotScreen(BOB)?.result).toMatchObject({ data: { day_label: 'Wednesday 4 March 2026' } });
  });

  it('each completed booking is confirmed on the success screen and is exactly one row, correlated to its session', async () => {
    expect(outcome(ANN)?.result).toMatchObject({ kind: 'completed', screens: ['BOOK', 'SLOT', 'CONFIRM'], response: { booking_ref: 'B-20260307-1130', flow_token: tokens.get(ANN) } });
    expect(outcome(BOB)?.result).toMatchObject({ kind: 'completed', response: { booking_ref: 'B-20260304-1600' } });
    const confirm = exchanges.find((e) => e.flowToken === tokens.get(ANN) && e.screen === 'SLOT')?.result;
    expect(confirm).toMatchObject({ kind: 'next', screen: 'CONFIRM', data: { summary: 'Dental cleaning on Saturday 7 March 2026 at 11:30 for Ann Lee' } });
    const rows = await bookingRows();
    expect(rows).toHaveLength(2);
    const byPhone = new Map(rows.map((r) => [r.contact_phone, r]));
    expect(byPhone.get(ANN)).toMatchObject({ flow_token: tokens.get(ANN), entry_point: 'keyword', form_id: BOOKING_FLOW_ID });
    expect(JSON.parse(byPhone.get(ANN)!.answers_json)).toEqual({ booking_ref: 'B-20260307-1130', service: 'dental', date: SATURDAY, slot: '11:30', full_name: 'Ann Lee', phone: '+31612345678' });
    expect(JSON.parse(byPhone.get(BOB)!.answers_json)).toMatchObject({ service: 'checkup', date: WEDNESDAY, slot: '16:00', full_name: 'Bob Stone' });
    expect(byPhone.get(BOB)!.flow_token).toBe(tokens.get(BOB));
  });

  it('a booked time is no longer offered', async () => {
    const next = await clinic.screens!.BOOK!.data_exchange!({ action: 'data_exchange', screen: 'BOOK', data: { service: 'checkup', date: SATURDAY }, version: '4.0', flowToken: 't', session: {} } as unknown as FlowRequestContext);
    expect(next.kind === 'next' && (next.data.slots as Array<{ id: string }>).map((s) => s.id)).toEqual(['09:00', '09:30', '10:00', '10:30', '11:00']);
    expect(book.isTaken(WEDNESDAY, '16:00')).toBe(true);
  });

  it('the funnel shows sent, opened, completed and where the others stopped', async () => {
    const { status, json } = await journey.api('GET', `/stats?flow=${BOOKING_FLOW_ID}`);
    expect(status).toBe(200);
    const [funnel] = json.flows as Array<Record<string, unknown>>;
    expect(funnel).toMatchObject({ flowId: BOOKING_FLOW_ID, sent: 4, opened: 3, completed: 2 });
    // Dan never opened it; Cara left on the screen of times.
    expect(funnel).toMatchObject({ inProgress: 2, droppedAt: [{ screen: null, sessions: 1 }, { screen: 'SLOT', sessions: 1 }] });
  });

  it('GET /api/deliveries lists one delivered job per booking and no failure', async () => {
    const { json } = await journey.api('GET', `/deliveries?flow=${BOOKING_FLOW_ID}`);
    const deliveries = json.deliveries as Array<Record<string, unknown>>;
    expect(deliveries).toHaveLength(2);
    for (const d of deliveries) expect(d).toMatchObject({ sink: 'bookings-table', sinkType: 'sql', state: 'delivered', attempts: 1, lastError: null });
  });

  it('no log line carries a patient name or phone number', () => {
    const logs = journey.logLines.join('\n');
    for (const answer of ['Ann Lee', 'Bob Stone', '+31612345678', '+447700900123', 'Dental cleaning']) expect(logs).not.toContain(answer);
  });

  it('whatever a client sends as day and time, the endpoint answers a bookable day and a free time or a clear error', async () => {
    const handlers = createClinicHandlers({ today: () => TODAY, holidays: [HOLIDAY] });
    const { minDate, maxDate, closed } = calendar(TODAY, [HOLIDAY], 28);
    const ctx = (screen: string, data: Record<string, unknown>) => ({ action: 'data_exchange', screen, data, version: '4.0', flowToken: 't', session: {} }) as unknown as FlowRequestContext;
    const day = fc.oneof(
      fc.integer({ min: -40, max: 70 }).map((n) => new Date(Date.parse(`${TODAY}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10)),
      fc.string(), fc.constantFrom('2026-02-30', '2026-13-01', '', '2026-3-4'), fc.anything(),
    );
    const slot = fc.oneof(fc.constantFrom('09:00', '11:30', '13:00', '16:30', '17:00'), fc.string(), fc.anything());
    await fc.assert(fc.asyncProperty(day, slot, fc.constantFrom('checkup', 'dental', 'x'), async (date, time, service) => {
      const picked = await handlers.screens!.BOOK!.data_exchange!(ctx('BOOK', { service, date }));
      if (picked.kind === 'next') {
        expect(typeof date === 'string' && date >= minDate && date <= maxDate && !closed.includes(date)).toBe(true);
        expect(service).not.toBe('x');
      } else expect(picked).toMatchObject({ kind: 'error', message: expect.any(String) });
      const slotted = await handlers.screens!.SLOT!.data_exchange!(ctx('SLOT', { service, date, slot: time, full_name: 'Ann Lee', phone: '+31612345678' }));
      if (slotted.kind === 'next') {
        expect(picked.kind).toBe('next');
        expect(openingSlots(String(date), [HOLIDAY])).toContain(time);
      } else expect(slotted.kind).toBe('error');
    }), { numRuns: 300 });
  });

  it('the calendar helpers agree with the flow: from tomorrow, closed on Sundays and holidays', () => {
    expect(calendar(TODAY, [], 7)).toEqual({ minDate: '2026-03-03', maxDate: '2026-03-09', closed: ['2026-03-08'] });
    expect(openingSlots(SUNDAY, [])).toEqual([]);
    expect(openingSlots(HOLIDAY, [HOLIDAY])).toEqual([]);
  });

  it('a booking the clinic table refuses is listed with the reason, and lands once after the fix and a replay', async () => {
    // The clinic's table is replaced by one with other columns (a migration gone wrong).
    await sql`drop table bookings`.execute(bookings.db);
    await sql`create table bookings (id integer primary key, patient text)`.execute(bookings.db);
    expect((await journey.sandbox.phones.sendText(ERIN, link.keyword)).delivery.ok).toBe(true);
    let failed: Array<Record<string, unknown>> = [];
    await waitFor('the refused booking', async () => {
      await journey.settle();
      failed = (await journey.api('GET', `/deliveries?flow=${BOOKING_FLOW_ID}&state=failed`)).json.deliveries as Array<Record<string, unknown>>;
      return failed.length === 1;
    });
    expect(failed[0]).toMatchObject({ sink: 'bookings-table', sinkType: 'sql', state: 'failed', lastError: expect.stringContaining('The database refused the row') });
    expect(String(failed[0]!.lastError)).toContain('submission_id');

    // The fix: the table as the SQL sink writes it; then the replay.
    await sql`drop table bookings`.execute(bookings.db);
    await ensureSubmissionTable(bookings.db as unknown as Kysely<SubmissionTables>, 'bookings');
    const replay = await journey.api('POST', '/deliveries/replay', { submissionId: failed[0]!.submissionId });
    expect(replay.status).toBe(200);
    await waitFor('the replayed booking', async () => (await bookingRows()).length === 1);
    await journey.settle();
    const rows = await bookingRows();
    expect(rows).toHaveLength(1);
    const erin = journey.sandbox.phones.outcomes.find((o) => o.waId === ERIN);
    expect(rows[0]).toMatchObject({ contact_phone: ERIN, flow_token: erin?.flowToken, submission_id: failed[0]!.submissionId });
    expect(JSON.parse(rows[0]!.answers_json)).toMatchObject({ booking_ref: 'B-20260304-0900', full_name: 'Erin Park' });
    const { json } = await journey.api('GET', `/deliveries?flow=${BOOKING_FLOW_ID}`);
    expect((json.deliveries as Array<{ state: string }>).map((d) => d.state)).toEqual(['delivered', 'delivered', 'delivered']);
  });
});
