/**
 * A minimal helpdesk endpoint for the support-intake journey: what a
 * helpdesk (or the glue in front of it) does with Flowbridge's signed
 * webhook. It verifies the Standard Webhooks signature with the shared
 * secret (`standardwebhooks`, which also refuses timestamps older than five
 * minutes), answers 401 when it does not verify, opens one ticket per
 * `webhook-id` (a retry or a replay of the same delivery is acknowledged
 * without a second ticket), and answers 200.
 *
 * Run it next to the server:
 *   HELPDESK_WEBHOOK_SECRET=whsec_… npx tsx examples/journeys/6-support-intake/helpdesk-receiver.ts
 * @module
 */
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { Webhook } from 'standardwebhooks';

/** A ticket as the helpdesk opens it. */
export interface Ticket {
  /** `webhook-id`: the same for every retry and replay of one submission. */
  readonly id: string;
  readonly submissionId: string;
  /** The customer's WhatsApp number: the conversation to answer in. */
  readonly phone: string;
  /** How the flow was started: `api` (an agent), `keyword` (the bot) or `ad`. */
  readonly entryPoint: string | undefined;
  readonly answers: Readonly<Record<string, unknown>>;
}

/** A running receiver. */
export interface HelpdeskReceiver {
  readonly url: string;
  readonly tickets: Ticket[];
  close(): Promise<void>;
}

interface Payload {
  readonly data: { readonly submissionId: string; readonly contact: { readonly phone: string }; readonly entryPoint?: string; readonly answers: Record<string, unknown> };
}

const header = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));

/** Listen on `host:port` (default 127.0.0.1, any free port); `onTicket` sees each new ticket once. */
export function startHelpdeskReceiver(options: { secret: string; port?: number; host?: string; onTicket?: (ticket: Ticket) => void }): Promise<HelpdeskReceiver> {
  const verifier = new Webhook(options.secret);
  const tickets: Ticket[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = { 'webhook-id': header(req.headers['webhook-id']), 'webhook-timestamp': header(req.headers['webhook-timestamp']), 'webhook-signature': header(req.headers['webhook-signature']) };
      let payload: Payload;
      try {
        payload = verifier.verify(body, headers) as Payload;
      } catch {
        res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'signature does not verify' }));
        return;
      }
      if (!tickets.some((t) => t.id === headers['webhook-id'])) {
        const { data } = payload;
        const ticket: Ticket = { id: headers['webhook-id'], submissionId: data.submissionId, phone: data.contact.phone, entryPoint: data.entryPoint, answers: data.answers };
        tickets.push(ticket);
        options.onTicket?.(ticket);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : options.port;
      resolve({ url: `http://${options.host ?? '127.0.0.1'}:${String(port)}`, tickets, close: () => new Promise((done) => server.close(() => done())) });
    });
  });
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const secret = process.env.HELPDESK_WEBHOOK_SECRET;
  if (secret === undefined || secret === '') {
    console.error('Set HELPDESK_WEBHOOK_SECRET to the secret of the helpdesk sink (whsec_<base64>).');
    process.exit(2);
  }
  const receiver = await startHelpdeskReceiver({
    secret, port: Number(process.env.PORT ?? 4000),
    onTicket: (t) => console.log(`ticket ${t.id}: ${t.phone} via ${t.entryPoint ?? '?'} — ${JSON.stringify(t.answers)}`),
  });
  console.log(`helpdesk receiver listening on ${receiver.url}/tickets`);
}
