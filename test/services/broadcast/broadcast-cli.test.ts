import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerBroadcastCommand, type BroadcastCliContext } from '../../../src/cli/commands/broadcast.js';
import { templateStatusFrom } from '../../../src/services/broadcast/broadcast-service.js';
import { graphTemplateSender, startBroadcastEmulator, type BroadcastEmulator } from './broadcast-kit.js';
import { broadcastStack, surveyFlow, type BroadcastStack } from './broadcast-setup.js';

describe('flowbridge broadcast', () => {
  let stack: BroadcastStack;
  let emu: BroadcastEmulator;
  let dir: string;
  beforeAll(async () => {
    stack = await broadcastStack('sqlite', surveyFlow('1234'));
    emu = await startBroadcastEmulator(stack.clock, { mps: 100 });
    dir = mkdtempSync(join(tmpdir(), 'fb-broadcast-cli-'));
  }, 60_000);
  afterAll(async () => {
    await emu.close();
    await stack.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => { stdout += String(chunk); return true; });
    const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => { stderr += String(chunk); return true; });
    const closed = vi.fn(() => Promise.resolve());
    const context: BroadcastCliContext = { service: stack.service, runner: stack.runner(graphTemplateSender(emu.graph)), close: closed };
    const program = new Command('flowbridge').exitOverride();
    registerBroadcastCommand(program, () => Promise.resolve(context));
    process.exitCode = undefined;
    try {
      await program.parseAsync(args, { from: 'user' });
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
    const code = Number(process.exitCode ?? 0);
    process.exitCode = undefined;
    expect(closed).toHaveBeenCalledTimes(1);
    return { code, stdout, stderr };
  }

  const list = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  it('creates a broadcast, prints refused rows with line numbers, sends it in the foreground and shows the status', async () => {
    const file = list('contacts.csv', 'phone;name\n0612345678;Ann\n0612345678;Ann twice\n12;Bob\n0623456789;Cem\n');
    const created = await cli('broadcast', 'create', '--flow', 'survey', '--list', file, '--region', 'NL', '--opted-in', '--rate', '50');
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/created broadcast (\S+): 2 recipients, 2 rows refused/);
    expect(created.stdout).toMatch(/line 3: \+31612345678 is a duplicate of line 2/);
    expect(created.stdout).toMatch(/line 4: "12" is not a valid number/);
    const id = /created broadcast (\S+):/.exec(created.stdout)![1]!;

    const started = await cli('broadcast', 'start', id);
    expect(started.code).toBe(0);
    expect(started.stdout).toMatch(/: done/);
    expect(started.stdout).toMatch(/total 2 {2}queued 0 {2}sent 2/);
    expect(emu.countsByWaId()).toEqual(new Map([['31612345678', 1], ['31623456789', 1]]));

    const status = await cli('broadcast', 'status', id, '--json');
    expect(JSON.parse(status.stdout)).toMatchObject({ broadcast: { id, state: 'done' }, counters: { sent: 2, failed: 0 } });
  });

  it('refuses a list without a usable row (exit 1, reasons on stderr) and a missing file (exit 2)', async () => {
    const none = await cli('broadcast', 'create', '--flow', 'survey', '--list', list('bad.csv', 'phone,opt_in\n+31612345678,no\n'));
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no usable row/);
    expect(none.stderr).toMatch(/line 2: no opt-in/);
    const missing = await cli('broadcast', 'create', '--flow', 'survey', '--list', join(dir, 'absent.csv'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/ENOENT|no such file/);
    const noOptIn = await cli('broadcast', 'create', '--flow', 'survey', '--list', list('noopt.csv', 'phone\n+31612345678\n'));
    expect(noOptIn.code).toBe(1);
    expect(noOptIn.stderr).toMatch(/no opt_in column/);
  });

  it('reads a template\'s approval status at Meta for the start check', async () => {
    const status = templateStatusFrom(emu.graph);
    expect(await status('spring_survey', 'en_US')).toMatchObject({ status: 'APPROVED', parameterFormat: 'POSITIONAL' });
    expect(await status('spring_survey', 'nl')).toBeUndefined();
    expect(await status('no_such_template', 'en_US')).toBeUndefined();
    emu.emulator.setTemplateStatus(emu.templateId, 'PAUSED');
    expect(await status('spring_survey', 'en_US')).toMatchObject({ status: 'PAUSED' });
    emu.emulator.setTemplateStatus(emu.templateId, 'APPROVED');
  });

  it('pauses and cancels from the command line; a cancelled broadcast cannot be resumed', async () => {
    stack.clock.advance(1000); // the newest, for `list` below
    const created = await cli('broadcast', 'create', '--flow', 'survey', '--list', list('c2.csv', 'phone,opt_in\n+31645678901,yes\n'), '--json');
    const { id } = JSON.parse(created.stdout) as { id: string };
    expect((await cli('broadcast', 'start', id, '--detach')).stdout).toMatch(/running/);
    expect((await cli('broadcast', 'pause', id)).stdout).toMatch(/paused/);
    expect((await cli('broadcast', 'cancel', id)).stdout).toMatch(/cancelled/);
    const resumed = await cli('broadcast', 'resume', id);
    expect(resumed.code).toBe(1);
    expect(resumed.stderr).toMatch(/cancelled; it cannot be resumed/);
    expect((await cli('broadcast', 'status', 'nope')).code).toBe(2);
    const listed = await cli('broadcast', 'list');
    expect(listed.stdout.split('\n')[0]).toMatch(new RegExp(`^${id} {2}cancelled`));
  });
});
