import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { complete, dataExchange, navigate, openUrl, updateData } from './builder-actions.js';
import { options } from './builder-components.js';
import { declareData, schemaOf } from './builder-data.js';
import { data, expr, form, screenData, screenForm } from './builder-refs.js';
import { flow, navigateTargets } from './builder.js';
import type { JsonValue } from './screen.js';
import { validateFlow } from '../validate/validate-flow.js';

describe('reference helpers', () => {
  it('produce Meta binding syntax', () => {
    expect(data('x')).toBe('${data.x}');
    expect(form('email')).toBe('${form.email}');
    expect(screenForm('DETAILS', 'name')).toBe('${screen.DETAILS.form.name}');
    expect(screenData('A', 'k')).toBe('${screen.A.data.k}');
    expect(expr(`'Hi ' ${form('n')}`)).toBe("`'Hi ' ${form.n}`");
  });
});

describe('action helpers', () => {
  it('build each action with Meta keys', () => {
    expect(navigate('B', { a: form('a') })).toEqual({ name: 'navigate', next: { type: 'screen', name: 'B' }, payload: { a: '${form.a}' } });
    expect(dataExchange()).toEqual({ name: 'data_exchange', payload: {} });
    expect(complete({ k: 1 })).toEqual({ name: 'complete', payload: { k: 1 } });
    expect(updateData({ show: true })).toEqual({ name: 'update_data', payload: { show: true } });
    expect(openUrl('https://x.example')).toEqual({ name: 'open_url', url: 'https://x.example' });
  });
});

describe('data declarations', () => {
  it('derive schema types from examples', () => {
    expect(declareData({ name: 'Ann', age: 30, ok: true, slots: [{ id: '1', title: '08:00' }], tags: [] })).toEqual({
      name: { type: 'string', __example__: 'Ann' },
      age: { type: 'number', __example__: 30 },
      ok: { type: 'boolean', __example__: true },
      slots: {
        type: 'array',
        items: { type: 'object', properties: { id: { type: 'string' }, title: { type: 'string' } } },
        __example__: [{ id: '1', title: '08:00' }],
      },
      tags: { type: 'array', items: { type: 'string' }, __example__: [] },
    });
  });

  it('derive a schema every example conforms to (property)', () => {
    const conforms = (v: JsonValue, s: ReturnType<typeof schemaOf>): boolean => {
      switch (s.type) {
        case 'string': return typeof v === 'string' || v === null;
        case 'number': return typeof v === 'number';
        case 'integer': return Number.isInteger(v);
        case 'boolean': return typeof v === 'boolean';
        case 'array': return Array.isArray(v) && (v.length === 0 || (typeof s.items === 'object' && conforms(v[0]!, s.items)));
        case 'object': return typeof v === 'object' && v !== null && !Array.isArray(v) &&
          Object.entries(v).every(([k, x]) => s.properties?.[k] !== undefined && conforms(x, s.properties[k]));
        default: return false;
      }
    };
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 4 }), (v) => {
      const value = JSON.parse(JSON.stringify(v)) as JsonValue;
      expect(conforms(value, schemaOf(value))).toBe(true);
    }), { numRuns: 300 });
  });
});

