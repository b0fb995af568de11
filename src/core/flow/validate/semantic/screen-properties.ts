/**
 * Screen-level properties: ids (Meta, "Error codes" → "Naming errors"),
 * `sensitive` (≥5.1, "Flow JSON" → "Sensitive fields") and
 * `refresh_on_back` ("Data_api_version | Refresh_on_back errors"); spec §1.3.
 * @module
 */
import type { Rule } from '../context.js';
import { screensOf } from '../../walk.js';
import { isAtLeast, version as versionLiteral } from '../../version.js';
import { flowIndex } from './flow-index.js';

/** Version gates, parsed once (not per call). */
const V_5_1 = versionLiteral('5.1');

/**
 * Letters and underscores. Meta's text says "alphabets and underscores" and
 * rejects `FIRST_1`; whether lowercase letters are accepted is unconfirmed,
 * so both cases are accepted here (every Meta example is UPPER_SNAKE).
 */
const screenIdPattern = /^[A-Za-z_]+$/;

/**
 * Screen ids are unique, made of letters and underscores, and never
 * `success` in any case: `SUCCESS` is the pseudo-screen an endpoint returns
 * to close the flow.
 */
export const checkScreenIds: Rule = ({ flow, findings }) => {
  const seen = new Set<string>();
  for (const screen of screensOf(flow)) {
    const id = screen.id;
    if (id === undefined || id === '') continue;
    const pointer = `${screen.pointer}/id`;
    if (id.toLowerCase() === 'success') {
      findings.error('SCREEN_ID_IS_RESERVED_KEYWORD', pointer, "Screen id cannot be 'success' since it is a reserved keyword.");
    } else if (!screenIdPattern.test(id)) {
      findings.error('PATTERN_MISMATCH', pointer, 'Property id should only consist of alphabets and underscores.');
    }
    if (seen.has(id)) findings.error('DUPLICATE_SCREEN_IDS', pointer, `Duplicate screen id found: ${id}.`);
    seen.add(id);
  }
};

/** Each `sensitive` entry (≥5.1; before, the key itself is structural's to report) names an input of that screen. */
export const checkSensitiveFields: Rule = (ctx) => {
  const { findings } = ctx;
  if (!isAtLeast(ctx.version, V_5_1)) return;
  for (const { screen, inputs } of flowIndex(ctx).screens) {
    const list = screen.node.sensitive;
    if (!Array.isArray(list)) continue;
    list.forEach((name, i) => {
      if (typeof name === 'string' && !inputs.has(name)) {
        const pointer = `${screen.pointer}/sensitive/${i}`;
        findings.error(
          'INVALID_PROPERTY_VALUE',
          pointer,
          `Invalid value found for property 'sensitive' at ${pointer}: '${name}' is not an input component of screen '${screen.id ?? screen.index}'.`,
        );
      }
    });
  }
};

/** `refresh_on_back: true` asks the endpoint for fresh data on back, so it needs `data_api_version`. */
export const checkRefreshOnBack: Rule = ({ flow, hasEndpoint, findings }) => {
  if (hasEndpoint) return;
  for (const screen of screensOf(flow)) {
    if (screen.node.refresh_on_back === true) {
      findings.error(
        'INVALID_PROPERTY_VALUE',
        `${screen.pointer}/refresh_on_back`,
        "Property 'refresh_on_back' can be true only when property 'data_api_version' is set.",
      );
    }
  }
};
