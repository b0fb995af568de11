/**
 * The client's state and the primitives every operation shares: the scope
 * references read, entering a screen (init-values), and talking to the
 * endpoint with the request shapes of spec §2.4.
 * @module
 */
import { isObject, objectProp } from '../flow/json.js';
import type { EndpointClient, EndpointReply, EndpointRequest } from './endpoint/endpoint-client.js';
import { GENERIC_ERROR_MESSAGE } from './endpoint/endpoint-reply.js';
import { features, type FlowDocument } from './flow-document.js';
import { resolveValue, type InputIndex, type Scope } from './scope.js';
import { newScreenState, type RuntimeEvent, type RuntimeStatus, type ScreenState } from './screen-state.js';
import { forEachComponent } from '../flow/walk.js';
import { INPUT_TYPES, PICKER_TYPES } from './components.js';

/** Options of {@link createFlowRuntime}. */
export interface RuntimeOptions {
  /** The token the business sent with the flow; echoed in requests and in `response_json`. */
  flowToken: string;
  /** Screen to open with (flow_action navigate); default: the entry screen. */
  initialScreen?: string;
  /** Data of the first screen (flow_action_payload.data); default: its `__example__` values. */
  initialData?: Record<string, unknown>;
  /** The endpoint, for endpoint-powered flows. With it, `start()` sends INIT. */
  endpoint?: EndpointClient;
  /** Data API version of requests; default the document's `data_api_version`. */
  dataApiVersion?: '3.0' | '4.0';
  /** Open with flow_action navigate even when an endpoint is given. */
  openWith?: 'navigate' | 'data_exchange';
}

/** A message across the screen: an endpoint's `error_message` snackbar, or an error. */
export interface Banner {
  readonly kind: 'snackbar' | 'error';
  readonly text: string;
}

/** Mutable state of one running flow. */
export interface RuntimeCore {
  readonly doc: FlowDocument;
  readonly inputs: InputIndex;
  readonly options: RuntimeOptions;
  readonly stack: ScreenState[];
  /** Last state of every screen opened so far (global refs read popped screens too). */
  readonly visited: Map<string, ScreenState>;
  status: RuntimeStatus;
  banner: Banner | undefined;
  /** The nfm_reply `response_json` once the flow completed. */
  response: Record<string, unknown> | undefined;
  /** After a 427 the client disables the call to action (spec §2.6). */
  ctaDisabled: boolean;
  readonly events: RuntimeEvent[];
}

/** The top of the stack (callers check `status === 'active'` first). */
export function currentState(core: RuntimeCore): ScreenState {
  const top = core.stack[core.stack.length - 1];
  if (!top) throw new Error('The flow has no open screen.');
  return top;
}

/** The scope references on the current screen read. */
export function scopeOf(core: RuntimeCore, state: ScreenState = currentState(core)): Scope {
  return {
    doc: core.doc,
    inputs: core.inputs,
    current: state,
    screenState: (id) => core.stack.findLast((s) => s.id === id) ?? core.visited.get(id),
  };
}

/**
 * Give untouched inputs their initial value: Form `init-values`, or from 4.0
 * a component's own `init-value` (spec §1.7). Pickers cannot be initialised.
 */
export function applyInitValues(core: RuntimeCore, state: ScreenState): void {
  const screen = core.doc.screens.get(state.id);
  if (!screen) return;
  const scope = scopeOf(core, state);
  const own = features(core.doc.version).componentInit;
  forEachComponent(screen, (c) => {
    const name = c.node.name;
    if (!INPUT_TYPES.has(c.type) || PICKER_TYPES.has(c.type) || typeof name !== 'string' || state.touched.has(name)) return;
    let init: unknown;
    if (c.form) {
      const all = resolveValue(c.form.node['init-values'], scope);
      init = isObject(all) ? all[name] : undefined;
    } else if (own) {
      init = resolveValue(c.node['init-value'], scope);
    }
    if (init !== undefined) state.values[name] = init;
  });
}

/** Put a screen on top of the stack with `data` and record it. */
export function pushScreen(core: RuntimeCore, id: string, data: Record<string, unknown>, via: 'start' | 'navigate' | 'endpoint'): ScreenState {
  const state = newScreenState(id, data);
  core.stack.push(state);
  core.visited.set(id, state);
  core.status = 'active';
  applyInitValues(core, state);
  core.events.push({ type: 'screen', screen: id, via });
  return state;
}

/** True when the screen asks for a BACK request when left (spec §1.3). */
export function refreshesOnBack(core: RuntimeCore, id: string): boolean {
  const node = core.doc.screens.get(id)?.node;
  return node?.refresh_on_back === true && core.doc.hasEndpoint;
}

/** The data keys a screen declares (for `update_data` and schema checks). */
export function declaredData(core: RuntimeCore, id: string): Record<string, unknown> {
  const node = core.doc.screens.get(id)?.node;
  return (node && objectProp(node, 'data')) ?? {};
}

/** Send one request to the endpoint, logging both directions; undefined when there is no endpoint. */
export async function sendToEndpoint(core: RuntimeCore, request: Omit<EndpointRequest, 'version' | 'flow_token'>): Promise<EndpointReply | undefined> {
  const endpoint = core.options.endpoint;
  if (!endpoint) return undefined;
  const full: EndpointRequest = {
    version: core.options.dataApiVersion ?? core.doc.dataApiVersion,
    ...request,
    flow_token: core.options.flowToken,
  };
  core.events.push({ type: 'endpoint-request', request: { ...full } });
  let reply: EndpointReply;
  try {
    reply = await endpoint.send(full);
  } catch (error) {
    // A client that throws (a buggy fake, a transport bug) is treated like a network failure.
    reply = { kind: 'failure', reason: 'network', userMessage: GENERIC_ERROR_MESSAGE, detail: error instanceof Error ? error.message : String(error) };
  }
  core.events.push({ type: 'endpoint-reply', reply: { ...reply } });
  return reply;
}
