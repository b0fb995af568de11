/**
 * Expression rules (Meta, "Flow JSON" → "Nested expressions"; "Components" →
 * If, Switch; "Flow JSON error codes"; spec §1.6, §1.9, §1.12):
 *
 * - malformed bindings, static text mixed with a reference, and syntax errors
 *   in backtick expressions and If conditions;
 * - backtick expressions only from 6.0 and never in `type` / `name`;
 * - expression types (`==` same types, comparisons and math on numbers,
 *   logic on booleans) and the expression's result against the property;
 * - If: condition resolves to a boolean, a single operand is a boolean
 *   reference, math only from 6.0 (it came with nested expressions); Switch
 *   `value` is a `${...}` binding. (If nesting depth is a structural rule.)
 *
 * All are INVALID_PROPERTY_VALUE (Meta's code for the If messages) except a
 * result type the property cannot take, INVALID_PROPERTY_TYPE.
 * @module
 */
import type { Rule } from '../context.js';
import { checkConditionType } from '../../expr/parse-condition.js';
import type { Expr } from '../../expr/expr.js';
import { inferType, type ValueType } from '../../expr/infer-type.js';
import type { Ref } from '../../expr/ref.js';
import { isAtLeast, version as versionLiteral } from '../../version.js';
import { analysisOf } from './references-analysis.js';
import { bindingFits } from './references.js';
import { resolveRef } from './references-scope.js';
import type { ValueSite } from './references-sites.js';

/** Version gates, parsed once (not per call). */
const V_6_0 = versionLiteral('6.0');

const mathOps = new Set(['+', '-', '*', '/', '%']);

function usesMath(expr: Expr): boolean {
  switch (expr.kind) {
    case 'literal':
    case 'ref':
      return false;
    case 'unary':
      return expr.op === '-' || usesMath(expr.operand);
    case 'binary':
      return mathOps.has(expr.op) || usesMath(expr.left) || usesMath(expr.right);
    case 'concat':
      return true;
  }
}

/** Check every expression, condition and Switch value of the document. */
export const checkExpressions: Rule = (ctx) => {
  const { version, findings } = ctx;
  const { scope, sites, readings } = analysisOf(ctx);
  sites.forEach((site, i) => {
    const reading = readings[i];
    if (reading === undefined) return;
    const here = scope.get(site.screen.id ?? '');
    const typeOf = (ref: Ref): ValueType | undefined => {
      if (!here) return undefined;
      const r = resolveRef(scope, here, ref, version);
      return r.ok ? r.type : undefined;
    };
    switch (reading.kind) {
      case 'invalid':
        findings.error('INVALID_PROPERTY_VALUE', site.pointer, site.role === 'condition' ? reading.message : valueMessage(site, reading.message));
        break;
      case 'expression': {
        const t = inferType(reading.expr, typeOf);
        if (!t.ok) findings.error('INVALID_PROPERTY_VALUE', site.pointer, valueMessage(site, `${t.message} (column ${t.column})`));
        else if (site.accepts && !bindingFits(t.type, site.accepts)) {
          findings.error(
            'INVALID_PROPERTY_TYPE',
            site.pointer,
            `Expected property ${site.pointer} to be of type ${site.accepts.join(' or ')}, but the expression resolves to ${t.type}.`,
          );
        }
        break;
      }
      case 'condition': {
        if (!isAtLeast(version, V_6_0) && usesMath(reading.expr)) {
          findings.error('INVALID_PROPERTY_VALUE', site.pointer, 'Math operators in a condition need Flow JSON 6.0 or later.');
          break;
        }
        const problem = checkConditionType(reading.expr, typeOf);
        if (problem) findings.error('INVALID_PROPERTY_VALUE', site.pointer, problem.message);
        break;
      }
      case 'binding':
      case 'static':
        break;
    }
    if (site.component?.type === 'Switch' && site.key === 'value' && reading.kind !== 'binding' && reading.kind !== 'invalid') {
      findings.error('INVALID_PROPERTY_VALUE', site.pointer, "Property 'value' of Switch must be a dynamic reference such as ${data.key} or ${form.name}.");
    }
  });
};

function valueMessage(site: ValueSite, reason: string): string {
  return `Invalid value found for property '${site.property}' at ${site.pointer}: ${reason}`;
}
