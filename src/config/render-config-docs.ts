/**
 * Renders `docs/configuration.md` and `.env.example` from the config schema,
 * so the documentation cannot drift from what the loader accepts (a test
 * compares the committed files with this output; `npm run docs:config`
 * rewrites them).
 * @module
 */
import { configFields, type ConfigField } from './config-schema.js';
import { CONFIG_FILE_ENV } from './load-config.js';

/** The two generated files, as text. */
export interface ConfigDocs {
  readonly markdown: string;
  readonly envExample: string;
}

const GENERATED = 'Generated from src/config/config-schema.ts by `npm run docs:config`; do not edit by hand.';

/** Render both files from the schema. */
export function renderConfigDocs(): ConfigDocs {
  return { markdown: renderMarkdown(), envExample: renderEnvExample() };
}

/** The built-in default as text, when it is a plain value (secrets and computed defaults have none). */
function plainDefault(field: ConfigField): string | undefined {
  if (field.meta.defaultNote !== undefined) return undefined;
  const parsed = field.schema.safeParse(undefined);
  if (!parsed.success) return undefined;
  const value: unknown = parsed.data;
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

function defaultText(field: ConfigField): string | undefined {
  const plain = plainDefault(field);
  return plain === undefined ? field.meta.defaultNote : `\`${plain}\``;
}

function renderMarkdown(): string {
  const lines = [
    '# Configuration',
    '',
    `<!-- ${GENERATED} -->`,
    '',
    'Flowbridge reads its settings from four layers; a later layer wins:',
    '',
    '1. built-in defaults (below);',
    `2. an optional JSON file named by \`${CONFIG_FILE_ENV}\`, keyed by the "Config file key" column, e.g. \`{"port": 8080}\`;`,
    '3. `FLOWBRIDGE_*` environment variables (Node can load a `.env` file with `node --env-file=.env`; start from `.env.example`);',
    '4. command-line options.',
    '',
    'An empty environment variable counts as unset. Secrets can also be read from a file: set',
    '`<NAME>_FILE` to its path (e.g. a Docker or Kubernetes secret); the content is trimmed, and setting',
    'both `<NAME>` and `<NAME>_FILE` is an error. Secrets are never printed: logs and error messages',
    'show `[redacted]`.',
    '',
    'Invalid settings stop the start with one message that lists every problem and how to fix it.',
    'Unknown `FLOWBRIDGE_*` variables only produce a warning with the nearest known name.',
    '',
    '| Variable | Config file key | Default | Secret (`_FILE`) |',
    '|---|---|---|---|',
    ...configFields.map(
      (f) => `| \`${f.meta.env}\` | \`${f.key}\` | ${defaultText(f) ?? '(none)'} | ${f.meta.secret === true ? 'yes' : 'no'} |`,
    ),
    '',
    '## Settings',
    '',
  ];
  for (const field of configFields) {
    lines.push(`### \`${field.meta.env}\``, '', field.meta.description, '');
    lines.push(`- Expected: ${field.meta.expected}.`);
    lines.push(`- Default: ${defaultText(field) ?? 'none (the setting is off until set)'}.`);
    if (field.meta.secret === true) lines.push(`- Secret: yes; may also be given as a file path in \`${field.meta.env}_FILE\`.`);
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

function renderEnvExample(): string {
  const lines = [`# ${GENERATED}`, '# Copy to .env and load it with `node --env-file=.env`; see docs/configuration.md.', '', `# ${CONFIG_FILE_ENV}=./flowbridge.json`, ''];
  for (const field of configFields) {
    lines.push(...wrapComment(field.meta.description));
    // A setting with a default stays commented out; a computed default shows its example.
    const fallback = plainDefault(field) ?? (field.meta.defaultNote === undefined ? undefined : field.meta.example);
    if (fallback !== undefined) {
      lines.push(`# ${field.meta.env}=${fallback}`);
    } else {
      if (field.meta.example !== undefined) lines.push(`# Example: ${field.meta.example}`);
      lines.push(`${field.meta.env}=`);
    }
    if (field.meta.secret === true) lines.push(`# ${field.meta.env}_FILE=/run/secrets/${field.key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`);
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

function wrapComment(text: string, width = 100): string[] {
  const out: string[] = [];
  let line = '#';
  for (const word of text.split(/\s+/)) {
    if (line.length + word.length + 1 > width && line !== '#') {
      out.push(line);
      line = '#';
    }
    line += ` ${word}`;
  }
  out.push(line);
  return out;
}
