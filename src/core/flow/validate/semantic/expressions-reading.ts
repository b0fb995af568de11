/**
 * How one value site reads: static, a binding, a nested expression or an If
 * condition — or invalid, with the reason. The reference rule resolves the
 * references of valid readings; the expression rule reports invalid ones, so
 * each mistake is reported once.
 * @module
 */
import { classifyValue } from '../../expr/classify-value.js';
import type { Expr } from '../../expr/expr.js';
import { parseCondition } from '../../expr/parse-condition.js';
import type { Ref } from '../../expr/ref.js';
import { refsOf } from '../../expr/refs-of.js';
import { isAtLeast, type Version, version as versionLiteral } from '../../version.js';
import type { ValueSite } from './references-sites.js';

/** Version gates, parsed once (not per call). */
const V_6_0 = versionLiteral('6.0');

/** The reading of a value site. `column` is 1-based in the value. */
export type SiteReading =
  | { kind: 'static' }
  | { kind: 'binding'; ref: Ref }
  | { kind: 'expression'; expr: Expr }
  | { kind: 'condition'; expr: Expr }
  | { kind: 'invalid'; message: string; column: number };

/** Keys that can never be dynamic (Meta: nested expressions are allowed on any property "except type and name"). */
const staticKeys = new Set(['type', 'name']);

/** Read a site under the rules of `version`. */
export function readSite(site: ValueSite, version: Version): SiteReading {
  if (site.role === 'condition') {
    const parsed = parseCondition(site.value);
    return parsed.ok ? { kind: 'condition', expr: parsed.expr } : { kind: 'invalid', message: parsed.message, column: parsed.column };
  }
  const c = classifyValue(site.value);
  switch (c.kind) {
    case 'static':
    case 'binding':
      return c;
    case 'error':
      return { kind: 'invalid', message: c.message, column: c.column };
    case 'expression':
      if (!isAtLeast(version, V_6_0)) {
        return { kind: 'invalid', message: 'Nested expressions (values wrapped in backticks) need Flow JSON 6.0 or later.', column: 1 };
      }
      if (!site.inPayload && staticKeys.has(String(site.key))) {
        return { kind: 'invalid', message: `Nested expressions are not allowed in property '${String(site.key)}'.`, column: 1 };
      }
      return c;
  }
}

/** The references a valid reading uses (none for static and invalid readings). */
export function refsOfReading(reading: SiteReading): Ref[] {
  switch (reading.kind) {
    case 'binding':
      return [reading.ref];
    case 'expression':
    case 'condition':
      return refsOf(reading.expr);
    case 'static':
    case 'invalid':
      return [];
  }
}
