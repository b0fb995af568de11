import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { migrateToLatest } from '../store/migrate.js';
import { openTestDatabase } from '../store/open-test-database.js';
import { createClientErrorRepo } from '../store/repos/client-error-repo.js';
import { createSessionRepo } from '../store/repos/session-repo.js';
import { decryptFlowResponse, encryptFlowRequest, loadPrivateKey, loadPublicKey } from '../whatsapp/flow-crypto.js';
import { createDbErrorRecorder, type ClientErrorStore, type LogSink } from './client-error-recorder.js';
import { createFlowEndpoint } from './flow-endpoint.js';
import { createHandlerRegistry } from './flow-handlers.js';
import { createSessionService } from './sessions.js';

const FIXTURES = process.env.FLOWBRIDGE_CRYPTO_FIXTURES ?? '/work/shared/fixtures/crypto';
const privateKey = loadPrivateKey(readFileSync(`${FIXTURES}/test-private-key.pem`, 'utf8'));
const publicKey = loadPublicKey(readFileSync(`${FIXTURES}/test-public-key.pem`, 'utf8'));

function memory(): LogSink & { lines: { msg: string; obj: object }[] } {
  const lines: { msg: string; obj: object }[] = [];
  const push = (obj: object, msg: string): void => { lines.push({ msg, obj }); };
  return { lines, debug: push, info: push, warn: push, error: push };
}

describe('createDbErrorRecorder', () => {
  it('stores flow, screen, action, error, message and time, and still writes the log line', async () => {
    const rows: Parameters<ClientErrorStore['add']>[0][] = [];
    const log = memory();
    const recorder = createDbErrorRecorder({ add: (e) => { rows.push(e); return Promise.resolve('id'); } }, log);
    const receivedAt = new Date('2026-07-01T00:00:00.000Z');
    await recorder.record({ action: 'data_exchange', screen: 'A', error: 'INVALID_SCREEN_TRANSITION', errorMessage: 'x'.repeat(900), flowId: 'f', receivedAt });
    expect(rows).toEqual([{ flowId: 'f', screen: 'A', action: 'data_exchange', error: 'INVALID_SCREEN_TRANSITION', message: 'x'.repeat(500), receivedAt }]);
    expect(log.lines.map((l) => (l.obj as { event?: string }).event)).toEqual(['flow_client_error']);
  });

  it('rejects when the store fails (the endpoint logs it and still acknowledges)', async () => {
    const recorder = createDbErrorRecorder({ add: () => Promise.reject(new Error('db down')) }, memory());
    await expect(recorder.record({ action: 'INIT', screen: undefined, error: 'E', errorMessage: undefined, flowId: undefined, receivedAt: new Date() })).rejects.toThrow('db down');
  });
});

describe.each(['sqlite', 'postgres'] as const)('error notifications through the endpoint into flow_client_errors on %s', (dialect) => {
  it('stores flow, screen, error and message (never the flow_token) and counts them per flow', async () => {
    const db = await openTestDatabase(dialect);
    try {
      await migrateToLatest(db.store);
      const sessions = createSessionService(createSessionRepo(db.store.db));
      const session = await sessions.issue({ flowId: 'kyc', contactPhone: '15551234567' });
      const repo = createClientErrorRepo(db.store.db);
      const endpoint = createFlowEndpoint({
        keys: [privateKey], appSecrets: [], sessions, handlers: createHandlerRegistry(), logger: memory(),
        clientErrors: createDbErrorRecorder(repo, memory()), rsaThreads: 0,
      });
      const plaintext = { version: '3.0', action: 'data_exchange', screen: 'DOCS', flow_token: session.flowToken, data: { error: 'INVALID_SCREEN_TRANSITION', error_message: 'no route' } };
      const { body, aesKey, iv } = encryptFlowRequest(plaintext, publicKey);
      const answer = await endpoint.handle(Buffer.from(JSON.stringify(body)), undefined);
      expect(answer.status).toBe(200);
      expect(decryptFlowResponse(answer.body, aesKey, iv)).toEqual({ data: { acknowledged: true } });
      const [row] = await repo.listForFlow('kyc', 5);
      expect(row).toMatchObject({ flowId: 'kyc', screen: 'DOCS', action: 'data_exchange', error: 'INVALID_SCREEN_TRANSITION', message: 'no route' });
      expect(JSON.stringify(row)).not.toContain(session.flowToken);
      expect(await repo.countByFlow(new Date(0))).toEqual([expect.objectContaining({ flowId: 'kyc', count: 1 })]);
    } finally {
      await db.cleanup();
    }
  });
});
