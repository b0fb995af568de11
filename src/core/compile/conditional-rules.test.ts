import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateFlow } from '../flow/validate/validate-flow.js';
import type { Component } from '../flow/model/component.js';
import { createFlowRuntime } from '../runtime/flow-runtime.js';
import { formModelSchema, type FormModelInput } from '../form/form-model.js';
import { answerProblems } from './answer-problems.js';
import { compileForm, type CompileResult } from './compile-form.js';
import { addDays, countWords, describeOffset } from './conditional-rules.js';

const yesNo = [{ id: 'y', value: 'YES', label: 'Yes' }, { id: 'n', value: 'NO', label: 'No' }];
const input: FormModelInput = {
  id: 'rules', title: 'Rules',
  pages: [
    {
      id: 'p1', title: 'About you', fields: [
        { id: 'pep', key: 'pep', type: 'single_choice', label: 'Politically exposed?', required: true, options: yesNo },
        { id: 'role', key: 'role', type: 'short_text', label: 'Public role', requiredWhen: { op: 'equals', field: 'pep', value: 'y' } },
        { id: 'start', key: 'start', type: 'date', label: 'Start', validation: { minDateOffset: 0, maxDateOffset: 30 } },
        { id: 'story', key: 'story', type: 'long_text', label: 'Your story', validation: { maxWords: 5 } },
      ],
    },
    { id: 'p2', title: 'More', fields: [{ id: 'why', key: 'why', type: 'short_text', label: 'Why?', requiredWhen: { op: 'equals', field: 'volume', value: 9 } }] },
    { id: 'p3', title: 'Volume', fields: [{ id: 'volume', key: 'volume', type: 'number', label: 'Volume' }] },
  ],
};
const model = formModelSchema.parse(input);
const TODAY = '2026-03-10';

function component(result: CompileResult, name: string): Record<string, unknown> | undefined {
  const walk = (cs: readonly Component[]): Record<string, unknown> | undefined => {
    for (const c of cs) {
      const r = c as unknown as Record<string, unknown>;
      if (r.name === name) return r;
      if (c.type === 'If') return walk([...c.then, ...(c.else ?? [])]);
    }
    return undefined;
  };
  for (const s of result.flow.screens) {
    const hit = walk(s.layout.children);
    if (hit) return hit;
  }
  return undefined;
}

const problems = (values: Record<string, unknown>): Record<string, string> => {
  const r = answerProblems(compileForm(model).fieldMap, model, values, { checkEndpointFields: true, today: TODAY });
  return r.ok ? {} : r.fieldErrors;
};
const valid = { pep: 'n', start: '2026-03-20', story: 'short and sweet' };

