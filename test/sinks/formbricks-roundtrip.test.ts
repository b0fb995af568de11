import { describe, expect, it } from 'vitest';
import { formbricksSink } from '../../src/sinks/formbricks/formbricks-sink.js';
import { mapFormbricksDefinition } from '../../src/sources/formbricks/map-formbricks-definition.js';
import { closedAfterAll, completedAnswers, makeContext, makeSubmission, sourceFixture } from '../fakes/google-forms-sink/sink-test-kit.js';
import { startFormbricksSinkFake } from '../fakes/formbricks-sink/formbricks-sink-fake.js';

const fakes = closedAfterAll();

describe('compiled Formbricks surveys deliver end to end', () => {
  it.each([['appointment', false], ['newsletter', false], ['nps-feedback', false], ['large', true], ['kyc-onboarding', true]] as const)('survey-%s (file upload refused: %s): accepted by the responses fake, or refused at configuration', async (name, refused) => {
    const survey = sourceFixture('formbricks', `survey-${name}.json`);
    const form = mapFormbricksDefinition(survey).model;
    const settings = formbricksSink.settingsSchema.parse({});
    const problems = formbricksSink.checkForm?.(form, settings) ?? [];
    expect(problems.length > 0).toBe(refused);
    if (refused) {
      expect(problems.join(' ')).toMatch(/Files cannot be uploaded/);
      return;
    }
    const env = form.source.meta?.['environmentId'] as string;
    const fake = await startFormbricksSinkFake({ survey, environmentId: env, apiKey: 'k' });
    fakes.push(fake);
    const out = await formbricksSink.deliver(makeContext({ ...settings, baseUrl: fake.url }), makeSubmission(form, await completedAnswers(form)));
    expect(out).toMatchObject({ kind: 'delivered' });
    expect(fake.ledger).toHaveLength(1);
  });
});
