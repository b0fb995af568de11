import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileForm, type CompileResult } from '../../src/core/compile/compile-form.js';
import { mapAnswersToSource } from '../../src/core/compile/map-answers-to-source.js';
import { neutralAnswers } from '../../src/core/compile/neutral-answers.js';
import { replayPath } from '../../src/core/compile/replay-path.js';
import { validateFlow } from '../../src/core/flow/validate/validate-flow.js';
import { formModelArbitrary, versionArbitrary } from './random-forms.js';
import { runCompiled, type Script } from './run-compiled.js';

/** Random answers for lists, yes/no and numbers (the rest is auto-filled), so runs take different branches. */
function randomScript(result: CompileResult, seeds: readonly number[]): Script {
  const script: Script = {};
  result.fieldMap.fields.forEach((e, i) => {
    if (e.flowName === undefined || e.screen === undefined || e.searchable || e.rows) return;
    const seed = seeds[i % seeds.length] ?? 0;
    let value: unknown;
    if (e.options && e.valueType !== 'string[]') value = e.options[seed % e.options.length]?.flowId;
    else if (e.type === 'number') value = String(seed % 12);
    if (value !== undefined && e.options?.[seed % e.options.length]?.flowId !== '__other__') (script[e.screen] ??= {})[e.flowName] = value;
  });
  return script;
}

describe('random FormModels (property)', () => {
  it('compile to flows without validator errors that complete in the runtime', async () => {
    await fc.assert(
      fc.asyncProperty(formModelArbitrary(200), versionArbitrary, fc.array(fc.nat(), { minLength: 50, maxLength: 50 }), async (model, version, seeds) => {
        const result = compileForm(model, { targetVersion: version });
        const errors = validateFlow(result.flow).findings.filter((f) => f.severity === 'error');
        expect(errors).toEqual([]);
        const run = await runCompiled(result, randomScript(result, seeds));
        expect(run.stuck).toBeUndefined();
        expect(run.status).toBe('completed');
        const source = mapAnswersToSource(result.fieldMap, run.response ?? {}, run.endpointAnswers);
        const onPath = new Set(result.fieldMap.fields.filter((e) => e.screen !== undefined && run.screens.includes(e.screen)).map((e) => e.sourceKey));
        for (const key of Object.keys(source)) {
          const e = result.fieldMap.fields.find((x) => x.sourceKey === key);
          expect(e?.type === 'hidden' || onPath.has(key), key).toBe(true);
        }
        for (const e of result.fieldMap.fields) {
          if (e.required && e.flowName !== undefined && e.visibleWhen === undefined && e.screen !== undefined && run.screens.includes(e.screen) && e.valueType !== 'boolean') expect(source, e.fieldId).toHaveProperty(e.sourceKey);
        }
        // The pages the client went through are the pages the server's replay of the form logic finds.
        const screenPage = new Map(result.fieldMap.screens.map((s) => [s.id, s.pageId]));
        const visitedPages = [...new Set(run.screens.map((s) => screenPage.get(s)).filter((p) => p !== undefined))];
        const withScreens = new Set(result.fieldMap.pages.filter((p) => p.screens.length > 0).map((p) => p.id));
        const replayed = replayPath(result.fieldMap, neutralAnswers(result.fieldMap, { ...run.endpointAnswers, ...run.response })).pages.filter((p) => withScreens.has(p));
        expect(visitedPages).toEqual(replayed);
      }),
      { numRuns: Number(process.env.FB_RUNS ?? 40) },
    );
  }, 120_000);
});
