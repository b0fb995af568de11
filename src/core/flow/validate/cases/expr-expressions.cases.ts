 
/**
 * Corpus: nested expressions (≥6.0), If conditions and Switch values (spec §1.6, §1.9 If/Switch, §1.12 If messages).
 * @module
 */
import { endpointFlow, staticFlow } from './base.js';
import { mutate, type ValidationCase } from './case.js';

const HEADING = '/screens/0/layout/children/0';
const CONFIRM_BODY = '/screens/1/layout/children/0';
/** Where `confirmIf` / `confirmSwitch` put their component: CONFIRM, before the Footer. */
const CONFIRM_EXTRA = '/screens/1/layout/children/1';

const heading = (props: object, version = '7.3') =>
  mutate(staticFlow(version), (f) => Object.assign(f.screens[0].layout.children[0], props));
const confirmBody = (props: object, version = '7.3') =>
  mutate(staticFlow(version), (f) => Object.assign(f.screens[1].layout.children[0], props));
const text = (t: string) => ({ type: 'TextBody', text: t });
/** CONFIRM (data full_name, email, plan: strings) with an If before its Footer. */
const confirmIf = (condition: string, version = '7.3') =>
  mutate(staticFlow(version), (f) => {
    f.screens[1].layout.children.splice(1, 0, { type: 'If', condition, then: [text('Pro plan')] });
  });
const confirmSwitch = (value: string, version = '7.3') =>
  mutate(staticFlow(version), (f) => {
    f.screens[1].layout.children.splice(1, 0, { type: 'Switch', value, cases: { pro: [text('Pro plan')] } });
  });
const expressionCases: ValidationCase[] = [
  ['missing-paren', "`'Hello ' (${form.full_name}`", 'Missing closing parenthesis'],
  ['empty-parens', "`'Hello' ()`", 'Found invalid empty parentheses at column 10'],
  ['missing-quote', "`'Hello `", 'Missing closing quote'],
  ['bare-word', '`Hello`', "Unknown word 'Hello'"],
  ['unescaped-backtick', "`'a`b'`", 'Unescaped backtick'],
  ['missing-operand', '`${form.full_name} ==`', "Missing operand after operator '=='"],
  ['empty', '``', 'at least one operand'],
].map(([id, value, message]) => ({
  id: `expr-syntax-${id}`,
  rule: 'A nested expression must parse',
  flow: heading({ text: value as string }),
  expect: { code: 'INVALID_PROPERTY_VALUE', pointer: `${HEADING}/text`, message },
}));

const typeCases: ValidationCase[] = [
  ['eq-mismatch', 'visible', '`${form.full_name} == 42`', "Expected both sides of '==' to have the same type, but found string and number"],
  ['neq-mismatch', 'visible', '`${form.plan} != true`', "Expected both sides of '!=' to have the same type"],
  ['relational-string', 'visible', '`${form.email} > 3`', "Operator '>' expects a number, but found string"],
  ['and-string', 'visible', '`${form.plan} && true`', "Operator '&&' expects a boolean, but found string"],
  ['or-string', 'visible', "`(${form.plan} == 'pro') || ${form.email}`", "Operator '||' expects a boolean, but found string"],
  ['not-string', 'visible', '`!${form.email}`', "Operator '!' expects a boolean, but found string"],
  ['math-string', 'text', "`'Total: ' (${form.plan} * 2)`", "Operator '*' expects a number, but found string"],
  ['negate-boolean', 'text', "`'Total: ' (-(${form.plan} == 'pro'))`", "Operator '-' expects a number, but found boolean"],
].map(([id, prop, value, message]) => ({
  id: `expr-type-${id}`,
  rule: 'Operands of an expression must have the types of their operator',
  flow: heading({ [prop as string]: value }),
  expect: { code: 'INVALID_PROPERTY_VALUE', pointer: `${HEADING}/${prop}`, message },
}));

const conditionCases: ValidationCase[] = [
  ['empty', '', "Expected property 'condition' to contain at least one operand", '5.1'],
  ['blank', '   ', "Expected property 'condition' to contain at least one operand", '5.1'],
  ['empty-parens', "${data.plan} == 'pro' && ()", 'Found invalid empty parentheses at column 26'],
  ['literals-both-sides', "'a' == 'b'", 'An operator cannot not have literals on both sides'],
  ['single-literal', 'true', 'The only operand is a literal value'],
  ['no-dynamic-value', '!true', 'at least one dynamic value'],
  ['missing-paren', "(${data.plan} == 'pro'", 'Missing closing parenthesis'],
  ['missing-quote', "${data.plan} == 'pro", 'Missing closing quote'],
  ['missing-operator', "${data.plan} 'pro'", 'Missing operator between operands'],
  ['eq-type-mismatch', '${data.plan} == 1', "Expected both sides of '==' to have the same type"],
  ['single-operand-not-boolean', '${data.plan}', 'Expected single operand to be a boolean'],
  ['math-before-6', "-${data.plan} == 1 || ${data.plan} == 'pro'", 'Math operators in a condition need Flow JSON 6.0', '5.1'],
  ['backticks', "`${data.plan} == 'pro'`", 'without backticks'],
].map(([id, condition, message, version]) => ({
  id: `expr-if-condition-${id}`,
  rule: 'An If condition must parse and resolve to a boolean',
  flow: confirmIf(condition as string, version ?? '7.3'),
  expect: { code: 'INVALID_PROPERTY_VALUE', pointer: `${CONFIRM_EXTRA}/condition`, message },
}));

