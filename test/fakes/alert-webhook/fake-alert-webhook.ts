/**
 * Contract fake of a generic alert webhook consumer: verifies the Standard
 * Webhooks headers with the reference `standardwebhooks` library (signature
 * and the 5-minute timestamp tolerance) when it has a secret, requires
 * `webhook-id`/`webhook-timestamp` always, checks the JSON envelope
 * (`type`, ISO `timestamp`, `data` with id, notice, kind, subject, title)
 * and dedupes on `webhook-id`. 401 for a bad signature, 400 for a bad body.
 * @module
 */
import { Webhook } from 'standardwebhooks';
import { startLoopbackServer, type LoopbackServer } from '../shared/loopback-server.js';

/** An accepted event. */
export interface AlertWebhookEvent {
  readonly id: string;
  readonly type: string;
  readonly timestamp: string;
  readonly data: Record<string, unknown>;
}

/** The running fake. */
export interface AlertWebhookFake {
  readonly server: LoopbackServer;
  readonly url: string;
  readonly events: AlertWebhookEvent[];
  /** Reasons of refused requests. */
  readonly refusals: string[];
  close(): Promise<void>;
}

const one = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));

/** Start the fake; without `secret` it accepts unsigned events. */
export async function startAlertWebhookFake(options: { secret?: string } = {}): Promise<AlertWebhookFake> {
  const verifier = options.secret === undefined ? undefined : new Webhook(options.secret);
  const events: AlertWebhookEvent[] = [];
  const refusals: string[] = [];
  const seen = new Set<string>();
  const refuse = (status: number, reason: string) => {
    refusals.push(reason);
    return { status, body: { error: reason } };
  };
  const server = await startLoopbackServer({
    handle(req) {
      if (req.method !== 'POST' || req.path !== '/hooks/flowbridge') return refuse(404, 'not found');
      if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) return refuse(415, 'content-type must be application/json');
      const id = one(req.headers['webhook-id']);
      const timestamp = one(req.headers['webhook-timestamp']);
      if (id === '' || !/^\d+$/.test(timestamp)) return refuse(400, 'webhook-id and webhook-timestamp headers are required');
      if (verifier !== undefined) {
        try {
          verifier.verify(req.body, { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': one(req.headers['webhook-signature']) });
        } catch (e) {
          return refuse(401, e instanceof Error ? e.message : 'bad signature');
        }
      }
      let p: Record<string, unknown>;
      try {
        p = JSON.parse(req.body) as Record<string, unknown>;
      } catch {
        return refuse(400, 'body is not JSON');
      }
      const data = p.data as Record<string, unknown> | undefined;
      if (typeof p.type !== 'string' || typeof p.timestamp !== 'string' || Number.isNaN(Date.parse(p.timestamp))) return refuse(400, 'type and timestamp are required');
      if (typeof data !== 'object' || data === null) return refuse(400, 'data is required');
      for (const key of ['id', 'notice', 'kind', 'subject', 'title']) if (typeof data[key] !== 'string') return refuse(400, `data.${key} must be a string`);
      if (!seen.has(id)) {
        seen.add(id);
        events.push({ id, type: p.type, timestamp: p.timestamp, data });
      }
      return { status: 204 };
    },
  });
  return { server, url: `${server.url}/hooks/flowbridge`, events, refusals, close: () => server.close() };
}
