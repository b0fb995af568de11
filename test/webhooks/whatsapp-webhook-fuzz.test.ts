import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fc from 'fast-check';
import { openHarness, OLD_SECRET, type Harness } from './webhook-harness.js';
import { envelope, flowsBody, messagesValue, nfmReply } from './payloads.js';

/** JSON-ish values with the characters that trouble databases (NUL, lone surrogates, very long strings). */
const nasty = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom('\u0000', 'wamid.\u0000', '\ud800', 'x'.repeat(3000), -1, 1e308, 2 ** 53, '', 'sent', 'failed', 'nfm_reply', 'interactive'),
);

const message = fc.record(
  {
    id: nasty,
    from: nasty,
    timestamp: nasty,
    type: fc.constantFrom('text', 'interactive', 'image', 'button', 'location', 'contacts', 'reaction', 'unsupported', 'system', 'order'),
    text: fc.record({ body: nasty }),
    interactive: fc.record({ type: fc.constantFrom('nfm_reply', 'button_reply', 'list_reply', 'x'), nfm_reply: fc.record({ name: nasty, response_json: fc.oneof(fc.json(), nasty) }), button_reply: fc.dictionary(fc.string(), nasty) }),
    image: fc.dictionary(fc.constantFrom('id', 'mime_type', 'sha256'), nasty),
    errors: fc.array(fc.dictionary(fc.constantFrom('code', 'title', 'error_data'), nasty), { maxLength: 2 }),
  },
  { requiredKeys: [] },
);

const statusItem = fc.record({ id: nasty, status: nasty, errors: fc.array(fc.record({ code: nasty, title: nasty }), { maxLength: 2 }), pricing: nasty }, { requiredKeys: [] });

const body: fc.Arbitrary<string | Buffer> = fc.oneof(
  fc.string(),
  fc.json(),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
  fc.array(message, { maxLength: 4 }).map((messages) => JSON.stringify(envelope('messages', messagesValue(messages)))),
  fc.array(statusItem, { maxLength: 4 }).map((statuses) => JSON.stringify(envelope('messages', { messaging_product: 'whatsapp', statuses }))),
  fc.dictionary(fc.constantFrom('event', 'flow_id', 'alert_state', 'errors', 'threshold', 'message'), nasty).map((value) => flowsBody(value)),
  fc.tuple(fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('messages', 'flows')), fc.jsonValue()).map(([field, value]) => JSON.stringify(envelope(field, value))),
  fc.json().map((json) => JSON.stringify(envelope('messages', messagesValue([nfmReply('wamid.FZ', { flow_token: json })])))),
);

describe.each(['sqlite', 'postgres'] as const)('POST /webhooks/whatsapp fuzz on %s', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness(dialect);
  });
  afterAll(async () => {
    await h.close();
  });

  it('never answers 5xx to random bodies, signed or not, and never fails to process what it stored', async () => {
    await fc.assert(
      fc.asyncProperty(body, fc.oneof({ arbitrary: fc.constant('signed'), weight: 4 }, { arbitrary: fc.constant('old-secret'), weight: 2 }, fc.constant('unsigned'), fc.constant('garbage')), fc.constantFrom('application/json', 'text/plain', 'application/octet-stream'), async (payload, signing, contentType) => {
        const res = await h.post(payload, {
          contentType,
          ...(signing === 'old-secret' ? { secret: OLD_SECRET } : {}),
          ...(signing === 'unsigned' ? { signature: null } : {}),
          ...(signing === 'garbage' ? { signature: 'sha256=zz' } : {}),
        });
        expect(res.statusCode).toBeLessThan(500);
        expect([200, 400, 401]).toContain(res.statusCode);
        if (signing === 'unsigned' || signing === 'garbage') expect(res.statusCode).toBe(401);
      }),
      { numRuns: dialect === 'sqlite' ? 300 : 120 },
    );
    await h.intake.drain();
    expect(h.intakeLog.lines.filter((l) => l.level === 'error')).toEqual([]);
    expect(await h.events.listUnprocessed(5)).toEqual([]);
    // The bodies must reach storage and processing, not only be refused.
    const stored = await h.db.store.db.selectFrom('webhook_events').select(['kind']).execute();
    expect(stored.length).toBeGreaterThan(20);
    expect([...new Set(stored.map((r) => r.kind.split(':')[0]))]).toEqual(expect.arrayContaining(['message', 'unknown']));
  });
});
