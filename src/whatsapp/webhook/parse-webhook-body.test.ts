import { describe, it, expect } from 'vitest';
import { envelope, flowsBody, inbound, messagesBody, messagesValue, nfmReply, PHONE_NUMBER_ID, status, statusesBody, USER_WA_ID, WABA_ID, endpointLatency } from '../../../test/webhooks/payloads.js';
import type { MessageContent } from './message-content.js';
import { parseWebhookBody } from './parse-webhook-body.js';
import type { WebhookEvent } from './webhook-event.js';

function events(body: string): readonly WebhookEvent[] {
  const parsed = parseWebhookBody(body);
  if (!parsed.ok) throw new Error('expected JSON');
  return parsed.events;
}

function onlyMessage(message: Record<string, unknown>) {
  const [event, ...rest] = events(messagesBody(message));
  expect(rest).toEqual([]);
  if (event?.kind !== 'message') throw new Error(`expected a message, got ${event?.kind}`);
  return event;
}

const content = (message: Record<string, unknown>): MessageContent => onlyMessage(message).message.content;

describe('parseWebhookBody: messages', () => {
  it('reads the envelope, sender and text body', () => {
    const event = onlyMessage(inbound('wamid.T1', 'text', { text: { body: 'hello' } }));
    expect(event.source).toEqual({ wabaId: WABA_ID, time: undefined, field: 'messages', phoneNumberId: PHONE_NUMBER_ID, displayPhoneNumber: '15550001111' });
    expect(event.message.id).toBe('wamid.T1');
    expect(event.message.from).toBe(USER_WA_ID);
    expect(event.message.timestamp).toEqual(new Date(1702502473 * 1000));
    expect(event.message.sender).toEqual({ waId: USER_WA_ID, name: 'Ann', userId: 'US.13491208655302741918' });
    expect(event.message.content).toEqual({ type: 'text', body: 'hello' });
    expect(event.dedupeKey).toBe('message:wamid.T1');
  });

  it('parses an nfm_reply: response_json string, flow_token, context and §3.3 media ids', () => {
    const response = {
      flow_token: 'AQAAAAACS5FpgQ_cAAAAAD0QI3s.',
      purchase_rating: '2',
      photo_picker: [
        { file_name: 'IMG_5237.jpg', mime_type: 'image/jpeg', sha256: 'c2hh', id: '3631120727156756' },
        { file_name: 'IMG_5238.jpg', mime_type: 'image/jpeg', sha256: 'c2hi', id: '3631120727156757' },
      ],
      choice: { id: 'opt_1', title: 'not media' },
    };
    const event = onlyMessage(nfmReply('wamid.N1', response, 'wamid.FLOW1'));
    expect(event.message.context?.id).toBe('wamid.FLOW1');
    expect(event.message.content.type).toBe('nfm_reply');
    if (event.message.content.type !== 'nfm_reply') return;
    const reply = event.message.content.reply;
    expect(reply.name).toBe('flow');
    expect(reply.body).toBe('Sent');
    expect(reply.responseJson).toBe(JSON.stringify(response));
    expect(reply.response).toEqual(response);
    expect(reply.flowToken).toBe(response.flow_token);
    expect(reply.media.map((m) => [m.field, m.id, m.fileName])).toEqual([
      ['photo_picker', '3631120727156756', 'IMG_5237.jpg'],
      ['photo_picker', '3631120727156757', 'IMG_5238.jpg'],
    ]);
  });

  it('keeps an nfm_reply whose response_json is not JSON, without a token', () => {
    const message = inbound('wamid.N2', 'interactive', { interactive: { type: 'nfm_reply', nfm_reply: { name: 'flow', response_json: '{oops' } } });
    const c = content(message);
    if (c.type !== 'nfm_reply') throw new Error(c.type);
    expect(c.reply.responseJson).toBe('{oops');
    expect(c.reply.response).toBeUndefined();
    expect(c.reply.flowToken).toBeUndefined();
  });

  it('parses interactive button and list replies and template quick replies', () => {
    expect(content(inbound('wamid.B1', 'interactive', { interactive: { type: 'button_reply', button_reply: { id: 'yes', title: 'Yes' } } }))).toEqual({
      type: 'button_reply', id: 'yes', title: 'Yes',
    });
    expect(content(inbound('wamid.L1', 'interactive', { interactive: { type: 'list_reply', list_reply: { id: 'r2', title: 'Row 2', description: 'Second' } } }))).toEqual({
      type: 'list_reply', id: 'r2', title: 'Row 2', description: 'Second',
    });
    expect(content(inbound('wamid.Q1', 'button', { button: { payload: 'STOP', text: 'Stop promotions' } }))).toEqual({ type: 'button', payload: 'STOP', text: 'Stop promotions' });
  });

  it.each([
    ['image', { caption: 'receipt', mime_type: 'image/jpeg', sha256: 'aGFzaA==', id: '111' }],
    ['document', { caption: 'cv', filename: 'cv.pdf', mime_type: 'application/pdf', sha256: 'aGFzaA==', id: '112' }],
    ['audio', { mime_type: 'audio/ogg; codecs=opus', sha256: 'aGFzaA==', id: '113', voice: true }],
    ['video', { mime_type: 'video/mp4', sha256: 'aGFzaA==', id: '114' }],
    ['sticker', { mime_type: 'image/webp', sha256: 'aGFzaA==', id: '115', animated: false }],
  ])('parses %s media with its id for download', (type, media) => {
    const c = content(inbound(`wamid.${type}`, type, { [type]: media }));
    expect(c).toEqual({
      type,
      media: {
        id: media.id,
        mimeType: media.mime_type,
        sha256: media.sha256,
        caption: 'caption' in media ? media.caption : undefined,
        filename: 'filename' in media ? media.filename : undefined,
        voice: 'voice' in media ? media.voice : undefined,
        animated: 'animated' in media ? media.animated : undefined,
      },
    });
  });

  it('parses location, contacts, reaction, unsupported and system messages', () => {
    expect(content(inbound('wamid.G', 'location', { location: { latitude: 32.08, longitude: 34.78, name: 'Office', address: '1 Main St' } }))).toEqual({
      type: 'location', latitude: 32.08, longitude: 34.78, name: 'Office', address: '1 Main St', url: undefined,
    });
    const card = { name: { formatted_name: 'Bo Li', first_name: 'Bo' }, phones: [{ phone: '+1 555 0100', type: 'CELL', wa_id: '15550100' }] };
    expect(content(inbound('wamid.C', 'contacts', { contacts: [card] }))).toEqual({ type: 'contacts', contacts: [card] });
    expect(content(inbound('wamid.R', 'reaction', { reaction: { message_id: 'wamid.OUT', emoji: '👍' } }))).toEqual({ type: 'reaction', messageId: 'wamid.OUT', emoji: '👍' });
    expect(content(inbound('wamid.R2', 'reaction', { reaction: { message_id: 'wamid.OUT' } }))).toEqual({ type: 'reaction', messageId: 'wamid.OUT', emoji: undefined });
    const errors = [{ code: 131051, title: 'Message type unknown', message: 'Message type unknown', error_data: { details: 'Message type is currently not supported.' } }];
    expect(content(inbound('wamid.U', 'unsupported', { errors }))).toEqual({
      type: 'unsupported', errors: [{ code: 131051, title: 'Message type unknown', message: 'Message type unknown', details: 'Message type is currently not supported.' }],
    });
    expect(content(inbound('wamid.S', 'system', { system: { body: 'NAME changed from 1 to 2', wa_id: '2', type: 'customer_changed_number' } }))).toEqual({
      type: 'system', body: 'NAME changed from 1 to 2', systemType: 'customer_changed_number', newWaId: '2',
    });
  });

  it('reads click-to-WhatsApp referral and reply context', () => {
    const referral = {
      source_url: 'https://fb.me/ad', source_id: '120200000', source_type: 'ad', headline: 'Book now', body: 'Ad text',
      media_type: 'image', image_url: 'https://x/img.jpg', ctwa_clid: 'ARAkLkA8rmlFeiCktEJQ',
    };
    const event = onlyMessage({ ...inbound('wamid.F', 'text', { text: { body: 'from the ad' } }), referral, context: { from: '155', id: 'wamid.PREV', forwarded: true } });
    expect(event.message.referral).toMatchObject({ sourceId: '120200000', sourceType: 'ad', ctwaClid: 'ARAkLkA8rmlFeiCktEJQ', headline: 'Book now', imageUrl: 'https://x/img.jpg' });
    expect(event.message.context).toMatchObject({ from: '155', id: 'wamid.PREV', forwarded: true });
  });

  it('keeps an unknown message type as other, with its raw object', () => {
    const order = inbound('wamid.O', 'order', { order: { catalog_id: '1', product_items: [] } });
    expect(content(order)).toEqual({ type: 'other', messageType: 'order', raw: order });
    const nfmAddress = inbound('wamid.A', 'interactive', { interactive: { type: 'weird', weird: {} } });
    expect(content(nfmAddress)).toMatchObject({ type: 'other', messageType: 'interactive.weird' });
  });

  it('yields one event per message in a batched delivery, in order', () => {
    const list = events(messagesBody(inbound('wamid.1', 'text', { text: { body: 'a' } }), inbound('wamid.2', 'text', { text: { body: 'b' } })));
    expect(list.map((e) => e.dedupeKey)).toEqual(['message:wamid.1', 'message:wamid.2']);
  });
});

