#!/usr/bin/env node
// Entry point of the `flowbridge` CLI. Uses the build in dist/ when present
// (`npm run build`: bundled, starts in about half the time), otherwise runs
// the TypeScript sources through tsx (no build step needed).
// A dist/ older than a file of src/ is not used (a notice says so), and
// FLOWBRIDGE_FROM_SOURCES=1 always runs the sources (the test suite sets it):
// an earlier build never stands in for the code beside it.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = `${root}dist/cli/main.js`;

/** True when some file under src/ changed after the build (about 8 ms for the whole tree). */
function sourcesChangedSince(file) {
  const builtAt = statSync(file).mtimeMs;
  const sources = `${root}src`;
  if (!existsSync(sources)) return false;
  for (const entry of readdirSync(sources, { recursive: true, withFileTypes: true })) {
    // A file gone since the listing (an editor's temporary file) counts as unchanged.
    if (entry.isFile() && (statSync(join(entry.parentPath ?? entry.path, entry.name), { throwIfNoEntry: false })?.mtimeMs ?? 0) > builtAt) return true;
  }
  return false;
}

let useBuild = existsSync(built) && process.env.FLOWBRIDGE_FROM_SOURCES !== '1';
if (useBuild && sourcesChangedSince(built)) {
  process.stderr.write('flowbridge: src/ changed after dist/ was built; running the sources (npm run build refreshes dist/)\n');
  useBuild = false;
}
if (useBuild) {
  await import(pathToFileURL(built).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(`${root}src/cli/main.ts`).href);
}
