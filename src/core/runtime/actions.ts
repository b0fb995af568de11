/**
 * Running actions (spec §1.8): navigate, data_exchange, complete,
 * update_data, open_url. Payload references are resolved at the moment the
 * action runs, from the current screen.
 * @module
 */
import { isObject, objectProp, stringProp, type JsonObject } from '../flow/json.js';
import { isAtLeast } from '../flow/version.js';
import { applyEndpointReply } from './endpoint-replies.js';
import { GENERIC_ERROR_MESSAGE as GENERIC_ERROR } from './endpoint/endpoint-reply.js';
import { toWebhookMedia } from './media.js';
import { visibleComponents } from './visible-components.js';
import { currentState, declaredData, pushScreen, scopeOf, sendToEndpoint, type RuntimeCore } from './runtime-core.js';
import { resolveValue } from './scope.js';
import type { StepResult } from './screen-state.js';

const OK: StepResult = { ok: true };

/** Resolve an action payload against the current screen. */
export function resolvePayload(core: RuntimeCore, action: JsonObject): Record<string, unknown> {
  const resolved = resolveValue(objectProp(action, 'payload') ?? {}, scopeOf(core));
  return isObject(resolved) ? resolved : {};
}

/** Enter a screen; in 6.0–6.3 component-level `on-select-action`s fire on render (spec §1.2). */
export async function enterScreen(core: RuntimeCore, id: string, data: Record<string, unknown>, via: 'start' | 'navigate' | 'endpoint'): Promise<void> {
  const state = pushScreen(core, id, data, via);
  const screen = core.doc.screens.get(id);
  if (!screen) return;
  const layout = visibleComponents(screen.node, scopeOf(core, state));
  if (layout.ignored.length > 0) {
    core.events.push({ type: 'warning', message: `screen ${id}: inputs outside a Form are not shown before Flow JSON 4.0: ${layout.ignored.join(', ')}` });
  }
  const v = core.doc.version;
  if (!isAtLeast(v, '6.0') || isAtLeast(v, '7.0')) return;
  for (const c of layout.components) {
    const action = objectProp(c.node, 'on-select-action');
    if (action && currentState(core) === state && core.status === 'active') await runAction(core, action);
  }
}

async function navigate(core: RuntimeCore, action: JsonObject): Promise<StepResult> {
  const next = objectProp(action, 'next');
  const target = next ? stringProp(next, 'name') : undefined;
  if (!target || !core.doc.screens.has(target)) {
    core.events.push({ type: 'client-error', error: 'unknown-screen', message: `navigate to unknown screen '${target ?? ''}'` });
    core.banner = { kind: 'error', text: GENERIC_ERROR };
    return { ok: false, reason: 'unknown-screen' };
  }
  await enterScreen(core, target, resolvePayload(core, action), 'navigate');
  return OK;
}

async function dataExchange(core: RuntimeCore, action: JsonObject): Promise<StepResult> {
  const from = currentState(core).id;
  const payload = resolvePayload(core, action);
  const reply = await sendToEndpoint(core, { action: 'data_exchange', screen: from, data: payload });
  if (!reply) {
    core.events.push({ type: 'client-error', error: 'no-endpoint', message: 'data_exchange needs an endpoint, and none is configured' });
    core.banner = { kind: 'error', text: GENERIC_ERROR };
    return { ok: false, reason: 'no-endpoint' };
  }
  return applyEndpointReply(core, reply, 'data_exchange');
}

function complete(core: RuntimeCore, action: JsonObject): StepResult {
  const payload = toWebhookMedia(resolvePayload(core, action));
  // Exactly what the response_json string carries: a JSON round trip drops unresolved (undefined) values.
  const response = JSON.parse(JSON.stringify({ ...payload, flow_token: core.options.flowToken })) as Record<string, unknown>;
  core.response = response;
  core.status = 'completed';
  core.banner = undefined;
  core.events.push({ type: 'complete', response });
  return OK;
}

function updateData(core: RuntimeCore, action: JsonObject): StepResult {
  const state = currentState(core);
  const payload = resolvePayload(core, action);
  const declared = declaredData(core, state.id);
  for (const key of Object.keys(payload)) {
    if (!(key in declared)) core.events.push({ type: 'warning', message: `update_data sets '${key}', which screen ${state.id} does not declare` });
  }
  state.data = { ...state.data, ...payload };
  core.events.push({ type: 'update_data', screen: state.id, payload });
  return OK;
}

/** Run one action object as the client would. */
export async function runAction(core: RuntimeCore, action: JsonObject): Promise<StepResult> {
  if (core.status !== 'active') return { ok: false, reason: `the flow is ${core.status}` };
  core.banner = undefined;
  switch (action.name) {
    case 'navigate':
      return navigate(core, action);
    case 'data_exchange':
      return dataExchange(core, action);
    case 'complete':
      return complete(core, action);
    case 'update_data':
      return updateData(core, action);
    case 'open_url': {
      core.events.push({ type: 'open_url', url: stringProp(action, 'url') ?? '' });
      return OK;
    }
    default:
      core.events.push({ type: 'warning', message: `unknown action '${String(action.name)}' ignored` });
      return { ok: false, reason: 'unknown-action' };
  }
}
