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
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Packages left to node_modules: native, or loaded only when their feature is used. */
export const EXTERNAL_PACKAGES: readonly string[] = [
  'better-sqlite3', 'pg', 'pg-native', 'pg-boss', 'nodemailer', 'qrcode', 'libphonenumber-js', '@inquirer/prompts', 'tsx', 'esbuild',
  // pino's transport code finds its worker files beside itself (__dirname), which a bundle has not.
  'pino',
];

/** Lists the files of the latest build in an output folder (see {@link pruneOlderBuilds}). */
const MANIFEST = '.build-manifest.json';

/**
 * Delete what neither this build nor the one before wrote: chunk names carry
 * a content hash, so a server still running the previous build keeps finding
 * the chunks it loads lazily, and older ones do not pile up.
 */
function pruneOlderBuilds(outdir: string, outputs: readonly string[]): void {
  const manifest = join(outdir, MANIFEST);
  const write = (): void => writeFileSync(manifest, `${JSON.stringify(outputs.map((f) => f.slice(outdir.length + 1)), null, 1)}\n`);
  // Without a manifest the previous build's files are unknown: keep everything this once.
  if (!existsSync(manifest)) { write(); return; }
  const previous = JSON.parse(readFileSync(manifest, 'utf8')) as string[];
  const keep = new Set([...outputs, ...previous.map((f) => join(outdir, f)), manifest]);
  for (const entry of readdirSync(outdir, { recursive: true, withFileTypes: true })) {
    const file = join(entry.parentPath, entry.name);
    if (entry.isFile() && !keep.has(file)) rmSync(file);
  }
  write();
}

// Bundled CommonJS packages call require() for Node's built-ins; an ES module has none of its own.
const REQUIRE_SHIM = "import { createRequire as __flowbridgeCreateRequire } from 'node:module'; const require = __flowbridgeCreateRequire(import.meta.url);";

/**
 * Bundle `src/cli/main.ts` (as `cli/main.js`) and any `extraEntries` into
 * `outdir`: emptied first with `clean`, otherwise keeping the previous
 * build's files for a server still running it. The CLI runs only when
 * started as `cli/main.js` (src/cli/main.ts), so that name is kept.
 */
export async function buildCli(outdirPath: string, extraEntries: Readonly<Record<string, string>> = {}, { clean = false } = {}): Promise<void> {
  // One absolute folder for esbuild (which resolves against ROOT) and for the pruning.
  const outdir = resolve(ROOT, outdirPath);
  if (clean) rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: { 'cli/main': 'src/cli/main.ts', ...extraEntries },
    bundle: true, splitting: true, format: 'esm', platform: 'node', target: 'node20',
    external: [...EXTERNAL_PACKAGES], banner: { js: REQUIRE_SHIM },
    outdir, sourcemap: 'linked', logLevel: 'warning', metafile: true,
  });
  pruneOlderBuilds(outdir, Object.keys(result.metafile.outputs).map((f) => resolve(ROOT, f)));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const started = performance.now();
  await buildCli(join(ROOT, 'dist'));
  console.log(`dist/ built in ${Math.round(performance.now() - started)} ms`);
}
