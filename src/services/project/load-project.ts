/**
 * Loads the project file into a {@link FlowCatalogue}: reads each flow's
 * form (FormModel file, saved source definition or hand-written Flow JSON),
 * compiles and validates it, and resolves its sinks against the sink
 * registry with their settings validated. Every problem of the whole file is
 * collected and reported at once (`flows[1].sinks[0].settings.portalId: …`),
 * so a bad project never starts half-configured.
 * @module
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import { parseYamlText } from '../yaml-text.js';
import { compileForm, parseOverrides, type CompileOverrides } from '../../core/compile/index.js';
import { AppError } from '../../core/errors.js';
import { emitFlowJson } from '../../core/flow/model/emit-flow-json.js';
import type { FlowJson } from '../../core/flow/model/flow.js';
import { validateFlow } from '../../core/flow/validate/validate-flow.js';
import { formatIssuePath, parseFormModelFile, type FormModel } from '../../core/form/index.js';
import { findSink, sinkConnectors } from '../../sinks/registry.js';
import { findSource, sourceConnectors } from '../../sources/registry.js';
import { createFlowCatalogue, type CatalogueFlow, type ConfiguredSink, type FlowCatalogue } from '../flow-catalogue.js';
import { interpolateEnv } from './interpolate-env.js';
import { projectSchema, type ProjectFlowEntry } from './project-schema.js';

/** Options of {@link loadProject}. */
export interface LoadProjectOptions {
  /** Source of `${VAR}` values; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** A loaded project: the catalogue and non-fatal notes (compile approximations, unmapped source items). */
export interface LoadedProject {
  readonly catalogue: FlowCatalogue;
  readonly warnings: readonly string[];
}

type Problems = string[];

function parseText(text: string, path: string): unknown {
  return extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYamlText(text);
}

async function readText(base: string, file: string, where: string, problems: Problems): Promise<{ path: string; text: string } | undefined> {
  const path = resolve(base, file);
  try {
    return { path, text: await readFile(path, 'utf8') };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    problems.push(`${where}: cannot read ${path} (${code === 'ENOENT' ? 'no such file' : code ?? 'read error'}).`);
    return undefined;
  }
}

async function readStructured(base: string, file: string, where: string, problems: Problems): Promise<unknown> {
  const read = await readText(base, file, where, problems);
  if (read === undefined) return undefined;
  try {
    return parseText(read.text, read.path);
  } catch (err) {
    problems.push(`${where}: ${read.path} is not valid ${extname(read.path) === '.json' ? 'JSON' : 'YAML'}: ${(err as Error).message}`);
    return undefined;
  }
}

/** The FormModel of a `form:` or `import:` entry, with notes about what the source could not carry. */
async function loadForm(entry: ProjectFlowEntry, base: string, where: string, problems: Problems, warnings: string[]): Promise<FormModel | undefined> {
  if (entry.form !== undefined) {
    const read = await readText(base, entry.form, `${where}.form`, problems);
    if (read === undefined) return undefined;
    const parsed = parseFormModelFile(read.text, extname(read.path).toLowerCase() === '.json' ? 'json' : 'yaml', parseYamlText);
    if (!parsed.ok) {
      for (const e of parsed.errors) problems.push(`${where}.form (${read.path}) ${e.path}: ${e.message}`);
      return undefined;
    }
    return parsed.model;
  }
  if (entry.import === undefined) return undefined;
  const connector = findSource(entry.import.system);
  if (connector === undefined) {
    problems.push(`${where}.import.system: unknown system "${entry.import.system}"; one of ${sourceConnectors.map((c) => c.id).join(', ')}.`);
    return undefined;
  }
  const files = Array.isArray(entry.import.file) ? entry.import.file : [entry.import.file];
  const bodies: unknown[] = [];
  for (const file of files) bodies.push(await readStructured(base, file, `${where}.import.file`, problems));
  if (bodies.some((b) => b === undefined)) return undefined;
  const definition = connector.id === 'jotform' && bodies.length === 2 ? { questions: bodies[0], properties: bodies[1] } : bodies[0];
  try {
    const mapped = connector.mapDefinition(definition);
    for (const u of mapped.unmapped) warnings.push(`${where}: not carried over from ${connector.displayName} at ${u.pointer}: ${u.reason}`);
    return mapped.model;
  } catch (err) {
    problems.push(`${where}.import: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}

async function loadOverrides(entry: ProjectFlowEntry, base: string, where: string, problems: Problems): Promise<CompileOverrides | undefined> {
  if (entry.overrides === undefined) return undefined;
  const value = await readStructured(base, entry.overrides, `${where}.overrides`, problems);
  if (value === undefined) return undefined;
  const parsed = parseOverrides(value);
  if (!parsed.ok) {
    for (const e of parsed.errors) problems.push(`${where}.overrides ${e.path}: ${e.message}`);
    return undefined;
  }
  return parsed.overrides;
}

function resolveSinks(entry: ProjectFlowEntry, form: FormModel | undefined, where: string, problems: Problems): ConfiguredSink[] {
  const sinks: ConfiguredSink[] = [];
  entry.sinks.forEach((sink, i) => {
    const at = `${where}.sinks[${i}]`;
    const connector = findSink(sink.type);
    if (connector === undefined) {
      problems.push(`${at}.type: unknown sink "${sink.type}"; one of ${sinkConnectors.map((c) => c.id).join(', ')}.`);
      return;
    }
    const parsed = connector.settingsSchema.safeParse(sink.settings);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`${at}.settings${formatIssuePath(issue.path) === '' ? '' : `.${formatIssuePath(issue.path)}`}: ${issue.message}`);
      return;
    }
    const refusals = form === undefined ? [] : connector.checkForm?.(form, parsed.data) ?? [];
    for (const r of refusals) problems.push(`${at}: ${connector.displayName} cannot take this form: ${r}`);
    if (refusals.length === 0) sinks.push({ name: sink.name, connector, settings: parsed.data });
  });
  return sinks;
}

async function loadFlow(entry: ProjectFlowEntry, base: string, where: string, problems: Problems, warnings: string[]): Promise<CatalogueFlow | undefined> {
  const before = problems.length;
  const form = await loadForm(entry, base, where, problems, warnings);
  const overrides = await loadOverrides(entry, base, where, problems);
  let flowJson: FlowJson | undefined;
  let fieldMap: CatalogueFlow['fieldMap'];
  if (form !== undefined) {
    const compiled = compileForm(form, { ...(entry.targetVersion === undefined ? {} : { targetVersion: entry.targetVersion }), ...(overrides === undefined ? {} : { overrides }) });
    flowJson = compiled.flow;
    fieldMap = compiled.fieldMap;
    for (const r of compiled.report) if (r.severity !== 'info') warnings.push(`${where}: ${r.message}`);
  } else if (entry.flow !== undefined) {
    flowJson = (await readStructured(base, entry.flow, `${where}.flow`, problems)) as FlowJson | undefined;
  }
  const sinks = resolveSinks(entry, form, where, problems);
  if (flowJson === undefined || problems.length > before) return undefined;
  const result = validateFlow(flowJson);
  const errors = result.findings.filter((f) => f.severity === 'error');
  for (const f of errors) problems.push(`${where}: the flow is not valid Flow JSON at ${f.pointer || '/'}: ${f.code} ${f.message}`);
  if (errors.length > 0) return undefined;
  const text = emitFlowJson(flowJson);
  const title = form?.title ?? entry.name ?? entry.id;
  return {
    id: entry.id,
    name: entry.name ?? title,
    categories: entry.categories ?? ['OTHER'],
    ...(form === undefined ? {} : { form }),
    ...(fieldMap === undefined ? {} : { fieldMap }),
    flowJson,
    version: createHash('sha256').update(text).digest('hex').slice(0, 16),
    firstScreen: flowJson.screens[0]?.id ?? '',
    usesEndpoint: flowJson.data_api_version !== undefined,
    ...(entry.metaFlowId === undefined ? {} : { metaFlowId: entry.metaFlowId }),
    entry: { ...(entry.keyword === undefined ? {} : { keyword: entry.keyword }), adIds: entry.ads },
    message: {
      body: entry.message?.body ?? title,
      cta: entry.message?.cta ?? 'Open form',
      ...(entry.message?.header === undefined ? {} : { header: entry.message.header }),
      ...(entry.message?.footer === undefined ? {} : { footer: entry.message.footer }),
      ...(entry.message?.template === undefined ? {} : { templateName: entry.message.template }),
      ...(entry.message?.templateLanguage === undefined ? {} : { templateLanguage: entry.message.templateLanguage }),
    },
    sinks,
  };
}

/** Load and check a parsed project (already read); `baseDir` resolves relative paths. */
export async function loadProjectValue(value: unknown, baseDir: string, options: LoadProjectOptions = {}): Promise<LoadedProject> {
  const problems: Problems = [];
  const interpolated = interpolateEnv(value, options.env ?? process.env, problems);
  const parsed = projectSchema.safeParse(interpolated);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${formatIssuePath(issue.path) || '(top level)'}: ${issue.message}`);
    throw projectError(problems);
  }
  const warnings: string[] = [];
  const flows: CatalogueFlow[] = [];
  for (const [i, entry] of parsed.data.flows.entries()) {
    const flow = await loadFlow(entry, baseDir, `flows[${i}] (${entry.id})`, problems, warnings);
    if (flow !== undefined) flows.push(flow);
  }
  let catalogue: FlowCatalogue | undefined;
  try {
    catalogue = createFlowCatalogue(flows);
  } catch (err) {
    problems.push((err as Error).message);
  }
  if (problems.length > 0 || catalogue === undefined) throw projectError(problems);
  return { catalogue, warnings };
}

/** Read and load a project file. */
export async function loadProject(path: string, options: LoadProjectOptions = {}): Promise<LoadedProject> {
  const problems: Problems = [];
  const value = await readStructured(process.cwd(), path, 'project file', problems);
  if (value === undefined) throw projectError(problems);
  return loadProjectValue(value ?? {}, dirname(resolve(path)), options);
}

function projectError(problems: readonly string[]): AppError {
  return new AppError('CONFIG_INVALID', `The project file has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
}
