import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { component, run, texts } from '../../../test/runtime/flows.js';
import { GENERIC_ERROR_MESSAGE as GENERIC_ERROR } from './endpoint/endpoint-reply.js';
import type { EndpointClient, EndpointReply, EndpointRequest } from './endpoint/endpoint-client.js';

/** A → B (data_exchange) → C (complete); B may refresh A's data on back. */
function endpointFlow(refreshOnBack: boolean): Record<string, unknown> {
  return {
    version: '7.3',
    data_api_version: '4.0',
    routing_model: { A: ['B'], B: ['C'], C: [] },
    screens: [
      { id: 'A', title: 'A', data: { greeting: { type: 'string', __example__: 'hello' } }, layout: { type: 'SingleColumnLayout', children: [
        { type: 'TextBody', text: '${data.greeting}' },
        { type: 'TextInput', name: 'name', label: 'Name' },
        { type: 'Footer', label: 'Next', 'on-click-action': { name: 'data_exchange', payload: { name: '${form.name}' } } },
      ] } },
      { id: 'B', title: 'B', refresh_on_back: refreshOnBack, data: { name: { type: 'string', __example__: 'x' } }, layout: { type: 'SingleColumnLayout', children: [
        { type: 'TextBody', text: "${data.name}" },
        { type: 'Footer', label: 'Next', 'on-click-action': { name: 'data_exchange', payload: {} } },
      ] } },
      { id: 'C', title: 'C', terminal: true, layout: { type: 'SingleColumnLayout', children: [
        { type: 'Footer', label: 'Done', 'on-click-action': { name: 'complete', payload: { a: '${screen.A.form.name}' } } },
      ] } },
    ],
  };
}

type Script = (req: EndpointRequest) => EndpointReply;
function fake(script: Script): EndpointClient & { requests: EndpointRequest[] } {
  const requests: EndpointRequest[] = [];
  return { requests, send: (req) => { requests.push(req); return Promise.resolve(script(req)); } };
}

const happy: Script = (req) => {
  if (req.action === 'INIT') return { kind: 'screen', screen: 'A', data: { greeting: 'hi' } };
  if (req.action === 'BACK') return { kind: 'screen', screen: 'A', data: { greeting: 'welcome back' } };
  if (req.screen === 'A') return { kind: 'screen', screen: 'B', data: { name: String(req.data?.name) } };
  return { kind: 'screen', screen: 'C', data: {} };
};

describe('navigation', () => {
  it('runs INIT → data_exchange → complete with a global ref in the payload', async () => {
    const ep = fake(happy);
    const rt = await run(endpointFlow(false), { endpoint: ep });
    expect(texts(rt)).toEqual(['hi']);
    rt.setValue('name', 'Ann');
    await rt.press('footer');
    expect(rt.view()).toMatchObject({ screen: 'B', canGoBack: true });
    expect(texts(rt)).toEqual(['Ann']);
    await rt.press('footer');
    await rt.press('footer');
    expect(rt.response).toEqual({ a: 'Ann', flow_token: 'tok' });
    expect(ep.requests.map((r) => [r.action, r.screen])).toEqual([['INIT', undefined], ['data_exchange', 'A'], ['data_exchange', 'B']]);
  });

  it('back without refresh_on_back reuses cached data and input, no request', async () => {
    const ep = fake(happy);
    const rt = await run(endpointFlow(false), { endpoint: ep });
    rt.setValue('name', 'Ann');
    await rt.press('footer');
    await rt.back();
    expect(rt.view().screen).toBe('A');
    expect(texts(rt)).toEqual(['hi']);
    expect(component(rt, 'name')?.value).toBe('Ann');
    expect(ep.requests.some((r) => r.action === 'BACK')).toBe(false);
  });

  it('back with refresh_on_back sends BACK and renders the previous screen with the reply', async () => {
    const ep = fake(happy);
    const rt = await run(endpointFlow(true), { endpoint: ep });
    rt.setValue('name', 'Ann');
    await rt.press('footer');
    await rt.back();
    expect(ep.requests.at(-1)).toEqual({ version: '4.0', action: 'BACK', screen: 'B', flow_token: 'tok' });
    expect(rt.view().screen).toBe('A');
    expect(texts(rt)).toEqual(['welcome back']);
    expect(component(rt, 'name')?.value).toBe('Ann');
  });

  it('back on the first screen closes the flow', async () => {
    const rt = await run(endpointFlow(false), { endpoint: fake(happy) });
    await rt.back();
    expect(rt.status).toBe('closed');
  });

  it('an undeclared route is an invalid-screen-transition, reported to the endpoint', async () => {
    const ep = fake((req) => (req.action === 'INIT' ? happy(req) : req.data && 'error' in req.data ? { kind: 'ack' } : { kind: 'screen', screen: 'C', data: {} }));
    const rt = await run(endpointFlow(false), { endpoint: ep });
    const result = await rt.press('footer');
    expect(result).toMatchObject({ ok: false, reason: 'invalid-screen-transition' });
    expect(rt.view()).toMatchObject({ screen: 'A', status: 'active', banner: { kind: 'error', text: GENERIC_ERROR } });
    expect(ep.requests.at(-1)).toMatchObject({ action: 'data_exchange', screen: 'A', data: { error: 'invalid-screen-transition' } });
    expect(rt.events.some((e) => e.type === 'client-error' && e.error === 'invalid-screen-transition')).toBe(true);
  });

  it('data of the wrong type is a payload-schema-error', async () => {
    const ep = fake((req) => (req.action === 'INIT' ? happy(req) : req.screen === 'A' && !req.data?.error ? { kind: 'screen', screen: 'B', data: { name: 42 } } : { kind: 'ack' }));
    const rt = await run(endpointFlow(false), { endpoint: ep });
    expect((await rt.press('footer')).reason).toBe('payload-schema-error');
    expect(ep.requests.at(-1)?.data?.error).toBe('payload-schema-error');
  });

  it('the same screen refreshes its data and shows error_message as a snackbar', async () => {
    const ep = fake((req) => (req.action === 'INIT' ? happy(req) : { kind: 'screen', screen: 'A', data: { greeting: 'try again', error_message: 'Name taken' } }));
    const rt = await run(endpointFlow(false), { endpoint: ep });
    await rt.press('footer');
    expect(rt.view()).toMatchObject({ screen: 'A', banner: { kind: 'snackbar', text: 'Name taken' } });
    expect(texts(rt)).toEqual(['try again']);
  });

  it('an endpoint failure shows its user message; 427 disables the footer', async () => {
    const ep = fake((req) => (req.action === 'INIT' ? happy(req) : { kind: 'failure', reason: 'token-invalid', status: 427, userMessage: 'Expired link', detail: 'HTTP 427' }));
    const rt = await run(endpointFlow(false), { endpoint: ep });
    expect((await rt.press('footer')).reason).toBe('token-invalid');
    expect(rt.view()).toMatchObject({ banner: { kind: 'error', text: 'Expired link' }, footer: { enabled: false } });
    expect((await rt.press('footer')).ok).toBe(false);
    expect(ep.requests).toHaveLength(2);
  });

  it('an endpoint client that throws counts as a network failure', async () => {
    const rt = await run(endpointFlow(false), { endpoint: { send: () => Promise.reject(new Error('boom')) } });
    expect(rt.view()).toMatchObject({ status: 'failed', banner: { kind: 'error', text: GENERIC_ERROR } });
    expect(rt.events.at(-1)).toMatchObject({ type: 'client-error', error: 'network', message: 'boom' });
  });

  it('a failing INIT leaves the flow failed', async () => {
    const rt = await run(endpointFlow(false), { endpoint: fake(() => ({ kind: 'failure', reason: 'timeout', userMessage: 'Timed out', detail: '' })) });
    expect(rt.view()).toMatchObject({ status: 'failed', screen: '', banner: { text: 'Timed out' } });
  });

  it('endpoint completion yields the params as response_json', async () => {
    const ep = fake((req) => (req.action === 'INIT' ? happy(req) : { kind: 'complete', params: { flow_token: 'tok', id: 7 } }));
    const rt = await run(endpointFlow(false), { endpoint: ep });
    await rt.press('footer');
    expect(rt.status).toBe('completed');
    expect(rt.response).toEqual({ flow_token: 'tok', id: 7 });
  });
});

