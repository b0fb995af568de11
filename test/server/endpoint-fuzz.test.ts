import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, postRaw, sealRequest, startHarness } from './server-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await h.insertSession('fuzz-token');
});
afterAll(async () => h.close());

const b64 = fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('base64'));
const fieldValue = fc.oneof(b64, fc.string(), fc.integer(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 }));
const envelope = fc.record(
  { encrypted_flow_data: fieldValue, encrypted_aes_key: fieldValue, initial_vector: fieldValue },
  { requiredKeys: [] },
).map((o) => JSON.stringify(o));

/** A valid request with one byte of one field flipped, or one field swapped for another's. */
const mutated = fc.tuple(
  fc.constantFrom('encrypted_flow_data', 'encrypted_aes_key', 'initial_vector'),
  fc.nat(),
  fc.integer({ min: 1, max: 255 }),
  fc.constantFrom(
    { version: '3.0', action: 'ping' },
    { version: '3.0', action: 'INIT', flow_token: 'fuzz-token' },
    { version: '3.0', action: 'data_exchange', screen: 'NOWHERE', flow_token: 'fuzz-token', data: { a: 1 } },
  ),
).map(([field, at, xor, plaintext]) => {
  const body: Record<string, string> = { ...sealRequest(plaintext).body };
  const bytes = Buffer.from(body[field]!, 'base64');
  if (bytes.length > 0) bytes[at % bytes.length]! ^= xor;
  body[field] = bytes.toString('base64');
  return JSON.stringify(body);
});

/** A valid encryption of a random JSON value (reaches the request parser and the session check). */
const randomPlaintext = fc.jsonValue({ maxDepth: 3 }).map((v) => sealRequest(v).payload);
const randomRequest = fc.record({
  version: fc.oneof(fc.constant('3.0'), fc.string()), action: fc.oneof(fc.constantFrom('INIT', 'BACK', 'data_exchange', 'ping', 'navigate'), fc.string()),
  flow_token: fc.oneof(fc.constant('fuzz-token'), fc.string()), screen: fc.oneof(fc.constant('APPOINTMENT'), fc.string()),
  data: fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 })), flow_token_signature: fc.string(),
}, { requiredKeys: ['action'] }).map((r) => sealRequest(r).payload);

const body = fc.oneof(fc.string({ maxLength: 400 }), fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b)), envelope, mutated, randomPlaintext, randomRequest);

describe('fuzzing POST /flows/endpoint', () => {
  it('never answers 5xx, never crashes, and keeps serving', async () => {
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(body, fc.boolean(), fc.constantFrom('application/json', 'text/plain', 'application/json; charset=utf-8'), async (payload, signed, type) => {
        const res = await postRaw(h.app, payload, signed ? undefined : null, type);
        statuses.add(res.statusCode);
        expect(res.statusCode).toBeLessThan(500);
        expect([200, 400, 421, 427, 432]).toContain(res.statusCode);
        if (res.statusCode !== 200 && res.statusCode !== 427) expect(res.body).toBe('');
      }),
      { numRuns: 400 },
    );
    expect(statuses.has(432) && statuses.has(421) && statuses.has(400)).toBe(true);
    const ping = sealRequest({ version: '3.0', action: 'ping' });
    const res = await postRaw(h.app, ping.payload);
    expect(ping.open(res.body)).toEqual({ data: { status: 'active' } });
    // The one session may have been completed by a random request, but never twice.
    expect((await h.counts()).submissions).toBeLessThanOrEqual(1);
  });
});
