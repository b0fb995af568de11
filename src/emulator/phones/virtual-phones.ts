/**
 * Virtual phones: every number the emulator accepts a message for is one.
 * For each accepted send they make Meta's webhooks happen — `sent`,
 * `delivered`, `read` statuses (or `failed` with the error Meta would
 * report) — and, when the message carries a flow and the phone's script
 * opens it, play the flow with the headless client against the flow's real
 * `endpoint_uri` (real encryption with the public key registered with the
 * emulator, requests signed with the app secret) and post the `nfm_reply`
 * completion. Phones can also write first: an inbound text (a keyword),
 * optionally from a click-to-WhatsApp ad (`referral`), which opens the
 * 24-hour window in the emulator.
 * @module
 */
import { randomBytes } from 'node:crypto';
import type { HttpPost } from '../../core/runtime/endpoint/endpoint-client.js';
import { nodeHttpPost } from '../../whatsapp/http-post.js';
import { createNodeFlowCrypto } from '../../whatsapp/node-flow-crypto.js';
import type { SentMessage } from '../emulator-state.js';
import type { GraphEmulator } from '../graph-emulator.js';
import { playFlow, type PlayResult } from './flow-player.js';
import { phoneEndpoint, type PhoneEndpointOptions } from './phone-endpoint.js';
import { createPhoneUploads } from './phone-media.js';
import { behaviourOf, checkScripts, type PhoneScripts, type ResolvedBehaviour } from './phone-script.js';
import { inboundTextBody, inboundWamid, nfmReplyBody, statusBody, type AdReferral, type OutboundStatus, type WebhookAccount } from './webhook-payloads.js';
import { createWebhookPoster, type DeliveryReport, type WebhookRetryPolicy } from './webhook-poster.js';

