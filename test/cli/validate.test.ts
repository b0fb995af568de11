import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { staticFlow } from '../../src/core/flow/validate/cases/base.js';

const root = new URL('../../', import.meta.url).pathname;
const fixtures = '/work/shared/fixtures/meta';

/** Run the real CLI in a child process. */
function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('node', ['bin/flowbridge.js', ...args], { cwd: root }, (error, stdout, stderr) => {
      const code = error ? Number((error as { code?: unknown }).code ?? 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

let dir: string;
let notJson: string;
let badFlow: string;
let goodFlow: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'flowbridge-validate-'));
  notJson = join(dir, 'not-json.json');
  writeFileSync(notJson, '{\n  "version": "7.3",\n  "screens": [\n    {,}\n  ]\n}\n');
  badFlow = join(dir, 'bad-flow.json');
  writeFileSync(badFlow, JSON.stringify({ ...staticFlow(), colour: 'blue' }, null, 2));
  goodFlow = join(dir, 'good-flow.json');
  writeFileSync(goodFlow, JSON.stringify(staticFlow(), null, 2));
});

describe('flowbridge validate (child process)', () => {
  it('exits 0 for valid files, printing "valid" and marking frozen-version warnings', async () => {
    const { code, stdout } = await cli('validate', goodFlow, join(fixtures, 'v4.0_if.json'));
    expect(code).toBe(0);
    expect(stdout).toContain(`${goodFlow}: valid\n`);
    expect(stdout).toMatch(/v4\.0_if\.json:2:\d+ warning FB_FROZEN_FLOW_JSON_VERSION .* \(\/version\)\n/);
    expect(stdout).toMatch(/v4\.0_if\.json: valid \(1 warning\)\n/);
  });

  it('exits 1 with line:column findings for a non-JSON file and an invalid flow', async () => {
    const { code, stdout, stderr } = await cli('validate', notJson, badFlow);
    expect(code).toBe(1);
    expect(stdout).toContain(`${notJson}:4:6 error INVALID_FLOW_JSON Flow JSON is not valid. Unexpected token ',' at line 4, column 6`);
    const line = JSON.stringify({ ...staticFlow(), colour: 'blue' }, null, 2).split('\n').findIndex((l) => l.includes('"colour"')) + 1;
    expect(stdout).toContain(`${badFlow}:${line}:3 error INVALID_PROPERTY_KEY`);
    expect(stdout).toContain('(/colour)');
    expect(stdout).not.toContain(`${badFlow}: valid`);
    expect(stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('prints one JSON report per file with --json', async () => {
    const { code, stdout } = await cli('validate', '--json', goodFlow, badFlow);
    expect(code).toBe(1);
    const reports = JSON.parse(stdout) as Array<{ file: string; valid: boolean; version: string; findings: Array<Record<string, unknown>> }>;
    expect(reports.map((r) => [r.file, r.valid, r.version])).toEqual([
      [goodFlow, true, '7.3'],
      [badFlow, false, '7.3'],
    ]);
    const finding = reports[1]!.findings.find((f) => f.pointer === '/colour');
    expect(finding).toMatchObject({ code: 'INVALID_PROPERTY_KEY', severity: 'error', column_start: 3, column_end: 3 + '"colour"'.length });
    expect(Object.keys(finding!).sort()).toEqual(['code', 'column_end', 'column_start', 'line_end', 'line_start', 'message', 'pointer', 'severity']);
  });

  it('exits 2 when a file cannot be read, and still reports the others', async () => {
    const missing = join(dir, 'missing.json');
    const { code, stdout, stderr } = await cli('validate', goodFlow, missing);
    expect(code).toBe(2);
    expect(stdout).toContain(`${goodFlow}: valid`);
    expect(stderr).toContain(`cannot read ${missing} (ENOENT)`);
  });
});

describe('flowbridge validate (in process)', () => {
  const output: string[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    output.length = 0;
    process.exitCode = undefined;
  });
  const capture = (): void => {
    const grab = (chunk: unknown): boolean => (output.push(String(chunk)), true);
    vi.spyOn(process.stdout, 'write').mockImplementation(grab);
    vi.spyOn(process.stderr, 'write').mockImplementation(grab);
  };

  it('shows help with an example', async () => {
    capture();
    expect(await runCli(['validate', '--help'])).toBe(0);
    expect(output.join('')).toContain('$ flowbridge validate examples/flows/*.json');
  });

  it('exits 2 for a missing argument or an unknown --version-override', async () => {
    capture();
    expect(await runCli(['validate'])).toBe(2);
    expect(await runCli(['validate', goodFlow, '--version-override', '9.9'])).toBe(2);
    expect(output.join('')).toContain("unknown Flow JSON version '9.9'");
  });

  it('validates against --version-override', async () => {
    capture();
    expect(await runCli(['validate', goodFlow, '--json', '--version-override', '5.0'])).toBe(0);
    const [report] = JSON.parse(output.join('')) as Array<{ version: string; findings: Array<{ code: string }> }>;
    expect(report!.version).toBe('5.0');
    expect(report!.findings.map((f) => f.code)).toContain('FB_FROZEN_FLOW_JSON_VERSION');
  });
});
