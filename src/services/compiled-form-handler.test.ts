import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileForm } from '../core/compile/compile-form.js';
import type { FieldMapEntry } from '../core/compile/field-map.js';
import { mapAnswersToSource } from '../core/compile/map-answers-to-source.js';
import { formModelSchema, type FormModelInput } from '../core/form/form-model.js';
import { answerProblems, createCompiledFormHandler, validateCompletedAnswers } from './compiled-form-handler.js';
import type { FlowRequestContext, HandlerResult } from './flow-handlers.js';
import type { FlowSession } from './sessions.js';

const opts = (...labels: string[]) => labels.map((l, i) => ({ id: `o${i + 1}`, value: l.toUpperCase(), label: l }));
const input: FormModelInput = {
  id: 'rules', title: 'Rules',
  pages: [
    {
      id: 'p1', title: 'Rules', fields: [
        { id: 'mail', key: 'email', type: 'email', label: 'E-mail', required: true, validation: { blockedDomains: ['spam.test'] } },
        { id: 'code', key: 'code', type: 'short_text', label: 'Code', validation: { pattern: '^[A-Z]{3}$', patternMessage: 'Three capital letters.' } },
        { id: 'nick', key: 'nick', type: 'long_text', label: 'Nickname', validation: { minLength: 3, maxLength: 8 } },
        { id: 'qty', key: 'qty', type: 'number', label: 'Quantity', validation: { min: 1, max: 10, integer: true } },
        { id: 'langs', key: 'langs', type: 'multiple_choice', label: 'Languages', options: opts('En', 'Fr', 'De', 'Es'), allowOther: true, validation: { minSelected: 2, maxSelected: 3 } },
        { id: 'start', key: 'start', type: 'date', label: 'Start', validation: { minDate: '2026-01-01', maxDate: '2026-12-31' } },
        { id: 'meet', key: 'meet', type: 'datetime', label: 'Meeting' },
        { id: 'agree', key: 'agree', type: 'consent', label: 'I agree', required: true },
        { id: 'src', key: 'utm_source', type: 'hidden', default: 'whatsapp' },
      ],
    },
    {
      id: 'p2', title: 'More', fields: [
        { id: 'gr', key: 'grid', type: 'grid', label: 'Rate', required: true, options: opts('Bad', 'Good'), rows: [{ id: 'r1', key: 'speed', label: 'Speed' }, { id: 'r2', key: 'price', label: 'Price' }] },
        { id: 'doc', key: 'doc', type: 'file', label: 'Documents', file: { kind: 'document', maxFiles: 2, mimeTypes: ['application/pdf', 'application/x-foo'] } },
        { id: 'kind', key: 'kind', type: 'single_choice', label: 'Kind', required: true, options: opts('Person', 'Company') },
      ],
      jumps: [{ when: { op: 'equals', field: 'kind', value: 'o1' }, to: 'p4' }],
    },
    { id: 'p3', title: 'Company', fields: [{ id: 'company', key: 'company', type: 'short_text', label: 'Company', required: true }] },
    { id: 'p4', title: 'End', fields: [{ id: 'note', key: 'note', type: 'long_text', label: 'Note' }] },
  ],
};
const model = formModelSchema.parse(input);
const { fieldMap } = compileForm(model);
const entry = (id: string): FieldMapEntry => {
  const e = fieldMap.fields.find((f) => f.fieldId === id);
  if (!e) throw new Error(id);
  return e;
};
const n = (id: string): string => entry(id).flowName ?? '';
const pdf = { media_id: 'm1', file_name: 'a.pdf', mime_type: 'application/pdf' };

/** A valid set of answers on the path that skips the company page. */
function valid(): Record<string, unknown> {
  const g = entry('gr').rows ?? [];
  return {
    [n('mail')]: 'ann@example.com', [n('code')]: 'ABC', [n('nick')]: 'annie', [n('qty')]: '4', [n('langs')]: ['o1', 'o2'],
    [n('start')]: '2026-05-04', [n('meet')]: '2026-06-01', [entry('meet').timeFlowName ?? '']: '10:30', [n('agree')]: true,
    [g[0]?.flowName ?? '']: 'o1', [g[1]?.flowName ?? '']: 'o2', [n('doc')]: [pdf], [n('kind')]: 'o1', [n('note')]: 'hello',
  };
}

function problemsOf(values: Record<string, unknown>): Record<string, string> {
  const r = answerProblems(fieldMap, model, values, { checkEndpointFields: true });
  return r.ok ? {} : r.fieldErrors;
}

const session: FlowSession = { flowToken: 't', flowId: 'rules', status: 'open' } as unknown as FlowSession;
const ctx = (action: FlowRequestContext['action'], screen: string | undefined, data: Record<string, unknown>, flowToken = 't'): FlowRequestContext =>
  ({ action, screen, data, version: '3.0', flowToken, session });

