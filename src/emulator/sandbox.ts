/**
 * The sandbox: the Graph API emulator and its virtual phones started
 * together, so `flowbridge serve` without Meta credentials (and
 * `flowbridge emulator`) shows the whole loop on one machine — publish a
 * flow, send it, a phone opens it against the real endpoint, and signed
 * webhooks (statuses, nfm_reply) come back to `/webhooks/whatsapp`.
 * @module
 */
import { randomBytes } from 'node:crypto';
import type { HttpPost } from '../core/runtime/endpoint/endpoint-client.js';
import { createGraphClient } from '../whatsapp/graph/index.js';
import { nodeHttpPost } from '../whatsapp/http-post.js';
import { createGraphEmulator, type GraphEmulator, type GraphEmulatorOptions } from './graph-emulator.js';
import { attachFlowStatusWebhooks, type FlowStatusWebhooks } from './phones/flow-status-webhooks.js';
import { createVirtualPhones, type VirtualPhones } from './phones/virtual-phones.js';
import { createWebhookPoster } from './phones/webhook-poster.js';
import type { PhoneScripts } from './phones/phone-script.js';
import type { WebhookRetryPolicy } from './phones/webhook-poster.js';

/** The sandbox account's ids (digit strings shaped like Meta's). */
export const SANDBOX_WABA_ID = '100000000000001';
export const SANDBOX_PHONE_NUMBER_ID = '100000000000002';
export const SANDBOX_DISPLAY_PHONE_NUMBER = '15550009999';
/** First number of the generated virtual phones (`virtualPhoneNumbers`). */
export const FIRST_VIRTUAL_PHONE = 15551000001;

/** Options of {@link startSandbox}. */
export interface SandboxOptions {
  /** The Meta app secret webhooks and endpoint requests are signed with; Flowbridge must verify with the same. */
  readonly appSecret: string;
  /** Flowbridge's webhook callback (`<server>/webhooks/whatsapp`); can be set later with `phones.setWebhookUrl`. */
  readonly webhookUrl?: string;
  /** Port on 127.0.0.1 (default 0: any free port). */
  readonly port?: number;
  /** Access token the emulator accepts (default a fresh random `sandbox-…` token). */
  readonly accessToken?: string;
  readonly wabaId?: string;
  readonly phoneNumberId?: string;
  /** Phone behaviour (default: every phone opens each flow and completes it with generated answers). */
  readonly scripts?: PhoneScripts;
  /** Messages per second the emulator accepts (default 80, Meta's standard throughput). */
  readonly mps?: number;
  /** Business public key (PEM) to register at start, as `flowbridge keys register` would. */
  readonly businessPublicKeyPem?: string;
  readonly retry?: WebhookRetryPolicy;
  /** Further emulator options (template approval, pair rate…). */
  readonly emulator?: Partial<Omit<GraphEmulatorOptions, 'accessToken' | 'wabaId' | 'phoneNumberId' | 'appSecret' | 'mps'>>;
  readonly post?: HttpPost;
  /** Progress lines (phones' outcomes, undelivered webhooks). No answers, no secrets. */
  readonly log?: (line: string) => void;
}

/** A running sandbox. */
export interface Sandbox {
  readonly emulator: GraphEmulator;
  readonly phones: VirtualPhones;
  /** FLOW_STATUS_CHANGE webhooks (the `flows` field), posted to the phones' webhook URL. */
  readonly flowEvents: FlowStatusWebhooks;
  /** Graph API base URL (`graphApiBaseUrl` of the server). */
  readonly url: string;
  readonly accessToken: string;
  readonly wabaId: string;
  readonly phoneNumberId: string;
  readonly displayPhoneNumber: string;
  readonly appSecret: string;
  /** Wait for the phones' work in progress, then stop the emulator; idempotent. */
  close(): Promise<void>;
}

/** A fresh sandbox access token. */
export function sandboxAccessToken(): string {
  return `sandbox-${randomBytes(18).toString('base64url')}`;
}

/** `count` virtual phone numbers (WhatsApp ids) for demos and scripts: 15551000001, 15551000002, … */
export function virtualPhoneNumbers(count: number): string[] {
  return Array.from({ length: count }, (_, i) => String(FIRST_VIRTUAL_PHONE + i));
}

/** Start the emulator on 127.0.0.1 with phones attached. Rejects (nothing left open) when the port is taken or the options are inconsistent. */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  if (options.appSecret === '') throw new Error('The sandbox needs a non-empty app secret: webhooks are signed with it.');
  const accessToken = options.accessToken ?? sandboxAccessToken();
  const wabaId = options.wabaId ?? SANDBOX_WABA_ID;
  const phoneNumberId = options.phoneNumberId ?? SANDBOX_PHONE_NUMBER_ID;
  const emulator = createGraphEmulator({
    displayPhoneNumber: SANDBOX_DISPLAY_PHONE_NUMBER,
    ...options.emulator,
    accessToken, wabaId, phoneNumberId, appSecret: options.appSecret,
    ...(options.mps !== undefined && { mps: options.mps }),
  });
  const phones = createVirtualPhones({
    emulator,
    appSecret: options.appSecret,
    ...(options.webhookUrl !== undefined && { webhookUrl: options.webhookUrl }),
    ...(options.scripts && { scripts: options.scripts }),
    ...(options.retry && { retry: options.retry }),
    ...(options.post && { post: options.post }),
    ...(options.log && { log: options.log }),
  });
  const flowEvents = attachFlowStatusWebhooks(emulator, createWebhookPoster({
    ...options.retry, url: () => phones.webhookUrl, appSecret: options.appSecret, post: options.post ?? nodeHttpPost,
  }), options.log);
  let url: string;
  try {
    url = await emulator.listen(options.port ?? 0);
  } catch (err) {
    phones.close();
    flowEvents.close();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new Error(`The sandbox port ${options.port ?? 0} is already in use: choose another (FLOWBRIDGE_SANDBOX_PORT or --port).`);
    throw err;
  }
  if (options.businessPublicKeyPem !== undefined) {
    try {
      // Through the Graph API, so the key is checked exactly as an upload is.
      await createGraphClient({ baseUrl: url, version: 'v23.0', accessToken, phoneNumberId }).uploadBusinessPublicKey(options.businessPublicKeyPem);
    } catch (err) {
      phones.close();
      flowEvents.close();
      await emulator.close();
      throw new Error(`The business public key was refused by the sandbox: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  let closing: Promise<void> | undefined;
  return {
    emulator, phones, flowEvents, url, accessToken, wabaId, phoneNumberId,
    displayPhoneNumber: emulator.options.displayPhoneNumber,
    appSecret: options.appSecret,
    close: () => (closing ??= (async () => {
      phones.close();
      flowEvents.close();
      await Promise.all([phones.idle(), flowEvents.idle()]);
      await emulator.close();
    })()),
  };
}
