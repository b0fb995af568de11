/**
 * Actions (spec §1.8, Meta "Flow JSON" page, Actions): a union on `name`.
 * @module
 */
/** Values an action payload may carry: literal JSON, or references/expressions. */
export type PayloadValue = string | number | boolean | null | PayloadValue[] | { [key: string]: PayloadValue };

/** An action payload: keys become the next screen's `${data.*}` or the endpoint/completion fields. */
export type ActionPayload = Record<string, PayloadValue>;

/** The target of `navigate`. `type` is always `"screen"` in Meta's docs. */
export interface NavigateTarget {
  type: 'screen';
  name: string;
}

/** Client-side move to another screen; the payload becomes that screen's data. */
export interface NavigateAction {
  name: 'navigate';
  next: NavigateTarget;
  payload?: ActionPayload;
}

/** Sends the payload to the flow's endpoint (requires `data_api_version`). */
export interface DataExchangeAction {
  name: 'data_exchange';
  payload?: ActionPayload;
}

/** Closes the flow; the payload becomes the nfm_reply `response_json`. Footer on terminal screens only. */
export interface CompleteAction {
  name: 'complete';
  payload?: ActionPayload;
}

/** Updates the current screen's declared data immediately (≥ 6.0). */
export interface UpdateDataAction {
  name: 'update_data';
  payload: ActionPayload;
}

/** Opens a URL in the device browser (≥ 6.0; EmbeddedLink and OptIn only). */
export interface OpenUrlAction {
  name: 'open_url';
  /** A literal URL or a binding. */
  url: string;
}

/** Every action Meta documents. */
export type Action = NavigateAction | DataExchangeAction | CompleteAction | UpdateDataAction | OpenUrlAction;

/** The `name` of an action. */
export type ActionName = Action['name'];

/** Actions a Footer may carry. */
export type FooterAction = NavigateAction | DataExchangeAction | CompleteAction;

/** Actions an EmbeddedLink or OptIn "read more" link may carry. */
export type LinkAction = NavigateAction | DataExchangeAction | OpenUrlAction;

/** Actions fired when an option is selected (lists, pickers). */
export type SelectAction = DataExchangeAction | UpdateDataAction;
