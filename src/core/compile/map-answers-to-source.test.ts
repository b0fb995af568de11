import { describe, expect, it } from 'vitest';
import { formModelSchema } from '../form/form-model.js';
import { compileForm } from './compile-form.js';
import { endpointStep, searchOptions } from './endpoint-step.js';
import { mapAnswersToSource } from './map-answers-to-source.js';

const model = formModelSchema.parse({
  id: 'm', title: 'Map',
  pages: [
    { id: 'one', title: 'One', fields: [
      { id: 'plan', key: 'plan_choice', type: 'single_choice', label: 'Plan', options: [{ id: 'b', value: 'BASIC', label: 'Basic' }, { id: 'p', value: 'PRO', label: 'Pro' }], allowOther: true },
      { id: 'day', key: 'start', type: 'date', label: 'Start' },
      { id: 'ok', key: 'agree', type: 'yes_no', label: 'OK?' },
      { id: 'tag', key: 'campaign', type: 'hidden', default: 'spring' },
      { id: 'many', key: 'many', type: 'multiple_choice', label: 'Many', options: Array.from({ length: 25 }, (_, i) => ({ id: `m${i}`, value: `M${i}`, label: `Thing ${i}` })) },
    ], jumps: [{ when: { op: 'includes', field: 'many', value: 'm3' }, to: 'three' }] },
    { id: 'two', title: 'Two', fields: [{ id: 'why', key: 'why', type: 'short_text', label: 'Why' }] },
    { id: 'three', title: 'Three', fields: [{ id: 'last', key: 'last', type: 'short_text', label: 'Last' }] },
  ],
});

describe('mapAnswersToSource', () => {
  it('uses source keys and option source values, adds hidden defaults, drops untaken pages', () => {
    const { fieldMap } = compileForm(model);
    const out = mapAnswersToSource(fieldMap, { flow_token: 't', plan: 'p', day: '2026-03-01', ok: 'no', many: ['m3', 'm4'], why: 'stale', last: 'end' });
    expect(out).toEqual({ plan_choice: 'PRO', start: '2026-03-01', agree: false, campaign: 'spring', many: ['M3', 'M4'], last: 'end' });
  });

  it('gives the text of an "other" answer and reads pre-5.0 timestamps as dates', () => {
    const { fieldMap } = compileForm(model, { targetVersion: '4.0' });
    const out = mapAnswersToSource(fieldMap, { plan: '__other__', plan_other: 'Custom', day: String(Date.UTC(2026, 2, 1)), many: [], why: 'w' });
    expect(out).toMatchObject({ plan_choice: 'Custom', start: '2026-03-01', why: 'w' });
    expect(out).not.toHaveProperty('many');
    expect(out).not.toHaveProperty('last');
  });
});

describe('endpointStep', () => {
  const { fieldMap } = compileForm(model);
  const search = fieldMap.fields.find((e) => e.fieldId === 'many')?.searchable;

  it('serves matching options to the pick screen, at most the list limit', () => {
    expect(search).toBeDefined();
    const step = endpointStep(fieldMap, search?.searchScreen ?? '', { [search?.queryName ?? '']: 'thing 1' });
    expect(step?.screen).toBe(search?.pickScreen);
    const options = step?.data[search?.dataKey ?? ''] as { title: string }[];
    expect(options.map((o) => o.title)).toEqual(['Thing 1', 'Thing 10', 'Thing 11', 'Thing 12', 'Thing 13', 'Thing 14', 'Thing 15', 'Thing 16', 'Thing 17', 'Thing 18', 'Thing 19']);
    expect(searchOptions(fieldMap, 'many', 'zzz')).toHaveLength(20);
  });

  it('applies the page jump the client cannot compute', () => {
    const pick = search?.pickScreen ?? '';
    const three = fieldMap.pages.find((p) => p.id === 'three')?.screens[0];
    const two = fieldMap.pages.find((p) => p.id === 'two')?.screens[0];
    expect(endpointStep(fieldMap, pick, { many: ['m3'] })?.screen).toBe(three);
    expect(endpointStep(fieldMap, pick, { many: ['m1'] })?.screen).toBe(two);
    expect(endpointStep(fieldMap, two ?? '', {})).toBeUndefined();
  });
});
