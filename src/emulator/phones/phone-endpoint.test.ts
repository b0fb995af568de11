import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifyFlowTokenSignature } from '../../services/flow-token-signature.js';
import { flowTokenSignature, signsFlowToken } from './phone-endpoint.js';

describe('flow_token_signature of the virtual phones', () => {
  it('verifies with the server\'s check for the same token and secret only', () => {
    fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 80 }), fc.string({ minLength: 1, maxLength: 40 }), (token, secret) => {
      const jwt = flowTokenSignature(token, secret, 1_700_000_000_000);
      expect(verifyFlowTokenSignature(jwt, token, [secret], 1_700_000_000)).toMatchObject({ ok: true });
      expect(verifyFlowTokenSignature(jwt, `${token}x`, [secret], 1_700_000_000)).toMatchObject({ ok: false, reason: 'token-mismatch' });
      expect(verifyFlowTokenSignature(jwt, token, [`${secret}x`], 1_700_000_000)).toMatchObject({ ok: false, reason: 'bad-signature' });
    }));
  });

  it('is sent with Data API 4.0 and Flow JSON 7.3 or later only', () => {
    expect(signsFlowToken(JSON.stringify({ version: '7.3', data_api_version: '4.0' }))).toBe(true);
    expect(signsFlowToken(JSON.stringify({ version: '8.0', data_api_version: '4.0' }))).toBe(true);
    expect(signsFlowToken(JSON.stringify({ version: '7.2', data_api_version: '4.0' }))).toBe(false);
    expect(signsFlowToken(JSON.stringify({ version: '7.3', data_api_version: '3.0' }))).toBe(false);
    expect(signsFlowToken('not json')).toBe(false);
    expect(signsFlowToken(undefined)).toBe(false);
  });
});
