import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { SourceValue } from '../../src/core/compile/map-answers-to-source.js';
import { typeformSource } from '../../src/sources/typeform/typeform-source.js';
import { encodeTypeformResponse } from '../../src/sinks/typeform-webhook/encode-typeform-response.js';
import { typeformSignature, typeformWebhookSink } from '../../src/sinks/typeform-webhook/typeform-webhook-sink.js';
import { arbitraryAnswers } from '../fakes/webhook-sink/arbitrary-answers.js';
import type { SignedReceiver } from '../fakes/webhook-sink/signed-receiver.js';
import { deliveryContext, stripAnnotations, submissionOf } from '../fakes/webhook-sink/sink-test-kit.js';
import { startTypeformWebhookSinkFake } from '../fakes/typeform-webhook-sink/fake-typeform-webhook-sink.js';

const SOURCES = '/work/shared/fixtures/sources/typeform';
const SINKS = '/work/shared/fixtures/sinks/typeform';
const json = (path: string): any => JSON.parse(readFileSync(path, 'utf8'));
const form = (name: string) => typeformSource.mapDefinition(json(`${SOURCES}/${name}`)).model;
const SECRET = 'tf-secret-123';

/** The fixture payload with what Flowbridge cannot know removed (Typeform's endings, score variables, definition settings). */
function comparable(payload: any): any {
  const fr = { ...payload.form_response };
  delete fr.ending;
  delete fr.calculated;
  delete fr.variables;
  const { endings: _e, settings: _s, fields, ...definition } = fr.definition;
  return { ...payload, form_response: { ...fr, definition }, fields };
}

const cases: Array<{ fixture: string; form: string; answers: Record<string, SourceValue> }> = [
  {
    fixture: 'webhook-form_response-appointment.json',
    form: 'form-appointment.json',
    answers: { name: 'Priya Shah', phone: '+447700900123', service: 'Colour', date: '2024-11-05', slot: '09:00' },
  },
  {
    fixture: 'webhook-form_response-newsletter.json',
    form: 'form-newsletter.json',
    answers: { email: 'sam@example.org', first_name: 'Sam', topics: ['Product updates', 'Pricing'], consent: true, utm_source: 'whatsapp', utm_campaign: 'autumn' },
  },
  {
    fixture: 'webhook-form_response-feedback.json',
    form: 'form-nps-feedback.json',
    answers: { nps: 4, rating: 2, why_low: 'Waited 3 days for a reply.', customer_id: 'C-10023' },
  },
];

