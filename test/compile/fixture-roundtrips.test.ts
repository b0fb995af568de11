/**
 * Issue 5, "Done when": for every source fixture, the compiled flow runs to
 * completion (`--auto` and scripted answers taking each branch the form's
 * conditions allow), the answers map back to exactly what the source form
 * would submit on that path (an oracle computed from the FormModel alone),
 * and answers the source form refuses are refused with its rule.
 */
import { describe, expect, it } from 'vitest';
import { answerProblems } from '../../src/core/compile/answer-problems.js';
import { compileForm, type CompileResult } from '../../src/core/compile/compile-form.js';
import { mapAnswersToSource } from '../../src/core/compile/map-answers-to-source.js';
import type { Component } from '../../src/core/flow/model/component.js';
import { validateFlow } from '../../src/core/flow/validate/validate-flow.js';
import { evaluateCondition } from '../../src/core/form/evaluate-condition.js';
import { answersFromRun, scriptFor } from './flow-answers.js';
import { enumeratePaths, expectedSubmission, formConditions, simulate, TODAY, validAnswer, type Answers } from './form-paths.js';
import { invalidCases } from './invalid-answers.js';
import { runCompiled, type RunOutcome } from './run-compiled.js';
import { DEFINITIONS, fixtureName, mapFixture, unclassifiedFixtures } from './source-fixtures.js';

/** Field ids whose input the flow makes required (a Switch-routed choice becomes required). */
function flowRequired(result: CompileResult): Set<string> {
  const names = new Set<string>();
  const walk = (cs: readonly Component[]): void => {
    for (const c of cs) {
      const r = c as unknown as Record<string, unknown>;
      if (r.required === true && typeof r.name === 'string') names.add(r.name);
      if (c.type === 'If') walk([...c.then, ...(c.else ?? [])]);
      else if (c.type === 'Switch') walk(Object.values(c.cases).flat());
      else if (c.type === 'Form') walk(c.children);
    }
  };
  for (const s of result.flow.screens) walk(s.layout.children);
  return new Set(result.fieldMap.fields.filter((e) => e.flowName !== undefined && names.has(e.flowName)).map((e) => e.fieldId));
}

async function completed(result: CompileResult, answers?: Answers): Promise<RunOutcome> {
  const run = await runCompiled(result, answers === undefined ? {} : scriptFor(result, answers));
  expect(run.stuck, JSON.stringify(run.stuck)).toBeUndefined();
  expect(run.status).toBe('completed');
  return run;
}

const submitted = (result: CompileResult, run: RunOutcome): Record<string, unknown> => mapAnswersToSource(result.fieldMap, run.response ?? {}, run.endpointAnswers);

/** Pages of the run, by the field map's screen → page link. */
function pagesOf(result: CompileResult, run: RunOutcome): string[] {
  const pageOf = new Map(result.fieldMap.screens.map((s) => [s.id, s.pageId]));
  return [...new Set(run.screens.map((s) => pageOf.get(s)).filter((p): p is string => p !== undefined))];
}

/** Pages with at least one screen (a page without questions has none in the flow). */
const withScreens = (result: CompileResult, pages: readonly string[]): string[] => pages.filter((p) => result.fieldMap.pages.find((x) => x.id === p)?.screens.length);

describe('every source fixture is covered by the round trips', () => {
  it('each JSON file is a listed definition or a listed other response', () => {
    expect(unclassifiedFixtures()).toEqual([]);
  });
});

