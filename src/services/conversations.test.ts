import { describe, expect, it } from 'vitest';
import type { ConversationState, InboundRecord } from '../store/repos/conversation-repo.js';
import { createConversationService, inboundTime, recordInboundHandler } from './conversations.js';
import type { InboundMessage } from '../whatsapp/webhook/inbound-message.js';

/** An in-memory store with the repo's keep-the-latest rule. */
function memoryRepo() {
  const rows = new Map<string, ConversationState>();
  return {
    recordInbound: (r: InboundRecord) => {
      const old = rows.get(r.waId);
      if (old === undefined || old.lastInboundAt < r.at) rows.set(r.waId, { waId: r.waId, lastInboundAt: r.at, lastMessageId: r.messageId ?? null });
      return Promise.resolve();
    },
    get: (waId: string) => Promise.resolve(rows.get(waId)),
  };
}

describe('conversations', () => {
  it('reads Meta\'s Unix-seconds timestamps, ms and ISO dates; refuses anything else', () => {
    expect(inboundTime('1767225600').toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(inboundTime(1767225600000).toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(inboundTime('2026-01-01T00:00:00Z').toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(() => inboundTime('yesterday')).toThrow(/not a time/);
  });

  it('opens the window for exactly 24 hours after the last inbound message', async () => {
    const service = createConversationService(memoryRepo());
    await service.recordInbound({ waId: '31612345678', messageId: 'wamid.1', timestamp: '1767225600' });
    const at = (h: number) => new Date(Date.parse('2026-01-01T00:00:00Z') + h * 3600_000);
    expect(await service.isWindowOpen('31612345678', at(0))).toBe(true);
    expect(await service.isWindowOpen('31612345678', at(23.99))).toBe(true);
    expect(await service.isWindowOpen('31612345678', at(24))).toBe(false);
    expect(await service.isWindowOpen('4915123456789', at(1))).toBe(false);
  });

  it('refuses a sender that is not a WhatsApp id', async () => {
    await expect(createConversationService(memoryRepo()).recordInbound({ waId: '+31 6', timestamp: 1 })).rejects.toThrow(/WhatsApp id/);
  });

  it('records parsed webhook messages through the onInbound handler and skips ones without sender or time', async () => {
    const service = createConversationService(memoryRepo());
    const handler = recordInboundHandler(service);
    const base = { id: 'wamid.A', sender: undefined, context: undefined, referral: undefined, errors: [], content: { type: 'text', text: 'hi' } } as unknown as InboundMessage;
    await handler({ ...base, from: '31612345678', timestamp: new Date('2026-01-01T00:00:00Z') });
    await handler({ ...base, from: undefined, timestamp: new Date('2026-01-01T00:00:00Z') });
    await handler({ ...base, from: '4915123456789', timestamp: undefined });
    await handler({ ...base, from: 'not-an-id', timestamp: new Date() });
    expect(await service.isWindowOpen('31612345678', new Date('2026-01-01T01:00:00Z'))).toBe(true);
    expect(await service.isWindowOpen('4915123456789', new Date('2026-01-01T01:00:00Z'))).toBe(false);
  });
});
