/**
 * The Graph API half of the local Meta emulator: a node:http server on
 * 127.0.0.1 that answers like Meta's Graph and Cloud APIs for flows,
 * templates, sends, keys, media and throughput (spec §3–§7), so Flowbridge
 * can run its whole loop offline. Sends it accepts are recorded and handed
 * to {@link GraphEmulator.onMessage} subscribers — the hook the virtual
 * phones attach to. Test hooks open service windows, set template and flow
 * states, add media and invalidate the key signature.
 * @module
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setFlowStatus, type EmulatorContext, type ResolvedEmulatorOptions } from './emulator-context.js';
import { readEmulatorRequest } from './emulator-request.js';
import { createEmulatorState, nextObjectId, type EmulatedFlow, type EmulatedTemplateStatus, type EmulatorState, type FlowStatusEvent, type SentMessage } from './emulator-state.js';
import { GraphFault, faultEnvelope } from './graph-fault.js';
import { routeGraphRequest } from './graph-router.js';
import { PairLimiter, ThroughputWindow } from './rate-limits.js';

/** Options of {@link createGraphEmulator}; all but the ids and token have Meta's defaults. */
export interface GraphEmulatorOptions extends Partial<Omit<ResolvedEmulatorOptions, 'accessToken' | 'wabaId' | 'phoneNumberId'>> {
  readonly accessToken: string;
  readonly wabaId: string;
  readonly phoneNumberId: string;
  /** App secret, kept for signing the webhooks a later part posts (`X-Hub-Signature-256`). */
  readonly appSecret?: string;
  /** Clock (ms since epoch); default `Date.now`. */
  readonly now?: () => number;
}

/** A running (or not yet started) emulator. */
export interface GraphEmulator {
  /** Start listening on 127.0.0.1 (`port` 0 = any free port); resolves with the base URL. */
  listen(port?: number): Promise<string>;
  close(): Promise<void>;
  /** Base URL once listening (e.g. `http://127.0.0.1:40123`). */
  readonly url: string;
  readonly options: ResolvedEmulatorOptions;
  readonly appSecret: string | undefined;
  readonly state: EmulatorState;
  /** Subscribe to accepted sends; returns the unsubscribe function. */
  onMessage(listener: (message: SentMessage) => void): () => void;
  /** Subscribe to flow status changes (creation included): the source of FLOW_STATUS_CHANGE webhooks. */
  onFlowStatus(listener: (event: FlowStatusEvent) => void): () => void;
  /** Record an inbound user message (opens the 24-hour window). */
  receiveInbound(waId: string, at?: number): void;
  setTemplateStatus(templateId: string, status: EmulatedTemplateStatus, reason?: string): void;
  /** System-driven flow states (THROTTLED, BLOCKED) and back. */
  setFlowStatus(flowId: string, status: EmulatedFlow['status']): void;
  /** Store media; returns its id. */
  addMedia(bytes: Uint8Array, mimeType: string): string;
  /** Put an encrypted picker upload on the emulated CDN; returns its `cdn_url` (valid once listening). */
  addCdnFile(bytes: Uint8Array): string;
  /** Simulate a number re-registration: the key's signature no longer matches. */
  invalidateKeySignature(): void;
}

/** Path prefix of the emulator's stand-in for WhatsApp's media CDN (spec §3.1 `cdn_url`): encrypted picker uploads, served without auth. */
export const EMULATOR_CDN_PATH = '/_emulator/cdn/';

/**
 * The media intake's `allowUrl` for a server using the emulator at
 * `emulatorUrl` (it fetches only `https://*.whatsapp.net` otherwise): that
 * emulator's CDN files only.
 */
export function emulatorCdnAllows(emulatorUrl: string): (url: URL) => boolean {
  const base = new URL(emulatorUrl);
  return (url) => url.origin === base.origin && url.pathname.startsWith(EMULATOR_CDN_PATH) && url.search === '';
}

function notify<T>(listeners: ReadonlySet<(value: T) => void>, value: T): void {
  for (const l of listeners) {
    try {
      l(value);
    } catch {
      // a subscriber's failure must not fail the request
    }
  }
}

