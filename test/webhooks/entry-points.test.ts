/**
 * Keyword and click-to-WhatsApp ad entry points end to end through the real
 * webhook route, intake and store (both dialects), with a recording fake of
 * the FlowSender contract.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEntryPoints, type EntryPoints } from '../../src/services/entry-points.js';
import { createEntryPointRepo, type EntryPointRepo } from '../../src/store/repos/entry-point-repo.js';
import { GraphError } from '../../src/whatsapp/graph/graph-error.js';
import { parseWebhookBody } from '../../src/whatsapp/webhook/parse-webhook-body.js';
import type { InboundMessage } from '../../src/whatsapp/webhook/inbound-message.js';
import { AD_ID, entryCatalogue, fakeSender, NOW, type FakeSender } from './entry-point-kit.js';
import { inbound, messagesBody, USER_WA_ID } from './payloads.js';
import { memoryLog, openHarness, type Harness } from './webhook-harness.js';

const text = (id: string, body: string, extra: Record<string, unknown> = {}) => ({ ...inbound(id, 'text', { text: { body } }), ...extra });
const referral = { source_url: 'https://fb.me/3cr4Wqqkf', source_id: AD_ID, source_type: 'ad', headline: 'Book a table', body: 'Tonight only', media_type: 'image', image_url: 'https://x/img.jpg', ctwa_clid: 'ARAkLkA8rmlFeiCktEJQ' };

/** The one inbound message of a body, parsed as the intake sees it. */
function parsed(body: string): InboundMessage {
  const result = parseWebhookBody(body);
  if (!result.ok || result.events[0]?.kind !== 'message') throw new Error('not a message body');
  return result.events[0].message;
}

interface Setup {
  readonly h: Harness;
  readonly sender: FakeSender;
  readonly repo: EntryPointRepo;
  readonly entryPoints: EntryPoints;
  readonly log: ReturnType<typeof memoryLog>;
}

async function setup(dialect: 'sqlite' | 'postgres'): Promise<Setup> {
  const sender = fakeSender();
  const log = memoryLog();
  const ready: { entryPoints?: EntryPoints } = {};
  const h = await openHarness(dialect, {
    wrap: (deps) => ({ ...deps, onInbound: (message) => ready.entryPoints!.handleInbound(message) }),
  });
  const repo = createEntryPointRepo(h.db.store.db);
  const entryPoints = createEntryPoints({ catalogue: entryCatalogue(), sender, store: repo, log, now: () => NOW });
  ready.entryPoints = entryPoints;
  return { h, sender, repo, entryPoints, log };
}

describe.each(['sqlite', 'postgres'] as const)('entry points through webhook intake on %s', (dialect) => {
  let s: Setup;
  beforeAll(async () => {
    s = await setup(dialect);
  });
  afterAll(async () => {
    await s.h.close();
  });

  it('answers a keyword (any case, extra whitespace) with the flow, replying to the message, once for 5 concurrent deliveries', async () => {
    const body = messagesBody(text('wamid.KW1', '  join   NEWS \n'));
    const answers = await Promise.all(Array.from({ length: 5 }, () => s.h.post(body)));
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200, 200]);
    await s.h.intake.drain();
    const calls = s.sender.calls.filter((c) => c.replyTo === 'wamid.KW1');
    expect(calls).toEqual([{ flowId: 'newsletter', to: USER_WA_ID, entry: 'keyword', mode: 'interactive', replyTo: 'wamid.KW1', idempotencyKey: 'wamid.KW1' }]);
    const trigger = await s.repo.getTrigger('wamid.KW1');
    expect(trigger).toMatchObject({ state: 'sent', flowId: 'newsletter', entry: 'keyword' });
    expect(await s.repo.getAttribution(trigger!.flowToken!)).toMatchObject({ entry: 'keyword', keyword: 'Join News', inboundMessageId: 'wamid.KW1', waId: USER_WA_ID, adId: undefined });
  });

  it('sends once when the same message is handled 5 times concurrently outside the intake (two instances, processPending)', async () => {
    const message = parsed(messagesBody(text('wamid.KW2', 'Join News')));
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => s.entryPoints.handleInbound(message)));
    expect(outcomes.filter((o) => o === 'sent')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'already_handled')).toHaveLength(4);
    expect(s.sender.calls.filter((c) => c.replyTo === 'wamid.KW2')).toHaveLength(1);
  });

  it('does not send again when an already handled event is processed again after a crash', async () => {
    await s.h.post(messagesBody(text('wamid.KW3', 'join news')));
    await s.h.intake.drain();
    await s.h.db.store.db.updateTable('webhook_events').set({ processed_at: null }).where('dedupe_key', '=', 'message:wamid.KW3').execute();
    expect(await s.h.intake.processPending()).toEqual({ processed: 1, failed: 0 });
    expect(s.sender.calls.filter((c) => c.replyTo === 'wamid.KW3')).toHaveLength(1);
  });

  it('answers a click-to-WhatsApp referral of a configured ad with its flow and stores the attribution', async () => {
    await s.h.post(messagesBody(text('wamid.AD1', 'Hi! Can I book?', { referral })));
    await s.h.intake.drain();
    const call = s.sender.calls.find((c) => c.replyTo === 'wamid.AD1');
    expect(call).toEqual({
      flowId: 'booking', to: USER_WA_ID, entry: 'ad', mode: 'interactive', replyTo: 'wamid.AD1', idempotencyKey: 'wamid.AD1',
      attribution: { adId: AD_ID, ctwaClid: referral.ctwa_clid, sourceUrl: referral.source_url },
    });
    const [stored] = await s.repo.listAttributions({ adId: AD_ID });
    expect(stored).toMatchObject({ flowId: 'booking', entry: 'ad', adId: AD_ID, ctwaClid: referral.ctwa_clid, sourceType: 'ad', sourceUrl: referral.source_url, headline: 'Book a table', inboundMessageId: 'wamid.AD1', keyword: undefined });
    expect((await s.repo.getTrigger('wamid.AD1'))?.flowToken).toBe(stored!.flowToken);
  });

  it('ignores unknown keywords, unknown ads without a keyword, non-text messages and messages without a sender', async () => {
    const before = s.sender.calls.length;
    await s.h.post(messagesBody(
      text('wamid.N1', 'Join News please'),
      text('wamid.N2', 'hello', { referral: { ...referral, source_id: '999' } }),
      inbound('wamid.N3', 'image', { image: { id: '1', mime_type: 'image/jpeg', caption: 'Join News' } }),
      inbound('wamid.N4', 'interactive', { interactive: { type: 'button_reply', button_reply: { id: 'x', title: 'Join News' } } }),
      { id: 'wamid.N5', timestamp: '1702502473', type: 'text', text: { body: 'Join News' } },
      text('wamid.N6', 'quiet'),
    ));
    await s.h.intake.drain();
    expect(s.sender.calls.length).toBe(before);
    expect(await s.repo.getTrigger('wamid.N1')).toBeUndefined();
  });

  it('answers an unknown ad whose pre-filled text is a keyword with the keyword flow, keeping the referral', async () => {
    await s.h.post(messagesBody(text('wamid.AD2', 'Join News', { referral: { ...referral, source_id: '555' } })));
    await s.h.intake.drain();
    const call = s.sender.calls.find((c) => c.replyTo === 'wamid.AD2');
    expect(call).toMatchObject({ flowId: 'newsletter', entry: 'keyword' });
    expect(call?.attribution).toBeUndefined();
    const trigger = await s.repo.getTrigger('wamid.AD2');
    expect(await s.repo.getAttribution(trigger!.flowToken!)).toMatchObject({ entry: 'keyword', adId: undefined, ctwaClid: referral.ctwa_clid, sourceUrl: referral.source_url });
  });
});

