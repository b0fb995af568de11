import { afterEach, describe, expect, it } from 'vitest';
import { findSink } from '../../src/sinks/registry.js';
import fc from 'fast-check';
import type { SourceValue } from '../../src/core/compile/map-answers-to-source.js';
import type { FormModel } from '../../src/core/form/index.js';
import { encodeSurveyResponse } from '../../src/sinks/surveymonkey/encode-survey-response.js';
import { surveyMonkeySink, type SurveyMonkeySinkSettings } from '../../src/sinks/surveymonkey/surveymonkey-sink.js';
import { mapSurveyMonkeyDefinition } from '../../src/sources/surveymonkey/map-surveymonkey-definition.js';
import { loadSinkFixture, type FakeSinkServer } from '../fakes/google-forms-sink/fake-sink-server.js';
import { ALL_TYPES_FORM, ALL_TYPES_KEYS, anyAnswers, makeContext, makeSubmission, memoryProgress, sourceFixture } from '../fakes/google-forms-sink/sink-test-kit.js';
import { startSurveyMonkeySinkFake, type SurveyMonkeyLedgerEntry } from '../fakes/surveymonkey-sink/surveymonkey-sink-fake.js';

const TOKEN = 'sm-secret-token-123';
const details = (name: string): unknown => sourceFixture('surveymonkey', `survey-${name}-details.json`);
const form = (name: string): FormModel => mapSurveyMonkeyDefinition({ survey: details(name), collectors: sourceFixture('surveymonkey', 'list-collectors.json') }).model;
const settings = (baseUrl: string, extra: Partial<SurveyMonkeySinkSettings> = {}): SurveyMonkeySinkSettings =>
  surveyMonkeySink.settingsSchema.parse({ baseUrl, accessToken: TOKEN, timeoutMs: 5000, ...extra });
const encode = (f: FormModel, a: Record<string, SourceValue>): unknown => {
  const e = encodeSurveyResponse(f, a);
  if (!e.ok) throw new Error(e.reason);
  return e.body;
};

const appointmentAnswers: Record<string, SourceValue> = {
  '4385172020': 'Ahmed Khan',
  '4385172021': '4385172013',
  '4385172022/4385172016': '2024-11-05T09:30',
  '4385172023': '4385172018',
  ref: 'WA-7781',
};

let fake: FakeSinkServer<SurveyMonkeyLedgerEntry> | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('SurveyMonkey response encoder', () => {
  it('never throws on random answers of every field type: a body, or a refusal naming a field', () => {
    fc.assert(fc.property(anyAnswers, (a) => {
      const e = encodeSurveyResponse(ALL_TYPES_FORM, a);
      if (!e.ok) {
        expect(e.reason).toMatch(/\S/);
        expect(ALL_TYPES_KEYS).toContain(e.field);
      }
    }), { numRuns: 300 });
  });

  it('reproduces the appointment request (menu choice, intl date and time, custom variable)', () => {
    expect({ ...(encode(form('appointment'), appointmentAnswers) as object), ip_address: '203.0.113.10' }).toEqual(loadSinkFixture('surveymonkey', 'create-response-appointment-request.json'));
  });

  it('reproduces the newsletter request (contact rows, multiple choice with "other")', () => {
    const answers = { '4385172010': 'eva@example.com', '4385172011/4385172001': 'Eva Novak', '4385172011/4385172003': 'eva@example.com', '4385172012': ['4385172005', '4385172007', 'Webinars'] };
    expect(encode(form('newsletter'), answers)).toEqual(loadSinkFixture('surveymonkey', 'create-response-newsletter-request.json'));
  });

  it('reproduces the feedback request (NPS and rating rows, matrix, essay)', () => {
    const answers = { '4385172050/4385172025': 9, '4385172051/4385172037': 5, '4385172052': { '4385172043': '4385172047', '4385172044': '4385172048' }, '4385172053': 'Great support team.' };
    expect(encode(form('nps-feedback'), answers)).toEqual(loadSinkFixture('surveymonkey', 'create-response-feedback-request.json'));
  });

  it('refuses a rating off the scale and a choice not in the survey, naming the field', () => {
    expect(encodeSurveyResponse(form('nps-feedback'), { '4385172050/4385172025': 11 })).toMatchObject({ ok: false, field: '4385172050/4385172025' });
    expect(encodeSurveyResponse(form('appointment'), { ...appointmentAnswers, '4385172021': 'Massage' })).toMatchObject({ ok: false, field: '4385172021' });
  });
});

