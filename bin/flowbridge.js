#!/usr/bin/env node
// Entry point of the `flowbridge` CLI. Uses the build in dist/ when present
// (`npm run build`: bundled, starts in about half the time), otherwise runs
// the TypeScript sources through tsx (no build step needed).
// FLOWBRIDGE_FROM_SOURCES=1 always runs the sources: the test suite sets it,
// so a dist/ built earlier can never stand in for the code under test.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = `${root}dist/cli/main.js`;
if (existsSync(built) && process.env.FLOWBRIDGE_FROM_SOURCES !== '1') {
  await import(pathToFileURL(built).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(`${root}src/cli/main.ts`).href);
}
