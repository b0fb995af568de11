/**
 * Benchmark fixtures: a data directory holding a passphrase-protected RSA-2048
 * key (what `flowbridge serve` loads at start), a migrated SQLite database with
 * open sessions of the bench flow, and pools of pre-encrypted, pre-signed
 * requests (ping, INIT, data_exchange with a 1 KB payload).
 * @module
 */
import { constants, generateKeyPairSync, publicEncrypt, randomBytes, type KeyObject } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSessionService } from '../src/services/sessions.js';
import { createDatabase } from '../src/store/create-database.js';
import { migrateToLatest } from '../src/store/migrate.js';
import { createSessionRepo } from '../src/store/repos/session-repo.js';
import { decryptFlowResponse, encryptFlowRequest } from '../src/whatsapp/flow-crypto.js';
import { signBody } from '../src/whatsapp/hub-signature.js';
import { BENCH_FLOW_ID, BENCH_SCREEN } from './endpoint-handlers.js';
import type { PreparedRequest } from './endpoint-load.js';

/** Request kinds measured. */
export type BenchKind = 'ping' | 'INIT' | 'data_exchange';

/** A pre-built request plus what its reply must decrypt to (for the sanity check). */
export interface SealedRequest extends PreparedRequest {
  open(replyBody: string): unknown;
}

/** Everything a run needs. */
export interface BenchFixture {
  readonly dataDir: string;
  readonly databaseUrl: string;
  readonly appSecret: string;
  readonly passphrase: string;
  readonly privatePem: string;
  readonly publicKey: KeyObject;
  readonly pools: Readonly<Record<BenchKind, readonly SealedRequest[]>>;
  /** A wrapped AES key for the raw RSA loop. */
  readonly wrappedKeyB64: string;
}

/** A 1 KB data_exchange payload: the size of a typical filled-in form screen. */
export function oneKilobyteData(i: number): Record<string, string> {
  const comment = `visit ${i}: `.padEnd(1000, 'abcdefghij');
  return { comment, rating: '5' };
}

function seal(plaintext: unknown, publicKey: KeyObject, appSecret: string): SealedRequest {
  const { body, aesKey, iv } = encryptFlowRequest(plaintext, publicKey);
  const payload = JSON.stringify(body);
  return {
    payload,
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(payload, appSecret) },
    open: (reply) => decryptFlowResponse(reply, aesKey, iv),
  };
}

/** Build the fixture in a fresh temp directory. */
export async function createBenchFixture(poolSize: number, sessionCount: number): Promise<BenchFixture> {
  const dataDir = mkdtempSync(join(tmpdir(), 'fb-bench-'));
  const appSecret = randomBytes(16).toString('hex');
  const passphrase = randomBytes(16).toString('hex');
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }).toString();
  mkdirSync(join(dataDir, 'keys'), { recursive: true, mode: 0o700 });
  writeFileSync(join(dataDir, 'keys', 'current.pem'), privatePem, { mode: 0o600 });
  writeFileSync(join(dataDir, 'keys', 'current.public.pem'), publicKey.export({ type: 'spki', format: 'pem' }).toString());

  const databaseUrl = `sqlite:${join(dataDir, 'bench.db')}`;
  const store = createDatabase(databaseUrl);
  const tokens: string[] = [];
  try {
    await migrateToLatest(store);
    const sessions = createSessionService(createSessionRepo(store.db));
    for (let i = 0; i < sessionCount; i++) {
      tokens.push((await sessions.issue({ flowId: BENCH_FLOW_ID, contactPhone: `1555000${String(i).padStart(4, '0')}`, ttlMs: 86_400_000 })).flowToken);
    }
  } finally {
    await store.close();
  }
  const token = (i: number): string => tokens[i % tokens.length] ?? '';
  const pool = (make: (i: number) => unknown): SealedRequest[] => Array.from({ length: poolSize }, (_, i) => seal(make(i), publicKey, appSecret));
  const wrapped = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, randomBytes(16));
  return {
    dataDir, databaseUrl, appSecret, passphrase, privatePem, publicKey, wrappedKeyB64: wrapped.toString('base64'),
    pools: {
      ping: pool(() => ({ version: '3.0', action: 'ping' })),
      INIT: pool((i) => ({ version: '3.0', action: 'INIT', flow_token: token(i) })),
      data_exchange: pool((i) => ({ version: '3.0', action: 'data_exchange', screen: BENCH_SCREEN, flow_token: token(i), data: oneKilobyteData(i) })),
    },
  };
}
