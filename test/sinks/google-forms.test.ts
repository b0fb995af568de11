import { afterEach, describe, expect, it } from 'vitest';
import { findSink } from '../../src/sinks/registry.js';
import fc from 'fast-check';
import type { SourceValue } from '../../src/core/compile/map-answers-to-source.js';
import type { FormModel } from '../../src/core/form/index.js';
import { encodeFormResponse } from '../../src/sinks/google-forms/encode-form-response.js';
import { findRecordedResponse } from '../../src/sinks/google-forms/find-recorded-response.js';
import { googleFormsSink, type GoogleFormsSinkSettings } from '../../src/sinks/google-forms/google-forms-sink.js';
import { mapGoogleForm } from '../../src/sources/google-forms/map-google-form.js';
import { loadSinkFixture, type FakeSinkServer } from '../fakes/google-forms-sink/fake-sink-server.js';
import { startGoogleFormsSinkFake, type GoogleFormsLedgerEntry } from '../fakes/google-forms-sink/google-forms-sink-fake.js';
import { ALL_TYPES_FORM, ALL_TYPES_KEYS, anyAnswers, makeContext, makeSubmission, memoryProgress, sourceFixture } from '../fakes/google-forms-sink/sink-test-kit.js';

const form = (name: string): FormModel => mapGoogleForm(sourceFixture('google-forms', `${name}.json`)).model;
const fixtureBody = (name: string): string => (loadSinkFixture('google-forms', name) as { body: string }).body;
const settings = (baseUrl: string, extra: Partial<GoogleFormsSinkSettings> = {}): GoogleFormsSinkSettings =>
  googleFormsSink.settingsSchema.parse({ baseUrl, timeoutMs: 5000, ...extra });
const bodyOf = (f: FormModel, answers: Record<string, SourceValue>): string => {
  const e = encodeFormResponse(f, answers);
  if (!e.ok) throw new Error(e.reason);
  return new URLSearchParams(e.fields.map(([k, v]): [string, string] => [k, v])).toString();
};

const appointmentAnswers: Record<string, SourceValue> = {
  'entry.439041034': 'Maria Lopez',
  'entry.439041036': '+34 600 123 456',
  'entry.439041038': 'Blood test',
  'entry.439041040': '2024-11-05',
  'entry.439041042': '09:30',
  'entry.439041046': 'Yes',
  'entry.439041048': 'Fasting since 8pm',
};

let fake: FakeSinkServer<GoogleFormsLedgerEntry> | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('Google Forms formResponse encoder', () => {
  it('never throws on random answers of every field type: a body, or a refusal naming a field', () => {
    fc.assert(fc.property(anyAnswers, (a) => {
      const e = encodeFormResponse(ALL_TYPES_FORM, a);
      if (!e.ok) {
        expect(e.reason).toMatch(/\S/);
        expect(ALL_TYPES_KEYS).toContain(e.field);
      }
    }), { numRuns: 300 });
  });

  it('reproduces the appointment request body (dates, times, dropdown, radio)', () => {
    expect(bodyOf(form('form-appointment'), appointmentAnswers)).toBe(fixtureBody('formResponse-appointment-request.json'));
  });

  it('reproduces the newsletter body (emailAddress, repeated checkbox, "other")', () => {
    const answers = { emailAddress: 'li.wei@example.com', 'entry.439041026': 'li.wei@example.com', 'entry.439041028': 'Li', 'entry.439041030': ['Product updates', 'Pricing changes'], 'entry.439041032': 'Monthly' };
    expect(bodyOf(form('form-newsletter'), answers)).toBe(fixtureBody('formResponse-newsletter-request.json'));
  });

  it('reproduces the KYC body with the sections actually visited in pageHistory', () => {
    const answers = {
      'entry.439041061': 'Tom Becker', 'entry.439041063': '1985-07-21', 'entry.439041065': 'tom.becker@example.de', 'entry.439041067': 'Individual',
      'entry.439041075': 'Passport', 'entry.439041077': 'C01X00T47', 'entry.439041081': 'No', 'entry.439041085': ['I confirm the information is true and complete'],
    };
    expect(bodyOf(form('form-kyc-onboarding'), answers)).toBe(fixtureBody('formResponse-kyc-request-NOT-POSSIBLE.json'));
  });

  it('refuses an option the form does not have, naming the field', () => {
    const e = encodeFormResponse(form('form-appointment'), { ...appointmentAnswers, 'entry.439041038': 'Massage' });
    expect(e).toMatchObject({ ok: false, field: 'entry.439041038' });
  });

  it('drops the year of a month-and-day date question', () => {
    const f = form('form-appointment');
    const page = f.pages[0];
    const date = page?.fields.find((x) => x.key === 'entry.439041040');
    if (!date) throw new Error('fixture changed');
    date.source = { ...date.source, includeYear: false };
    const e = encodeFormResponse(f, appointmentAnswers);
    expect(e.ok && e.fields.filter(([k]) => k.startsWith('entry.439041040_')).map(([k]) => k)).toEqual(['entry.439041040_month', 'entry.439041040_day']);
  });
});

