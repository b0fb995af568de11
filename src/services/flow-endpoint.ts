/**
 * The data-exchange endpoint, independent of the HTTP framework: raw body and
 * signature header in, status and body out (spec §2; Meta, "Implementing
 * Endpoints for Flows"). Order of checks, cheapest first:
 *
 * 1. `X-Hub-Signature-256` over the raw bytes, every app secret → 432.
 * 2. Envelope: not JSON, not an object, a field missing or not a string → 400
 *    (WhatsApp always sends the envelope, so this is not its traffic; 421
 *    would only make a client re-fetch the key and retry in vain).
 * 3. Decryption (spec §2.3 steps 1–3: base64, IV length, RSA-OAEP with every
 *    key, AES-GCM tag, UTF-8 JSON plaintext) → 421, empty body.
 * 4. Decrypted request of the wrong shape or an unknown action → 400.
 * 5. ping → `{"data":{"status":"active"}}`; error notification → recorded,
 *    `{"data":{"acknowledged":true}}`.
 * 6. `flow_token_signature` when present and secrets are configured → 432.
 * 7. Session unknown, expired or completed → 427 with an encrypted `error_msg`.
 * 8. The flow's handler; its result becomes the encrypted reply. A missing
 *    handler or one that throws → 500 (a server bug, visible in Meta's
 *    endpoint health metrics too), logged without request data.
 *
 * Every reply body is either empty or the base64 encrypted JSON.
 * @module
 */
import type { KeyObject } from 'node:crypto';
import { createFlowRequestDecryptor, encryptFlowResponse, type DecryptedFlowRequest } from '../whatsapp/flow-crypto.js';
import { FlowCryptoError } from '../whatsapp/flow-crypto-error.js';
import { verifySignature } from '../whatsapp/hub-signature.js';
import type { ClientErrorRecorder, LogSink } from './client-error-recorder.js';
import { parseFlowRequest, type FlowRequest } from './flow-request.js';
import { verifyFlowTokenSignature } from './flow-token-signature.js';
import type { HandlerRegistry } from './flow-handlers.js';
import { runHandler } from './run-handler.js';
import type { SessionRefusal, SessionService } from './sessions.js';

/** What happened to a request, for logs and metrics (never contains request data). */
export type EndpointOutcome =
  | 'ping' | 'error-notification' | 'next' | 'error' | 'complete'
  | 'bad-signature' | 'malformed-body' | 'decrypt-failed' | 'bad-request' | 'unknown-action'
  | 'bad-token-signature' | 'token-unknown' | 'token-expired' | 'token-completed'
  | 'no-handler' | 'handler-failed' | 'internal-error';

/** The HTTP answer: `body` is '' or base64 text (send as text/plain). */
export interface EndpointAnswer {
  readonly status: number;
  readonly body: string;
  readonly outcome: EndpointOutcome;
}

/** The user-facing texts of 427 answers (Meta shows `error_msg` and disables the call to action). */
export type TokenMessages = Readonly<Record<SessionRefusal, string>>;

/** Default 427 texts. */
export const DEFAULT_TOKEN_MESSAGES: TokenMessages = {
  unknown: 'This form link is not valid. Please ask us for a new one.',
  expired: 'This form has expired. Please ask us for a new link.',
  completed: 'This form has already been submitted. Thank you!',
};

/** Everything the endpoint needs, injected. */
export interface FlowEndpointDeps {
  /** Private keys, parsed once: current first, then keys kept through a rotation. */
  readonly keys: readonly KeyObject[];
  /** App secrets; empty means sandbox mode: no signature is required or checked. */
  readonly appSecrets: readonly string[];
  readonly sessions: SessionService;
  readonly handlers: HandlerRegistry;
  readonly clientErrors: ClientErrorRecorder;
  readonly logger: LogSink;
  readonly tokenMessages?: TokenMessages;
  /** Clock in ms, for `exp` of flow_token_signature; default `Date.now`. */
  readonly now?: () => number;
  /** Worker threads for the RSA-OAEP unwrap (0: on the event loop); default `defaultRsaThreads()`. */
  readonly rsaThreads?: number;
}

/** The endpoint; see {@link createFlowEndpoint}. */
export interface FlowEndpoint {
  handle(rawBody: Buffer, signatureHeader: string | undefined): Promise<EndpointAnswer>;
  /** Stop the RSA worker threads (idle threads never keep the process alive, so this is optional). */
  close?(): Promise<void>;
}

function plain(status: number, outcome: EndpointOutcome): EndpointAnswer {
  return { status, body: '', outcome };
}

