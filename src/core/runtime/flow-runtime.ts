/**
 * A headless WhatsApp client for one Flow JSON document (versions 2.1–7.3):
 * it opens the flow, lets a program act like a person (type, choose, press,
 * go back), applies the client's own checks, talks to the endpoint through
 * an injected `EndpointClient`, and yields the `response_json` the
 * nfm_reply webhook would carry. Pure and browser-safe.
 * @module
 */
import { isObject, objectProp, type JsonObject } from '../flow/json.js';
import { enterScreen, runAction } from './actions.js';
import { buildView } from './build-view.js';
import { asText } from './components.js';
import { applyEndpointReply } from './endpoint-replies.js';
import { entryScreen, exampleData, readFlowDocument } from './flow-document.js';
import { checkInput } from './input-checks.js';
import { currentState, refreshesOnBack, scopeOf, sendToEndpoint, type RuntimeCore, type RuntimeOptions } from './runtime-core.js';
import { buildInputIndex, resolveFlag, resolveText, resolveValue } from './scope.js';
import type { RuntimeEvent, RuntimeStatus, StepResult } from './screen-state.js';
import type { ScreenView } from './screen-view.js';
import { answer, select, setValue, unselect } from './selection.js';
import { visibleComponents } from './visible-components.js';

export type { RuntimeOptions } from './runtime-core.js';

/** A running flow, driven the way a person drives the WhatsApp client. */
export interface FlowRuntime {
  /** Open the flow: INIT to the endpoint, or the first screen with its data. */
  start(): Promise<StepResult>;
  /** Type into an input (no select actions fire). Dates: YYYY-MM-DD in any version. */
  setValue(name: string, value: unknown): StepResult;
  /** Choose option `id` of a list, or tick an OptIn (no id); fires on-select actions. */
  select(name: string, id?: string): Promise<StepResult>;
  /** Un-choose an option, or untick an OptIn; fires on-unselect actions. */
  unselect(name: string, id?: string): Promise<StepResult>;
  /** Set any input like a person would (typing or selecting). */
  answer(name: string, value: unknown): Promise<StepResult>;
  /** Press `'footer'`, an EmbeddedLink (by text), an OptIn's "Read more" (by name) or a NavigationList item (id or title). */
  press(target: string): Promise<StepResult>;
  /** The back button; on the first screen it closes the flow. */
  back(): Promise<StepResult>;
  /** What the person sees now. */
  view(): ScreenView;
  /** The errors the client's checks would show now on the visible inputs, without recording them. */
  validate(): Record<string, string>;
  readonly status: RuntimeStatus;
  /** The nfm_reply `response_json` (parsed) once completed. */
  readonly response: Record<string, unknown> | undefined;
  /** Everything that happened, in order. */
  readonly events: readonly RuntimeEvent[];
}

/** A pressable thing and the action it runs. */
type PressTarget =
  | { kind: 'footer'; action: JsonObject; enabled: boolean }
  | { kind: 'link' | 'read-more' | 'list-item'; action: JsonObject };

/**
 * Find what a person presses: the Footer, an EmbeddedLink (by its text), an
 * OptIn's "Read more" (by name or label) or a NavigationList item (by id or
 * title; the item's action, else the list's, spec §1.9).
 */
function pressTarget(core: RuntimeCore, target: string): PressTarget | undefined {
  const state = currentState(core);
  const screen = core.doc.screens.get(state.id);
  if (!screen) return undefined;
  const scope = scopeOf(core);
  for (const c of visibleComponents(screen.node, scope).components) {
    const n = c.node;
    const action = objectProp(n, 'on-click-action');
    if (c.type === 'Footer' && target.toLowerCase() === 'footer' && action) {
      return { kind: 'footer', action, enabled: resolveFlag(n.enabled, scope, true) && !core.ctaDisabled };
    }
    if (c.type === 'EmbeddedLink' && action && resolveText(n.text, scope) === target) return { kind: 'link', action };
    if (c.type === 'OptIn' && action && (n.name === target || resolveText(n.label, scope) === target)) return { kind: 'read-more', action };
    if (c.type === 'NavigationList') {
      const items = resolveValue(n['list-items'], scope);
      for (const item of Array.isArray(items) ? items.filter(isObject) : []) {
        const main = objectProp(item, 'main-content');
        const title = main ? resolveText(main.title, scope) : '';
        if (asText(item.id) !== target && title !== target) continue;
        const itemAction = objectProp(item, 'on-click-action') ?? action;
        if (itemAction) return { kind: 'list-item', action: itemAction };
      }
    }
  }
  return undefined;
}

