/**
 * Test harness for the server: the real app (buildApp) over a real SQLite
 * store in a temp directory, the shared test key pair, and helpers that
 * encrypt and sign requests as WhatsApp does.
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { pino, type Logger } from 'pino';
import { Secret } from '../../src/config/secret.js';
import { buildApp } from '../../src/server/app.js';
import type { ClientErrorRecorder } from '../../src/services/client-error-recorder.js';
import { type FlowHandlers, createHandlerRegistry, complete, error, next } from '../../src/services/flow-handlers.js';
import { createSessionService, type SessionService } from '../../src/services/sessions.js';
import { createDatabase, type StoreDatabase } from '../../src/store/create-database.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { createSessionRepo } from '../../src/store/repos/session-repo.js';
import { encryptFlowRequest, decryptFlowResponse, loadPrivateKey, loadPublicKey } from '../../src/whatsapp/flow-crypto.js';
import { signBody } from '../../src/whatsapp/hub-signature.js';
import { createEndpointClient, type EndpointClient } from '../../src/core/runtime/endpoint/endpoint-client.js';
import { nodeHttpPost } from '../../src/whatsapp/http-post.js';
import { createNodeFlowCrypto } from '../../src/whatsapp/node-flow-crypto.js';
import { testKeys } from '../crypto/crypto-fixtures.js';

export const APP_SECRET = 'test-app-secret-7f3a9c';
export const OLD_APP_SECRET = 'previous-app-secret-1b2c';
export const FLOW_ID = 'appointment-flow';
export const privateKey = loadPrivateKey(testKeys.privatePem);
export const encryptedKey = loadPrivateKey(testKeys.encryptedPrivatePem, testKeys.passphrase);
export const publicKey = loadPublicKey(testKeys.publicPem);

/** Server-side behaviour of examples/flows/book-appointment.json. */
export const appointmentHandlers: FlowHandlers = {
  INIT: () => next('APPOINTMENT', {
    services: [{ id: 'haircut', title: 'Haircut' }, { id: 'colour', title: 'Colour' }],
    min_date: '2026-01-05', max_date: '2026-03-31',
  }),
  screens: {
    APPOINTMENT: {
      data_exchange: ({ data }) => data.service === 'colour'
        ? error('Colour is fully booked', { service: 'Pick another service' })
        : next('DETAILS', { slot_label: `${String(data.service)} on ${String(data.date)}` }),
    },
    DETAILS: { data_exchange: ({ data }) => next('CONFIRM', { summary: `Booking for ${String(data.full_name)}` }) },
    CONFIRM: { data_exchange: () => complete({ booked: true }) },
  },
  fallback: ({ data }) => complete({ via: 'fallback', ...data }),
};

/** A logger writing into a string buffer. */
export function bufferLogger(level = 'debug'): { logger: Logger; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({ write(chunk: Buffer, _enc, done) { chunks.push(chunk.toString('utf8')); done(); } });
  return { logger: pino({ level }, stream), text: () => chunks.join('') };
}

export interface Harness {
  app: FastifyInstance;
  store: StoreDatabase;
  sessions: SessionService;
  /** Insert a session with a chosen token (vectors use fixed tokens). */
  insertSession(token: string, options?: { status?: 'open' | 'completed' | 'expired'; expiresInMs?: number; flowId?: string }): Promise<void>;
  counts(): Promise<{ sessions: number; submissions: number; open: number }>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  secrets?: string[];
  keys?: import('node:crypto').KeyObject[];
  logger?: Logger;
  handlers?: Record<string, FlowHandlers>;
  bodyLimit?: number;
  clientErrors?: ClientErrorRecorder;
  checkDatabase?: () => Promise<void>;
}

/** Build the app over a fresh SQLite database. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'fb-server-'));
  const store = createDatabase(`sqlite:${join(dir, 'test.db')}`);
  await migrateToLatest(store);
  const sessions = createSessionService(createSessionRepo(store.db));
  const registry = createHandlerRegistry();
  for (const [id, h] of Object.entries(options.handlers ?? { [FLOW_ID]: appointmentHandlers })) registry.register(id, h);
  const secrets = options.secrets ?? [APP_SECRET];
  const app = await buildApp({
    config: { appSecret: secrets.length === 0 ? undefined : secrets.map((s) => new Secret(s)) },
    keys: options.keys ?? [privateKey],
    sessions, handlers: registry,
    logger: options.logger ?? pino({ level: 'silent' }),
    checkDatabase: options.checkDatabase ?? (async () => { await sql`select 1`.execute(store.db); }),
    ...(options.clientErrors === undefined ? {} : { clientErrors: options.clientErrors }),
    ...(options.bodyLimit === undefined ? {} : { bodyLimit: options.bodyLimit }),
  });
  return {
    app, store, sessions,
    async insertSession(token, o = {}) {
      const now = Date.now();
      await store.db.insertInto('flow_sessions').values({
        flow_token: token, flow_id: o.flowId ?? FLOW_ID, form_id: null, contact_phone: '15550001111', entry_point: null, campaign: null,
        status: o.status ?? 'open', created_at: new Date(now).toISOString(),
        expires_at: new Date(now + (o.expiresInMs ?? 3_600_000)).toISOString(), completed_at: null, last_screen: null,
      }).execute();
    },
    async counts() {
      const s = await store.db.selectFrom('flow_sessions').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const o = await store.db.selectFrom('flow_sessions').where('status', '=', 'open').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const sub = await store.db.selectFrom('submissions').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return { sessions: Number(s.n), submissions: Number(sub.n), open: Number(o.n) };
    },
    async close() {
      await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An encrypted, signed request as WhatsApp sends it. */
export function sealRequest(plaintext: unknown, secret: string | null = APP_SECRET) {
  const { body, aesKey, iv } = encryptFlowRequest(plaintext, publicKey);
  const payload = JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (secret !== null) headers['x-hub-signature-256'] = signBody(payload, secret);
  return { body, payload, headers, aesKey, iv, open: (text: string) => decryptFlowResponse(text, aesKey, iv) };
}

/** POST a raw payload to the endpoint, signed with `secret` unless it is null. */
export function postRaw(app: FastifyInstance, payload: string | Buffer, secret: string | null = APP_SECRET, contentType = 'application/json') {
  const headers: Record<string, string> = { 'content-type': contentType };
  if (secret !== null) headers['x-hub-signature-256'] = signBody(payload, secret);
  return app.inject({ method: 'POST', url: '/flows/endpoint', payload, headers });
}

/** The runtime's endpoint client against a running server: real encryption, requests signed with `secret`. */
export function runtimeEndpointClient(server: { readonly url: string; readonly keys: { readonly publicKeyPem: string } }, secret = APP_SECRET): EndpointClient {
  return createEndpointClient({
    url: `${server.url}/flows/endpoint`, publicKeyPem: server.keys.publicKeyPem, crypto: createNodeFlowCrypto(), post: nodeHttpPost,
    sign: (raw) => Promise.resolve(signBody(raw, secret)), timeoutMs: 5000,
  });
}
