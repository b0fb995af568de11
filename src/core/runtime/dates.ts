/**
 * Dates as DatePicker and CalendarPicker exchange them (spec §1.9, §1.13):
 * before Flow JSON 5.0 DatePicker uses UTC millisecond-timestamp strings,
 * from 5.0 (and CalendarPicker always) `YYYY-MM-DD`. Internally a date is a
 * day number (days since 1970-01-01 UTC) so comparisons ignore the format.
 * @module
 */

const DAY_MS = 86_400_000;
const isoPattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Week-day names as `include-days` spells them, Sunday first. */
export const WEEK_DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

/**
 * The day a date value denotes: `YYYY-MM-DD`, or a millisecond timestamp
 * string/number. Timestamps are rounded to the nearest UTC midnight: Meta
 * tells businesses to send *local* midnights (spec §1.9), which lie within
 * ±12 h of the UTC midnight of the same date. The emulator itself runs in
 * UTC and produces UTC midnights. Undefined when the value is neither form,
 * or not a real calendar date.
 */
export function toDay(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.round(value / DAY_MS);
  if (typeof value !== 'string') return undefined;
  const m = isoPattern.exec(value);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const ms = Date.UTC(y, mo - 1, d);
    const back = new Date(ms);
    if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
    return ms / DAY_MS;
  }
  if (/^-?\d{1,15}$/.test(value)) return Math.round(Number(value) / DAY_MS);
  return undefined;
}

/** `YYYY-MM-DD` of a day number. */
export function isoDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** A day in the format the version's DatePicker produces. */
export function formatPickerDate(day: number, isoDates: boolean): string {
  return isoDates ? isoDate(day) : String(day * DAY_MS);
}

/** `Mon`…`Sun` of a day number. */
export function weekDay(day: number): (typeof WEEK_DAYS)[number] {
  return WEEK_DAYS[(((day + 4) % 7) + 7) % 7] ?? 'Sun';
}

/** Default DatePicker range before 5.0 (spec §1.9: 1900-01-01..2100-12-31). */
export const LEGACY_MIN_DAY = toDay('1900-01-01') ?? 0;
/** Upper end of the legacy default range. */
export const LEGACY_MAX_DAY = toDay('2100-12-31') ?? 0;

/** Bounds and exclusions of a date input, already resolved to day numbers. */
export interface DateRules {
  min?: number;
  max?: number;
  unavailable: ReadonlySet<number>;
  /** Allowed week days; undefined = all. */
  includeDays?: ReadonlySet<string>;
}

/** Why a day cannot be picked, as a rule name; undefined when it can. */
export function dayProblem(day: number, rules: DateRules): 'before-min' | 'after-max' | 'unavailable' | 'excluded-day' | undefined {
  if (rules.min !== undefined && day < rules.min) return 'before-min';
  if (rules.max !== undefined && day > rules.max) return 'after-max';
  if (rules.unavailable.has(day)) return 'unavailable';
  if (rules.includeDays && !rules.includeDays.has(weekDay(day))) return 'excluded-day';
  return undefined;
}

/** The first pickable day at or after `from` (bounded search), or undefined. */
export function firstPickableDay(from: number, rules: DateRules): number | undefined {
  const start = rules.min !== undefined ? Math.max(from, rules.min) : from;
  for (let day = start; day < start + 3660; day++) {
    const problem = dayProblem(day, rules);
    if (problem === undefined) return day;
    if (problem === 'after-max') return undefined;
  }
  return undefined;
}