describe('entry point failures (sqlite)', () => {
  let s: Setup;
  beforeAll(async () => {
    s = await setup('sqlite');
  });
  afterAll(async () => {
    await s.h.close();
  });

  it('keeps the event for a retry after a transient failure, then sends once', async () => {
    s.sender.behaviour = (input) => (input.replyTo === 'wamid.T1' ? 'throw' : undefined);
    await s.h.post(messagesBody(text('wamid.T1', 'Join News')));
    await s.h.intake.drain();
    expect((await s.h.events.listUnprocessed(10)).map((e) => e.dedupeKey)).toEqual(['message:wamid.T1']);
    expect((await s.repo.getTrigger('wamid.T1'))?.state).toBe('failed');

    const busy = new GraphError({ httpStatus: 429, envelope: { message: 'Too many', code: 130429 } });
    s.sender.behaviour = (input) => (input.replyTo === 'wamid.T1' ? { ok: false, code: 'graph_error', message: busy.userMessage, graphError: busy } : undefined);
    expect(await s.h.intake.processPending()).toEqual({ processed: 0, failed: 1 });

    s.sender.behaviour = undefined;
    expect(await s.h.intake.processPending()).toEqual({ processed: 1, failed: 0 });
    expect(s.sender.delivered.filter((c) => c.replyTo === 'wamid.T1')).toHaveLength(1);
    expect(await s.repo.getTrigger('wamid.T1')).toMatchObject({ state: 'sent', attempts: 3 });
  });

  it('records a permanent refusal once, logs it without the phone number, and never retries it', async () => {
    s.sender.behaviour = () => ({ ok: false, code: 'not_published', message: 'Flow "newsletter" is not published. Fix: run flowbridge publish.' });
    await s.h.post(messagesBody(text('wamid.P1', 'Join News')));
    await s.h.intake.drain();
    s.sender.behaviour = undefined;
    expect(await s.h.events.listUnprocessed(10)).toEqual([]);
    expect(await s.repo.getTrigger('wamid.P1')).toMatchObject({ state: 'refused', errorCode: 'not_published' });
    const line = s.log.lines.find((l) => l.msg === 'entry point: flow not sent');
    expect(line?.obj).toMatchObject({ flowId: 'newsletter', code: 'not_published', messageId: 'wamid.P1' });
    expect(JSON.stringify(s.log.lines)).not.toContain(USER_WA_ID);
    expect(await s.entryPoints.handleInbound(parsed(messagesBody(text('wamid.P1', 'Join News'))))).toBe('already_handled');
  });

  it('does not answer a keyword written more than 24 hours ago (a webhook retried days later)', async () => {
    const late = createEntryPoints({ catalogue: entryCatalogue(), sender: s.sender, store: s.repo, now: () => new Date(NOW.getTime() + 25 * 3600_000) });
    expect(await late.handleInbound(parsed(messagesBody(text('wamid.OLD', 'Join News'))))).toBe('too_old');
    expect(s.sender.calls.some((c) => c.replyTo === 'wamid.OLD')).toBe(false);
  });
});
