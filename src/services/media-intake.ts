/**
 * Taking in uploaded media (spec §3; Meta, "Media upload").
 *
 * Picker values in a data_exchange request (§3.1) point at encrypted files
 * on WhatsApp's CDN: each is downloaded with a size cap and a timeout, its
 * hashes and 10-byte HMAC verified, decrypted (§3.2) and only then stored.
 * Bad files come back as data: a per-file message keyed by `media_id`, the
 * object form of the picker's `error-message` the screen re-displays. The
 * batch is all or nothing: nothing is stored unless every file passed.
 *
 * Media ids of an nfm_reply (§3.3) are ordinary Cloud API media, fetched
 * through the Graph client and marked downloaded in `flow_media`.
 *
 * `cdn_url` comes from a request anyone holding the public key can forge, so
 * by default only `https://*.whatsapp.net` is fetched and redirects are refused.
 * @module
 */
import { createHash } from 'node:crypto';
import { isObject } from '../core/flow/json.js';
import type { FlowMediaRepo } from '../store/repos/flow-media-repo.js';
import type { GraphClient } from '../whatsapp/graph/index.js';
import { decryptMedia, MediaCryptoError } from '../whatsapp/media-crypto.js';
import { refusalMessage, type MediaIntakeReason, type RefusalDetail } from './media-intake-messages.js';
import type { MediaStore, StoredMedia } from './media-store.js';

export type { MediaIntakeReason } from './media-intake-messages.js';

/** Size, count and time limits (defaults: spec §1.9 picker limits, §3.3 completion limits). */
export interface MediaLimits {
  /** Largest decrypted picker file; default 25 600 KiB (`max-file-size-kb` maximum). */
  readonly maxFileBytes: number;
  /** Most picker files per value; default 30 (`max-uploaded-*` maximum). */
  readonly maxFiles: number;
  /** Largest nfm_reply media file; default 100 MiB. */
  readonly maxCompletionBytes: number;
  /** Per-download timeout; default 20 s (the endpoint must answer within Meta's 10 s p90, so keep files few). */
  readonly timeoutMs: number;
  /** Parallel downloads; default 4. */
  readonly concurrency: number;
}

const DEFAULT_LIMITS: MediaLimits = { maxFileBytes: 25_600 * 1024, maxFiles: 30, maxCompletionBytes: 100 * 1024 * 1024, timeoutMs: 20_000, concurrency: 4 };

/** AES-CBC adds at most one block of padding; the file ends with the 10-byte MAC. */
const CDN_OVERHEAD = 16 + 10;

/** Options of {@link createMediaIntake}. */
export interface MediaIntakeOptions {
  readonly store: MediaStore;
  readonly fetch?: typeof fetch;
  readonly limits?: Partial<MediaLimits>;
  /** Which `cdn_url`s may be fetched; default https on `whatsapp.net` hosts. */
  readonly allowUrl?: (url: URL) => boolean;
  /** Messages shown on the screen per reason, replacing the specific English defaults of `refusalMessage`. */
  readonly messages?: Partial<Record<MediaIntakeReason, string>>;
  /** For nfm_reply media: the Graph client and the `flow_media` repository. */
  readonly graph?: Pick<GraphClient, 'getMedia' | 'downloadMedia'>;
  readonly mediaRepo?: Pick<FlowMediaRepo, 'listPending' | 'markDownloaded'>;
}

/** Per-call options of `acceptPickerFiles`: the picker's own limits and the session. */
export interface PickerOptions {
  readonly maxFiles?: number;
  readonly maxFileBytes?: number;
  /**
   * Types the question accepts (`image/*` patterns allowed); a file whose bytes or name say it is of another type
   * is refused. A file whose type cannot be determined (neither bytes nor name tell) is accepted.
   */
  readonly allowedMimeTypes?: readonly string[];
  readonly flowToken?: string;
}

/** All files stored, or why not (keyed by `media_id`, `#<index>` when an item has none). */
export type PickerIntakeResult =
  | { readonly ok: true; readonly files: StoredMedia[] }
  | { readonly ok: false; readonly errors: Record<string, string>; readonly reasons: Record<string, MediaIntakeReason>; readonly message: string };

/** Outcome of one `downloadCompletionMedia` pass; failed ids stay pending for the next pass. */
export interface CompletionMediaResult {
  readonly downloaded: StoredMedia[];
  readonly failed: { mediaId: string; reason: string }[];
}

class Refused extends Error {
  constructor(readonly reason: MediaIntakeReason, readonly detail: RefusalDetail = {}) {
    super(reason);
  }
}

/** True when `mimeType` is one of `allowed` (exact, or a `type/*` pattern). */
function typeAllowed(mimeType: string, allowed: readonly string[]): boolean {
  return allowed.some((a) => a === mimeType || (a.endsWith('/*') && mimeType.startsWith(a.slice(0, -1))));
}

