import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerLinkCommand } from '../../src/cli/commands/link.js';

let dir: string;
let project: string;
let out: string;
let err: string;

/** Run `flowbridge link …` in-process; resolves to the exit code. */
async function link(...args: string[]): Promise<number> {
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((err += String(chunk)), true));
  process.exitCode = undefined;
  const program = new Command('flowbridge').exitOverride();
  registerLinkCommand(program);
  try {
    await program.parseAsync(['link', ...args], { from: 'user' });
  } catch {
    return 2;
  } finally {
    vi.restoreAllMocks();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return code;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'flowbridge-link-'));
  project = join(dir, 'flowbridge.yaml');
  writeFileSync(project, [
    'flows:',
    '  - id: newsletter',
    '    form: ./forms/newsletter.yaml',
    '    keyword: "Join News"',
    '    sinks: [{ name: hub, type: hubspot-forms, settings: { token: "${HUBSPOT_TOKEN}" } }]',
    '  - id: survey',
    '    flow: ./survey.json',
    '',
  ].join('\n'));
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('flowbridge link', () => {
  it('prints the exact wa.me link and writes PNG and SVG QR codes', async () => {
    const png = join(dir, 'out.png');
    const svg = join(dir, 'out.svg');
    expect(await link('newsletter', '--phone', '+1 555 000 1111', '--project', project, '--png', png, '--svg', svg, '--width', '300')).toBe(0);
    expect(out).toBe('https://wa.me/15550001111?text=Join%20News\n');
    expect(err).toContain(`QR code (PNG) written to ${png}`);
    expect(readFileSync(png).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(readFileSync(svg, 'utf8')).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="300" height="300" viewBox=.*<\/svg>\n$/s);
  });

  it('reads the project file from FLOWBRIDGE_PROJECT_FILE', async () => {
    vi.stubEnv('FLOWBRIDGE_PROJECT_FILE', project);
    try {
      expect(await link('newsletter', '--phone', '15550001111')).toBe(0);
      expect(out).toBe('https://wa.me/15550001111?text=Join%20News\n');
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('exits 1 with the fix when the flow has no keyword or is not in the project', async () => {
    expect(await link('survey', '--phone', '15550001111', '--project', project)).toBe(1);
    expect(err).toMatch(/Flow "survey" has no keyword.*Fix: add "keyword: <WORD>"/);
    expect(out).toBe('');
    expect(await link('nope', '--phone', '15550001111', '--project', project)).toBe(1);
    expect(err).toContain('flow "nope" is not in');
  });

  it('exits 2 for a bad number, a missing project file, a bad width or a missing --phone', async () => {
    expect(await link('newsletter', '--phone', '12', '--project', project)).toBe(2);
    expect(err).toMatch(/Business phone number: .*international form/);
    expect(await link('newsletter', '--phone', '15550001111', '--project', join(dir, 'missing.yaml'))).toBe(2);
    expect(err).toMatch(/cannot read the project file .*missing\.yaml.*Fix: pass --project/);
    expect(await link('newsletter', '--phone', '15550001111', '--project', project, '--png', join(dir, 'w.png'), '--width', 'big')).toBe(2);
    expect(err).toContain('--width "big" is not a number of pixels. Fix: give a whole number');
    expect(await link('newsletter', '--phone', '15550001111', '--project', project, '--svg', join(dir, 'w.svg'), '--width', '20')).toBe(2);
    expect(err).toContain('QR width 20 is out of range');
    expect(out).toBe('');
    expect(await link('newsletter', '--project', project)).toBe(2);
  });
});
