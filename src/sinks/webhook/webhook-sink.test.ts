import { describe, expect, it } from 'vitest';
import { leadForm } from '../../../test/delivery-pipeline/pipeline-kit.js';
import type { DeliveryContext, Submission } from '../sink-connector.js';
import { webhookSink } from './webhook-sink.js';

const settings = (secret: string) => webhookSink.settingsSchema.parse({ url: 'http://127.0.0.1:9/hook', secret });

describe('webhook sink secrets', () => {
  it('names what is wrong with the secret at configuration time', () => {
    expect(webhookSink.checkForm?.(leadForm, settings(`whsec_${Buffer.from('k'.repeat(32)).toString('base64')}`))).toEqual([]);
    expect(webhookSink.checkForm?.(leadForm, settings('whsec_not base64!'))).toEqual(['The signing secret is not valid base64 (expected whsec_<base64>).']);
    expect(webhookSink.checkForm?.(leadForm, settings('whsec_ab'))).toEqual(['The signing secret is not valid base64 (expected whsec_<base64>).']);
  });

  it('refuses to post with an invalid secret: a permanent failure with the same words, nothing sent', async () => {
    let sent = 0;
    const ctx = {
      settings: settings('whsec_not base64!'), idempotencyKey: 'sub-1:hook', now: () => new Date(0),
      progress: { get: () => Promise.resolve(undefined), set: () => Promise.resolve() },
      fetch: () => { sent++; return Promise.resolve(new Response('')); },
    } as unknown as DeliveryContext<ReturnType<typeof settings>>;
    const submission: Submission = { id: 'sub-1', flowToken: 't', form: leadForm, answers: {}, files: [], contact: { phone: '447700900123' }, submittedAt: '2026-01-01T00:00:00.000Z' };
    const outcome = await webhookSink.deliver(ctx, submission);
    expect(outcome).toEqual({ kind: 'permanent', reason: 'The signing secret is not valid base64 (expected whsec_<base64>).' });
    expect(sent).toBe(0);
  });
});
