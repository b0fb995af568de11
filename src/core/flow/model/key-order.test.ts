import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forEachComponentInFlow, screensOf } from '../walk.js';
import { COMPONENT_TYPES } from './component.js';
import {
  ACTION_KEY_ORDER, COMPONENT_KEY_ORDER, DATA_SOURCE_ITEM_KEY_ORDER, FLOW_KEY_ORDER, NAVIGATION_ITEM_KEY_ORDER, SCREEN_KEY_ORDER, orderKeys,
} from './key-order.js';

const dir = '/work/shared/fixtures/meta';
const docs = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => [f, JSON.parse(readFileSync(join(dir, f), 'utf8'))] as const);

describe('documented key orders cover every key Meta uses', () => {
  it('lists every component type of the model', () => {
    expect(Object.keys(COMPONENT_KEY_ORDER).sort()).toEqual([...COMPONENT_TYPES].sort());
  });

  it.each(docs)('%s: every key is a documented one', (_file, doc) => {
    const unknown: string[] = [];
    const check = (where: string, obj: Record<string, unknown>, allowed: readonly string[]): void => {
      for (const k of Object.keys(obj)) if (!allowed.includes(k)) unknown.push(`${where}: ${k}`);
    };
    check('flow', doc, FLOW_KEY_ORDER);
    for (const s of screensOf(doc)) check(s.pointer, s.node, SCREEN_KEY_ORDER);
    forEachComponentInFlow(doc, (c) => {
      expect(COMPONENT_TYPES).toContain(c.type);
      check(c.pointer, c.node, ['type', 'name', ...(COMPONENT_KEY_ORDER[c.type] ?? [])]);
      for (const key of ['on-click-action', 'on-select-action', 'on-unselect-action']) {
        const action = c.node[key];
        if (action && typeof action === 'object') check(`${c.pointer}/${key}`, action as Record<string, unknown>, ACTION_KEY_ORDER);
      }
      const items = c.node['data-source'];
      if (Array.isArray(items)) items.forEach((item: Record<string, unknown>) => check(`${c.pointer}/data-source`, item, DATA_SOURCE_ITEM_KEY_ORDER));
      const rows = c.node['list-items'];
      if (Array.isArray(rows)) rows.forEach((row: Record<string, unknown>) => check(`${c.pointer}/list-items`, row, NAVIGATION_ITEM_KEY_ORDER));
    });
    expect(unknown).toEqual([]);
  });
});

// JavaScript always enumerates array-index-like keys ('0', '17') first, in numeric order; JSON.stringify too.
const nonIndexKey = fc.string({ maxLength: 6 }).filter((k) => !/^(0|[1-9]\d*)$/.test(k));

describe('orderKeys', () => {
  it('puts listed keys first, keeps the rest in order, and loses nothing (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(nonIndexKey, fc.integer()), fc.array(nonIndexKey, { maxLength: 6 }), (obj, order) => {
        const out = orderKeys(obj, order);
        const keys = Object.keys(out);
        const listed = [...new Set(order)].filter((k) => Object.hasOwn(obj, k));
        expect(keys.slice(0, listed.length)).toEqual(listed);
        expect(keys.slice(listed.length)).toEqual(Object.keys(obj).filter((k) => !listed.includes(k)));
        for (const k of Object.keys(obj)) expect(out[k]).toBe(obj[k]);
      }),
      { numRuns: 300 },
    );
  });

  it('handles a __proto__ key as plain data', () => {
    const obj = JSON.parse('{"b":1,"__proto__":{"x":1}}') as Record<string, unknown>;
    const out = orderKeys(obj, ['__proto__']);
    expect(Object.keys(out)).toEqual(['__proto__', 'b']);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });
});
