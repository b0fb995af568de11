import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { buildWebhookPayload } from '../../src/sinks/webhook/webhook-payload.js';
import { webhookMessageId, webhookSink } from '../../src/sinks/webhook/webhook-sink.js';
import { arbitraryAnswers } from '../fakes/webhook-sink/arbitrary-answers.js';
import { startWebhookSinkFake } from '../fakes/webhook-sink/fake-webhook-sink.js';
import type { SignedReceiver } from '../fakes/webhook-sink/signed-receiver.js';
import { deliveryContext, formModel, memoryFile, submissionOf } from '../fakes/webhook-sink/sink-test-kit.js';

const SECRET = `whsec_${Buffer.from('a-32-byte-secret-for-the-tests!!').toString('base64')}`;
const form = formModel({
  id: 'contact', title: 'Contact us', source: { system: 'file' },
  pages: [{ id: 'p', fields: [
    { id: 'email', key: 'email', type: 'email', label: 'Email', required: true },
    { id: 'topics', key: 'topics', type: 'multiple_choice', label: 'Topics', options: [{ id: 'a', value: 'A', label: 'A' }, { id: 'b', value: 'B', label: 'B' }] },
    { id: 'when', key: 'when', type: 'date', label: 'When' },
    { id: 'doc', key: 'doc', type: 'file', label: 'Document' },
  ] }],
});
const answers = { email: 'a@example.com', topics: ['A', 'B'], when: '2024-11-05' };

describe('buildWebhookPayload', () => {
  it('carries the answers by source key, contact, entry point and file metadata (no bytes)', () => {
    const s = submissionOf(form, answers, { entryPoint: 'ad-42', files: [memoryFile('doc', 'id.pdf', 'application/pdf', new Uint8Array(5))] });
    expect(buildWebhookPayload(s)).toEqual({
      type: 'form.submission.completed',
      timestamp: s.submittedAt,
      data: {
        submissionId: 'sub-1',
        flowToken: s.flowToken,
        form: { id: 'contact', title: 'Contact us', system: 'file' },
        answers,
        contact: { phone: '+31612345678' },
        submittedAt: s.submittedAt,
        entryPoint: 'ad-42',
        files: [{ fieldKey: 'doc', fileName: 'id.pdf', mimeType: 'application/pdf', size: 5 }],
      },
    });
  });
});

describe('webhook sink (Standard Webhooks) through the contract fake', () => {
  let fake: SignedReceiver | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it('signs with webhook-id/timestamp/signature that the reference library verifies', async () => {
    fake = await startWebhookSinkFake({ secret: SECRET, form });
    const ctx = deliveryContext({ url: fake.url, secret: SECRET }, { idempotencyKey: 'sub-1:webhook' });
    expect(await webhookSink.deliver(ctx, submissionOf(form, answers))).toEqual({ kind: 'delivered' });
    const entry = fake.ledger[0]!;
    expect(entry.headers['webhook-id']).toBe(webhookMessageId('sub-1:webhook'));
    expect(String(entry.headers['webhook-signature'])).toMatch(/^v1,[A-Za-z0-9+/=]+$/);
    const verified = new Webhook(SECRET).verify(JSON.stringify(entry.payload), entry.headers as Record<string, string>);
    expect(verified).toEqual(buildWebhookPayload(submissionOf(form, answers)));
  });

  it('a stale timestamp (clock far off) is refused by the consumer: permanent', async () => {
    fake = await startWebhookSinkFake({ secret: SECRET });
    const out = await webhookSink.deliver(deliveryContext({ url: fake.url, secret: SECRET }, { now: new Date(Date.now() - 3_600_000) }), submissionOf(form, answers));
    expect(out.kind === 'permanent' && out.reason).toMatch(/timestamp/i);
  });

  it('a wrong secret is refused permanently and the secret never appears in the outcome', async () => {
    fake = await startWebhookSinkFake({ secret: SECRET });
    const other = `whsec_${Buffer.from('another-secret-another-secret-!!').toString('base64')}`;
    const out = await webhookSink.deliver(deliveryContext({ url: fake.url, secret: other }), submissionOf(form, answers));
    expect(out.kind).toBe('permanent');
    expect(JSON.stringify(out)).not.toContain(other);
  });

  it('checkForm refuses a secret that is not base64', () => {
    expect(webhookSink.checkForm?.(form, { url: 'https://x.example/h', secret: 'whsec_***not base64***' })).toHaveLength(1);
    expect(webhookSink.checkForm?.(form, { url: 'https://x.example/h', secret: SECRET })).toEqual([]);
  });

  it('503 then 429 with Retry-After are retries; then delivered once', async () => {
    fake = await startWebhookSinkFake({ secret: SECRET });
    fake.failNext(1, { kind: 'status', status: 503 });
    fake.failNext(1, { kind: 'status', status: 429, retryAfter: '30' });
    const ctx = deliveryContext({ url: fake.url, secret: SECRET });
    expect((await webhookSink.deliver(ctx, submissionOf(form, answers))).kind).toBe('retry');
    expect(await webhookSink.deliver(ctx, submissionOf(form, answers))).toMatchObject({ kind: 'retry', retryAfterMs: 30_000 });
    expect((await webhookSink.deliver(ctx, submissionOf(form, answers))).kind).toBe('delivered');
    expect(fake.ledger).toHaveLength(1);
  });

  it('a lost response: the retry repeats the same webhook-id (one distinct message)', async () => {
    fake = await startWebhookSinkFake({ secret: SECRET });
    fake.failNext(1, { kind: 'lose' });
    const ctx = deliveryContext({ url: fake.url, secret: SECRET });
    expect((await webhookSink.deliver(ctx, submissionOf(form, answers))).kind).toBe('retry');
    expect((await webhookSink.deliver(ctx, submissionOf(form, answers))).kind).toBe('delivered');
    expect(fake.ledger).toHaveLength(2);
    expect(fake.uniqueEvents()).toBe(1);
  });

  it('a consumer that never answers times out into a retry', async () => {
    const hang = createServer(() => undefined);
    await new Promise<void>((r) => hang.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(hang.address() as AddressInfo).port}/`;
      const out = await webhookSink.deliver(deliveryContext({ url, secret: SECRET, timeoutMs: 200 }), submissionOf(form, answers));
      expect(out).toEqual({ kind: 'retry', reason: 'The destination did not answer in time.' });
    } finally {
      hang.closeAllConnections();
      await new Promise<void>((r) => hang.close(() => r()));
    }
  });

  it('property: any answers of the form are delivered and verify', async () => {
    fake = await startWebhookSinkFake({ secret: SECRET, form });
    const url = fake.url;
    await fc.assert(
      fc.asyncProperty(arbitraryAnswers(form), async (a) => {
        const out = await webhookSink.deliver(deliveryContext({ url, secret: SECRET }), submissionOf(form, a));
        expect(out).toEqual({ kind: 'delivered' });
      }),
      { numRuns: 50 },
    );
    expect(fake.ledger).toHaveLength(50);
  });
});
