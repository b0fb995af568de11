/**
 * `npm run docs:config`: rewrites `docs/configuration.md` and `.env.example`
 * from the schema. Run after changing `config-schema.ts`; a test fails until
 * the committed files match.
 * @module
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderConfigDocs } from './render-config-docs.js';

/** Paths of the generated files, relative to the repository root. */
export const configDocPaths = {
  markdown: fileURLToPath(new URL('../../docs/configuration.md', import.meta.url)),
  envExample: fileURLToPath(new URL('../../.env.example', import.meta.url)),
} as const;

/** Write both files; returns the paths written. */
export function writeConfigDocs(): string[] {
  const docs = renderConfigDocs();
  writeFileSync(configDocPaths.markdown, docs.markdown);
  writeFileSync(configDocPaths.envExample, docs.envExample);
  return [configDocPaths.markdown, configDocPaths.envExample];
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const path of writeConfigDocs()) console.log(`wrote ${path}`);
}
