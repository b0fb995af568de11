/**
 * `flowbridge validate <file...>`: check Flow JSON files offline against
 * Meta's rules for their version, with line/column positions like the
 * `validation_errors` the Flows API returns on upload.
 * @module
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { LocatedFinding } from '../../core/flow/finding.js';
import { validateFlowText } from '../../core/flow/validate/validate-text.js';
import { FLOW_JSON_VERSIONS, isKnownFlowJsonVersion } from '../../core/flow/version.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../exit-codes.js';

/** One file's result in `--json` output. */
export interface FileReport {
  file: string;
  valid: boolean;
  version: string | null;
  findings: Array<{
    code: string;
    severity: string;
    message: string;
    pointer: string;
    line_start: number | null;
    line_end: number | null;
    column_start: number | null;
    column_end: number | null;
  }>;
  /** Set when the file could not be read (then exit code 2). */
  error?: string;
}

interface ValidateCliOptions {
  json?: boolean;
  versionOverride?: string;
}

const help = `
Exit codes: 0 all files valid (warnings allowed), 1 at least one file has an
error (including text that is not JSON), 2 usage error or unreadable file.

Examples:
  $ flowbridge validate examples/flows/*.json
  $ flowbridge validate flow.json --json
  $ flowbridge validate old-flow.json --version-override 7.3`;

/** Register `validate` on the program. */
export function registerValidateCommand(program: Command): void {
  program
    .command('validate')
    .description('Validate Flow JSON files offline against the rules of their Flow JSON version.')
    .argument('<file...>', 'Flow JSON files to validate')
    .option('--json', 'print one JSON report per file (an array) instead of text')
    .option('--version-override <X.Y>', 'validate against this Flow JSON version instead of each file\'s "version"')
    .addHelpText('after', help)
    .action(async (files: string[], options: ValidateCliOptions) => {
      process.exitCode = await runValidate(files, options);
    });
}

async function runValidate(files: string[], options: ValidateCliOptions): Promise<number> {
  const override = options.versionOverride;
  if (override !== undefined && !isKnownFlowJsonVersion(override)) {
    process.stderr.write(`flowbridge validate: unknown Flow JSON version '${override}' (known: ${FLOW_JSON_VERSIONS.join(', ')})\n`);
    return EXIT_USAGE;
  }
  // One file at a time: a glob of thousands of files must not exhaust file handles.
  const reports: FileReport[] = [];
  for (const file of files) reports.push(await validateFile(file, override));
  if (options.json) process.stdout.write(`${JSON.stringify(reports, null, 2)}\n`);
  else for (const report of reports) process.stdout.write(formatReport(report));
  for (const report of reports) if (report.error !== undefined) process.stderr.write(`flowbridge validate: ${report.error}\n`);
  if (reports.some((r) => r.error !== undefined)) return EXIT_USAGE;
  return reports.every((r) => r.valid) ? EXIT_OK : EXIT_FAILURE;
}

async function validateFile(file: string, versionOverride: string | undefined): Promise<FileReport> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : String(error);
    return { file, valid: false, version: null, findings: [], error: `cannot read ${file} (${reason})` };
  }
  const result = validateFlowText(text, versionOverride === undefined ? {} : { versionOverride });
  return { file, valid: result.valid, version: result.version ?? null, findings: result.findings.map(flatten) };
}

function flatten(f: LocatedFinding): FileReport['findings'][number] {
  return {
    code: f.code,
    severity: f.severity,
    message: f.message,
    pointer: f.pointer,
    line_start: f.span?.line_start ?? null,
    line_end: f.span?.line_end ?? null,
    column_start: f.span?.column_start ?? null,
    column_end: f.span?.column_end ?? null,
  };
}

/** `path:line:col severity CODE message (pointer)` per finding, then `path: valid` when it is. */
function formatReport(report: FileReport): string {
  if (report.error !== undefined) return '';
  const lines = report.findings.map((f) => {
    const where = f.line_start === null ? report.file : `${report.file}:${f.line_start}:${f.column_start}`;
    return `${where} ${f.severity} ${f.code} ${f.message} (${f.pointer === '' ? 'root' : f.pointer})`;
  });
  if (report.valid) {
    const warnings = report.findings.length;
    lines.push(`${report.file}: valid${warnings > 0 ? ` (${warnings} warning${warnings === 1 ? '' : 's'})` : ''}`);
  }
  return lines.map((l) => `${l}\n`).join('');
}
