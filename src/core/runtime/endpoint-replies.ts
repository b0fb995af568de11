/**
 * What the client does with an endpoint answer (spec §2.5, §2.6, §1.10
 * rule 9): show the next screen, refresh the current one, close the flow, or
 * reject the answer with a client error and notify the endpoint (§2.2 item 4).
 * @module
 */
import { isObject } from '../flow/json.js';
import { jsonTypeOf } from '../flow/json.js';
import { GENERIC_ERROR_MESSAGE as GENERIC_ERROR } from './endpoint/endpoint-reply.js';
import type { EndpointReply } from './endpoint/endpoint-client.js';
import { isRoutable } from './flow-document.js';
import { enterScreen } from './actions.js';
import { applyInitValues, currentState, declaredData, sendToEndpoint, type RuntimeCore } from './runtime-core.js';
import type { StepResult } from './screen-state.js';

type Trigger = 'INIT' | 'data_exchange' | 'BACK';

/** A type mismatch between returned data and the screen's declared schema, if any. */
function schemaProblem(core: RuntimeCore, screen: string, data: Record<string, unknown>): string | undefined {
  const declared = declaredData(core, screen);
  for (const [key, value] of Object.entries(data)) {
    const decl = declared[key];
    if (key === 'error_message' || !isObject(decl) || typeof decl.type !== 'string') continue;
    const actual = jsonTypeOf(value);
    const ok = decl.type === actual || (decl.type === 'number' && actual === 'integer');
    if (!ok) return `data.${key} should be ${decl.type} but is ${actual} for screen ${screen}`;
  }
  return undefined;
}

/** Reject the answer: record, show a generic error, send the error notification. */
async function clientError(core: RuntimeCore, trigger: Trigger, error: string, message: string): Promise<StepResult> {
  core.events.push({ type: 'client-error', error, message });
  core.banner = { kind: 'error', text: GENERIC_ERROR };
  const screen = core.stack.length > 0 ? currentState(core).id : undefined;
  await sendToEndpoint(core, {
    action: trigger === 'INIT' ? 'INIT' : 'data_exchange',
    ...(screen !== undefined ? { screen } : {}),
    data: { error, error_message: message },
  });
  if (trigger === 'INIT') core.status = 'failed';
  return { ok: false, reason: error };
}

function withoutMessage(data: Record<string, unknown>): { data: Record<string, unknown>; message: string | undefined } {
  const { error_message: message, ...rest } = data;
  return { data: rest, message: typeof message === 'string' && message !== '' ? message : undefined };
}

/** Apply an endpoint reply to the client state. */
export async function applyEndpointReply(core: RuntimeCore, reply: EndpointReply, trigger: Trigger): Promise<StepResult> {
  switch (reply.kind) {
    case 'failure': {
      core.events.push({ type: 'client-error', error: reply.reason, message: reply.detail });
      core.banner = { kind: 'error', text: reply.userMessage };
      if (reply.reason === 'token-invalid') core.ctaDisabled = true;
      if (trigger === 'INIT') core.status = 'failed';
      return { ok: false, reason: reply.reason };
    }
    case 'ack':
      return clientError(core, trigger, 'unexpected-acknowledgement', 'the endpoint acknowledged instead of returning a screen');
    case 'complete': {
      const params = { ...reply.params };
      if (params.flow_token === undefined) core.events.push({ type: 'warning', message: 'completion params carry no flow_token (spec §2.5 requires it)' });
      core.response = params;
      core.status = 'completed';
      core.banner = undefined;
      core.events.push({ type: 'complete', response: params });
      return { ok: true };
    }
    case 'screen':
      return applyScreen(core, reply.screen, reply.data, trigger);
  }
}

async function applyScreen(core: RuntimeCore, target: string, raw: Record<string, unknown>, trigger: Trigger): Promise<StepResult> {
  const { data, message } = withoutMessage(isObject(raw) ? raw : {});
  const from = core.stack.length > 0 ? currentState(core).id : undefined;
  const previous = core.stack[core.stack.length - 2];
  const allowed =
    trigger === 'INIT' ? core.doc.screens.has(target)
    : trigger === 'BACK' ? previous?.id === target
    : from !== undefined && isRoutable(core.doc, from, target);
  if (!allowed) {
    return clientError(core, trigger, 'invalid-screen-transition', `the endpoint returned screen '${target}', which is not a declared route from '${from ?? '(start)'}'`);
  }
  const problem = schemaProblem(core, target, data);
  if (problem) return clientError(core, trigger, 'payload-schema-error', problem);
  if (trigger === 'BACK' && previous) {
    const left = core.stack.pop();
    if (left) core.visited.set(left.id, left);
    previous.data = { ...previous.data, ...data };
    core.events.push({ type: 'screen', screen: previous.id, via: 'back' });
  } else if (from === target) {
    // Same screen: a refresh. Decision: new keys are merged over the old data.
    const state = currentState(core);
    state.data = { ...state.data, ...data };
    state.dismissed.clear();
    applyInitValues(core, state);
    core.events.push({ type: 'screen', screen: target, via: 'refresh' });
  } else {
    await enterScreen(core, target, data, 'endpoint');
  }
  core.banner = message ? { kind: 'snackbar', text: message } : undefined;
  return { ok: true };
}
