import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import type { JsonObject } from '../../json.js';
import { endpointFlow, staticFlow } from '../cases/base.js';
import { mutate } from '../cases/case.js';
import { exchangeScreen, link, menuFlow, navigateTo, terminalScreen } from './case-builders.js';
import { runCoreSemanticRules } from './core-rules.js';

const errorsOf = (flow: JsonObject, version?: string) =>
  (runCoreSemanticRules(flow, version) ?? []).filter((f) => f.severity === 'error').map((f) => `${f.code} ${f.pointer}`);

describe('accepted readings', () => {
  it('accepts lowercase screen ids (unconfirmed; the safer reading)', () => {
    const flow = mutate(staticFlow(), (f) => {
      f.screens[1].id = 'confirm';
      f.screens[0].layout.children[1].children[3]['on-click-action'].next.name = 'confirm';
    });
    expect(errorsOf(flow)).toEqual([]);
  });

  it('accepts a Footer in both If branches and in every Switch case', () => {
    const submit = { type: 'Footer', label: 'Go', 'on-click-action': { name: 'complete', payload: {} } };
    const flow = mutate(staticFlow(), (f) => {
      f.screens[1].layout.children = [
        { type: 'If', condition: "${data.plan} == 'pro'", then: [submit], else: [submit] },
      ];
    });
    expect(errorsOf(flow)).toEqual([]);
    const sw = mutate(staticFlow(), (f) => {
      f.screens[1].layout.children = [{ type: 'Switch', value: '${data.plan}', cases: { basic: [submit], pro: [submit] } }];
    });
    expect(errorsOf(sw)).toEqual([]);
  });

  it('lets endpoint flows navigate without every declared field', () => {
    const flow = mutate(endpointFlow(), (f) => {
      f.screens[0].layout.children.push(link(navigateTo('DONE')));
    });
    expect(errorsOf(flow)).toEqual([]);
  });

  it('type-checks init-values only from 7.0', () => {
    const flow = (v: string) =>
      mutate(staticFlow(v), (f) => {
        f.screens[0].layout.children[1]['init-values'] = { plan: ['basic'] };
      });
    expect(errorsOf(flow('6.3'))).toEqual([]);
    expect(errorsOf(flow('7.0'))).toEqual(['INVALID_PROPERTY_TYPE /screens/0/layout/children/1/init-values/plan']);
  });

  it('accepts a number or numeric text for a numeric TextInput, and per-date errors for a range CalendarPicker', () => {
    const flow = mutate(staticFlow(), (f) => {
      const form = f.screens[0].layout.children[1];
      form.children.splice(3, 0, { type: 'TextInput', name: 'age', label: 'Age', 'input-type': 'number' }, { type: 'CalendarPicker', name: 'stay', label: 'Stay', mode: 'range' });
      form['init-values'] = { age: 42 };
      form['error-messages'] = { stay: { 'start-date': 'Too early', 'end-date': 'Too late' } };
    });
    expect(errorsOf(flow)).toEqual([]);
    const text = mutate(flow, (f) => {
      f.screens[0].layout.children[1]['init-values'] = { age: '42' };
    });
    expect(errorsOf(text)).toEqual([]);
  });

  it('accepts dead-end side screens reached from a terminal screen', () => {
    const flow = mutate(staticFlow(), (f) => {
      f.screens.push({ id: 'TERMS', title: 'Terms', layout: { type: 'SingleColumnLayout', children: [{ type: 'TextBody', text: 'Terms' }] } });
      f.screens[1].layout.children.splice(1, 0, link(navigateTo('TERMS')));
    });
    expect(errorsOf(flow)).toEqual([]);
  });

  it('accepts a NavigationList screen routing to the rest', () => {
    expect(errorsOf(menuFlow())).toEqual([]);
  });
});

describe('rules without a single-rule corpus case', () => {
  it('reports a NavigationList on a terminal screen', () => {
    const flow = mutate(menuFlow(), (f) => {
      f.screens[0].terminal = true;
    });
    expect(errorsOf(flow)).toContain('FB_NAVIGATION_LIST_ON_TERMINAL_SCREEN /screens/0/layout/children/0');
  });

  it('reports more than 10 navigate branches without an endpoint', () => {
    const ids = 'ABCDEFGHIJK'.split('').map((c) => `END_${c}`);
    const flow = mutate(staticFlow(), (f) => {
      for (const id of ids) {
        f.screens.push(terminalScreen(id));
        f.screens[1].layout.children.splice(1, 0, link(navigateTo(id)));
      }
    });
    expect(errorsOf(flow)).toContain('INVALID_ROUTING_MODEL /screens/1');
  });
});

/** A valid no-endpoint chain of `n` screens, each with `width` inputs in a Form. */
function bigFlow(n: number, width: number): JsonObject {
  const id = (i: number) => `S_${i.toString(26).replace(/./g, (d) => String.fromCharCode(65 + parseInt(d, 26)))}`;
  const screens = Array.from({ length: n }, (_, i) => {
    const last = i === n - 1;
    const inputs = Array.from({ length: width }, (_, j) => ({ type: 'TextInput', name: `f_${j}`, label: 'Field' }));
    const action = last ? { name: 'complete', payload: {} } : navigateTo(id(i + 1));
    return {
      id: id(i),
      ...(last ? { terminal: true } : {}),
      layout: { type: 'SingleColumnLayout', children: [{ type: 'Form', name: 'form', children: [...inputs, { type: 'Footer', label: 'Next', 'on-click-action': action }] }] },
    };
  });
  return { version: '7.3', screens };
}

describe('robustness', () => {
  it('checks a 100-screen × 48-input flow and finds nothing', () => {
    expect(runCoreSemanticRules(bigFlow(100, 48))).toEqual([]);
  });

  it('checks a 100-screen routing model with 2^50 routes at once (no path enumeration)', () => {
    const id = (i: number) => `S_${String.fromCharCode(65 + Math.floor(i / 26))}${String.fromCharCode(65 + (i % 26))}`;
    const ids = Array.from({ length: 100 }, (_, i) => id(i));
    const flow: JsonObject = {
      version: '7.3',
      data_api_version: '4.0',
      routing_model: Object.fromEntries(ids.map((s, i) => [s, ids.slice(i + 1, i + 3)])),
      screens: ids.map((s, i) => (i === 99 ? terminalScreen(s) : exchangeScreen(s))),
    };
    const started = performance.now();
    expect(runCoreSemanticRules(flow)).toEqual([]);
    // Milliseconds when linear; enumerating the routes would never finish.
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('never throws on arbitrary values placed anywhere in a flow', () => {
    const paths = [
      ['screens', 0],
      ['screens', 0, 'layout', 'children', 1],
      ['screens', 0, 'layout', 'children', 1, 'children', 3, 'on-click-action'],
      ['screens', 0, 'layout', 'children', 1, 'children', 3, 'on-click-action', 'payload'],
      ['screens', 1, 'data'],
      ['screens', 1, 'sensitive'],
      ['routing_model'],
      ['screens', 0, 'layout', 'children', 1, 'init-values'],
    ] as const;
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.jsonValue(), fc.boolean(), (path, value, endpoint) => {
        const flow = endpoint ? endpointFlow() : staticFlow();
        let node: unknown = flow;
        for (const key of path.slice(0, -1)) node = (node as Record<string | number, unknown> | undefined)?.[key];
        if (typeof node === 'object' && node !== null) (node as Record<string | number, unknown>)[path[path.length - 1] ?? 0] = value;
        expect(Array.isArray(runCoreSemanticRules(flow))).toBe(true);
      }),
    );
  });
});
