import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { autoFill } from './auto-fill.js';
import { createFlowRuntime } from './flow-runtime.js';

const dir = '/work/shared/fixtures/meta/';
const fixtures = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(dir + f, 'utf8')) as Record<string, unknown>);
const local = fixtures.filter((f) => f.data_api_version === undefined);

/** Replace the value at a random path of `doc` with `value`. */
function replaceAt(doc: unknown, choices: number[], value: unknown): unknown {
  const copy = structuredClone(doc);
  let node: any = copy;
  for (let i = 0; i < choices.length; i++) {
    if (node === null || typeof node !== 'object') break;
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const key = keys[(choices[i] ?? 0) % keys.length]!;
    if (i === choices.length - 1 || node[key] === null || typeof node[key] !== 'object') {
      node[key] = value;
      break;
    }
    node = node[key];
  }
  return copy;
}

describe('createFlowRuntime', () => {
  it('explains documents it cannot run', () => {
    expect(createFlowRuntime(42, { flowToken: 't' })).toBe('The Flow JSON is not an object.');
    expect(createFlowRuntime({ version: 'x', screens: [] }, { flowToken: 't' })).toBe("The Flow JSON has no valid 'version'.");
    expect(createFlowRuntime({ version: '7.3', screens: [] }, { flowToken: 't' })).toBe('The Flow JSON has no screens.');
  });

  it('starts on the entry screen, not the first one, and can be started once', async () => {
    const flow = JSON.parse(readFileSync(`${dir}v4.0_forward_refs.json`, 'utf8'));
    const rt = createFlowRuntime(flow, { flowToken: 't' });
    if (typeof rt === 'string') throw new Error(rt);
    expect(rt.view()).toMatchObject({ status: 'not-started', screen: '' });
    expect((await rt.start()).ok).toBe(true);
    expect(rt.view().screen).toBe('SELECT_SERVICES');
    expect((await rt.start()).ok).toBe(false);
  });

  it('never throws on arbitrary JSON documents (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (doc) => {
        const rt = createFlowRuntime(doc, { flowToken: 't' });
        if (typeof rt === 'string') return;
        await rt.start();
        await autoFill(rt, 5);
        expect(typeof rt.view().status).toBe('string');
      }),
      { numRuns: 200 },
    );
  });

  it('never throws on fixtures with one random value replaced (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...local), fc.array(fc.nat(), { minLength: 1, maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), async (flow, path, value) => {
        const rt = createFlowRuntime(replaceAt(flow, path, value), { flowToken: 't' });
        if (typeof rt === 'string') return;
        await rt.start();
        await autoFill(rt, 10);
        expect(JSON.parse(JSON.stringify(rt.view()))).toEqual(rt.view());
      }),
      { numRuns: 300 },
    );
  });

  it('random operations never throw and the view stays JSON (property)', async () => {
    const op = fc.oneof(
      fc.record({ k: fc.constant('set'), name: fc.string(), value: fc.jsonValue({ maxDepth: 1 }) }),
      fc.record({ k: fc.constant('answer'), name: fc.string(), value: fc.jsonValue({ maxDepth: 1 }) }),
      fc.record({ k: fc.constant('select'), name: fc.string(), value: fc.option(fc.string(), { nil: undefined }) }),
      fc.record({ k: fc.constant('press'), name: fc.constantFrom('footer', 'x', 'Read more') }),
      fc.record({ k: fc.constant('back') }),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...local), fc.array(op, { maxLength: 10 }), async (flow, ops) => {
        const rt = createFlowRuntime(flow, { flowToken: 't' });
        if (typeof rt === 'string') throw new Error(rt);
        await rt.start();
        for (const o of ops) {
          if (o.k === 'set') rt.setValue(o.name, o.value);
          else if (o.k === 'answer') await rt.answer(o.name, o.value);
          else if (o.k === 'select') await rt.select(o.name, o.value);
          else if (o.k === 'press') await rt.press(o.name);
          else await rt.back();
        }
        const view = rt.view();
        expect(JSON.parse(JSON.stringify(view))).toEqual(view);
        expect(['active', 'completed', 'closed']).toContain(rt.status);
      }),
      { numRuns: 200 },
    );
  });
});
