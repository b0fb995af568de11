/**
 * Test harness: a Graph emulator on loopback with a controllable clock, and
 * a client pointed at it. Every test gets its own emulator.
 * @module
 */
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createGraphEmulator, type GraphEmulator, type GraphEmulatorOptions } from '../../src/emulator/graph-emulator.js';
import { createGraphClient, type GraphClient, type GraphClientOptions } from '../../src/whatsapp/graph/create-graph-client.js';

export const TOKEN = 'EAAtest-token';
export const WABA = '102290129340398';
export const PHONE = '106540352242922';

/** A running emulator, its clock and a client. */
export interface Harness {
  readonly emulator: GraphEmulator;
  readonly graph: GraphClient;
  readonly url: string;
  /** Move the emulator's clock forward. */
  advance(ms: number): void;
  close(): Promise<void>;
}

/** Start an emulator (clock starts at 2026-01-01T00:00:00Z) and a client. */
export async function startHarness(options: Partial<GraphEmulatorOptions> = {}, client: Partial<GraphClientOptions> = {}): Promise<Harness> {
  let clock = Date.parse('2026-01-01T00:00:00Z');
  const emulator = createGraphEmulator({ accessToken: TOKEN, wabaId: WABA, phoneNumberId: PHONE, now: () => clock, ...options });
  const url = await emulator.listen();
  const graph = createGraphClient({ baseUrl: url, version: 'v23.0', accessToken: TOKEN, wabaId: WABA, phoneNumberId: PHONE, ...client });
  return { emulator, graph, url, advance: (ms) => { clock += ms; }, close: () => emulator.close() };
}

/** Directory of Meta's Flow JSON examples. */
export const META_FIXTURES = '/work/shared/fixtures/meta';

/** Every Meta fixture: file name and text. */
export function metaFixtures(): Array<{ file: string; text: string }> {
  return readdirSync(META_FIXTURES).filter((f) => f.endsWith('.json')).sort().map((file) => ({ file, text: readFileSync(join(META_FIXTURES, file), 'utf8') }));
}

/** A small valid navigate-only flow (two screens, one entry). */
export function simpleFlowJson(version = '7.3'): string {
  return JSON.stringify({
    version,
    screens: [
      { id: 'WELCOME', title: 'Welcome', data: { name: { type: 'string', __example__: 'Ann' } }, layout: { type: 'SingleColumnLayout', children: [
        { type: 'TextBody', text: '${data.name}' },
        { type: 'Footer', label: 'Next', 'on-click-action': { name: 'navigate', next: { type: 'screen', name: 'DONE' }, payload: {} } },
      ] } },
      { id: 'DONE', title: 'Done', terminal: true, layout: { type: 'SingleColumnLayout', children: [
        { type: 'TextBody', text: 'Thanks' },
        { type: 'Footer', label: 'Finish', 'on-click-action': { name: 'complete', payload: {} } },
      ] } },
    ],
  }, null, 2);
}

/** An RSA key pair's public PEM of `bits` bits. */
export function publicKeyPem(bits = 2048): string {
  return generateKeyPairSync('rsa', { modulusLength: bits }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

/** Create, upload and publish a flow; returns its id. */
export async function publishedFlow(h: Harness, name: string, json = simpleFlowJson()): Promise<string> {
  const { id } = await h.graph.createFlow({ name, categories: ['OTHER'] });
  const upload = await h.graph.uploadFlowJson(id, json);
  if (upload.validationErrors.length > 0) throw new Error(`fixture flow invalid: ${JSON.stringify(upload.validationErrors)}`);
  await h.graph.publishFlow(id);
  return id;
}

/** The rejection of `promise` (fails the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}
