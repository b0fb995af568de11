/**
 * Auto-fill: play a person who fills every visible input of the current
 * screen with a valid value and presses forward (the Footer, else the first
 * NavigationList item), screen after screen, until the flow completes, gets
 * stuck, or a step limit is reached. Drives only the public runtime API.
 * @module
 */
import type { FlowRuntime } from './flow-runtime.js';
import { INPUT_TYPES } from './components.js';
import { fillCandidates, hasValue } from './fill-values.js';
import type { RuntimeStatus } from './screen-state.js';

/** How an auto-fill run ended. */
export interface AutoFillResult {
  readonly status: RuntimeStatus;
  /** Forward presses made. */
  readonly steps: number;
  readonly response?: Record<string, unknown>;
  /** Why it stopped before completion (blocked errors, endpoint failure, no way forward, step limit). */
  readonly stuck?: { screen: string; reason: string; errors?: Readonly<Record<string, string>> };
}

/** Fill one input: keep a valid existing value, else try candidates until the client's checks pass. */
async function fillInput(runtime: FlowRuntime, name: string): Promise<void> {
  const view = runtime.view();
  const c = view.components.find((x) => x.name === name);
  if (!c) return;
  if (hasValue(c) && runtime.validate()[name] === undefined) return;
  for (const candidate of fillCandidates(c)) {
    await runtime.answer(name, candidate);
    if (runtime.status !== 'active' || runtime.view().screen !== view.screen) return;
    if (runtime.validate()[name] === undefined) return;
  }
}

/** Fill every visible input of the current screen (re-reading the view: answers can change it). */
async function fillScreen(runtime: FlowRuntime): Promise<void> {
  const screen = runtime.view().screen;
  const done = new Set<string>();
  for (;;) {
    const v = runtime.view();
    if (runtime.status !== 'active' || v.screen !== screen) return;
    const next = v.components.find((c) => INPUT_TYPES.has(c.type) && c.enabled && c.name !== undefined && !done.has(c.name));
    if (!next?.name) return;
    done.add(next.name);
    await fillInput(runtime, next.name);
  }
}

/** Run the flow to the end with generated answers. The runtime must be started. */
export async function autoFill(runtime: FlowRuntime, maxSteps = 50): Promise<AutoFillResult> {
  let steps = 0;
  while (runtime.status === 'active') {
    if (steps >= maxSteps) return { status: runtime.status, steps, stuck: { screen: runtime.view().screen, reason: 'step limit reached' } };
    await fillScreen(runtime);
    if (runtime.status !== 'active') break;
    const v = runtime.view();
    const list = v.components.find((c) => c.type === 'NavigationList');
    const target = v.footer ? 'footer' : list?.options?.[0]?.id;
    if (target === undefined) return { status: runtime.status, steps, stuck: { screen: v.screen, reason: 'nothing to press forward' } };
    steps++;
    const result = await runtime.press(target);
    if (!result.ok) {
      return { status: runtime.status, steps, stuck: { screen: v.screen, reason: result.reason ?? 'press failed', ...(result.errors ? { errors: result.errors } : {}) } };
    }
  }
  return { status: runtime.status, steps, ...(runtime.response ? { response: runtime.response } : {}) };
}
