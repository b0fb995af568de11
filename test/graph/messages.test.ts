import { describe, it, expect, afterEach } from 'vitest';
import type { SentMessage } from '../../src/emulator/emulator-state.js';
import { isGraphError, type GraphError } from '../../src/whatsapp/graph/graph-error.js';
import { publishedFlow, rejection, simpleFlowJson, startHarness, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h.close();
});

const USER = '15551230001';
const flowMessage = (flowId: string, to = USER) => ({ to, flow: { id: flowId }, cta: 'Open', body: 'Please fill this in', flowToken: `tok-${to}` });
const template = (flowId: string, name = 'book_table') => ({ name, language: 'en_US', category: 'MARKETING' as const, body: 'Hello {{1}}, book a table', flowButton: { text: 'Book now', flow: { id: flowId }, navigateScreen: 'WELCOME' } });

describe('templates with a FLOW button', () => {
  it('is approved, then sent with flow_token and flow_action_data, and recorded for the phones', async () => {
    h = await startHarness();
    const flowId = await publishedFlow(h, 'booking');
    const created = await h.graph.createTemplate(template(flowId));
    expect(created).toEqual({ id: expect.stringMatching(/^\d+$/), status: 'APPROVED', category: 'MARKETING' });
    expect((await h.graph.getTemplate(created.id)).status).toBe('APPROVED');
    const seen: SentMessage[] = [];
    h.emulator.onMessage((m) => seen.push(m));
    const sent = await h.graph.sendTemplateMessage({ to: '+1 555 123 0001', name: 'book_table', language: 'en_US', bodyParameters: ['Ann'], flowButton: { flowToken: 'T-1', flowActionData: { name: 'Ann' } } });
    expect(sent.wamid).toMatch(/^wamid\.[A-Za-z0-9+/]+=*$/);
    expect(sent).toMatchObject({ waId: USER, input: '+1 555 123 0001', messageStatus: 'accepted' });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ wamid: sent.wamid, waId: USER, type: 'template', template: { name: 'book_table', language: 'en_US' }, failure: undefined });
    expect(seen[0]!.flow).toMatchObject({ flowId, flowToken: 'T-1', data: { name: 'Ann' }, action: 'navigate', screen: 'WELCOME', cta: 'Book now', flowJson: simpleFlowJson() });
  });

  it('stays PENDING until the approval delay has passed (132001 meanwhile)', async () => {
    h = await startHarness({ templateApproval: 60_000 });
    const flowId = await publishedFlow(h, 'booking');
    const { id, status } = await h.graph.createTemplate(template(flowId));
    expect(status).toBe('PENDING');
    const early = (await rejection(h.graph.sendTemplateMessage({ to: USER, name: 'book_table', language: 'en_US', bodyParameters: ['A'] }))) as GraphError;
    expect([early.graphCode, early.kind]).toEqual([132001, 'template']);
    h.advance(60_000);
    expect((await h.graph.getTemplate(id)).status).toBe('APPROVED');
    expect((await h.graph.sendTemplateMessage({ to: USER, name: 'book_table', language: 'en_US', bodyParameters: ['A'] })).wamid).toMatch(/^wamid\./);
  });

  it('rejects templates whose flow is missing or still a draft, and duplicates', async () => {
    h = await startHarness();
    const { id: draft } = await h.graph.createFlow({ name: 'draft', categories: ['OTHER'] });
    await h.graph.uploadFlowJson(draft, simpleFlowJson());
    expect((await rejection(h.graph.createTemplate(template(draft))) as GraphError).graphDetails).toMatch(/DRAFT/);
    expect((await rejection(h.graph.createTemplate(template('123456'))) as GraphError).graphDetails).toMatch(/does not exist/);
    const live = await publishedFlow(h, 'live');
    await h.graph.createTemplate(template(live));
    const dup = (await rejection(h.graph.createTemplate(template(live)))) as GraphError;
    expect([dup.graphCode, dup.subcode]).toEqual([100, 2388024]);
    const longText = { ...template(live, 'other'), flowButton: { ...template(live).flowButton, text: 'x'.repeat(26) } };
    expect(isGraphError(await rejection(h.graph.createTemplate(longText)), 100)).toBe(true);
  });

  it('creates the flow from flow_json and finds templates by name', async () => {
    h = await startHarness();
    const { id } = await h.graph.createTemplate({ ...template('x', 'inline'), flowButton: { text: 'Go', flow: { json: simpleFlowJson() } } });
    const [found] = await h.graph.findTemplates('inline');
    expect(found?.id).toBe(id);
    const flows = await h.graph.listFlows();
    expect(flows.data.map((f) => [f.name, f.status])).toEqual([['inline_flow_1', 'PUBLISHED']]);
  });

  it('refuses sends whose parameters do not match the template (132000) or a paused one (132015)', async () => {
    h = await startHarness();
    const { id } = await h.graph.createTemplate(template(await publishedFlow(h, 'f')));
    expect(isGraphError(await rejection(h.graph.sendTemplateMessage({ to: USER, name: 'book_table', language: 'en_US' })), 132000)).toBe(true);
    h.emulator.setTemplateStatus(id, 'PAUSED');
    expect(isGraphError(await rejection(h.graph.sendTemplateMessage({ to: USER, name: 'book_table', language: 'en_US', bodyParameters: ['A'] })), 132015)).toBe(true);
  });
});

