/**
 * Phone-number-level calls: the business public key that encrypts flow
 * endpoint traffic (spec §4; Meta, "Business Encryption API"), media URL
 * retrieval and download (spec §3; Cloud API "Media"), and the number's
 * throughput level (spec §7.7; "Throughput").
 * @module
 */
import { z } from 'zod';
import { readReply, requireId, type GraphContext } from './graph-transport.js';

/** A registered key and whether Meta's signature of it is still valid. */
export interface BusinessPublicKey {
  readonly publicKey: string;
  readonly signatureStatus: 'VALID' | 'MISMATCH' | (string & {});
}

/** Where a media object can be downloaded (the URL needs the same token). */
export interface MediaInfo {
  readonly id: string;
  readonly url: string;
  readonly mimeType: string;
  readonly sha256: string;
  readonly fileSize: number;
}

const mediaReply = z.looseObject({ id: z.string(), url: z.string(), mime_type: z.string(), sha256: z.string(), file_size: z.union([z.number(), z.string()]) });

/** Build the account calls over a context. */
export function accountApi(ctx: GraphContext) {
  const t = ctx.transport;
  const phone = (edge: string): string => t.phonePath(requireId(ctx.phoneNumberId, 'phoneNumberId'), edge);
  return {
    /** `POST /{PHONE_NUMBER_ID}/whatsapp_business_encryption`: replaces the number's key (PEM, RSA-2048). */
    async uploadBusinessPublicKey(pem: string): Promise<{ success: boolean }> {
      return readReply(z.looseObject({ success: z.boolean() }), await t.call({ method: 'POST', path: phone('whatsapp_business_encryption'), body: { form: { business_public_key: pem } } }), 'upload business public key');
    },
    /** `GET /{PHONE_NUMBER_ID}/whatsapp_business_encryption`; undefined when no key is registered. */
    async getBusinessPublicKey(): Promise<BusinessPublicKey | undefined> {
      const reply = readReply(
        z.looseObject({ data: z.array(z.looseObject({ business_public_key: z.string(), business_public_key_signature_status: z.string() })) }),
        await t.call({ method: 'GET', path: phone('whatsapp_business_encryption'), query: { fields: 'business_public_key,business_public_key_signature_status' } }),
        'read business public key',
      );
      const first = reply.data[0];
      return first && { publicKey: first.business_public_key, signatureStatus: first.business_public_key_signature_status };
    },
    /** `GET /{MEDIA_ID}`: a short-lived download URL and the file's hash. */
    async getMedia(mediaId: string): Promise<MediaInfo> {
      const query = ctx.phoneNumberId === undefined ? {} : { phone_number_id: ctx.phoneNumberId };
      const r = readReply(mediaReply, await t.call({ method: 'GET', path: mediaId, query }), 'get media URL');
      return { id: r.id, url: r.url, mimeType: r.mime_type, sha256: r.sha256, fileSize: Number(r.file_size) };
    },
    /** Download bytes from a media URL (authenticated). */
    async downloadMedia(url: string): Promise<{ bytes: Uint8Array; contentType: string | undefined }> {
      return t.download(url);
    },
    /** `GET /{PHONE_NUMBER_ID}?fields=throughput`: `STANDARD` (80 mps), `HIGH` (1,000 mps) or `NOT_APPLICABLE`. */
    async getThroughput(): Promise<{ level: string }> {
      const path = requireId(ctx.phoneNumberId, 'phoneNumberId');
      const reply = readReply(z.looseObject({ throughput: z.looseObject({ level: z.string() }) }), await t.call({ method: 'GET', path, query: { fields: 'throughput' } }), 'read throughput');
      return { level: reply.throughput.level };
    },
  };
}