describe('Google Forms recorded-response lookup', () => {
  it('recognises our answers in the Forms API responses fixture, and not different ones', async () => {
    const list = loadSinkFixture('google-forms', 'api-responses-list.json');
    const fetchFixture: typeof fetch = () => Promise.resolve(new Response(JSON.stringify(list), { status: 200 }));
    const f = { ...form('form-appointment'), source: { system: 'google-forms' as const, formId: '1FAIpAppointment02abcdefghijklmnopqrstuvwxyzA' } };
    const base = { fetch: fetchFixture, apiBaseUrl: 'http://x', token: 't', form: f, since: '2024-10-01T10:00:00Z', timeoutMs: 1000 };
    const ours = { 'entry.439041034': 'Maria Lopez', 'entry.439041040': '2024-11-05', 'entry.439041042': '09:30' };
    expect(await findRecordedResponse({ ...base, answers: ours })).toEqual({ kind: 'found', id: 'ACYDBNj8example' });
    expect(await findRecordedResponse({ ...base, answers: { ...ours, 'entry.439041042': '10:30' } })).toEqual({ kind: 'none' });
    expect(await findRecordedResponse({ ...base, answers: { ...ours, 'entry.439041048': 'extra' } })).toEqual({ kind: 'none' });
  });
});

describe('Google Forms configuration check', () => {
  it('is registered under its folder name', () => {
    expect(findSink('google-forms')).toBe(googleFormsSink);
  });

  it('refuses the KYC form: file upload and verified e-mail need sign-in', () => {
    const problems = googleFormsSink.checkForm?.(form('form-kyc-onboarding'), settings('http://x')) ?? [];
    expect(problems.join(' ')).toMatch(/file-upload/);
    expect(problems.join(' ')).toMatch(/verified e-mail/);
  });

  it('accepts the appointment form, refuses it when the operator declares sign-in', () => {
    expect(googleFormsSink.checkForm?.(form('form-appointment'), settings('http://x'))).toEqual([]);
    expect(googleFormsSink.checkForm?.(form('form-appointment'), settings('http://x', { signInRequired: true }))).toHaveLength(1);
  });
});

