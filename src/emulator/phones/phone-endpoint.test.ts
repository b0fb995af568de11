import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifyFlowTokenSignature } from '../../services/flow-token-signature.js';
import { flowTokenSignature, retryWhenShed, signsFlowToken } from './phone-endpoint.js';

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

describe('a virtual phone facing a shedding endpoint', () => {
  const run = async (statuses: number[]): Promise<{ status: number; calls: number; pauses: number[] }> => {
    let calls = 0;
    const pauses: number[] = [];
    const post = retryWhenShed(
      (url, body) => { expect([url, body]).toEqual(['http://e/flows/endpoint', 'b']); return Promise.resolve({ status: statuses[calls++] ?? 200, text: '' }); },
      (ms) => { pauses.push(ms); return Promise.resolve(); },
    );
    const res = await post('http://e/flows/endpoint', 'b', {}, 10_000);
    return { status: res.status, calls, pauses };
  };

  it('asks again a second after a 503, as a person taps "try again", twice at most', async () => {
    expect(await run([200])).toEqual({ status: 200, calls: 1, pauses: [] });
    expect(await run([503, 200])).toEqual({ status: 200, calls: 2, pauses: [1000] });
    expect(await run([503, 503, 200])).toEqual({ status: 200, calls: 3, pauses: [1000, 1000] });
    expect(await run([503, 503, 503, 200])).toEqual({ status: 503, calls: 3, pauses: [1000, 1000] });
  });

  it('returns every other status as it came, without asking again', async () => {
    for (const status of [421, 427, 432, 500, 502]) expect(await run([status])).toEqual({ status, calls: 1, pauses: [] });
  });
});
