/**
 * The generic endpoint handler of a compiled form (issue 5, item 4): it
 * answers INIT with the first screen, routes each `data_exchange` screen
 * through `endpointStep` (branching, searchable options), and checks every
 * answer on the respondent's path the way the source form would before the
 * flow may move on or complete, so an invalid submission never reaches a
 * sink (Meta, "Implementing Endpoints for Flows", section "Response
 * payloads"; spec §2.5 and §2.9 for the error re-display). Flows that
 * complete on the phone without the endpoint are checked on the nfm_reply
 * with {@link validateCompletedAnswers}.
 * @module
 */
import { endpointStep } from '../core/compile/endpoint-step.js';
import { answerProblems, type AnswerProblems } from '../core/compile/answer-problems.js';
import type { FieldMap } from '../core/compile/field-map.js';
import { mapAnswersToSource, type SourceValue } from '../core/compile/map-answers-to-source.js';
import { neutralAnswers } from '../core/compile/neutral-answers.js';
import { boundPickers, pickerEntryData } from '../core/compile/picker-errors.js';
import { replayPath } from '../core/compile/replay-path.js';
import type { FormModel } from '../core/form/form-model.js';
import { complete, error, next, type FlowHandlers, type FlowRequestContext, type HandlerResult } from './flow-handlers.js';
import { takePickerFiles, type PickerMediaDeps } from './media-answers.js';

export { answerProblems, type AnswerProblems } from '../core/compile/answer-problems.js';

/** Options of {@link createCompiledFormHandler}. */
export interface CompiledFormHandlerOptions {
  fieldMap: FieldMap;
  model: FormModel;
  /**
   * Receives the source answers of a valid completion, before the flow
   * closes. A rejection re-displays the screen with a retry message instead
   * of closing the flow (nothing is lost on the person's side).
   */
  onAnswers?: (answers: Record<string, SourceValue>, request: FlowRequestContext) => void | Promise<void>;
  /** Message of the snackbar when `onAnswers` fails. */
  retryMessage?: string;
  /**
   * Media intake for picker answers sent with data_exchange (spec §3): files
   * are downloaded, verified, decrypted and stored before the screen moves
   * on, and the answer becomes references to the stored files; a bad file
   * re-displays the screen with its message on the file: the picker's
   * `error-message` data key set to `{ "<media_id>": "…" }` (see
   * {@link refusedFiles}), the other answers kept. Without it picker values
   * are kept as sent (CDN links only valid for a while).
   */
  media?: PickerMediaDeps;
}

/** Files and other answers sent only with data_exchange are kept per flow token, at most this many tokens. */
const MAX_REMEMBERED_TOKENS = 10_000;

function plain(data: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) if (k !== '__proto__') out[k] = v;
  return out;
}

/**
 * Check a completed flow's `response_json` (the nfm_reply path, where the
 * flow completed on the phone and no endpoint saw the last answers). Files
 * the endpoint received earlier can be given as `endpointAnswers`; without
 * them, endpoint-delivered questions are not checked (they never travel in
 * the completion message).
 * @example
 * const r = validateCompletedAnswers(fieldMap, model, JSON.parse(nfm.response_json));
 * if (!r.ok) reject(r.message);
 */
export function validateCompletedAnswers(
  fieldMap: FieldMap,
  model: FormModel,
  responseJson: Readonly<Record<string, unknown>>,
  endpointAnswers?: Readonly<Record<string, unknown>>,
): AnswerProblems {
  return answerProblems(fieldMap, model, { ...(endpointAnswers ?? {}), ...plain(responseJson) }, { checkEndpointFields: endpointAnswers !== undefined });
}

/**
 * The response params of a completion: every answer keyed by its input
 * name, like the compiled `complete` payload, for the questions of the path
 * taken only (answers left on a branch the person backed out of are dropped).
 */
function completionParams(fieldMap: FieldMap, values: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const shown = replayPath(fieldMap, neutralAnswers(fieldMap, values)).shownFields;
  const params: Record<string, unknown> = {};
  const put = (name: string | undefined): void => {
    if (name !== undefined && Object.hasOwn(values, name) && values[name] !== undefined) params[name] = values[name];
  };
  for (const e of fieldMap.fields) {
    if (e.delivery === 'server' || e.screen === undefined || !shown.has(e.fieldId)) continue;
    if (e.rows) for (const r of e.rows) put(r.flowName);
    else put(e.flowName);
    put(e.otherFlowName);
    put(e.timeFlowName);
  }
  return params;
}

/** The media ids of a picker value as sent (an array of items, or that array JSON-encoded). */
function heldMediaIds(value: unknown): Set<string> {
  let list = value;
  if (typeof value === 'string') {
    try {
      list = JSON.parse(value) as unknown;
    } catch {
      list = undefined;
    }
  }
  const ids = new Set<string>();
  if (Array.isArray(list)) for (const item of list) if (typeof item === 'object' && item !== null && typeof (item as { media_id?: unknown }).media_id === 'string') ids.add((item as { media_id: string }).media_id);
  return ids;
}

/**
 * The answer to a refused upload on a screen whose pickers bind their
 * per-file errors to screen data (compiled flows, `pickerErrorsKey`): the
 * same screen again, each bound picker's key set to the messages of its
 * refused files keyed by `media_id` (`{}` for pickers without a refused
 * file), plus the banner (`error_message`). A refused item without a usable
 * media_id (key `#<index>`, not a media_id of the items in `sent`) has no
 * file in the picker to show its message on, so its message goes to the
 * banner instead of the generic `message`.
 * `undefined` when a refused picker is not bound (flows compiled before the
 * binding): the caller falls back to `error_messages`.
 */
