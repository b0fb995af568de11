/**
 * What the source connector tests share: an HTTP client on a contract fake
 * that records Retry-After waits instead of sleeping, the assertion that an
 * error is an AppError of a code carrying the system's own message, and the
 * fuzz properties every `mapDefinition` must satisfy (valid model or
 * USAGE_INVALID, never a crash).
 * @module
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { isAppError, type ErrorCode } from '../../src/core/errors.js';
import { formModelSchema } from '../../src/core/form/index.js';
import { createHttpClient, type HttpClient } from '../../src/sources/http-client.js';
import type { SourceConnector } from '../../src/sources/source-connector.js';

/** A client of `source` on `baseUrl` with `credentials`; retries push their wait (ms) to `waits` instead of sleeping. */
export function recordingClient<C>(source: SourceConnector<C>, baseUrl: string, credentials: C, waits: number[] = [], maxRetries?: number): HttpClient {
  return createHttpClient({
    baseUrl,
    headers: source.authHeaders(credentials),
    errorMessage: (status, body) => source.errorMessage(status, body),
    sleep: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
    ...(maxRetries === undefined ? {} : { maxRetries }),
  });
}

/** Await `pending`, expect it to reject with AppError `code` whose message contains `text`; returns the message. */
export async function expectAppError(pending: Promise<unknown>, code: ErrorCode, text: string): Promise<string> {
  const error = await pending.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isAppError(error, code)).toBe(true);
  const message = (error as Error).message;
  expect(message).toContain(text);
  return message;
}

/** Run `f`; anything it throws must be AppError USAGE_INVALID with a message. */
export function onlyUsage(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    expect(isAppError(e, 'USAGE_INVALID') && (e as Error).message.length > 0).toBe(true);
  }
}

/** Property: for any value of `arbitrary`, `map` returns a schema-valid model or throws USAGE_INVALID with a real message. */
export function assertValidModelOrUsage(map: SourceConnector['mapDefinition'], arbitrary: fc.Arbitrary<unknown>, numRuns = 300): void {
  fc.assert(
    fc.property(arbitrary, (value) => {
      try {
        expect(formModelSchema.safeParse(map(value).model).success).toBe(true);
      } catch (error) {
        expect(isAppError(error, 'USAGE_INVALID')).toBe(true);
        expect((error as Error).message.length).toBeGreaterThan(10);
      }
    }),
    { numRuns },
  );
}

/** Delete the keys at the picked positions of a depth-first walk of `root`. */
export function deleteSomeKeys(root: unknown, picks: readonly number[]): void {
  const slots: Array<[Record<string, unknown>, string]> = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object' && v !== null)
      for (const [k, c] of Object.entries(v)) {
        slots.push([v as Record<string, unknown>, k]);
        walk(c);
      }
  };
  walk(root);
  for (const p of picks) {
    const slot = slots[p % slots.length];
    if (slot) delete slot[0][slot[1]];
  }
}

/** Property: any fixture definition with random keys deleted maps or throws USAGE_INVALID, never anything else. */
export function assertKeyDeletionSafe(map: SourceConnector['mapDefinition'], defs: readonly unknown[], numRuns = 300): void {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: defs.length - 1 }), fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), (which, picks) => {
      const def = structuredClone(defs[which]);
      deleteSomeKeys(def, picks);
      try {
        map(def);
      } catch (error) {
        expect(isAppError(error, 'USAGE_INVALID')).toBe(true);
      }
    }),
    { numRuns },
  );
}
