/**
 * Test helper: run a compiled flow in the runtime emulator, with a fake
 * endpoint built on `endpointStep` when the flow needs one, and return what
 * came back.
 * @module
 */
import type { CompileResult } from '../../src/core/compile/compile-form.js';
import { endpointStep } from '../../src/core/compile/endpoint-step.js';
import { autoFill, type AutoFillResult } from '../../src/core/runtime/auto-fill.js';
import { INPUT_TYPES } from '../../src/core/runtime/components.js';
import { fillCandidates, hasValue } from '../../src/core/runtime/fill-values.js';
import type { EndpointClient, EndpointReply, EndpointRequest } from '../../src/core/runtime/endpoint/endpoint-client.js';
import { createFlowRuntime, type FlowRuntime } from '../../src/core/runtime/flow-runtime.js';

/** Scripted answers per screen id: input name → value (option ids for lists, `true` to tick an OptIn, `null` to leave it empty). */
export type Script = Record<string, Record<string, unknown>>;

/** What a run produced. */
export interface RunOutcome {
  status: string;
  response?: Record<string, unknown>;
  /** Answers the endpoint received (files, everything sent with data_exchange). */
  endpointAnswers: Record<string, unknown>;
  screens: string[];
  stuck?: AutoFillResult['stuck'];
}

/** A fake endpoint answering data_exchange with the compiled form's logic. */
export function fakeEndpoint(result: CompileResult, seen: Record<string, unknown>): EndpointClient {
  return {
    send(request: EndpointRequest): Promise<EndpointReply> {
      if (request.action === 'ping') return Promise.resolve({ kind: 'ack' });
      Object.assign(seen, request.data ?? {});
      const step = endpointStep(result.fieldMap, request.screen ?? '', { ...seen });
      if (!step) return Promise.resolve({ kind: 'failure', reason: 'schema', userMessage: 'no step', detail: `no step for ${request.screen ?? ''}` });
      return Promise.resolve({ kind: 'screen', screen: step.screen, data: step.data });
    },
  };
}

async function answerScreen(rt: FlowRuntime, answers: Record<string, unknown>): Promise<void> {
  for (const [name, value] of Object.entries(answers)) {
    if (value === null || !rt.view().components.some((c) => c.name === name)) continue;
    if (value === true) await rt.select(name);
    else if (Array.isArray(value)) for (const id of value) await rt.select(name, String(id));
    else await rt.answer(name, value);
  }
}

/**
 * Run the flow: on each screen apply the script's answers, then let autoFill
 * fill the rest, press forward, until done.
 */
export async function runCompiled(result: CompileResult, script: Script = {}, maxSteps = 400): Promise<RunOutcome> {
  const endpointAnswers: Record<string, unknown> = {};
  const rt = createFlowRuntime(result.flow, {
    flowToken: 'tok', openWith: 'navigate',
    ...(result.fieldMap.endpoint ? { endpoint: fakeEndpoint(result, endpointAnswers) } : {}),
  });
  if (typeof rt === 'string') throw new Error(rt);
  await rt.start();
  const screens: string[] = [];
  for (let i = 0; i < maxSteps && rt.status === 'active'; i++) {
    const screen = rt.view().screen;
    screens.push(screen);
    const scripted = script[screen];
    if (scripted) await answerScreen(rt, scripted);
    const empty = new Set(Object.entries(scripted ?? {}).filter(([, v]) => v === null).map(([k]) => k));
    const r = empty.size === 0 ? await autoFill(rt, 1) : await fillExceptAndPress(rt, empty);
    if (rt.status === 'active' && rt.view().screen === screen) {
      return { status: rt.status, endpointAnswers, screens, stuck: r.stuck ?? { screen, reason: 'did not move' } };
    }
  }
  return { status: rt.status, ...(rt.response ? { response: rt.response } : {}), endpointAnswers, screens };
}

/** Like one step of autoFill, but inputs in `empty` stay unanswered (an optional question skipped). */
async function fillExceptAndPress(rt: FlowRuntime, empty: ReadonlySet<string>): Promise<{ stuck?: AutoFillResult['stuck'] }> {
  const screen = rt.view().screen;
  const done = new Set<string>(empty);
  for (;;) {
    const next = rt.view().components.find((c) => INPUT_TYPES.has(c.type) && c.enabled && c.name !== undefined && !done.has(c.name));
    if (next?.name === undefined) break;
    done.add(next.name);
    if (hasValue(next) && rt.validate()[next.name] === undefined) continue;
    for (const candidate of fillCandidates(next)) {
      await rt.answer(next.name, candidate);
      if (rt.validate()[next.name] === undefined) break;
    }
  }
  const result = await rt.press('footer');
  return result.ok ? {} : { stuck: { screen, reason: result.reason ?? 'press failed', ...(result.errors ? { errors: result.errors } : {}) } };
}
