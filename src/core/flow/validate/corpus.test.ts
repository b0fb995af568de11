/**
 * Runs the validation corpus: every `cases/*.cases.ts` file's `cases`, each a
 * flow that breaks exactly one rule, against the validator.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FLOW_JSON_VERSIONS, FROZEN_FLOW_JSON_VERSIONS, isAtLeast, parseVersion } from '../version.js';
import { endpointFlow, staticFlow } from './cases/base.js';
import type { ValidationCase } from './cases/case.js';
import { validateFlow } from './validate-flow.js';
import { validateFlowText } from './validate-text.js';

/** The corpus must cover at least this many broken rules. */
const MIN_CASES = 150;

const casesDir = fileURLToPath(new URL('./cases/', import.meta.url));
const caseFiles = readdirSync(casesDir).filter((f) => f.endsWith('.cases.ts')).sort();
const loaded: Array<{ file: string; cases: ValidationCase[] }> = [];
for (const file of caseFiles) {
  const mod = (await import(pathToFileURL(join(casesDir, file)).href)) as { cases?: unknown };
  loaded.push({ file, cases: Array.isArray(mod.cases) ? (mod.cases as ValidationCase[]) : [] });
}
const all = loaded.flatMap(({ file, cases }) => cases.map((c) => ({ file, c })));

describe('validation corpus', () => {
  it('every case file exports a non-empty `cases` array', () => {
    for (const { file, cases } of loaded) expect(cases.length, file).toBeGreaterThan(0);
  });

  it('case ids are unique', () => {
    const seen = new Map<string, string>();
    const clashes: string[] = [];
    for (const { file, c } of all) {
      const other = seen.get(c.id);
      if (other) clashes.push(`${c.id} (${other}, ${file})`);
      seen.set(c.id, file);
    }
    expect(clashes).toEqual([]);
  });

  it(`has at least ${MIN_CASES} cases`, () => {
    expect(all.length).toBeGreaterThanOrEqual(MIN_CASES);
  });

  if (all.length > 0) {
    it.each(all.map(({ file, c }) => [`${file} ${c.id}`, c] as const))('%s', (_name, c) => {
      const { findings } = validateFlow(c.flow, c.versionOverride === undefined ? {} : { versionOverride: c.versionOverride });
      const errors = findings.filter((f) => f.severity === 'error');
      const summary = JSON.stringify(findings, null, 1);
      if ((c.expect.severity ?? 'error') === 'error') {
        expect(errors.length, summary).toBeGreaterThan(0);
        expect(errors.filter((f) => f.code !== c.expect.code), summary).toEqual([]);
        const hit = errors.filter((f) => f.pointer === c.expect.pointer);
        expect(hit.length, `no ${c.expect.code} at ${c.expect.pointer}: ${summary}`).toBeGreaterThan(0);
        if (c.expect.message !== undefined) {
          expect(hit.some((f) => f.message.includes(c.expect.message!)), `message "${c.expect.message}": ${summary}`).toBe(true);
        }
      } else {
        expect(errors, summary).toEqual([]);
        const hit = findings.filter((f) => f.severity === 'warning' && f.code === c.expect.code && f.pointer === c.expect.pointer);
        expect(hit.length, summary).toBeGreaterThan(0);
        if (c.expect.message !== undefined) expect(hit.some((f) => f.message.includes(c.expect.message!)), summary).toBe(true);
      }
      // The text entry point agrees, and places every finding.
      const text = validateFlowText(JSON.stringify(c.flow, null, 2), c.versionOverride === undefined ? {} : { versionOverride: c.versionOverride });
      expect(text.findings.map(({ span: _span, ...f }) => f)).toEqual(findings);
      for (const f of text.findings) expect(f.span, f.pointer).toBeDefined();
    });
  }
});

describe('corpus base flows', () => {
  /** Versions 4.0–7.3; both bases use Form-optional-era features (label required on lists, success ≥ 3.1). */
  const versions = FLOW_JSON_VERSIONS.filter((v) => isAtLeast(parseVersion(v)!, '4.0'));

  it.each(versions.flatMap((v) => [['staticFlow', v] as const, ['endpointFlow', v] as const]))('%s(%s) validates clean (a frozen version: only its warning)', (name, v) => {
    const flow = name === 'staticFlow' ? staticFlow(v) : endpointFlow(v);
    const { findings } = validateFlow(flow);
    const expected = FROZEN_FLOW_JSON_VERSIONS.includes(v) ? [{ code: 'FB_FROZEN_FLOW_JSON_VERSION', pointer: '/version' }] : [];
    expect(findings.map((f) => ({ code: f.code, pointer: f.pointer })), JSON.stringify(findings)).toEqual(expected);
  });
});
