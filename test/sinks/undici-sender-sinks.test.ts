/**
 * The sinks on the production transport: the shared test kits build
 * contexts over global fetch, so here the same contract fakes are driven
 * with the undici sender the worker gives sinks — signed webhooks verified
 * by the reference library, Google Forms' sign-in redirect seen (manual
 * redirects), SurveyMonkey's Retry-After read, Jotform's body read, and a
 * dropped connection reported as unreachable.
 * @module
 */
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { SourceValue } from '../../src/core/compile/map-answers-to-source.js';
import { googleFormsSink } from '../../src/sinks/google-forms/google-forms-sink.js';
import { createUndiciSender } from '../../src/sinks/http/undici-sender.js';
import { jotformSink } from '../../src/sinks/jotform/jotform-sink.js';
import type { DeliveryContext } from '../../src/sinks/sink-connector.js';
import { surveyMonkeySink } from '../../src/sinks/surveymonkey/surveymonkey-sink.js';
import { webhookSink } from '../../src/sinks/webhook/webhook-sink.js';
import { mapGoogleForm } from '../../src/sources/google-forms/map-google-form.js';
import { mapJotformDefinition } from '../../src/sources/jotform/map-jotform-definition.js';
import { mapSurveyMonkeyDefinition } from '../../src/sources/surveymonkey/map-surveymonkey-definition.js';
import { loadSinkFixture } from '../fakes/google-forms-sink/fake-sink-server.js';
import { startGoogleFormsSinkFake } from '../fakes/google-forms-sink/google-forms-sink-fake.js';
import { makeContext, makeSubmission, sourceFixture } from '../fakes/google-forms-sink/sink-test-kit.js';
import { startJotformSinkFake } from '../fakes/jotform-sink/jotform-sink-fake.js';
import { startSurveyMonkeySinkFake } from '../fakes/surveymonkey-sink/surveymonkey-sink-fake.js';
import { startWebhookSinkFake } from '../fakes/webhook-sink/fake-webhook-sink.js';
import { formModel } from '../fakes/webhook-sink/sink-test-kit.js';

const http = createUndiciSender();
afterAll(() => http.close());
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A kit context whose requests go through the undici sender. */
function onUndici<S>(settings: S): DeliveryContext<S> {
  return { ...makeContext(settings), http, now: () => new Date() };
}

describe('sinks on the undici sender', () => {
  it('webhook: the reference library verifies what the consumer received', async () => {
    const secret = `whsec_${Buffer.from('a-32-byte-secret-for-the-tests!!').toString('base64')}`;
    const fake = await startWebhookSinkFake({ secret });
    closers.push(() => fake.close());
    const form = formModel({ id: 'c', title: 'C', source: { system: 'file' }, pages: [{ id: 'p', fields: [{ id: 'email', key: 'email', type: 'email', label: 'Email' }] }] });
    expect(await webhookSink.deliver(onUndici({ url: fake.url, secret }), makeSubmission(form, { email: 'a@example.com' }))).toEqual({ kind: 'delivered' });
    const entry = fake.ledger[0]!;
    expect(() => new Webhook(secret).verify(JSON.stringify(entry.payload), entry.headers as Record<string, string>)).not.toThrow();
  });

  it('google forms: delivered, and the sign-in redirect is reported, not followed', async () => {
    const form = mapGoogleForm(sourceFixture('google-forms', 'form-appointment.json')).model;
    const publishedId = form.source.meta?.['publishedId'] as string;
    const answers: Record<string, SourceValue> = { 'entry.439041034': 'Maria Lopez', 'entry.439041036': '+34 600 123 456', 'entry.439041038': 'Blood test', 'entry.439041040': '2024-11-05', 'entry.439041042': '09:30', 'entry.439041046': 'Yes', 'entry.439041048': 'Fasting since 8pm' };
    const open = await startGoogleFormsSinkFake({ form, publishedId });
    closers.push(() => open.close());
    expect(await googleFormsSink.deliver(onUndici(googleFormsSink.settingsSchema.parse({ baseUrl: open.url, timeoutMs: 5000 })), makeSubmission(form, answers))).toEqual({ kind: 'delivered' });
    expect(open.ledger).toHaveLength(1);
    const signIn = await startGoogleFormsSinkFake({ form, publishedId, signInRequired: true });
    closers.push(() => signIn.close());
    const out = await googleFormsSink.deliver(onUndici(googleFormsSink.settingsSchema.parse({ baseUrl: signIn.url, timeoutMs: 5000 })), makeSubmission(form, answers));
    expect(out).toMatchObject({ kind: 'permanent', reason: expect.stringMatching(/sign-in/) });
  });

  it('surveymonkey: a 429 with Retry-After retries after it; a dropped connection is unreachable', async () => {
    const survey = sourceFixture('surveymonkey', 'survey-appointment-details.json');
    const form = mapSurveyMonkeyDefinition({ survey, collectors: sourceFixture('surveymonkey', 'list-collectors.json') }).model;
    const submission = makeSubmission(form, { '4385172020': 'Ahmed Khan', '4385172021': '4385172013', '4385172022/4385172016': '2024-11-05T09:30', '4385172023': '4385172018', ref: 'WA-7781' });
    const fake = await startSurveyMonkeySinkFake({ survey, collectorId: '431000001', token: 'sm-secret-token-123' });
    closers.push(() => fake.close());
    const settings = surveyMonkeySink.settingsSchema.parse({ baseUrl: fake.url, accessToken: 'sm-secret-token-123', timeoutMs: 5000, checkBeforeWrite: false });
    fake.failNext({ kind: 'status', status: 429, retryAfter: '60', body: loadSinkFixture('surveymonkey', 'error-429.json') });
    expect(await surveyMonkeySink.deliver(onUndici(settings), submission)).toEqual({ kind: 'retry', reason: 'Too many requests were made, try again later. (error 1040)', retryAfterMs: 60_000 });
    fake.failNext({ kind: 'drop-before-processing' });
    const dropped = await surveyMonkeySink.deliver(onUndici(settings), submission);
    expect(dropped).toMatchObject({ kind: 'retry', reason: expect.stringMatching(/^SurveyMonkey could not be reached: Network error \(\w+\)/) });
    expect(JSON.stringify(dropped)).not.toContain('sm-secret-token-123');
    expect(await surveyMonkeySink.deliver(onUndici(settings), submission)).toMatchObject({ kind: 'delivered' });
    expect(fake.ledger).toHaveLength(1);
  });

  it("jotform: the submission is added and Jotform's id read from the body", async () => {
    const questions = sourceFixture('jotform', 'form-appointment-questions.json') as { content: Record<string, Record<string, unknown>> };
    const form = mapJotformDefinition({ questions }).model;
    const fake = await startJotformSinkFake({ questions: questions.content, formId: '241234567890002', apiKey: 'jf-secret-key-42' });
    closers.push(() => fake.close());
    const settings = jotformSink.settingsSchema.parse({ baseUrl: fake.url, apiKey: 'jf-secret-key-42', formId: '241234567890002', timeoutMs: 5000 });
    const answers: Record<string, SourceValue> = { '3[first]': 'Nina', '3[last]': 'Petrova', '4[full]': '+44 7700 900123', '5': 'Cleaning', '6': '2024-11-05', '7': '09:30', '8': 'First visit' };
    expect(await jotformSink.deliver(onUndici(settings), makeSubmission(form, answers))).toMatchObject({ kind: 'delivered', externalId: expect.any(String) });
    expect(fake.ledger).toHaveLength(1);
  });
});