describe('parseWebhookBody: statuses', () => {
  it.each(['sent', 'delivered', 'read'])('parses a %s status with pricing and conversation', (value) => {
    const [event] = events(statusesBody(status('wamid.OUT1', value)));
    if (event?.kind !== 'status') throw new Error(String(event?.kind));
    expect(event.status).toMatchObject({ messageId: 'wamid.OUT1', status: value, recipientId: USER_WA_ID, errors: [], pricing: { category: 'service' } });
    expect(event.status.conversation).toMatchObject({ id: 'CONVERSATION_ID' });
    expect(event.dedupeKey).toBe(`status:wamid.OUT1:${value}`);
  });

  it('parses a failed status with its error codes', () => {
    const errors = [{ code: 131047, title: 'Re-engagement message', message: 'Re-engagement message', error_data: { details: 'More than 24 hours have passed' } }];
    const [event] = events(statusesBody(status('wamid.OUT2', 'failed', { errors })));
    if (event?.kind !== 'status') throw new Error(String(event?.kind));
    expect(event.status.errors).toEqual([{ code: 131047, title: 'Re-engagement message', message: 'Re-engagement message', details: 'More than 24 hours have passed' }]);
  });
});

describe('parseWebhookBody: flows events', () => {
  it('parses ENDPOINT_LATENCY with entry time', () => {
    const [event] = events(flowsBody(endpointLatency, 1684969340));
    if (event?.kind !== 'flows') throw new Error(String(event?.kind));
    expect(event.source.time).toEqual(new Date(1684969340 * 1000));
    expect(event.flows).toMatchObject({ event: 'ENDPOINT_LATENCY', flowId: '691244242662581', p90Latency: 8000, p50Latency: 500, requestsCount: 34, threshold: 7000, alertState: 'ACTIVATED' });
  });

  it('parses status changes, error rates with normalised error types, availability and expiry warnings', () => {
    const parse = (value: unknown) => {
      const [event] = events(flowsBody(value));
      if (event?.kind !== 'flows') throw new Error(String(event?.kind));
      return event.flows;
    };
    expect(parse({ event: 'FLOW_STATUS_CHANGE', message: 'Flow X changed status from PUBLISHED to THROTTLED', flow_id: '1', old_status: 'PUBLISHED', new_status: 'THROTTLED' })).toMatchObject({
      oldStatus: 'PUBLISHED', newStatus: 'THROTTLED',
    });
    const rate = parse({ event: 'ENDPOINT_ERROR_RATE', flow_id: '2', error_rate: 30, threshold: 10, alert_state: 'ACTIVATED', errors: [{ error_type: 'PUBLIC-KEY-MISSING', error_rate: 20, error_count: 4 }, { error_type: 'TIMEOUT', error_rate: 10, error_count: 2 }] });
    expect(rate.errors).toEqual([{ errorType: 'public_key_missing', errorRate: 20, errorCount: 4 }, { errorType: 'timeout', errorRate: 10, errorCount: 2 }]);
    expect(rate.errorRate).toBe(30);
    expect(parse({ event: 'CLIENT_ERROR_RATE', flow_id: '3', error_rate: 7.5, threshold: 5, alert_state: 'DEACTIVATED', errors: [] })).toMatchObject({ errorRate: 7.5, alertState: 'DEACTIVATED' });
    expect(parse({ event: 'ENDPOINT_AVAILABILITY', flow_id: '4', availability: 85, threshold: 90, alert_state: 'ACTIVATED' })).toMatchObject({ availability: 85, threshold: 90 });
    expect(parse({ event: 'FLOW_VERSION_EXPIRY_WARNING', flow_id: '5', warning: 'Version 2.1 expires soon' })).toMatchObject({ warning: 'Version 2.1 expires soon', flowId: '5' });
  });

  it('keys flows events by content: key order does not matter, a different time does', () => {
    const reordered = Object.fromEntries(Object.entries(endpointLatency).reverse());
    const key = (body: string) => events(body)[0]?.dedupeKey;
    expect(key(flowsBody(reordered))).toBe(key(flowsBody(endpointLatency)));
    expect(key(flowsBody(endpointLatency, 1684969999))).not.toBe(key(flowsBody(endpointLatency)));
    expect(key(flowsBody(endpointLatency))).toMatch(/^flows:sha256:[0-9a-f]{64}$/);
  });
});