describe('pressing links and list items', () => {
  const flow = {
    version: '6.2',
    screens: [
      { id: 'MENU', title: 'Menu', layout: { type: 'SingleColumnLayout', children: [
        { type: 'NavigationList', name: 'menu', 'list-items': [
          { id: 'one', 'main-content': { title: 'First' }, 'on-click-action': { name: 'navigate', next: { type: 'screen', name: 'END' }, payload: { picked: 'one' } } },
        ] },
      ] } },
      { id: 'END', title: 'End', terminal: true, data: { picked: { type: 'string', __example__: 'x' } }, layout: { type: 'SingleColumnLayout', children: [
        { type: 'EmbeddedLink', text: 'Docs', 'on-click-action': { name: 'open_url', url: 'https://example.com/docs' } },
        { type: 'Footer', label: 'Done', 'on-click-action': { name: 'complete', payload: { picked: '${data.picked}' } } },
      ] } },
    ],
  };

  it('navigates from a NavigationList item by title, records open_url, completes', async () => {
    const rt = await run(flow);
    expect(component(rt, 'menu')?.options).toEqual([{ id: 'one', title: 'First', enabled: true, selected: false }]);
    expect((await rt.press('First')).ok).toBe(true);
    expect(rt.view().screen).toBe('END');
    await rt.press('Docs');
    expect(rt.events.at(-1)).toEqual({ type: 'open_url', url: 'https://example.com/docs' });
    expect((await rt.press('nothing here')).ok).toBe(false);
    await rt.press('footer');
    expect(rt.response).toEqual({ picked: 'one', flow_token: 'tok' });
  });
});

describe('global references (Meta forward_refs example, 4.0)', () => {
  it('reads a later screen\'s input after the person went there and came back', async () => {
    const rt = await run(JSON.parse(readFileSync('/work/shared/fixtures/meta/v4.0_forward_refs.json', 'utf8')));
    expect(texts(rt)).toEqual(['Select insurance type', "You haven't selected any insurance type", 'Choose insurance type']);
    await rt.press('Choose insurance type');
    expect(rt.view().screen).toBe('SELECT_INSURANCE');
    await rt.select('insurance', 'full');
    await rt.back();
    expect(texts(rt)).toEqual(['Select insurance type', "You've selected a comprehensive insurance", 'Choose insurance type']);
    await rt.press('footer');
    expect(rt.response).toEqual({ selected_insurance_type: 'full', flow_token: 'tok' });
  });
});