describe('answer checks of the source form', () => {
  it('a valid path passes; the required question of the untaken branch is not asked for', () => {
    expect(validateCompletedAnswers(fieldMap, model, { flow_token: 't', ...valid() }, { [n('doc')]: [pdf] })).toEqual({ ok: true });
  });

  it('an unanswered routing choice leaves the default path: both it and the next page\'s question are asked for', () => {
    expect(problemsOf({ ...valid(), [n('kind')]: '' })).toEqual({ [n('kind')]: 'This question needs an answer.', [n('company')]: 'This question needs an answer.' });
  });

  it('the same question is required once the answers take its branch', () => {
    expect(problemsOf({ ...valid(), [n('kind')]: 'o2' })).toEqual({ [n('company')]: 'This question needs an answer.' });
    expect(problemsOf({ ...valid(), [n('kind')]: 'o2', [n('company')]: 'ACME' })).toEqual({});
  });

  const row = () => entry('gr').rows?.[1]?.flowName ?? '';
  const cases: [string, () => [string, unknown], () => string, string][] = [
    ['blocked e-mail domain', () => [n('mail'), 'x@SPAM.test'], () => n('mail'), 'Please use another email address (this domain is not accepted).'],
    ['malformed e-mail', () => [n('mail'), 'x@@y'], () => n('mail'), 'Enter a valid email address.'],
    ['source pattern, with its own message', () => [n('code'), 'abc'], () => n('code'), 'Three capital letters.'],
    ['too short', () => [n('nick'), 'ab'], () => n('nick'), 'Enter at least 3 characters.'],
    ['too long (code points)', () => [n('nick'), '😀'.repeat(9)], () => n('nick'), 'Enter at most 8 characters.'],
    ['above range', () => [n('qty'), '11'], () => n('qty'), 'Enter a number between 1 and 10.'],
    ['not an integer', () => [n('qty'), '2.5'], () => n('qty'), 'Enter a whole number.'],
    ['not a number', () => [n('qty'), 'ten'], () => n('qty'), 'Enter a number.'],
    ['too few chosen', () => [n('langs'), ['o1']], () => n('langs'), 'Choose at least 2 options.'],
    ['too many chosen', () => [n('langs'), ['o1', 'o2', 'o3', 'o4']], () => n('langs'), 'Choose at most 3 options.'],
    ['option not in the list', () => [n('langs'), ['o1', 'o9']], () => n('langs'), 'Choose from the options in the list.'],
    ['"other" without its text', () => [n('langs'), ['o1', '__other__']], () => entry('langs').otherFlowName ?? '', 'Please say what "Other" is.'],
    ['date before the first allowed', () => [n('start'), '2025-12-31'], () => n('start'), 'Choose a date on or after 2026-01-01.'],
    ['impossible date', () => [n('start'), '2026-02-30'], () => n('start'), 'Enter a valid date.'],
    ['bad time of a datetime', () => [entry('meet').timeFlowName ?? '', '25:00'], () => entry('meet').timeFlowName ?? '', 'Enter a time as HH:MM (24 hours).'],
    ['consent not given', () => [n('agree'), false], () => n('agree'), 'Please agree to continue.'],
    ['grid row answer not a column', () => [row(), 'zz'], row, 'Choose from the options in the list.'],
    ['grid row missing (required)', () => [row(), undefined], row, 'This question needs an answer.'],
    ['too many files', () => [n('doc'), [pdf, pdf, pdf]], () => n('doc'), 'Upload at most 2 files.'],
    ['file type not accepted', () => [n('doc'), [{ ...pdf, mime_type: 'image/png' }]], () => n('doc'), 'This file type is not accepted (accepted: application/pdf, application/x-foo).'],
    ['required e-mail left blank', () => [n('mail'), '   '], () => n('mail'), 'This question needs an answer.'],
  ];
  it.each(cases)('%s is refused at the right input', (_name, change, at, message) => {
    const [key, value] = change();
    const values = { ...valid(), [key]: value };
    expect(problemsOf(values)).toEqual({ [at()]: message });
    const nfm = validateCompletedAnswers(fieldMap, model, values, { [n('doc')]: values[n('doc')] });
    expect(nfm.ok).toBe(false);
  });
});

