/**
 * `flow_token_signature` (Data API 4.0 with Flow JSON 7.3; Meta,
 * "Implementing Endpoints for Flows"; spec §2.7): a compact JWT, HS256,
 * signed with the Meta app secret, whose payload carries the flow token.
 * It proves that the token reached us through Meta for our app.
 *
 * The claim's name is unconfirmed. Safest reading, implemented here: a claim
 * named `flow_token` must equal the request's `flow_token`; when no claim has
 * that name, some top-level string claim must equal it; an `exp` claim, when
 * present, is enforced (with a minute of clock leeway). Only `HS256` is
 * accepted (never `none`), and every configured secret is tried.
 * @module
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { isObject, type JsonObject } from '../core/flow/json.js';

/** Why a signature was refused; each is answered 432 like a bad `X-Hub-Signature-256`. */
export type TokenSignatureFailure = 'malformed' | 'unsupported-alg' | 'bad-signature' | 'token-mismatch' | 'expired';

/** Result of {@link verifyFlowTokenSignature}; `claimNames` are safe to log (the values are not). */
export type TokenSignatureCheck =
  | { readonly ok: true; readonly claimNames: readonly string[] }
  | { readonly ok: false; readonly reason: TokenSignatureFailure };

/** Longer signatures are refused unread; Meta's carry a token and a few claims. */
export const MAX_TOKEN_SIGNATURE_LENGTH = 4096;
/** Clock skew tolerated on `exp`, seconds. */
export const EXP_LEEWAY_SECONDS = 60;

const SEGMENT = /^[A-Za-z0-9_-]+$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeSegment(text: string): Buffer | undefined {
  if (!SEGMENT.test(text) || text.length % 4 === 1) return undefined;
  return Buffer.from(text, 'base64url');
}

function decodeJson(text: string): JsonObject | undefined {
  const bytes = decodeSegment(text);
  if (bytes === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(utf8.decode(bytes));
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function hs256(signingInput: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(signingInput).digest();
}

function bindsToken(claims: JsonObject, flowToken: string): boolean {
  if (Object.hasOwn(claims, 'flow_token')) return claims.flow_token === flowToken;
  return Object.values(claims).some((value) => value === flowToken);
}

/**
 * Verify `signature` for `flowToken` with any of `appSecrets` (empty secrets
 * never verify). `nowSeconds` is the current Unix time.
 */
export function verifyFlowTokenSignature(
  signature: string,
  flowToken: string,
  appSecrets: readonly string[],
  nowSeconds: number,
): TokenSignatureCheck {
  if (signature.length > MAX_TOKEN_SIGNATURE_LENGTH) return { ok: false, reason: 'malformed' };
  const parts = signature.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'malformed' };
  const [headerText, payloadText, sigText] = parts as [string, string, string];
  const header = decodeJson(headerText);
  const claims = decodeJson(payloadText);
  const given = decodeSegment(sigText);
  if (header === undefined || claims === undefined || given === undefined) return { ok: false, reason: 'malformed' };
  if (header.alg !== 'HS256') return { ok: false, reason: 'unsupported-alg' };
  if (given.length !== 32) return { ok: false, reason: 'bad-signature' };
  const signingInput = `${headerText}.${payloadText}`;
  let verified = false;
  for (const secret of appSecrets) {
    if (secret.length === 0) continue;
    if (timingSafeEqual(hs256(signingInput, secret), given)) verified = true;
  }
  if (!verified) return { ok: false, reason: 'bad-signature' };
  if (!bindsToken(claims, flowToken)) return { ok: false, reason: 'token-mismatch' };
  const exp = claims.exp;
  if (typeof exp === 'number' && exp + EXP_LEEWAY_SECONDS < nowSeconds) return { ok: false, reason: 'expired' };
  return { ok: true, claimNames: Object.keys(claims) };
}

/** Make a signature as Meta would (for tests, the emulator and benchmarks). */
export function signFlowToken(claims: Record<string, unknown>, appSecret: string): string {
  const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${header}.${payload}.${hs256(`${header}.${payload}`, appSecret).toString('base64url')}`;
}
