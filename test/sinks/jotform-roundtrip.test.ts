import { afterAll, describe, expect, it } from 'vitest';
import { compileForm } from '../../src/core/compile/compile-form.js';
import { mapAnswersToSource, type SourceValue } from '../../src/core/compile/map-answers-to-source.js';
import type { FormModel } from '../../src/core/form/index.js';
import { jotformSink } from '../../src/sinks/jotform/jotform-sink.js';
import { mapJotformDefinition } from '../../src/sources/jotform/map-jotform-definition.js';
import { runCompiled } from '../compile/run-compiled.js';
import type { FakeSinkServer } from '../fakes/google-forms-sink/fake-sink-server.js';
import { makeContext, makeSubmission, sourceFixture } from '../fakes/google-forms-sink/sink-test-kit.js';
import { startJotformSinkFake } from '../fakes/jotform-sink/jotform-sink-fake.js';

const fakes: Array<FakeSinkServer<unknown>> = [];
afterAll(async () => {
  await Promise.all(fakes.map((f) => f.close()));
});

async function completed(form: FormModel): Promise<Record<string, SourceValue>> {
  const result = compileForm(form);
  const run = await runCompiled(result);
  expect(run.status).toBe('completed');
  return mapAnswersToSource(result.fieldMap, run.response ?? {}, run.endpointAnswers);
}

describe('compiled Jotform forms deliver end to end', () => {
  it.each([['appointment', false], ['newsletter', false], ['nps-feedback', false], ['large-intake', true]] as const)('form-%s (file upload refused: %s): accepted by the submissions fake, or refused at configuration', async (name, refused) => {
    const raw = sourceFixture('jotform', `form-${name}-questions.json`) as { content: Record<string, Record<string, unknown>> };
    const form = mapJotformDefinition({ questions: raw }).model;
    const settings = jotformSink.settingsSchema.parse({ apiKey: 'key', formId: 'f1' });
    const problems = jotformSink.checkForm?.(form, settings) ?? [];
    expect(problems.length > 0).toBe(refused);
    if (refused) {
      expect(problems.join(' ')).toMatch(/file uploads/);
      return;
    }
    const fake = await startJotformSinkFake({ questions: raw.content, formId: 'f1', apiKey: 'key' });
    fakes.push(fake);
    const out = await jotformSink.deliver(makeContext({ ...settings, baseUrl: fake.url }), makeSubmission(form, await completed(form)));
    expect(out).toMatchObject({ kind: 'delivered' });
    expect(fake.ledger).toHaveLength(1);
  });
});