describe('encodeTypeformResponse reproduces Typeform webhook fixtures', () => {
  for (const c of cases) {
    it(c.fixture, () => {
      const want = comparable(stripAnnotations(json(`${SINKS}/${c.fixture}`)));
      const fr = want.form_response;
      const submission = submissionOf(form(c.form), c.answers, { submittedAt: fr.submitted_at });
      const got = comparable(encodeTypeformResponse(submission, 'k', { eventId: want.event_id, token: fr.token, landedAt: fr.landed_at }));
      expect({ ...got, fields: undefined }).toEqual({ ...want, fields: undefined });
      expect(got.fields).toEqual(expect.arrayContaining(want.fields));
    });
  }

  it('derives the same event id and token on every attempt, different per idempotency key', () => {
    const s = submissionOf(form('form-appointment.json'), cases[0]!.answers);
    const a = encodeTypeformResponse(s, 'sub-1:typeform-webhook') as any;
    const b = encodeTypeformResponse(s, 'sub-1:typeform-webhook') as any;
    const c = encodeTypeformResponse(s, 'sub-2:typeform-webhook') as any;
    expect(a.event_id).toBe(b.event_id);
    expect(a.form_response.token).toBe(b.form_response.token);
    expect(c.event_id).not.toBe(a.event_id);
    expect(a.event_id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
  });
});

describe('typeform-webhook sink through the contract fake', () => {
  let fake: SignedReceiver | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });
  const appointment = () => submissionOf(form('form-appointment.json'), cases[0]!.answers);

  it('delivers a payload the consumer verifies, signed as Typeform signs', async () => {
    fake = await startTypeformWebhookSinkFake({ secret: SECRET, form: form('form-appointment.json') });
    const out = await typeformWebhookSink.deliver(deliveryContext({ url: `${fake.url}/hook`, secret: SECRET }), appointment());
    expect(out).toEqual({ kind: 'delivered' });
    expect(fake.ledger).toHaveLength(1);
    const sig = String(fake.ledger[0]!.headers['typeform-signature']);
    expect(sig).toBe(typeformSignature(SECRET, JSON.stringify(fake.ledger[0]!.payload)));
  });

  it('a wrong secret is refused by the consumer: permanent, without the secret in the reason', async () => {
    fake = await startTypeformWebhookSinkFake({ secret: SECRET });
    const out = await typeformWebhookSink.deliver(deliveryContext({ url: fake.url, secret: 'not-the-secret' }), appointment());
    expect(out.kind).toBe('permanent');
    expect(out.kind === 'permanent' && out.reason).toContain('invalid Typeform-Signature');
    expect(JSON.stringify(out)).not.toContain('not-the-secret');
  });

  it('an answer the consumer refuses is permanent with its message', async () => {
    fake = await startTypeformWebhookSinkFake({ secret: SECRET });
    const bad = submissionOf(form('form-newsletter.json'), { email: 'not-an-email', consent: true });
    const out = await typeformWebhookSink.deliver(deliveryContext({ url: fake.url, secret: SECRET }), bad);
    expect(out).toMatchObject({ kind: 'permanent' });
    expect(out.kind === 'permanent' && out.reason).toContain('invalid email for email');
  });

  it('5xx and 429 are retried, 429 honouring Retry-After', async () => {
    fake = await startTypeformWebhookSinkFake({ secret: SECRET });
    fake.failNext(1, { kind: 'status', status: 503 });
    fake.failNext(1, { kind: 'status', status: 429, retryAfter: '7' });
    const ctx = deliveryContext({ url: fake.url, secret: SECRET });
    expect((await typeformWebhookSink.deliver(ctx, appointment())).kind).toBe('retry');
    expect(await typeformWebhookSink.deliver(ctx, appointment())).toMatchObject({ kind: 'retry', retryAfterMs: 7000 });
    expect(await typeformWebhookSink.deliver(ctx, appointment())).toEqual({ kind: 'delivered' });
    expect(fake.ledger).toHaveLength(1);
  });

  it('a lost response is retried with the same event_id: the consumer sees one event (delivered twice)', async () => {
    fake = await startTypeformWebhookSinkFake({ secret: SECRET });
    fake.failNext(1, { kind: 'lose' });
    const ctx = deliveryContext({ url: fake.url, secret: SECRET });
    expect((await typeformWebhookSink.deliver(ctx, appointment())).kind).toBe('retry');
    expect(await typeformWebhookSink.deliver(ctx, appointment())).toEqual({ kind: 'delivered' });
    expect(fake.ledger).toHaveLength(2);
    expect(fake.uniqueEvents()).toBe(1);
  });

  it('an unreachable consumer is a retry', async () => {
    const out = await typeformWebhookSink.deliver(deliveryContext({ url: 'http://127.0.0.1:1/hook', secret: SECRET, timeoutMs: 2000 }), appointment());
    expect(out.kind).toBe('retry');
  });

  it('property: random answers are accepted, or refused permanently with a reason', async () => {
    fake = await startTypeformWebhookSinkFake({ secret: SECRET });
    const url = fake.url;
    let delivered = 0;
    for (const name of ['form-newsletter.json', 'form-large-survey.json', 'form-kyc-onboarding.json']) {
      const f = form(name);
      await fc.assert(
        fc.asyncProperty(arbitraryAnswers(f), async (answers) => {
          const out = await typeformWebhookSink.deliver(deliveryContext({ url, secret: SECRET }), submissionOf(f, answers));
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
