import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFlowRequest } from './flow-request.js';

describe('parseFlowRequest', () => {
  it('reads the spec §2.9 examples', () => {
    expect(parseFlowRequest({ version: '3.0', action: 'ping' })).toEqual({ ok: true, request: { kind: 'ping', version: '3.0' } });
    expect(parseFlowRequest({ version: '3.0', action: 'INIT', flow_token: 'tok-123' })).toEqual({
      ok: true,
      request: { kind: 'exchange', action: 'INIT', version: '3.0', flowToken: 'tok-123', flowTokenSignature: undefined, screen: undefined, data: {} },
    });
    const bookings = { version: '3.0', action: 'data_exchange', screen: 'BOOKING', flow_token: 'tok-123', data: { date: '2024-10-21', component_action: 'update_date' } };
    expect(parseFlowRequest(bookings)).toMatchObject({ ok: true, request: { kind: 'exchange', screen: 'BOOKING', data: bookings.data } });
    const notice = { version: '3.0', action: 'data_exchange', screen: 'BOOKING', flow_token: 'tok-123', data: { error: 'payload-schema-error', error_message: 'x' } };
    expect(parseFlowRequest(notice)).toEqual({
      ok: true,
      request: { kind: 'error-notification', action: 'data_exchange', version: '3.0', flowToken: 'tok-123', screen: 'BOOKING', error: 'payload-schema-error', errorMessage: 'x' },
    });
  });

  it('treats screen "" as no screen, a missing version as 3.0, and keeps error_key notifications', () => {
    expect(parseFlowRequest({ action: 'BACK', screen: '', flow_token: 't' })).toMatchObject({ ok: true, request: { screen: undefined, version: '3.0' } });
    expect(parseFlowRequest({ action: 'INIT', data: { error_key: 'k' } })).toMatchObject({ ok: true, request: { kind: 'error-notification', error: 'k' } });
  });

  it.each([
    [null, 'not-an-object'], [[], 'not-an-object'], [{}, 'bad-field-type'], [{ action: 1 }, 'bad-field-type'],
    [{ action: 'INIT', version: 3 }, 'bad-field-type'], [{ action: 'INIT', flow_token: 5 }, 'bad-field-type'],
    [{ action: 'INIT', screen: {} }, 'bad-field-type'], [{ action: 'INIT', data: [] }, 'bad-field-type'],
    [{ action: 'data_exchange', flow_token_signature: 1 }, 'bad-field-type'], [{ action: 'navigate' }, 'unknown-action'],
    [{ action: 'init' }, 'unknown-action'],
  ])('refuses %j (%s)', (value, problem) => {
    expect(parseFlowRequest(value)).toMatchObject({ ok: false, problem });
  });

  it('property: never throws, and accepts exactly the handled actions when types are right', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 3 }), (value) => {
      const result = parseFlowRequest(value);
      if (result.ok && result.request.kind === 'exchange') expect(['INIT', 'BACK', 'data_exchange']).toContain(result.request.action);
    }));
    fc.assert(fc.property(
      fc.constantFrom('INIT', 'BACK', 'data_exchange'), fc.string(), fc.string(), fc.dictionary(fc.string().filter((k) => k !== 'error' && k !== 'error_key'), fc.jsonValue({ maxDepth: 2 })),
      (action, token, screen, data) => {
        const result = parseFlowRequest({ version: '4.0', action, flow_token: token, screen, data });
        expect(result).toMatchObject({ ok: true, request: { kind: 'exchange', action, flowToken: token, screen: screen === '' ? undefined : screen, data } });
      },
    ));
  });
});
