import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileForm, type CompileResult } from '../../src/core/compile/compile-form.js';
import { mapAnswersToSource } from '../../src/core/compile/map-answers-to-source.js';
import { hubspotSource } from '../../src/sources/hubspot/hubspot-source.js';
import { runCompiled, type Script } from '../compile/run-compiled.js';

const load = (name: string): CompileResult => compileForm(hubspotSource.mapDefinition(JSON.parse(readFileSync(`/work/shared/fixtures/sources/hubspot/${name}.json`, 'utf8'))).model);

/** Script answers by FormModel field id, placed on each field's screen. */
function script(result: CompileResult, answers: Record<string, unknown>): Script {
  const out: Script = {};
  for (const [fieldId, value] of Object.entries(answers)) {
    const e = result.fieldMap.fields.find((f) => f.fieldId === fieldId);
    if (!e?.flowName || !e.screen) throw new Error(`no input for ${fieldId}`);
    (out[e.screen] ??= {})[e.flowName] = value;
  }
  return out;
}

async function submitted(result: CompileResult, answers: Record<string, unknown>): Promise<Record<string, unknown>> {
  const run = await runCompiled(result, script(result, answers));
  expect(run.stuck).toBeUndefined();
  expect(run.status).toBe('completed');
  return mapAnswersToSource(result.fieldMap, run.response ?? {}, run.endpointAnswers);
}

describe('hubspot fixtures run to completion in the runtime', () => {
  it.each(['form-appointment', 'form-kyc-onboarding', 'form-large-enterprise', 'form-newsletter', 'form-nps-feedback'])('%s completes with generated answers', async (name) => {
    const run = await runCompiled(load(name));
    expect(run.stuck).toBeUndefined();
    expect(run.status).toBe('completed');
  });

  it('KYC: dependent fields are submitted only when their condition holds; hidden defaults always', async () => {
    const result = load('form-kyc-onboarding');
    const individual = await submitted(result, { applicant_type: 'individual', id_document_type: 'passport', expected_monthly_volume: '500' });
    expect(individual.applicant_type).toBe('individual');
    for (const key of ['company_name', 'company_registration_number', 'id_card_issuing_country', 'proof_of_funds']) expect(individual).not.toHaveProperty(key);
    const business = await submitted(result, { applicant_type: 'business', id_document_type: 'national_id', source_of_funds: 'other', expected_monthly_volume: '20000' });
    for (const key of ['company_name', 'company_registration_number', 'id_card_issuing_country', 'source_of_funds_other']) expect(business).toHaveProperty(key);
  });

  it('newsletter: the hidden utm_source goes back with its default, consents as booleans', async () => {
    const result = load('form-newsletter');
    const source = await submitted(result, { email: 'ana@example.com' });
    expect(source.utm_source).toBe('website');
    expect(source['legalConsentOptions.consentToProcess']).toBe(true);
    expect(source.email).toBe('ana@example.com');
  });
});