describe.each(DEFINITIONS.map((d) => [fixtureName(d), d] as const))('%s', (_name, fixture) => {
  const { model } = mapFixture(fixture);
  const result = compileForm(model, { today: TODAY });
  const paths = enumeratePaths(model, { flowRequired: flowRequired(result) });
  // Each path runs once; the branch and the refusal tests share the runs.
  const runs = new Map<number, Promise<RunOutcome>>();
  const runOf = (i: number): Promise<RunOutcome> => {
    const cached = runs.get(i) ?? completed(result, paths[i]?.answers ?? {});
    runs.set(i, cached);
    return cached;
  };

  it('compiles to a flow without validator errors', () => {
    expect(validateFlow(result.flow).findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('--auto: completes, and maps back exactly what the source submits on the path taken', async () => {
    const run = await completed(result);
    const answers = answersFromRun(result, model, { ...run.endpointAnswers, ...(run.response ?? {}) });
    expect(submitted(result, run)).toEqual(expectedSubmission(model, answers));
    expect(withScreens(result, pagesOf(result, run))).toEqual(withScreens(result, simulate(model, answers).pages));
  });

  it('each branch path: scripted answers complete and map back exactly, untaken branches absent', async () => {
    if (formConditions(model).length > 0) expect(paths.length).toBeGreaterThan(1);
    for (const [i, path] of paths.entries()) {
      const run = await runOf(i);
      expect(withScreens(result, pagesOf(result, run)), JSON.stringify(path.pages)).toEqual(withScreens(result, path.pages));
      const expected = expectedSubmission(model, path.answers);
      expect(submitted(result, run), JSON.stringify(path.pages)).toEqual(expected);
      // Answers left behind on branches the person backed out of (still in the flow's form state) are not submitted.
      const shown = simulate(model, path.answers).shown;
      const stale = Object.fromEntries(model.pages.flatMap((p) => p.fields).filter((f) => !shown.has(f.id)).map((f) => [f.id, validAnswer(f)]));
      const leftBehind = Object.assign({}, ...Object.values(scriptFor(result, stale))) as Record<string, unknown>;
      expect(submitted(result, { ...run, response: { ...run.response, ...leftBehind } }), 'with stale answers').toEqual(expected);
    }
  });

  it('answers the source refuses are refused with its rule; valid paths pass', async () => {
    const fields = new Map(model.pages.flatMap((p) => p.fields).map((f) => [f.id, f]));
    let checked = 0;
    let checkedRequiredWhen = 0;
    for (const i of paths.keys()) {
      const run = await runOf(i);
      const values = { ...run.endpointAnswers, ...(run.response ?? {}) };
      expect(answerProblems(result.fieldMap, model, values, { checkEndpointFields: true, today: TODAY })).toEqual({ ok: true });
      const { shown, known } = simulate(model, answersFromRun(result, model, values));
      for (const e of result.fieldMap.fields) {
        const f = fields.get(e.fieldId);
        if (!f || !shown.has(e.fieldId) || e.screen === undefined) continue;
        if (f.requiredWhen && !f.required && e.flowName !== undefined) {
          // Conditional required: refused without an answer exactly when the source's condition holds.
          const without: Record<string, unknown> = { ...values };
          delete without[e.flowName];
          const r = answerProblems(result.fieldMap, model, without, { checkEndpointFields: true, today: TODAY });
          const errors = r.ok ? {} : r.fieldErrors;
          if (evaluateCondition(f.requiredWhen, (id) => known.get(id))) expect(errors, `${f.label}: required when`).toMatchObject({ [e.flowName]: expect.stringMatching(/needs an answer/u) });
          else expect(errors, `${f.label}: not required now`).not.toHaveProperty(e.flowName);
          checkedRequiredWhen++;
        }
        for (const c of invalidCases(f, e)) {
          const bad: Record<string, unknown> = { ...values, [c.name]: c.value };
          if (c.value === undefined) delete bad[c.name];
          const r = answerProblems(result.fieldMap, model, bad, { checkEndpointFields: true, today: TODAY });
          expect(r.ok ? {} : r.fieldErrors, `${f.label}: ${c.rule}`).toMatchObject({ [c.name]: expect.stringMatching(c.message) });
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(0);
    if (model.pages.some((p) => p.fields.some((f) => f.requiredWhen && !f.required))) expect(checkedRequiredWhen).toBeGreaterThan(1);
  });
});