describe('flow builder', () => {
  const build = () => flow('7.3')
    .screen('WELCOME', (s) => s.title('Hi').heading('Hello')
      .textInput('name', { label: 'Name', required: true })
      .footer('Next', navigate('DETAILS', { name: form('name') })))
    .screen('DETAILS', (s) => s.title('Done').terminal(true).data({ name: 'Ann' })
      .body(data('name'))
      .footer('Finish', complete({ name: data('name') })))
    .build();

  it('returns plain Flow JSON in canonical order', () => {
    const json = build();
    expect(Object.keys(json)).toEqual(['version', 'screens']);
    expect(json.screens.map((s) => s.id)).toEqual(['WELCOME', 'DETAILS']);
    const details = json.screens[1]!;
    expect(Object.keys(details)).toEqual(['id', 'title', 'terminal', 'success', 'data', 'layout']);
    expect(details.data).toEqual({ name: { type: 'string', __example__: 'Ann' } });
    expect(json.screens[0]!.layout.children).toEqual([
      { type: 'TextHeading', text: 'Hello' },
      { type: 'TextInput', name: 'name', label: 'Name', required: true },
      { type: 'Footer', label: 'Next', 'on-click-action': { name: 'navigate', next: { type: 'screen', name: 'DETAILS' }, payload: { name: '${form.name}' } } },
    ]);
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  it('builds flows the validator accepts, static and endpoint-powered', () => {
    expect(validateFlow(build()).findings.filter((f) => f.severity === 'error')).toEqual([]);
    const endpoint = flow('7.3').endpoint()
      .screen('BOOK', (s) => s.title('Book').data({ slots: [{ id: '1', title: '08:00' }] })
        .form('booking', (f) => f.dropdown('slot', { label: 'Time', required: true, 'data-source': data('slots') })
          .footer('Book', dataExchange({ slot: form('slot') }))))
      .screen('DONE', (s) => s.title('Booked').terminal().data({ slot: '08:00' })
        .body(data('slot')).footer('Done', complete({ slot: data('slot') })))
      .routes('BOOK', ['DONE'])
      .build();
    expect(endpoint.routing_model).toEqual({ BOOK: ['DONE'], DONE: [] });
    expect(validateFlow(endpoint).findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('builds containers with their children', () => {
    const json = flow('7.3').screen('A', (s) => s
      .form('f', (f) => f.radioButtons('plan', { label: 'Plan', 'data-source': options({ basic: 'Basic', pro: 'Pro' }) }))
      .when('${form.plan} == \'pro\'', (t) => t.body('Pro!'), (e) => e.caption('Basic'))
      .switchOn(data('kind'), { a: (b) => b.body('A'), b: (b) => b.body('B') })
      .terminal()
      .footer('Done', complete()),
    ).build();
    const [formC, ifC, switchC] = json.screens[0]!.layout.children;
    expect(formC).toEqual({ type: 'Form', name: 'f', children: [{ type: 'RadioButtonsGroup', name: 'plan', 'data-source': [{ id: 'basic', title: 'Basic' }, { id: 'pro', title: 'Pro' }], label: 'Plan' }] });
    expect(ifC).toEqual({ type: 'If', condition: "${form.plan} == 'pro'", then: [{ type: 'TextBody', text: 'Pro!' }], else: [{ type: 'TextCaption', text: 'Basic' }] });
    expect(switchC).toEqual({ type: 'Switch', value: '${data.kind}', cases: { a: [{ type: 'TextBody', text: 'A' }], b: [{ type: 'TextBody', text: 'B' }] } });
  });

  it('writes data_api_version and a routing model with every navigate edge for endpoint flows', () => {
    const json = flow('7.3').endpoint()
      .screen('A', (s) => s.navigationList('menu', { 'list-items': [
        { id: '1', 'main-content': { title: 'One' }, 'on-click-action': navigate('B') },
        { id: '2', 'main-content': { title: 'Two' }, 'on-click-action': navigate('C') },
      ] }))
      .screen('B', (s) => s.footer('Go', dataExchange()))
      .screen('C', (s) => s.terminal().footer('Done', complete()))
      .routes('B', ['C'])
      .build();
    expect(json.data_api_version).toBe('4.0');
    expect(json.routing_model).toEqual({ A: ['B', 'C'], B: ['C'], C: [] });
  });

  it('omits the routing model without an endpoint and keeps builds independent', () => {
    const b = flow('6.0').screen('A', (s) => s.terminal().footer('Done', complete()));
    const first = b.build();
    first.screens[0]!.id = 'MUTATED';
    expect(b.build().screens[0]!.id).toBe('A');
    expect(first.routing_model).toBeUndefined();
  });

  it('finds navigate targets anywhere in a value', () => {
    expect(navigateTargets({ a: [navigate('X'), { b: { 'on-click-action': navigate('Y') } }, complete()] })).toEqual(['X', 'Y']);
  });
});
