/**
 * `flowbridge import <system|file>`: read a form from its system (live with
 * `--form`, or a saved read-API response with `--file`), map it to a
 * FormModel, compile it to Flow JSON, validate the result and write the flow,
 * the report (unmapped items, compile report, field map, validator findings)
 * and optionally the model.
 * @module
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { parseYamlText } from '../../services/yaml-text.js';
import { z } from 'zod';
import { compileForm, parseOverrides, type CompileOverrides } from '../../core/compile/index.js';
import { isAppError } from '../../core/errors.js';
import { validateFlow } from '../../core/flow/validate/validate-flow.js';
import { parseFormModelFile, type FormModel } from '../../core/form/index.js';
import { createHttpClient } from '../../sources/http-client.js';
import { sourceConnectors, findSource } from '../../sources/registry.js';
import type { SourceConnector, UnmappedItem } from '../../sources/source-connector.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../exit-codes.js';

interface ImportCliOptions {
  form?: string;
  file?: string[];
  overrides?: string;
  targetVersion?: string;
  out: string;
  report?: string;
  model?: string;
  fieldMap?: string;
  baseUrl?: string;
}

/** A failure with its exit code and message. */
class ImportError extends Error {
  constructor(readonly exitCode: number, message: string) {
    super(message);
  }
}

/** `FLOWBRIDGE_<SYSTEM>_` for a connector id (`google-forms` → `FLOWBRIDGE_GOOGLE_FORMS_`). */
export function envPrefix(systemId: string): string {
  return `FLOWBRIDGE_${systemId.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_`;
}

const snake = (key: string): string => key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
const camel = (name: string): string => name.toLowerCase().replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

/** The environment variables a connector's credentials come from. */
export function credentialEnvNames(connector: SourceConnector<unknown>): string[] {
  const schema = connector.credentialsSchema;
  const keys = schema instanceof z.ZodObject ? Object.keys(schema.shape) : ['token'];
  return keys.map((k) => `${envPrefix(connector.id)}${snake(k)}`);
}

/** Credentials from `FLOWBRIDGE_<SYSTEM>_<NAME>` variables (`NAME` in snake case → camelCase key). */
export function credentialsFromEnv(connector: SourceConnector<unknown>, env: NodeJS.ProcessEnv): Record<string, string> {
  const prefix = envPrefix(connector.id);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith(prefix) && value !== undefined && name !== `${prefix}BASE_URL`) out[camel(name.slice(prefix.length))] = value;
  }
  return out;
}

function envHelp(): string {
  return sourceConnectors.map((c) => `  ${c.id.padEnd(13)} ${credentialEnvNames(c).join(', ')}`).join('\n');
}

const help = (): string => `
Credentials come from the environment (never from flags):
${envHelp()}
  hubspot       FLOWBRIDGE_HUBSPOT_PORTAL_ID (optional) is stored as source.meta.portalId for the sink.
The base URL defaults to the system's API; --base-url (or FLOWBRIDGE_<SYSTEM>_BASE_URL) points at a proxy or fake.

--file takes the body the read API returns (Jotform: give --file twice, the
questions response then the properties response). For 'file', --file is a
FormModel in YAML or JSON.

Exit codes: 0 imported (approximations listed in the report), 1 the form
cannot be represented as a flow (reason on stderr), 2 usage, I/O or auth error
(with the system's own error message).

Examples:
  $ FLOWBRIDGE_HUBSPOT_TOKEN=pat-... flowbridge import hubspot --form 1a2b... --out flow.json --report report.json
  $ flowbridge import typeform --file form.json --out flow.json --model model.json
  $ flowbridge import jotform --file questions.json --file properties.json --out flow.json
  $ flowbridge import file --file form.yaml --overrides overrides.yaml --target-version 6.3 --out flow.json`;

