/**
 * Run-time conversions the WhatsApp client applies when evaluating
 * expressions. Meta documents only the typed cases (and that division or
 * modulo by 0 or null yields 0); the rest is our documented choice, made so
 * that an unvisited screen or an empty input never crashes a screen:
 *
 * - missing = `undefined`, `null` or `''` (an input not filled in, a global
 *   reference to a screen not visited yet);
 * - as a boolean, missing is `false`;
 * - as a number, missing is `0`; a numeric string is its number (TextInput
 *   with `input-type: number` produces strings); other strings are NaN;
 * - as text, missing is `''`, numbers print as JavaScript does, arrays join
 *   with `", "`, objects print as JSON.
 * @module
 */

function isMissing(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

function toBoolean(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (isMissing(value)) return false;
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  if (typeof value === 'string') return value.length > 0;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (isMissing(value)) return 0;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && value.trim() !== '') return Number(value.trim());
  return Number.NaN;
}

function toText(value: unknown): string {
  if (isMissing(value)) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isNaN(value) ? '' : String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return value.map(toText).join(', ');
  return JSON.stringify(value) ?? '';
}

/**
 * `==` at run time: missing equals only missing; a number equals a numeric
 * string with the same value; otherwise same JavaScript type and equal value
 * (arrays and objects compare by their JSON).
 */
function looseEquals(a: unknown, b: unknown): boolean {
  if (isMissing(a) || isMissing(b)) return isMissing(a) && isMissing(b);
  if (typeof a === 'number' || typeof b === 'number') {
    const [x, y] = [toNumber(a), toNumber(b)];
    return (typeof a === 'number' || typeof a === 'string') && (typeof b === 'number' || typeof b === 'string') && x === y;
  }
  if (typeof a === 'boolean' && typeof b === 'string') return String(a) === b;
  if (typeof b === 'boolean' && typeof a === 'string') return String(b) === a;
  if (typeof a !== typeof b) return false;
  if (typeof a === 'object') return JSON.stringify(a) === JSON.stringify(b);
  return a === b;
}

/** The client's value conversions, shared by `evaluate` and the runtime emulator. */
export const coerce = { isMissing, toBoolean, toNumber, toText, looseEquals } as const;