/** Build an emulator (call `listen()` to start it). */
export function createGraphEmulator(options: GraphEmulatorOptions): GraphEmulator {
  const resolved: ResolvedEmulatorOptions = {
    accessToken: options.accessToken,
    wabaId: options.wabaId,
    phoneNumberId: options.phoneNumberId,
    otherWabaIds: options.otherWabaIds ?? [],
    displayPhoneNumber: options.displayPhoneNumber ?? '15550001111',
    mps: options.mps ?? 80,
    pairIntervalMs: options.pairIntervalMs ?? 6000,
    pairBurst: options.pairBurst ?? 1,
    templateApproval: options.templateApproval ?? 'immediate',
    publishedEdits: options.publishedEdits ?? 'refuse',
    windowErrors: options.windowErrors ?? 'response',
    flowsWebhookSubscribed: options.flowsWebhookSubscribed ?? true,
    apiKeyHeader: options.apiKeyHeader,
  };
  const state = createEmulatorState();
  const listeners = new Set<(message: SentMessage) => void>();
  const flowListeners = new Set<(event: FlowStatusEvent) => void>();
  let url = '';
  const now = options.now ?? Date.now;
  const ctx: EmulatorContext = {
    state,
    options: resolved,
    now,
    baseUrl: () => url,
    throughput: new ThroughputWindow(resolved.mps),
    pair: new PairLimiter(resolved.pairIntervalMs, resolved.pairBurst),
    emit: (message) => notify(listeners, message),
    flowStatusChanged: (flow, from) => notify(flowListeners, { flowId: flow.id, wabaId: flow.wabaId, oldStatus: from, newStatus: flow.status, at: now() }),
  };

  const handler = createServer((req, res) => {
    void (async () => {
      let status = 200;
      let payload: string | Uint8Array;
      let contentType = 'application/json';
      try {
        const reply = await routeGraphRequest(ctx, await readEmulatorRequest(req, resolved.apiKeyHeader));
        status = reply.status ?? 200;
        contentType = reply.contentType ?? contentType;
        payload = typeof reply.body === 'string' || reply.body instanceof Uint8Array ? reply.body : JSON.stringify(reply.body);
      } catch (error) {
        const f = error instanceof GraphFault ? error : new GraphFault({ httpStatus: 500, code: 1, title: 'An unknown error occurred', isTransient: true });
        status = f.httpStatus;
        payload = JSON.stringify(faultEnvelope(f));
      }
      res.writeHead(status, { 'content-type': contentType, 'content-length': String(Buffer.byteLength(payload)) });
      res.end(payload);
    })();
  });

  return {
    async listen(port = 0) {
      await new Promise<void>((resolve, reject) => {
        handler.once('error', reject);
        handler.listen(port, '127.0.0.1', () => resolve());
      });
      url = `http://127.0.0.1:${(handler.address() as AddressInfo).port}`;
      return url;
    },
    close: () => new Promise<void>((resolve, reject) => {
      if (!handler.listening) return resolve();
      handler.closeAllConnections();
      handler.close((e) => (e ? reject(e) : resolve()));
    }),
    get url() {
      return url;
    },
    options: resolved,
    appSecret: options.appSecret,
    state,
    onMessage(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onFlowStatus(listener) {
      flowListeners.add(listener);
      return () => flowListeners.delete(listener);
    },
    receiveInbound(waId, at = now()) {
      state.lastInbound.set(waId, at);
    },
    setTemplateStatus(templateId, status, reason) {
      const t = state.templates.get(templateId);
      if (!t) throw new Error(`no template ${templateId}`);
      t.status = status;
      t.rejectedReason = reason;
    },
    setFlowStatus(flowId, status) {
      const f = state.flows.get(flowId);
      if (!f) throw new Error(`no flow ${flowId}`);
      setFlowStatus(ctx, f, status);
    },
    addMedia(bytes, mimeType) {
      const id = nextObjectId(state);
      state.media.set(id, { id, bytes, mimeType, sha256: createHash('sha256').update(bytes).digest('hex') });
      return id;
    },
    addCdnFile(bytes) {
      const key = `${randomUUID()}.enc`;
      state.cdn.set(key, bytes);
      return `${url}${EMULATOR_CDN_PATH}${key}`;
    },
    invalidateKeySignature() {
      if (state.businessKey) state.businessKey.signatureStatus = 'MISMATCH';
    },
  };
}
