/**
 * bin/flowbridge.js chooses between the build in dist/ and the sources: a
 * copy of it in a scratch project, with a stub for each, shows which one runs.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'fb-launcher-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(env: Record<string, string> = {}): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [join(dir, 'bin', 'flowbridge.js')], { env: { PATH: process.env.PATH ?? '', ...env } }, (error, stdout, stderr) => {
      if (error !== null) reject(new Error(`launcher failed: ${error.message}`));
      else resolve({ stdout, stderr });
    });
  });
}

describe('bin/flowbridge.js', () => {
  it('runs dist/ when built after every source file, the sources otherwise or when asked', async () => {
    for (const sub of ['bin', 'dist/cli', 'src/cli']) mkdirSync(join(dir, sub), { recursive: true });
    copyFileSync(join(ROOT, 'bin', 'flowbridge.js'), join(dir, 'bin', 'flowbridge.js'));
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    writeFileSync(join(dir, 'src', 'cli', 'main.ts'), "const from: string = 'sources';\nconsole.log(from);\n");
    writeFileSync(join(dir, 'dist', 'cli', 'main.js'), "console.log('build');\n");
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(dir, 'src', 'cli', 'main.ts'), past, past);

    expect(await run()).toEqual({ stdout: 'build\n', stderr: '' });
    expect((await run({ FLOWBRIDGE_FROM_SOURCES: '1' })).stdout).toBe('sources\n');

    // A source file edited after the build: the build is not used, and the notice says why.
    writeFileSync(join(dir, 'src', 'cli', 'other.ts'), 'export {};\n');
    const stale = await run();
    expect(stale.stdout).toBe('sources\n');
    expect(stale.stderr).toMatch(/src\/ changed after dist\/ was built; running the sources \(npm run build refreshes dist\/\)/);
  });
});
