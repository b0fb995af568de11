import { describe, expect, it } from 'vitest';
import { completeFooter, oneScreen, run, texts } from '../../../test/runtime/flows.js';

const numberInput = { type: 'TextInput', name: 'n', label: 'Number', 'input-type': 'number' };
const shownWhen = (visible: string) => ({ type: 'TextBody', text: visible, visible: `\`${visible}\`` });

describe('expression operators through `visible` (6.0)', () => {
  const conditions = [
    '${form.n} == 42', '${form.n} != 42', '${form.n} > 10', '${form.n} >= 42', '${form.n} < 10', '${form.n} <= 42',
    '(${form.n} > 10) && (${form.n} < 50)', '(${form.n} < 10) || (${form.n} > 40)', '!(${form.n} == 42)',
  ];
  const flow = oneScreen('6.0', [numberInput, ...conditions.map(shownWhen), completeFooter()]);
  const cases: Array<[string, string[]]> = [
    ['42', ['${form.n} == 42', '${form.n} > 10', '${form.n} >= 42', '${form.n} <= 42', '(${form.n} > 10) && (${form.n} < 50)', '(${form.n} < 10) || (${form.n} > 40)']],
    ['5', ['${form.n} != 42', '${form.n} < 10', '${form.n} <= 42', '(${form.n} < 10) || (${form.n} > 40)', '!(${form.n} == 42)']],
    ['60', ['${form.n} != 42', '${form.n} > 10', '${form.n} >= 42', '(${form.n} < 10) || (${form.n} > 40)', '!(${form.n} == 42)']],
  ];
  it.each(cases)('with n = %s', async (n, visible) => {
    const rt = await run(flow);
    rt.setValue('n', n);
    expect(texts(rt)).toEqual(visible);
  });
});

describe('expressions in texts (6.0)', () => {
  it('math, concatenation and division by zero', async () => {
    const rt = await run(
      oneScreen('6.0', [
        { type: 'TextBody', text: "`'Sum ' (${data.a} + ${data.b})`" },
        { type: 'TextBody', text: "`'Diff ' (${data.a} - ${data.b}) ', product ' (${data.a} * ${data.b})`" },
        { type: 'TextBody', text: "`'Div ' (${data.b} / ${data.a}) ', mod ' (${data.b} % ${data.a})`" },
        { type: 'TextBody', text: "`'By zero ' (${data.a} / ${data.zero}) ' ' (${data.a} % ${data.zero})`" },
        completeFooter(),
      ], { data: { a: { type: 'number', __example__: 4 }, b: { type: 'number', __example__: 10 }, zero: { type: 'number', __example__: 0 } } }),
    );
    expect(texts(rt)).toEqual(['Sum 14', 'Diff -6, product 40', 'Div 2.5, mod 2', 'By zero 0 0']);
  });

  it('the text updates as the person types', async () => {
    const rt = await run(oneScreen('6.0', [{ type: 'TextInput', name: 'who', label: 'Name' }, { type: 'TextBody', text: "`'Hello ' ${form.who}`" }, completeFooter()]));
    expect(texts(rt)).toEqual(['Hello ']);
    rt.setValue('who', 'Ann');
    expect(texts(rt)).toEqual(['Hello Ann']);
  });

  it('an expression of literals only is still evaluated', async () => {
    const rt = await run(oneScreen('6.0', [{ type: 'TextBody', text: "`'a' 'b'`" }, completeFooter()]));
    expect(texts(rt)).toEqual(['ab']);
  });

  it('backticks are plain text before 6.0', async () => {
    const rt = await run(oneScreen('5.1', [{ type: 'TextBody', text: "`'a' 'b'`" }, completeFooter()]));
    expect(texts(rt)).toEqual(["`'a' 'b'`"]);
  });
});

describe('If and Switch (4.0)', () => {
  const flow = oneScreen('4.0', [
    { type: 'TextInput', name: 'animal', label: 'Animal' },
    { type: 'If', condition: "${form.animal} == 'cat'", then: [{ type: 'TextHeading', text: 'cat!' }], else: [{ type: 'TextHeading', text: 'not a cat' }] },
    { type: 'Switch', value: '${form.animal}', cases: { dog: [{ type: 'TextBody', text: 'woof' }], default: [{ type: 'TextBody', text: 'silence' }] } },
    completeFooter(),
  ]);
  it.each([
    ['cat', ['cat!', 'silence']],
    ['dog', ['not a cat', 'woof']],
    ['', ['not a cat', 'silence']],
  ])('animal = %j', async (animal, expected) => {
    const rt = await run(flow);
    rt.setValue('animal', animal);
    expect(texts(rt)).toEqual(expected);
  });

  it('an input inside an If branch is only checked while shown', async () => {
    const rt = await run(oneScreen('4.0', [
      { type: 'OptIn', name: 'more', label: 'More' },
      { type: 'If', condition: '${form.more}', then: [{ type: 'TextInput', name: 'detail', label: 'Detail', required: true }] },
      completeFooter(['detail']),
    ]));
    await rt.select('more');
    expect((await rt.press('footer')).errors).toEqual({ detail: 'This field is required.' });
    await rt.unselect('more');
    expect((await rt.press('footer')).ok).toBe(true);
  });
});
