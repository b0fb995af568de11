/**
 * Strict base64 (RFC 4648 §4: standard alphabet, `=` padding, canonical
 * trailing bits) without `Buffer`, so the browser-safe core can speak the
 * data-exchange protocol. Meta's "Implementing Endpoints for Flows" page sends
 * every binary field of the request this way; being strict means one byte
 * string has exactly one accepted text form.
 * @module
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Shape of canonical padded base64; trailing-bit canonicity is checked separately. */
const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

function sextet(text: string, index: number): number {
  return DECODE[text.charCodeAt(index)] ?? -1;
}

/**
 * True when `text` is canonical padded standard base64: the only form a
 * conforming encoder produces, so anything else is a malformed request.
 */
export function isStrictBase64(text: string): boolean {
  if (!STRICT_BASE64.test(text)) return false;
  const n = text.length;
  if (n === 0) return true;
  // Unused low bits of the last data character must be zero (e.g. "QR==" is not canonical).
  if (text.endsWith('==')) return (sextet(text, n - 3) & 0x0f) === 0;
  if (text.endsWith('=')) return (sextet(text, n - 2) & 0x03) === 0;
  return true;
}

/** Decode strict base64; `undefined` when the text is not canonical padded base64. */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (!isStrictBase64(text)) return undefined;
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const a = sextet(text, i);
    const b = sextet(text, i + 1);
    const c = text[i + 2] === '=' ? 0 : sextet(text, i + 2);
    const d = text[i + 3] === '=' ? 0 : sextet(text, i + 3);
    const triple = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = (triple >> 16) & 0xff;
    if (o < out.length) out[o++] = (triple >> 8) & 0xff;
    if (o < out.length) out[o++] = triple & 0xff;
  }
  return out;
}

/** Encode bytes as padded standard base64. */
export function encodeBase64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const t = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += ALPHABET.charAt((t >> 18) & 63) + ALPHABET.charAt((t >> 12) & 63) + ALPHABET.charAt((t >> 6) & 63) + ALPHABET.charAt(t & 63);
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const t = (bytes[i] ?? 0) << 16;
    out += `${ALPHABET.charAt((t >> 18) & 63)}${ALPHABET.charAt((t >> 12) & 63)}==`;
  } else if (rest === 2) {
    const t = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8);
    out += `${ALPHABET.charAt((t >> 18) & 63)}${ALPHABET.charAt((t >> 12) & 63)}${ALPHABET.charAt((t >> 6) & 63)}=`;
  }
  return out;
}
