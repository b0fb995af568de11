import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { tallySource } from '../../src/sources/tally/tally-source.js';
import { encodeTallyResponse } from '../../src/sinks/tally-webhook/encode-tally-response.js';
import { tallySignature, tallyWebhookSink } from '../../src/sinks/tally-webhook/tally-webhook-sink.js';
import { arbitraryAnswers } from '../fakes/webhook-sink/arbitrary-answers.js';
import type { SignedReceiver } from '../fakes/webhook-sink/signed-receiver.js';
import { deliveryContext, formModel, memoryFile, stripAnnotations, submissionOf } from '../fakes/webhook-sink/sink-test-kit.js';
import { startTallyWebhookSinkFake } from '../fakes/tally-webhook-sink/fake-tally-webhook-sink.js';

const json = (path: string): any => JSON.parse(readFileSync(path, 'utf8'));
const sourceForm = (name: string) => tallySource.mapDefinition(json(`/work/shared/fixtures/sources/tally/${name}`)).model;
const SECRET = 'tally-signing-secret';

/** The form the webhook fixture belongs to (its question ids and option ids). */
const fixtureForm = formModel({
  id: 'nPq2Lk',
  title: 'Appointment request',
  source: { system: 'tally', formId: 'nPq2Lk' },
  pages: [
    {
      id: 'p1',
      fields: [
        { id: 'name', key: 'mV2x4a', type: 'short_text', label: 'Full name', required: true, source: { tallyType: 'INPUT_TEXT' } },
        { id: 'phone', key: 'n9Kq1b', type: 'phone', label: 'Phone number', source: { tallyType: 'INPUT_PHONE_NUMBER' } },
        {
          id: 'service', key: 'p0Lw2c', type: 'dropdown', label: 'Service', source: { tallyType: 'DROPDOWN' },
          options: [
            { id: 'o1', value: '5a1b2c3d-0000-4000-8000-000000000001', label: 'Consultation' },
            { id: 'o2', value: '5a1b2c3d-0000-4000-8000-000000000002', label: 'Follow-up' },
          ],
        },
        { id: 'date', key: 'q1Me3d', type: 'date', label: 'Preferred date', source: { tallyType: 'INPUT_DATE' } },
        { id: 'time', key: 'r2Nf4e', type: 'time', label: 'Preferred time', source: { tallyType: 'INPUT_TIME' } },
        { id: 'notes', key: 's3Og5f', type: 'long_text', label: 'Notes', source: { tallyType: 'TEXTAREA' } },
      ],
    },
  ],
});
const fixtureAnswers = { mV2x4a: 'Lucas Martin', n9Kq1b: '+447700900123', p0Lw2c: '5a1b2c3d-0000-4000-8000-000000000001', q1Me3d: '2024-11-05', r2Nf4e: '09:30' };