function parseEnvelope(rawBody: Buffer): unknown {
  try {
    return JSON.parse(rawBody.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** Create the endpoint. */
export function createFlowEndpoint(deps: FlowEndpointDeps): FlowEndpoint {
  const { keys, appSecrets, sessions, logger } = deps;
  const messages = deps.tokenMessages ?? DEFAULT_TOKEN_MESSAGES;
  const now = deps.now ?? Date.now;
  const sandbox = appSecrets.length === 0;
  // RSA-OAEP on worker threads: the event loop keeps parsing and answering while keys are unwrapped.
  const decryptor = keys.length === 0 ? undefined : createFlowRequestDecryptor(keys, deps.rsaThreads === undefined ? {} : { threads: deps.rsaThreads });

  function sealed(response: unknown, decrypted: DecryptedFlowRequest, outcome: EndpointOutcome, status = 200): EndpointAnswer {
    return { status, body: encryptFlowResponse(response, decrypted.aesKey, decrypted.iv), outcome };
  }

  function refuse(reason: SessionRefusal, decrypted: DecryptedFlowRequest): EndpointAnswer {
    return sealed({ error_msg: messages[reason] }, decrypted, `token-${reason}`, 427);
  }

  async function acknowledge(request: Extract<FlowRequest, { kind: 'error-notification' }>, decrypted: DecryptedFlowRequest): Promise<EndpointAnswer> {
    let flowId: string | undefined;
    try {
      const check = await sessions.check(request.flowToken);
      flowId = check.ok ? check.session.flowId : undefined;
      await deps.clientErrors.record({
        action: request.action, screen: request.screen, error: request.error,
        errorMessage: request.errorMessage, flowId, receivedAt: new Date(now()),
      });
    } catch (err) {
      // Recording is best effort: the client only needs the acknowledgement.
      logger.error({ err: errorSummary(err) }, 'could not record a client error notification');
    }
    return sealed({ data: { acknowledged: true } }, decrypted, 'error-notification');
  }

  async function exchange(request: Extract<FlowRequest, { kind: 'exchange' }>, decrypted: DecryptedFlowRequest): Promise<EndpointAnswer> {
    if (request.flowTokenSignature !== undefined && !sandbox) {
      const check = verifyFlowTokenSignature(request.flowTokenSignature, request.flowToken ?? '', appSecrets, Math.floor(now() / 1000));
      if (!check.ok) {
        logger.warn({ reason: check.reason }, 'flow_token_signature refused');
        return plain(432, 'bad-token-signature');
      }
      logger.debug({ claims: check.claimNames }, 'flow_token_signature verified');
    }
    const check = await sessions.check(request.flowToken);
    if (!check.ok) return refuse(check.reason, decrypted);
    const result = await runHandler(deps.handlers, sessions, request, check.session, logger);
    if (result.kind === 'failed') return plain(500, result.outcome);
    if (result.kind === 'refused') return refuse(result.reason, decrypted);
    return sealed(result.response, decrypted, result.outcome);
  }

  return {
    close: async () => { await decryptor?.close(); },
    async handle(rawBody, signatureHeader) {
      if (!sandbox && !verifySignature(rawBody, signatureHeader, appSecrets)) return plain(432, 'bad-signature');
      const envelope = parseEnvelope(rawBody);
      if (envelope === undefined) return plain(400, 'malformed-body');
      let decrypted: DecryptedFlowRequest;
      try {
        if (decryptor === undefined) throw new FlowCryptoError('key-unwrap-failed', 'no private key is configured');
        decrypted = await decryptor.decrypt(envelope);
      } catch (err) {
        if (err instanceof FlowCryptoError) {
          return err.reason === 'malformed-body' ? plain(400, 'malformed-body') : plain(421, 'decrypt-failed');
        }
        logger.error({ err: errorSummary(err) }, 'unexpected failure while decrypting');
        return plain(421, 'decrypt-failed');
      }
      const parsed = parseFlowRequest(decrypted.plaintext);
      if (!parsed.ok) return plain(400, parsed.problem === 'unknown-action' ? 'unknown-action' : 'bad-request');
      const request = parsed.request;
      switch (request.kind) {
        case 'ping':
          return sealed({ data: { status: 'active' } }, decrypted, 'ping');
        case 'error-notification':
          return acknowledge(request, decrypted);
        case 'exchange':
          try {
            return await exchange(request, decrypted);
          } catch (err) {
            // The store (or an encryption of unrepresentable data) failed: nothing was answered yet.
            logger.error({ err: errorSummary(err) }, 'flow endpoint request failed');
            return plain(500, 'internal-error');
          }
      }
    },
  };
}

/** Name and message of an error, for logs (no stack, no cause chain with request data). */
export function errorSummary(err: unknown): { name: string; message: string } {
  return err instanceof Error ? { name: err.name, message: err.message } : { name: 'unknown', message: String(err) };
}
