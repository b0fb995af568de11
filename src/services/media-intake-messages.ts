/**
 * What a person reads under a refused file (spec §1.9 object-form
 * `error-message`; §3.2 "treat any failure as a rejected upload"): what is
 * wrong with this file and what to do about it, with the numbers when they
 * are known ("This file is 31 MB; the limit is 25 MB. Choose a smaller file.").
 * @module
 */

/** Why a file was refused. */
export type MediaIntakeReason =
  | 'encrypted-hash-mismatch' | 'hmac-mismatch' | 'bad-padding' | 'plaintext-hash-mismatch' | 'too-large' | 'malformed-metadata'
  | 'too-many-files' | 'download-failed' | 'download-timeout' | 'malformed-item' | 'url-not-allowed' | 'wrong-type';

/** What is known about a refusal, for a specific message. */
export interface RefusalDetail {
  /** Size of the file in bytes, when known (too-large). */
  readonly size?: number;
  /** Largest accepted size in bytes (too-large). */
  readonly limit?: number;
  /** Most files the picker takes (too-many-files). */
  readonly maxFiles?: number;
  /** The file's type as read from its bytes or name (wrong-type). */
  readonly mimeType?: string;
  /** Types the question accepts (wrong-type). */
  readonly accepted?: readonly string[];
}

const MIB = 1024 * 1024;

/** `31 MB`, `25 MB`, `2.5 MB`, `300 KB` (binary units, as WhatsApp's 25 600 KiB limit is 25 MB). */
export function formatBytes(bytes: number): string {
  if (bytes >= MIB) return `${Number((bytes / MIB).toFixed(bytes < 10 * MIB ? 1 : 0))} MB`;
  return `${Math.max(1, Math.ceil(bytes / 1024))} KB`;
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  'image/jpeg': 'JPEG image', 'image/png': 'PNG image', 'image/gif': 'GIF image', 'image/webp': 'WebP image', 'image/heic': 'HEIC photo',
  'application/pdf': 'PDF', 'application/msword': 'Word document', 'text/plain': 'text file',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word document',
};

/** A type as people know it ("PDF", "JPEG image"); the MIME type when unknown. */
export function typeName(mimeType: string): string {
  return TYPE_NAMES[mimeType] ?? mimeType;
}

const AGAIN = 'Remove it and choose the file again.';

const FIXED: Readonly<Record<Exclude<MediaIntakeReason, 'too-large' | 'too-many-files' | 'wrong-type'>, string>> = {
  'encrypted-hash-mismatch': `This file arrived damaged (its checksum does not match). ${AGAIN}`,
  'hmac-mismatch': `This file failed its security check (its signature does not match). ${AGAIN}`,
  'bad-padding': `This file could not be decrypted: it is incomplete or damaged. ${AGAIN}`,
  'plaintext-hash-mismatch': `This file changed on the way (its checksum does not match). ${AGAIN}`,
  'malformed-metadata': `This upload is missing the keys needed to open it. ${AGAIN}`,
  'malformed-item': `This upload is incomplete and could not be opened. ${AGAIN}`,
  'download-failed': `This file could not be downloaded from WhatsApp. ${AGAIN}`,
  'download-timeout': 'This file took too long to download. Choose a smaller file or try again.',
  'url-not-allowed': `This file did not come from WhatsApp, so it was not opened. ${AGAIN}`,
};

/**
 * The message for one refused file.
 * @example
 * refusalMessage('too-large', { size: 31 * 1024 * 1024, limit: 25 * 1024 * 1024 })
 * // 'This file is 31 MB; the limit is 25 MB. Choose a smaller file.'
 */
export function refusalMessage(reason: MediaIntakeReason, detail: RefusalDetail = {}): string {
  if (reason !== 'too-large' && reason !== 'too-many-files' && reason !== 'wrong-type') return FIXED[reason];
  switch (reason) {
    case 'too-large': {
      const { size, limit } = detail;
      if (limit === undefined) return 'This file is too large. Choose a smaller file.';
      if (size === undefined || formatBytes(size) === formatBytes(limit)) return `This file is larger than the ${formatBytes(limit)} limit. Choose a smaller file.`;
      return `This file is ${formatBytes(size)}; the limit is ${formatBytes(limit)}. Choose a smaller file.`;
    }
    case 'too-many-files': {
      const max = detail.maxFiles;
      return max === undefined ? 'Too many files were added. Remove this one.' : `At most ${max} file${max === 1 ? '' : 's'} can be added here. Remove this one.`;
    }
    case 'wrong-type': {
      const accepted = [...new Set((detail.accepted ?? []).map(typeName))];
      const is = detail.mimeType === undefined ? 'This type of file' : `This file is a ${typeName(detail.mimeType)}; it`;
      if (accepted.length === 0) return `${is} is not accepted here. Choose another file.`;
      const list = accepted.length === 1 ? accepted[0]! : `${accepted.slice(0, -1).join(', ')} or ${accepted[accepted.length - 1]!}`;
      return `${is} is not accepted here (only ${list}). Choose a ${list} file.`;
    }
  }
}
