import { describe, it, expect, afterAll, beforeAll } from 'vitest';
import fc from 'fast-check';
import { splitFields } from '../../src/emulator/flow-fields.js';
import { parseRetryAfter } from '../../src/whatsapp/graph/graph-error.js';
import { PHONE, publishedFlow, startHarness, TOKEN, WABA, type Harness } from './harness.js';

let h: Harness;
let flowId: string;
beforeAll(async () => {
  h = await startHarness({ mps: 100_000, pairBurst: 100_000 });
  flowId = await publishedFlow(h, 'fuzz');
});
afterAll(async () => {
  await h.close();
});

/** Every answer is 200 with JSON, or a Meta envelope with a 4xx status: never a 5xx. */
async function expectMetaShaped(res: Response): Promise<void> {
  const body = (await res.json()) as any;
  if (res.status === 200) return;
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  expect(typeof body.error.code).toBe('number');
  expect(body.error.message).toMatch(/^\(#\d+\) /);
}

describe('emulator robustness (fuzz over loopback)', () => {
  it('answers arbitrary send bodies with a Meta envelope, never a server error', async () => {
    const interactive = fc.record({
      type: fc.constantFrom('flow', 'button', 7),
      body: fc.option(fc.record({ text: fc.oneof(fc.string({ maxLength: 5 }), fc.integer()) }), { nil: undefined }),
      action: fc.record({ name: fc.constantFrom('flow', 'x'), parameters: fc.record({
        flow_message_version: fc.constantFrom('3', 3, '2'),
        flow_id: fc.constantFrom(flowId, '1', undefined),
        flow_cta: fc.oneof(fc.string({ maxLength: 40 }), fc.constant(undefined)),
        flow_action: fc.constantFrom('navigate', 'data_exchange', 'x', undefined),
        flow_action_payload: fc.oneof(fc.constant(undefined), fc.jsonValue(), fc.record({ screen: fc.constantFrom('WELCOME', 'DONE', 1), data: fc.jsonValue() })),
      }, { requiredKeys: [] }) }),
    }, { requiredKeys: [] });
    const message = fc.record({
      messaging_product: fc.constantFrom('whatsapp', 'sms', undefined),
      to: fc.oneof(fc.constantFrom('15551230000', '+1 (555) 123-0000', '1'), fc.string({ maxLength: 20 }), fc.integer()),
      type: fc.constantFrom('interactive', 'template', 'text', 'image', undefined),
      interactive,
      text: fc.oneof(fc.record({ body: fc.string({ maxLength: 10 }) }), fc.jsonValue()),
      template: fc.oneof(fc.jsonValue(), fc.record({ name: fc.string({ maxLength: 5 }), language: fc.record({ code: fc.constantFrom('en_US', 'xx') }) })),
    }, { requiredKeys: [] });
    h.emulator.receiveInbound('15551230000');
    await fc.assert(fc.asyncProperty(fc.oneof(message, fc.jsonValue()), async (body) => {
      const res = await fetch(`${h.url}/v23.0/${PHONE}/messages`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      await expectMetaShaped(res);
    }), { numRuns: 150 });
  });

  it('answers arbitrary flow-create form fields and paths with a Meta envelope', async () => {
    const fields = fc.dictionary(fc.constantFrom('name', 'categories', 'endpoint_uri', 'clone_flow_id', 'flow_json', 'publish', 'x'), fc.string({ maxLength: 30 }));
    await fc.assert(fc.asyncProperty(fields, fc.constantFrom(`${WABA}/flows`, `${flowId}`, `${flowId}/assets`, `${flowId}/publish`, 'abc/def/ghi', `${PHONE}/whatsapp_business_encryption`, `${WABA}/message_templates`), async (form, path) => {
      const res = await fetch(`${h.url}/v23.0/${path}`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: new URLSearchParams(form) });
      await expectMetaShaped(res);
    }), { numRuns: 100 });
    const garbage = await fetch(`${h.url}/v23.0/${PHONE}/messages`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: '{not json' });
    await expectMetaShaped(garbage);
    const badMultipart = await fetch(`${h.url}/v23.0/${flowId}/assets`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'multipart/form-data; boundary=zz' }, body: '--zz\r\nbroken' });
    await expectMetaShaped(badMultipart);
  });
});

describe('small parsers', () => {
  it('splitFields splits only at top-level commas', () => {
    expect(splitFields('id,preview.invalidate(true),metric.name(A).since(1,2),status')).toEqual(['id', 'preview.invalidate(true)', 'metric.name(A).since(1,2)', 'status']);
    fc.assert(fc.property(fc.array(fc.stringMatching(/^[a-z_]{1,8}(\([a-z0-9,]{0,6}\))?$/), { maxLength: 6 }), (parts) => {
      expect(splitFields(parts.join(','))).toEqual(parts);
    }));
    fc.assert(fc.property(fc.string({ maxLength: 40 }), (text) => {
      for (const f of splitFields(text)) expect(f).not.toBe('');
    }));
  });

  it('parseRetryAfter reads seconds and dates, nothing else', () => {
    fc.assert(fc.property(fc.nat({ max: 100_000 }), (s) => {
      expect(parseRetryAfter(String(s))).toBe(s * 1000);
    }));
    fc.assert(fc.property(fc.string({ maxLength: 30 }), (text) => {
      const ms = parseRetryAfter(text, 0);
      expect(ms === undefined || ms >= 0).toBe(true);
    }));
  });
});

describe('malformed requests', () => {
  it('refuses a badly percent-encoded path with 100, not a server error', async () => {
    const res = await fetch(`${h.url}/v23.0/%E0%A4%A/flows`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error.code).toBe(100);
  });
});
