/**
 * How a virtual phone reaches a flow's endpoint, as WhatsApp does (spec
 * §2.1–§2.7): the flow's `endpoint_uri` as registered with the emulator,
 * requests encrypted with the business public key registered with the
 * emulator (fetched again after a 421), signed with the app secret in
 * `X-Hub-Signature-256`, and — with Data API 4.0 and Flow JSON 7.3 — a
 * `flow_token_signature`: a compact HS256 JWT signed with the app secret
 * whose payload carries the flow token. That claim's name is unconfirmed;
 * the phones use `flow_token`, the likeliest reading and the one the server
 * checks first.
 * @module
 */
import { createHmac } from 'node:crypto';
import { createEndpointClient, type HttpPost } from '../../core/runtime/endpoint/endpoint-client.js';
import type { FlowCrypto } from '../../core/runtime/endpoint/flow-crypto.js';
import type { EndpointClient } from '../../core/runtime/index.js';
import { signBody } from '../../whatsapp/hub-signature.js';
import type { SentFlow } from '../emulator-state.js';
import type { GraphEmulator } from '../graph-emulator.js';
import { defaultSleep } from './webhook-poster.js';

/** What every phone's endpoint client shares. */
export interface PhoneEndpointOptions {
  readonly appSecret: string;
  readonly post: HttpPost;
  readonly crypto: FlowCrypto;
  readonly timeoutMs?: number;
  /** The pause before asking again after a 503 (real time by default). */
  readonly sleep?: (ms: number) => Promise<void>;
}

const segment = (value: unknown): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/** The JWT for `flowToken`, issued now. */
export function flowTokenSignature(flowToken: string, appSecret: string, nowMs = Date.now()): string {
  const input = `${segment({ alg: 'HS256', typ: 'JWT' })}.${segment({ flow_token: flowToken, iat: Math.floor(nowMs / 1000) })}`;
  return `${input}.${createHmac('sha256', appSecret).update(input).digest('base64url')}`;
}

/** True when requests of this Flow JSON carry the signature: version 7.3 (or later) with data_api_version 4.0. */
export function signsFlowToken(flowJson: string | undefined): boolean {
  try {
    const doc = JSON.parse(flowJson ?? '') as { version?: unknown; data_api_version?: unknown };
    if (doc.data_api_version !== '4.0' || typeof doc.version !== 'string') return false;
    const [major = 0, minor = 0] = doc.version.split('.').map(Number);
    return major > 7 || (major === 7 && minor >= 3);
  } catch {
    return false;
  }
}

/** Times a phone asks again after a 503, and the pause before each (the server's `Retry-After` is 1 s). */
const SHED_RETRIES = 2;
const SHED_PAUSE_MS = 1000;

/**
 * `post`, asking again after a 503 (the endpoint shedding load), as a person
 * taps "try again": at most {@link SHED_RETRIES} more times, a second apart.
 * Every other answer, and the last 503, is returned as it came.
 */
export function retryWhenShed(post: HttpPost, sleep: (ms: number) => Promise<void> = defaultSleep): HttpPost {
  return async (url, body, headers, timeoutMs) => {
    for (let retry = 0; ; retry++) {
      const res = await post(url, body, headers, timeoutMs);
      if (res.status !== 503 || retry === SHED_RETRIES) return res;
      await sleep(SHED_PAUSE_MS);
    }
  };
}

/** The endpoint client for a received flow, or undefined when the flow has no `endpoint_uri`. */
export function phoneEndpoint(emulator: GraphEmulator, flow: SentFlow, options: PhoneEndpointOptions): EndpointClient | undefined {
  const url = emulator.state.flows.get(flow.flowId)?.endpointUri;
  if (url === undefined) return undefined;
  const client = createEndpointClient({
    url,
    crypto: options.crypto,
    post: retryWhenShed(options.post, options.sleep),
    ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
    publicKeyPem: () => {
      const key = emulator.state.businessKey;
      if (key === undefined) return Promise.reject(new Error('no business public key is registered with the emulator (POST /{PHONE_NUMBER_ID}/whatsapp_business_encryption)'));
      if (key.signatureStatus !== 'VALID') return Promise.reject(new Error('the business public key signature is MISMATCH: upload the key again'));
      return Promise.resolve(key.pem);
    },
    sign: (raw) => Promise.resolve(signBody(raw, options.appSecret)),
  });
  if (!signsFlowToken(flow.flowJson)) return client;
  const signature = flowTokenSignature(flow.flowToken, options.appSecret);
  return { send: (request) => client.send(Object.assign({}, request, { flow_token_signature: signature })) };
}
