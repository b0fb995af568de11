/**
 * The answer check of a flow completion that arrives as an `nfm_reply`
 * webhook (spec §6.3): a flow that completes on the phone, without the
 * endpoint, reaches the server only there, so this is the last place where
 * an answer the source form would refuse can be stopped before it is stored
 * and delivered to a sink.
 *
 * The flow is found through the session of its flow_token, then the
 * catalogue: a flow compiled from a form is checked with
 * {@link validateCompletedAnswers} (the source form's rules on the path the
 * answers take); a hand-written flow has no form rules and always passes.
 * Webhook intake calls it before completing the session.
 * @module
 */
import type { FlowSession } from '../store/repos/session-repo.js';
import { validateCompletedAnswers } from './compiled-form-handler.js';
import type { FlowCatalogue } from './flow-catalogue.js';

/** What the check needs from the store: the session behind a flow_token. */
export interface CompletionCheckSessions {
  getSession(flowToken: string): Promise<FlowSession | undefined>;
}

/** Dependencies of {@link createCompletionCheck}. */
export interface CompletionCheckDeps {
  readonly catalogue: Pick<FlowCatalogue, 'get'>;
  readonly sessions: CompletionCheckSessions;
}

/** One completion to check: its flow_token and the `response_json` (text as in the webhook, or already parsed). */
export interface CompletionCheckInput {
  readonly flowToken: string;
  readonly responseJson: string | Readonly<Record<string, unknown>> | undefined;
}

/** The verdict: fine, or one readable problem per refused answer (`"<question>: <rule>"`). */
export type CompletionCheckResult = { ok: true } | { ok: false; problems: string[] };

/** The check itself; see {@link createCompletionCheck}. */
export type CompletionCheck = (input: CompletionCheckInput) => Promise<CompletionCheckResult>;

function parseResponse(responseJson: CompletionCheckInput['responseJson']): Readonly<Record<string, unknown>> | string {
  if (responseJson === undefined) return {};
  if (typeof responseJson !== 'string') return responseJson;
  let value: unknown;
  try {
    value = JSON.parse(responseJson);
  } catch {
    return 'response_json is not valid JSON: the answers cannot be read.';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'response_json is not a JSON object: the answers cannot be read.';
  return value as Record<string, unknown>;
}

/**
 * Build the check. Unknown flow tokens and flows missing from the catalogue
 * pass (`ok: true`): there is no form to check against, and the intake's
 * own session matching decides what happens to them.
 * @example
 * const check = createCompletionCheck({ catalogue, sessions: sessionRepo });
 * const r = await check({ flowToken, responseJson: reply.responseJson });
 * if (!r.ok) log.warn({ problems: r.problems }, 'completion refused');
 */
export function createCompletionCheck(deps: CompletionCheckDeps): CompletionCheck {
  return async ({ flowToken, responseJson }) => {
    const session = await deps.sessions.getSession(flowToken);
    if (session === undefined) return { ok: true };
    const flow = deps.catalogue.get(session.flowId);
    if (flow?.form === undefined || flow.fieldMap === undefined) return { ok: true };
    const response = parseResponse(responseJson);
    if (typeof response === 'string') return { ok: false, problems: [response] };
    const checked = validateCompletedAnswers(flow.fieldMap, flow.form, response);
    if (checked.ok) return { ok: true };
    const labels = new Map<string, string>();
    const questions = new Map(flow.form.pages.flatMap((p) => p.fields).map((f) => [f.id, f.label]));
    for (const e of flow.fieldMap.fields) {
      const label = questions.get(e.fieldId) ?? e.sourceKey;
      for (const name of [e.flowName, e.otherFlowName, e.timeFlowName, ...(e.rows ?? []).map((r) => r.flowName)]) if (name !== undefined) labels.set(name, label);
    }
    return { ok: false, problems: Object.entries(checked.fieldErrors).map(([name, message]) => `${labels.get(name) ?? name}: ${message}`) };
  };
}
