import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { constantTimeEquals, verifyHandshake } from './verification.js';

const TOKEN = 'my-verify-token';
const query = (overrides: Record<string, unknown> = {}) => ({ 'hub.mode': 'subscribe', 'hub.challenge': '1158201444', 'hub.verify_token': TOKEN, ...overrides });

describe('verifyHandshake', () => {
  it('returns the challenge when mode and token match', () => {
    expect(verifyHandshake(query(), TOKEN)).toEqual({ ok: true, challenge: '1158201444' });
  });

  it.each([
    [{ 'hub.mode': 'unsubscribe' }, 'wrong_mode'],
    [{ 'hub.verify_token': 'my-verify-tokeN' }, 'wrong_token'],
    [{ 'hub.verify_token': ['my-verify-token', 'x'] }, 'wrong_token'],
    [{ 'hub.verify_token': undefined }, 'wrong_token'],
    [{ 'hub.challenge': undefined }, 'bad_challenge'],
    [{ 'hub.challenge': '<script>alert(1)</script> x' }, 'bad_challenge'],
    [{ 'hub.challenge': '9'.repeat(257) }, 'bad_challenge'],
  ] as const)('refuses %o as %s', (overrides, reason) => {
    expect(verifyHandshake(query(overrides), TOKEN)).toEqual({ ok: false, reason });
  });

  it('refuses everything when no verify token is configured, even an empty token', () => {
    expect(verifyHandshake(query({ 'hub.verify_token': '' }), '')).toEqual({ ok: false, reason: 'no_verify_token_configured' });
    expect(verifyHandshake(query(), undefined)).toEqual({ ok: false, reason: 'no_verify_token_configured' });
  });
});

describe('constantTimeEquals', () => {
  it('agrees with === for any two strings', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(constantTimeEquals(a, b)).toBe(a === b);
        expect(constantTimeEquals(a, a)).toBe(true);
      }),
    );
  });
});
