import { describe, expect, it } from 'vitest';
import { formatBytes, refusalMessage, typeName } from './media-intake-messages.js';

const MB = 1024 * 1024;

describe('refusal messages say what is wrong and how to fix it', () => {
  it('too large: the size and the limit when known', () => {
    expect(refusalMessage('too-large', { size: 31 * MB, limit: 25 * MB })).toBe('This file is 31 MB; the limit is 25 MB. Choose a smaller file.');
    expect(refusalMessage('too-large', { limit: 25 * MB })).toBe('This file is larger than the 25 MB limit. Choose a smaller file.');
    expect(refusalMessage('too-large', { size: 25 * MB + 10, limit: 25 * MB })).toBe('This file is larger than the 25 MB limit. Choose a smaller file.');
    expect(refusalMessage('too-large')).toBe('This file is too large. Choose a smaller file.');
  });

  it('sizes read as people read them', () => {
    expect([formatBytes(300), formatBytes(5000), formatBytes(2.5 * MB), formatBytes(31.4 * MB)]).toEqual(['1 KB', '5 KB', '2.5 MB', '31 MB']);
  });

  it('wrong type names both the file\'s type and the accepted ones', () => {
    expect(refusalMessage('wrong-type', { mimeType: 'image/png', accepted: ['application/pdf'] })).toBe('This file is a PNG image; it is not accepted here (only PDF). Choose a PDF file.');
    expect(refusalMessage('wrong-type', { mimeType: 'application/pdf', accepted: ['image/jpeg', 'image/png'] })).toBe('This file is a PDF; it is not accepted here (only JPEG image or PNG image). Choose a JPEG image or PNG image file.');
    expect(typeName('application/x-custom')).toBe('application/x-custom');
  });

  it('too many files and every verification failure end with what to do', () => {
    expect(refusalMessage('too-many-files', { maxFiles: 1 })).toBe('At most 1 file can be added here. Remove this one.');
    for (const reason of ['encrypted-hash-mismatch', 'hmac-mismatch', 'bad-padding', 'plaintext-hash-mismatch', 'malformed-metadata', 'malformed-item', 'download-failed', 'url-not-allowed'] as const) {
      expect(refusalMessage(reason), reason).toMatch(/^This (file|upload) .+\. Remove it and choose the file again\.$/);
    }
    expect(refusalMessage('download-timeout')).toBe('This file took too long to download. Choose a smaller file or try again.');
  });
});
