import { afterEach, describe, expect, it } from 'vitest';
import { findSink } from '../../src/sinks/registry.js';
import fc from 'fast-check';
import type { SourceValue } from '../../src/core/compile/map-answers-to-source.js';
import type { FormModel } from '../../src/core/form/index.js';
import { googleSheetsSink, type GoogleSheetsSinkSettings } from '../../src/sinks/google-sheets/google-sheets-sink.js';
import { columnLetter, headerRow, sheetRow } from '../../src/sinks/google-sheets/sheet-row.js';
import { mapGoogleForm } from '../../src/sources/google-forms/map-google-form.js';
import { loadSinkFixture, type FakeSinkServer } from '../fakes/google-forms-sink/fake-sink-server.js';
import { ALL_TYPES_FORM, anyAnswers, makeContext, makeSubmission, memoryProgress, sourceFixture } from '../fakes/google-forms-sink/sink-test-kit.js';
import { startGoogleSheetsSinkFake, type GoogleSheetsLedgerEntry } from '../fakes/google-sheets-sink/google-sheets-sink-fake.js';

const TOKEN = 'ya29.sheets-secret';
const form: FormModel = mapGoogleForm(sourceFixture('google-forms', 'form-appointment.json')).model;
const SHEET_ID = form.source.meta?.['linkedSheetId'] as string;
const COLUMNS = ['entry.439041034', 'entry.439041036', 'entry.439041038', 'entry.439041040', 'entry.439041042', 'entry.439041046', 'entry.439041048'];
const answers: Record<string, SourceValue> = {
  'entry.439041034': 'Maria Lopez', 'entry.439041036': '+34 600 123 456', 'entry.439041038': 'Blood test', 'entry.439041040': '2024-11-05',
  'entry.439041042': '09:30', 'entry.439041046': 'Yes', 'entry.439041048': 'Fasting since 8pm',
};
const submission = makeSubmission(form, answers, { submittedAt: '2024-10-01T10:00:05.000Z' });
const fixture = loadSinkFixture('google-sheets', 'values-append-request.json') as { range: string; values: unknown[][] };
const settings = (baseUrl: string, extra: Partial<GoogleSheetsSinkSettings> = {}): GoogleSheetsSinkSettings =>
  googleSheetsSink.settingsSchema.parse({ baseUrl, accessToken: TOKEN, timeoutMs: 5000, ...extra });

let fake: FakeSinkServer<GoogleSheetsLedgerEntry> | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});
const header = (): unknown[][] => [headerRow(form, { submissionIdColumn: true })];
const start = async (sheets: Record<string, unknown[][]> = { Responses: header() }): Promise<FakeSinkServer<GoogleSheetsLedgerEntry>> =>
  (fake = await startGoogleSheetsSinkFake({ spreadsheetId: SHEET_ID, token: TOKEN, sheets }));