/** Register `import` on the program. */
export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description('Import a form from a form tool (or a FormModel file) and compile it into a WhatsApp Flow.')
    .argument('<system>', `source system: ${[...sourceConnectors.map((c) => c.id), 'file'].join(', ')}`)
    .option('--form <id>', 'form id to read live from the system')
    .option('--file <path>', 'saved read-API response (repeat for Jotform), or a FormModel file for "file"', (v: string, prev: string[] = []) => [...prev, v])
    .option('--overrides <path>', 'customisation file (YAML or JSON)')
    .option('--target-version <X.Y>', 'Flow JSON version to emit (default 7.3)')
    .requiredOption('--out <path>', 'where to write the Flow JSON')
    .option('--report <path>', 'where to write the import report (unmapped items, compile report, field map, findings)')
    .option('--model <path>', 'where to write the FormModel')
    .option('--field-map <path>', 'where to write the field map alone')
    .option('--base-url <url>', "the system's API base URL (default: its real API)")
    .addHelpText('after', help)
    .action(async (system: string, options: ImportCliOptions) => {
      try {
        process.exitCode = await runImport(system, options);
      } catch (error) {
        if (!(error instanceof ImportError)) throw error;
        process.stderr.write(`flowbridge import: ${error.message}\n`);
        process.exitCode = error.exitCode;
      }
    });
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : String(error);
    throw new ImportError(EXIT_USAGE, `cannot read ${path} (${reason})`);
  }
}

async function readJson(path: string): Promise<unknown> {
  const text = await readText(path);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ImportError(EXIT_USAGE, `${path} is not JSON: ${(error as Error).message}`);
  }
}

async function write(path: string, value: unknown): Promise<void> {
  try {
    await writeFile(path, `${JSON.stringify(value, null, 2)}\n`);
  } catch (error) {
    throw new ImportError(EXIT_USAGE, `cannot write ${path} (${error instanceof Error && 'code' in error ? String(error.code) : String(error)})`);
  }
}

/** The definition: read live or from the saved files. */
async function loadDefinition(connector: SourceConnector<unknown>, options: ImportCliOptions): Promise<unknown> {
  const files = options.file ?? [];
  if (files.length > 0) {
    const bodies = await Promise.all(files.map(readJson));
    if (bodies.length === 1) return bodies[0];
    if (connector.id === 'jotform' && bodies.length === 2) return { questions: bodies[0], properties: bodies[1] };
    throw new ImportError(EXIT_USAGE, `${connector.id} takes one --file${connector.id === 'jotform' ? ' or two (questions, properties)' : ''}, got ${bodies.length}`);
  }
  const credentials = connector.credentialsSchema.safeParse(credentialsFromEnv(connector, process.env));
  if (!credentials.success) throw new ImportError(EXIT_USAGE, `${connector.displayName} credentials missing: set ${credentialEnvNames(connector).join(', ')}`);
  const baseUrl = options.baseUrl ?? process.env[`${envPrefix(connector.id)}BASE_URL`] ?? connector.defaultBaseUrl;
  const http = createHttpClient({ baseUrl, headers: connector.authHeaders(credentials.data), errorMessage: (s, b) => connector.errorMessage(s, b) });
  try {
    return await connector.fetchDefinition({ http }, options.form ?? '');
  } catch (error) {
    if (isAppError(error)) throw new ImportError(EXIT_USAGE, `${connector.displayName}: ${error.message}`);
    throw error;
  }
}

/** Map a definition with its connector (exit 1 when the model cannot hold it, 2 when it is not such a definition). */
function mapWith(connector: SourceConnector<unknown>, definition: unknown): { model: FormModel; unmapped: readonly UnmappedItem[] } {
  try {
    return connector.mapDefinition(definition);
  } catch (error) {
    if (!isAppError(error)) throw error;
    const unrepresentable = error.details?.unrepresentable === true || /cannot be represented/i.test(error.message);
    throw new ImportError(unrepresentable ? EXIT_FAILURE : EXIT_USAGE, error.message);
  }
}