describe('encodeTallyResponse', () => {
  it('reproduces the Tally FORM_RESPONSE fixture', () => {
    const want = stripAnnotations(json('/work/shared/fixtures/sinks/tally/webhook-FORM_RESPONSE-appointment.json')) as any;
    const s = submissionOf(fixtureForm, fixtureAnswers, { submittedAt: '2024-10-01T10:00:05Z' });
    const got = encodeTallyResponse(s, 'k', { eventId: want.eventId, responseId: want.data.responseId, respondentId: want.data.respondentId });
    expect(got).toEqual(want);
  });

  it('keeps ids stable per idempotency key and the respondent stable per phone', () => {
    const s = submissionOf(fixtureForm, fixtureAnswers);
    const a = encodeTallyResponse(s, 'sub-1:tally-webhook') as any;
    const b = encodeTallyResponse(s, 'sub-1:tally-webhook') as any;
    const c = encodeTallyResponse({ ...s, id: 'sub-2' }, 'sub-2:tally-webhook') as any;
    expect(a.eventId).toBe(b.eventId);
    expect(a.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(c.eventId).not.toBe(a.eventId);
    expect(c.data.responseId).not.toBe(a.data.responseId);
    expect(c.data.respondentId).toBe(a.data.respondentId);
  });

  it('lists files by name and type (no download URL exists) and multi-select as option ids', () => {
    const form = formModel({
      id: 'f', title: 'F', source: { system: 'tally', formId: 'f' },
      pages: [{ id: 'p', fields: [
        { id: 'doc', key: 'doc', type: 'file', label: 'Upload' },
        { id: 'm', key: 'm', type: 'multiple_choice', label: 'Pick', options: [{ id: 'a', value: 'uuid-a', label: 'A' }, { id: 'b', value: 'uuid-b', label: 'B' }] },
      ] }],
    });
    const s = submissionOf(form, { m: ['uuid-b', 'uuid-a'] }, { files: [memoryFile('doc', 'id.jpg', 'image/jpeg', new Uint8Array([1, 2, 3]))] });
    const fields = (encodeTallyResponse(s, 'k') as any).data.fields;
    expect(fields[0]).toEqual({ key: 'question_doc', label: 'Upload', type: 'FILE_UPLOAD', value: [{ name: 'id.jpg', mimeType: 'image/jpeg', size: 3 }] });
    expect(fields[1]).toEqual({ key: 'question_m', label: 'Pick', type: 'CHECKBOXES', value: ['uuid-b', 'uuid-a'], options: [{ id: 'uuid-a', text: 'A' }, { id: 'uuid-b', text: 'B' }] });
  });
});

describe('tally-webhook sink through the contract fake', () => {
  let fake: SignedReceiver | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });
  const submission = () => submissionOf(fixtureForm, fixtureAnswers);

  it('delivers a payload signed as Tally signs', async () => {
    fake = await startTallyWebhookSinkFake({ secret: SECRET, form: fixtureForm });
    expect(await tallyWebhookSink.deliver(deliveryContext({ url: fake.url, secret: SECRET }), submission())).toEqual({ kind: 'delivered' });
    expect(fake.ledger).toHaveLength(1);
    expect(fake.ledger[0]!.headers['tally-signature']).toBe(tallySignature(SECRET, JSON.stringify(fake.ledger[0]!.payload)));
  });

  it('a wrong secret: permanent with the consumer message, secret not in it', async () => {
    fake = await startTallyWebhookSinkFake({ secret: SECRET });
    const out = await tallyWebhookSink.deliver(deliveryContext({ url: fake.url, secret: 'wrong-secret-value' }), submission());
    expect(out.kind === 'permanent' && out.reason).toContain('invalid Tally-Signature');
    expect(JSON.stringify(out)).not.toContain('wrong-secret-value');
  });

  it('a missing required answer is refused permanently with the consumer message', async () => {
    fake = await startTallyWebhookSinkFake({ secret: SECRET, form: fixtureForm });
    const out = await tallyWebhookSink.deliver(deliveryContext({ url: fake.url, secret: SECRET }), submissionOf(fixtureForm, { n9Kq1b: '+447700900123' }));
    expect(out.kind === 'permanent' && out.reason).toContain('required question_mV2x4a not answered');
  });

  it('5xx retried; 429 retried after Retry-After (HTTP date too)', async () => {
    fake = await startTallyWebhookSinkFake({ secret: SECRET });
    const now = new Date('2026-01-01T00:00:00Z');
    fake.failNext(1, { kind: 'status', status: 500 });
    fake.failNext(1, { kind: 'status', status: 429, retryAfter: 'Thu, 01 Jan 2026 00:01:00 GMT' });
    const ctx = deliveryContext({ url: fake.url, secret: SECRET }, { now });
    expect((await tallyWebhookSink.deliver(ctx, submission())).kind).toBe('retry');
    expect(await tallyWebhookSink.deliver(ctx, submission())).toMatchObject({ kind: 'retry', retryAfterMs: 60_000 });
  });

  it('a lost response: retried with the same eventId, one distinct event at the consumer', async () => {
    fake = await startTallyWebhookSinkFake({ secret: SECRET });
    fake.failNext(1, { kind: 'lose' });
    const ctx = deliveryContext({ url: fake.url, secret: SECRET });
    expect((await tallyWebhookSink.deliver(ctx, submission())).kind).toBe('retry');
    expect((await tallyWebhookSink.deliver(ctx, submission())).kind).toBe('delivered');
    expect(fake.ledger).toHaveLength(2);
    expect(fake.uniqueEvents()).toBe(1);
  });

  it('property: random answers to the fixture forms are accepted or refused with a reason', async () => {
    fake = await startTallyWebhookSinkFake({ secret: SECRET });
    const url = fake.url;
    let delivered = 0;
    for (const name of ['form-appointment.json', 'form-large-survey.json', 'form-kyc-onboarding.json']) {
      const f = sourceForm(name);
      await fc.assert(
        fc.asyncProperty(arbitraryAnswers(f), async (answers) => {
          const out = await tallyWebhookSink.deliver(deliveryContext({ url, secret: SECRET }), submissionOf(f, answers));
          expect(out.kind === 'delivered' || (out.kind === 'permanent' && out.reason.length > 0)).toBe(true);
          if (out.kind === 'delivered') delivered++;
        }),
        { numRuns: 40 },
      );
    }
    expect(delivered).toBeGreaterThan(0);
    expect(fake.ledger).toHaveLength(delivered);
  });
});
