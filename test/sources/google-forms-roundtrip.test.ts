import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileForm, type CompileResult } from '../../src/core/compile/compile-form.js';
import { mapAnswersToSource } from '../../src/core/compile/map-answers-to-source.js';
import { googleFormsSource } from '../../src/sources/google-forms/google-forms-source.js';
import { runCompiled, type Script } from '../compile/run-compiled.js';

const load = (name: string): CompileResult => compileForm(googleFormsSource.mapDefinition(JSON.parse(readFileSync(`/work/shared/fixtures/sources/google-forms/${name}.json`, 'utf8'))).model);

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

describe('google-forms fixtures run to completion in the runtime', () => {
  it.each(['form-appointment', 'form-kyc-onboarding', 'form-large-survey', 'form-newsletter', 'form-nps-feedback'])('%s completes with generated answers', async (name) => {
    const run = await runCompiled(load(name));
    expect(run.stuck).toBeUndefined();
    expect(run.status).toBe('completed');
  });

  it('KYC: goToSectionId paths submit exactly the sections visited, keyed entry.N with option values', async () => {
    const result = load('form-kyc-onboarding');
    const entry = (hex: string): string => `entry.${parseInt(hex, 16)}`;
    const individual = await submitted(result, { '1a2b3c2b': 'individual', '1a2b3c39': 'no' });
    expect(individual[entry('1a2b3c2b')]).toBe('Individual');
    expect(individual).not.toHaveProperty(entry('1a2b3c2d'));
    expect(individual).not.toHaveProperty(entry('1a2b3c3b'));
    expect(individual).toHaveProperty(entry('1a2b3c3d'));
    const business = await submitted(result, { '1a2b3c2b': 'business', '1a2b3c39': 'yes' });
    expect(business).toHaveProperty(entry('1a2b3c2d'));
    expect(business).toHaveProperty(entry('1a2b3c3b'));
    expect(business[entry('1a2b3c39')]).toBe('Yes');
  });
});
