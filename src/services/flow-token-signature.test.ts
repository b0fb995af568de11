import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EXP_LEEWAY_SECONDS, MAX_TOKEN_SIGNATURE_LENGTH, signFlowToken, verifyFlowTokenSignature } from './flow-token-signature.js';

const SECRET = 'app-secret';
const NOW = 1_800_000_000;

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('verifyFlowTokenSignature', () => {
  it('accepts a signature made with any configured secret, and reports claim names only', () => {
    const jwt = signFlowToken({ flow_token: 'tok', iat: NOW }, 'old-secret');
    expect(verifyFlowTokenSignature(jwt, 'tok', [SECRET, 'old-secret'], NOW)).toEqual({ ok: true, claimNames: ['flow_token', 'iat'] });
  });

  it('checks the hand-computed HS256 of a known token (oracle independent of signFlowToken)', () => {
    const head = b64url({ alg: 'HS256' });
    const body = b64url({ flow_token: 'abc' });
    const sig = createHmac('sha256', SECRET).update(`${head}.${body}`).digest('base64url');
    expect(verifyFlowTokenSignature(`${head}.${body}.${sig}`, 'abc', [SECRET], NOW).ok).toBe(true);
    expect(verifyFlowTokenSignature(`${head}.${body}.${sig}`, 'abd', [SECRET], NOW)).toEqual({ ok: false, reason: 'token-mismatch' });
  });

  it('without a flow_token claim, another claim must carry the token', () => {
    expect(verifyFlowTokenSignature(signFlowToken({ token: 'tok' }, SECRET), 'tok', [SECRET], NOW).ok).toBe(true);
    expect(verifyFlowTokenSignature(signFlowToken({ sub: 'x' }, SECRET), 'tok', [SECRET], NOW)).toEqual({ ok: false, reason: 'token-mismatch' });
    // A flow_token claim wins over others: another claim equal to the token does not rescue a mismatch.
    expect(verifyFlowTokenSignature(signFlowToken({ flow_token: 'x', t: 'tok' }, SECRET), 'tok', [SECRET], NOW).ok).toBe(false);
  });

  it('enforces exp with leeway', () => {
    expect(verifyFlowTokenSignature(signFlowToken({ flow_token: 't', exp: NOW - EXP_LEEWAY_SECONDS + 1 }, SECRET), 't', [SECRET], NOW).ok).toBe(true);
    expect(verifyFlowTokenSignature(signFlowToken({ flow_token: 't', exp: NOW - EXP_LEEWAY_SECONDS - 1 }, SECRET), 't', [SECRET], NOW)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses alg none, other algs, empty secrets and oversize input', () => {
    const none = `${b64url({ alg: 'none' })}.${b64url({ flow_token: 't' })}.`;
    expect(verifyFlowTokenSignature(none, 't', [SECRET], NOW).ok).toBe(false);
    const hs512 = `${b64url({ alg: 'HS512' })}.${b64url({ flow_token: 't' })}.${'A'.repeat(43)}`;
    expect(verifyFlowTokenSignature(hs512, 't', [SECRET], NOW)).toEqual({ ok: false, reason: 'unsupported-alg' });
    expect(verifyFlowTokenSignature(signFlowToken({ flow_token: 't' }, ''), 't', [''], NOW)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyFlowTokenSignature('a'.repeat(MAX_TOKEN_SIGNATURE_LENGTH + 1), 't', [SECRET], NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('property: any claims and token round-trip through sign and verify', () => {
    fc.assert(fc.property(fc.string({ minLength: 1 }), fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 })), fc.string({ minLength: 1 }), (token, extra, secret) => {
      const { flow_token: _f, exp: _e, ...rest } = extra as Record<string, unknown>;
      const jwt = signFlowToken({ ...rest, flow_token: token }, secret);
      expect(verifyFlowTokenSignature(jwt, token, [secret], NOW).ok).toBe(true);
      expect(verifyFlowTokenSignature(jwt, token, [`${secret}x`], NOW)).toEqual({ ok: false, reason: 'bad-signature' });
    }));
  });

  it('property: arbitrary text and any single-character change of a valid signature never verify, never throw', () => {
    const valid = signFlowToken({ flow_token: 'tok' }, SECRET);
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (text) => {
      expect(verifyFlowTokenSignature(text, 'tok', [SECRET], NOW).ok).toBe(text === valid);
    }));
    fc.assert(fc.property(fc.nat({ max: valid.length - 1 }), fc.constantFrom(...'ABCxyz019-_.='), (at, ch) => {
      const changed = valid.slice(0, at) + ch + valid.slice(at + 1);
      fc.pre(changed !== valid);
      const result = verifyFlowTokenSignature(changed, 'tok', [SECRET], NOW);
      // base64url of the last character may carry unused bits: only a decoded change may verify-fail; equal bytes still verify.
      if (result.ok) expect(Buffer.from(changed.split('.')[2] ?? '', 'base64url')).toEqual(Buffer.from(valid.split('.')[2]!, 'base64url'));
    }));
  });
});
