/**
 * A small, independent QR decoder for tests (ISO/IEC 18004): versions 1–6 at
 * error-correction level M, numeric / alphanumeric / byte segments — enough
 * for the wa.me links Flowbridge renders, so a test can read back what a QR
 * image really says instead of trusting the library that drew it. No error
 * correction: the image must be exact. The mask is found by decoding with
 * each of the eight and keeping the one whose padding is well-formed.
 */

/** Data codewords per block and block count, level M, versions 1–6. */
const BLOCKS_M: Record<number, { readonly blocks: number; readonly data: number; readonly total: number }> = {
  1: { blocks: 1, data: 16, total: 26 },
  2: { blocks: 1, data: 28, total: 44 },
  3: { blocks: 1, data: 44, total: 70 },
  4: { blocks: 2, data: 32, total: 100 },
  5: { blocks: 2, data: 43, total: 134 },
  6: { blocks: 4, data: 27, total: 172 },
};

const MASKS: ReadonlyArray<(i: number, j: number) => boolean> = [
  (i, j) => (i + j) % 2 === 0,
  (i) => i % 2 === 0,
  (_i, j) => j % 3 === 0,
  (i, j) => (i + j) % 3 === 0,
  (i, j) => (Math.floor(i / 2) + Math.floor(j / 3)) % 2 === 0,
  (i, j) => ((i * j) % 2) + ((i * j) % 3) === 0,
  (i, j) => (((i * j) % 2) + ((i * j) % 3)) % 2 === 0,
  (i, j) => (((i + j) % 2) + ((i * j) % 3)) % 2 === 0,
];

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

function isFunction(row: number, col: number, size: number, version: number): boolean {
  const inBox = (r0: number, c0: number, n: number) => row >= r0 && row < r0 + n && col >= c0 && col < c0 + n;
  if (row === 6 || col === 6) return true;
  if (inBox(0, 0, 9) || inBox(0, size - 8, 8) || (row === 8 && col >= size - 8) || inBox(size - 8, 0, 8) || (col === 8 && row >= size - 8)) return true;
  return version >= 2 && inBox(size - 9, size - 9, 5);
}

/** The codeword bits in placement order (two-column zigzag from the bottom right). */
function readBits(dark: readonly boolean[], size: number, version: number, mask: (i: number, j: number) => boolean): number[] {
  const bits: number[] = [];
  let upward = true;
  for (let right = size - 1; right > 0; right -= 2) {
    if (right === 6) right -= 1;
    for (let k = 0; k < size; k += 1) {
      const row = upward ? size - 1 - k : k;
      for (const col of [right, right - 1]) {
        if (!isFunction(row, col, size, version)) bits.push(Number(dark[row * size + col]) ^ Number(mask(row, col)));
      }
    }
    upward = !upward;
  }
  return bits;
}

/** Decode the segments of the data codewords; undefined when the stream is not well-formed. */
function parseSegments(data: readonly number[]): string | undefined {
  const bits = data.flatMap((byte) => Array.from({ length: 8 }, (_, i) => (byte >> (7 - i)) & 1));
  let at = 0;
  const take = (n: number): number => {
    let v = 0;
    for (let i = 0; i < n; i += 1) v = (v << 1) | (bits[at++] ?? 0);
    return v;
  };
  const bytes: number[] = [];
  for (;;) {
    if (bits.length - at < 4) break;
    const mode = take(4);
    if (mode === 0) break;
    if (mode === 1) {
      let n = take(10);
      for (; n >= 3; n -= 3) bytes.push(...Buffer.from(String(take(10)).padStart(3, '0')));
      if (n > 0) bytes.push(...Buffer.from(String(take(n === 2 ? 7 : 4)).padStart(n, '0')));
    } else if (mode === 2) {
      let n = take(9);
      for (; n >= 2; n -= 2) { const v = take(11); bytes.push(ALNUM.charCodeAt(Math.floor(v / 45)), ALNUM.charCodeAt(v % 45)); }
      if (n === 1) bytes.push(ALNUM.charCodeAt(take(6)));
    } else if (mode === 4) {
      for (let n = take(8); n > 0; n -= 1) bytes.push(take(8));
    } else return undefined;
    if (at > bits.length) return undefined;
  }
  // After the terminator and bit padding, the pad codewords alternate 0xEC, 0x11.
  const padStart = Math.ceil(at / 8);
  if (!data.slice(padStart).every((b, i) => b === (i % 2 === 0 ? 0xec : 0x11))) return undefined;
  return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
}

/** Decode a QR symbol given as row-major dark modules (no quiet zone). */
export function decodeQr(dark: readonly boolean[], size: number): string {
  const version = (size - 17) / 4;
  const layout = BLOCKS_M[version];
  if (layout === undefined) throw new Error(`QR version ${version} is outside what this test decoder reads (1–6)`);
  for (const mask of MASKS) {
    const bits = readBits(dark, size, version, mask);
    const codewords = Array.from({ length: layout.total }, (_, k) => bits.slice(k * 8, k * 8 + 8).reduce((v, b) => (v << 1) | b, 0));
    const data: number[] = [];
    for (let b = 0; b < layout.blocks; b += 1) for (let k = 0; k < layout.data; k += 1) data.push(codewords[k * layout.blocks + b]!);
    try {
      const text = parseSegments(data);
      if (text !== undefined) return text;
    } catch {
      // not this mask
    }
  }
  throw new Error('no mask yields a well-formed QR data stream (not level M, or the image is damaged)');
}
