import { describe, expect, it } from 'vitest';
import { jotformSink } from '../../src/sinks/jotform/jotform-sink.js';
import { mapJotformDefinition } from '../../src/sources/jotform/map-jotform-definition.js';
import { closedAfterAll, completedAnswers, makeContext, makeSubmission, sourceFixture } from '../fakes/google-forms-sink/sink-test-kit.js';
import { startJotformSinkFake } from '../fakes/jotform-sink/jotform-sink-fake.js';

const fakes = closedAfterAll();

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
    const out = await jotformSink.deliver(makeContext({ ...settings, baseUrl: fake.url }), makeSubmission(form, await completedAnswers(form)));
    expect(out).toMatchObject({ kind: 'delivered' });
    expect(fake.ledger).toHaveLength(1);
  });
});
