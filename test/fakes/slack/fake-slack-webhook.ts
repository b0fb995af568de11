/**
 * Contract fake of a Slack incoming webhook ("Sending messages using
 * incoming webhooks"): POST to the webhook's own path only, JSON with
 * `content-type: application/json`, a non-empty `text` and, when present,
 * `blocks` as an array of typed blocks within Slack's limits. Answers as
 * Slack does: 200 `ok` (text/plain), 400 `invalid_payload` /
 * `no_text`, 404 `no_service` for an unknown path.
 * @module
 */
import { startLoopbackServer, type LoopbackServer } from '../shared/loopback-server.js';

/** A message the fake accepted. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: Array<Record<string, unknown>>;
}

/** The running fake. */
export interface SlackWebhookFake {
  readonly server: LoopbackServer;
  /** The incoming webhook URL (with its secret-looking path). */
  readonly url: string;
  readonly messages: SlackMessage[];
  close(): Promise<void>;
}

const PATH = '/services/T0FAKE/B0FAKE/s3cr3tT0ken';
const BLOCK_TYPES = new Set(['header', 'section', 'context', 'divider', 'actions', 'image', 'rich_text']);

function problem(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return 'invalid_payload';
  const p = payload as Record<string, unknown>;
  if (typeof p.text !== 'string' || p.text.trim() === '') return 'no_text';
  if (p.blocks === undefined) return undefined;
  if (!Array.isArray(p.blocks) || p.blocks.length > 50) return 'invalid_blocks';
  for (const block of p.blocks as unknown[]) {
    if (typeof block !== 'object' || block === null) return 'invalid_blocks';
    const b = block as Record<string, unknown>;
    if (typeof b.type !== 'string' || !BLOCK_TYPES.has(b.type)) return 'invalid_blocks';
    if (b.type === 'section') {
      const text = b.text as { type?: unknown; text?: unknown } | undefined;
      const fields = b.fields as unknown[] | undefined;
      if (text === undefined && fields === undefined) return 'invalid_blocks';
      if (text !== undefined && (typeof text.text !== 'string' || text.text.length > 3000)) return 'invalid_blocks';
      if (fields !== undefined && (!Array.isArray(fields) || fields.length > 10)) return 'invalid_blocks';
    }
    if (b.type === 'header') {
      const text = b.text as { type?: unknown; text?: unknown } | undefined;
      if (text?.type !== 'plain_text' || typeof text.text !== 'string' || text.text.length > 150) return 'invalid_blocks';
    }
  }
  return undefined;
}

/** Start the fake. */
export async function startSlackWebhookFake(): Promise<SlackWebhookFake> {
  const messages: SlackMessage[] = [];
  const server = await startLoopbackServer({
    contentType: 'text/plain',
    handle(req) {
      if (req.path !== PATH) return { status: 404, body: 'no_service' };
      if (req.method !== 'POST') return { status: 405, body: 'invalid_method' };
      if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) return { status: 400, body: 'invalid_payload' };
      let payload: unknown;
      try {
        payload = JSON.parse(req.body);
      } catch {
        return { status: 400, body: 'invalid_payload' };
      }
      const bad = problem(payload);
      if (bad !== undefined) return { status: 400, body: bad };
      messages.push(payload as SlackMessage);
      return { status: 200, body: 'ok' };
    },
  });
  return { server, url: `${server.url}${PATH}`, messages, close: () => server.close() };
}
