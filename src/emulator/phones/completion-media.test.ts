/**
 * Spec §3.3 end to end between the phones and the server's code: a flow
 * that completes on the phone with a picker in its `complete` payload posts
 * an nfm_reply whose `response_json` names Cloud API media ids; the server's
 * webhook parser finds them, and its media intake downloads them through
 * the Graph API (`GET /{media-id}`, then the short-lived URL with the token),
 * checks the hash and stores the original bytes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startLoopbackServer, type LoopbackServer } from '../../../test/fakes/shared/loopback-server.js';
import { createMediaIntake } from '../../services/media-intake.js';
import { createMediaStore } from '../../services/media-store.js';
import { createGraphClient, type GraphClient } from '../../whatsapp/graph/index.js';
import { parseWebhookBody } from '../../whatsapp/webhook/parse-webhook-body.js';
import { createGraphEmulator, type GraphEmulator } from '../graph-emulator.js';
import { createVirtualPhones, type VirtualPhones } from './virtual-phones.js';

const SECRET = 'media-phones-secret-81f0';
const TOKEN = 'EAAmedia-token';
const USER = '15551239876';

const flowJson = JSON.stringify({
  version: '6.0',
  screens: [{
    id: 'RECEIPT', title: 'Your receipt', terminal: true, data: {},
    layout: { type: 'SingleColumnLayout', children: [
      { type: 'PhotoPicker', name: 'receipt', label: 'Photo of the receipt', 'min-uploaded-photos': 1, 'max-uploaded-photos': 1 },
      { type: 'Footer', label: 'Send', 'on-click-action': { name: 'complete', payload: { receipt: '${form.receipt}' } } },
    ] },
  }],
});

let emulator: GraphEmulator;
let graph: GraphClient;
let hook: LoopbackServer;
let phones: VirtualPhones;
let dir: string;

beforeEach(async () => {
  emulator = createGraphEmulator({ accessToken: TOKEN, wabaId: '1020', phoneNumberId: '1065', appSecret: SECRET });
  const url = await emulator.listen();
  graph = createGraphClient({ baseUrl: url, version: 'v23.0', accessToken: TOKEN, wabaId: '1020', phoneNumberId: '1065' });
  hook = await startLoopbackServer({ handle: () => ({ status: 200 }) });
  phones = createVirtualPhones({ emulator, appSecret: SECRET, webhookUrl: `${hook.url}/webhooks/whatsapp`, retry: { initialDelayMs: 1 }, sleep: () => Promise.resolve() });
  dir = mkdtempSync(join(tmpdir(), 'fb-phone-media-'));
});

afterEach(async () => {
  phones.close();
  await hook.close();
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('completion media from virtual phones (spec §3.3)', () => {
  it('the nfm_reply names a Cloud API media id the server downloads, verifies and stores', async () => {
    const { id: flowId } = await graph.createFlow({ name: 'receipt', categories: ['OTHER'] });
    expect((await graph.uploadFlowJson(flowId, flowJson)).validationErrors).toEqual([]);
    await graph.publishFlow(flowId);
    await phones.sendText(USER, 'receipt');
    const sent = await graph.sendFlowMessage({ to: USER, flow: { id: flowId }, cta: 'Send it', body: 'Your receipt please', flowToken: 'tok-receipt', action: { type: 'navigate', screen: 'RECEIPT' } });
    await phones.idle();
    expect(phones.outcomeOf(sent.wamid)?.result.kind).toBe('completed');

    const events = hook.requests.flatMap((r) => {
      const parsed = parseWebhookBody(r.body);
      return parsed.ok ? parsed.events : [];
    });
    const reply = events.find((e) => e.kind === 'message' && e.message.content.type === 'nfm_reply');
    if (reply?.kind !== 'message' || reply.message.content.type !== 'nfm_reply') throw new Error('no nfm_reply posted');
    const response = JSON.parse(reply.message.content.reply.responseJson!) as { receipt: Array<{ id: string; file_name: string; mime_type: string; sha256: string }> };
    expect(response.receipt).toHaveLength(1);
    const file = response.receipt[0]!;
    expect(file).toMatchObject({ file_name: expect.stringMatching(/\.jpg$/), mime_type: 'image/jpeg', id: expect.stringMatching(/^\d+$/) });
    expect(reply.message.content.reply.media.map((m) => m.id)).toEqual([file.id]);

    // The server side: the intake fetches it through the Graph API and checks the hash the webhook gave.
    const downloaded: string[] = [];
    const intake = createMediaIntake({
      store: createMediaStore(dir), graph,
      mediaRepo: {
        listPending: () => Promise.resolve([{ mediaId: file.id, flowToken: 'tok-receipt', messageId: null, field: 'receipt', fileName: file.file_name, mimeType: file.mime_type, sha256: file.sha256, receivedAt: new Date(), downloadedAt: null }]),
        markDownloaded: (id: string) => {
          downloaded.push(id);
          return Promise.resolve(true);
        },
      },
    });
    const result = await intake.downloadCompletionMedia();
    expect(result.failed).toEqual([]);
    expect(downloaded).toEqual([file.id]);
    const stored = await createMediaStore(dir).get(file.id);
    expect(stored?.media).toMatchObject({ mimeType: 'image/jpeg', sha256: file.sha256 });
    expect(Buffer.from(stored!.bytes.subarray(0, 2))).toEqual(Buffer.from([0xff, 0xd8]));
  });

  it('setScripts changes what phones do with the next message, and refuses inconsistent scripts', async () => {
    const { id: flowId } = await graph.createFlow({ name: 'receipt-2', categories: ['OTHER'] });
    await graph.uploadFlowJson(flowId, flowJson);
    await graph.publishFlow(flowId);
    expect(() => phones.setScripts({ population: [{ share: 2, behaviour: {} }] })).toThrow(/share/);
    phones.setScripts({ phones: { [USER]: { open: false } } });
    await phones.sendText(USER, 'hi');
    const sent = await graph.sendFlowMessage({ to: USER, flow: { id: flowId }, cta: 'Send it', body: 'Receipt?', flowToken: 'tok-2', action: { type: 'navigate', screen: 'RECEIPT' } });
    await phones.idle();
    expect(phones.outcomeOf(sent.wamid)).toMatchObject({ rule: 'phone', result: { kind: 'not-opened' } });
  });
});