describe('Google Forms sink through the contract fake', () => {
  const appointment = form('form-appointment');
  const publishedId = appointment.source.meta?.['publishedId'] as string;
  const submission = makeSubmission(appointment, appointmentAnswers);

  it('delivers, and the fake records exactly the fixture body', async () => {
    fake = await startGoogleFormsSinkFake({ form: appointment, publishedId });
    const out = await googleFormsSink.deliver(makeContext(settings(fake.url)), submission);
    expect(out).toEqual({ kind: 'delivered' });
    expect(fake.ledger).toHaveLength(1);
    expect(new URLSearchParams(fake.ledger[0]?.fields).toString()).toBe(fixtureBody('formResponse-appointment-request.json'));
  });

  it('classifies a 400 page as permanent and 5xx / 429 as retry (Retry-After honoured)', async () => {
    fake = await startGoogleFormsSinkFake({ form: appointment, publishedId });
    const missing = makeSubmission(appointment, { ...appointmentAnswers, 'entry.439041034': '' });
    expect(await googleFormsSink.deliver(makeContext(settings(fake.url)), missing)).toMatchObject({ kind: 'permanent', reason: expect.stringMatching(/HTTP 400/) });
    fake.failNext({ kind: 'status', status: 503, body: '<html>busy</html>' });
    expect(await googleFormsSink.deliver(makeContext(settings(fake.url)), submission)).toMatchObject({ kind: 'retry' });
    fake.failNext({ kind: 'status', status: 429, retryAfter: '7' });
    expect(await googleFormsSink.deliver(makeContext(settings(fake.url)), submission)).toEqual({ kind: 'retry', reason: 'Google Forms answered HTTP 429.', retryAfterMs: 7000 });
    expect(fake.ledger).toHaveLength(0);
  });

  it('a 200 that shows the form again (not the confirmation) is a permanent refusal', async () => {
    const formAgain: typeof fetch = () => Promise.resolve(new Response('<html><script>var FB_PUBLIC_LOAD_DATA_ = [];</script></html>', { status: 200 }));
    const out = await googleFormsSink.deliver({ ...makeContext(settings('http://x')), fetch: formAgain }, submission);
    expect(out).toMatchObject({ kind: 'permanent', reason: expect.stringMatching(/showed the form again/) });
  });

  it('reports the sign-in redirect as permanent', async () => {
    fake = await startGoogleFormsSinkFake({ form: appointment, publishedId, signInRequired: true });
    const out = await googleFormsSink.deliver(makeContext(settings(fake.url)), submission);
    expect(out).toMatchObject({ kind: 'permanent', reason: expect.stringMatching(/sign-in/) });
  });

  it('cannot avoid a duplicate after a lost response (no idempotency, no anonymous read): the ledger shows two', async () => {
    fake = await startGoogleFormsSinkFake({ form: appointment, publishedId });
    fake.failNext({ kind: 'lost-response' });
    const progress = memoryProgress();
    expect(await googleFormsSink.deliver(makeContext(settings(fake.url), progress), submission)).toMatchObject({ kind: 'retry' });
    expect(await googleFormsSink.deliver(makeContext(settings(fake.url), progress), submission)).toEqual({ kind: 'delivered' });
    expect(fake.ledger).toHaveLength(2);
  });

  it('with a read token, a lost response then a retry leaves one response (check before writing)', async () => {
    fake = await startGoogleFormsSinkFake({ form: appointment, publishedId, readToken: 'ya29.read' });
    fake.failNext({ kind: 'lost-response' }, 1, 'POST');
    const ctx = makeContext(settings(fake.url, { readToken: 'ya29.read', apiBaseUrl: fake.url }), memoryProgress());
    expect((await googleFormsSink.deliver(ctx, submission)).kind).toBe('retry');
    expect(await googleFormsSink.deliver(ctx, submission)).toMatchObject({ kind: 'delivered', externalId: 'ACYDBN0' });
    expect(fake.ledger).toHaveLength(1);
    const other = makeSubmission(appointment, { ...appointmentAnswers, 'entry.439041048': 'No notes' });
    const ctx2 = makeContext(settings(fake.url, { readToken: 'ya29.read', apiBaseUrl: fake.url }), memoryProgress());
    fake.failNext({ kind: 'drop-before-processing' }, 1, 'POST');
    expect((await googleFormsSink.deliver(ctx2, other)).kind).toBe('retry');
    expect(await googleFormsSink.deliver(ctx2, other)).toEqual({ kind: 'delivered' });
    expect(fake.ledger).toHaveLength(2);
  });

  it('a read token Google refuses makes the retry wait, never post blind, and hides the token', async () => {
    fake = await startGoogleFormsSinkFake({ form: appointment, publishedId, readToken: 'ya29.read' });
    const progress = memoryProgress();
    await progress.set('google-forms:first-post-at', '2024-10-01T10:00:00.000Z');
    const out = await googleFormsSink.deliver(makeContext(settings(fake.url, { readToken: 'ya29.wrong', apiBaseUrl: fake.url }), progress), submission);
    expect(out).toMatchObject({ kind: 'permanent', reason: expect.stringMatching(/invalid authentication/) });
    expect(JSON.stringify(out)).not.toContain('ya29.wrong');
    expect(fake.ledger).toHaveLength(0);
  });

  it('random answers of the form\'s types are accepted by the fake or refused permanently with a reason', async () => {
    const f = form('form-newsletter');
    fake = await startGoogleFormsSinkFake({ form: f, publishedId: f.source.meta?.['publishedId'] as string });
    const url = fake.url;
    const answers = fc.record({
      emailAddress: fc.oneof(fc.emailAddress(), fc.string()),
      'entry.439041026': fc.string(),
      'entry.439041028': fc.string(),
      'entry.439041030': fc.array(fc.oneof(fc.constantFrom('Product updates', 'Events', 'Industry news'), fc.string({ minLength: 1 })), { maxLength: 4 }),
      'entry.439041032': fc.oneof(fc.constantFrom('Weekly', 'Monthly'), fc.string()),
    }, { requiredKeys: [] });
    await fc.assert(fc.asyncProperty(answers, async (a) => {
      const before = fake?.ledger.length ?? 0;
      const out = await googleFormsSink.deliver(makeContext(settings(url)), makeSubmission(f, a));
      if (out.kind === 'delivered') expect(fake?.ledger.length).toBe(before + 1);
      else expect(out).toMatchObject({ kind: 'permanent', reason: expect.stringMatching(/\S/) });
    }), { numRuns: 60 });
  });
});