describe('createCompiledFormHandler', () => {
  const first = fieldMap.screens[0]?.id ?? '';
  const docScreen = entry('doc').screen ?? '';

  it('the flow uses the endpoint for the screen with the two-file question', () => {
    expect(fieldMap.screens.find((s) => s.id === docScreen)?.routing).toBe('endpoint');
  });

  it('INIT opens the first screen', async () => {
    const h = createCompiledFormHandler({ fieldMap, model });
    expect(await h.INIT?.(ctx('INIT', undefined, {}))).toEqual({ kind: 'next', screen: first, data: {} });
  });

  it('a data_exchange step refuses an invalid answer and moves on with a valid one', async () => {
    const h = createCompiledFormHandler({ fieldMap, model });
    const bad = await h.fallback?.(ctx('data_exchange', docScreen, { ...valid(), [n('qty')]: '99' }));
    expect(bad).toEqual({ kind: 'error', message: 'Quantity: Enter a number between 1 and 10.', fieldErrors: { [n('qty')]: 'Enter a number between 1 and 10.' } });
    const good = await h.fallback?.(ctx('data_exchange', docScreen, valid()));
    expect(good?.kind).toBe('next');
    expect(good?.kind === 'next' ? good.screen : '').toBe(entry('note').screen);
  });

  it('completes from the review screen with the answers keyed for the field map, files remembered from the step', async () => {
    const got: unknown[] = [];
    const h = createCompiledFormHandler({ fieldMap, model, onAnswers: (a) => { got.push(a); } });
    await h.fallback?.(ctx('data_exchange', docScreen, valid(), 'tok-files'));
    const { [n('doc')]: _files, ...rest } = valid();
    const r = await h.fallback?.(ctx('data_exchange', fieldMap.summaryScreen, rest, 'tok-files'));
    expect(r?.kind).toBe('complete');
    const params = r?.kind === 'complete' ? r.params : {};
    expect(params[n('doc')]).toEqual([pdf]);
    expect(got).toEqual([mapAnswersToSource(fieldMap, params)]);
    expect(got[0]).toMatchObject({ utm_source: 'whatsapp', email: 'ann@example.com', kind: 'PERSON' });
    expect(got[0]).not.toHaveProperty('company');
  });

  it('answers left on a branch the person backed out of are not completed', async () => {
    const h = createCompiledFormHandler({ fieldMap, model });
    await h.fallback?.(ctx('data_exchange', docScreen, { ...valid(), [n('kind')]: 'o2', [n('company')]: 'ACME' }, 'tok-back'));
    const r = await h.fallback?.(ctx('data_exchange', fieldMap.summaryScreen, valid(), 'tok-back'));
    expect(r?.kind).toBe('complete');
    expect(r?.kind === 'complete' ? r.params : {}).not.toHaveProperty(n('company'));
  });

  it('a failing onAnswers keeps the flow open with a retry message', async () => {
    const h = createCompiledFormHandler({ fieldMap, model, onAnswers: () => Promise.reject(new Error('CRM down')), retryMessage: 'Try again' });
    expect(await h.fallback?.(ctx('data_exchange', fieldMap.summaryScreen, valid()))).toEqual({ kind: 'error', message: 'Try again', fieldErrors: undefined });
  });

  it('BACK returns to a screen that leads to the one left', async () => {
    const h = createCompiledFormHandler({ fieldMap, model });
    const r = await h.fallback?.(ctx('BACK', entry('gr').screen, {}));
    const before = fieldMap.screens.find((s) => r?.kind === 'next' && s.id === r.screen);
    expect(before?.next).toContain(entry('gr').screen);
  });

  it('random answers on any screen never crash it: always next, error or complete (and complete only when valid)', async () => {
    const names = fieldMap.fields.flatMap((e) => [e.flowName, e.otherFlowName, e.timeFlowName, ...(e.rows ?? []).map((r) => r.flowName)]).filter((x): x is string => x !== undefined);
    const screens = [...fieldMap.screens.map((s) => s.id), fieldMap.summaryScreen, 'UNKNOWN', ''];
    const value = fc.oneof(fc.anything(), fc.constantFrom('o1', 'o2', 'yes', '', '2026-05-04', '4', 'ann@example.com'), fc.array(fc.constantFrom('o1', 'o2', 'o3', '__other__')), fc.constant([pdf]));
    const h = createCompiledFormHandler({ fieldMap, model });
    await fc.assert(fc.asyncProperty(
      fc.constantFrom(...screens), fc.constantFrom('data_exchange', 'BACK', 'INIT') as fc.Arbitrary<FlowRequestContext['action']>,
      fc.dictionary(fc.constantFrom(...names, '__proto__', 'constructor'), value), fc.boolean(),
      async (screen, action, data, fromValid) => {
        const payload = fromValid ? { ...valid(), ...data } : data;
        const handler = action === 'INIT' ? h.INIT : h.fallback;
        const r: HandlerResult | undefined = await handler?.(ctx(action, screen, payload, `t-${screen}`));
        expect(['next', 'error', 'complete']).toContain(r?.kind);
        if (r?.kind === 'complete') expect(validateCompletedAnswers(fieldMap, model, r.params, r.params).ok).toBe(true);
        if (r?.kind === 'next') expect(r.screen === fieldMap.summaryScreen || fieldMap.screens.some((s) => s.id === r.screen)).toBe(true);
      },
    ), { numRuns: 300 });
  });
});
