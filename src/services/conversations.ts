/**
 * The 24-hour customer-service window per contact (Meta, "Customer service
 * windows"): a business may send free-form messages — the interactive flow
 * message among them — only within 24 hours of the user's last message;
 * outside it only templates (error 131047). Webhook intake calls
 * {@link ConversationService.recordInbound} for every inbound user message
 * (its `onInbound` hook); the flow sender asks
 * {@link ConversationService.isWindowOpen}.
 * @module
 */
import { AppError } from '../core/errors.js';
import type { ConversationRepo } from '../store/repos/conversation-repo.js';
import type { InboundMessage as WebhookInboundMessage } from '../whatsapp/webhook/inbound-message.js';

/** The customer-service window: 24 hours after the user's last message. */
export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

/** One inbound user message, as webhook intake knows it. */
export interface InboundMessage {
  /** The sender's WhatsApp id (`messages[].from`, digits). */
  readonly waId: string;
  readonly messageId?: string | undefined;
  /** The message's `timestamp`: a Date, ms since epoch, or Meta's Unix seconds as a string. */
  readonly timestamp: Date | number | string;
}

/** Conversation state; see the module comment. */
export interface ConversationService {
  /** Remember an inbound message (idempotent; an older message than the one stored changes nothing). */
  recordInbound(message: InboundMessage): Promise<void>;
  /** True when the contact wrote within the last 24 hours before `now`. */
  isWindowOpen(waId: string, now?: Date): Promise<boolean>;
}

/** Meta's `timestamp` is Unix seconds as a string; numbers here are ms since epoch. */
export function inboundTime(timestamp: Date | number | string): Date {
  const ms = timestamp instanceof Date ? timestamp.getTime() : typeof timestamp === 'number' ? timestamp : /^\d{1,12}$/.test(timestamp) ? Number(timestamp) * 1000 : Date.parse(timestamp);
  if (!Number.isFinite(ms)) throw new AppError('USAGE_INVALID', `Inbound message timestamp "${String(timestamp)}" is not a time: expected Unix seconds (as in the webhook), ms since epoch or an ISO date.`);
  return new Date(ms);
}

/** The service over a conversation store. */
export function createConversationService(repo: Pick<ConversationRepo, 'recordInbound' | 'get'>, options: { now?: () => Date } = {}): ConversationService {
  const clock = options.now ?? (() => new Date());
  return {
    async recordInbound(message) {
      if (!/^\d{5,20}$/.test(message.waId)) throw new AppError('USAGE_INVALID', `Inbound message sender "${message.waId}" is not a WhatsApp id (digits only).`);
      await repo.recordInbound({ waId: message.waId, messageId: message.messageId, at: inboundTime(message.timestamp) });
    },
    async isWindowOpen(waId, now = clock()) {
      const state = await repo.get(waId);
      return state !== undefined && now.getTime() - state.lastInboundAt.getTime() < SERVICE_WINDOW_MS;
    },
  };
}

/**
 * The webhook intake's `onInbound` handler: records each parsed inbound
 * message. A message without a sender or timestamp (or with a sender that
 * is not a WhatsApp id) tells nothing about the window and is skipped, not
 * an error, so the event is not retried for it.
 */
export function recordInboundHandler(service: Pick<ConversationService, 'recordInbound'>): (message: WebhookInboundMessage) => Promise<void> {
  return async (message) => {
    const waId = message.from ?? message.sender?.waId;
    if (waId === undefined || message.timestamp === undefined || !/^\d{5,20}$/.test(waId)) return;
    await service.recordInbound({ waId, messageId: message.id, timestamp: message.timestamp });
  };
}
