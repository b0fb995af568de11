import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AD_ID, entryCatalogue, fakeSender, KEYWORD, NOW } from '../../test/webhooks/entry-point-kit.js';
import type { EntryPointRepo } from '../store/repos/entry-point-repo.js';
import { parseInboundMessage, type InboundMessage } from '../whatsapp/webhook/inbound-message.js';
import { createEntryPoints, matchEntryPoint } from './entry-points.js';
import { normaliseKeyword } from './flow-catalogue.js';

const catalogue = entryCatalogue();
const textMessage = (body: unknown, extra: Record<string, unknown> = {}): InboundMessage =>
  parseInboundMessage({ from: '15550002222', id: 'wamid.P', timestamp: String(NOW.getTime() / 1000), type: 'text', text: { body }, ...extra }, []);

/** An in-memory stand-in of the repository (the real one is tested on both databases). */
function memoryStore(): Pick<EntryPointRepo, 'claimTrigger' | 'finishTrigger' | 'recordAttribution'> {
  const claimed = new Set<string>();
  return {
    claimTrigger: (t) => Promise.resolve(claimed.has(t.inboundMessageId) ? false : (claimed.add(t.inboundMessageId), true)),
    finishTrigger: () => Promise.resolve(),
    recordAttribution: () => Promise.resolve(true),
  };
}

/** The keyword with random letter case and whitespace around and between its words. */
const keywordVariant = fc
  .tuple(
    fc.array(fc.boolean(), { minLength: KEYWORD.length, maxLength: KEYWORD.length }),
    fc.constantFrom(' ', '  ', '\t', '\n', ' \u00a0 '),
    fc.constantFrom('', ' ', '\n', '\t '),
    fc.constantFrom('', ' ', '  \n'),
  )
  .map(([upper, gap, before, after]) => {
    const cased = [...KEYWORD].map((c, i) => (upper[i] ? c.toUpperCase() : c.toLowerCase())).join('');
    return `${before}${cased.replace(' ', gap)}${after}`;
  });

describe('matching inbound messages to entry points', () => {
  it('matches the keyword whatever its case and whitespace', () => {
    fc.assert(
      fc.property(keywordVariant, (body) => {
        expect(matchEntryPoint(catalogue, textMessage(body))).toMatchObject({ entry: 'keyword', keyword: KEYWORD, flow: { id: 'newsletter' } });
      }),
    );
  });

  it('matches no other text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (body) => {
        fc.pre(normaliseKeyword(body) !== normaliseKeyword(KEYWORD));
        expect(matchEntryPoint(catalogue, textMessage(body))).toBeUndefined();
      }),
    );
  });

  it('prefers a configured ad over a keyword text', () => {
    const match = matchEntryPoint(catalogue, textMessage(KEYWORD, { referral: { source_id: AD_ID, source_type: 'ad', ctwa_clid: 'c' } }));
    expect(match).toMatchObject({ entry: 'ad', flow: { id: 'booking' }, referral: { sourceId: AD_ID, ctwaClid: 'c' } });
  });

  it('never throws on arbitrary message objects, and sends only for a match', async () => {
    const keys = ['from', 'id', 'timestamp', 'type', 'text', 'referral', 'interactive', 'context'];
    const message = fc.dictionary(fc.constantFrom(...keys), fc.oneof(fc.jsonValue(), fc.constant(KEYWORD), fc.constant({ body: KEYWORD }), fc.constant({ source_id: AD_ID })));
    await fc.assert(
      fc.asyncProperty(message, async (raw) => {
        const parsed = parseInboundMessage(raw, []);
        const sender = fakeSender();
        const entryPoints = createEntryPoints({ catalogue, sender, store: memoryStore(), now: () => NOW, maxMessageAgeMs: Number.MAX_SAFE_INTEGER });
        const outcome = await entryPoints.handleInbound(parsed);
        const expected = matchEntryPoint(catalogue, parsed) !== undefined && parsed.id !== undefined && parsed.from !== undefined;
        expect(outcome).toBe(expected ? 'sent' : 'no_entry');
        expect(sender.calls).toHaveLength(expected ? 1 : 0);
      }),
    );
  });
});
