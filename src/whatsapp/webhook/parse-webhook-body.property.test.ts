import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { envelope, messagesValue } from '../../../test/webhooks/payloads.js';
import { parseWebhookBody } from './parse-webhook-body.js';

const KEY = /^[\x21-\x7e]{1,200}$/;
const KINDS = new Set(['message', 'status', 'flows', 'unknown']);

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe('parseWebhookBody properties', () => {
  it('never throws on any text, and is malformed exactly when the text is not JSON', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.string({ unit: 'binary', maxLength: 200 })), (text) => {
        const parsed = parseWebhookBody(text);
        expect(parsed.ok).toBe(isJson(text));
      }),
      { numRuns: 500 },
    );
  });

  it('turns any JSON value into at least one event with a bounded printable key', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const parsed = parseWebhookBody(JSON.stringify(value));
        if (!parsed.ok) throw new Error('valid JSON reported malformed');
        expect(parsed.events.length).toBeGreaterThan(0);
        for (const event of parsed.events) {
          expect(KINDS.has(event.kind)).toBe(true);
          expect(event.dedupeKey).toMatch(KEY);
        }
        const isEnvelope = typeof value === 'object' && value !== null && !Array.isArray(value) && Array.isArray(value['entry']);
        if (!isEnvelope) expect(parsed.events.map((e) => e.kind)).toEqual(['unknown']);
      }),
      { numRuns: 500 },
    );
  });

  it('gives one event per messages[] item, messages for objects and unknown for the rest, deterministically', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.jsonValue(), fc.dictionary(fc.constantFrom('id', 'type', 'from', 'text', 'interactive', 'timestamp', 'context', 'referral'), fc.jsonValue())), { maxLength: 8 }), (items) => {
        const body = JSON.stringify(envelope('messages', messagesValue(items)));
        const first = parseWebhookBody(body);
        const second = parseWebhookBody(body);
        if (!first.ok || !second.ok) throw new Error('valid JSON reported malformed');
        const expected = items.length === 0 ? ['unknown'] : items.map((i) => (typeof i === 'object' && i !== null && !Array.isArray(i) ? 'message' : 'unknown'));
        expect(first.events.map((e) => e.kind)).toEqual(expected);
        expect(second.events.map((e) => e.dedupeKey)).toEqual(first.events.map((e) => e.dedupeKey));
      }),
      { numRuns: 300 },
    );
  });

  it('parses any nfm_reply response_json string without throwing, keeping the string as received', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((v) => JSON.stringify({ flow_token: 'tok', v }))), (responseJson) => {
        const message = { from: '1', id: 'wamid.P', type: 'interactive', interactive: { type: 'nfm_reply', nfm_reply: { name: 'flow', response_json: responseJson } } };
        const parsed = parseWebhookBody(JSON.stringify(envelope('messages', messagesValue([message]))));
        if (!parsed.ok) throw new Error('valid JSON reported malformed');
        const event = parsed.events[0];
        if (event?.kind !== 'message' || event.message.content.type !== 'nfm_reply') throw new Error('expected an nfm_reply');
        expect(event.message.content.reply.responseJson).toBe(responseJson);
      }),
      { numRuns: 300 },
    );
  });

  it('keys very deeply nested unknown content from the raw body instead of failing', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 2000; i += 1) deep = [deep];
    const body = JSON.stringify(envelope('mystery', deep));
    const parsed = parseWebhookBody(body);
    if (!parsed.ok) throw new Error('valid JSON reported malformed');
    expect(parsed.events).toHaveLength(1);
    expect(parsed.events[0]?.dedupeKey).toMatch(/^unknown:body:[0-9a-f]{64}:1$/);
  });
});
