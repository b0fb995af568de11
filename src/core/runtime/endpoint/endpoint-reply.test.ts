import fc from 'fast-check';
import { describe, it, expect } from 'vitest';
import { endpointFailure, GENERIC_ERROR_MESSAGE, interpretReply, isErrorNotification, type EndpointRequest } from './endpoint-reply.js';

const exchange: EndpointRequest = { version: '3.0', action: 'data_exchange', screen: 'BOOKING', flow_token: 't', data: { date: '2024-10-21' } };
const ping: EndpointRequest = { version: '3.0', action: 'ping' };
const notification: EndpointRequest = { ...exchange, data: { error: 'payload-schema-error', error_message: 'bad' } };

describe('interpretReply', () => {
  it('reads a next-screen reply, keeping error_message in data and ignoring version', () => {
    const data = { available_slots: [{ id: '1', title: '08:00' }], error_message: 'Pick another day' };
    expect(interpretReply(exchange, { version: '3.0', screen: 'BOOKING', data })).toEqual({ kind: 'screen', screen: 'BOOKING', data });
    expect(interpretReply(exchange, { screen: 'NEXT' })).toEqual({ kind: 'screen', screen: 'NEXT', data: {} });
  });

  it('reads the SUCCESS completion and requires params.flow_token', () => {
    const params = { flow_token: 'tok-123', user_id: '42' };
    expect(interpretReply(exchange, { screen: 'SUCCESS', data: { extension_message_response: { params } } })).toEqual({ kind: 'complete', params });
    for (const data of [{}, { extension_message_response: {} }, { extension_message_response: { params: [] } }, { extension_message_response: { params: { user_id: '42' } } }]) {
      expect(interpretReply(exchange, { screen: 'SUCCESS', data })).toMatchObject({ kind: 'failure', reason: 'schema' });
    }
  });

  it('expects the ping and error-notification acknowledgements for those requests only', () => {
    expect(interpretReply(ping, { data: { status: 'active' } })).toEqual({ kind: 'ack' });
    expect(interpretReply(ping, { screen: 'X', data: {} })).toMatchObject({ reason: 'schema' });
    expect(interpretReply(notification, { data: { acknowledged: true } })).toEqual({ kind: 'ack' });
    expect(interpretReply(notification, { data: { acknowledged: 'yes' } })).toMatchObject({ reason: 'schema' });
    expect(interpretReply(notification, { screen: 'BOOKING', data: {} })).toMatchObject({ kind: 'screen' });
    expect(interpretReply(exchange, { data: { acknowledged: true } })).toMatchObject({ reason: 'schema' });
    expect(isErrorNotification({ ...exchange, data: { error_key: 'x' } })).toBe(true);
    expect(isErrorNotification(exchange)).toBe(false);
  });

  it('refuses replies of the wrong shape', () => {
    for (const body of [null, 'BOOKING', [], 1, { screen: '' }, { screen: 3, data: {} }, { screen: 'A', data: [] }, { screen: 'A', data: 'x' }, {}]) {
      const reply = interpretReply(exchange, body);
      expect(reply).toMatchObject({ kind: 'failure', reason: 'schema', userMessage: GENERIC_ERROR_MESSAGE });
    }
  });

  it('never throws and always yields a known kind (property)', () => {
    const reqs = fc.constantFrom(exchange, ping, notification);
    const bodies = fc.oneof(
      fc.jsonValue(),
      fc.record({ screen: fc.oneof(fc.string(), fc.constant('SUCCESS'), fc.jsonValue()), data: fc.jsonValue() }, { requiredKeys: [] }),
    );
    fc.assert(
      fc.property(reqs, bodies, (req, body) => {
        const reply = interpretReply(req, body);
        expect(['screen', 'complete', 'ack', 'failure']).toContain(reply.kind);
        if (reply.kind === 'screen') expect(reply.screen).toBe((body as { screen: string }).screen);
      }),
      { numRuns: 500 },
    );
  });
});

describe('endpointFailure', () => {
  it('uses the generic message unless one is given, and keeps the status', () => {
    expect(endpointFailure('timeout', 'slow')).toEqual({ kind: 'failure', reason: 'timeout', userMessage: GENERIC_ERROR_MESSAGE, detail: 'slow' });
    expect(endpointFailure('token-invalid', 'd', { status: 427, userMessage: 'Expired' })).toMatchObject({ status: 427, userMessage: 'Expired' });
  });
});
