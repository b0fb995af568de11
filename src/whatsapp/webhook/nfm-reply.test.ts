import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { findMediaRefs, parseNfmReply } from './nfm-reply.js';

const descriptor = fc.record({
  id: fc.stringMatching(/^\d{6,18}$/),
  file_name: fc.string({ minLength: 1, maxLength: 20 }),
  mime_type: fc.constantFrom('image/jpeg', 'application/pdf'),
  sha256: fc.base64String({ minLength: 4, maxLength: 44 }),
});

describe('parseNfmReply', () => {
  it('reads the token from the response_json string and keeps the string verbatim', () => {
    const json = '{"flow_token":"tok-1","screen_0_Rating_0":"5"}';
    expect(parseNfmReply({ name: 'flow', body: 'Sent', response_json: json })).toEqual({
      name: 'flow', body: 'Sent', responseJson: json, response: { flow_token: 'tok-1', screen_0_Rating_0: '5' }, flowToken: 'tok-1', media: [],
    });
  });

  it('accepts an inlined object (some senders do not stringify) and ignores a non-string token', () => {
    const reply = parseNfmReply({ name: 'flow', response_json: { flow_token: 7 } });
    expect(reply.responseJson).toBe('{"flow_token":7}');
    expect(reply.flowToken).toBeUndefined();
  });
});

describe('findMediaRefs', () => {
  it('finds every §3.3 descriptor under any answer key, and nothing else', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.stringMatching(/^[a-z_]{1,12}$/), fc.array(descriptor, { maxLength: 3 }), { maxKeys: 4 }),
        fc.dictionary(fc.stringMatching(/^[A-Z]{1,8}$/), fc.oneof(fc.string(), fc.integer(), fc.record({ id: fc.string(), title: fc.string() })), { maxKeys: 4 }),
        (pickers, others) => {
          const response = { flow_token: 't', ...others, ...pickers };
          const found = findMediaRefs(response);
          const expected = Object.entries(pickers).flatMap(([field, files]) => files.map((f) => ({ field, id: f.id, fileName: f.file_name, mimeType: f.mime_type, sha256: f.sha256 })));
          expect(found).toEqual(expected);
        },
      ),
    );
  });
});
