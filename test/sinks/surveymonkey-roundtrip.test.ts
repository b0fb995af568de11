import { describe, expect, it } from 'vitest';
import { surveyMonkeySink } from '../../src/sinks/surveymonkey/surveymonkey-sink.js';
import { mapSurveyMonkeyDefinition } from '../../src/sources/surveymonkey/map-surveymonkey-definition.js';
import { closedAfterAll, completedAnswers, makeContext, makeSubmission, sourceFixture } from '../fakes/google-forms-sink/sink-test-kit.js';
import { startSurveyMonkeySinkFake } from '../fakes/surveymonkey-sink/surveymonkey-sink-fake.js';

const fakes = closedAfterAll();

describe('compiled SurveyMonkey surveys deliver end to end', () => {
  it.each(['appointment', 'newsletter', 'nps-feedback', 'large'])('survey-%s: the completion is accepted by the collector fake', async (name) => {
    const survey = sourceFixture('surveymonkey', `survey-${name}-details.json`);
    const form = mapSurveyMonkeyDefinition({ survey }).model;
    const settings = surveyMonkeySink.settingsSchema.parse({ accessToken: 'tok', collectorId: 'c1' });
    expect(surveyMonkeySink.checkForm?.(form, settings)).toEqual([]);
    const fake = await startSurveyMonkeySinkFake({ survey, collectorId: 'c1', token: 'tok' });
    fakes.push(fake);
    const out = await surveyMonkeySink.deliver(makeContext({ ...settings, baseUrl: fake.url }), makeSubmission(form, await completedAnswers(form)));
    expect(out).toMatchObject({ kind: 'delivered' });
    expect(fake.ledger).toHaveLength(1);
  });

  it('the KYC survey (file upload) is refused at configuration time', () => {
    const form = mapSurveyMonkeyDefinition({ survey: sourceFixture('surveymonkey', 'survey-kyc-onboarding-details.json') }).model;
    const problems = surveyMonkeySink.checkForm?.(form, surveyMonkeySink.settingsSchema.parse({ accessToken: 'tok', collectorId: 'c1' })) ?? [];
    expect(problems.join(' ')).toMatch(/file uploads/);
  });
});