function currentErrors(core: RuntimeCore): Record<string, string> {
  if (core.status !== 'active') return {};
  const state = currentState(core);
  const screen = core.doc.screens.get(state.id);
  const scope = scopeOf(core);
  const errors: Record<string, string> = {};
  for (const c of screen ? visibleComponents(screen.node, scope).components : []) {
    const name = c.node.name;
    if (typeof name !== 'string' || c.type === 'NavigationList') continue;
    const error = checkInput(c.node, state.values[name], scope);
    if (error) errors[name] = error;
  }
  return errors;
}

function checkFooter(core: RuntimeCore): StepResult {
  const state = currentState(core);
  const errors = currentErrors(core);
  state.clientErrors = errors;
  if (Object.keys(errors).length === 0) return { ok: true };
  core.events.push({ type: 'blocked', screen: state.id, errors });
  return { ok: false, reason: 'blocked', errors };
}

async function start(core: RuntimeCore): Promise<StepResult> {
  if (core.status !== 'not-started') return { ok: false, reason: 'already started' };
  const viaEndpoint = core.options.endpoint && core.doc.hasEndpoint && core.options.openWith !== 'navigate';
  if (viaEndpoint) {
    const reply = await sendToEndpoint(core, { action: 'INIT' });
    return reply ? applyEndpointReply(core, reply, 'INIT') : { ok: false, reason: 'no-endpoint' };
  }
  const id = core.options.initialScreen ?? entryScreen(core.doc);
  if (!core.doc.screens.has(id)) {
    core.status = 'failed';
    return { ok: false, reason: `unknown screen '${id}'` };
  }
  await enterScreen(core, id, core.options.initialData ?? exampleData(core.doc.screens.get(id)), 'start');
  return { ok: true };
}

async function back(core: RuntimeCore): Promise<StepResult> {
  if (core.status !== 'active') return { ok: false, reason: `the flow is ${core.status}` };
  const leaving = currentState(core);
  if (core.stack.length === 1) {
    core.status = 'closed';
    return { ok: true };
  }
  if (refreshesOnBack(core, leaving.id) && core.options.endpoint) {
    const reply = await sendToEndpoint(core, { action: 'BACK', screen: leaving.id });
    if (reply) return applyEndpointReply(core, reply, 'BACK');
  }
  core.stack.pop();
  core.visited.set(leaving.id, leaving);
  core.banner = undefined;
  core.events.push({ type: 'screen', screen: currentState(core).id, via: 'back' });
  return { ok: true };
}

async function press(core: RuntimeCore, target: string): Promise<StepResult> {
  if (core.status !== 'active') return { ok: false, reason: `the flow is ${core.status}` };
  const found = pressTarget(core, target);
  if (!found) return { ok: false, reason: `nothing to press called '${target}'` };
  if (found.kind === 'footer') {
    if (!found.enabled) return { ok: false, reason: 'the footer button is disabled' };
    const checked = checkFooter(core);
    if (!checked.ok) return checked;
  }
  return runAction(core, found.action);
}

/** Create a runtime for a Flow JSON document; a string explains why it cannot run. */
export function createFlowRuntime(flowJson: unknown, options: RuntimeOptions): FlowRuntime | string {
  const doc = readFlowDocument(flowJson);
  if (typeof doc === 'string') return doc;
  const core: RuntimeCore = {
    doc, inputs: buildInputIndex(doc), options, stack: [], visited: new Map(),
    status: 'not-started', banner: undefined, response: undefined, ctaDisabled: false, events: [],
  };
  return {
    start: () => start(core),
    setValue: (name, value) => setValue(core, name, value),
    select: (name, id) => select(core, name, id),
    unselect: (name, id) => unselect(core, name, id),
    answer: (name, value) => answer(core, name, value),
    press: (target) => press(core, target),
    back: () => back(core),
    view: () => buildView(core),
    validate: () => currentErrors(core),
    get status() { return core.status; },
    get response() { return core.response; },
    get events() { return core.events; },
  };
}

