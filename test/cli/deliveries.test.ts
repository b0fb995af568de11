import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerDeliveriesCommand } from '../../src/cli/commands/deliveries.js';
import { createDatabase } from '../../src/store/create-database.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { createDeliveryRepo, type DeliveryJob } from '../../src/store/repos/delivery-repo.js';
import { driveTo, seedSubmission } from '../deliveries/seed-deliveries.js';

let dir: string;
const saved = { url: process.env['FLOWBRIDGE_DATABASE_URL'], data: process.env['FLOWBRIDGE_DATA_DIR'] };
let crmFailed: DeliveryJob;
let crmDelivered: DeliveryJob;

/** Run `flowbridge deliveries …` in-process; the command is registered on a fresh program as src/cli/main.ts does. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const outSpy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => { stdout += String(chunk); return true; });
  const errSpy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => { stderr += String(chunk); return true; });
  process.exitCode = undefined;
  const program = new Command('flowbridge').exitOverride().configureOutput({ writeOut: (s) => void (stdout += s), writeErr: (s) => void (stderr += s) });
  registerDeliveriesCommand(program);
  let code: number;
  try {
    await program.parseAsync(['deliveries', ...args], { from: 'user' });
    code = Number(process.exitCode ?? 0);
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    code = error.exitCode === 0 ? 0 : 2;
  } finally {
    outSpy.mockRestore();
    errSpy.mockRestore();
    process.exitCode = undefined;
  }
  return { code, stdout, stderr };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fb-deliveries-'));
  const url = `sqlite:${join(dir, 'fb.db')}`;
  process.env['FLOWBRIDGE_DATABASE_URL'] = url;
  process.env['FLOWBRIDGE_DATA_DIR'] = dir;
  const store = createDatabase(url);
  await migrateToLatest(store);
  let clock = new Date('2026-06-01T01:00:00.000Z');
  const repo = createDeliveryRepo(store.db, { now: () => clock });
  const s1 = await seedSubmission(store.db, repo, 'sub-1', clock, ['crm', 'sheet']);
  await driveTo(repo, s1.crm!, 'failed', clock, { reason: 'INVALID_OPTION: "Maybe" is not an option of interest', field: 'interest' });
  await driveTo(repo, s1.sheet!, 'delivered', clock);
  clock = new Date('2026-06-01T02:00:00.000Z');
  const s2 = await seedSubmission(store.db, repo, 'sub-2', clock, ['crm']);
  await driveTo(repo, s2.crm!, 'delivered', clock);
  crmFailed = s1.crm!;
  crmDelivered = s2.crm!;
  await store.close();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  for (const [key, value] of [['FLOWBRIDGE_DATABASE_URL', saved.url], ['FLOWBRIDGE_DATA_DIR', saved.data]] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});
afterEach(() => vi.restoreAllMocks());

describe('flowbridge deliveries', () => {
  it('list --json filters by state and sink; text shows the field and the sink\'s message', async () => {
    const failed = await cli('list', '--state', 'failed', '--json');
    expect(failed.code).toBe(0);
    const rows = JSON.parse(failed.stdout);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: crmFailed.id, sink: 'crm', state: 'failed', field: 'interest', lastError: 'INVALID_OPTION: "Maybe" is not an option of interest' });
    const crm = JSON.parse((await cli('list', '--sink', 'crm', '--json')).stdout);
    expect(crm.map((j: { submissionId: string }) => j.submissionId)).toEqual(['sub-2', 'sub-1']);
    const text = await cli('list', '--since', '2026-06-01T00:30:00Z', '--until', '2026-06-01T01:30:00Z');
    expect(text.stdout).toContain('[interest] INVALID_OPTION');
    expect(text.stdout.trim().split('\n')).toHaveLength(3);
    expect(text.stdout).toContain('all deliveries: pending 0, running 0, delivered 2, failed 1, dead 0');
  });

  it('exits 2 naming the flag for a bad state, time or limit, before opening the database', async () => {
    const state = await cli('list', '--state', 'broken');
    expect(state).toMatchObject({ code: 2, stdout: '' });
    expect(state.stderr).toContain('--state "broken" is not a delivery state. Fix: use one of pending, running, delivered, failed, dead');
    expect((await cli('list', '--since', 'last tuesday')).stderr).toContain('--since "last tuesday" is not a time');
    expect((await cli('list', '--limit', '0')).code).toBe(2);
  });

  it('show prints attempts, last error and field; --json too; unknown id exits 1', async () => {
    const shown = await cli('show', crmFailed.id);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('field:       interest');
    expect(shown.stdout).toMatch(/#1 \S+ permanent \[interest\]: INVALID_OPTION/);
    const json = JSON.parse((await cli('show', crmFailed.id, '--json')).stdout);
    expect(json.attempts).toHaveLength(1);
    expect(json.submission).toMatchObject({ id: 'sub-1' });
    const missing = await cli('show', 'no-such-id');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No delivery "no-such-id"');
  });

  it('retry resets a failed job (exit 0) and refuses a delivered one (exit 1, pointing to replay)', async () => {
    const retried = await cli('retry', crmFailed.id, '--json');
    expect(retried.code).toBe(0);
    expect(JSON.parse(retried.stdout)).toMatchObject({ id: crmFailed.id, state: 'pending', attempts: 0 });
    const refused = await cli('retry', crmDelivered.id);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('replay --submission sub-2 --sink crm');
  });

  it('replay needs exactly one of --submission or a full range; --dry-run changes nothing', async () => {
    expect((await cli('replay')).code).toBe(2);
    expect((await cli('replay', '--submission', 'sub-1', '--from', '24h')).code).toBe(2);
    expect((await cli('replay', '--from', '2026-06-01')).stderr).toContain('needs both --from');
    const inverted = await cli('replay', '--from', '2026-06-02', '--to', '2026-06-01');
    expect(inverted).toMatchObject({ code: 2 });
    expect(inverted.stderr).toContain('must be before --to');
    const dry = await cli('replay', '--from', '2026-06-01', '--to', '2026-06-02', '--sink', 'crm', '--dry-run', '--json');
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true, matched: 2, redelivered: [crmDelivered.id], reset: [crmFailed.id] });
    expect(JSON.parse((await cli('show', crmDelivered.id, '--json')).stdout).job.state).toBe('delivered');
    expect((await cli('replay', '--submission', 'nope')).code).toBe(1);
  });

  it('replay of a submission writes delivered jobs again under a new key', async () => {
    const done = await cli('replay', '--submission', 'sub-2');
    expect(done.code).toBe(0);
    expect(done.stdout).toContain('1 delivered ones will be written again');
    const job = JSON.parse((await cli('show', crmDelivered.id, '--json')).stdout).job;
    expect(job).toMatchObject({ state: 'pending', generation: 1, idempotencyKey: 'sub-2:crm:g1' });
  });
});
