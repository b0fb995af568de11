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

/**
 * Deepest nesting of objects/arrays accepted. Meta's deepest legal structure
 * (3 nested Ifs in a Form, with data schemas) stays far below it; a deeper
 * document is refused before any rule walks it recursively.
 */
export const MAX_NESTING_DEPTH = 64;

/** Depth of the deepest object/array, counted iteratively; stops once past `limit`. */
export function nestingDepth(doc: unknown, limit: number): number {
  if (typeof doc !== 'object' || doc === null) return 0;
  let deepest = 0;
  // Two parallel stacks rather than a [value, depth] pair per container: no allocation per node.
  const values: object[] = [doc];
  const depths: number[] = [1];
  for (let value = values.pop(); value !== undefined; value = values.pop()) {
    const depth = depths.pop() ?? 1;
    if (depth > deepest) {
      deepest = depth;
      if (deepest > limit) return deepest;
    }
    const children: unknown[] = Array.isArray(value) ? value : Object.values(value);
    for (const child of children) {
      if (typeof child === 'object' && child !== null) {
        values.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return deepest;
}

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
  if (nestingDepth(doc, MAX_NESTING_DEPTH) > MAX_NESTING_DEPTH) {
    findings.error('FB_MAX_NESTING_DEPTH', '', `The document nests objects and arrays more than ${MAX_NESTING_DEPTH} levels deep; no Flow JSON needs that many. Flatten it.`);
    return { valid: false, findings: findings.items, version: undefined };
  }
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
