/**
 * A wrapper that keeps secret configuration values (app secrets, tokens,
 * passphrases) out of logs, error messages and JSON dumps.
 * @module
 */

const REDACTED = '[redacted]';

/**
 * A secret value that prints as `[redacted]` however it is turned into text
 * (template strings, `String()`, `JSON.stringify`, `util.inspect` and so
 * `console.log`). The value lives in a private field, so spreading or
 * enumerating the object does not expose it either; only `.reveal()` does,
 * which makes every use of the plain value easy to find in review.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The plain value: call it only where the secret is actually used (HMAC key, HTTP header…). */
  reveal(): string {
    return this.#value;
  }

  /** Always `[redacted]`. */
  toString(): string {
    return REDACTED;
  }

  /** Always `[redacted]`, so a config object can be logged as JSON safely. */
  toJSON(): string {
    return REDACTED;
  }

  /** Always `[redacted]`, also for `+` and numeric coercion. */
  [Symbol.toPrimitive](): string {
    return REDACTED;
  }

  /** Node's `util.inspect` hook (the symbol is global, so no `node:util` import is needed). */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return REDACTED;
  }
}
