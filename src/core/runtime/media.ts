/**
 * Media values of PhotoPicker/DocumentPicker (spec §3): the descriptor shape
 * the endpoint receives (§3.1), fake uploads for emulated people, and the
 * shape the nfm_reply webhook carries after `complete` (§3.3).
 * @module
 */
import { isObject } from '../flow/json.js';

/** A fake upload as the endpoint would receive it (§3.1); the CDN URL points nowhere. */
export function fakeMedia(kind: 'photo' | 'document', index: number): Record<string, unknown> {
  const n = index + 1;
  return {
    media_id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    cdn_url: `https://example.invalid/flowbridge-emulator/${kind}-${n}`,
    file_name: kind === 'photo' ? `photo-${n}.jpg` : `document-${n}.pdf`,
    encryption_metadata: {
      encrypted_hash: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
      iv: 'AAAAAAAAAAAAAAAAAAAAAA==',
      encryption_key: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
      hmac_key: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
      plaintext_hash: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
    },
  };
}

function isMediaDescriptor(v: unknown): v is Record<string, unknown> {
  return isObject(v) && typeof v.media_id === 'string' && typeof v.file_name === 'string';
}

const mimeByExtension: Record<string, string> = {
  jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', gif: 'image/gif',
  heic: 'image/heic', pdf: 'application/pdf', txt: 'text/plain', zip: 'application/zip',
};

/**
 * Top-level picker values of a `complete` payload as the webhook shows them:
 * `{file_name, mime_type, sha256, id}` per file (§3.3). Other values pass through.
 */
export function toWebhookMedia(payload: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(payload)) {
    if (Array.isArray(v) && v.length > 0 && v.every(isMediaDescriptor)) {
      out[k] = v.map((m) => {
        const name = String(m.file_name);
        const ext = name.includes('.') ? (name.split('.').pop() ?? '').toLowerCase() : '';
        const meta = isObject(m.encryption_metadata) ? m.encryption_metadata : {};
        return { file_name: name, mime_type: mimeByExtension[ext] ?? 'application/octet-stream', sha256: meta.plaintext_hash ?? '', id: m.media_id };
      });
    } else out[k] = v;
  }
  return out;
}
