/**
 * Where verified uploads are kept (spec §3; Meta, "Media upload": files stay
 * on WhatsApp's CDN for a limited time only, so the endpoint copies them).
 * {@link MediaStore} is the seam: the filesystem store below is the default,
 * and an object store (S3, GCS…) implements the same two calls.
 *
 * The filesystem store writes `<sha256(id)>.bin` then `<sha256(id)>.json`,
 * each atomically (temp file + rename) in mode 0600, so a reader never sees
 * a half-written file: the JSON is the commit marker. File names are derived
 * from a hash of the id, so an id from a request can never escape the
 * directory.
 * @module
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isMissing, writeFileAtomic } from './files.js';

/** What the caller knows about a file when storing it. */
export interface MediaMeta {
  readonly fileName?: string | undefined;
  readonly mimeType?: string | undefined;
  /** `picker` for data_exchange uploads (spec §3.1), `cloud-api` for nfm_reply media ids (spec §3.3). */
  readonly source: 'picker' | 'cloud-api';
  readonly flowToken?: string | undefined;
}

/** A stored file, as returned to handlers (no bytes). */
export interface StoredMedia {
  readonly id: string;
  readonly size: number;
  /** Base64 SHA-256 of the stored bytes (the picker's `plaintext_hash`). */
  readonly sha256: string;
  readonly fileName: string | null;
  readonly mimeType: string | null;
  readonly source: MediaMeta['source'];
  readonly flowToken: string | null;
  /** ISO time it was stored. */
  readonly storedAt: string;
}

/** The storage seam: an object store implements these two calls. */
export interface MediaStore {
  /** Store (or replace) a file atomically: afterwards `get` sees all of it or, on failure, the previous state. */
  put(id: string, bytes: Uint8Array, meta: MediaMeta): Promise<StoredMedia>;
  /** The file and its descriptor, or undefined when not stored. */
  get(id: string): Promise<{ bytes: Uint8Array; media: StoredMedia } | undefined>;
}

/** Options of {@link createMediaStore}. */
export interface MediaStoreOptions {
  readonly now?: () => Date;
}

/** Filesystem {@link MediaStore} under `dir` (created 0700 on first write). */
export function createMediaStore(dir: string, options: MediaStoreOptions = {}): MediaStore {
  const now = options.now ?? (() => new Date());
  const base = (id: string): string => join(dir, createHash('sha256').update(id, 'utf8').digest('hex'));
  return {
    async put(id, bytes, meta) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const media: StoredMedia = {
        id,
        size: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('base64'),
        fileName: meta.fileName ?? null,
        mimeType: meta.mimeType ?? null,
        source: meta.source,
        flowToken: meta.flowToken ?? null,
        storedAt: now().toISOString(),
      };
      await writeFileAtomic(`${base(id)}.bin`, bytes, 0o600);
      await writeFileAtomic(`${base(id)}.json`, JSON.stringify(media), 0o600);
      return media;
    },
    async get(id) {
      let media: StoredMedia;
      try {
        media = JSON.parse(await readFile(`${base(id)}.json`, 'utf8')) as StoredMedia;
      } catch (err) {
        if (isMissing(err)) return undefined;
        throw err;
      }
      const bytes = new Uint8Array(await readFile(`${base(id)}.bin`));
      // A replacement in progress may have swapped the bytes already: trust only a matching pair.
      if (createHash('sha256').update(bytes).digest('base64') !== media.sha256) return undefined;
      return { bytes, media };
    },
  };
}
