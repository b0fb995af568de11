/**
 * Compile benchmark (`npm run bench:compile`): what importing a form costs
 * (connector mapping + FormModel → Flow JSON compilation + validating the
 * compiled flow), per form, next to the time to JSON.parse the same source
 * definition in the same run. Inputs: the largest fixture of each source
 * system and a generated 500-field form file. Timings are printed, never
 * asserted (a shared machine makes them noisy); the exit code is 1 only when
 * a compiled flow does not validate cleanly.
 * @module
 */
import { readFileSync } from 'node:fs';
import { compileForm } from '../src/core/compile/compile-form.js';
import { validateFlow } from '../src/core/flow/validate/validate-flow.js';
import type { FormModel, FormModelInput } from '../src/core/form/form-model.js';
import { parseFormModelFile } from '../src/core/form/parse-form-model-file.js';
import { findSource } from '../src/sources/registry.js';

const FIXTURES = '/work/shared/fixtures/sources';

/** The largest definition of each system, as its read API returns it. */
const LARGEST: readonly [system: string, file: string][] = [
  ['hubspot', 'form-large-enterprise.json'],
  ['google-forms', 'form-large-survey.json'],
  ['typeform', 'form-large-survey.json'],
  ['surveymonkey', 'survey-large-details.json'],
  ['jotform', 'form-large-intake-questions.json'],
  ['tally', 'form-large-survey.json'],
  ['formbricks', 'survey-large.json'],
];

interface Input {
  name: string;
  text: string;
  /** Text → FormModel, as `flowbridge import` does it. */
  toModel: (text: string) => FormModel;
}

/** A FormModel file of `count` fields: every 25 fields a page, mixed types and rules, a condition and a jump per page. */
function generatedForm(count: number): string {
  const types = ['short_text', 'email', 'phone', 'number', 'single_choice', 'multiple_choice', 'dropdown', 'date', 'long_text', 'yes_no', 'rating', 'consent'] as const;
  const options = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `o${i}`, value: `V${i}`, label: `Option ${i}` }));
  const pages: FormModelInput['pages'] = [];
  for (let p = 0; p * 25 < count; p++) {
    const fields: FormModelInput['pages'][number]['fields'] = [];
    for (let i = p * 25; i < Math.min(count, (p + 1) * 25); i++) {
      const type = types[i % types.length] ?? 'short_text';
      const id = `f${i}`;
      const base = { id, key: `field_${i}`, label: `Question ${i}: ${type.replace('_', ' ')}`, required: i % 3 === 0 };
      if (type === 'single_choice' || type === 'multiple_choice' || type === 'dropdown') fields.push({ ...base, type, options: options(type === 'dropdown' ? 60 + (i % 250) : 6) });
      else if (type === 'rating') fields.push({ ...base, type, scale: { min: 1, max: 5 } });
      else if (type === 'number') fields.push({ ...base, type, validation: { min: 0, max: 1000, integer: true } });
      else if (type === 'short_text') fields.push({ ...base, type, validation: { maxLength: 80, pattern: '^[^<>]*$' } });
      else if (type === 'date') fields.push({ ...base, type, validation: { minDate: '2026-01-01', maxDate: '2030-12-31' } });
      else fields.push({ ...base, type });
      if (i % 25 === 6) fields.push({ id: `${id}_more`, key: `field_${i}_more`, type: 'short_text', label: 'Tell us more', visibleWhen: { op: 'equals', field: `f${i - 2}`, value: 'o1' } });
    }
    const choice = fields.find((f) => f.type === 'single_choice');
    pages.push({ id: `page${p}`, title: `Part ${p + 1}`, fields, ...(choice && (p + 2) * 25 < count ? { jumps: [{ when: { op: 'equals', field: choice.id, value: 'o0' }, to: `page${p + 2}` }] } : {}) });
  }
  return JSON.stringify({ id: 'generated-500', title: 'Generated form', source: { system: 'file' }, pages }, null, 2);
}

function inputs(): Input[] {
  const out: Input[] = LARGEST.map(([system, file]) => {
    const connector = findSource(system);
    if (!connector) throw new Error(`no connector ${system}`);
    return { name: `${system}/${file}`, text: readFileSync(`${FIXTURES}/${system}/${file}`, 'utf8'), toModel: (t) => connector.mapDefinition(JSON.parse(t)).model };
  });
  out.push({
    name: 'generated 500-field form (file)', text: generatedForm(500),
    toModel: (t) => {
      const r = parseFormModelFile(t, 'json');
      if (!r.ok) throw new Error(`generated form is not a valid FormModel: ${JSON.stringify(r.errors.slice(0, 3))}`);
      return r.model;
    },
  });
  return out;
}

/** Median ms of each run after warm-up; runs interleaved in rotating order so a busy machine slows them alike. */
function medians(runs: Array<() => unknown>, iterations: number, warmup = Math.max(5, iterations >> 2)): number[] {
  const times = runs.map((): number[] => []);
  for (let round = 0; round < warmup + iterations; round++) {
    for (let k = 0; k < runs.length; k++) {
      const index = (round + k) % runs.length;
      const start = performance.now();
      runs[index]?.();
      if (round >= warmup) times[index]?.push(performance.now() - start);
    }
  }
  return times.map((t) => t.sort((a, b) => a - b)[t.length >> 1] ?? Number.NaN);
}

let failed = false;
const rows: string[][] = [];
for (const input of inputs()) {
  const model = input.toModel(input.text);
  const compiled = compileForm(model);
  const errors = validateFlow(compiled.flow).findings.filter((f) => f.severity === 'error');
  if (errors.length > 0) {
    failed = true;
    console.error(`${input.name}: compiled flow has ${errors.length} validation errors, first: ${JSON.stringify(errors.slice(0, 3))}`);
  }
  const fields = model.pages.reduce((n, p) => n + p.fields.length, 0);
  const [parse = 0, map = 0, compile = 0, all = 0] = medians([
    () => JSON.parse(input.text),
    () => input.toModel(input.text),
    () => compileForm(model),
    () => validateFlow(compileForm(input.toModel(input.text)).flow),
  ], fields >= 300 ? 40 : 100);
  rows.push([input.name, `${(input.text.length / 1000).toFixed(0)} kB`, String(fields), `${compiled.flow.screens.length}`, `${parse.toFixed(3)} ms`,
    `${map.toFixed(3)} ms`, `${compile.toFixed(3)} ms`, `${all.toFixed(3)} ms`, `${(all / parse).toFixed(0)}×`]);
}

const header = ['source definition', 'size', 'fields', 'screens', 'JSON.parse', 'parse+map', 'compile', 'import total (map+compile+validate)', 'total / JSON.parse'];
const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
console.log(`Node ${process.version}; medians after warm-up, ms per form\n`);
for (const line of [header, ...rows]) console.log(line.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  '));
if (failed) process.exitCode = 1;
