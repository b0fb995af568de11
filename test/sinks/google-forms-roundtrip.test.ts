import { afterAll, describe, expect, it } from 'vitest';
import { compileForm } from '../../src/core/compile/compile-form.js';
import { mapAnswersToSource } from '../../src/core/compile/map-answers-to-source.js';
import type { FormModel } from '../../src/core/form/index.js';
import { googleFormsSink } from '../../src/sinks/google-forms/google-forms-sink.js';
import { googleSheetsSink } from '../../src/sinks/google-sheets/google-sheets-sink.js';
import { headerRow } from '../../src/sinks/google-sheets/sheet-row.js';
import { mapGoogleForm } from '../../src/sources/google-forms/map-google-form.js';
import { runCompiled } from '../compile/run-compiled.js';
import type { FakeSinkServer } from '../fakes/google-forms-sink/fake-sink-server.js';
import { startGoogleFormsSinkFake, type GoogleFormsLedgerEntry } from '../fakes/google-forms-sink/google-forms-sink-fake.js';
import { makeContext, makeSubmission, sourceFixture } from '../fakes/google-forms-sink/sink-test-kit.js';
import { startGoogleSheetsSinkFake } from '../fakes/google-sheets-sink/google-sheets-sink-fake.js';

const fakes: Array<FakeSinkServer<unknown>> = [];
afterAll(async () => {
  await Promise.all(fakes.map((f) => f.close()));
});

/** Compile the form, run it with generated answers, map them back: what a real completion hands the sinks. */
async function completed(form: FormModel): Promise<Record<string, unknown>> {
  const result = compileForm(form);
  const run = await runCompiled(result);
  expect(run.status).toBe('completed');
  return mapAnswersToSource(result.fieldMap, run.response ?? {}, run.endpointAnswers);
}

describe('compiled Google forms deliver end to end', () => {
  it.each(['form-appointment', 'form-newsletter', 'form-nps-feedback', 'form-large-survey'])('%s: the completion is accepted by the formResponse fake and the Sheets fake', async (name) => {
    const form = mapGoogleForm(sourceFixture('google-forms', `${name}.json`)).model;
    const answers = await completed(form);
    const submission = makeSubmission(form, answers as never);
    const publishedId = form.source.meta?.['publishedId'] as string;
    const gf: FakeSinkServer<GoogleFormsLedgerEntry> = await startGoogleFormsSinkFake({ form, publishedId });
    fakes.push(gf);
    expect(googleFormsSink.checkForm?.(form, googleFormsSink.settingsSchema.parse({ baseUrl: gf.url }))).toEqual([]);
    expect(await googleFormsSink.deliver(makeContext(googleFormsSink.settingsSchema.parse({ baseUrl: gf.url })), submission)).toEqual({ kind: 'delivered' });
    expect(gf.ledger).toHaveLength(1);
    const sheets = await startGoogleSheetsSinkFake({ spreadsheetId: 'sheet-1', token: 't', sheets: { Responses: [headerRow(form, { submissionIdColumn: true })] } });
    fakes.push(sheets);
    const out = await googleSheetsSink.deliver(makeContext(googleSheetsSink.settingsSchema.parse({ baseUrl: sheets.url, accessToken: 't', spreadsheetId: 'sheet-1' })), submission);
    expect(out.kind).toBe('delivered');
    expect(sheets.ledger).toHaveLength(1);
  });
});
