/**
 * Builds the typed configuration from its layers, with precedence
 * defaults < JSON file named by `FLOWBRIDGE_CONFIG` < `FLOWBRIDGE_*`
 * environment (and `<NAME>_FILE` for secrets) < command-line overrides.
 *
 * It fails fast, once, with every problem listed (which variable, what is
 * wrong, how to fix it) instead of stopping at the first; secret values are
 * never echoed.
 * @module
 */
import { AppError } from '../core/errors.js';
import { configFields, configSchema, type Config, type ConfigField, type ConfigKey } from './config-schema.js';
import { closestName } from './closest-name.js';

/** Where to read configuration from; all I/O is injected so tests need no real files or env. */
export interface LoadConfigOptions {
  /** The environment, usually `process.env`. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Values from command-line flags, keyed by config key; `undefined` means "not given". */
  readonly argvOverrides?: Partial<Record<ConfigKey, unknown>>;
  /** Reads a whole text file (the config file and `*_FILE` secrets); may throw. */
  readonly readFile: (path: string) => string;
  /** Receives non-fatal remarks, e.g. an unknown `FLOWBRIDGE_*` variable (likely a typo). */
  readonly onWarning?: (message: string) => void;
}

/** The environment variable naming the optional JSON config file. */
export const CONFIG_FILE_ENV = 'FLOWBRIDGE_CONFIG';

/** Read by `bin/flowbridge.js` (run the sources even when dist/ is built), not a setting: known, never warned about. */
export const FROM_SOURCES_ENV = 'FLOWBRIDGE_FROM_SOURCES';

type Source = { readonly kind: 'file'; readonly path: string } | { readonly kind: 'env'; readonly name: string } | { readonly kind: 'override' };

interface Layered {
  readonly value: unknown;
  readonly source: Source;
}

/**
 * Load and validate the configuration.
 * @throws AppError `USAGE_INVALID` listing every problem found.
 */
export function loadConfig(options: LoadConfigOptions): Config {
  const problems: string[] = [];
  const values = new Map<ConfigKey, Layered>();
  const byKey = new Map<string, ConfigField>(configFields.map((f) => [f.key, f]));

  readConfigFile(options, byKey, values, problems);
  readEnvironment(options, values, problems);
  for (const [key, value] of Object.entries(options.argvOverrides ?? {})) {
    if (value === undefined) continue;
    if (!byKey.has(key)) problems.push(`option "${key}": not a configuration setting.`);
    else values.set(key as ConfigKey, { value, source: { kind: 'override' } });
  }

  const input = Object.fromEntries([...values].map(([key, layered]) => [key, layered.value]));
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? '');
      const field = byKey.get(key);
      const layered = values.get(key as ConfigKey);
      if (field === undefined || layered === undefined) {
        problems.push(`${key || 'configuration'}: ${issue.message}.`);
        continue;
      }
      const problem = describeProblem(field, layered, issue.message);
      // One line per distinct problem: ",," in a list yields the same issue per entry.
      if (!problems.includes(problem)) problems.push(problem);
    }
  }
  if (problems.length > 0 || !parsed.success) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    throw new AppError('USAGE_INVALID', `Invalid configuration (${count}):\n${problems.map((p) => `  - ${p}`).join('\n')}`, {
      details: { problems },
    });
  }
  return parsed.data;
}

function readConfigFile(options: LoadConfigOptions, byKey: Map<string, ConfigField>, values: Map<ConfigKey, Layered>, problems: string[]): void {
  const path = nonEmpty(options.env[CONFIG_FILE_ENV]);
  if (path === undefined) return;
  let text: string;
  try {
    text = options.readFile(path);
  } catch (error) {
    problems.push(`${CONFIG_FILE_ENV}: cannot read config file ${path} (${errorText(error)}). Fix: point ${CONFIG_FILE_ENV} at a readable JSON file or unset it.`);
    return;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    problems.push(`${CONFIG_FILE_ENV}: config file ${path} is not valid JSON (${errorText(error)}). Fix: correct the JSON syntax.`);
    return;
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    problems.push(`${CONFIG_FILE_ENV}: config file ${path} must hold a JSON object such as {"port": 8080}. Fix: wrap the settings in { }.`);
    return;
  }
  for (const [key, value] of Object.entries(data)) {
    if (byKey.has(key)) {
      values.set(key as ConfigKey, { value, source: { kind: 'file', path } });
      continue;
    }
    const suggestion = closestName(key, [...byKey.keys()]);
    problems.push(
      `config file ${path}: unknown key "${key}". Fix: ${suggestion === undefined ? 'remove it' : `rename it to "${suggestion}" or remove it`} (keys: ${[...byKey.keys()].join(', ')}).`,
    );
  }
}

function readEnvironment(options: LoadConfigOptions, values: Map<ConfigKey, Layered>, problems: string[]): void {
  const known = new Set<string>([CONFIG_FILE_ENV, FROM_SOURCES_ENV]);
  for (const field of configFields) {
    const name = field.meta.env;
    known.add(name);
    const direct = nonEmpty(options.env[name]);
    if (field.meta.secret !== true) {
      if (direct !== undefined) values.set(field.key, { value: direct, source: { kind: 'env', name } });
      continue;
    }
    const fileName = `${name}_FILE`;
    known.add(fileName);
    const filePath = nonEmpty(options.env[fileName]);
    if (direct !== undefined && filePath !== undefined) {
      problems.push(`${name} and ${fileName} are both set. Fix: keep only one of them (${fileName} for a secret mounted as a file).`);
      continue;
    }
    if (direct !== undefined) {
      values.set(field.key, { value: direct, source: { kind: 'env', name } });
    } else if (filePath !== undefined) {
      try {
        values.set(field.key, { value: options.readFile(filePath).trim(), source: { kind: 'env', name: fileName } });
      } catch (error) {
        problems.push(`${fileName}: cannot read ${filePath} (${errorText(error)}). Fix: point ${fileName} at a readable file holding ${field.meta.expected}.`);
      }
    }
  }
  for (const name of Object.keys(options.env)) {
    if (!name.startsWith('FLOWBRIDGE_') || known.has(name) || name.startsWith('FLOWBRIDGE_TEST_')) continue;
    const suggestion = closestName(name, [...known]);
    options.onWarning?.(`${name} is not a Flowbridge setting and is ignored${suggestion === undefined ? '' : ` (did you mean ${suggestion}?)`}.`);
  }
}

function describeProblem(field: ConfigField, layered: Layered, message: string): string {
  const { env, expected, secret } = field.meta;
  const got = secret === true ? '' : ` (got ${preview(layered.value)})`;
  switch (layered.source.kind) {
    case 'env':
      return `${layered.source.name}: ${message}${got}. Fix: set ${env} to ${expected}.`;
    case 'file':
      return `config file ${layered.source.path}, key "${field.key}" (${env}): ${message}${got}. Fix: set "${field.key}" to ${expected}, or remove it to use the default.`;
    case 'override':
      return `command-line option for ${field.key} (${env}): ${message}${got}. Fix: pass ${expected}.`;
  }
}

function preview(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? typeof value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function errorText(error: unknown): string {
  if (error instanceof Error) return 'code' in error && typeof error.code === 'string' ? error.code : error.message;
  return String(error);
}
