/**
 * A proxy in front of Flowbridge's webhook route that makes "Meta" (the
 * virtual phones' webhook poster) retry: every n-th distinct body fails its
 * first delivery, alternately refused (never reaches the server) and lost
 * (stored by the server, but answered 500 as if the answer never arrived).
 * @module
 */
import { createHash } from 'node:crypto';
import { startLoopbackServer } from '../fakes/shared/loopback-server.js';

/** A running flaky proxy. */
export interface FlakyProxy {
  /** `<proxy>/webhooks/whatsapp`: give it to the phones as their webhook URL. */
  readonly url: string;
  /** First deliveries answered 500 without reaching the server. */
  readonly refused: number;
  /** First deliveries that reached the server (stored) but were answered 500 as if the answer was lost. */
  readonly lost: number;
  close(): Promise<void>;
}

/** Forward to `target`; every `every`-th distinct body fails its first delivery, alternately refused and lost. */
export async function startFlakyProxy(target: string, every: number): Promise<FlakyProxy> {
  const seen = new Set<string>();
  let distinct = 0;
  let refused = 0;
  let lost = 0;
  const proxy = await startLoopbackServer({
    handle: async (req) => {
      const key = createHash('sha256').update(req.raw).digest('hex');
      const first = !seen.has(key);
      seen.add(key);
      const fail = first && ++distinct % every === 0 ? ((distinct / every) % 2 === 0 ? 'lost' : 'refuse') : undefined;
      if (fail === 'refuse') {
        refused++;
        return { status: 500 };
      }
      const headers = { 'content-type': String(req.headers['content-type']), 'x-hub-signature-256': String(req.headers['x-hub-signature-256']) };
      const answer = await fetch(target, { method: 'POST', body: req.raw, headers });
      await answer.arrayBuffer();
      if (fail === 'lost') {
        lost++;
        return { status: 500 };
      }
      return { status: answer.status };
    },
  });
  return {
    url: `${proxy.url}/webhooks/whatsapp`,
    get refused() { return refused; },
    get lost() { return lost; },
    close: () => proxy.close(),
  };
}
