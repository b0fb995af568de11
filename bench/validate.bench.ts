/**
 * Validation benchmark (`npm run bench:validate`): how much validating Flow
 * JSON text costs compared with merely JSON.parse-ing it. Goal: validateFlowText
 * ≤ 10× JSON.parse on the largest legal flow (100 screens × 50 components).
 * Exits non-zero only when a generated flow does not validate cleanly: timings
 * are printed, never asserted (a shared machine makes them noisy).
 * @module
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseJsonWithSource } from '../src/core/flow/source/parse-json-with-source.js';
import { validateFlow } from '../src/core/flow/validate/validate-flow.js';
import { validateFlowText } from '../src/core/flow/validate/validate-text.js';
import { generateFlow } from './generate-flow.js';

const GOAL_RATIO = 10;
const FIXTURES = '/work/shared/fixtures/meta';

/**
 * Median milliseconds of each of `runs` over `iterations`, after `warmup`
 * rounds. The runs are interleaved (one of each per round, in rotating
 * order), so a busy machine slows them alike and their ratios stay fair.
 */
function medians(runs: Array<() => unknown>, iterations: number, warmup = Math.max(3, iterations >> 2)): number[] {
  const times = runs.map((): number[] => []);
  for (let round = 0; round < warmup + iterations; round++) {
    for (let k = 0; k < runs.length; k++) {
      const index = (round + k) % runs.length;
      const start = performance.now();
      runs[index]?.();
      if (round >= warmup) times[index]?.push(performance.now() - start);
    }
  }
  return times.map((t) => {
    t.sort((a, b) => a - b);
    return t[t.length >> 1] ?? Number.NaN;
  });
}

interface Row {
  name: string;
  bytes: number;
  parse: number;
  positions: number;
  flow: number;
  text: number;
}

/**
 * Time JSON.parse, the positional parser, JSON.parse + validateFlow, and
 * validateFlowText over the same texts. validateFlow always gets a freshly
 * parsed document: rules may cache per document object, and a real caller
 * validates each document once.
 */
function measure(name: string, texts: string[], iterations: number): Row {
  const [parse = 0, positions = 0, flow = 0, text = 0] = medians(
    [
      () => texts.forEach((t) => void JSON.parse(t)),
      () => texts.forEach((t) => void parseJsonWithSource(t)),
      () => texts.forEach((t) => validateFlow(JSON.parse(t))),
      () => texts.forEach((t) => validateFlowText(t)),
    ],
    iterations,
  );
  return { name, bytes: texts.reduce((n, t) => n + Buffer.byteLength(t), 0), parse, positions, flow, text };
}

const mb = (bytes: number): number => bytes / 1_000_000;

function print(rows: Row[]): void {
  const header = ['input', 'size', 'JSON.parse', 'parseJsonWithSource', 'parse+validateFlow', 'validateFlowText', 'MB/s', 'ms/MB', 'ratio'];
  const lines = rows.map((r) => [
    r.name,
    `${(r.bytes / 1000).toFixed(0)} kB`,
    `${r.parse.toFixed(3)} ms`,
    `${r.positions.toFixed(3)} ms (${(r.positions / r.parse).toFixed(1)}×)`,
    `${r.flow.toFixed(3)} ms (rules alone ≈ ${Math.max(0, r.flow - r.parse).toFixed(3)} ms)`,
    `${r.text.toFixed(3)} ms`,
    (mb(r.bytes) / (r.text / 1000)).toFixed(1),
    (r.text / mb(r.bytes)).toFixed(2),
    `${(r.text / r.parse).toFixed(1)}×`,
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...lines.map((l) => (l[c] ?? '').length)));
  for (const line of [header, ...lines]) console.log(line.map((cell, c) => (cell ?? '').padEnd(widths[c] ?? 0)).join('  '));
}

let failed = false;
const sizes = [10, 25, 50, 100];
const generated = sizes.map((screens) => ({ screens, text: JSON.stringify(generateFlow(screens), null, 2) }));
for (const { screens, text } of generated) {
  const errors = validateFlowText(text).findings.filter((f) => f.severity === 'error');
  if (errors.length > 0) {
    failed = true;
    console.error(`generated flow with ${screens} screens is invalid (${errors.length} errors), first: ${JSON.stringify(errors.slice(0, 5), null, 1)}`);
  }
}

const fixtures = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.json'))
  .map((f) => readFileSync(join(FIXTURES, f), 'utf8'));

console.log(`Node ${process.version}; medians; ratio = validateFlowText / JSON.parse (goal ≤ ${GOAL_RATIO}×)\n`);
const rows = generated.map(({ screens, text }) => measure(`${screens} screens × 50 components`, [text], screens >= 50 ? 30 : 60));
rows.push(measure(`Meta fixtures (${fixtures.length} files)`, fixtures, 200));
print(rows);

const largest = rows[sizes.length - 1];
const corpus = rows[sizes.length];
if (largest) {
  const ratio = largest.text / largest.parse;
  console.log(`\nlargest flow: ${largest.text.toFixed(2)} ms per flow, ${ratio.toFixed(1)}× JSON.parse — ${ratio <= GOAL_RATIO ? 'within' : 'OVER'} the ${GOAL_RATIO}× goal`);
  const perMb = rows.slice(0, sizes.length).map((r) => r.text / mb(r.bytes));
  console.log(`ms/MB across sizes ${sizes.join('/')}: ${perMb.map((v) => v.toFixed(2)).join(' / ')} (flat = linear growth)`);
}
if (largest && corpus) {
  // One line to quote: measured, never asserted (the exit code only reflects invalid generated flows).
  const ratio = (r: Row): string => `${(r.text / r.parse).toFixed(1)}×`;
  console.log(`SUMMARY validateFlowText / JSON.parse: ${largest.name} ${ratio(largest)} (goal ≤ ${GOAL_RATIO}×) | ${corpus.name} ${ratio(corpus)}`);
}
if (failed) process.exitCode = 1;
