import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbitraryFlow, expectedCompleteKeys, type GeneratedFlow } from '../arbitraries/flow.js';
import { autoFill, createFlowRuntime, type EndpointClient, type EndpointReply } from '../../src/core/runtime/index.js';

/** The endpoint a generated flow describes: each exit's next screen gets the resolved payload as data. */
function generatedEndpoint(g: GeneratedFlow): EndpointClient {
  const first = g.screens[0];
  return {
    send(req): Promise<EndpointReply> {
      if (req.action === 'INIT') return Promise.resolve({ kind: 'screen', screen: first?.id ?? '', data: { ...first?.data } });
      const index = g.screens.findIndex((s) => s.id === req.screen);
      const here = g.screens[index];
      if (req.action === 'BACK') {
        const prev = g.screens[index - 1];
        return Promise.resolve({ kind: 'screen', screen: prev?.id ?? '', data: { ...prev?.data } });
      }
      const keys = Object.keys(req.data ?? {}).sort();
      const isExit = here?.exit.action === 'data_exchange' && JSON.stringify(keys) === JSON.stringify([...here.exit.payloadKeys].sort());
      if (isExit && here.exit.next) return Promise.resolve({ kind: 'screen', screen: here.exit.next, data: { ...req.data } });
      return Promise.resolve({ kind: 'screen', screen: req.screen ?? '', data: {} });
    },
  };
}

describe('random valid flows (test/arbitraries/flow.ts)', () => {
  it('complete with auto-fill, and response_json holds exactly the complete payload keys plus flow_token', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryFlow({ maxScreens: 6 }), async (g) => {
        const rt = createFlowRuntime(g.flow, { flowToken: 'tok-random', ...(g.endpoint ? { endpoint: generatedEndpoint(g) } : {}) });
        if (typeof rt === 'string') throw new Error(rt);
        await rt.start();
        const result = await autoFill(rt);
        expect(result.stuck).toBeUndefined();
        expect(rt.status).toBe('completed');
        expect(Object.keys(rt.response ?? {}).sort()).toEqual([...expectedCompleteKeys(g), 'flow_token'].sort());
        expect(rt.response?.flow_token).toBe('tok-random');
        // Forwarded inputs keep their §1.13 types all the way to response_json.
        for (const input of g.screens.flatMap((sc) => sc.inputs)) {
          if (!(input.name in (rt.response ?? {}))) continue;
          const v = rt.response?.[input.name];
          if (input.value === 'string') expect(typeof v).toBe('string');
          if (input.value === 'boolean') expect(typeof v).toBe('boolean');
          if (input.value === 'string[]') expect(Array.isArray(v) && v.every((x) => typeof x === 'string')).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });
});
