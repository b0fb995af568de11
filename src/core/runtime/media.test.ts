import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { run } from '../../../test/runtime/flows.js';
import { autoFill } from './auto-fill.js';
import { fakeMedia, toWebhookMedia } from './media.js';

describe('media values', () => {
  it('a picker value in a complete payload reaches response_json in the webhook shape (§3.3)', async () => {
    const flow = JSON.parse(readFileSync('/work/shared/fixtures/meta/v4.0_doc_picker.json', 'utf8'));
    const rt = await run(flow, { openWith: 'navigate' });
    expect((await autoFill(rt)).status).toBe('completed');
    expect(rt.response).toEqual({
      documents: [{ file_name: 'document-1.pdf', mime_type: 'application/pdf', sha256: expect.any(String), id: expect.any(String) }],
      flow_token: 'tok',
    });
  });

  it('a data_exchange payload carries the endpoint shape (§3.1)', async () => {
    const flow = JSON.parse(readFileSync('/work/shared/fixtures/meta/v4.0_photo_picker.json', 'utf8'));
    const requests: any[] = [];
    const rt = await run(flow, { openWith: 'navigate', endpoint: { send: (r) => { requests.push(r); return Promise.resolve({ kind: 'complete', params: { flow_token: 'tok' } }); } } });
    await autoFill(rt);
    const images = requests[0].data.images;
    expect(images).toHaveLength(1);
    expect(Object.keys(images[0]).sort()).toEqual(['cdn_url', 'encryption_metadata', 'file_name', 'media_id']);
    expect(Object.keys(images[0].encryption_metadata).sort()).toEqual(['encrypted_hash', 'encryption_key', 'hmac_key', 'iv', 'plaintext_hash']);
  });

  it('leaves other values alone', () => {
    const media = [fakeMedia('photo', 0)];
    expect(toWebhookMedia({ a: 'x', b: [], c: ['id'], d: media })).toEqual({
      a: 'x', b: [], c: ['id'],
      d: [{ file_name: 'photo-1.jpg', mime_type: 'image/jpeg', sha256: media[0]!.encryption_metadata && (media[0]!.encryption_metadata as any).plaintext_hash, id: media[0]!.media_id }],
    });
  });
});