describe('interactive flow messages', () => {
  it('needs the 24-hour window: outside it 131047, inside it accepted', async () => {
    h = await startHarness();
    const flowId = await publishedFlow(h, 'f');
    const outside = (await rejection(h.graph.sendFlowMessage(flowMessage(flowId)))) as GraphError;
    expect([outside.graphCode, outside.retryable, outside.kind]).toEqual([131047, false, 'service-window']);
    h.emulator.receiveInbound(USER);
    const sent = await h.graph.sendFlowMessage({ ...flowMessage(flowId), header: 'Hi', footer: 'Bye', action: { type: 'navigate', screen: 'WELCOME', data: { name: 'Ann' } } });
    expect(sent.messageStatus).toBeUndefined();
    const record = h.emulator.state.messages.at(-1)!;
    expect(record.flow).toMatchObject({ flowId, flowToken: `tok-${USER}`, screen: 'WELCOME', data: { name: 'Ann' }, mode: 'published' });
    h.advance(24 * 3600 * 1000);
    expect(isGraphError(await rejection(h.graph.sendFlowMessage(flowMessage(flowId))), 131047)).toBe(true);
  });

  it('in status mode, accepts out-of-window sends and records the failure for the status webhook', async () => {
    h = await startHarness({ windowErrors: 'status' });
    const flowId = await publishedFlow(h, 'f');
    await h.graph.sendFlowMessage(flowMessage(flowId));
    expect(h.emulator.state.messages[0]!.failure?.code).toBe(131047);
  });

  it('limits throughput per phone number (130429) and recovers after a second', async () => {
    h = await startHarness({ mps: 5 });
    const flowId = await publishedFlow(h, 'f');
    const users = Array.from({ length: 7 }, (_, i) => `1555000000${i}`);
    for (const u of users) h.emulator.receiveInbound(u);
    for (const u of users.slice(0, 5)) await h.graph.sendFlowMessage(flowMessage(flowId, u));
    const limited = (await rejection(h.graph.sendFlowMessage(flowMessage(flowId, users[5])))) as GraphError;
    expect([limited.graphCode, limited.httpStatus, limited.retryable, limited.retryAfterMs]).toEqual([130429, 429, true, 1000]);
    h.advance(1000);
    await h.graph.sendFlowMessage(flowMessage(flowId, users[5]));
    expect(h.emulator.state.messages).toHaveLength(6);
  });

  it('limits the pair rate to one message per 6 s to the same user (131056)', async () => {
    h = await startHarness();
    const flowId = await publishedFlow(h, 'f');
    h.emulator.receiveInbound(USER);
    await h.graph.sendFlowMessage(flowMessage(flowId));
    const pair = (await rejection(h.graph.sendFlowMessage(flowMessage(flowId)))) as GraphError;
    expect([pair.graphCode, pair.retryable, pair.retryAfterMs]).toEqual([131056, true, 6000]);
    h.advance(5_999);
    expect(isGraphError(await rejection(h.graph.sendText(USER, 'hi')), 131056)).toBe(true);
    h.advance(1);
    await h.graph.sendText(USER, 'hi');
  });

  it('checks flow state and parameters like Meta', async () => {
    h = await startHarness({ pairBurst: 100 });
    h.emulator.receiveInbound(USER);
    const flowId = await publishedFlow(h, 'f');
    const { id: draftId } = await h.graph.createFlow({ name: 'draft', categories: ['OTHER'] });
    await h.graph.uploadFlowJson(draftId, simpleFlowJson());
    const code = async (p: Promise<unknown>) => ((await rejection(p)) as GraphError).graphCode;
    expect(await code(h.graph.sendFlowMessage(flowMessage(draftId)))).toBe(131009);
    expect((await h.graph.sendFlowMessage({ ...flowMessage(draftId), mode: 'draft' })).wamid).toMatch(/^wamid\./);
    expect(await code(h.graph.sendFlowMessage({ ...flowMessage(flowId), action: { type: 'navigate', screen: 'DONE' } }))).toBe(131009);
    expect(await code(h.graph.sendFlowMessage({ ...flowMessage(flowId), action: { type: 'navigate', screen: 'NOPE' } }))).toBe(131009);
    expect(await code(h.graph.sendFlowMessage({ ...flowMessage(flowId), cta: 'x'.repeat(31) }))).toBe(131009);
    expect(await code(h.graph.sendFlowMessage({ ...flowMessage(flowId), body: '' }))).toBe(131009);
    expect(await code(h.graph.sendFlowMessage({ ...flowMessage(flowId), to: '12' }))).toBe(131009);
    expect(await code(h.graph.sendFlowMessage({ ...flowMessage('777'), to: USER }))).toBe(131009);
    expect((await h.graph.sendFlowMessage({ ...flowMessage(flowId), flow: { name: 'f' }, action: { type: 'data_exchange' } })).wamid).toMatch(/^wamid\./);
    h.emulator.setFlowStatus(flowId, 'THROTTLED');
    const throttled = (await rejection(h.graph.sendFlowMessage(flowMessage(flowId)))) as GraphError;
    expect([throttled.graphCode, throttled.retryable]).toEqual([132069, true]);
    h.emulator.setFlowStatus(flowId, 'BLOCKED');
    expect(await code(h.graph.sendFlowMessage(flowMessage(flowId)))).toBe(132068);
  });
});

describe('throughput on the real clock', () => {
  it('accepts exactly mps sends of a concurrent burst and refuses the rest with 130429', async () => {
    h = await startHarness({ mps: 4, now: Date.now });
    const flowId = await publishedFlow(h, 'f');
    const users = Array.from({ length: 7 }, (_, i) => `1555100000${i}`);
    for (const u of users) h.emulator.receiveInbound(u);
    const seen: string[] = [];
    const stop = h.emulator.onMessage((m) => seen.push(m.waId));
    const results = await Promise.allSettled(users.map((u) => h.graph.sendFlowMessage(flowMessage(flowId, u))));
    const refused = results.filter((r) => r.status === 'rejected').map((r) => (r.reason as GraphError).graphCode);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(4);
    expect(refused).toEqual([130429, 130429, 130429]);
    expect(seen).toHaveLength(4);
    stop();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    h.emulator.receiveInbound('15551000099');
    // a second later the window has room again; the unsubscribed listener hears nothing
    await h.graph.sendFlowMessage(flowMessage(flowId, '15551000099'));
    expect(h.emulator.state.messages).toHaveLength(5);
    expect(seen).toHaveLength(4);
  });
});
