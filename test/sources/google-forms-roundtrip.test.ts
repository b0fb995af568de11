import { describe, expect, it } from 'vitest';
import { googleFormsSource } from '../../src/sources/google-forms/google-forms-source.js';
import { compileSourceFixture, itCompletesEveryFixture, submittedToSource } from './source-roundtrip-kit.js';

const load = (name: string) => compileSourceFixture(googleFormsSource, 'google-forms', name);

describe('google-forms fixtures run to completion in the runtime', () => {
  itCompletesEveryFixture(googleFormsSource, 'google-forms', ['form-appointment', 'form-kyc-onboarding', 'form-large-survey', 'form-newsletter', 'form-nps-feedback']);

  it('KYC: goToSectionId paths submit exactly the sections visited, keyed entry.N with option values', async () => {
    const result = load('form-kyc-onboarding');
    const entry = (hex: string): string => `entry.${parseInt(hex, 16)}`;
    const individual = await submittedToSource(result, { '1a2b3c2b': 'individual', '1a2b3c39': 'no' });
    expect(individual[entry('1a2b3c2b')]).toBe('Individual');
    expect(individual).not.toHaveProperty(entry('1a2b3c2d'));
    expect(individual).not.toHaveProperty(entry('1a2b3c3b'));
    expect(individual).toHaveProperty(entry('1a2b3c3d'));
    const business = await submittedToSource(result, { '1a2b3c2b': 'business', '1a2b3c39': 'yes' });
    expect(business).toHaveProperty(entry('1a2b3c2d'));
    expect(business).toHaveProperty(entry('1a2b3c3b'));
    expect(business[entry('1a2b3c39')]).toBe('Yes');
  });
});
