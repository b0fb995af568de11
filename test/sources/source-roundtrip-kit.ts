/**
 * What the source round-trip tests share: compile a source fixture, run it
 * to completion in the runtime with answers placed on each field's screen,
 * and map the run's response back to the source's own answer keys.
 * @module
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { compileForm, type CompileResult } from '../../src/core/compile/compile-form.js';
import { mapAnswersToSource } from '../../src/core/compile/map-answers-to-source.js';
import type { SourceConnector } from '../../src/sources/source-connector.js';
import { runCompiled, type Script } from '../compile/run-compiled.js';

/** The compiled form of fixture `name` of `system`, mapped by `source`. */
export function compileSourceFixture(source: SourceConnector, system: string, name: string): CompileResult {
  return compileForm(source.mapDefinition(JSON.parse(readFileSync(`/work/shared/fixtures/sources/${system}/${name}.json`, 'utf8'))).model);
}

/** Script answers by FormModel field id, placed on each field's screen. */
export function scriptByField(result: CompileResult, answers: Record<string, unknown>): Script {
  const out: Script = {};
  for (const [fieldId, value] of Object.entries(answers)) {
    const e = result.fieldMap.fields.find((f) => f.fieldId === fieldId);
    if (!e?.flowName || !e.screen) throw new Error(`no input for ${fieldId}`);
    (out[e.screen] ??= {})[e.flowName] = value;
  }
  return out;
}

/** Run `result` with `answers` (the rest generated) to completion; the source-keyed answers it submits. */
export async function submittedToSource(result: CompileResult, answers: Record<string, unknown>): Promise<Record<string, unknown>> {
  const run = await runCompiled(result, scriptByField(result, answers));
  expect(run.stuck).toBeUndefined();
  expect(run.status).toBe('completed');
  return mapAnswersToSource(result.fieldMap, run.response ?? {}, run.endpointAnswers);
}

/** One test per fixture: it compiles and completes in the runtime with generated answers. */
export function itCompletesEveryFixture(source: SourceConnector, system: string, names: readonly string[]): void {
  it.each(names)('%s completes with generated answers', async (name) => {
    const run = await runCompiled(compileSourceFixture(source, system, name));
    expect(run.stuck).toBeUndefined();
    expect(run.status).toBe('completed');
  });
}
