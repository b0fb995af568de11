/**
 * `POST /{PHONE_NUMBER_ID}/messages` (spec §5; Meta, "Messages"): checks the
 * envelope and content, then the sending limits in Meta's order —
 * throughput (130429), pair rate (131056), the 24-hour customer-service
 * window for free-form messages (131047) — records the accepted send with a
 * fresh wamid and tells subscribers, so virtual phones can receive it.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { isObject } from '../core/flow/json.js';
import type { EmulatorContext, RouteReply } from './emulator-context.js';
import type { SentFlow, SentMessage } from './emulator-state.js';
import type { EmulatorRequest } from './emulator-request.js';
import { GraphFault, fault } from './graph-fault.js';
import { checkInteractiveFlow, checkTemplate } from './message-checks.js';

/** The customer-service window: 24 hours after the user's last message. */
export const SERVICE_WINDOW_MS = 24 * 3600 * 1000;

const MESSAGE_TYPES = ['interactive', 'template', 'text'] as const;

/**
 * A fresh message id shaped like Meta's: `wamid.` + base64 of a small binary
 * record holding the recipient's number and a random 18-character id. Opaque
 * to every consumer.
 */
export function newWamid(waId: string): string {
  const phone = Buffer.from(waId, 'utf8');
  const id = Buffer.from(randomBytes(9).toString('hex').toUpperCase(), 'utf8');
  const record = Buffer.concat([Buffer.from([0x1c, 0x18, phone.length]), phone, Buffer.from([0x15, 0x02, 0x00, 0x11, 0x18, id.length]), id, Buffer.from([0x00])]);
  return `wamid.${record.toString('base64')}`;
}

/** `to` as Meta normalises it: digits only, 8–15 of them (E.164 without `+`). */
function normaliseRecipient(to: unknown): string {
  if (to === undefined) throw fault.missing('to');
  if (typeof to !== 'string') throw fault.badValue('to must be a string.');
  const digits = to.replace(/[\s()+-]/g, '');
  if (!/^\d{8,15}$/.test(digits)) throw fault.badValue(`Invalid recipient phone number "${to}".`);
  return digits;
}

/** True when the user wrote within the last 24 hours. */
export function windowOpen(ctx: EmulatorContext, waId: string): boolean {
  const last = ctx.state.lastInbound.get(waId);
  return last !== undefined && ctx.now() - last < SERVICE_WINDOW_MS;
}

/** Handle a send for the phone number `phoneNumberId`. */
export function sendMessageRoute(ctx: EmulatorContext, req: EmulatorRequest, phoneNumberId: string): RouteReply {
  if (!req.isJson) throw fault.invalid('The messages endpoint takes a JSON body (Content-Type: application/json).');
  const body = req.fields;
  if (body.messaging_product === undefined) throw fault.invalid('The parameter messaging_product is required.');
  if (body.messaging_product !== 'whatsapp') throw fault.invalid('messaging_product must be "whatsapp".');
  if (body.recipient_type !== undefined && body.recipient_type !== 'individual') throw fault.invalid('recipient_type must be "individual".');
  const waId = normaliseRecipient(body.to);
  const type = body.type ?? 'text';
  if (typeof type !== 'string' || !(MESSAGE_TYPES as readonly string[]).includes(type)) throw fault.invalid(`Param type must be one of ${MESSAGE_TYPES.join(', ')} in the emulator.`);
  let flow: SentFlow | undefined;
  let template: { name: string; language: string } | undefined;
  if (type === 'interactive') flow = checkInteractiveFlow(ctx, body.interactive);
  else if (type === 'template') {
    const checked = checkTemplate(ctx, body.template);
    flow = checked.flow;
    template = { name: checked.name, language: checked.language };
  } else {
    const t = isObject(body.text) ? body.text.body : undefined;
    if (typeof t !== 'string' || t.length === 0 || t.length > 4096) throw fault.badValue('text.body must be a string of 1 to 4096 characters.');
  }
  const now = ctx.now();
  if (!ctx.throughput.allows(now)) {
    throw new GraphFault({ httpStatus: 429, code: 130429, title: 'Rate limit hit', details: `Cloud API message throughput has been reached (${ctx.options.mps} messages per second).` });
  }
  if (!ctx.pair.allows(waId, now)) {
    throw new GraphFault({ httpStatus: 429, code: 131056, title: '(Business Account, Consumer Account) pair rate limit hit', details: 'Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.' });
  }
  let failure: SentMessage['failure'];
  if (type !== 'template' && !windowOpen(ctx, waId)) {
    const details = 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.';
    if (ctx.options.windowErrors === 'response') throw new GraphFault({ code: 131047, title: 'Re-engagement message', details });
    failure = { code: 131047, title: 'Re-engagement message', details };
  }
  ctx.throughput.record(now);
  ctx.pair.record(waId, now);
  const wamid = newWamid(waId);
  const message: SentMessage = { wamid, phoneNumberId, to: String(body.to), waId, type: type as SentMessage['type'], request: body, at: now, flow, template, failure };
  ctx.state.messages.push(message);
  ctx.emit(message);
  return {
    body: {
      messaging_product: 'whatsapp',
      contacts: [{ input: String(body.to), wa_id: waId }],
      messages: [{ id: wamid, ...(type === 'template' && { message_status: 'accepted' }) }],
    },
  };
}
