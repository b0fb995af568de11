import { afterEach, describe, expect, it } from 'vitest';
import { findSink } from '../../src/sinks/registry.js';
import fc from 'fast-check';
import type { SourceValue } from '../../src/core/compile/map-answers-to-source.js';
import { encodeFormbricksData } from '../../src/sinks/formbricks/encode-formbricks-response.js';
import { formbricksSink, type FormbricksSinkSettings } from '../../src/sinks/formbricks/formbricks-sink.js';
import { mapFormbricksDefinition } from '../../src/sources/formbricks/map-formbricks-definition.js';
import { loadSinkFixture, type FakeSinkServer } from '../fakes/google-forms-sink/fake-sink-server.js';
import { ALL_TYPES_FORM, ALL_TYPES_KEYS, anyAnswers, formModel, makeContext, makeSubmission, memoryProgress, sourceFixture } from '../fakes/google-forms-sink/sink-test-kit.js';
import { startFormbricksSinkFake, type FormbricksLedgerEntry } from '../fakes/formbricks-sink/formbricks-sink-fake.js';

const ENV = 'clxenv0000000000000000001';
const API_KEY = 'fbk-secret-api-key';
const part = (sub: string, label: string, required = false) => ({ id: `fullname_${sub}`, key: `fullname[${sub}]`, type: 'short_text' as const, label, required });
const appointment = formModel({
  id: 'clsrvappointment00000002',
  title: 'Appointment',
  source: { system: 'formbricks', formId: 'clsrvappointment00000002', meta: { environmentId: ENV } },
  pages: [{
    id: 'p1',
    fields: [
      part('firstName', 'First name', true), part('lastName', 'Last name', true), part('email', 'Email'), part('phone', 'Phone', true),
      { id: 'service', key: 'service', type: 'single_choice', label: 'Service', required: true, options: [{ id: 'c1', value: 'consultation-uwrg', label: 'Consultation' }, { id: 'c2', value: 'follow-up-ruhg', label: 'Follow-up' }, { id: 'c3', value: 'check-up-budj', label: 'Check-up' }] },
      { id: 'date', key: 'date', type: 'date', label: 'Date', required: true },
      { id: 'notes', key: 'notes', type: 'long_text', label: 'Notes' },
    ],
  }],
});
const kyc = formModel({
  id: 'clsrvkyconboarding000004',
  title: 'KYC',
  source: { system: 'formbricks', formId: 'clsrvkyconboarding000004', meta: { environmentId: ENV } },
  pages: [{
    id: 'p1',
    fields: [
      { id: 'legalname', key: 'legalname', type: 'short_text', label: 'Legal name' },
      { id: 'dob', key: 'dob', type: 'date', label: 'Date of birth' },
      { id: 'email', key: 'email', type: 'email', label: 'Email' },
      { id: 'phone', key: 'phone', type: 'phone', label: 'Phone' },
      { id: 'applicanttype', key: 'applicanttype', type: 'single_choice', label: 'Type', options: [{ id: 'i', value: 'Individual', label: 'Individual' }, { id: 'b', value: 'Business', label: 'Business' }] },
      { id: 'doctype', key: 'doctype', type: 'single_choice', label: 'Document', options: [{ id: 'p', value: 'Passport', label: 'Passport' }] },
      { id: 'docupload', key: 'docupload', type: 'file', label: 'Upload' },
      { id: 'pep', key: 'pep', type: 'single_choice', label: 'PEP', options: [{ id: 'n', value: 'No', label: 'No' }, { id: 'y', value: 'Yes', label: 'Yes' }] },
      { id: 'volume', key: 'volume', type: 'number', label: 'Volume' },
      { id: 'terms', key: 'terms', type: 'consent', label: 'Terms' },
      { id: 'crmContactId', key: 'crmContactId', type: 'hidden', label: '' },
    ],
  }],
});
const appointmentAnswers: Record<string, SourceValue> = {
  'fullname[firstName]': 'Zoe', 'fullname[lastName]': 'Adams', 'fullname[phone]': '+447700900123', service: 'consultation-uwrg', date: '2024-11-05', notes: 'Prefer mornings',
};
const settings = (baseUrl: string, extra: Partial<FormbricksSinkSettings> = {}): FormbricksSinkSettings =>
  formbricksSink.settingsSchema.parse({ baseUrl, timeoutMs: 5000, ...extra });