export const cases: ValidationCase[] = [
  ...expressionCases,
  ...typeCases,
  ...conditionCases,
  {
    id: 'expr-mixed-static-and-binding',
    rule: 'Static text and a binding cannot be mixed without backticks',
    flow: confirmBody({ text: 'Hello ${data.full_name}' }),
    expect: { code: 'INVALID_PROPERTY_VALUE', pointer: `${CONFIRM_BODY}/text`, message: 'cannot be mixed' },
  },
  {
    id: 'expr-invalid-binding-root',
    rule: 'A binding starts with data, form or screen',
    flow: confirmBody({ text: '${user.name}' }),
    expect: { code: 'INVALID_PROPERTY_VALUE', pointer: `${CONFIRM_BODY}/text`, message: "Invalid reference '${user.name}'" },
  },
  {
    id: 'expr-expression-before-6',
    rule: 'Nested expressions need Flow JSON 6.0',
    flow: confirmBody({ text: "`'Hi ' ${data.full_name}`" }, '5.1'),
    expect: { code: 'INVALID_PROPERTY_VALUE', pointer: `${CONFIRM_BODY}/text`, message: 'need Flow JSON 6.0' },
  },
  {
    id: 'expr-expression-in-name',
    rule: "Nested expressions are not allowed in 'name'",
    flow: mutate(staticFlow(), (f) => {
      f.screens[0].layout.children[1].name = "`'details_form'`";
    }),
    expect: { code: 'INVALID_PROPERTY_VALUE', pointer: '/screens/0/layout/children/1/name', message: "not allowed in property 'name'" },
  },
  {
    id: 'expr-result-string-for-visible',
    rule: 'An expression in visible must resolve to a boolean',
    flow: heading({ visible: "`'yes ' ${form.plan}`" }),
    expect: { code: 'INVALID_PROPERTY_TYPE', pointer: `${HEADING}/visible`, message: 'the expression resolves to string' },
  },
  {
    id: 'expr-result-boolean-for-text',
    rule: 'An expression in a text must not resolve to a boolean',
    flow: heading({ text: "`${form.full_name} == 'Ann'`" }),
    expect: { code: 'INVALID_PROPERTY_TYPE', pointer: `${HEADING}/text` },
  },
  {
    id: 'expr-result-string-for-data-source',
    rule: 'An expression in data-source must resolve to an array',
    flow: mutate(endpointFlow(), (f) => {
      f.screens[0].layout.children[0].children[0]['data-source'] = "`'none'`";
    }),
    expect: { code: 'INVALID_PROPERTY_TYPE', pointer: '/screens/0/layout/children/0/children/0/data-source' },
  },
  {
    id: 'expr-concat-array',
    rule: 'An array cannot be concatenated into text',
    flow: mutate(endpointFlow(), (f) => {
      f.screens[0].layout.children.push(text("`'Slots: ' ${data.slots}`"));
    }),
    expect: { code: 'INVALID_PROPERTY_VALUE', pointer: '/screens/0/layout/children/1/text', message: 'cannot be concatenated' },
  },
  {
    id: 'expr-if-condition-undeclared-data',
    rule: 'References in a condition must resolve',
    flow: confirmIf("${data.tier} == 'pro'"),
    expect: { code: 'INVALID_SCREEN_DYNAMIC_DATA', pointer: `${CONFIRM_EXTRA}/condition`, message: '${data.tier}' },
  },
  {
    id: 'expr-if-condition-missing-form-field',
    rule: 'Form references in a condition must resolve',
    flow: confirmIf('${form.agree}'),
    expect: { code: 'INVALID_PROPERTY_VALUE', pointer: `${CONFIRM_EXTRA}/condition`, message: 'Missing Form component ${form.agree}' },
  },
  {
    id: 'expr-if-condition-unknown-global',
    rule: 'Global references in a condition must exist',
    flow: confirmIf("${screen.PAYMENT.form.card} == 'visa'"),
    expect: { code: 'INVALID_SCREEN_DYNAMIC_DATA', pointer: `${CONFIRM_EXTRA}/condition`, message: 'Global Dynamic data' },
  },
  {
    id: 'expr-switch-value-static',
    rule: 'Switch value must be a binding',
    flow: confirmSwitch('pro'),
    expect: { code: 'INVALID_PROPERTY_VALUE', pointer: `${CONFIRM_EXTRA}/value`, message: "Property 'value' of Switch must be a dynamic reference" },
  },
  {
    id: 'expr-switch-value-expression',
    rule: 'Switch value must be a binding, not an expression',
    flow: confirmSwitch('`${data.plan}`'),
    expect: { code: 'INVALID_PROPERTY_VALUE', pointer: `${CONFIRM_EXTRA}/value` },
  },
  {
    id: 'expr-switch-value-undeclared',
    rule: 'Switch value must resolve',
    flow: confirmSwitch('${data.tier}'),
    expect: { code: 'INVALID_SCREEN_DYNAMIC_DATA', pointer: `${CONFIRM_EXTRA}/value` },
  },
  {
    id: 'expr-switch-value-array',
    rule: 'Switch value cannot bind an array',
    flow: mutate(endpointFlow(), (f) => {
      f.screens[0].layout.children.push({ type: 'Switch', value: '${data.slots}', cases: { a: [text('A')] } });
    }),
    expect: { code: 'INVALID_SCREEN_DYNAMIC_DATA', pointer: '/screens/0/layout/children/1/value' },
  },
];
