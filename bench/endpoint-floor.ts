/**
 * A bare reference endpoint for the cluster runs (child process of `bench/endpoint.bench.ts`):
 * a bare `node:http` endpoint in N cluster workers that does only what the
 * protocol demands of every endpoint (spec §2.3): unwrap the AES key (one
 * RSA-OAEP private decrypt), open the request (AES-GCM), seal a reply
 * (AES-GCM with the flipped IV) and answer `200` base64. It uses
 * Flowbridge's own crypto functions and nothing else: no framework, no
 * signature check, no session, no handler, no logging, no load shedding.
 *
 * Driven by the same generator right after `flowbridge serve --workers N`,
 * it shows what the minimum an endpoint must do reaches on this machine with
 * that generator on the same cores, with the decrypt on the event loop as in
 * Meta's example endpoint. It is a reference, not a bound: `flowbridge serve`
 * unwraps keys on a worker thread and can do better (measured ×1.2). The
 * bound that holds for any server is the CPU one (bench/endpoint-run-cpu.ts).
 *
 * Protocol: the parent sends a {@link FloorJob}; the primary answers
 * `{ url }` once every worker listens, and exits on `'exit'`.
 * @module
 */
import cluster from 'node:cluster';
import { createServer } from 'node:http';
import { decryptFlowRequest, encryptFlowResponse, loadPrivateKey } from '../src/whatsapp/flow-crypto.js';

/** What the parent sends. */
export interface FloorJob {
  readonly privatePem: string;
  readonly passphrase: string;
  readonly workers: number;
  readonly port: number;
}

const PING_REPLY = { data: { status: 'active' } };

function runWorker(job: FloorJob): void {
  const key = loadPrivateKey(job.privatePem, job.passphrase);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        const request = decryptFlowRequest(JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown, [key]);
        const body = encryptFlowResponse(PING_REPLY, request.aesKey, request.iv);
        // A Content-Length, as Fastify sends (writeHead + end alone would answer chunked).
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) }).end(body);
      } catch {
        res.writeHead(400, { 'content-length': 0 }).end();
      }
    });
  });
  // The same backlog as `flowbridge serve` (src/main.ts LISTEN_BACKLOG).
  server.listen({ port: job.port, host: '127.0.0.1', backlog: 4096 }, () => process.send?.('listening'));
}

function runPrimary(job: FloorJob): void {
  // As src/server/cluster.ts: workers accept on the shared socket themselves.
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  let listening = 0;
  for (let i = 0; i < job.workers; i++) {
    const worker = cluster.fork({ FLOOR_JOB: JSON.stringify(job) });
    worker.on('message', (message: unknown) => {
      if (message === 'listening' && ++listening === job.workers) process.send?.({ url: `http://127.0.0.1:${job.port}` });
    });
  }
}

if (cluster.isWorker) {
  runWorker(JSON.parse(process.env.FLOOR_JOB ?? '{}') as FloorJob);
} else if (process.send !== undefined) {
  process.on('message', (message: unknown) => {
    if (message === 'exit') {
      for (const worker of Object.values(cluster.workers ?? {})) worker?.kill();
      process.exit(0);
    }
    runPrimary(message as FloorJob);
  });
  process.send('ready');
}
