/**
 * Our node:crypto Standard Webhooks signature against the reference
 * `standardwebhooks` library: its `verify` accepts what we sign for any id,
 * body, time and secret, and any secret we accept it accepts with the same
 * key.
 * @module
 */
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SECRET_PREFIX, signStandardWebhook, standardWebhookHeaders, standardWebhooksKey, webhookMessageId } from './standard-webhooks-signature.js';

/** A secret as operators write it: `whsec_` + base64 of random bytes, or the bare base64. */
const secretArb = fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.boolean()).map(([bytes, prefixed]) => `${prefixed ? SECRET_PREFIX : ''}${Buffer.from(bytes).toString('base64')}`);
/** Message ids as the sinks build them (`msg_` + URL-safe characters) and anything else a caller might pass. */
const idArb = fc.oneof(fc.stringMatching(/^msg_[A-Za-z0-9_-]{1,40}$/), fc.string({ minLength: 1, maxLength: 40 }));
/** Any time from 1970 to 2100, to the millisecond. */
const atArb = fc.integer({ min: 0, max: 4_102_444_800_000 }).map((ms) => new Date(ms));
const bodyArb = fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 100 }), fc.json());

afterEach(() => {
  vi.useRealTimers();
});

describe('signStandardWebhook', () => {
  it('is verified by the reference library for arbitrary ids, bodies, timestamps and secrets', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    fc.assert(
      fc.property(secretArb, idArb, bodyArb, atArb, (secret, id, body, at) => {
        // The reference rejects timestamps more than 5 minutes from its clock: verify "at the time of sending".
        vi.setSystemTime(at);
        const headers = { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signStandardWebhook(secret, id, at, body) };
        expect(() => new Webhook(secret).verify(body, headers, { jsonParse: false })).not.toThrow();
        expect(headers['webhook-signature']).toBe(new Webhook(secret).sign(id, at, body));
      }),
      { numRuns: 300 },
    );
  });

  it('is not verified with another secret, another body or another id', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    fc.assert(
      fc.property(secretArb, secretArb, idArb, fc.string({ maxLength: 100 }), atArb, (secret, other, id, body, at) => {
        fc.pre(Buffer.compare(standardWebhooksKey(secret), standardWebhooksKey(other)) !== 0);
        vi.setSystemTime(at);
        const sig = signStandardWebhook(secret, id, at, body);
        const ts = String(Math.floor(at.getTime() / 1000));
        expect(() => new Webhook(other).verify(body, { 'webhook-id': id, 'webhook-timestamp': ts, 'webhook-signature': sig }, { jsonParse: false })).toThrow();
        expect(() => new Webhook(secret).verify(`${body}x`, { 'webhook-id': id, 'webhook-timestamp': ts, 'webhook-signature': sig }, { jsonParse: false })).toThrow();
        expect(() => new Webhook(secret).verify(body, { 'webhook-id': `${id}x`, 'webhook-timestamp': ts, 'webhook-signature': sig }, { jsonParse: false })).toThrow();
      }),
      { numRuns: 100 },
    );
  });

  it('a secret we accept, the reference accepts with the same key', () => {
    const at = new Date('2024-10-01T10:00:06Z');
    fc.assert(
      fc.property(fc.oneof(secretArb, fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }).map((s) => `${SECRET_PREFIX}${s}`)), (secret) => {
        let ours: string | undefined;
        try {
          ours = signStandardWebhook(secret, 'msg_1', at, '{}');
        } catch {
          return; // we refuse it: stricter than the reference is allowed
        }
        expect(new Webhook(secret).sign('msg_1', at, '{}')).toBe(ours);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses secrets that are not base64 or decode to nothing, with a clear message, every time', () => {
    for (const bad of ['whsec_', 'whsec_not base64!', 'whsec_QQ', 'whsec_QQ===', 'not-base64-at-all', 'whsec_whsec_QUJD']) {
      expect(() => standardWebhooksKey(bad), bad).toThrow(/whsec_<base64>/);
      expect(() => signStandardWebhook(bad, 'msg_1', new Date(), '{}'), bad).toThrow(/whsec_<base64>/);
    }
  });

  it('matches a known vector (the Standard Webhooks reference test secret)', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const at = new Date(1614265330 * 1000);
    expect(signStandardWebhook(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', at, '{"test": 2432232314}')).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });
});

describe('standardWebhookHeaders', () => {
  it('id and timestamp always, the signature only with a secret, verified by the reference', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const at = new Date('2024-10-01T10:00:06.900Z');
    vi.setSystemTime(at);
    const secret = `${SECRET_PREFIX}${Buffer.from('a-32-byte-secret-for-the-tests!!').toString('base64')}`;
    const id = webhookMessageId('sub-1:hook/ä');
    expect(id).toBe('msg_sub-1_hook__');
    expect(standardWebhookHeaders(id, at, '{}', undefined)).toEqual({ 'webhook-id': id, 'webhook-timestamp': '1727776806' });
    const signed = standardWebhookHeaders(id, at, '{"a":1}', secret);
    expect(new Webhook(secret).verify('{"a":1}', signed)).toEqual({ a: 1 });
  });
});