describe('conditional required (requiredWhen)', () => {
  it('is a required expression the phone computes when the condition is on the same screen (≥ 6.0), valid per the validator', async () => {
    const result = compileForm(model, { today: TODAY });
    expect(validateFlow(result.flow).findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(component(result, 'role')?.required).toBe("`${form.pep} == 'y'`");
    const rt = createFlowRuntime(result.flow, { flowToken: 't', openWith: 'navigate' });
    if (typeof rt === 'string') throw new Error(rt);
    await rt.start();
    await rt.select('pep', 'y');
    expect(rt.validate().role).toBeDefined();
    await rt.select('pep', 'n');
    expect(rt.validate().role).toBeUndefined();
  });

  it('stays optional and server-checked when the phone cannot compute it (a later question, or before 6.0)', () => {
    const result = compileForm(model);
    expect(component(result, 'why')?.required).toBe(false);
    expect(result.fieldMap.fields.find((e) => e.fieldId === 'why')?.serverChecks).toContain('required-when');
    expect(result.report.some((r) => r.fieldId === 'why' && r.kind === 'server-validated')).toBe(true);
    expect(result.report.find((r) => r.fieldId === 'why' && r.kind === 'server-validated')?.message).toMatch(/refuses the completed answers/);
    const old = compileForm(model, { targetVersion: '5.0' });
    expect(component(old, 'role')?.required).toBe(false);
    expect(validateFlow(old.flow).findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('before 6.0, leaving the screen asks the endpoint, which refuses to go on without the answer when the condition holds', () => {
    const old = compileForm(model, { targetVersion: '5.0' });
    const screen = old.fieldMap.fields.find((e) => e.fieldId === 'role')?.screen ?? '';
    expect(old.fieldMap.screens.find((x) => x.id === screen)?.routing).toBe('endpoint');
    expect(old.report.find((r) => r.fieldId === 'role' && r.kind === 'server-validated')?.message).toMatch(/asks the endpoint/);
    const step = (values: Record<string, unknown>): Record<string, string> => {
      const r = answerProblems(old.fieldMap, model, values, { upToScreen: screen, checkEndpointFields: true, today: TODAY });
      return r.ok ? {} : r.fieldErrors;
    };
    expect(step({ ...valid, pep: 'y' })).toEqual({ role: 'This question needs an answer.' });
    expect(step({ ...valid, pep: 'n' })).toEqual({});
  });

  it('the server requires the answer exactly when the condition holds on the answers given', () => {
    expect(problems(valid)).toEqual({});
    expect(problems({ ...valid, pep: 'y' })).toEqual({ role: 'This question needs an answer.' });
    expect(problems({ ...valid, pep: 'y', role: 'Mayor' })).toEqual({});
    expect(problems({ ...valid, volume: '9' })).toEqual({ why: 'This question needs an answer.' });
    expect(problems({ ...valid, volume: '8' })).toEqual({});
  });
});

describe('relative date bounds', () => {
  it('are fixed picker bounds as of the compile day, reported; without a compile day only the server checks', () => {
    const fixed = compileForm(model, { today: TODAY });
    expect(component(fixed, 'start')).toMatchObject({ 'min-date': TODAY, 'max-date': '2026-04-09' });
    expect(fixed.report.some((r) => r.fieldId === 'start' && r.kind === 'approximated' && r.message.includes('2026-04-09'))).toBe(true);
    const open = compileForm(model);
    expect(component(open, 'start')?.['min-date']).toBeUndefined();
    expect(open.report.filter((r) => r.fieldId === 'start' && r.kind === 'server-validated')).toHaveLength(2);
  });

  it('the server checks them against the day of answering', () => {
    expect(problems({ ...valid, start: '2026-03-09' })).toEqual({ start: 'Choose a date on or after 2026-03-10.' });
    expect(problems({ ...valid, start: '2026-04-10' })).toEqual({ start: 'Choose a date on or before 2026-04-09.' });
    expect(problems({ ...valid, start: TODAY })).toEqual({});
  });

  it('move by whole days across months and years (property)', () => {
    fc.assert(fc.property(fc.integer({ min: -3000, max: 3000 }), (days) => {
      const d = addDays('2024-02-28', days);
      expect(d).toMatch(/^\d{4}-\d{2}-\d{2}$/u);
      expect(addDays(d, -days)).toBe('2024-02-28');
    }));
    expect([describeOffset(0), describeOffset(30), describeOffset(-1)]).toEqual(['today', 'today + 30 days', 'today − 1 day']);
  });
});

describe('word limits', () => {
  it('are shown as helper text and checked by the server', () => {
    const result = compileForm(model);
    expect(component(result, 'story')?.['helper-text']).toBe('At most 5 words');
    expect(result.fieldMap.fields.find((e) => e.fieldId === 'story')?.serverChecks).toContain('word-count');
    expect(problems({ ...valid, story: 'one two three four five six' })).toEqual({ story: 'Enter at most 5 words.' });
    expect(problems({ ...valid, story: '  one\ttwo\nthree  four five ' })).toEqual({});
  });

  it('count runs of non-space characters (property)', () => {
    fc.assert(fc.property(fc.array(fc.stringMatching(/^[a-z]{1,8}$/u), { maxLength: 30 }), fc.constantFrom(' ', '  ', '\n', '\t '), (words, gap) => {
      expect(countWords(`${gap}${words.join(gap)}${gap}`)).toBe(words.length);
    }));
  });
});

describe('FormModel schema of the new rules', () => {
  it('rejects inverted bounds and conditions on unknown fields', () => {
    const bad = structuredClone(input) as Record<string, any>;
    bad.pages[0].fields[2].validation = { minDateOffset: 5, maxDateOffset: 1 };
    bad.pages[0].fields[3].validation = { minWords: 9, maxWords: 2 };
    bad.pages[0].fields[1].requiredWhen = { op: 'answered', field: 'nope' };
    const r = formModelSchema.safeParse(bad);
    expect(r.success ? [] : r.error.issues.map((i) => i.path.join('.'))).toEqual(expect.arrayContaining([
      'pages.0.fields.2.validation.maxDateOffset', 'pages.0.fields.3.validation.maxWords', 'pages.0.fields.1.requiredWhen',
    ]));
  });
});
