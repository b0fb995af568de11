import { describe, expect, it } from 'vitest';
import { inferType, type ValueType } from './infer-type.js';
import { checkConditionType, parseCondition } from './parse-condition.js';
import { parseExpression } from './parse-expression.js';
import type { Ref } from './ref.js';

/** Screen data for the tests: `${data.<type>}` has that type; `${data.missing}` is unresolved. */
const typeOf = (ref: Ref): ValueType | undefined => {
  const key = ref.path[0];
  return key === 'string' || key === 'number' || key === 'boolean' || key === 'object' || key === 'array' || key === 'unknown' ? key : undefined;
};

function typeOfText(text: string): string {
  const parsed = parseExpression(text);
  if (!parsed.ok) throw new Error(parsed.message);
  const t = inferType(parsed.expr, typeOf);
  return t.ok ? t.type : `error: ${t.message} @${t.column}`;
}

describe('inferType', () => {
  it('types literals and references', () => {
    expect(typeOfText("'a'")).toBe('string');
    expect(typeOfText('1.5')).toBe('number');
    expect(typeOfText('false')).toBe('boolean');
    expect(typeOfText('${data.array}')).toBe('array');
    expect(typeOfText('${data.missing}')).toBe('unknown');
  });

  it.each(['==', '!='])('%s needs operands of the same scalar type and gives a boolean', (op) => {
    expect(typeOfText(`\${data.string} ${op} 'x'`)).toBe('boolean');
    expect(typeOfText(`\${data.number} ${op} 42`)).toBe('boolean');
    expect(typeOfText(`\${data.boolean} ${op} true`)).toBe('boolean');
    expect(typeOfText(`\${data.unknown} ${op} 42`)).toBe('boolean');
    expect(typeOfText(`\${data.string} ${op} 42`)).toContain(`Expected both sides of '${op}' to have the same type, but found string and number`);
    expect(typeOfText(`\${data.array} ${op} 'x'`)).toContain(`cannot compare values of type array`);
    expect(typeOfText(`'x' ${op} \${data.object}`)).toContain(`cannot compare values of type object`);
  });

  it.each(['<', '<=', '>', '>='])('%s needs numbers and gives a boolean', (op) => {
    expect(typeOfText(`\${data.number} ${op} 18`)).toBe('boolean');
    expect(typeOfText(`\${data.string} ${op} 18`)).toBe(`error: Operator '${op}' expects a number, but found string @1`);
    expect(typeOfText(`18 ${op} \${data.boolean}`)).toContain(`Operator '${op}' expects a number, but found boolean @`);
  });

  it.each(['+', '-', '*', '/', '%'])('%s needs numbers and gives a number', (op) => {
    expect(typeOfText(`\${data.number} ${op} 2`)).toBe('number');
    expect(typeOfText(`'a' ${op} 2`)).toBe(`error: Operator '${op}' expects a number, but found string @1`);
  });

  it.each(['&&', '||'])('%s needs booleans and gives a boolean', (op) => {
    expect(typeOfText(`\${data.boolean} ${op} (\${data.number} > 1)`)).toBe('boolean');
    expect(typeOfText(`\${data.boolean} ${op} \${data.string}`)).toContain(`Operator '${op}' expects a boolean, but found string`);
  });

  it('types unary operators', () => {
    expect(typeOfText('!${data.boolean}')).toBe('boolean');
    expect(typeOfText('-${data.number}')).toBe('number');
    expect(typeOfText('!${data.number}')).toContain("Operator '!' expects a boolean, but found number");
    expect(typeOfText("-'a'")).toContain("Operator '-' expects a number, but found string");
  });

  it('concatenates scalars into a string but not arrays or objects', () => {
    expect(typeOfText("'n = ' ${data.number} ' ' ${data.boolean}")).toBe('string');
    expect(typeOfText("'list: ' ${data.array}")).toContain('A value of type array cannot be concatenated');
  });

  it('reports the column of the offending operand', () => {
    expect(typeOfText("1 + (2 * 'x')")).toBe("error: Operator '*' expects a number, but found string @10");
  });
});

describe('checkConditionType', () => {
  const check = (text: string) => {
    const parsed = parseCondition(text);
    if (!parsed.ok) throw new Error(parsed.message);
    return checkConditionType(parsed.expr, typeOf)?.message;
  };
  it('accepts boolean conditions and unknown types', () => {
    expect(check("(${data.boolean} && (${data.string} == 'cat'))")).toBeUndefined();
    expect(check('${data.boolean}')).toBeUndefined();
    expect(check('${data.missing}')).toBeUndefined();
  });
  it('rejects a single non-boolean operand with Meta wording', () => {
    expect(check('${data.string}')).toBe('Expected single operand to be a boolean, but found string');
  });
  it('rejects non-boolean results and type errors', () => {
    expect(check('${data.number} + 1')).toContain("to resolve to a boolean, but found number");
    expect(check("${data.number} == 'x'")).toContain("Expected both sides of '==' to have the same type");
  });
});
