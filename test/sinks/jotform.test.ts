import { afterEach, describe, expect, it } from 'vitest';
import { findSink } from '../../src/sinks/registry.js';
import fc from 'fast-check';
import type { SourceValue } from '../../src/core/compile/map-answers-to-source.js';
import type { FormModel } from '../../src/core/form/index.js';
import { encodeJotformSubmission } from '../../src/sinks/jotform/encode-jotform-submission.js';
import { jotformSink, type JotformSinkSettings } from '../../src/sinks/jotform/jotform-sink.js';
import { mapJotformDefinition } from '../../src/sources/jotform/map-jotform-definition.js';
import { loadSinkFixture, type FakeSinkServer } from '../fakes/google-forms-sink/fake-sink-server.js';
import { ALL_TYPES_FORM, ALL_TYPES_KEYS, anyAnswers, makeContext, makeSubmission, memoryProgress, sourceFixture } from '../fakes/google-forms-sink/sink-test-kit.js';
import { startJotformSinkFake, type JotformLedgerEntry } from '../fakes/jotform-sink/jotform-sink-fake.js';

const API_KEY = 'jf-secret-key-42';
const FORM_ID = '241234567890002';
const questions = (name: string): Record<string, Record<string, unknown>> => (sourceFixture('jotform', `form-${name}-questions.json`) as { content: Record<string, Record<string, unknown>> }).content;
const form = (name: string): FormModel => mapJotformDefinition({ questions: sourceFixture('jotform', `form-${name}-questions.json`) }).model;
const settings = (baseUrl: string, extra: Partial<JotformSinkSettings> = {}): JotformSinkSettings =>
  jotformSink.settingsSchema.parse({ baseUrl, apiKey: API_KEY, formId: FORM_ID, timeoutMs: 5000, ...extra });
const fixturePairs = (loadSinkFixture('jotform', 'create-submission-appointment-request.json') as { fields: Array<[string, string]> }).fields;

const appointmentAnswers: Record<string, SourceValue> = {
  '3[first]': 'Nina', '3[last]': 'Petrova', '4[full]': '+44 7700 900123', '5': 'Cleaning', '6': '2024-11-05', '7': '09:30', '8': 'First visit',
};

let fake: FakeSinkServer<JotformLedgerEntry> | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('Jotform submission encoder', () => {
  it('never throws on random answers of every field type: a body, or a refusal naming a field', () => {
    fc.assert(fc.property(anyAnswers, (a) => {
      const e = encodeJotformSubmission(ALL_TYPES_FORM, a);
      if (!e.ok) {
        expect(e.reason).toMatch(/\S/);
        expect(ALL_TYPES_KEYS).toContain(e.field);
      }
    }), { numRuns: 300 });
  });

  it('reproduces the appointment request (full name, phone, dropdown, date and time parts)', () => {
    const e = encodeJotformSubmission(form('appointment'), appointmentAnswers);
    expect(e.ok && e.fields).toEqual(fixturePairs);
  });

  it('joins checkbox values with a newline as the batch fixture does, "Other" text kept', () => {
    const e = encodeJotformSubmission(form('newsletter'), { '3[first]': 'Ola', '3[last]': 'Nordmann', '4': 'ola@example.no', '5': ['Product updates', 'Events'] });
    const batch = (loadSinkFixture('jotform', 'create-submissions-batch-request.json') as { body: Array<Record<string, unknown>> }).body[0];
    expect(e.ok && Object.fromEntries(e.fields)['submission[5]']).toBe(batch?.['5']);
    const other = encodeJotformSubmission(form('newsletter'), { '4': 'a@b.co', '5': ['Events', 'Webinars'] });
    expect(other.ok && Object.fromEntries(other.fields)['submission[5]']).toBe('Events\nWebinars');
  });

  it('refuses an option that is not on the form, naming the field', () => {
    expect(encodeJotformSubmission(form('appointment'), { ...appointmentAnswers, '5': 'Massage' })).toMatchObject({ ok: false, field: '5' });
  });
});

