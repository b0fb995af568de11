import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowHandlers } from '../../src/services/flow-handlers.js';
import { complete, next } from '../../src/services/flow-handlers.js';
import { signBody } from '../../src/whatsapp/hub-signature.js';
import { endpointVectors } from '../crypto/crypto-fixtures.js';
import { APP_SECRET, encryptedKey, type Harness, privateKey, startHarness } from './server-harness.js';

/** Handlers that answer each vector's request with the vector's response plaintext. */
const vectorHandlers: FlowHandlers = {
  INIT: () => next('APPOINTMENT', { department: [{ id: 'shopping', title: 'Shopping & Groceries' }], is_location_enabled: false }),
  screens: { SIGN_UP: { data_exchange: () => complete({ user_id: '42' }) } },
};

for (const [label, key] of [['plain key', privateKey], ['passphrase-protected key', encryptedKey]] as const) {
  describe(`known-answer vectors through POST /flows/endpoint (${label})`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness({ keys: [key], handlers: { 'vector-flow': vectorHandlers } });
      for (const v of endpointVectors) {
        const token = (JSON.parse(v.request_plaintext) as { flow_token?: string }).flow_token;
        if (token !== undefined) await h.insertSession(token, { flowId: 'vector-flow' });
      }
    });
    afterAll(async () => h.close());

    for (const v of endpointVectors) {
      it(`${v.name}: reproduces response_body byte for byte`, async () => {
        const payload = JSON.stringify(v.request_body);
        const res = await h.app.inject({
          method: 'POST', url: '/flows/endpoint', payload,
          headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(payload, APP_SECRET) },
        });
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toMatch(/^text\/plain/);
        expect(res.body).toBe(v.response_body);
      });
    }

    it('the completion vector stored exactly its params as the submission', async () => {
      const v = endpointVectors.find((x) => x.response_plaintext.includes('SUCCESS'));
      expect(v).toBeDefined();
      const token = (JSON.parse(v!.request_plaintext) as { flow_token: string }).flow_token;
      const row = await h.store.db.selectFrom('submissions').selectAll().where('flow_token', '=', token).executeTakeFirst();
      const expected = (JSON.parse(v!.response_plaintext) as { data: { extension_message_response: { params: unknown } } }).data.extension_message_response.params;
      expect(JSON.parse(row!.response_json)).toEqual(expected);
    });
  });
}
