import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createMediaStore } from '../../src/services/media-store.js';

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fb-media-store-'));
  dirs.push(dir);
  return join(dir, 'media');
}

describe('createMediaStore (filesystem)', () => {
  it('stores bytes and descriptor in private files and reads them back', async () => {
    const dir = tempDir();
    const store = createMediaStore(dir, { now: () => new Date('2026-01-02T03:04:05.000Z') });
    const bytes = new TextEncoder().encode('%PDF-1.7 hello');
    const media = await store.put('790aba14-5f4a', bytes, { source: 'picker', fileName: 'a.pdf', flowToken: 'T1' });
    expect(media).toMatchObject({ id: '790aba14-5f4a', size: bytes.length, fileName: 'a.pdf', source: 'picker', flowToken: 'T1', storedAt: '2026-01-02T03:04:05.000Z' });
    const got = await store.get('790aba14-5f4a');
    expect(Buffer.from(got!.bytes).equals(Buffer.from(bytes))).toBe(true);
    expect(got!.media).toEqual(media);
    const files = readdirSync(dir);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    for (const f of files) expect(statSync(join(dir, f)).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(await store.get('unknown')).toBeUndefined();
  });

  it('replaces a file under the same id', async () => {
    const store = createMediaStore(tempDir());
    await store.put('x', new Uint8Array([1, 2, 3]), { source: 'cloud-api' });
    await store.put('x', new Uint8Array([4]), { source: 'cloud-api', mimeType: 'image/png' });
    const got = await store.get('x');
    expect([...got!.bytes]).toEqual([4]);
    expect(got!.media.mimeType).toBe('image/png');
  });

  it('property: any id (path tricks included) round-trips and never writes outside the directory', async () => {
    const dir = tempDir();
    const store = createMediaStore(dir);
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ minLength: 1 }), fc.constantFrom('../escape', '/etc/passwd', '..', 'a/../../b')), fc.uint8Array({ maxLength: 256 }), async (id, bytes) => {
        await store.put(id, bytes, { source: 'picker' });
        const got = await store.get(id);
        expect(got?.media.id).toBe(id);
        expect(Buffer.from(got!.bytes).equals(Buffer.from(bytes))).toBe(true);
      }),
      { numRuns: 60 },
    );
    expect(readdirSync(join(dir, '..'))).toEqual(['media']);
    expect(readdirSync(dir).every((f) => /^[0-9a-f]{64}\.(bin|json)$/.test(f))).toBe(true);
  });
});
