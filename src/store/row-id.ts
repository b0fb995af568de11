/**
 * Row ids: UUID version 7 (RFC 9562) — 48 bits of Unix milliseconds, then
 * random bits. Rows written close in time get ids close in order, so the
 * B-tree index of each `id` primary key (SQLite and PostgreSQL alike) grows
 * at its right edge: a batch of inserts dirties a few pages instead of one
 * random page per row, which is most of what a commit writes. Ids stay
 * unique (74 random bits, plus a counter within one millisecond) and
 * unguessable enough for row ids; they are never secrets (flow tokens are
 * made elsewhere from 256 random bits).
 * @module
 */
import { randomFillSync } from 'node:crypto';

const pool = Buffer.alloc(16 * 256);
let poolOffset = pool.length;
let lastMs = -1;
let sequence = 0;

function randomBlock(): Buffer {
  if (poolOffset >= pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const block = pool.subarray(poolOffset, poolOffset + 16);
  poolOffset += 16;
  return block;
}

/** A new UUIDv7 text, e.g. `019ac1f2-5b3e-7a1c-9d2e-4f6a8b0c1d2e`; strictly increasing within this process. */
export function newRowId(now: number = Date.now()): string {
  const bytes = Buffer.from(randomBlock());
  // Within one millisecond a 12-bit counter (rand_a) keeps ids increasing; it starts at a random value below 2048.
  if (now <= lastMs) {
    sequence += 1;
    if (sequence > 0xfff) { lastMs += 1; sequence = 0; }
  } else {
    lastMs = now;
    sequence = bytes.readUInt16BE(6) & 0x7ff;
  }
  const ms = lastMs;
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | (sequence >> 8);
  bytes[7] = sequence & 0xff;
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
