/**
 * What a virtual phone uploads for PhotoPicker / DocumentPicker answers, as
 * WhatsApp does (spec §3; Meta, "Media upload"): the phone makes a small
 * file (a JPEG for photos, a PDF for documents), encrypts it with fresh keys
 * — AES-256-CBC with PKCS#7, then the first 10 bytes of
 * HMAC-SHA256(iv ‖ ciphertext) appended — puts the blob on the emulator's
 * CDN and answers the picker with `{media_id, cdn_url, file_name,
 * encryption_metadata}` (§3.1). When the flow completes on the phone, the
 * nfm_reply carries Cloud API media ids instead (§3.3): the plaintext is
 * stored as emulator media, downloadable through `GET /{media-id}`.
 *
 * The encryption here is written from the spec independently of the
 * server's `whatsapp/media-crypto.ts`, so the two check each other.
 * @module
 */
import { createCipheriv, createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';

/** Picker item as the endpoint receives it (spec §3.1). */
export interface UploadedItem {
  readonly media_id: string;
  readonly cdn_url: string;
  readonly file_name: string;
  readonly encryption_metadata: {
    readonly encrypted_hash: string;
    readonly iv: string;
    readonly encryption_key: string;
    readonly hmac_key: string;
    readonly plaintext_hash: string;
  };
}

/** Where uploads go: the emulator's CDN and its Cloud API media. */
export interface UploadTarget {
  addCdnFile(bytes: Uint8Array): string;
  addMedia(bytes: Uint8Array, mimeType: string): string;
}

/** What the phone uploaded: the item, and the file behind it. */
export interface PhoneUpload {
  readonly item: UploadedItem;
  readonly plaintext: Buffer;
  readonly mimeType: string;
  /** True when the blob's MAC was deliberately broken. */
  readonly corrupt: boolean;
}

/** Keys of one upload; random when not given (tests pin them to check vectors). */
export interface UploadKeys {
  readonly encryptionKey?: Uint8Array;
  readonly hmacKey?: Uint8Array;
  readonly iv?: Uint8Array;
}

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const sha256 = (bytes: Uint8Array): Buffer => createHash('sha256').update(bytes).digest();

/** Encrypt `plaintext` as WhatsApp stores a picker upload: the CDN blob and its `encryption_metadata`. */
export function encryptUpload(plaintext: Uint8Array, keys: UploadKeys = {}): { blob: Buffer; metadata: UploadedItem['encryption_metadata'] } {
  const encryptionKey = keys.encryptionKey ?? randomBytes(32);
  const hmacKey = keys.hmacKey ?? randomBytes(32);
  const iv = keys.iv ?? randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', encryptionKey, iv); // PKCS#7 padding is node's default
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const mac10 = createHmac('sha256', hmacKey).update(Buffer.concat([iv, ciphertext])).digest().subarray(0, 10);
  const blob = Buffer.concat([ciphertext, mac10]);
  return {
    blob,
    metadata: { encrypted_hash: b64(sha256(blob)), iv: b64(iv), encryption_key: b64(encryptionKey), hmac_key: b64(hmacKey), plaintext_hash: b64(sha256(plaintext)) },
  };
}

/** Marker every generated file carries (tests grep logs for it: no document content may appear there). */
export const PHONE_FILE_MARKER = 'FLOWBRIDGE-VIRTUAL-PHONE-FILE';

// A 1×1 greyscale JPEG (SOI … SOS data); a COM segment with the marker is inserted after SOI.
const TINY_JPEG = Buffer.from('/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=', 'base64');

/** A small, valid JPEG, different for every `tag`. */
export function samplePhoto(tag: string): Buffer {
  const comment = Buffer.from(`${PHONE_FILE_MARKER} photo ${tag}`, 'latin1');
  const segment = Buffer.concat([Buffer.from([0xff, 0xfe, (comment.length + 2) >> 8, (comment.length + 2) & 0xff]), comment]);
  return Buffer.concat([TINY_JPEG.subarray(0, 2), segment, TINY_JPEG.subarray(2), Buffer.from([0xff, 0xd9])]);
}

/** A small one-page PDF naming `tag`, with a correct cross-reference table. */
export function sampleDocument(tag: string): Buffer {
  const text = `${PHONE_FILE_MARKER} document ${tag}`.replace(/[()\\]/g, '_');
  const stream = `BT /F1 12 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

/** Uploads remembered for `toCloudMedia` (the emulator's CDN keeps its blobs). */
export const MAX_KEPT_UPLOADS = 2000;

/** The uploads of one phone: makes picker answers and turns them into nfm_reply media. */
export interface PhoneUploads {
  /** `count` new files for a picker; with `corrupt`, the first one's MAC is broken (the server must refuse it). */
  pick(kind: 'photo' | 'document', count: number, options?: { readonly corrupt?: boolean }): UploadedItem[];
  /** Replace the ids of §3.3 media entries (`{file_name, mime_type, sha256, id}`) made from this phone's uploads by Cloud API media ids. */
  toCloudMedia(response: Readonly<Record<string, unknown>>): Record<string, unknown>;
  /** Every upload so far, oldest first. */
  readonly uploads: readonly PhoneUpload[];
}

function isCompletionMedia(v: unknown): v is { id: string } & Record<string, unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { id?: unknown }).id === 'string' && 'file_name' in v && 'sha256' in v;
}

/** Uploads going to `target` (the emulator). */
export function createPhoneUploads(target: UploadTarget): PhoneUploads {
  const uploads: PhoneUpload[] = [];
  const byMediaId = new Map<string, PhoneUpload>();
  let n = 0;
  return {
    uploads,
    pick(kind, count, options = {}) {
      return Array.from({ length: count }, (_, i) => {
        n += 1;
        const tag = `${n}-${randomBytes(6).toString('hex')}`;
        const plaintext = kind === 'photo' ? samplePhoto(tag) : sampleDocument(tag);
        const { blob, metadata } = encryptUpload(plaintext);
        const corrupt = options.corrupt === true && i === 0;
        if (corrupt) {
          const last = blob.length - 1;
          blob[last] = (blob[last] ?? 0) ^ 0xff;
        }
        // The hash covers the blob as served: a broken MAC is caught by the HMAC check, not the hash.
        const item: UploadedItem = {
          media_id: randomUUID(),
          cdn_url: target.addCdnFile(blob),
          file_name: kind === 'photo' ? `IMG_${String(1000 + n)}.jpg` : `document-${n}.pdf`,
          encryption_metadata: corrupt ? { ...metadata, encrypted_hash: b64(sha256(blob)) } : metadata,
        };
        const upload: PhoneUpload = { item, plaintext, mimeType: kind === 'photo' ? 'image/jpeg' : 'application/pdf', corrupt };
        uploads.push(upload);
        byMediaId.set(item.media_id, upload);
        // A long-running sandbox forgets the oldest files (a completion normally follows its uploads within minutes).
        for (const old of uploads.splice(0, Math.max(0, uploads.length - MAX_KEPT_UPLOADS))) byMediaId.delete(old.item.media_id);
        return item;
      });
    },
    toCloudMedia(response) {
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(response)) {
        out[key] = Array.isArray(value) && value.length > 0 && value.every(isCompletionMedia)
          ? value.map((m) => {
            const upload = byMediaId.get(m.id);
            return upload === undefined ? m : { ...m, mime_type: upload.mimeType, id: target.addMedia(upload.plaintext, upload.mimeType) };
          })
          : value;
      }
      return out;
    },
  };
}
