/**
 * The "did an earlier attempt already write this?" step the sinks without an
 * idempotency key share (Google Forms, Jotform, SurveyMonkey, Formbricks):
 * the first attempt records when it started posting; a later attempt (after
 * a lost response or a crash) first asks the destination for a write made
 * since then that matches, and reports it as delivered instead of posting a
 * duplicate. Pure orchestration over the sink's own look-up.
 * @module
 */
import { networkReason } from './http/http-sender.js';
import type { DeliveryOutcome, ProgressStore } from './sink-connector.js';

/** What a sink's look-up for an earlier write came to. */
export type EarlierWrite = { readonly kind: 'found'; readonly id: string } | { readonly kind: 'none' } | { readonly kind: 'failed'; readonly outcome: DeliveryOutcome };

/** Where the step keeps its memory and what it asks. */
export interface EarlierAttemptStep {
  readonly progress: ProgressStore;
  readonly now: () => Date;
  /** The progress key holding the first attempt's start (ISO time). */
  readonly step: string;
  /** The destination look-up; `undefined` when it cannot or should not be asked (then a retry posts again). */
  readonly lookup: ((since: string) => Promise<EarlierWrite>) | undefined;
  /** The delivery note when an earlier write is found. */
  readonly foundNote: string;
}

/**
 * The outcome to stop with (an earlier write found, or the look-up failed),
 * or `undefined` to go on and post. The first attempt only records its start.
 */
export async function settleEarlierAttempt(s: EarlierAttemptStep): Promise<DeliveryOutcome | undefined> {
  const since = await s.progress.get(s.step);
  if (since === undefined) {
    await s.progress.set(s.step, s.now().toISOString());
    return undefined;
  }
  if (s.lookup === undefined) return undefined;
  const found = await s.lookup(since);
  if (found.kind === 'found') return { kind: 'delivered', externalId: found.id, note: s.foundNote };
  return found.kind === 'failed' ? found.outcome : undefined;
}

/**
 * GET `url` for a look-up. A request that gets no answer is rethrown with the
 * sender path's reason (`networkReason`): the error a caller turns into a
 * retry reason names neither a header value (fetch quotes a value it
 * refuses) nor the URL's query.
 */
export async function lookupFetch(fetchFn: typeof fetch, url: string, headers: Record<string, string>, timeoutMs: number): Promise<Response> {
  try {
    return await fetchFn(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new Error(networkReason(error, { url, headers }));
  }
}

/**
 * GET `url` for a look-up and read the body as JSON (`{}` when it is not
 * JSON: the caller then judges by the HTTP status). `T` is the shape the
 * caller expects; every field of it must be optional.
 */
export async function lookupJson<T extends object>(fetchFn: typeof fetch, url: string, headers: Record<string, string>, timeoutMs: number): Promise<{ readonly response: Response; readonly body: T }> {
  const response = await lookupFetch(fetchFn, url, { ...headers, accept: 'application/json' }, timeoutMs);
  const text = await response.text();
  try {
    return { response, body: JSON.parse(text) as T };
  } catch {
    return { response, body: {} as T };
  }
}
