/** Builds the browser bundle of the runtime with esbuild (platform: browser). */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

/** The bundle's JavaScript text: an IIFE that sets `globalThis.flowbridge`. */
export async function buildBrowserBundle(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./browser-entry.ts', import.meta.url))],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error('esbuild produced no output');
  return file.text;
}
