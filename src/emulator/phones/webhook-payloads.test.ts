import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseWebhookBody } from '../../whatsapp/webhook/parse-webhook-body.js';
import type { WebhookEvent } from '../../whatsapp/webhook/webhook-event.js';
import { flowStatusBody, inboundTextBody, nfmReplyBody, statusBody, unixSeconds, type OutboundStatus, type WebhookAccount } from './webhook-payloads.js';

const account: WebhookAccount = { wabaId: '102290129340398', phoneNumberId: '106540352242922', displayPhoneNumber: '15550001111' };
const waId = fc.stringMatching(/^[1-9]\d{7,14}$/);
const at = fc.integer({ min: 1_600_000_000_000, max: 2_000_000_000_000 });

function events(body: unknown): readonly WebhookEvent[] {
  const parsed = parseWebhookBody(JSON.stringify(body));
  if (!parsed.ok) throw new Error('not parseable');
  return parsed.events;
}

describe('webhook payloads of the virtual phones (spec §6)', () => {
  it('wrap each change in the whatsapp_business_account envelope with the number\'s metadata', () => {
    const body = statusBody(account, { wamid: 'wamid.X', waId: '15551230001', status: 'sent', at: 1_702_502_480_000, category: 'utility', conversationId: 'c1' });
    expect(body).toEqual({
      object: 'whatsapp_business_account',
      entry: [{ id: account.wabaId, changes: [{ field: 'messages', value: {
        messaging_product: 'whatsapp',
        metadata: { display_phone_number: '15550001111', phone_number_id: '106540352242922' },
        statuses: [{
          id: 'wamid.X', status: 'sent', timestamp: '1702502480', recipient_id: '15551230001',
          conversation: { id: 'c1', expiration_timestamp: '1702588880', origin: { type: 'utility' } },
          pricing: { billable: true, pricing_model: 'CBP', category: 'utility' },
        }],
      } }] }],
    });
  });

  it('put errors on failed statuses and no conversation on read ones', () => {
    const failed = statusBody(account, { wamid: 'w', waId: '15551230001', status: 'failed', at: 0, category: 'service', conversationId: 'c', failure: { code: 131026, title: 'Message undeliverable', details: 'old client' } });
    const s = (failed.entry as any)[0].changes[0].value.statuses[0];
    expect(s.errors).toEqual([{ code: 131026, title: 'Message undeliverable', message: 'Message undeliverable', error_data: { details: 'old client' } }]);
    expect(s.conversation).toBeUndefined();
    const read = statusBody(account, { wamid: 'w', waId: '15551230001', status: 'read', at: 0, category: 'service', conversationId: 'c' });
    expect(Object.keys((read.entry as any)[0].changes[0].value.statuses[0]).sort()).toEqual(['id', 'recipient_id', 'status', 'timestamp']);
  });

  it('statuses of any phone, time and kind parse back into the same status event', () => {
    fc.assert(fc.property(waId, at, fc.constantFrom<OutboundStatus>('sent', 'delivered', 'read', 'failed'), fc.string({ minLength: 1, maxLength: 40 }), (id, ms, status, wamid) => {
      const [event] = events(statusBody(account, { wamid, waId: id, status, at: ms, category: 'marketing', conversationId: 'c', failure: { code: 131047, title: 't', details: 'd' } }));
      expect(event?.kind).toBe('status');
      if (event?.kind !== 'status') return;
      expect(event.status).toMatchObject({ messageId: wamid, status, recipientId: id });
      expect(event.status.timestamp?.getTime()).toBe(Number(unixSeconds(ms)) * 1000);
      expect(event.status.errors.length).toBe(status === 'failed' ? 1 : 0);
    }));
  });

  it('any response_json parses back from the nfm_reply, flow_token and context id included', () => {
    const response = fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 6 });
    fc.assert(fc.property(waId, at, response, fc.string({ minLength: 1, maxLength: 60 }), (id, ms, extra, token) => {
      const answers = { ...extra, flow_token: token };
      const [event] = events(nfmReplyBody(account, { waId: id, profileName: 'Ann', flowMessageId: 'wamid.FLOW', response: answers, at: ms }));
      if (event?.kind !== 'message' || event.message.content.type !== 'nfm_reply') throw new Error('no nfm_reply');
      expect(event.message.from).toBe(id);
      expect(event.message.context?.id).toBe('wamid.FLOW');
      expect(event.message.content.reply.flowToken).toBe(token);
      expect(JSON.parse(event.message.content.reply.responseJson!)).toEqual(JSON.parse(JSON.stringify(answers)));
    }));
  });

  it('inbound texts carry their body, sender and, from an ad, the referral', () => {
    fc.assert(fc.property(waId, fc.string({ minLength: 1, maxLength: 200 }), fc.option(fc.stringMatching(/^\d{6,18}$/), { nil: undefined }), (id, text, ad) => {
      const [event] = events(inboundTextBody(account, { waId: id, profileName: 'Ann', text, at: 1_702_502_473_000, messageId: 'wamid.IN', ...(ad && { referral: { sourceId: ad, ctwaClid: 'clid' } }) }));
      if (event?.kind !== 'message') throw new Error('no message');
      expect(event.message.content).toEqual({ type: 'text', body: text });
      expect(event.message.sender).toMatchObject({ waId: id, name: 'Ann' });
      if (ad === undefined) expect(event.message.referral).toBeUndefined();
      else expect(event.message.referral).toMatchObject({ sourceId: ad, sourceType: 'ad', ctwaClid: 'clid' });
    }));
  });

  it('flow status changes are flows-field events with entry time, old status absent at creation', () => {
    const created = flowStatusBody(account, { flowId: '123', flowName: 'Survey', oldStatus: undefined, newStatus: 'DRAFT', at: 1_684_969_340_000 });
    expect(created).toEqual({ object: 'whatsapp_business_account', entry: [{ id: account.wabaId, time: 1_684_969_340, changes: [{ field: 'flows', value: { event: 'FLOW_STATUS_CHANGE', message: 'Flow Survey has been created with status DRAFT', flow_id: '123', new_status: 'DRAFT' } }] }] });
    const [event] = events(flowStatusBody(account, { flowId: '123', flowName: 'Survey', oldStatus: 'DRAFT', newStatus: 'PUBLISHED', at: 1_684_969_340_000 }));
    if (event?.kind !== 'flows') throw new Error('no flows event');
    expect(event.flows).toMatchObject({ event: 'FLOW_STATUS_CHANGE', flowId: '123', newStatus: 'PUBLISHED' });
    expect(event.source.time?.getTime()).toBe(1_684_969_340_000);
  });
});