const survey = sourceFixture('formbricks', 'survey-appointment.json');

let fake: FakeSinkServer<FormbricksLedgerEntry> | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});
const start = async (): Promise<FakeSinkServer<FormbricksLedgerEntry>> => (fake = await startFormbricksSinkFake({ survey, environmentId: ENV, apiKey: API_KEY }));

describe('Formbricks response encoder', () => {
  it('never throws on random answers of every field type: a body, or a refusal naming a field', () => {
    fc.assert(fc.property(anyAnswers, (a) => {
      const e = encodeFormbricksData(ALL_TYPES_FORM, a);
      if (!e.ok) {
        expect(e.reason).toMatch(/\S/);
        expect(ALL_TYPES_KEYS).toContain(e.field);
      }
    }), { numRuns: 300 });
  });

  it('reproduces the client request data (contact-info array, choice label, date) — ttc aside, which WhatsApp does not measure', async () => {
    const f = await start();
    const out = await formbricksSink.deliver(makeContext(settings(f.url, { language: 'default', metaUrl: 'https://wa.me/flow/appointment' })), makeSubmission(appointment, appointmentAnswers));
    expect(out).toEqual({ kind: 'delivered', externalId: 'clrsp00000000000000000001' });
    const { ttc, ...expected } = loadSinkFixture('formbricks', 'client-create-response-request.json') as Record<string, unknown>;
    expect(ttc).toBeDefined();
    expect(f.ledger[0]?.body).toEqual(expected);
  });

  it('reproduces the client request from the survey as the Formbricks source maps it', async () => {
    const f = await start();
    const mapped = mapFormbricksDefinition(survey).model;
    const answers = { 'fullname.firstName': 'Zoe', 'fullname.lastName': 'Adams', 'fullname.phone': '+447700900123', service: 'Consultation', date: '2024-11-05', notes: 'Prefer mornings' };
    expect(formbricksSink.checkForm?.(mapped, settings(f.url))).toEqual([]);
    const out = await formbricksSink.deliver(makeContext(settings(f.url, { language: 'default', metaUrl: 'https://wa.me/flow/appointment' })), makeSubmission(mapped, answers));
    expect(out.kind).toBe('delivered');
    const { ttc: _ttc, ...expected } = loadSinkFixture('formbricks', 'client-create-response-request.json') as Record<string, unknown>;
    expect(f.ledger[0]?.body).toEqual(expected);
  });

  it('reproduces the management request data (number as text, consent, file URLs, hidden field)', () => {
    const fixture = loadSinkFixture('formbricks', 'management-create-response-request.json') as { data: Record<string, unknown> };
    const answers = { ...fixture.data, volume: 4000, terms: true } as Record<string, SourceValue>;
    expect(encodeFormbricksData(kyc, answers)).toEqual({ ok: true, data: fixture.data });
  });

  it('refuses a choice the survey does not have and files not in Formbricks storage', () => {
    expect(encodeFormbricksData(appointment, { ...appointmentAnswers, service: 'massage' })).toMatchObject({ ok: false, field: 'service' });
    expect(encodeFormbricksData(kyc, { docupload: [{ mediaId: 'x' }] })).toMatchObject({ ok: false, field: 'docupload' });
  });
});

