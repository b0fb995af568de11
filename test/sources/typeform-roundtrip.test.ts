import { describe, expect, it } from 'vitest';
import { typeformSource } from '../../src/sources/typeform/typeform-source.js';
import { compileSourceFixture, itCompletesEveryFixture, submittedToSource } from './source-roundtrip-kit.js';

const load = (name: string) => compileSourceFixture(typeformSource, 'typeform', name);

describe('typeform fixtures run to completion in the runtime', () => {
  itCompletesEveryFixture(typeformSource, 'typeform', ['form-appointment', 'form-kyc-onboarding', 'form-large-survey', 'form-newsletter', 'form-nps-feedback']);

  it('KYC individual path skips the company page; business path asks it', async () => {
    const result = load('form-kyc-onboarding');
    const individual = await submittedToSource(result, { applicant_type: '3fS2qHx6kwXo', is_pep: 'no' });
    expect(individual.applicant_type).toBe('Individual');
    expect(individual).not.toHaveProperty('company_name');
    expect(individual).not.toHaveProperty('pep_details');
    expect(individual).toHaveProperty('doc_number');
    const business = await submittedToSource(result, { applicant_type: 'IIXGvOoNZYW2', is_pep: 'yes' });
    expect(business).toHaveProperty('company_name');
    expect(business).toHaveProperty('pep_details');
  });

  it('NPS detractor answers why_low and ends; promoter skips to comment', async () => {
    const result = load('form-nps-feedback');
    const low = await submittedToSource(result, { nps: '3' });
    expect(low).toHaveProperty('why_low');
    expect(low).not.toHaveProperty('comment');
    expect(low).not.toHaveProperty('rating');
    const high = await submittedToSource(result, { nps: '9' });
    expect(high).not.toHaveProperty('why_low');
    expect(high).toHaveProperty('comment');
  });
});
