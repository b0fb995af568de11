import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { component, completeFooter, oneScreen, run, texts } from '../../../test/runtime/flows.js';
import type { EndpointClient, EndpointReply, EndpointRequest } from './endpoint/endpoint-client.js';

const datePicker = { type: 'DatePicker', name: 'day', label: 'Day' };

describe('DatePicker value format by version', () => {
  it('4.0 produces millisecond-timestamp strings (UTC midnight)', async () => {
    const rt = await run(oneScreen('4.0', [datePicker, completeFooter(['day'])]));
    await rt.answer('day', '2024-10-21');
    expect(component(rt, 'day')?.value).toBe(String(Date.UTC(2024, 9, 21)));
    await rt.press('footer');
    expect(rt.response).toEqual({ day: '1729468800000', flow_token: 'tok' });
  });

  it('5.0 produces YYYY-MM-DD, also when given a timestamp', async () => {
    const rt = await run(oneScreen('5.0', [datePicker, completeFooter(['day'])]));
    await rt.answer('day', String(Date.UTC(2024, 9, 21)));
    await rt.press('footer');
    expect(rt.response).toEqual({ day: '2024-10-21', flow_token: 'tok' });
  });

  it('before 5.0 the default range is 1900-01-01..2100-12-31', async () => {
    const rt = await run(oneScreen('4.0', [datePicker, completeFooter(['day'])]));
    await rt.answer('day', '2101-01-01');
    expect((await rt.press('footer')).errors).toEqual({ day: 'Choose a date on or before 2100-12-31.' });
  });
});

describe('Form before and after 4.0', () => {
  const outside = (version: string) => ({
    version,
    screens: [{ id: 'ONLY', terminal: true, layout: { type: 'SingleColumnLayout', children: [
      { type: 'TextInput', name: 'loose', label: 'Loose', required: true, 'init-value': 'hi' },
      completeFooter(['loose']),
    ] } }],
  });

  it('3.1: an input outside a Form is not rendered, not checked, and has no value', async () => {
    const rt = await run(outside('3.1'));
    expect(component(rt, 'loose')).toBeUndefined();
    expect(rt.setValue('loose', 'x').ok).toBe(false);
    expect(rt.events).toContainEqual({ type: 'warning', message: 'screen ONLY: inputs outside a Form are not shown before Flow JSON 4.0: loose' });
    await rt.press('footer');
    expect(rt.response).toEqual({ loose: '', flow_token: 'tok' });
  });

  it('4.0: the same input works and its own init-value applies', async () => {
    const rt = await run(outside('4.0'));
    expect(component(rt, 'loose')?.value).toBe('hi');
    await rt.press('footer');
    expect(rt.response).toEqual({ loose: 'hi', flow_token: 'tok' });
  });

  it('Form init-values and error-messages apply in every version', async () => {
    const flow = oneScreen('3.1', [{ type: 'TextInput', name: 'a', label: 'A' }, completeFooter(['a'])]);
    const form = (flow as any).screens[0].layout.children[0];
    form['init-values'] = { a: 'preset' };
    form['error-messages'] = '${data.errors}';
    (flow as any).screens[0].data = { errors: { type: 'object', __example__: { a: 'Taken already' } } };
    const rt = await run(flow);
    expect(component(rt, 'a')).toMatchObject({ value: 'preset', error: 'Taken already' });
    rt.setValue('a', 'other');
    expect(component(rt, 'a')?.error).toBeUndefined();
  });
});

describe('on-select behaviour by version', () => {
  const flowFor = (version: string) => oneScreen(version, [
    { type: 'RadioButtonsGroup', name: 'size', label: 'Size', 'data-source': [{ id: 's', title: 'S' }, { id: 'l', title: 'L' }],
      'on-select-action': { name: 'data_exchange', payload: { size: '${form.size}' } } },
    completeFooter(['size']),
  ], { data: {} });
  const endpoint = (): EndpointClient & { requests: EndpointRequest[] } => {
    const requests: EndpointRequest[] = [];
    return { requests, send: (r) => { requests.push(r); return Promise.resolve<EndpointReply>({ kind: 'screen', screen: 'ONLY', data: {} }); } };
  };
  const withEndpoint = (version: string) => ({ ...flowFor(version), data_api_version: '3.0', routing_model: { ONLY: [] } });

  it('6.0–6.3 fire component on-select-action when the screen renders', async () => {
    const ep = endpoint();
    await run(withEndpoint('6.3'), { endpoint: ep, openWith: 'navigate' });
    expect(ep.requests).toEqual([{ version: '3.0', action: 'data_exchange', screen: 'ONLY', data: { size: '' }, flow_token: 'tok' }]);
  });

  it('7.0 and 5.1 do not fire on render, only on selection', async () => {
    for (const version of ['7.0', '5.1']) {
      const ep = endpoint();
      const rt = await run(withEndpoint(version), { endpoint: ep, openWith: 'navigate' });
      expect(ep.requests).toEqual([]);
      await rt.select('size', 'l');
      expect(ep.requests.map((r) => r.data)).toEqual([{ size: 'l' }]);
    }
  });

  it('update_data via item on-select/on-unselect (Meta update_data example)', async () => {
    const flow = JSON.parse(readFileSync('/work/shared/fixtures/meta/v6.0_update_data.json', 'utf8'));
    const rt = await run(flow);
    expect(rt.view().components.map((c) => c.name)).toEqual(['select_country']);
    await rt.select('select_country', '1');
    expect(component(rt, 'select_states')?.options?.map((o) => o.id)).toEqual(['new_york', 'california']);
    await rt.select('select_states', 'california');
    expect(component(rt, 'pincode')?.options?.map((o) => o.id)).toEqual(['90019', '93504']);
    await rt.select('select_country', '2'); // unselects USA first: state and pincode lists hide, then Canada's states show
    expect(rt.view().components.map((c) => c.name)).toEqual(['select_country', 'select_states']);
    expect(component(rt, 'select_states')?.options?.map((o) => o.id)).toEqual(['ontario', 'quebec']);
    expect(rt.events.filter((e) => e.type === 'update_data')).toHaveLength(4);
  });

  it('without on-unselect-action, a CheckboxGroup on-select-action handles unselection too', async () => {
    const rt = await run(oneScreen('6.0', [
      { type: 'CheckboxGroup', name: 'c', label: 'C', 'data-source': [{ id: 'a', title: 'A' }],
        'on-select-action': { name: 'update_data', payload: { count: '${form.c}' } } },
      { type: 'TextBody', text: '${data.count}' },
      completeFooter(),
    ], { data: { count: { type: 'array', items: { type: 'string' }, __example__: [] } } }));
    await rt.select('c', 'a');
    expect(texts(rt)).toEqual(['["a"]']);
    await rt.unselect('c', 'a');
    expect(texts(rt)).toEqual(['[]']);
  });
});
