/**
 * Server-side behaviour of the clinic booking flow (`booking-flow.json`),
 * loaded with `npm start -- --handlers examples/journeys/2-appointment-booking/handlers.ts`.
 *
 * - INIT: the services and the calendar computed for "today": bookable from
 *   tomorrow up to four weeks ahead, Sundays and the clinic's holidays given
 *   to the date picker as `unavailable-dates` (so WhatsApp greys them out).
 * - BOOK: the endpoint checks the day again (a client can be tampered with)
 *   and answers the free times of that day: Monday–Friday 09:00–17:00 with a
 *   lunch break, Saturday mornings only, minus what is already booked.
 * - SLOT: the chosen time must still be free; name and phone are checked.
 * - CONFIRM: the slot is taken for good and the flow completes with the
 *   booking (a reference, service, day, time, name, phone), which Flowbridge
 *   stores and hands to the project's sinks.
 *
 * Bookings are kept in memory here; a real clinic points `bookings` at its
 * calendar.
 * @module
 */
import { complete, error, next, type FlowHandlers } from '../../../src/services/flow-handlers.js';

/** The flow id in flowbridge.yaml. */
export const BOOKING_FLOW_ID = 'clinic-booking';

/** Services offered (Dropdown options). */
export const SERVICES = [
  { id: 'checkup', title: 'General check-up' },
  { id: 'dental', title: 'Dental cleaning' },
  { id: 'vaccine', title: 'Vaccination' },
] as const;

/** Taken slots per day (`YYYY-MM-DD` → `HH:MM`). */
export interface BookingBook {
  isTaken(date: string, slot: string): boolean;
  /** Take the slot; false when someone else was faster. */
  take(date: string, slot: string): boolean;
}

/** An in-memory book. */
export function memoryBook(): BookingBook {
  const taken = new Set<string>();
  return {
    isTaken: (date, slot) => taken.has(`${date} ${slot}`),
    take(date, slot) {
      const key = `${date} ${slot}`;
      if (taken.has(key)) return false;
      taken.add(key);
      return true;
    },
  };
}

