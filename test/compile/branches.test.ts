import { describe, expect, it } from 'vitest';
import { compileForm, type CompileResult } from '../../src/core/compile/compile-form.js';
import { mapAnswersToSource } from '../../src/core/compile/map-answers-to-source.js';
import { branching, everyType, model } from './forms.js';
import { runCompiled, type Script } from './run-compiled.js';

function screenOf(result: CompileResult, fieldId: string): string {
  const s = result.fieldMap.fields.find((e) => e.fieldId === fieldId)?.screen;
  if (s === undefined) throw new Error(`no screen for ${fieldId}`);
  return s;
}

/** Build a script from field id → value, placing each answer on its field's screen. */
function script(result: CompileResult, answers: Record<string, unknown>): Script {
  const out: Script = {};
  for (const [fieldId, value] of Object.entries(answers)) {
    const e = result.fieldMap.fields.find((f) => f.fieldId === fieldId);
    if (!e?.flowName) throw new Error(fieldId);
    (out[screenOf(result, fieldId)] ??= {})[e.flowName] = value;
  }
  return out;
}

async function sourceAfter(result: CompileResult, answers: Record<string, unknown>): Promise<{ source: Record<string, unknown>; screens: string[] }> {
  const run = await runCompiled(result, script(result, answers));
  expect(run.stuck).toBeUndefined();
  expect(run.status).toBe('completed');
  return { source: mapAnswersToSource(result.fieldMap, run.response ?? {}, run.endpointAnswers), screens: run.screens };
}

describe.each(['7.3', '6.0', '4.0'])('branching form @ %s', (version) => {
  const result = compileForm(branching, { targetVersion: version });

  it('routes the three-way choice with one Footer per answer (Switch) and the includes jump through the endpoint', () => {
    const routing = Object.fromEntries(result.fieldMap.screens.map((s) => [s.pageId, s.routing]));
    expect(routing).toMatchObject({ start: 'switch', sales: 'endpoint', support: 'navigate', beta: 'navigate' });
    expect(result.report.some((r) => r.fieldId === 'path' && r.kind === 'approximated')).toBe(true);
  });

  it('Sales without Beta ends after the sales page', async () => {
    const { source, screens } = await sourceAfter(result, { path: 'o1', products: ['o1'], budget: '100' });
    expect(screens).not.toContain(screenOf(result, 'beta_q'));
    expect(Object.keys(source).sort()).toEqual(['budget', 'path', 'products']);
    expect(source).toMatchObject({ path: 'SALES', budget: 100, products: ['ALPHA'] });
  });

  it('Sales with Beta asks the endpoint, which opens the Beta page', async () => {
    const { source } = await sourceAfter(result, { path: 'o1', products: ['o2'], budget: '5', beta_q: 'great' });
    expect(Object.keys(source).sort()).toEqual(['beta_q', 'budget', 'path', 'products']);
    expect(source.beta_q).toBe('great');
  });

  it('Support goes to its own page only', async () => {
    const { source } = await sourceAfter(result, { path: 'o2', issue: 'It broke' });
    expect(source).toEqual({ path: 'SUPPORT', issue: 'It broke' });
  });

  it('"Nothing" ends the form at once', async () => {
    const { source, screens } = await sourceAfter(result, { path: 'o3' });
    expect(source).toEqual({ path: 'NOTHING' });
    expect(screens[1]).toBe(result.fieldMap.summaryScreen);
  });
});

describe.each(['7.3', '5.0'])('every-type form branches @ %s', (version) => {
  const result = compileForm(everyType, { targetVersion: version });

  it('a person skips the company page and never submits company fields', async () => {
    const { source } = await sourceAfter(result, { kind: 'o1', nps: '9' });
    expect(source.kind).toBe('PERSON');
    for (const key of ['company', 'country', 'tags', 'big', 'grid', 'why']) expect(source).not.toHaveProperty(key);
    expect(source.utm_source).toBe('whatsapp');
    expect(source.consent).toBe(true);
  });

  it('a company sees the company field and page; a low score asks why', async () => {
    const { source } = await sourceAfter(result, { kind: 'o2', company: 'ACME', tags: ['o1', 'o3'], big: 'yes', nps: '3', why: 'slow' });
    expect(source).toMatchObject({ kind: 'COMPANY', company: 'ACME', tags: ['SALES', 'MARKETING'], big: true, nps: 3, why: 'slow' });
    expect(source.grid).toEqual(expect.objectContaining({ speed: expect.any(String), price: expect.any(String) }));
  });
});

describe('"other" answer of a single choice @ 7.3', () => {
  const result = compileForm(model({
    id: 'other', title: 'Other',
    pages: [{ id: 'p', title: 'P', fields: [{ id: 'plan', key: 'plan', type: 'single_choice', label: 'Plan', required: true, allowOther: true, options: [{ id: 'b', value: 'BASIC', label: 'Basic' }] }] }],
  }));

  it('asks for the text only when "Other" is chosen and sends the text back', async () => {
    const screen = screenOf(result, 'plan');
    const run = await runCompiled(result, { [screen]: { plan: '__other__', plan_other: 'Enterprise' } });
    expect(run.status).toBe('completed');
    expect(mapAnswersToSource(result.fieldMap, run.response ?? {})).toEqual({ plan: 'Enterprise' });
    const other = result.flow.screens[0]?.layout.children.find((c) => 'name' in c && c.name === 'plan_other');
    expect(other).toMatchObject({ required: true, visible: "`${form.plan} == '__other__'`" });
    const basic = await sourceAfter(result, { plan: 'b' });
    expect(basic.source).toEqual({ plan: 'BASIC' });
  });
});
