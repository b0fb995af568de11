/**
 * `npm run build`: the CLI as a few ES modules in `dist/`, with the pure-JS
 * dependencies bundled in. Loading Kysely, Fastify, zod and undici from
 * node_modules is hundreds of files (Kysely alone took 154 ms to import on
 * the bench machine, 20 ms bundled); the bundle takes `serve` from process
 * start to its first answered ping in about 0.55 s instead of about 1 s
 * (bench:endpoint prints the figure). `bin/flowbridge.js` runs `dist/` when
 * it exists, so `npm start` builds first.
 *
 * Kept external: the native driver (better-sqlite3), and packages loaded only
 * when a feature is used (PostgreSQL, pg-boss, SMTP, QR codes, phone
 * numbers, prompts, tsx), so they still load lazily from node_modules.
 * Dynamic imports stay separate chunks; every chunk sits at the top of the
 * output folder, where `new URL('../examples/…', import.meta.url)` (the
 * sandbox's demo project) finds the repository's `examples/`.
 * @module
 */
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Packages left to node_modules: native, or loaded only when their feature is used. */
export const EXTERNAL_PACKAGES: readonly string[] = [
  'better-sqlite3', 'pg', 'pg-native', 'pg-boss', 'nodemailer', 'qrcode', 'libphonenumber-js', '@inquirer/prompts', 'tsx', 'esbuild',
];

// Bundled CommonJS packages call require() for Node's built-ins; an ES module has none of its own.
const REQUIRE_SHIM = "import { createRequire as __flowbridgeCreateRequire } from 'node:module'; const require = __flowbridgeCreateRequire(import.meta.url);";

/**
 * Bundle `src/cli/main.ts` (as `cli/main.js`) and any `extraEntries` into
 * `outdir`, which is emptied first. The CLI runs only when started as
 * `cli/main.js` (src/cli/main.ts), so that name is kept.
 */
export async function buildCli(outdir: string, extraEntries: Readonly<Record<string, string>> = {}): Promise<void> {
  rmSync(outdir, { recursive: true, force: true });
  await build({
    absWorkingDir: ROOT,
    entryPoints: { 'cli/main': 'src/cli/main.ts', ...extraEntries },
    bundle: true, splitting: true, format: 'esm', platform: 'node', target: 'node20',
    external: [...EXTERNAL_PACKAGES], banner: { js: REQUIRE_SHIM },
    outdir, sourcemap: 'linked', logLevel: 'warning',
  });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const started = performance.now();
  await buildCli(join(ROOT, 'dist'));
  console.log(`dist/ built in ${Math.round(performance.now() - started)} ms`);
}
