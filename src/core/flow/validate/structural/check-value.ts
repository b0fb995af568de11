/**
 * Check one JSON value against a {@link PropSpec} and one object against an
 * {@link ObjectShape}: JSON types, dynamic values, enums, blank strings,
 * character and item limits, numeric ranges, unknown and version-gated keys,
 * required keys. Reports findings; never throws.
 * @module
 */
import { childPointer, type FindingList } from '../../finding.js';
import { isBindingString, isExpressionString } from '../../dynamic.js';
import { jsonTypeOf, type JsonObject } from '../../json.js';
import type { JsonKind, ObjectShape, PropSpec } from '../../spec/prop-spec.js';
import { isAtLeast, type Version, version as versionLiteral } from '../../version.js';
import type { RuleContext } from '../context.js';
import { checkAction } from './check-action.js';
import { STRUCTURAL_CODES as C, msg } from './messages.js';

/** Version gates, parsed once (not per call). */
const V_4_0 = versionLiteral('4.0');

/** What the structural checks read while walking a document. */
export interface Scope {
  readonly findings: FindingList;
  readonly version: Version;
  /** Global `${screen.…}` references exist (≥4.0), for messages. */
  readonly globalRefs: boolean;
}

/** Build the scope of one validation run. */
export function scopeOf(ctx: RuleContext): Scope {
  return {
    findings: ctx.findings,
    version: ctx.version,
    globalRefs: isAtLeast(ctx.version, V_4_0),
  };
}

/**
 * Length in characters (code points), as a user counts them: an emoji is one
 * character. Only called when the UTF-16 length is already over a limit.
 */
export function charLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) i++; // a surrogate pair is one character
    n++;
  }
  return n;
}

/** The kinds a property accepts in the scope's version. */
function kindsNow(spec: PropSpec, s: Scope): JsonKind[] {
  return spec.kinds.filter((k) => {
    const since = spec.kindSince?.get(k);
    return since === undefined || isAtLeast(s.version, since);
  });
}

function kindAccepted(spec: PropSpec, found: string, s: Scope): boolean {
  for (const k of spec.kinds) {
    if (k === found || (k === 'number' && found === 'integer')) {
      const since = spec.kindSince?.get(k);
      return since === undefined || isAtLeast(s.version, since);
    }
  }
  return false;
}

/**
 * Check `value`, found at key `key` of the value at `parent`. Pointers are
 * only built when something is reported or a nested value is visited.
 */
export function checkValue(spec: PropSpec, value: unknown, parent: string, key: string | number, s: Scope): void {
  if (typeof value === 'string') {
    if (spec.dyn && isBindingString(value)) return;
    // Before 6.0 the expression rules report the backticks themselves.
    if (spec.expr && isExpressionString(value)) return;
  }
  const found = jsonTypeOf(value);
  if (!kindAccepted(spec, found, s)) {
    const expected = kindsNow(spec, s);
    if (typeof value === 'string' && spec.dyn) {
      s.findings.error(C.pattern, childPointer(parent, key), msg.dynPattern(String(key), expected, s.globalRefs));
    } else {
      const here = childPointer(parent, key);
      s.findings.error(C.type, here, msg.type(here, expected, found));
    }
    return;
  }
  if (typeof value === 'string') checkString(spec, value, parent, key, s);
  else if (typeof value === 'number') checkNumber(spec, value, parent, key, s);
  else if (Array.isArray(value)) checkArray(spec, value, parent, key, s);
  else if (found === 'object') checkObjectValue(spec, value as JsonObject, parent, key, s);
}

function checkString(spec: PropSpec, value: string, parent: string, key: string | number, s: Scope): void {
  if (spec.nonBlankSince && isAtLeast(s.version, spec.nonBlankSince) && value.trim() === '') {
    s.findings.error(C.pattern, childPointer(parent, key), msg.blank(String(key)));
    return;
  }
  if (spec.enumValues && !spec.enumValues.has(value)) {
    s.findings.error(C.enumValue, childPointer(parent, key), msg.enumValue(spec.enumList ?? []));
    return;
  }
  if (spec.maxChars !== undefined && value.length > spec.maxChars) {
    const n = charLength(value);
    if (n > spec.maxChars) s.findings.error(C.maxChars, childPointer(parent, key), msg.maxChars(String(key), spec.maxChars, n));
  }
}

function checkNumber(spec: PropSpec, value: number, parent: string, key: string | number, s: Scope): void {
  if (spec.min !== undefined && value < spec.min) {
    s.findings.error(C.minimum, childPointer(parent, key), msg.minimum(String(key), spec.min));
  } else if (spec.max !== undefined && value > spec.max) {
    s.findings.error(C.maximum, childPointer(parent, key), msg.maximum(String(key), spec.max));
  }
}

function checkArray(spec: PropSpec, value: unknown[], parent: string, key: string | number, s: Scope): void {
  if (spec.minItems !== undefined && value.length < spec.minItems) {
    s.findings.error(C.minItems, childPointer(parent, key), msg.minItems(String(key), spec.minItems));
  } else if (spec.maxItems !== undefined && value.length > spec.maxItems) {
    s.findings.error(C.maxItems, childPointer(parent, key), msg.maxItems(String(key), spec.maxItems));
  }
  const items = spec.items;
  if (!items || spec.children) return;
  const here = childPointer(parent, key);
  for (let i = 0; i < value.length; i++) checkValue(items, value[i], here, i, s);
}

function checkObjectValue(spec: PropSpec, value: JsonObject, parent: string, key: string | number, s: Scope): void {
  if (spec.action) checkAction(spec.action, value, childPointer(parent, key), String(key), s);
  else if (spec.shape) checkShape(spec.shape, value, childPointer(parent, key), s);
}

/** Check an object's keys against a shape: unknown or too-new keys, values, required keys. */
export function checkShape(shape: ObjectShape, node: JsonObject, pointer: string, s: Scope): void {
  for (const key in node) {
    const spec = shape.props.get(key);
    if (spec === undefined || (spec.since !== undefined && !isAtLeast(s.version, spec.since))) {
      s.findings.error(C.unknownKey, childPointer(pointer, key), msg.unknownKey(key, pointer));
    } else {
      checkValue(spec, node[key], pointer, key, s);
    }
  }
  checkRequired(shape, node, pointer, s);
}

/** Report required keys of `shape` missing from `node` (at the object's pointer). */
export function checkRequired(shape: ObjectShape, node: JsonObject, pointer: string, s: Scope): void {
  for (const key of shape.required) {
    if (node[key] !== undefined) continue;
    const since = shape.props.get(key)?.requiredSince;
    if (since !== undefined && isAtLeast(s.version, since)) s.findings.error(C.missing, pointer, msg.missing(key));
  }
}
