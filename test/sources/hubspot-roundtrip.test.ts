import { describe, expect, it } from 'vitest';
import { hubspotSource } from '../../src/sources/hubspot/hubspot-source.js';
import { compileSourceFixture, itCompletesEveryFixture, submittedToSource } from './source-roundtrip-kit.js';

const load = (name: string) => compileSourceFixture(hubspotSource, 'hubspot', name);

describe('hubspot fixtures run to completion in the runtime', () => {
  itCompletesEveryFixture(hubspotSource, 'hubspot', ['form-appointment', 'form-kyc-onboarding', 'form-large-enterprise', 'form-newsletter', 'form-nps-feedback']);

  it('KYC: dependent fields are submitted only when their condition holds; hidden defaults always', async () => {
    const result = load('form-kyc-onboarding');
    const individual = await submittedToSource(result, { applicant_type: 'individual', id_document_type: 'passport', expected_monthly_volume: '500' });
    expect(individual.applicant_type).toBe('individual');
    for (const key of ['company_name', 'company_registration_number', 'id_card_issuing_country', 'proof_of_funds']) expect(individual).not.toHaveProperty(key);
    const business = await submittedToSource(result, { applicant_type: 'business', id_document_type: 'national_id', source_of_funds: 'other', expected_monthly_volume: '20000' });
    for (const key of ['company_name', 'company_registration_number', 'id_card_issuing_country', 'source_of_funds_other']) expect(business).toHaveProperty(key);
  });

  it('newsletter: the hidden utm_source goes back with its default, consents as booleans', async () => {
    const result = load('form-newsletter');
    const source = await submittedToSource(result, { email: 'ana@example.com' });
    expect(source.utm_source).toBe('website');
    expect(source['legalConsentOptions.consentToProcess']).toBe(true);
    expect(source.email).toBe('ana@example.com');
  });
});