describe('Jotform sink through the contract fake', () => {
  it('is registered under its folder name', () => {
    expect(findSink('jotform')).toBe(jotformSink);
  });

  const appointment = form('appointment');
  const submission = makeSubmission(appointment, appointmentAnswers);
  const start = async (): Promise<FakeSinkServer<JotformLedgerEntry>> => (fake = await startJotformSinkFake({ questions: questions('appointment'), formId: FORM_ID, apiKey: API_KEY }));

  it('adds the submission and returns Jotform\'s submission id', async () => {
    const f = await start();
    expect(await jotformSink.deliver(makeContext(settings(f.url)), submission)).toEqual({ kind: 'delivered', externalId: '5901234567890123456' });
    expect(f.ledger[0]?.fields).toEqual(fixturePairs);
  });

  it('classifies 401 / 404 / validation as permanent with Jotform\'s message, never the key', async () => {
    const f = await start();
    const denied = await jotformSink.deliver(makeContext(settings(f.url, { apiKey: 'nope' })), submission);
    expect(denied).toEqual({ kind: 'permanent', reason: (loadSinkFixture('jotform', 'error-401.json') as { message: string }).message.trim() });
    expect(await jotformSink.deliver(makeContext(settings(f.url, { formId: '1' })), submission)).toEqual({ kind: 'permanent', reason: 'Form not found' });
    const missing = makeSubmission(appointment, { ...appointmentAnswers, '5': '' });
    expect(await jotformSink.deliver(makeContext(settings(f.url)), missing)).toEqual({ kind: 'permanent', reason: 'Question ID 5: this field is required.', field: '5' });
    expect(JSON.stringify(denied)).not.toContain(API_KEY);
  });

  it.each([
    ['error-401.json', 'permanent'],
    ['error-404.json', 'permanent'],
    ['error-429-limit.json', 'retry'],
  ] as const)('classifies %s as %s with Jotform\'s own message', async (name, kind) => {
    const f = await start();
    const body = loadSinkFixture('jotform', name) as { responseCode: number; message: string };
    f.failNext({ kind: 'status', status: body.responseCode, body });
    expect(await jotformSink.deliver(makeContext(settings(f.url)), submission)).toMatchObject({ kind, reason: body.message.trim() });
  });

  it('retries the daily limit (an hour when no Retry-After) and 5xx', async () => {
    const f = await start();
    f.failNext({ kind: 'status', status: 429, body: loadSinkFixture('jotform', 'error-429-limit.json') });
    expect(await jotformSink.deliver(makeContext(settings(f.url)), submission)).toEqual({ kind: 'retry', reason: 'You reached your daily limit', retryAfterMs: 3_600_000 });
    f.failNext({ kind: 'status', status: 429, retryAfter: '30', body: loadSinkFixture('jotform', 'error-429-limit.json') });
    expect(await jotformSink.deliver(makeContext(settings(f.url)), submission)).toMatchObject({ kind: 'retry', retryAfterMs: 30_000 });
    f.failNext({ kind: 'status', status: 502, body: 'bad gateway' });
    expect(await jotformSink.deliver(makeContext(settings(f.url)), submission)).toEqual({ kind: 'retry', reason: 'Jotform answered HTTP 502.' });
    expect(f.ledger).toHaveLength(0);
  });

  it('a lost response then a retry leaves one submission: the retry finds it first', async () => {
    const f = await start();
    f.failNext({ kind: 'lost-response' }, 1, 'POST');
    const ctx = makeContext(settings(f.url), memoryProgress());
    expect((await jotformSink.deliver(ctx, submission)).kind).toBe('retry');
    expect(await jotformSink.deliver(ctx, submission)).toMatchObject({ kind: 'delivered', externalId: '5901234567890123456' });
    expect(f.ledger).toHaveLength(1);
  });

  it('a retry whose first attempt never landed posts, not fooled by a different submission', async () => {
    const f = await start();
    await jotformSink.deliver(makeContext(settings(f.url)), makeSubmission(appointment, { ...appointmentAnswers, '8': 'Second visit' }));
    f.failNext({ kind: 'drop-before-processing' }, 1, 'POST');
    const ctx = makeContext(settings(f.url), memoryProgress());
    expect((await jotformSink.deliver(ctx, submission)).kind).toBe('retry');
    expect(await jotformSink.deliver(ctx, submission)).toEqual({ kind: 'delivered', externalId: '5901234567890123457' });
    expect(f.ledger).toHaveLength(2);
  });

  it('with the check turned off, a lost response is written twice', async () => {
    const f = await start();
    f.failNext({ kind: 'lost-response' });
    const ctx = makeContext(settings(f.url, { checkBeforeWrite: false }), memoryProgress());
    expect((await jotformSink.deliver(ctx, submission)).kind).toBe('retry');
    expect((await jotformSink.deliver(ctx, submission)).kind).toBe('delivered');
    expect(f.ledger).toHaveLength(2);
  });

  it('refuses at configuration time a form without id and a form with file uploads', () => {
    expect(jotformSink.checkForm?.(appointment, jotformSink.settingsSchema.parse({ apiKey: 'k' }))).toEqual([expect.stringMatching(/form id/)]);
    const kyc = mapJotformDefinition({ questions: sourceFixture('jotform', 'form-kyc-onboarding-questions.json'), properties: sourceFixture('jotform', 'form-kyc-onboarding-properties.json') }).model;
    expect(jotformSink.checkForm?.(kyc, settings('http://x')).join(' ')).toMatch(/file uploads/);
  });

  it('random answers of the form\'s types are accepted or refused permanently with a reason', async () => {
    const f = await start();
    const answers = fc.record({
      '3[first]': fc.string(), '3[last]': fc.string(), '4[full]': fc.string(),
      '5': fc.oneof(fc.constantFrom('Consultation', 'Cleaning', 'Whitening'), fc.string()),
      '6': fc.oneof(fc.date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)), fc.string()),
      '7': fc.oneof(fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`), fc.string()),
      '8': fc.string(),
    }, { requiredKeys: [] });
    await fc.assert(fc.asyncProperty(answers, async (a) => {
      const before = f.ledger.length;
      const out = await jotformSink.deliver(makeContext(settings(f.url)), makeSubmission(appointment, a));
      if (out.kind === 'delivered') expect(f.ledger.length).toBe(before + 1);
      else expect(out).toMatchObject({ kind: 'permanent', reason: expect.stringMatching(/\S/) });
    }), { numRuns: 60 });
  });
});
