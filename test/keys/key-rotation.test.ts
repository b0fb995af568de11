import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { loadConfig } from '../../src/config/load-config.js';
import { afterAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../src/core/errors.js';
import {
  DEFAULT_KEY_GRACE_HOURS,
  generateKeyPairFiles,
  keyPaths,
  previousKeyActive,
  readCurrentKey,
  readRotationRecord,
  rotateKeyPair,
} from '../../src/services/key-rotation.js';

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });
function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fb-key-rotation-'));
  dirs.push(dir);
  return dir;
}

describe('keyGraceHours (FLOWBRIDGE_KEY_GRACE_HOURS)', () => {
  const graceFrom = (value?: string): number =>
    loadConfig({ env: value === undefined ? {} : { FLOWBRIDGE_KEY_GRACE_HOURS: value }, readFile: () => '' }).keyGraceHours;

  it('defaults to 72 and reads a number of hours', () => {
    expect(graceFrom()).toBe(DEFAULT_KEY_GRACE_HOURS);
    expect(graceFrom(' 12.5 ')).toBe(12.5);
    expect(() => graceFrom('-1')).toThrow(/FLOWBRIDGE_KEY_GRACE_HOURS/);
  });

  it('property: any text yields a finite non-negative number or a USAGE_INVALID error', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.double().map(String)), (text) => {
        try {
          const hours = graceFrom(text);
          expect(Number.isFinite(hours) && hours >= 0).toBe(true);
        } catch (error) {
          expect(isAppError(error, 'USAGE_INVALID')).toBe(true);
        }
      }),
    );
  });
});

describe('rotation record', () => {
  it('property: any rotation.json content reads as a valid record or undefined, never throws', async () => {
    const dir = tempDataDir();
    mkdirSync(keyPaths(dir).dir, { recursive: true });
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.json(), fc.date({ noInvalidDate: true }).map((d) => JSON.stringify({ rotatedAt: d.toISOString() }))), async (text) => {
        writeFileSync(keyPaths(dir).rotation, text);
        const record = await readRotationRecord(dir);
        if (record !== undefined) expect(Number.isNaN(Date.parse(record.rotatedAt))).toBe(false);
      }),
      { numRuns: 100 },
    );
  });

  it('property: the previous key is active exactly within the grace period; without a record it stays active', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: -1000, max: 20_000 }), (graceHours, elapsedMinutes) => {
        const rotatedAt = new Date('2026-03-01T00:00:00.000Z');
        const record = { rotatedAt: rotatedAt.toISOString(), previousFingerprint: 'a', currentFingerprint: 'b' };
        const now = new Date(rotatedAt.getTime() + elapsedMinutes * 60_000);
        expect(previousKeyActive(record, now, graceHours)).toBe(elapsedMinutes < graceHours * 60);
        expect(previousKeyActive(undefined, now, graceHours)).toBe(true);
      }),
    );
  });
});

describe('rotateKeyPair', () => {
  it('a second rotation retires the key of the first and drops the oldest one', async () => {
    const dir = tempDataDir();
    const first = await generateKeyPairFiles(dir, 'pp');
    const r1 = await rotateKeyPair(dir, 'pp', new Date('2026-01-01T00:00:00.000Z'));
    expect(r1.previousFingerprint).toBe(first.fingerprint);
    const r2 = await rotateKeyPair(dir, 'pp', new Date('2026-01-02T00:00:00.000Z'));
    expect(r2.previousFingerprint).toBe(r1.currentFingerprint);
    expect((await readCurrentKey(dir, 'pp')).fingerprint).toBe(r2.currentFingerprint);
    expect(await readRotationRecord(dir)).toEqual({ rotatedAt: '2026-01-02T00:00:00.000Z', previousFingerprint: r1.currentFingerprint, currentFingerprint: r2.currentFingerprint });
    expect(readFileSync(keyPaths(dir).previous, 'utf8')).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
  });

  it('with a wrong passphrase changes no file', async () => {
    const dir = tempDataDir();
    await generateKeyPairFiles(dir, 'right');
    const before = readFileSync(keyPaths(dir).current, 'utf8');
    await expect(rotateKeyPair(dir, 'xq-9-bad')).rejects.toSatisfy((e: unknown) => isAppError(e, 'CRYPTO_KEY_INVALID') && !String((e as Error).message).includes('xq-9-bad'));
    expect(readFileSync(keyPaths(dir).current, 'utf8')).toBe(before);
    expect(await readRotationRecord(dir)).toBeUndefined();
  });
});