/** Options of {@link createClinicHandlers}. */
export interface ClinicOptions {
  /** Today as `YYYY-MM-DD` (default: the UTC date now). */
  readonly today?: () => string;
  /** Days the clinic is closed besides Sundays. */
  readonly holidays?: readonly string[];
  /** How many days ahead bookings open (default 28). */
  readonly horizonDays?: number;
  readonly bookings?: BookingBook;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;
const WEEKDAY_SLOTS = ['09:00', '09:30', '10:00', '10:30', '11:00', '11:30', '13:00', '13:30', '14:00', '14:30', '15:00', '15:30', '16:00', '16:30'];
const SATURDAY_SLOTS = ['09:00', '09:30', '10:00', '10:30', '11:00', '11:30'];

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const addDays = (day: string, n: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
const weekday = (day: string): number => new Date(`${day}T00:00:00Z`).getUTCDay();
const isRealDay = (day: string): boolean => DAY.test(day) && !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) && addDays(day, 0) === day;

/** "Wednesday 4 March 2026". */
export function dayLabel(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  return `${WEEKDAYS[d.getUTCDay()]!} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]!} ${d.getUTCFullYear()}`;
}

/** The clinic's calendar for `today`. */
export function calendar(today: string, holidays: readonly string[], horizonDays: number): { minDate: string; maxDate: string; closed: string[] } {
  const minDate = addDays(today, 1);
  const maxDate = addDays(today, horizonDays);
  const closed: string[] = [];
  for (let day = minDate; day <= maxDate; day = addDays(day, 1)) if (weekday(day) === 0 || holidays.includes(day)) closed.push(day);
  return { minDate, maxDate, closed };
}

/** Opening times of a day (before bookings); none on Sundays and holidays. */
export function openingSlots(day: string, holidays: readonly string[]): readonly string[] {
  if (holidays.includes(day)) return [];
  const wd = weekday(day);
  return wd === 0 ? [] : wd === 6 ? SATURDAY_SLOTS : WEEKDAY_SLOTS;
}

/** The clinic's flow handlers. */
export function createClinicHandlers(options: ClinicOptions = {}): FlowHandlers {
  const today = options.today ?? (() => new Date().toISOString().slice(0, 10));
  const holidays = options.holidays ?? [];
  const horizon = options.horizonDays ?? 28;
  const book = options.bookings ?? memoryBook();
  const service = (id: unknown) => SERVICES.find((s) => s.id === id);
  const freeSlots = (day: string) => openingSlots(day, holidays).filter((slot) => !book.isTaken(day, slot));

  /** Why `day` cannot be booked, or undefined. */
  function refuseDay(day: unknown): string | undefined {
    if (typeof day !== 'string' || !isRealDay(day)) return 'Pick a day from the calendar.';
    const { minDate, maxDate, closed } = calendar(today(), holidays, horizon);
    if (day < minDate) return `That day has passed: bookings open from ${dayLabel(minDate)}.`;
    if (day > maxDate) return `We book up to ${horizon} days ahead: pick a day until ${dayLabel(maxDate)}.`;
    if (closed.includes(day)) return 'The clinic is closed on that day: we are open Monday to Saturday.';
    if (freeSlots(day).length === 0) return 'That day is fully booked: please pick another day.';
    return undefined;
  }

  /** The booking in `data`, checked, or the error to show. */
  function checkBooking(data: Readonly<Record<string, unknown>>) {
    const chosen = service(data.service);
    const dayProblem = refuseDay(data.date);
    if (chosen === undefined || dayProblem !== undefined) return error('This booking is no longer possible: please start again.');
    const date = String(data.date);
    const slot = typeof data.slot === 'string' ? data.slot : '';
    if (!freeSlots(date).includes(slot)) return error('That time was just taken: please pick another one.', { slot: 'No longer free' });
    const fullName = typeof data.full_name === 'string' ? data.full_name.trim() : '';
    if (fullName.length < 2) return error('Please tell us your name.', { full_name: 'Enter your full name' });
    const phone = typeof data.phone === 'string' ? data.phone.replace(/[\s()-]/g, '') : '';
    if (!/^\+?\d{7,15}$/.test(phone)) return error('Please check the phone number.', { phone: 'Use digits, e.g. +31612345678' });
    return { service: chosen, date, slot, full_name: fullName, phone };
  }

  return {
    INIT: () => {
      const { minDate, maxDate, closed } = calendar(today(), holidays, horizon);
      return next('BOOK', { services: SERVICES.map((s) => ({ ...s })), min_date: minDate, max_date: maxDate, closed_dates: closed });
    },
    screens: {
      BOOK: {
        data_exchange: ({ data }) => {
          const chosen = service(data.service);
          if (chosen === undefined) return error('Please pick a service.', { service: 'Pick one of the services' });
          const problem = refuseDay(data.date);
          if (problem !== undefined) return error(problem, { date: problem });
          const date = String(data.date);
          return next('SLOT', { service: chosen.id, date, day_label: dayLabel(date), slots: freeSlots(date).map((s) => ({ id: s, title: s })) });
        },
      },
      SLOT: {
        data_exchange: ({ data }) => {
          const booking = checkBooking(data);
          if ('kind' in booking) return booking;
          const summary = `${booking.service.title} on ${dayLabel(booking.date)} at ${booking.slot} for ${booking.full_name}`;
          return next('CONFIRM', { summary, service: booking.service.id, date: booking.date, slot: booking.slot, full_name: booking.full_name, phone: booking.phone });
        },
      },
      CONFIRM: {
        data_exchange: ({ data }) => {
          const booking = checkBooking(data);
          if ('kind' in booking) return booking;
          if (!book.take(booking.date, booking.slot)) return error('That time was just taken: please go back and pick another one.');
          return complete({
            booking_ref: `B-${booking.date.replaceAll('-', '')}-${booking.slot.replace(':', '')}`,
            service: booking.service.id, date: booking.date, slot: booking.slot, full_name: booking.full_name, phone: booking.phone,
          });
        },
      },
    },
  };
}

/** What `flowbridge serve --handlers` registers. */
export const flows: Record<string, FlowHandlers> = { [BOOKING_FLOW_ID]: createClinicHandlers() };
