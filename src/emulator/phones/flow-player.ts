/**
 * Plays one received flow on a virtual phone with the headless WhatsApp
 * client (src/core/runtime): opens it as the message says (navigate with its
 * screen and data, or INIT to the endpoint), then screen by screen applies
 * the script's answers, lets auto-fill complete the rest and press forward,
 * optionally submitting invalid answers first or abandoning on a screen.
 * @module
 */
import { autoFill, createFlowRuntime, type EndpointClient, type FlowRuntime } from '../../core/runtime/index.js';
import type { SentFlow } from '../emulator-state.js';
import { attachUploads, badUploadAttempt, hasPicker } from './picker-uploads.js';
import type { PhoneUploads } from './phone-media.js';
import type { PhoneBehaviour } from './phone-script.js';

/** How playing a flow ended. */
export type PlayResult =
  | { readonly kind: 'completed'; readonly screens: readonly string[]; readonly response: Record<string, unknown>; readonly invalidAttempt?: InvalidAttempt }
  | { readonly kind: 'abandoned'; readonly screens: readonly string[]; readonly invalidAttempt?: InvalidAttempt }
  | { readonly kind: 'stuck'; readonly screens: readonly string[]; readonly reason: string; readonly invalidAttempt?: InvalidAttempt };

/** What the invalid first attempt led to: blocked by the client's checks, refused by the endpoint, or (wrongly) accepted. */
export interface InvalidAttempt {
  readonly screen: string;
  readonly outcome: 'blocked' | 'refused' | 'accepted';
  /** Errors shown: the client's, or the endpoint's per-field messages. */
  readonly errors: Readonly<Record<string, string>>;
}

/** Most screens played before giving up (loops in a badly built flow). */
export const MAX_SCREENS = 50;

/** The errors the screen shows (inputs by name, the banner as `$banner`). */
export function errorsShown(runtime: FlowRuntime): Record<string, string> {
  const out: Record<string, string> = {};
  const view = runtime.view();
  for (const c of view.components) if (c.error && c.name) out[c.name] = c.error;
  if (view.banner) out.$banner = view.banner.text;
  return out;
}

async function applyAnswers(runtime: FlowRuntime, answers: Readonly<Record<string, unknown>> | undefined): Promise<void> {
  const screen = runtime.view().screen;
  for (const [name, value] of Object.entries(answers ?? {})) {
    await runtime.answer(name, value);
    if (runtime.status !== 'active' || runtime.view().screen !== screen) return;
  }
}

async function invalidAttempt(runtime: FlowRuntime, answers: Readonly<Record<string, unknown>> | undefined): Promise<InvalidAttempt> {
  const screen = runtime.view().screen;
  await applyAnswers(runtime, answers);
  const pressed = await runtime.press('footer');
  const moved = runtime.status !== 'active' || runtime.view().screen !== screen;
  if (moved) return { screen, outcome: 'accepted', errors: {} };
  if (!pressed.ok) return { screen, outcome: 'blocked', errors: { ...(pressed.errors ?? {}) } };
  const errors = errorsShown(runtime);
  // Clear what was typed so the valid pass does not keep a refused value.
  for (const name of Object.keys(answers ?? {})) runtime.setValue(name, undefined);
  return { screen, outcome: 'refused', errors };
}

function abandonsHere(b: PhoneBehaviour, screen: string, count: number): boolean {
  return b.abandonAt !== undefined && (b.abandonAt === screen || b.abandonAt === count);
}

/**
 * Open `flow` and play it as `behaviour` says. With `uploads`, picker
 * answers are real encrypted files on the emulator's CDN (else the
 * runtime's placeholders, which point nowhere).
 */
export async function playFlow(flow: SentFlow, behaviour: PhoneBehaviour, endpoint: EndpointClient | undefined, uploads?: PhoneUploads): Promise<PlayResult> {
  const screens: string[] = [];
  let doc: unknown;
  try {
    doc = JSON.parse(flow.flowJson ?? '');
  } catch {
    return { kind: 'stuck', screens, reason: 'the message carries no readable Flow JSON' };
  }
  if (flow.action === 'data_exchange' && endpoint === undefined) return { kind: 'stuck', screens, reason: 'the flow opens with data_exchange but has no endpoint_uri' };
  const created = createFlowRuntime(doc, {
    flowToken: flow.flowToken,
    ...(flow.screen !== undefined && { initialScreen: flow.screen }),
    ...(flow.data !== undefined && { initialData: flow.data }),
    ...(endpoint !== undefined && { endpoint }),
    openWith: flow.action,
  });
  if (typeof created === 'string') return { kind: 'stuck', screens, reason: created };
  const runtime = created;
  const started = await runtime.start();
  if (!started.ok || runtime.status !== 'active') return { kind: 'stuck', screens, reason: `could not open: ${started.reason ?? runtime.status}` };
  let attempt: InvalidAttempt | undefined;
  const extra = (): { invalidAttempt?: InvalidAttempt } => (attempt ? { invalidAttempt: attempt } : {});
  let last = '';
  while (runtime.status === 'active') {
    const screen = runtime.view().screen;
    if (screen !== last) screens.push(screen);
    last = screen;
    if (screens.length > MAX_SCREENS) return { kind: 'stuck', screens, reason: `more than ${MAX_SCREENS} screens`, ...extra() };
    if (abandonsHere(behaviour, screen, screens.length)) {
      // The person closes WhatsApp's flow sheet: nothing more reaches the endpoint or the webhook.
      return { kind: 'abandoned', screens, ...extra() };
    }
    const invalid = behaviour.invalidFirst;
    if (invalid && attempt === undefined && (invalid.screen ?? screens[0]) === screen) {
      attempt = await invalidAttempt(runtime, invalid.answers);
      continue;
    }
    if (uploads && behaviour.badUpload !== undefined && attempt === undefined && hasPicker(runtime)) {
      attempt = await badUploadAttempt(runtime, uploads, behaviour.answers?.[screen], (r, a) => applyAnswers(r, a), errorsShown, behaviour.files);
      continue;
    }
    await applyAnswers(runtime, behaviour.answers?.[screen]);
    if (runtime.status !== 'active' || runtime.view().screen !== screen) continue;
    if (uploads) attachUploads(runtime, uploads, behaviour.answers?.[screen], false, behaviour.files);
    const step = await autoFill(runtime, 1);
    if (step.stuck && step.stuck.reason !== 'step limit reached') {
      const errors = step.stuck.errors ?? errorsShown(runtime);
      return { kind: 'stuck', screens, reason: `${step.stuck.reason} on ${step.stuck.screen}${Object.keys(errors).length > 0 ? `: ${JSON.stringify(errors)}` : ''}`, ...extra() };
    }
    if (runtime.status === 'active' && runtime.view().screen === screen) {
      // Pressed and still here: the endpoint refused with an error; try once more, then give up.
      const again = await autoFill(runtime, 1);
      if (runtime.status === 'active' && runtime.view().screen === screen) return { kind: 'stuck', screens, reason: `the screen ${screen} did not advance: ${JSON.stringify(again.stuck ?? errorsShown(runtime))}`, ...extra() };
    }
  }
  if (runtime.status === 'completed' && runtime.response) return { kind: 'completed', screens, response: runtime.response, ...extra() };
  return { kind: 'stuck', screens, reason: `the flow ended ${String(runtime.status)}`, ...extra() };
}
