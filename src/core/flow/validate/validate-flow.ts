/**
 * The Flow JSON validator: Meta's rules, offline, per version.
 * @module
 */
import { FindingList, type Finding } from '../finding.js';
import { isObject } from '../json.js';
import { formatVersion, type Version } from '../version.js';
import type { RuleContext } from './context.js';
import { semanticRules } from './semantic/index.js';
import { structuralRules } from './structural/index.js';
import { checkTopLevel } from './top-level.js';

export interface ValidateOptions {
  /** Validate against this Flow JSON version instead of the document's `version`. */
  versionOverride?: string;
}

export interface ValidationResult {
  /** True when no finding is an error (warnings allowed). */
  readonly valid: boolean;
  /** Errors and warnings, in rule order. */
  readonly findings: readonly Finding[];
  /** The version validated against, when it could be determined. */
  readonly version: string | undefined;
}

/**
 * Validate a parsed Flow JSON document.
 * @example
 * const { valid, findings } = validateFlow(JSON.parse(text));
 */
export function validateFlow(doc: unknown, options: ValidateOptions = {}): ValidationResult {
  const findings = new FindingList();
  const version: Version | undefined = checkTopLevel(doc, findings, options.versionOverride);
  if (version && isObject(doc)) {
    const ctx: RuleContext = { flow: doc, version, hasEndpoint: doc.data_api_version !== undefined, findings };
    for (const rule of structuralRules) rule(ctx);
    for (const rule of semanticRules) rule(ctx);
  }
  return {
    valid: findings.errorCount === 0,
    findings: findings.items,
    version: version ? formatVersion(version) : undefined,
  };
}