async function loadOverrides(path: string | undefined): Promise<CompileOverrides | undefined> {
  if (path === undefined) return undefined;
  let value: unknown;
  try {
    value = parseYamlText(await readText(path));
  } catch (error) {
    if (error instanceof ImportError) throw error;
    throw new ImportError(EXIT_USAGE, `${path} is not YAML/JSON: ${(error as Error).message}`);
  }
  const parsed = parseOverrides(value ?? {});
  if (!parsed.ok) throw new ImportError(EXIT_USAGE, `invalid overrides in ${path}:\n${parsed.errors.map((e) => `  ${e.path || '(root)'}: ${e.message}`).join('\n')}`);
  return parsed.overrides;
}

async function runImport(system: string, options: ImportCliOptions): Promise<number> {
  const files = options.file ?? [];
  if ((options.form === undefined) === (files.length === 0)) throw new ImportError(EXIT_USAGE, 'give either --form <id> or --file <path>');
  let model: FormModel;
  let unmapped: readonly UnmappedItem[] = [];
  if (system === 'file') {
    if (options.form !== undefined || files.length !== 1) throw new ImportError(EXIT_USAGE, "'file' reads one FormModel: --file <form.yaml|form.json>");
    const path = files[0] ?? '';
    const parsed = parseFormModelFile(await readText(path), /\.json$/i.test(path) ? 'json' : 'yaml', parseYamlText);
    if (!parsed.ok) throw new ImportError(EXIT_USAGE, `${path} is not a valid FormModel:\n${parsed.errors.map((e) => `  ${e.path || '(root)'}: ${e.message}`).join('\n')}`);
    model = parsed.model;
  } else {
    const connector = findSource(system);
    if (!connector) throw new ImportError(EXIT_USAGE, `unknown system '${system}' (known: ${[...sourceConnectors.map((c) => c.id), 'file'].join(', ')})`);
    ({ model, unmapped } = mapWith(connector, await loadDefinition(connector, options)));
    const portalId = system === 'hubspot' ? process.env.FLOWBRIDGE_HUBSPOT_PORTAL_ID : undefined;
    if (portalId) model = { ...model, source: { ...model.source, meta: { ...model.source.meta, portalId } } };
  }
  const overrides = await loadOverrides(options.overrides);
  const asked = model.pages.flatMap((p) => p.fields).filter((f) => f.type !== 'statement' && f.type !== 'hidden');
  if (asked.length === 0) throw new ImportError(EXIT_FAILURE, `form '${model.title}' has no question a WhatsApp Flow can ask${unmapped.length > 0 ? ` (not mapped: ${unmapped.map((u) => `${u.pointer}: ${u.reason}`).join('; ')})` : ''}`);
  let compiled: ReturnType<typeof compileForm>;
  try {
    compiled = compileForm(model, { ...(options.targetVersion ? { targetVersion: options.targetVersion } : {}), ...(overrides ? { overrides } : {}) });
  } catch (error) {
    if (isAppError(error)) throw new ImportError(EXIT_FAILURE, `form '${model.title}' cannot be compiled: ${error.message}`);
    throw error;
  }
  const validation = validateFlow(compiled.flow);
  const errors = validation.findings.filter((f) => f.severity === 'error');
  const report = {
    source: model.source,
    form: { id: model.id, title: model.title },
    unmapped,
    compile: compiled.report,
    validation: validation.findings,
    fieldMap: compiled.fieldMap,
  };
  await write(options.out, compiled.flow);
  if (options.report) await write(options.report, report);
  if (options.model) await write(options.model, model);
  if (options.fieldMap) await write(options.fieldMap, compiled.fieldMap);
  if (errors.length > 0) {
    process.stderr.write(`flowbridge import: the compiled flow breaks ${errors.length} rule(s):\n${errors.map((e) => `  ${e.code} ${e.message} (${e.pointer || 'root'})`).join('\n')}\n`);
    return EXIT_FAILURE;
  }
  const warnings = unmapped.length + compiled.report.filter((r) => r.severity !== 'info').length;
  process.stdout.write(`${options.out}: '${model.title}' (${model.source.system}) → ${compiled.flow.screens.length} screens, ${asked.length} questions; ${warnings} approximation(s)${options.report ? ` listed in ${options.report}` : ''}\n`);
  return EXIT_OK;
}
