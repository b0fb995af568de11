/**
 * What some actions require: `data_exchange` an endpoint (Meta, "Error
 * codes" → "Data_api_version errors"), `update_data` (≥6.0) keys declared
 * in the current screen's data ("Action errors"); spec §1.1, §1.8.
 * @module
 */
import type { Rule } from '../context.js';
import { childPointer } from '../../finding.js';
import { isObject, objectProp } from '../../json.js';
import { isAtLeast, version as versionLiteral } from '../../version.js';
import { flowIndex } from './flow-index.js';

/** Version gates, parsed once (not per call). */
const V_6_0 = versionLiteral('6.0');

/** A `data_exchange` action calls the endpoint, which only `data_api_version` declares. */
export const checkDataExchangeEndpoint: Rule = (ctx) => {
  if (ctx.hasEndpoint) return;
  for (const { actions } of flowIndex(ctx).screens) {
    for (const a of actions) {
      if (a.name === 'data_exchange') {
        ctx.findings.error('MISSING_REQUIRED_PROPERTY', `${a.pointer}/name`, "The property 'data_api_version' is required for data_exchange action.");
      }
    }
  }
};

/** Every key of an update_data payload is declared in the screen's `data`. */
export const checkUpdateData: Rule = (ctx) => {
  const { findings } = ctx;
  if (!isAtLeast(ctx.version, V_6_0)) return;
  for (const { screen, actions } of flowIndex(ctx).screens) {
    const data = objectProp(screen.node, 'data') ?? {};
    for (const a of actions) {
      if (a.name !== 'update_data' || !isObject(a.action.payload)) continue;
      for (const key of Object.keys(a.action.payload)) {
        if (data[key] === undefined) {
          findings.error(
            'INVALID_ACTION_PAYLOAD_PROPERTY',
            childPointer(a.pointer, 'payload', key),
            `The following property ${key} does not exist in the screen data model.`,
          );
        }
      }
    }
  }
};
