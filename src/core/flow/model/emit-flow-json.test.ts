import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emitFlowJson } from './emit-flow-json.js';
import { parseFlow } from './parse-flow.js';
import type { FlowJson } from './flow.js';
import { validateFlow } from '../validate/validate-flow.js';

const fixtureDir = '/work/shared/fixtures/meta';
const fixtures = readdirSync(fixtureDir).filter((f) => f.endsWith('.json')).sort();

function load(file: string): { text: string; original: unknown; flow: FlowJson } {
  const text = readFileSync(join(fixtureDir, file), 'utf8');
  const parsed = parseFlow(text);
  if (!parsed.ok) throw new Error(`${file}: ${parsed.message}`);
  return { text, original: JSON.parse(text), flow: parsed.flow };
}

/** Every key path (object keys only) in document order, to compare orders. */
function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([k, v]) => [k, ...keysOf(v)]);
  return [];
}

describe('emitFlowJson round trip over Meta fixtures', () => {
  it('has fixtures to test', () => {
    expect(fixtures.length).toBeGreaterThan(30);
  });

  it.each(fixtures)('%s: parse → emit → JSON.parse is deep-equal to the original', (file) => {
    const { original, flow } = load(file);
    expect(JSON.parse(emitFlowJson(flow))).toStrictEqual(original);
  });

  it.each(fixtures)('%s: preserveOrder is byte-identical to JSON.stringify(original, null, 2)', (file) => {
    const { original, flow } = load(file);
    expect(emitFlowJson(flow, { preserveOrder: true })).toBe(JSON.stringify(original, null, 2));
  });

  it.each(fixtures)('%s: canonical emission is idempotent and independent of the input order', (file) => {
    const { flow } = load(file);
    const once = emitFlowJson(flow);
    const reparsed = parseFlow(once);
    expect(reparsed.ok).toBe(true);
    if (reparsed.ok) expect(emitFlowJson(reparsed.flow)).toBe(once);
  });

  it.each(fixtures)('%s: the canonical reordering changes no validation finding', (file) => {
    const { original, flow } = load(file);
    const summary = (doc: unknown) => validateFlow(doc).findings.map((f) => `${f.severity} ${f.code} ${f.pointer}`).sort();
    expect(summary(JSON.parse(emitFlowJson(flow)))).toEqual(summary(original));
  });
});

describe('canonical key order', () => {
  it('orders the top level, screens, components and actions as documented', () => {
    const { flow } = load('v6.2_navigation_list.json');
    const doc = JSON.parse(emitFlowJson(flow));
    expect(Object.keys(doc)).toEqual(['version', 'routing_model', 'screens']);
    const contact = doc.screens[4];
    expect(Object.keys(contact)).toEqual(['id', 'title', 'terminal', 'data', 'layout']);
    const input = contact.layout.children[1].children[1];
    // the fixture writes name, required, label: canonical is type, name, label, required
    expect(Object.keys(input)).toEqual(['type', 'name', 'label', 'required']);
    const item = doc.screens[0].layout.children[0]['list-items'][0];
    expect(Object.keys(item)).toEqual(['id', 'main-content', 'end', 'on-click-action']);
    // the fixture writes next as {name, type}
    expect(Object.keys(item['on-click-action'].next)).toEqual(['type', 'name']);
    expect(Object.keys(item['on-click-action'])).toEqual(['name', 'next', 'payload']);
  });

  it('keeps user-chosen keys (payload, routing model) in their original order', () => {
    const { flow, original } = load('v6.2_navigation_list.json');
    const doc = JSON.parse(emitFlowJson(flow));
    expect(Object.keys(doc.routing_model)).toEqual(Object.keys((original as { routing_model: object }).routing_model));
    const payload = doc.screens[4].layout.children[1].children[2]['on-click-action'].payload;
    expect(Object.keys(payload)).toEqual(['phone', 'name']);
  });

  it('puts unknown keys last, in their original order', () => {
    const flow = {
      zeta: 1,
      screens: [{ extra_b: 1, layout: { children: [{ custom: 1, text: 'Hi', type: 'TextBody', another: 2 }], type: 'SingleColumnLayout' }, extra_a: 2, id: 'A' }],
      version: '7.3',
    } as unknown as FlowJson;
    const doc = JSON.parse(emitFlowJson(flow));
    expect(Object.keys(doc)).toEqual(['version', 'screens', 'zeta']);
    expect(Object.keys(doc.screens[0])).toEqual(['id', 'layout', 'extra_b', 'extra_a']);
    expect(Object.keys(doc.screens[0].layout)).toEqual(['type', 'children']);
    expect(Object.keys(doc.screens[0].layout.children[0])).toEqual(['type', 'text', 'custom', 'another']);
  });

  it('orders data declarations type, items, properties, __example__ without touching the example', () => {
    const flow = {
      version: '7.3',
      screens: [{
        id: 'A',
        data: { slots: { __example__: [{ title: 't', id: '1' }], items: { properties: { title: { type: 'string' } }, type: 'object' }, type: 'array' } },
        layout: { type: 'SingleColumnLayout', children: [] },
      }],
    } as unknown as FlowJson;
    const slots = JSON.parse(emitFlowJson(flow)).screens[0].data.slots;
    expect(Object.keys(slots)).toEqual(['type', 'items', '__example__']);
    expect(Object.keys(slots.items)).toEqual(['type', 'properties']);
    expect(Object.keys(slots.__example__[0])).toEqual(['title', 'id']);
  });

  it('honours indent, including compact output', () => {
    const { flow } = load('v6.3_chips_selector.json');
    expect(emitFlowJson(flow, { indent: 0 })).not.toContain('\n');
    expect(emitFlowJson(flow, { indent: 4 }).split('\n')[1]).toMatch(/^ {4}"version"/);
  });

  it('never loses or invents data for arbitrary JSON placed anywhere in a flow (property)', () => {
    const anyJson = fc.jsonValue({ maxDepth: 3 });
    const component = fc.dictionary(fc.string({ maxLength: 12 }), anyJson, { maxKeys: 6 }).chain((extra) =>
      fc.constantFrom('TextBody', 'Footer', 'Form', 'If', 'Switch', 'Dropdown', 'NavigationList', 'Nope').map((type) => ({ ...extra, type })),
    );
    const doc = fc.record({
      version: fc.constant('7.3'),
      screens: fc.array(
        fc.record({ id: fc.string(), data: anyJson, layout: fc.record({ type: fc.constant('SingleColumnLayout'), children: fc.array(component, { maxLength: 4 }) }) }),
        { maxLength: 3 },
      ),
      routing_model: anyJson,
    });
    fc.assert(
      fc.property(doc, (d) => {
        const text = emitFlowJson(d as unknown as FlowJson);
        expect(JSON.parse(text)).toStrictEqual(JSON.parse(JSON.stringify(d)));
        expect(keysOf(JSON.parse(text)).sort()).toEqual(keysOf(d).sort());
        expect(emitFlowJson(JSON.parse(text) as FlowJson)).toBe(text);
      }),
      { numRuns: 150 },
    );
  });
});