describe('Formbricks sink through the contract fake', () => {
  it('is registered under its folder name', () => {
    expect(findSink('formbricks')).toBe(formbricksSink);
  });

  const submission = makeSubmission(appointment, appointmentAnswers);

  it('classifies Formbricks errors: 400 with the field, 401 and 404 permanent, 429 and 5xx retry', async () => {
    const f = await start();
    const missing = makeSubmission(appointment, { ...appointmentAnswers, date: '' });
    expect(await formbricksSink.deliver(makeContext(settings(f.url)), missing)).toEqual({ kind: 'permanent', reason: 'Fields are missing or incorrectly formatted (date: Required)', field: 'date' });
    const denied = await formbricksSink.deliver(makeContext(settings(f.url, { apiKey: 'wrong' })), submission);
    expect(denied).toEqual({ kind: 'permanent', reason: 'Not authenticated (x-Api-Key: Header not provided or API Key invalid)' });
    expect(JSON.stringify(denied)).not.toContain('wrong');
    expect(await formbricksSink.deliver(makeContext(settings(f.url, { surveyId: 'clsrvXXXX' })), submission)).toMatchObject({ kind: 'permanent', reason: expect.stringMatching(/^Survey not found/) });
    f.failNext({ kind: 'status', status: 429, retryAfter: '12', body: loadSinkFixture('formbricks', 'error-429.json') });
    expect(await formbricksSink.deliver(makeContext(settings(f.url)), submission)).toEqual({ kind: 'retry', reason: 'Maximum number of requests reached. Please try again later.', retryAfterMs: 12_000 });
    f.failNext({ kind: 'status', status: 500, body: { code: 'internal_server_error', message: 'Internal server error', details: {} } });
    expect(await formbricksSink.deliver(makeContext(settings(f.url)), submission)).toEqual({ kind: 'retry', reason: 'Internal server error' });
    expect(f.ledger).toHaveLength(0);
  });

  it.each([
    ['error-400-bad-request.json', 400, 'permanent'],
    ['error-401.json', 401, 'permanent'],
    ['error-404.json', 404, 'permanent'],
    ['error-429.json', 429, 'retry'],
  ] as const)('classifies %s (HTTP %i) as %s with Formbricks\' own message', async (name, status, kind) => {
    const f = await start();
    const body = loadSinkFixture('formbricks', name) as { message: string };
    f.failNext({ kind: 'status', status, body });
    const out = await formbricksSink.deliver(makeContext(settings(f.url)), submission);
    expect(out).toMatchObject({ kind, reason: expect.stringContaining(body.message) });
  });

  it('management API: a lost response then a retry leaves one response (check before writing)', async () => {
    const f = await start();
    f.failNext({ kind: 'lost-response' });
    const progress = memoryProgress();
    const ctx = makeContext(settings(f.url, { apiKey: API_KEY }), progress);
    expect((await formbricksSink.deliver(ctx, submission)).kind).toBe('retry');
    expect(f.ledger).toHaveLength(1);
    expect(await formbricksSink.deliver(ctx, submission)).toMatchObject({ kind: 'delivered', externalId: f.ledger[0]?.id });
    expect(f.ledger).toHaveLength(1);
    const other = makeSubmission(appointment, { ...appointmentAnswers, notes: 'another' }, { id: 'sub-2' });
    expect((await formbricksSink.deliver(makeContext(settings(f.url, { apiKey: API_KEY })), other)).kind).toBe('delivered');
    expect(f.ledger).toHaveLength(2);
  });

  it('client API cannot read back: a lost response is written twice', async () => {
    const f = await start();
    f.failNext({ kind: 'lost-response' });
    const ctx = makeContext(settings(f.url), memoryProgress());
    expect((await formbricksSink.deliver(ctx, submission)).kind).toBe('retry');
    expect((await formbricksSink.deliver(ctx, submission)).kind).toBe('delivered');
    expect(f.ledger).toHaveLength(2);
  });

  it('refuses at configuration time a survey with file uploads or without ids', () => {
    expect(formbricksSink.checkForm?.(kyc, settings('http://x')).join(' ')).toMatch(/Files cannot be uploaded/);
    const bare = formModel({ id: 'x', title: 'x', pages: [{ id: 'p', fields: [{ id: 'a', key: 'a', type: 'short_text', label: 'A' }] }] });
    expect(formbricksSink.checkForm?.(bare, settings('http://x'))).toHaveLength(2);
    expect(formbricksSink.checkForm?.(appointment, settings('http://x'))).toEqual([]);
  });

  it('random answers of the survey\'s types are accepted or refused permanently with a reason', async () => {
    const f = await start();
    const answers = fc.record({
      'fullname[firstName]': fc.string(), 'fullname[lastName]': fc.string(), 'fullname[email]': fc.string(), 'fullname[phone]': fc.string(),
      service: fc.oneof(fc.constantFrom('consultation-uwrg', 'follow-up-ruhg', 'check-up-budj'), fc.string()),
      date: fc.oneof(fc.date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)), fc.string()),
      notes: fc.string(),
    }, { requiredKeys: [] });
    await fc.assert(fc.asyncProperty(answers, async (a) => {
      const before = f.ledger.length;
      const out = await formbricksSink.deliver(makeContext(settings(f.url)), makeSubmission(appointment, a));
      if (out.kind === 'delivered') expect(f.ledger.length).toBe(before + 1);
      else expect(out).toMatchObject({ kind: 'permanent', reason: expect.stringMatching(/\S/) });
    }), { numRuns: 60 });
  });
});
