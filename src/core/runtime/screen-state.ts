/**
 * What the client remembers about one open screen: its data (from a navigate
 * payload, the endpoint or update_data), the person's input, and the errors
 * it currently shows.
 * @module
 */

/** One screen on the client's stack. */
export interface ScreenState {
  readonly id: string;
  /** `${data.*}`: the screen's dynamic data. */
  data: Record<string, unknown>;
  /** `${form.*}`: input values by component name (set or initialised). */
  values: Record<string, unknown>;
  /** Inputs the person has changed (init-values no longer overwrite them). */
  readonly touched: Set<string>;
  /** Errors from the client's own checks, by input name. */
  clientErrors: Record<string, string>;
  /** Inputs whose endpoint-provided error-message was dismissed by editing. */
  readonly dismissed: Set<string>;
}

/** A fresh state for a screen entered with `data`. */
export function newScreenState(id: string, data: Record<string, unknown>): ScreenState {
  return { id, data, values: {}, touched: new Set(), clientErrors: {}, dismissed: new Set() };
}

/** Where the flow is: not yet started, on a screen, or over. */
export type RuntimeStatus = 'not-started' | 'active' | 'completed' | 'closed' | 'failed';

/** Something that happened, in order; the log the CLI and tests read. */
export type RuntimeEvent =
  | { type: 'screen'; screen: string; via: 'start' | 'navigate' | 'endpoint' | 'back' | 'refresh' }
  | { type: 'endpoint-request'; request: Readonly<Record<string, unknown>> }
  | { type: 'endpoint-reply'; reply: Readonly<Record<string, unknown>> }
  | { type: 'open_url'; url: string }
  | { type: 'update_data'; screen: string; payload: Record<string, unknown> }
  | { type: 'client-error'; error: string; message: string }
  | { type: 'blocked'; screen: string; errors: Record<string, string> }
  | { type: 'warning'; message: string }
  | { type: 'complete'; response: Record<string, unknown> };

/** The outcome of one thing the person did. */
export interface StepResult {
  readonly ok: boolean;
  /** Why nothing happened, when `ok` is false. */
  readonly reason?: string;
  /** Per-field errors that blocked the action. */
  readonly errors?: Readonly<Record<string, string>>;
}
