/**
 * What every validation rule receives. A rule reads the (untrusted) document
 * and reports findings; it never throws and never mutates the document.
 * @module
 */
import type { FindingList } from '../finding.js';
import type { JsonObject } from '../json.js';
import type { Version } from '../version.js';

export interface RuleContext {
  /** The whole document (an object; its top-level shape was checked). */
  readonly flow: JsonObject;
  /** The Flow JSON version the document is validated against. */
  readonly version: Version;
  /** True when the document declares `data_api_version` (an endpoint-powered flow). */
  readonly hasEndpoint: boolean;
  readonly findings: FindingList;
}

/** One validation rule (or a group of closely related ones). */
export type Rule = (ctx: RuleContext) => void;
