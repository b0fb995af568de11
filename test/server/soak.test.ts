import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { next } from '../../src/services/flow-handlers.js';
import { encryptFlowRequest } from '../../src/whatsapp/flow-crypto.js';
import { signBody } from '../../src/whatsapp/hub-signature.js';
import { APP_SECRET, bufferLogger, FLOW_ID, type Harness, sealRequest, startHarness } from './server-harness.js';

/**
 * Soak: 10,000 requests over real HTTP, valid ones mixed with every kind of
 * bad one, each checked against its documented status (flow-endpoint.ts) and,
 * when valid, against the decrypted reply. Bodies are sealed once and
 * replayed, so the client's RSA cost stays small; every server decrypt is real.
 */
const TOTAL = 10_000;
const CONCURRENCY = 16;
const POOL = 40;
const TOKEN = 'soak-token';
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });

interface Case {
  readonly kind: string;
  readonly status: number;
  readonly payload: string;
  readonly headers: Record<string, string>;
  /** Checks a 200/427 body; undefined: the body must be empty. */
  readonly check?: (body: string) => void;
}

function signed(payload: string): Record<string, string> {
  return { 'content-type': 'application/json', 'x-hub-signature-256': signBody(payload, APP_SECRET) };
}

function sealedCase(kind: string, plaintext: unknown, status: number, expected: unknown): Case {
  const req = sealRequest(plaintext);
  return { kind, status, payload: req.payload, headers: req.headers, check: (body) => expect(req.open(body)).toEqual(expected) };
}

function tamper(b64: string): string {
  const bytes = Buffer.from(b64, 'base64');
  bytes[bytes.length - 1]! ^= 0x01;
  return bytes.toString('base64');
}

function buildCases(i: number): Case[] {
  const wrongKey = JSON.stringify(encryptFlowRequest({ version: '3.0', action: 'ping' }, other.publicKey).body);
  const good = sealRequest({ version: '3.0', action: 'INIT', flow_token: TOKEN });
  const tampered = JSON.stringify({ ...good.body, encrypted_flow_data: tamper(good.body.encrypted_flow_data) });
  const malformed = `{"encrypted_flow_data": "${randomBytes(8).toString('base64')}", `;
  return [
    sealedCase('ping', { version: '3.0', action: 'ping' }, 200, { data: { status: 'active' } }),
    sealedCase('INIT', { version: '3.0', action: 'INIT', flow_token: TOKEN }, 200, { screen: 'FORM', data: { n: 0 } }),
    sealedCase('data_exchange', { version: '3.0', action: 'data_exchange', screen: 'FORM', flow_token: TOKEN, data: { n: i } }, 200, { screen: 'FORM', data: { n: i + 1 } }),
    { kind: 'malformed', status: 400, payload: malformed, headers: signed(malformed) },
    { kind: 'wrong-key', status: 421, payload: wrongKey, headers: signed(wrongKey) },
    { kind: 'tampered', status: 421, payload: tampered, headers: signed(tampered) },
    { kind: 'bad-signature', status: 432, payload: good.payload, headers: { ...good.headers, 'x-hub-signature-256': signBody(good.payload, 'not-the-secret') } },
    { kind: 'unknown-screen', status: 500, ...(({ payload, headers }) => ({ payload, headers }))(sealRequest({ version: '3.0', action: 'data_exchange', screen: 'NOWHERE', flow_token: TOKEN, data: {} })) },
    sealedCase('unknown-token', { version: '3.0', action: 'INIT', flow_token: `missing-${i}` }, 427, { error_msg: 'This form link is not valid. Please ask us for a new one.' }),
  ];
}

function post(agent: Agent, port: number, c: Case): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ agent, host: '127.0.0.1', port, path: '/flows/endpoint', method: 'POST', headers: { ...c.headers, 'content-length': Buffer.byteLength(c.payload) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.setTimeout(10_000, () => req.destroy(new Error('no answer within 10 s')));
    req.on('error', reject);
    req.end(c.payload);
  });
}

let h: Harness;
let port = 0;
const log = bufferLogger('info');

beforeAll(async () => {
  h = await startHarness({
    logger: log.logger,
    handlers: {
      [FLOW_ID]: {
        INIT: () => next('FORM', { n: 0 }),
        screens: { FORM: { data_exchange: ({ data }) => next('FORM', { n: Number(data.n) + 1 }) } },
      },
    },
  });
  await h.insertSession(TOKEN);
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  const address = h.app.server.address();
  port = typeof address === 'object' && address !== null ? address.port : 0;
});
afterAll(async () => h.close());

describe('endpoint soak', () => {
  it(`answers ${TOTAL} mixed valid and bad requests, each with its documented status, and keeps serving`, async () => {
    const pool = Array.from({ length: POOL }, (_, i) => buildCases(i));
    const kinds = pool[0]!.length;
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const seen = new Map<string, number>();
    const wrong: string[] = [];
    let wrongCount = 0;
    const before = await h.counts();
    let nextIndex = 0;
    async function client(): Promise<void> {
      while (nextIndex < TOTAL) {
        const n = nextIndex++;
        const c = pool[Math.floor(n / kinds) % POOL]![n % kinds]!;
        const res = await post(agent, port, c);
        seen.set(c.kind, (seen.get(c.kind) ?? 0) + 1);
        try {
          expect(res.status).toBe(c.status);
          if (c.check === undefined) expect(res.body).toBe('');
          else c.check(res.body);
        } catch (err) {
          wrongCount += 1;
          if (wrong.length < 5) wrong.push(`#${n} ${c.kind}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    }
    await Promise.all(Array.from({ length: CONCURRENCY }, () => client()));
    agent.destroy();
    expect(wrong).toEqual([]);
    expect(wrongCount).toBe(0);
    expect([...seen.values()].reduce((a, b) => a + b, 0)).toBe(TOTAL);
    expect(seen.size).toBe(kinds);
    // Nothing was stored half-way, the session is still open, the server still answers.
    expect(await h.counts()).toEqual(before);
    const ping = sealRequest({ version: '3.0', action: 'ping' });
    expect(ping.open((await post(new Agent(), port, { kind: 'ping', status: 200, ...ping })).body)).toEqual({ data: { status: 'active' } });
    // The only 5xx are the documented unknown-screen answers; no stack trace or secret reached the log.
    const text = log.text();
    expect(text).not.toMatch(/"level":60/);
    expect(text).not.toContain(APP_SECRET);
    expect(text).not.toMatch(/\n\s+at /);
  }, 120_000);
});