export function refusedFiles(
  fieldMap: FieldMap, screen: string, message: string, fieldErrors: Readonly<Record<string, Readonly<Record<string, string>>>>,
  sent: Readonly<Record<string, unknown>> = {},
): HandlerResult | undefined {
  const bound = boundPickers(fieldMap, screen);
  const data: Record<string, unknown> = { ...pickerEntryData(fieldMap, screen) };
  const unattached: string[] = [];
  for (const [name, errors] of Object.entries(fieldErrors)) {
    const e = bound.find((b) => b.flowName === name);
    if (e?.pickerErrorsKey === undefined) return undefined;
    // Keyed by media ids the client chose: no prototype, so an id such as `__proto__` is just a key.
    const perFile = Object.create(null) as Record<string, string>;
    const held = heldMediaIds(sent[name]);
    for (const [key, text] of Object.entries(errors)) {
      if (key.startsWith('#') && !held.has(key)) unattached.push(text);
      else perFile[key] = text;
    }
    data[e.pickerErrorsKey] = perFile;
  }
  const banner = unattached.length === 0 ? message : [...new Set(unattached)].join(' ');
  return next(screen, { ...data, error_message: banner });
}

/** The screen before `screen` in the flow's order (BACK with refresh_on_back returns to it). */
function previousScreen(fieldMap: FieldMap, screen: string | undefined): string | undefined {
  const from = fieldMap.screens.find((s) => s.next.includes(screen ?? ''));
  return from?.id ?? fieldMap.screens[0]?.id;
}

/**
 * The handlers of one compiled form, to register under its flow id.
 * @example
 * registry.register(flowId, createCompiledFormHandler({ fieldMap, model, onAnswers: (a) => sink.write(a) }));
 */
export function createCompiledFormHandler(options: CompiledFormHandlerOptions): FlowHandlers {
  const { fieldMap, model } = options;
  const remembered = new Map<string, Record<string, unknown>>();
  const endpointScreens = new Set(fieldMap.screens.filter((s) => s.routing === 'endpoint').map((s) => s.id));
  const known = new Set(fieldMap.screens.map((s) => s.id));

  /** Everything this token sent so far with data_exchange, with this request's data on top and the `forget` keys removed. */
  const valuesOf = (request: FlowRequestContext, data: Readonly<Record<string, unknown>>, forget: readonly string[] = []): Record<string, unknown> => {
    const before = remembered.get(request.flowToken) ?? {};
    const values = { ...before, ...plain(data) };
    for (const name of forget) delete values[name];
    if (!remembered.has(request.flowToken) && remembered.size >= MAX_REMEMBERED_TOKENS) {
      const oldest = remembered.keys().next().value;
      if (oldest !== undefined) remembered.delete(oldest);
    }
    remembered.set(request.flowToken, values);
    return values;
  };

  const refused = (p: Extract<AnswerProblems, { ok: false }>): HandlerResult => error(p.message, p.fieldErrors);

  const finish = async (request: FlowRequestContext, values: Record<string, unknown>): Promise<HandlerResult> => {
    const checked = answerProblems(fieldMap, model, values, { checkEndpointFields: true });
    if (!checked.ok) return refused(checked);
    const params = completionParams(fieldMap, values);
    if (options.onAnswers) {
      try {
        await options.onAnswers(mapAnswersToSource(fieldMap, params, values), request);
      } catch {
        return error(options.retryMessage ?? 'We could not save your answers. Please try again.');
      }
    }
    remembered.delete(request.flowToken);
    return complete(params);
  };

  const exchange = async (request: FlowRequestContext): Promise<HandlerResult> => {
    const screen = request.screen ?? '';
    let data = request.data;
    if (options.media !== undefined) {
      const taken = await takePickerFiles(options.media, fieldMap, model, request.flowToken, data);
      if (!taken.ok) {
        const shown = refusedFiles(fieldMap, screen, taken.message, taken.fieldErrors, data);
        // Older compiled flows: the object-form messages under the input's name in error_messages.
        if (shown === undefined) return error(taken.message, taken.fieldErrors as unknown as Record<string, string>);
        // The other answers of the screen are kept (pickers as stored references); nothing of a refused picker is,
        // not even a value it had before.
        valuesOf(request, taken.data, Object.keys(taken.fieldErrors));
        return shown;
      }
      data = taken.data;
    }
    const values = valuesOf(request, data);
    if (endpointScreens.has(screen)) {
      const checked = answerProblems(fieldMap, model, values, { upToScreen: screen, checkEndpointFields: true });
      if (!checked.ok) return refused(checked);
      const step = endpointStep(fieldMap, screen, values);
      if (step === undefined) return error('This step is not available. Please go back and try again.');
      return next(step.screen, step.data);
    }
    // The review screen or the closing screen (not in the field map's list): a completion through the endpoint.
    if (screen === fieldMap.summaryScreen || (screen !== '' && !known.has(screen))) return finish(request, values);
    return error('This step is not available. Please go back and try again.');
  };

  const first = fieldMap.screens[0]?.id ?? fieldMap.summaryScreen;
  return {
    INIT: (request) => {
      remembered.delete(request.flowToken);
      return next(first, pickerEntryData(fieldMap, first));
    },
    fallback: (request) => {
      if (request.action === 'INIT') return next(first, pickerEntryData(fieldMap, first));
      if (request.action === 'BACK') {
        const back = previousScreen(fieldMap, request.screen) ?? first;
        return next(back, pickerEntryData(fieldMap, back));
      }
      return exchange(request);
    },
  };
}