describe('SurveyMonkey sink through the contract fake', () => {
  it('is registered under its folder name', () => {
    expect(findSink('surveymonkey')).toBe(surveyMonkeySink);
  });

  const appointment = form('appointment');
  const submission = makeSubmission(appointment, appointmentAnswers);
  const start = async (extra: { closed?: boolean } = {}): Promise<FakeSinkServer<SurveyMonkeyLedgerEntry>> =>
    (fake = await startSurveyMonkeySinkFake({ survey: details('appointment'), collectorId: '431000001', token: TOKEN, ...extra }));

  it('creates the response and returns its id', async () => {
    const f = await start();
    const out = await surveyMonkeySink.deliver(makeContext(settings(f.url, { ipAddress: '203.0.113.10' })), submission);
    expect(out).toEqual({ kind: 'delivered', externalId: '118700000001' });
    expect(f.ledger[0]?.body).toEqual(loadSinkFixture('surveymonkey', 'create-response-appointment-request.json'));
  });

  it('keeps SurveyMonkey\'s own message and the question it names (400), never the token', async () => {
    const f = await start();
    const bad = makeSubmission(appointment, { ...appointmentAnswers, '4385172020': undefined as unknown as string });
    const out = await surveyMonkeySink.deliver(makeContext(settings(f.url)), bad);
    expect(out).toEqual({ kind: 'permanent', reason: 'Question \'4385172020\' requires an answer. (error 1002)', field: '4385172020' });
    const denied = await surveyMonkeySink.deliver(makeContext(settings(f.url, { accessToken: 'wrong' })), submission);
    expect(denied).toEqual({ kind: 'permanent', reason: 'The authorization token provided was invalid. (error 1011)' });
    expect(JSON.stringify([out, denied])).not.toContain(TOKEN);
  });

  it('classifies a closed collector as permanent, 429 and 5xx as retry', async () => {
    let f = await start({ closed: true });
    expect(await surveyMonkeySink.deliver(makeContext(settings(f.url)), submission)).toEqual({ kind: 'permanent', reason: 'Collector is closed and cannot accept responses. (error 1025)' });
    await f.close();
    f = await start();
    f.failNext({ kind: 'status', status: 429, retryAfter: '60', body: loadSinkFixture('surveymonkey', 'error-429.json') });
    expect(await surveyMonkeySink.deliver(makeContext(settings(f.url)), submission)).toEqual({ kind: 'retry', reason: 'Too many requests were made, try again later. (error 1040)', retryAfterMs: 60_000 });
    f.failNext({ kind: 'status', status: 503 });
    expect(await surveyMonkeySink.deliver(makeContext(settings(f.url)), submission)).toMatchObject({ kind: 'retry' });
    f.failNext({ kind: 'drop-before-processing' });
    expect(await surveyMonkeySink.deliver(makeContext(settings(f.url)), submission)).toMatchObject({ kind: 'retry', reason: expect.stringMatching(/could not be reached/) });
    expect(f.ledger).toHaveLength(0);
  });

  it('a lost response then a retry leaves one response: the retry finds it first', async () => {
    const f = await start();
    f.failNext({ kind: 'lost-response' }, 1, 'POST');
    const ctx = makeContext(settings(f.url), memoryProgress());
    expect((await surveyMonkeySink.deliver(ctx, submission)).kind).toBe('retry');
    expect(await surveyMonkeySink.deliver(ctx, submission)).toMatchObject({ kind: 'delivered', externalId: '118700000001' });
    expect(f.ledger).toHaveLength(1);
  });

  it('a retry after an attempt that never landed posts, and other responses are not mistaken for ours', async () => {
    const f = await start();
    await surveyMonkeySink.deliver(makeContext(settings(f.url)), makeSubmission(appointment, { ...appointmentAnswers, '4385172024': 'other notes' }));
    f.failNext({ kind: 'drop-before-processing' }, 1, 'POST');
    const ctx = makeContext(settings(f.url), memoryProgress());
    expect((await surveyMonkeySink.deliver(ctx, submission)).kind).toBe('retry');
    expect(await surveyMonkeySink.deliver(ctx, submission)).toEqual({ kind: 'delivered', externalId: '118700000002' });
    expect(f.ledger).toHaveLength(2);
  });

  it('with the check turned off, a lost response is created twice', async () => {
    const f = await start();
    f.failNext({ kind: 'lost-response' });
    const ctx = makeContext(settings(f.url, { checkBeforeWrite: false }), memoryProgress());
    expect((await surveyMonkeySink.deliver(ctx, submission)).kind).toBe('retry');
    expect((await surveyMonkeySink.deliver(ctx, submission)).kind).toBe('delivered');
    expect(f.ledger).toHaveLength(2);
  });

  it.each([
    ['error-400-invalid-answer.json', 400, 'permanent'],
    ['error-400-invalid-body.json', 400, 'permanent'],
    ['error-401.json', 401, 'permanent'],
    ['error-403-scope.json', 403, 'permanent'],
    ['error-404.json', 404, 'permanent'],
    ['error-409-collector-closed.json', 409, 'permanent'],
    ['error-429.json', 429, 'retry'],
  ] as const)('classifies %s (HTTP %i) as %s with SurveyMonkey\'s own message', async (name, status, kind) => {
    const f = await start();
    const body = loadSinkFixture('surveymonkey', name) as { error: { id: string; message: string } };
    f.failNext({ kind: 'status', status, body });
    const out = await surveyMonkeySink.deliver(makeContext(settings(f.url)), submission);
    expect(out).toMatchObject({ kind, reason: `${body.error.message} (error ${body.error.id})` });
  });

  it('refuses at configuration time a survey with no collector', () => {
    const noCollector = mapSurveyMonkeyDefinition({ survey: details('appointment') }).model;
    expect(surveyMonkeySink.checkForm?.(noCollector, settings('http://x'))).toEqual([expect.stringMatching(/collector/)]);
    expect(surveyMonkeySink.checkForm?.(noCollector, settings('http://x', { collectorId: '431000001' }))).toEqual([]);
  });

  it('random answers of the survey\'s types are accepted or refused permanently with a reason', async () => {
    const f = await start();
    const answers = fc.record({
      '4385172020': fc.string(),
      '4385172021': fc.oneof(fc.constantFrom('4385172013', '4385172014', '4385172015'), fc.string()),
      '4385172022/4385172016': fc.oneof(fc.date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 16)), fc.string()),
      '4385172023': fc.constantFrom('4385172017', '4385172018', 'Maybe'),
      '4385172024': fc.string(),
      ref: fc.string(),
    }, { requiredKeys: [] });
    await fc.assert(fc.asyncProperty(answers, async (a) => {
      const before = f.ledger.length;
      const out = await surveyMonkeySink.deliver(makeContext(settings(f.url)), makeSubmission(appointment, a));
      if (out.kind === 'delivered') expect(f.ledger.length).toBe(before + 1);
      else expect(out).toMatchObject({ kind: 'permanent', reason: expect.stringMatching(/\S/) });
    }), { numRuns: 60 });
  });
});