const defaultAllowUrl = (url: URL): boolean => url.protocol === 'https:' && (url.hostname === 'whatsapp.net' || url.hostname.endsWith('.whatsapp.net'));

/** A picker value that arrived JSON-encoded (unconfirmed whether WhatsApp ever does this; accepted to be safe). */
function parseList(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Run `task` over `items` with at most `limit` in flight, keeping order. */
async function pool<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** Signatures of the file types pickers deliver (photos, documents); checked on the decrypted bytes. */
const MAGIC: ReadonlyArray<readonly [string, readonly number[], number?]> = [
  ['image/jpeg', [0xff, 0xd8, 0xff]],
  ['image/png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  ['application/pdf', [0x25, 0x50, 0x44, 0x46, 0x2d]],
  ['image/gif', [0x47, 0x49, 0x46, 0x38]],
  ['image/webp', [0x57, 0x45, 0x42, 0x50], 8],
  ['image/heic', [0x66, 0x74, 0x79, 0x70, 0x68, 0x65, 0x69, 0x63], 4],
];
const BY_EXTENSION: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', pdf: 'application/pdf', gif: 'image/gif', webp: 'image/webp', heic: 'image/heic',
  doc: 'application/msword', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', txt: 'text/plain',
};

/**
 * The MIME type of a picker file: the picker item carries none (spec §3.1), so it is read from the
 * decrypted bytes' signature, else from the file name's extension; undefined when neither tells.
 */
export function sniffMimeType(bytes: Uint8Array, fileName: string | undefined): string | undefined {
  for (const [type, magic, offset = 0] of MAGIC) {
    if (bytes.length >= offset + magic.length && magic.every((b, i) => bytes[offset + i] === b)) return type;
  }
  const ext = fileName?.toLowerCase().match(/\.([a-z0-9]{1,5})$/)?.[1];
  return ext === undefined ? undefined : BY_EXTENSION[ext];
}

/** Build the intake. */
export function createMediaIntake(options: MediaIntakeOptions) {
  const limits: MediaLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const doFetch = options.fetch ?? globalThis.fetch;
  const allowUrl = options.allowUrl ?? defaultAllowUrl;
  const messageOf = (reason: MediaIntakeReason, detail: RefusalDetail): string => options.messages?.[reason] ?? refusalMessage(reason, detail);

  /** GET with a byte cap enforced while streaming (a lying or absent Content-Length cannot make us buffer more). */
  async function download(url: URL, cap: number): Promise<Uint8Array> {
    let res: Response;
    const signal = AbortSignal.timeout(limits.timeoutMs);
    try {
      res = await doFetch(url, { redirect: 'error', signal });
      if (!res.ok || res.body === null) throw new Refused('download-failed');
      const length = Number(res.headers.get('content-length') ?? 0);
      // The CDN file is the padded ciphertext plus the 10-byte MAC: about the decrypted size.
      if (length > cap) throw new Refused('too-large', { size: length - 10 });
      const chunks: Uint8Array[] = [];
      let size = 0;
      // Leaving the loop early cancels the stream.
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        size += chunk.length;
        if (size > cap) throw new Refused('too-large');
        chunks.push(chunk);
      }
      return Buffer.concat(chunks);
    } catch (error) {
      if (error instanceof Refused) throw error;
      throw new Refused(signal.aborted ? 'download-timeout' : 'download-failed');
    }
  }

  async function fetchOne(item: unknown, maxFileBytes: number): Promise<Uint8Array> {
    if (!isObject(item) || typeof item.cdn_url !== 'string') throw new Refused('malformed-item');
    let url: URL;
    try {
      url = new URL(item.cdn_url);
    } catch {
      throw new Refused('malformed-item');
    }
    if (!allowUrl(url)) throw new Refused('url-not-allowed');
    const cdn = await download(url, maxFileBytes + CDN_OVERHEAD);
    try {
      const plain = decryptMedia(cdn, item.encryption_metadata, { maxBytes: maxFileBytes + CDN_OVERHEAD });
      if (plain.length > maxFileBytes) throw new Refused('too-large', { size: plain.length });
      return plain;
    } catch (error) {
      if (error instanceof MediaCryptoError) throw new Refused(error.reason);
      throw error;
    }
  }

  const keyOf = (item: unknown, index: number): string =>
    isObject(item) && typeof item.media_id === 'string' && item.media_id.length > 0 && item.media_id.length <= 256 ? item.media_id : `#${index}`;

  return {
    /**
     * Verify, decrypt and store the files of one picker value (an array of
     * §3.1 items, or that array JSON-encoded). Never rejects for a bad file;
     * only a failing store rejects.
     */
    async acceptPickerFiles(value: unknown, pickerOptions: PickerOptions = {}): Promise<PickerIntakeResult> {
      const maxFiles = Math.min(pickerOptions.maxFiles ?? limits.maxFiles, limits.maxFiles);
      const maxFileBytes = Math.min(pickerOptions.maxFileBytes ?? limits.maxFileBytes, limits.maxFileBytes);
      const allowed = pickerOptions.allowedMimeTypes ?? [];
      // Keyed by media ids the client chose: no prototype, so an id such as `__proto__` is just a key.
      const reasons = Object.create(null) as Record<string, MediaIntakeReason>;
      const details = Object.create(null) as Record<string, RefusalDetail>;
      const refuse = (key: string, error: unknown): undefined => {
        reasons[key] = error instanceof Refused ? error.reason : 'malformed-item';
        if (error instanceof Refused) details[key] = error.detail;
        return undefined;
      };
      const list = typeof value === 'string' ? parseList(value) : value;
      const items = Array.isArray(list) ? (list as unknown[]) : [];
      if (!Array.isArray(list)) reasons['#0'] = 'malformed-item';
      const keys = items.map(keyOf);
      keys.forEach((key, index) => {
        if (keys.indexOf(key) !== index || key.startsWith('#')) reasons[key.startsWith('#') ? key : `#${index}`] = 'malformed-item';
        else if (index >= maxFiles) reasons[key] = 'too-many-files';
      });
      let plains: (Uint8Array | undefined)[] = [];
      const sniffed: (string | undefined)[] = [];
      if (Object.keys(reasons).length === 0) {
        plains = await pool(items, limits.concurrency, async (item, index) => {
          try {
            const plain = await fetchOne(item, maxFileBytes);
            const mimeType = sniffMimeType(plain, isObject(item) && typeof item.file_name === 'string' ? item.file_name : undefined);
            if (allowed.length > 0 && mimeType !== undefined && !typeAllowed(mimeType, allowed)) throw new Refused('wrong-type', { mimeType, accepted: allowed });
            sniffed[index] = mimeType;
            return plain;
          } catch (error) {
            return refuse(keys[index]!, error);
          }
        });
      }
      const failed = Object.keys(reasons);
      if (failed.length > 0) {
        const limitsOf: RefusalDetail = { limit: maxFileBytes, maxFiles };
        const errors = Object.fromEntries(Object.entries(reasons).map(([key, reason]) => [key, messageOf(reason, { ...limitsOf, ...details[key] })]));
        return { ok: false, errors, reasons, message: failed.length === 1 ? 'A file could not be accepted.' : `${failed.length} files could not be accepted.` };
      }
      const files: StoredMedia[] = [];
      for (const [index, item] of items.entries()) {
        const fileName = isObject(item) && typeof item.file_name === 'string' ? item.file_name : undefined;
        const mimeType = sniffed[index];
        files.push(await options.store.put(keys[index]!, plains[index]!, { source: 'picker', fileName, flowToken: pickerOptions.flowToken, ...(mimeType === undefined ? {} : { mimeType }) }));
      }
      return { ok: true, files };
    },

    /** Download up to `limit` pending nfm_reply media through the Graph API, store them and mark them downloaded. */
    async downloadCompletionMedia(limit = 10): Promise<CompletionMediaResult> {
      const { graph, mediaRepo } = options;
      if (graph === undefined || mediaRepo === undefined) throw new TypeError('downloadCompletionMedia needs the graph and mediaRepo options');
      const result: CompletionMediaResult = { downloaded: [], failed: [] };
      for (const row of await mediaRepo.listPending(limit)) {
        try {
          const info = await graph.getMedia(row.mediaId);
          if (info.fileSize > limits.maxCompletionBytes) throw new Refused('too-large');
          const { bytes, contentType } = await graph.downloadMedia(info.url);
          if (bytes.length > limits.maxCompletionBytes) throw new Refused('too-large');
          const digest = createHash('sha256').update(bytes).digest();
          const expected = [info.sha256, row.sha256].filter((h): h is string => typeof h === 'string' && h !== '');
          if (!expected.every((h) => h === digest.toString('hex') || h === digest.toString('base64'))) throw new Refused('plaintext-hash-mismatch');
          const stored = await options.store.put(row.mediaId, bytes, {
            source: 'cloud-api', fileName: row.fileName ?? undefined, mimeType: row.mimeType ?? info.mimeType ?? contentType, flowToken: row.flowToken ?? undefined,
          });
          await mediaRepo.markDownloaded(row.mediaId);
          result.downloaded.push(stored);
        } catch (error) {
          result.failed.push({ mediaId: row.mediaId, reason: error instanceof Refused ? error.reason : error instanceof Error ? error.message : String(error) });
        }
      }
      return result;
    },
  };
}

/** The intake built by {@link createMediaIntake}. */
export type MediaIntake = ReturnType<typeof createMediaIntake>;
