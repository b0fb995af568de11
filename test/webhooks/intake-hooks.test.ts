/**
 * The webhook intake's hooks: `onInbound` (every inbound message, once per
 * stored event) and `checkCompletion` (an nfm_reply refused by the answer
 * check never becomes a submission).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompletionCheck } from '../../src/services/completion-check.js';
import type { CompletionCheckHook, CompletionCheckHookInput, InboundHandler } from '../../src/services/webhook-intake.js';
import type { InboundMessage } from '../../src/whatsapp/webhook/inbound-message.js';
import type { ChangeSource } from '../../src/whatsapp/webhook/webhook-event.js';
import { endpointLatency, flowsBody, inbound, messagesBody, nfmReply, PHONE_NUMBER_ID, status, statusesBody, USER_WA_ID } from './payloads.js';
import { openHarness, type Harness } from './webhook-harness.js';

// H8's check must plug into the hook as it is.
const _plugs: (check: CompletionCheck) => CompletionCheckHook = (check) => check;

const text = (id: string, body: string) => inbound(id, 'text', { text: { body } });

function recorder(): InboundHandler & { seen: { id: string | undefined; type: string; phoneNumberId: string | undefined }[] } {
  const seen: { id: string | undefined; type: string; phoneNumberId: string | undefined }[] = [];
  const handler = (message: InboundMessage, source: ChangeSource) => {
    seen.push({ id: message.id, type: message.content.type, phoneNumberId: source.phoneNumberId });
    return Promise.resolve();
  };
  return Object.assign(handler, { seen });
}

describe.each(['sqlite', 'postgres'] as const)('onInbound on %s', (dialect) => {
  let h: Harness;
  const first = recorder();
  const second = recorder();
  beforeAll(async () => {
    h = await openHarness(dialect, { wrap: (deps) => ({ ...deps, onInbound: [first, second] }) });
  });
  afterAll(async () => {
    await h.close();
  });

  it('calls every handler once per stored message, whatever the number of deliveries, and not for statuses or flows events', async () => {
    const session = await h.sessions.issue({ flowId: 'f', contactPhone: USER_WA_ID });
    const body = messagesBody(text('wamid.I1', 'hi'), nfmReply('wamid.I2', { flow_token: session.flowToken }), inbound('wamid.I3', 'image', { image: { id: '7' } }));
    await Promise.all(Array.from({ length: 5 }, () => h.post(body)));
    await h.post(statusesBody(status('wamid.OUT', 'delivered')));
    await h.post(flowsBody(endpointLatency));
    await h.intake.drain();
    const expected = [
      { id: 'wamid.I1', type: 'text', phoneNumberId: PHONE_NUMBER_ID },
      { id: 'wamid.I2', type: 'nfm_reply', phoneNumberId: PHONE_NUMBER_ID },
      { id: 'wamid.I3', type: 'image', phoneNumberId: PHONE_NUMBER_ID },
    ];
    expect([...first.seen].sort((a, b) => String(a.id).localeCompare(String(b.id)))).toEqual(expected);
    expect(second.seen).toHaveLength(3);
    const outcomes = h.intakeLog.lines.filter((l) => l.msg === 'webhook event processed').map((l) => (l.obj as { outcome: string }).outcome);
    expect(outcomes.filter((o) => o === 'message_forwarded')).toHaveLength(2);
    expect((await h.sessionRepo.getSession(session.flowToken))?.status).toBe('completed');
  });
});

describe('onInbound failures (sqlite)', () => {
  it('runs the other handlers, keeps the event, and calls them again on processPending', async () => {
    let failing = true;
    const later = recorder();
    const flaky: InboundHandler = () => (failing ? Promise.reject(new Error('conversation store down')) : Promise.resolve());
    const h = await openHarness('sqlite', { wrap: (deps) => ({ ...deps, onInbound: [flaky, later] }) });
    try {
      await h.post(messagesBody(text('wamid.FL1', 'hello')));
      await h.intake.drain();
      expect(later.seen.map((s) => s.id)).toEqual(['wamid.FL1']);
      expect((await h.events.listUnprocessed(10)).map((e) => e.dedupeKey)).toEqual(['message:wamid.FL1']);
      failing = false;
      expect(await h.intake.processPending()).toEqual({ processed: 1, failed: 0 });
      expect(later.seen.map((s) => s.id)).toEqual(['wamid.FL1', 'wamid.FL1']);
    } finally {
      await h.close();
    }
  });
});

describe.each(['sqlite', 'postgres'] as const)('checkCompletion on %s', (dialect) => {
  let h: Harness;
  const checked: CompletionCheckHookInput[] = [];
  let throwing = false;
  const check: CompletionCheckHook = (input) => {
    checked.push(input);
    if (throwing) return Promise.reject(new Error('catalogue not loaded'));
    const answers = JSON.parse(input.responseJson) as Record<string, unknown>;
    return Promise.resolve(typeof answers['email'] === 'string' && answers['email'].includes('@') ? { ok: true } : { ok: false, problems: ['Email: must be an email address'] });
  };
  beforeAll(async () => {
    h = await openHarness(dialect, { wrap: (deps) => ({ ...deps, checkCompletion: check }) });
  });
  afterAll(async () => {
    await h.close();
  });

  it('refuses a completion the check rejects: no submission, session still open, event kept, problems logged without answers', async () => {
    const session = await h.sessions.issue({ flowId: 'f', contactPhone: USER_WA_ID });
    const response = { flow_token: session.flowToken, email: 'not-an-address-7731' };
    await h.post(messagesBody(nfmReply('wamid.BAD', response)));
    await h.intake.drain();
    expect(checked.at(-1)).toEqual({ flowToken: session.flowToken, responseJson: JSON.stringify(response) });
    expect(await h.sessionRepo.getSubmission(session.flowToken)).toBeUndefined();
    expect((await h.sessionRepo.getSession(session.flowToken))?.status).toBe('open');
    const processed = h.intakeLog.lines.filter((l) => l.msg === 'webhook event processed').map((l) => (l.obj as { outcome: string }).outcome);
    expect(processed).toContain('invalid_completion');
    const refused = h.intakeLog.lines.find((l) => l.msg.startsWith('flow completion refused'));
    expect(refused?.obj).toEqual({ messageId: 'wamid.BAD', problems: ['Email: must be an email address'], problemCount: 1 });
    const logged = JSON.stringify(h.intakeLog.lines);
    expect(logged).not.toContain('not-an-address-7731');
    expect(logged).not.toContain(session.flowToken);
    const rows = await h.db.store.db.selectFrom('webhook_events').select(['raw_body', 'processed_at']).where('dedupe_key', '=', 'message:wamid.BAD').execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.raw_body).toContain('not-an-address-7731');
    expect(rows[0]?.processed_at).not.toBeNull();
  });

  it('turns an accepted completion into the one submission', async () => {
    const session = await h.sessions.issue({ flowId: 'f', contactPhone: USER_WA_ID });
    await h.post(messagesBody(nfmReply('wamid.GOOD', { flow_token: session.flowToken, email: 'ann@example.com' })));
    await h.intake.drain();
    expect(await h.sessionRepo.getSubmission(session.flowToken)).toBeDefined();
  });

  it('keeps the event for a retry when the check itself fails', async () => {
    const session = await h.sessions.issue({ flowId: 'f', contactPhone: USER_WA_ID });
    throwing = true;
    await h.post(messagesBody(nfmReply('wamid.CHK', { flow_token: session.flowToken, email: 'ann@example.com' })));
    await h.intake.drain();
    expect((await h.events.listUnprocessed(10)).map((e) => e.dedupeKey)).toEqual(['message:wamid.CHK']);
    throwing = false;
    expect(await h.intake.processPending()).toEqual({ processed: 1, failed: 0 });
    expect(await h.sessionRepo.getSubmission(session.flowToken)).toBeDefined();
  });
});

void _plugs;
