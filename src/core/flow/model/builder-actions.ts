/**
 * Action helpers for the builder (spec §1.8; Meta "Flow JSON" page, Actions).
 * @module
 */
import type {
  ActionPayload,
  CompleteAction,
  DataExchangeAction,
  NavigateAction,
  OpenUrlAction,
  UpdateDataAction,
} from './actions.js';

/**
 * Move to screen `screen`; the payload must match that screen's declared data.
 * @example
 * navigate('DETAILS', { name: form('name') })
 */
export function navigate(screen: string, payload: ActionPayload = {}): NavigateAction {
  return { name: 'navigate', next: { type: 'screen', name: screen }, payload };
}

/**
 * Send the payload to the flow's endpoint (the flow needs `data_api_version`).
 * @example
 * dataExchange({ slot: form('slot') })
 */
export function dataExchange(payload: ActionPayload = {}): DataExchangeAction {
  return { name: 'data_exchange', payload };
}

/**
 * Close the flow; the payload becomes the nfm_reply `response_json`.
 * @example
 * complete({ email: data('email') })
 */
export function complete(payload: ActionPayload = {}): CompleteAction {
  return { name: 'complete', payload };
}

/**
 * Update declared data of the current screen (≥ 6.0).
 * @example
 * updateData({ show_details: true })
 */
export function updateData(payload: ActionPayload): UpdateDataAction {
  return { name: 'update_data', payload };
}

/**
 * Open a URL in the device browser (≥ 6.0; EmbeddedLink and OptIn).
 * @example
 * openUrl('https://example.com/terms')
 */
export function openUrl(url: string): OpenUrlAction {
  return { name: 'open_url', url };
}
