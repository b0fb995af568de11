import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sniffMimeType } from './media-intake.js';

const bytes = (...b: number[]) => new Uint8Array([...b, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);

describe('sniffMimeType', () => {
  it('reads the signature of the decrypted bytes before the file name', () => {
    expect(sniffMimeType(bytes(0xff, 0xd8, 0xff, 0xe0), 'scan.pdf')).toBe('image/jpeg');
    expect(sniffMimeType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a), undefined)).toBe('image/png');
    expect(sniffMimeType(new TextEncoder().encode('%PDF-1.7\n...'), 'x.bin')).toBe('application/pdf');
    expect(sniffMimeType(new TextEncoder().encode('RIFF\u0000\u0000\u0000\u0000WEBPVP8 '), undefined)).toBe('image/webp');
    expect(sniffMimeType(new TextEncoder().encode('\u0000\u0000\u0000\u0018ftypheic'), undefined)).toBe('image/heic');
  });

  it('falls back to the extension, case-insensitively, and gives up when neither tells', () => {
    expect(sniffMimeType(bytes(1, 2, 3), 'Contract.DOCX')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(sniffMimeType(bytes(1, 2, 3), 'notes.txt')).toBe('text/plain');
    expect(sniffMimeType(bytes(1, 2, 3), 'archive.xyz')).toBeUndefined();
    expect(sniffMimeType(new Uint8Array(0), undefined)).toBeUndefined();
    expect(sniffMimeType(new Uint8Array([0xff, 0xd8]), undefined)).toBeUndefined(); // too short for the signature
  });

  it('never throws, and answers only known types', () => {
    const known = new Set(['image/jpeg', 'image/png', 'application/pdf', 'image/gif', 'image/webp', 'image/heic', 'application/msword',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'text/plain', undefined]);
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), fc.option(fc.string(), { nil: undefined }), (b, name) => {
      expect(known.has(sniffMimeType(b, name))).toBe(true);
    }));
  });
});
