import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileForm, type CompileResult } from '../../src/core/compile/compile-form.js';
import { mapAnswersToSource } from '../../src/core/compile/map-answers-to-source.js';
import { typeformSource } from '../../src/sources/typeform/typeform-source.js';
import { runCompiled, type Script } from '../compile/run-compiled.js';

const load = (name: string): CompileResult => compileForm(typeformSource.mapDefinition(JSON.parse(readFileSync(`/work/shared/fixtures/sources/typeform/${name}.json`, 'utf8'))).model);

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

describe('typeform fixtures run to completion in the runtime', () => {
  it.each(['form-appointment', 'form-kyc-onboarding', 'form-large-survey', 'form-newsletter', 'form-nps-feedback'])('%s completes with generated answers', async (name) => {
    const run = await runCompiled(load(name));
    expect(run.stuck).toBeUndefined();
    expect(run.status).toBe('completed');
  });

  it('KYC individual path skips the company page; business path asks it', async () => {
    const result = load('form-kyc-onboarding');
    const individual = await submitted(result, { applicant_type: '3fS2qHx6kwXo', is_pep: 'no' });
    expect(individual.applicant_type).toBe('Individual');
    expect(individual).not.toHaveProperty('company_name');
    expect(individual).not.toHaveProperty('pep_details');
    expect(individual).toHaveProperty('doc_number');
    const business = await submitted(result, { applicant_type: 'IIXGvOoNZYW2', is_pep: 'yes' });
    expect(business).toHaveProperty('company_name');
    expect(business).toHaveProperty('pep_details');
  });

  it('NPS detractor answers why_low and ends; promoter skips to comment', async () => {
    const result = load('form-nps-feedback');
    const low = await submitted(result, { nps: '3' });
    expect(low).toHaveProperty('why_low');
    expect(low).not.toHaveProperty('comment');
    expect(low).not.toHaveProperty('rating');
    const high = await submitted(result, { nps: '9' });
    expect(high).not.toHaveProperty('why_low');
    expect(high).toHaveProperty('comment');
  });
});
