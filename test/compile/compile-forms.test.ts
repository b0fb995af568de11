import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseFormModelFile } from '../../src/core/form/parse-form-model-file.js';
import { compileForm, type CompileResult } from '../../src/core/compile/compile-form.js';
import { mapAnswersToSource } from '../../src/core/compile/map-answers-to-source.js';
import { validateFlow } from '../../src/core/flow/validate/validate-flow.js';
import type { FormModel } from '../../src/core/form/form-model.js';
import { branching, everyType, longLabels, longPage, manyOptions, threeFiles } from './forms.js';
import { runCompiled } from './run-compiled.js';

const example = parseFormModelFile(readFileSync('examples/forms/event-signup.yaml', 'utf8'), 'yaml', parse);
if (!example.ok) throw new Error('the documented example does not parse');
const models: Record<string, FormModel> = { everyType, manyOptions, longPage, threeFiles, longLabels, branching, example: example.model };
const versions = ['7.3', '6.3', '6.0', '5.0', '4.0'];

function errorsOf(result: CompileResult): string[] {
  return validateFlow(result.flow).findings.filter((f) => f.severity === 'error').map((f) => `${f.code} ${f.pointer} ${f.message}`);
}

function kinds(result: CompileResult, fieldId: string): string[] {
  return result.report.filter((r) => r.fieldId === fieldId).map((r) => r.kind);
}

/** Source keys of the input fields placed on the given screens. */
function keysOnScreens(result: CompileResult, screens: readonly string[]): Set<string> {
  return new Set(result.fieldMap.fields.filter((e) => e.flowName !== undefined && e.screen !== undefined && screens.includes(e.screen)).map((e) => e.sourceKey));
}

describe('compileForm on hand-written forms', () => {
  for (const [name, model] of Object.entries(models)) {
    for (const version of versions) {
      it(`${name} @ ${version}: valid, completes, maps back only the visited fields`, async () => {
        const result = compileForm(model, { targetVersion: version });
        expect(result.flow.version).toBe(version);
        expect(errorsOf(result)).toEqual([]);
        const run = await runCompiled(result);
        expect(run.stuck).toBeUndefined();
        expect(run.status).toBe('completed');
        const source = mapAnswersToSource(result.fieldMap, run.response ?? {}, run.endpointAnswers);
        const onPath = keysOnScreens(result, run.screens);
        const hidden = result.fieldMap.fields.filter((e) => e.type === 'hidden' && e.default !== undefined).map((e) => e.sourceKey);
        for (const key of Object.keys(source)) expect(onPath.has(key) || hidden.includes(key), key).toBe(true);
        for (const key of hidden) expect(source).toHaveProperty(key);
        for (const e of result.fieldMap.fields) {
          if (e.required && e.screen !== undefined && run.screens.includes(e.screen) && e.visibleWhen === undefined) expect(source, e.fieldId).toHaveProperty(e.sourceKey);
        }
      });
    }
  }
});

describe('compile report', () => {
  it('lists every approximation of the every-type form', () => {
    const r = compileForm(everyType);
    expect(kinds(r, 'src')).toContain('server-side');
    expect(kinds(r, 'age')).toContain('server-validated');
    expect(kinds(r, 'grid')).toContain('approximated');
    expect(kinds(r, 'dt')).toContain('approximated');
    expect(kinds(r, 'at')).toContain('approximated');
    expect(kinds(r, 'tags')).toContain('approximated');
    expect(kinds(r, 'cv')).toContain('approximated');
    expect(r.fieldMap.fields.find((e) => e.fieldId === 'cv')?.serverChecks).toContain('file-types');
  });

  it('reports endpoint-served choices and sends the 300 options through a search', () => {
    const r = compileForm(manyOptions);
    expect(kinds(r, 'city')).toContain('endpoint-required');
    expect(kinds(r, 'langs')).toContain('endpoint-required');
    expect(kinds(r, 'mid')).not.toContain('endpoint-required');
    expect(r.flow.data_api_version).toBeDefined();
    const city = r.fieldMap.fields.find((e) => e.fieldId === 'city');
    expect(city?.searchable?.limit).toBe(200);
    const mid = r.flow.screens.flatMap((s) => s.layout.children).find((c) => 'name' in c && c.name === 'mid');
    expect(mid?.type).toBe('Dropdown');
  });

  it('reports every truncation and keeps the full text on screen', () => {
    const r = compileForm(longLabels);
    const truncated = r.report.filter((e) => e.kind === 'truncated');
    expect(truncated.map((e) => e.fieldId)).toEqual(expect.arrayContaining(['a', 'b', 'd', 'p1']));
    const texts = JSON.stringify(r.flow);
    expect(texts).toContain(longLabels.pages[0]?.fields[0]?.label);
    for (const c of r.flow.screens[0]?.layout.children ?? []) {
      if (c.type === 'TextInput' || c.type === 'Dropdown') expect(c.label.length).toBeLessThanOrEqual(20);
      if (c.type === 'RadioButtonsGroup') {
        expect((c.label ?? '').length).toBeLessThanOrEqual(30);
        for (const o of Array.isArray(c['data-source']) ? c['data-source'] : []) expect(o.title.length).toBeLessThanOrEqual(30);
      }
      if (c.type === 'TextHeading') expect(c.text.length).toBeLessThanOrEqual(80);
      if (c.type === 'OptIn') expect(c.label.length).toBeLessThanOrEqual(120);
    }
  });

  it('splits 25 fields and 3 pickers into screens within the limits', () => {
    const long = compileForm(longPage);
    expect(long.flow.screens.length).toBeGreaterThan(3);
    expect(kinds(long, 'p1')).toContain('split');
    const files = compileForm(threeFiles);
    const pickersPerScreen = files.flow.screens.map((s) => s.layout.children.filter((c) => c.type === 'PhotoPicker' || c.type === 'DocumentPicker').length);
    expect(Math.max(...pickersPerScreen)).toBe(1);
    expect(pickersPerScreen.filter((n) => n === 1)).toHaveLength(3);
    for (const id of ['id_front', 'id_back', 'proof']) expect(kinds(files, id)).toContain('endpoint-required');
  });

  it('drops a backward jump and says so', () => {
    const r = compileForm(branching);
    expect(r.report.some((e) => e.kind === 'dropped' && e.severity === 'loss' && e.fieldId === 'beta')).toBe(true);
  });

  it('raises versions without global references to 4.0 and reports it', () => {
    const r = compileForm(everyType, { targetVersion: '3.1' });
    expect(r.flow.version).toBe('4.0');
    expect(r.report.some((e) => e.kind === 'version')).toBe(true);
  });
});
