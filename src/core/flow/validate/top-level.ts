/**
 * Top-level document rules (spec §1.1, §1.2): version, data_api_version,
 * routing_model presence, data_channel_uri, screens count, unknown keys.
 * @module
 */
import type { FindingList } from '../finding.js';
import { isObject, jsonTypeOf, type JsonObject } from '../json.js';
import {
  DATA_API_VERSIONS,
  FROZEN_FLOW_JSON_VERSIONS,
  isAtLeast,
  isKnownFlowJsonVersion,
  parseVersion,
  type Version,
  version as versionLiteral,
} from '../version.js';

/** Version gates, parsed once (not per call). */
const V_3_0 = versionLiteral('3.0');

const topLevelKeys = new Set(['version', 'data_api_version', 'routing_model', 'screens', 'data_channel_uri']);

/** Maximum screens per flow (Meta: MAX_SCREENS_NUMBER). */
export const MAX_SCREENS = 100;

/**
 * Check the document's top level. Returns the version to validate the rest
 * against, or undefined when the rest cannot be validated meaningfully.
 */
export function checkTopLevel(doc: unknown, findings: FindingList, versionOverride?: string): Version | undefined {
  if (!isObject(doc)) {
    findings.error('INVALID_PROPERTY_TYPE', '', `Expected property (root) to be of type object, but found ${jsonTypeOf(doc)}`);
    return undefined;
  }
  const versionText = versionOverride ?? doc.version;
  const version = checkVersion(doc, versionText, findings, versionOverride !== undefined);
  for (const key of Object.keys(doc)) {
    if (!topLevelKeys.has(key)) findings.error('INVALID_PROPERTY_KEY', `/${key}`, `Property '${key}' cannot be specified at (root)`);
  }
  checkScreensArray(doc, findings);
  if (version) checkEndpointKeys(doc, version, findings);
  return version;
}

function checkVersion(doc: JsonObject, text: unknown, findings: FindingList, overridden: boolean): Version | undefined {
  const where = overridden ? '' : '/version';
  if (text === undefined) {
    findings.error('MISSING_FLOW_JSON_VERSION', '', "Required property 'version' is missing");
    return undefined;
  }
  if (typeof text !== 'string') {
    findings.error('INVALID_PROPERTY_TYPE', where, `Expected property 'version' to be of type string, but found ${jsonTypeOf(text)}`);
    return undefined;
  }
  const version = parseVersion(text);
  if (!version) {
    findings.error('INVALID_FLOW_JSON_VERSION', where, `Flow JSON version '${text}' is not valid: use "{major}.{minor}", e.g. "7.3".`);
    return undefined;
  }
  if (!isKnownFlowJsonVersion(text)) {
    findings.error('UNSUPPORTED_FLOW_JSON_VERSION', where, `Flow JSON version '${text}' is not supported. No schema found for the given version.`);
    return undefined;
  }
  if (FROZEN_FLOW_JSON_VERSIONS.includes(text)) {
    findings.warning('FB_FROZEN_FLOW_JSON_VERSION', where, `Flow JSON version '${text}' is frozen: flows on it can be sent but not published. Use 7.3.`);
  }
  void doc;
  return version;
}

function checkScreensArray(doc: JsonObject, findings: FindingList): void {
  const screens = doc.screens;
  if (screens === undefined) {
    findings.error('MISSING_REQUIRED_TYPE_PROPERTY', '', "Required property 'screens' is missing");
  } else if (!Array.isArray(screens)) {
    findings.error('INVALID_PROPERTY_TYPE', '/screens', `Expected property 'screens' to be of type array, but found ${jsonTypeOf(screens)}`);
  } else if (screens.length === 0) {
    findings.error('MIN_ITEMS_REQUIRED', '/screens', "Property 'screens' should have at least '1' item");
  } else if (screens.length > MAX_SCREENS) {
    findings.error('MAX_SCREENS_NUMBER', '/screens', `The number of screens ${screens.length} exceeds the maximum of ${MAX_SCREENS}.`);
  }
}

function checkEndpointKeys(doc: JsonObject, version: Version, findings: FindingList): void {
  const dav = doc.data_api_version;
  if (dav !== undefined) {
    if (typeof dav !== 'string' || !(DATA_API_VERSIONS as readonly string[]).includes(dav)) {
      findings.error('NO_SUPPORTED_DATA_API_VERSION', '/data_api_version', `Invalid value found for property 'data_api_version': use one of [${DATA_API_VERSIONS.join(', ')}].`);
    }
    if (doc.routing_model === undefined) {
      findings.error('MISSING_REQUIRED_PROPERTY', '', "The property 'routing_model' is required for property 'data_api_version'");
    }
  }
  if (doc.routing_model !== undefined && !isObject(doc.routing_model)) {
    findings.error('INVALID_PROPERTY_TYPE', '/routing_model', `Expected property 'routing_model' to be of type object, but found ${jsonTypeOf(doc.routing_model)}`);
  }
  if (doc.data_channel_uri !== undefined) {
    if (isAtLeast(version, V_3_0)) {
      findings.error('INVALID_PROPERTY_KEY', '/data_channel_uri', "Property 'data_channel_uri' cannot be specified at (root): from version 3.0 the endpoint is set on the Flow (endpoint_uri).");
    } else if (typeof doc.data_channel_uri !== 'string' || !/^https?:\/\/\S+$/.test(doc.data_channel_uri)) {
      findings.error('INVALID_PROPERTY_VALUE_FORMAT', '/data_channel_uri', "Property 'data_channel_uri' should be in 'uri' format");
    }
  }
}