/** Options of {@link createVirtualPhones}. */
export interface VirtualPhonesOptions {
  readonly emulator: GraphEmulator;
  /** The Meta app secret: signs webhooks and endpoint requests. */
  readonly appSecret: string;
  /** Where webhooks go (Flowbridge's `/webhooks/whatsapp`); can be set later with `setWebhookUrl`. */
  readonly webhookUrl?: string;
  readonly scripts?: PhoneScripts;
  readonly retry?: WebhookRetryPolicy;
  /** Transport for webhooks and endpoint calls (default node:http). */
  readonly post?: HttpPost;
  /** Wait between webhook retries and before asking the endpoint again after a 503 (tests pass a fake). */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Endpoint timeout per request, ms (WhatsApp's is 10 s). */
  readonly endpointTimeoutMs?: number;
  /** Outcomes kept for `outcomes` / `outcomeOf`, newest last (default 10,000; a long-running sandbox forgets the oldest). */
  readonly keepOutcomes?: number;
  /** One line per thing that happened (for the CLI and logs). Never receives answers or secrets. */
  readonly log?: (line: string) => void;
}

/** What happened to one message a phone received. */
export interface PhoneOutcome {
  readonly wamid: string;
  readonly waId: string;
  readonly rule: string;
  readonly flowToken: string | undefined;
  /** The emulator's flow id, for flow messages. */
  readonly flowId: string | undefined;
  /** `failed`: Meta reported a delivery failure; `not-opened`: no flow, or the script leaves it closed. */
  readonly result: PlayResult | { readonly kind: 'failed'; readonly code: number } | { readonly kind: 'not-opened' };
  /** Every webhook posted for this message, in order. */
  readonly webhooks: readonly { readonly what: OutboundStatus | 'nfm_reply'; readonly delivery: DeliveryReport }[];
}

/** The phones of one emulator. */
export interface VirtualPhones {
  setWebhookUrl(url: string | undefined): void;
  readonly webhookUrl: string | undefined;
  /** Outcomes of messages whose handling has finished, in finishing order. */
  readonly outcomes: readonly PhoneOutcome[];
  outcomeOf(wamid: string): PhoneOutcome | undefined;
  behaviourOf(waId: string): ResolvedBehaviour;
  /** Resolves when every message received so far has been handled (flows played, webhooks delivered or given up). */
  idle(): Promise<void>;
  /** The phone writes (opens the 24-hour window); with `referral`, as if from a click-to-WhatsApp ad. Returns the inbound message id. */
  sendText(waId: string, text: string, referral?: AdReferral): Promise<{ messageId: string; delivery: DeliveryReport }>;
  /** Replace the behaviour scripts for messages received from now on; throws (keeping the old ones) when they are inconsistent. */
  setScripts(scripts: PhoneScripts): void;
  /** Stop receiving messages (work in progress finishes). */
  close(): void;
}

/** Attach phones to `emulator`; throws when the scripts are inconsistent. */
export function createVirtualPhones(options: VirtualPhonesOptions): VirtualPhones {
  let scripts = options.scripts ?? {};
  const problems = checkScripts(scripts);
  if (problems.length > 0) throw new Error(`Invalid phone scripts: ${problems.join('; ')}.`);
  const { emulator } = options;
  const post = options.post ?? nodeHttpPost;
  const log = options.log ?? (() => undefined);
  let webhookUrl = options.webhookUrl;
  const poster = createWebhookPoster({ ...options.retry, url: () => webhookUrl, appSecret: options.appSecret, post, ...(options.sleep && { sleep: options.sleep }) });
  const account = (): WebhookAccount => ({ wabaId: emulator.options.wabaId, phoneNumberId: emulator.options.phoneNumberId, displayPhoneNumber: emulator.options.displayPhoneNumber });
  const now = (): number => Date.now();
  const outcomes: PhoneOutcome[] = [];
  const keep = Math.max(1, options.keepOutcomes ?? 10_000);
  const byWamid = new Map<string, PhoneOutcome>();
  const running = new Set<Promise<void>>();
  const conversations = new Map<string, string>();
  const endpointOptions: PhoneEndpointOptions = { appSecret: options.appSecret, post, crypto: createNodeFlowCrypto(), ...(options.endpointTimeoutMs !== undefined && { timeoutMs: options.endpointTimeoutMs }), ...(options.sleep && { sleep: options.sleep }) };

  // Picker uploads: encrypted files on the emulator's CDN; completion media become Cloud API media.
  const uploads = createPhoneUploads({ addCdnFile: (bytes) => emulator.addCdnFile(bytes), addMedia: (bytes, mime) => emulator.addMedia(bytes, mime) });
  const profileName = (waId: string): string => behaviourOf(scripts, waId).behaviour.profileName ?? `Virtual phone ${waId.slice(-4)}`;

  function category(message: SentMessage): string {
    if (message.type !== 'template') return 'service';
    const t = [...emulator.state.templates.values()].find((x) => x.name === message.template?.name && x.language === message.template?.language);
    return (t?.category ?? 'MARKETING').toLowerCase();
  }

  async function handle(message: SentMessage): Promise<void> {
    const { behaviour, rule } = behaviourOf(scripts, message.waId);
    const webhooks: { what: OutboundStatus | 'nfm_reply'; delivery: DeliveryReport }[] = [];
    const cat = category(message);
    const convKey = `${message.waId}:${cat}`;
    const conversationId = conversations.get(convKey) ?? randomBytes(16).toString('hex');
    conversations.set(convKey, conversationId);
    const status = async (s: OutboundStatus): Promise<void> => {
      const delivery = await poster.deliver(statusBody(account(), { wamid: message.wamid, waId: message.waId, status: s, at: now(), category: cat, conversationId, ...(message.failure && { failure: message.failure }) }));
      if (!delivery.ok && delivery.attempts > 0) log(`webhook ${s} for ${message.waId} not delivered after ${delivery.attempts} attempt(s): ${delivery.error ?? ''}`);
      webhooks.push({ what: s, delivery });
    };
    let result: PhoneOutcome['result'];
    if (message.failure) {
      await status('failed');
      result = { kind: 'failed', code: message.failure.code };
    } else {
      await status('sent');
      await status('delivered');
      const opens = message.flow !== undefined && behaviour.open !== false;
      if (behaviour.read !== false || opens) await status('read');
      if (message.flow && opens) {
        try {
          result = await playFlow(message.flow, behaviour, phoneEndpoint(emulator, message.flow, endpointOptions), uploads);
        } catch (err) {
          result = { kind: 'stuck', screens: [], reason: `the client failed: ${err instanceof Error ? err.message : String(err)}` };
        }
        if (result.kind === 'completed') {
          // The completion is a message from the person: it opens the 24-hour window, as at Meta.
          emulator.receiveInbound(message.waId);
          const delivery = await poster.deliver(nfmReplyBody(account(), { waId: message.waId, profileName: profileName(message.waId), flowMessageId: message.wamid, response: uploads.toCloudMedia(result.response), at: now() }));
          if (!delivery.ok && delivery.attempts > 0) log(`webhook nfm_reply for ${message.waId} not delivered after ${delivery.attempts} attempt(s): ${delivery.error ?? ''}`);
          webhooks.push({ what: 'nfm_reply', delivery });
        }
        log(`phone ${message.waId} (${rule}): flow ${message.flow.flowId} ${result.kind}${result.kind === 'stuck' ? ` — ${result.reason}` : ''}`);
      } else result = { kind: 'not-opened' };
    }
    const outcome: PhoneOutcome = { wamid: message.wamid, waId: message.waId, rule, flowToken: message.flow?.flowToken, flowId: message.flow?.flowId, result, webhooks };
    outcomes.push(outcome);
    byWamid.set(message.wamid, outcome);
    if (outcomes.length > keep) for (const old of outcomes.splice(0, outcomes.length - keep)) byWamid.delete(old.wamid);
  }

  function track(work: Promise<void>): void {
    const done = work.catch((err: unknown) => log(`phone failure: ${err instanceof Error ? err.message : String(err)}`));
    running.add(done);
    void done.finally(() => running.delete(done));
  }

  const unsubscribe = emulator.onMessage((message) => track(handle(message)));

  return {
    setWebhookUrl(url) {
      webhookUrl = url;
    },
    get webhookUrl() {
      return webhookUrl;
    },
    outcomes,
    outcomeOf: (wamid) => byWamid.get(wamid),
    behaviourOf: (waId) => behaviourOf(scripts, waId),
    async idle() {
      while (running.size > 0) await Promise.all(running);
    },
    async sendText(waId, text, referral) {
      if (!/^\d{8,15}$/.test(waId)) throw new Error(`A virtual phone number is a WhatsApp id of 8–15 digits, got "${waId}".`);
      const at = now();
      emulator.receiveInbound(waId, at);
      const messageId = inboundWamid();
      const delivery = await poster.deliver(inboundTextBody(account(), { waId, profileName: profileName(waId), text, at, messageId, ...(referral && { referral }) }));
      return { messageId, delivery };
    },
    setScripts(next) {
      const wrong = checkScripts(next);
      if (wrong.length > 0) throw new Error(`Invalid phone scripts: ${wrong.join('; ')}.`);
      scripts = next;
    },
    close() {
      unsubscribe();
    },
  };
}
