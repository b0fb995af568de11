import { describe, expect, it } from 'vitest';
import type { EndpointClient, EndpointReply, EndpointRequest } from '../../core/runtime/endpoint/endpoint-client.js';
import { decryptMedia, MediaCryptoError } from '../../whatsapp/media-crypto.js';
import type { SentFlow } from '../emulator-state.js';
import { playFlow } from './flow-player.js';
import { createPhoneUploads } from './phone-media.js';
import { parsePhoneScripts } from './phone-script.js';

const flowJson = JSON.stringify({
  version: '6.0',
  data_api_version: '3.0',
  routing_model: { ID: ['PROOF'], PROOF: [] },
  screens: [
    {
      id: 'ID', title: 'Your ID', data: {},
      layout: { type: 'SingleColumnLayout', children: [
        { type: 'TextInput', name: 'full_name', label: 'Full name', required: true },
        { type: 'PhotoPicker', name: 'id_photo', label: 'Photo of your ID', 'min-uploaded-photos': 1, 'max-uploaded-photos': 2 },
        { type: 'Footer', label: 'Next', 'on-click-action': { name: 'data_exchange', payload: { full_name: '${form.full_name}', id_photo: '${form.id_photo}' } } },
      ] },
    },
    {
      id: 'PROOF', title: 'Proof of address', terminal: true, data: {},
      layout: { type: 'SingleColumnLayout', children: [
        { type: 'DocumentPicker', name: 'proof', label: 'Proof of address', 'min-uploaded-documents': 1, 'max-uploaded-documents': 1, 'allowed-mime-types': ['application/pdf'] },
        { type: 'Footer', label: 'Done', 'on-click-action': { name: 'complete', payload: { proof: '${form.proof}' } } },
      ] },
    },
  ],
});

const sent: SentFlow = { flowId: '1', flowJson, flowToken: 'tok-1', mode: 'published', action: 'navigate', screen: 'ID', data: {}, cta: 'Start' };

/** A memory CDN plus an endpoint that checks uploads with the server's decryption, answering per-file errors as the compiled-form handler does. */
function harness() {
  const cdn = new Map<string, Uint8Array>();
  const media = new Map<string, Uint8Array>();
  const uploads = createPhoneUploads({
    addCdnFile: (bytes) => {
      const url = `http://127.0.0.1/_emulator/cdn/${cdn.size}.enc`;
      cdn.set(url, Buffer.from(bytes));
      return url;
    },
    addMedia: (bytes) => {
      const id = String(5000 + media.size);
      media.set(id, bytes);
      return id;
    },
  });
  const requests: EndpointRequest[] = [];
  const accepted: Buffer[] = [];
  const endpoint: EndpointClient = {
    send(request): Promise<EndpointReply> {
      requests.push(request);
      const items = (request.data?.id_photo ?? []) as { media_id: string; cdn_url: string; encryption_metadata: unknown }[];
      const errors: Record<string, string> = {};
      const plains: Buffer[] = [];
      for (const item of items) {
        try {
          plains.push(decryptMedia(cdn.get(item.cdn_url) ?? new Uint8Array(), item.encryption_metadata));
        } catch (err) {
          if (!(err instanceof MediaCryptoError)) throw err;
          errors[item.media_id] = `rejected: ${err.reason}`;
        }
      }
      if (Object.keys(errors).length > 0) return Promise.resolve({ kind: 'screen', screen: 'ID', data: { error_message: 'A file could not be accepted.' } });
      accepted.push(...plains);
      return Promise.resolve({ kind: 'screen', screen: 'PROOF', data: {} });
    },
  };
  return { uploads, endpoint, requests, accepted, media, cdn };
}

describe('virtual phones answer pickers with real uploads', () => {
  it('sends decryptable files with data_exchange and Cloud API media ids on completion', async () => {
    const h = harness();
    const result = await playFlow(sent, {}, h.endpoint, h.uploads);
    expect(result.kind).toBe('completed');
    expect(h.requests).toHaveLength(1);
    expect(h.accepted).toHaveLength(1);
    expect(h.accepted[0]!.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    if (result.kind !== 'completed') return;
    const proof = (h.uploads.toCloudMedia(result.response).proof as { id: string; file_name: string; mime_type: string; sha256: string }[]);
    expect(proof).toHaveLength(1);
    expect(proof[0]!.mime_type).toBe('application/pdf');
    const bytes = h.media.get(proof[0]!.id);
    expect(Buffer.from(bytes!).toString('latin1')).toMatch(/^%PDF-/);
    expect(proof[0]!.sha256).toBe(h.uploads.uploads.find((u) => u.mimeType === 'application/pdf')!.item.encryption_metadata.plaintext_hash);
  });

  it('with badUpload, first sends a file with a broken MAC, is refused, then uploads good files', async () => {
    const h = harness();
    const result = await playFlow(sent, { badUpload: 'hmac' }, h.endpoint, h.uploads);
    expect(result.kind).toBe('completed');
    expect(result.invalidAttempt).toMatchObject({ screen: 'ID', outcome: 'refused' });
    expect(h.requests).toHaveLength(2);
    const first = h.requests[0]!.data?.id_photo as { media_id: string }[];
    const second = h.requests[1]!.data?.id_photo as { media_id: string }[];
    expect(h.uploads.uploads.filter((u) => u.corrupt).map((u) => u.item.media_id)).toEqual([first[0]!.media_id]);
    expect(second.map((s) => s.media_id)).not.toContain(first[0]!.media_id);
    expect(h.accepted).toHaveLength(1);
  });

  it('keeps scripted picker answers as they are', async () => {
    const h = harness();
    const own = [{ media_id: 'm-1', cdn_url: 'http://127.0.0.1/_emulator/cdn/missing.enc', file_name: 'x.jpg', encryption_metadata: {} }];
    const result = await playFlow(sent, { answers: { ID: { id_photo: own } } }, h.endpoint, h.uploads);
    // The endpoint refuses the scripted (undecryptable) file; the phone does not silently replace it.
    expect(result.kind).toBe('stuck');
    expect(h.requests.every((r) => (r.data?.id_photo as { media_id: string }[])[0]!.media_id === 'm-1')).toBe(true);
  });

  it('picks a JPEG for a DocumentPicker when the script says so', async () => {
    const h = harness();
    const result = await playFlow(sent, { files: { proof: 'jpeg' } }, h.endpoint, h.uploads);
    expect(result.kind).toBe('completed');
    expect(h.uploads.uploads.map((u) => u.mimeType)).toEqual(['image/jpeg', 'image/jpeg']);
  });

  it('script files accept badUpload and files, and name what is wrong', () => {
    expect(parsePhoneScripts(JSON.stringify({ default: { badUpload: 'hmac', files: { id_photo: 'jpeg', proof: 'pdf' } } })).ok).toBe(true);
    const wrong = parsePhoneScripts(JSON.stringify({ default: { badUpload: 'hash', files: { proof: 'png' } } }));
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.problems.join('\n')).toMatch(/default\.badUpload[\s\S]*default\.files\.proof/);
  });
});
