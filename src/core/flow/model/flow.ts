/**
 * The Flow JSON document (spec §1.1; Meta "Flow JSON" page).
 * @module
 */
import type { FlowJsonVersion } from '../version.js';
import type { Screen } from './screen.js';

/** Forward routes per screen (spec §1.10). */
export type RoutingModel = Record<string, string[]>;

/** Data API versions an endpoint-powered flow may declare. */
export type DataApiVersion = '3.0' | '4.0';

/** A whole Flow JSON document, as sent to Meta. */
export interface FlowJson {
  version: FlowJsonVersion;
  /** Only for endpoint-powered flows. */
  data_api_version?: DataApiVersion;
  /** Required when `data_api_version` is present. */
  routing_model?: RoutingModel;
  screens: Screen[];
  /** Only before 3.0. */
  data_channel_uri?: string;
}
