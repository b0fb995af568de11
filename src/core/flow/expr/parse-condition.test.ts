import { describe, expect, it } from 'vitest';
import { parseCondition } from './parse-condition.js';

describe('parseCondition', () => {
  it.each([
    ['', "Expected property 'condition' to contain at least one operand"],
    ['true', 'The only operand is a literal value'],
    ["'a' == 'b'", 'An operator cannot not have literals on both sides'],
    ['${data.a} && (1 < 2)', 'An operator cannot not have literals on both sides'],
    ['!true', 'at least one dynamic value'],
    ['${data.a} ${data.b}', 'Missing operator between operands at column 11'],
    ['(${data.a}', 'Missing closing parenthesis'],
    ["${data.a} == 'x", 'Missing closing quote'],
    ['${data.a} && ()', 'Found invalid empty parentheses at column 14'],
  ])('rejects %j', (text, message) => {
    const r = parseCondition(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(message);
  });

  it('accepts Meta examples', () => {
    expect(parseCondition("(${data.value} && (${form.animal} == 'cat'))").ok).toBe(true);
    expect(parseCondition("(${screen.SELECT_INSURANCE.form.insurance} != '')").ok).toBe(true);
    expect(parseCondition('${data.flag}').ok).toBe(true);
  });
});