describe('Google Sheets row', () => {
  it('any answers of every field type give one scalar cell per column, never a formula', () => {
    fc.assert(fc.property(anyAnswers, (a) => {
      const row = sheetRow(ALL_TYPES_FORM, a, '2024-10-01T10:00:05Z', 'id', { submissionIdColumn: true });
      expect(row).toHaveLength(headerRow(ALL_TYPES_FORM, { submissionIdColumn: true }).length);
      for (const c of row) {
        expect(['string', 'number', 'boolean']).toContain(typeof c);
        if (typeof c === 'string') expect(c.startsWith('=')).toBe(false);
      }
    }), { numRuns: 300 });
  });

  it('reproduces the fixture row (time, then the configured columns)', () => {
    expect(sheetRow(form, answers, submission.submittedAt, submission.id, { columns: COLUMNS, submissionIdColumn: false })).toEqual(fixture.values[0]);
  });

  it('follows the form\'s order by default, blank for unanswered, id last, formulas neutralised', () => {
    const row = sheetRow(form, { ...answers, 'entry.439041048': '=IMPORTXML("x")' }, submission.submittedAt, 'sub-9', { submissionIdColumn: true });
    expect(row).toHaveLength(form.pages[0]!.fields.length + 2);
    expect(row[6]).toBe('');
    expect(row.at(-2)).toBe('\'=IMPORTXML("x")');
    expect(row.at(-1)).toBe('sub-9');
    expect([0, 25, 26, 51, 52, 701, 702].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AZ', 'BA', 'ZZ', 'AAA']);
  });
});

describe('Google Sheets sink through the contract fake', () => {
  it('is registered under its folder name', () => {
    expect(findSink('google-sheets')).toBe(googleSheetsSink);
  });

  it('appends exactly the fixture request for the fixture configuration', async () => {
    const f = await start({ Responses: [['Timestamp']] });
    const out = await googleSheetsSink.deliver(makeContext(settings(f.url, { columns: COLUMNS, submissionIdColumn: false })), submission);
    expect(out).toEqual({ kind: 'delivered', externalId: 'Responses!A2:H2' });
    const append = f.requests.find((r) => r.method === 'POST');
    expect(JSON.parse(append?.body ?? '')).toEqual(fixture);
    expect(append?.query.get('valueInputOption')).toBe('USER_ENTERED');
    expect(append?.query.get('insertDataOption')).toBe('INSERT_ROWS');
  });

  it('writes the header row first into an empty sheet', async () => {
    const f = await start({ Responses: [] });
    expect((await googleSheetsSink.deliver(makeContext(settings(f.url)), submission)).kind).toBe('delivered');
    expect(f.ledger.map((e) => e.row[0])).toEqual(['Submitted at', '2024-10-01 10:00:05']);
  });

  it('a lost response then a retry leaves one row: the retry finds the submission id', async () => {
    const f = await start();
    f.failNext({ kind: 'lost-response' }, 1, 'POST');
    const ctx = makeContext(settings(f.url), memoryProgress());
    expect((await googleSheetsSink.deliver(ctx, submission)).kind).toBe('retry');
    expect(f.ledger).toHaveLength(1);
    expect(await googleSheetsSink.deliver(ctx, submission)).toMatchObject({ kind: 'delivered', externalId: 'Responses!A2:J2', note: expect.stringMatching(/earlier attempt/) });
    expect(f.ledger).toHaveLength(1);
  });

  it('a replay after a mapping fix rewrites the row in place', async () => {
    const sheets = { Responses: header() };
    const f = await start(sheets);
    const ctx = makeContext(settings(f.url), memoryProgress());
    expect((await googleSheetsSink.deliver(ctx, submission)).kind).toBe('delivered');
    const fixed = makeSubmission(form, { ...answers, 'entry.439041038': 'Vaccination' }, { submittedAt: submission.submittedAt });
    expect(await googleSheetsSink.deliver(ctx, fixed)).toMatchObject({ kind: 'delivered', externalId: 'Responses!A2:J2' });
    expect(sheets.Responses).toHaveLength(2);
    expect(sheets.Responses[1]).toContain('Vaccination');
    expect(f.ledger).toHaveLength(1);
  });

  it('classifies Google\'s errors: bad range and permission permanent, quota retry', async () => {
    const f = await start();
    expect(await googleSheetsSink.deliver(makeContext(settings(f.url, { sheetName: 'Responsez' })), submission)).toEqual({ kind: 'permanent', reason: 'Unable to parse range: Responsez!1:1 (INVALID_ARGUMENT)' });
    const denied = await googleSheetsSink.deliver(makeContext(settings(f.url, { accessToken: 'other' })), submission);
    expect(denied).toMatchObject({ kind: 'permanent', reason: expect.stringMatching(/UNAUTHENTICATED/) });
    f.failNext({ kind: 'status', status: 403, body: loadSinkFixture('google-sheets', 'values-append-error-403.json') });
    expect(await googleSheetsSink.deliver(makeContext(settings(f.url)), submission)).toEqual({ kind: 'permanent', reason: 'The caller does not have permission (PERMISSION_DENIED)' });
    f.failNext({ kind: 'status', status: 429, retryAfter: '20', body: loadSinkFixture('google-sheets', 'values-append-error-429.json') });
    expect(await googleSheetsSink.deliver(makeContext(settings(f.url)), submission)).toMatchObject({ kind: 'retry', reason: expect.stringMatching(/RESOURCE_EXHAUSTED/), retryAfterMs: 20_000 });
    expect(JSON.stringify(denied)).not.toContain(TOKEN);
    expect(f.ledger).toHaveLength(0);
  });

  it.each([
    ['values-append-error-400.json', 'permanent'],
    ['values-append-error-403.json', 'permanent'],
    ['values-append-error-429.json', 'retry'],
  ] as const)('classifies %s as %s with Google\'s own message', async (name, kind) => {
    const f = await start();
    const body = loadSinkFixture('google-sheets', name) as { error: { code: number; message: string; status: string } };
    f.failNext({ kind: 'status', status: body.error.code, body }, 1, 'POST');
    expect(await googleSheetsSink.deliver(makeContext(settings(f.url)), submission)).toMatchObject({ kind, reason: `${body.error.message} (${body.error.status})` });
  });

  it('refuses at configuration time a form with no spreadsheet', () => {
    const plain = { ...form, source: { system: 'file' as const } };
    expect(googleSheetsSink.checkForm?.(plain, settings('http://x'))).toHaveLength(1);
    expect(googleSheetsSink.checkForm?.(plain, settings('http://x', { spreadsheetId: 'abc' }))).toEqual([]);
  });

  it('random answers always append exactly one row (the Sheets API takes any scalars)', async () => {
    const f = await start();
    const value = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.array(fc.string(), { maxLength: 3 }));
    await fc.assert(fc.asyncProperty(fc.dictionary(fc.constantFrom(...COLUMNS), value), async (a) => {
      const before = f.ledger.length;
      const out = await googleSheetsSink.deliver(makeContext(settings(f.url)), makeSubmission(form, a));
      expect(out.kind).toBe('delivered');
      expect(f.ledger.length).toBe(before + 1);
      expect(f.ledger.at(-1)?.row).toHaveLength(form.pages[0]!.fields.length + 2);
    }), { numRuns: 50 });
  });
});
