import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { forEachComponent, screensOf } from '../../src/core/flow/walk.js';
import { parseRef } from '../../src/core/flow/expr/index.js';
import { isAtLeast, parseVersion } from '../../src/core/flow/version.js';
import { autoFill, createFlowRuntime, type FlowRuntime } from '../../src/core/runtime/index.js';
import { scriptedEndpoint } from './scripted-endpoint.js';

const dir = '/work/shared/fixtures/meta/';
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((file) => ({ file, flow: JSON.parse(readFileSync(dir + file, 'utf8')) }));
const local = fixtures.filter((f) => f.flow.data_api_version === undefined);
const remote = fixtures.filter((f) => f.flow.data_api_version !== undefined);

function started(flow: unknown, options: Parameters<typeof createFlowRuntime>[1]): FlowRuntime {
  const rt = createFlowRuntime(flow, options);
  if (typeof rt === 'string') throw new Error(rt);
  return rt;
}

/** The input component a `${form.x}` / `${screen.S.form.x}` payload value reads. */
function inputFor(flow: any, screenId: string, value: unknown): any {
  if (typeof value !== 'string') return undefined;
  const ref = parseRef(value);
  if (!ref || ref.kind === 'data' || (ref.kind === 'screen' && ref.source === 'data')) return undefined;
  const target = ref.kind === 'screen' ? ref.screen : screenId;
  let found: any;
  for (const s of screensOf(flow)) if (s.id === target) forEachComponent(s, (c) => { if (c.node.name === ref.path[0]) found = c.node; });
  return found;
}

/** The §1.13 value-type rule for an input component type. */
function assertValueType(flow: any, component: any, value: unknown): void {
  const iso = isAtLeast(parseVersion(flow.version)!, '5.0');
  switch (component.type) {
    case 'CheckboxGroup':
    case 'ChipsSelector':
      expect(Array.isArray(value) && (value as unknown[]).every((v) => typeof v === 'string')).toBe(true);
      break;
    case 'OptIn':
      expect(typeof value).toBe('boolean');
      break;
    case 'PhotoPicker':
    case 'DocumentPicker':
      expect(Array.isArray(value)).toBe(true);
      break;
    case 'DatePicker':
      expect(value).toMatch(iso ? /^\d{4}-\d{2}-\d{2}$/ : /^\d+$/);
      break;
    default:
      expect(typeof value).toBe('string');
  }
}

/** The complete action of the screen the flow completed on. */
function completeActionOf(flow: any, screenId: string): any {
  let action: any;
  for (const s of screensOf(flow)) if (s.id === screenId) forEachComponent(s, (c) => {
    const a = c.node['on-click-action'] as any;
    if (c.type === 'Footer' && a?.name === 'complete') action = a;
  });
  return action;
}

describe('Meta fixtures without an endpoint complete with auto-fill', () => {
  it.each(local.map((f) => [f.file, f.flow]))('%s', async (_file, flow) => {
    const rt = started(flow, { flowToken: 'tok-fixture' });
    await rt.start();
    const result = await autoFill(rt);
    expect(result.stuck).toBeUndefined();
    expect(rt.status).toBe('completed');
    const last = rt.view().screen;
    const action = completeActionOf(flow, last);
    expect(action).toBeDefined();
    const response = rt.response!;
    expect(Object.keys(response).sort()).toEqual([...Object.keys(action.payload ?? {}), 'flow_token'].sort());
    expect(response.flow_token).toBe('tok-fixture');
    for (const [key, source] of Object.entries<any>(action.payload ?? {})) {
      const input = inputFor(flow, last, source);
      const ref = typeof source === 'string' ? parseRef(source) : undefined;
      const declared = ref?.kind === 'data' ? flow.screens.find((x: any) => x.id === last)?.data?.[ref.path[0]!]?.type : undefined;
      if (input) assertValueType(flow, input, response[key]);
      else if (declared) expect(Array.isArray(response[key]) ? 'array' : typeof response[key]).toBe(declared);
      else if (typeof source !== 'string' || !source.includes('${')) expect(response[key]).toEqual(source);
    }
  });
});

describe('Meta endpoint fixtures complete against a scripted endpoint', () => {
  it.each(remote.map((f) => [f.file, f.flow]))('%s', async (_file, flow) => {
    const endpoint = scriptedEndpoint(flow);
    const rt = started(flow, { flowToken: 'tok-endpoint', endpoint });
    await rt.start();
    const result = await autoFill(rt);
    expect(result.stuck).toBeUndefined();
    expect(rt.status).toBe('completed');
    expect(rt.response?.flow_token).toBe('tok-endpoint');
    expect(endpoint.requests[0]).toEqual({ version: flow.data_api_version, action: 'INIT', flow_token: 'tok-endpoint' });
    for (const req of endpoint.requests.slice(1)) {
      expect(req.flow_token).toBe('tok-endpoint');
      expect(req.version).toBe(flow.data_api_version);
      expect(typeof req.screen).toBe('string');
      expect(req.data).toBeTypeOf('object');
    }
  });
});