describe('parseWebhookBody: malformed and unknown input', () => {
  it('reports text that is not JSON', () => {
    expect(parseWebhookBody('{"object":')).toEqual({ ok: false, error: 'malformed_json' });
  });

  it.each([
    ['a JSON array', '[]', 'not a WhatsApp Business Account webhook envelope'],
    ['another object type', JSON.stringify({ object: 'page', entry: [] }), 'not a WhatsApp Business Account webhook envelope'],
    ['an envelope without events', JSON.stringify({ object: 'whatsapp_business_account', entry: [] }), 'envelope without events'],
    ['an unsubscribed field', JSON.stringify(envelope('account_update', { event: 'VERIFIED_ACCOUNT' })), 'field account_update'],
    ['a messages value with neither list', JSON.stringify(envelope('messages', { messaging_product: 'whatsapp', errors: [{ code: 1 }] })), 'messages change without messages[] or statuses[]'],
  ])('keeps %s as one unknown event', (_name, body, reason) => {
    const list = events(body);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ kind: 'unknown', reason });
    expect(list[0]?.dedupeKey).toMatch(/^unknown:/);
  });

  it('hashes over-long or non-ASCII ids into a bounded key', () => {
    const long = `wamid.${'x'.repeat(500)}`;
    const keys = events(messagesBody(inbound(long, 'text', { text: { body: 'a' } }), inbound('wamid.\u0000é', 'text', { text: { body: 'b' } }))).map((e) => e.dedupeKey);
    for (const key of keys) expect(key).toMatch(/^message:sha256:[0-9a-f]{64}$/);
    expect(new Set(keys).size).toBe(2);
  });

  it('keys a message without an id by its content', () => {
    const noId = { from: USER_WA_ID, type: 'text', text: { body: 'x' } };
    const [a] = events(JSON.stringify(envelope('messages', messagesValue([noId]))));
    const [b] = events(JSON.stringify(envelope('messages', messagesValue([{ ...noId, text: { body: 'y' } }]))));
    expect(a?.dedupeKey).toMatch(/^message:sha256:/);
    expect(a?.dedupeKey).not.toBe(b?.dedupeKey);
  });
});
