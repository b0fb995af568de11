/**
 * Child process of `bench/delivery.bench.ts`: the fast fake sink, a
 * `node:http` server that stands for the outside system a Standard Webhooks
 * sink posts to. It runs in its own process, as the real consumer would, so
 * its work does not share the pipeline's event loop. It keeps a ledger of
 * `webhook-id`s (distinct deliveries, duplicates) and answers 200 at once.
 *
 * Protocol: answers `{ url }` once listening; `'count'` is answered with
 * {@link SinkLedger}; `'reset'` clears the ledger (answered `'reset'`);
 * `'exit'` stops it.
 * @module
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the sink saw since the last reset. */
export interface SinkLedger {
  readonly received: number;
  readonly duplicates: number;
  /** Requests without the Standard Webhooks headers (id, timestamp, signature). */
  readonly unsigned: number;
}

const seen = new Set<string>();
let duplicates = 0;
let unsigned = 0;

const server = createServer((req, res) => {
  const id = req.headers['webhook-id'];
  if (typeof id !== 'string' || typeof req.headers['webhook-signature'] !== 'string' || typeof req.headers['webhook-timestamp'] !== 'string') unsigned++;
  else if (seen.has(id)) duplicates++;
  else seen.add(id);
  req.on('data', () => undefined);
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': 11 }).end('{"ok":true}');
  });
});
server.keepAliveTimeout = 60_000;
server.listen({ port: 0, host: '127.0.0.1', backlog: 1024 }, () => {
  process.send?.({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
});
process.on('message', (m) => {
  if (m === 'count') process.send?.({ received: seen.size, duplicates, unsigned } satisfies SinkLedger);
  if (m === 'reset') {
    seen.clear();
    duplicates = 0;
    unsigned = 0;
    process.send?.('reset');
  }
  if (m === 'exit') server.close(() => process.exit(0));
});
