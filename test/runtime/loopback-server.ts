/**
 * A real encrypted endpoint on 127.0.0.1 for tests: decrypts each request
 * with the fixture private key (spec §2.3), lets a script answer it, and
 * encrypts the answer with the flipped IV.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decryptFlowRequest, encryptFlowResponse, loadPrivateKey } from '../../src/whatsapp/flow-crypto.js';

export const PUBLIC_KEY_FILE = '/work/shared/fixtures/crypto/test-public-key.pem';
const privateKey = loadPrivateKey(readFileSync('/work/shared/fixtures/crypto/test-private-key.pem', 'utf8'));

export interface Loopback {
  readonly url: string;
  /** Decrypted requests, in order. */
  readonly requests: any[];
  close(): Promise<void>;
}

export async function startLoopback(answer: (request: any) => unknown): Promise<Loopback> {
  const requests: any[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        const decrypted = decryptFlowRequest(JSON.parse(Buffer.concat(chunks).toString('utf8')), [privateKey]);
        requests.push(decrypted.plaintext);
        const body = encryptFlowResponse(answer(decrypted.plaintext), decrypted.aesKey, decrypted.iv);
        res.writeHead(200, { 'content-type': 'text/plain' }).end(body);
      } catch {
        res.writeHead(421).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/flow`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The answer of a simple sign-up endpoint for `endpointFlow` of the tests: INIT → FORM, submit → SUCCESS. */
export function signUpAnswer(request: any): unknown {
  if (request.action === 'ping') return { data: { status: 'active' } };
  if (request.action === 'INIT') return { screen: 'FORM', data: { heading: 'Join us' } };
  if (request.data?.error) return { data: { acknowledged: true } };
  return { screen: 'SUCCESS', data: { extension_message_response: { params: { flow_token: request.flow_token, email: request.data.email } } } };
}

/** A one-screen endpoint-powered flow matching {@link signUpAnswer}. */
export const signUpFlow = {
  version: '7.3',
  data_api_version: '4.0',
  routing_model: { FORM: [] },
  screens: [
    {
      id: 'FORM',
      title: 'Sign up',
      terminal: true,
      data: { heading: { type: 'string', __example__: 'Hi' } },
      layout: {
        type: 'SingleColumnLayout',
        children: [
          { type: 'TextHeading', text: '${data.heading}' },
          { type: 'TextInput', name: 'email', label: 'Email', 'input-type': 'email', required: true },
          { type: 'Footer', label: 'Join', 'on-click-action': { name: 'data_exchange', payload: { email: '${form.email}' } } },
        ],
      },
    },
  ],
};
