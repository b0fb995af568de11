import { describe, it, expect } from 'vitest';
import { lookupFetch, lookupJson, settleEarlierAttempt, type EarlierWrite } from './earlier-attempt.js';
import type { ProgressStore } from './sink-connector.js';

const store = (initial: Record<string, string> = {}): ProgressStore & { saved: Map<string, string> } => {
  const saved = new Map(Object.entries(initial));
  return { saved, get: (k) => Promise.resolve(saved.get(k)), set: (k, v) => Promise.resolve(void saved.set(k, v)) };
};
const now = (): Date => new Date('2024-10-01T10:00:00.000Z');

describe('settleEarlierAttempt', () => {
  it('the first attempt records its start and never asks the destination', async () => {
    const progress = store();
    let asked = 0;
    const out = await settleEarlierAttempt({ progress, now, step: 's', foundNote: 'n', lookup: () => Promise.resolve((asked++, { kind: 'found', id: 'x' })) });
    expect(out).toBeUndefined();
    expect(asked).toBe(0);
    expect(progress.saved.get('s')).toBe('2024-10-01T10:00:00.000Z');
  });

  it('a later attempt asks with the recorded start and settles on what it finds', async () => {
    const cases: Array<[EarlierWrite, unknown]> = [
      [{ kind: 'found', id: 'r1' }, { kind: 'delivered', externalId: 'r1', note: 'n' }],
      [{ kind: 'none' }, undefined],
      [{ kind: 'failed', outcome: { kind: 'retry', reason: 'down' } }, { kind: 'retry', reason: 'down' }],
    ];
    for (const [found, want] of cases) {
      const seen: string[] = [];
      const out = await settleEarlierAttempt({ progress: store({ s: 'T0' }), now, step: 's', foundNote: 'n', lookup: (since) => Promise.resolve((seen.push(since), found)) });
      expect(out).toEqual(want);
      expect(seen).toEqual(['T0']);
    }
  });

  it('without a look-up a later attempt goes on to post', async () => {
    expect(await settleEarlierAttempt({ progress: store({ s: 'T0' }), now, step: 's', foundNote: 'n', lookup: undefined })).toBeUndefined();
  });
});

describe('lookupJson', () => {
  const fetchOf = (text: string, status: number, seen: RequestInit[]): typeof fetch => (_url, init) => {
    seen.push(init ?? {});
    return Promise.resolve(new Response(text, { status }));
  };

  it('reads a JSON body and asks for JSON with the given headers', async () => {
    const seen: RequestInit[] = [];
    const { response, body } = await lookupJson<{ a?: number }>(fetchOf('{"a":1}', 200, seen), 'http://x/y', { authorization: 'Bearer t' }, 1000);
    expect([response.status, body.a]).toEqual([200, 1]);
    expect(seen[0]?.headers).toEqual({ authorization: 'Bearer t', accept: 'application/json' });
  });

  it('a body that is not JSON reads as empty, the status stays', async () => {
    const { response, body } = await lookupJson<{ a?: number }>(fetchOf('<html>down</html>', 503, []), 'http://x/y', {}, 1000);
    expect([response.status, body]).toEqual([503, {}]);
  });
});

describe('lookupFetch', () => {
  it('a look-up that gets no answer fails with a reason naming neither a header value nor the URL query', async () => {
    const secret = 'sk-live-0123456789abcdef';
    const refusing: typeof fetch = () => Promise.reject(new TypeError(`Headers.append: "${secret}\n" is an invalid header value; https://api.example.com/x?token=${secret}`));
    const error = await lookupFetch(refusing, `https://api.example.com/x?token=${secret}`, { authorization: `${secret}\n` }, 1000).then(() => new Error('answered'), (e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toMatch(/^Network error/);
    expect(error.message).not.toContain(secret);
    expect(error.message).not.toContain('token=');
  });

  it('a look-up past its deadline fails with the timeout reason', async () => {
    const stalled: typeof fetch = (_url, init) => new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('The operation was aborted due to timeout', 'TimeoutError'))));
    const error = await lookupFetch(stalled, 'https://api.example.com/x', {}, 20).then(() => new Error('answered'), (e: unknown) => e as Error);
    expect(error.message).toBe('The destination did not answer in time.');
  });
});
