/**
 * De-duplication keys. Meta retries a delivery until it gets a 200 and may
 * re-batch events, so a key names one event, not one body: the wamid for a
 * message (stable across retries), wamid + status for a status update, and
 * a hash of the content for `flows` events and unknown shapes, which carry
 * no id. Keys are bounded printable ASCII, since they become a unique
 * database column (PostgreSQL rejects NUL and very long index entries).
 * @module
 */
import { createHash } from 'node:crypto';

/** Keys longer than this, or with other characters, are replaced by a hash. */
const MAX_KEY_LENGTH = 200;
const SAFE_KEY = /^[\x21-\x7e]+$/;

/** Hex SHA-256 of a string. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** `prefix:part1:part2…`, or `prefix:sha256:<hash>` when the parts are too long or not printable ASCII. */
export function dedupeKey(prefix: string, ...parts: readonly string[]): string {
  const key = [prefix, ...parts].join(':');
  return key.length <= MAX_KEY_LENGTH && SAFE_KEY.test(key) ? key : `${prefix}:sha256:${sha256Hex(parts.join('\u0000'))}`;
}

/** Nesting beyond which {@link canonicalJson} gives up (Meta's payloads are a few levels deep). */
const MAX_DEPTH = 64;

/**
 * JSON with object keys sorted, so the same content hashes the same
 * however it was serialised. Undefined when nested deeper than
 * {@link MAX_DEPTH}: the caller then falls back to hashing the raw body.
 */
export function canonicalJson(value: unknown, depth = 0): string | undefined {
  if (depth > MAX_DEPTH) return undefined;
  if (Array.isArray(value)) {
    const items: string[] = [];
    for (const item of value as unknown[]) {
      const json = canonicalJson(item, depth + 1);
      if (json === undefined) return undefined;
      items.push(json);
    }
    return `[${items.join(',')}]`;
  }
  if (typeof value === 'object' && value !== null) {
    const fields: string[] = [];
    for (const key of Object.keys(value).sort()) {
      const json = canonicalJson((value as Record<string, unknown>)[key], depth + 1);
      if (json === undefined) return undefined;
      fields.push(`${JSON.stringify(key)}:${json}`);
    }
    return `{${fields.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
