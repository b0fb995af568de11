import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/store/create-database.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { createSessionRepo } from '../../src/store/repos/session-repo.js';

const root = new URL('../../', import.meta.url).pathname;
let dir: string;
let env: NodeJS.ProcessEnv;

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('node', ['bin/flowbridge.js', ...args], { cwd: root, env }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fb-stats-'));
  const url = `sqlite:${join(dir, 'fb.db')}`;
  env = { PATH: process.env['PATH'], FLOWBRIDGE_FROM_SOURCES: '1', FLOWBRIDGE_DATABASE_URL: url, FLOWBRIDGE_DATA_DIR: dir };
  const store = createDatabase(url);
  await migrateToLatest(store);
  const sessions = createSessionRepo(store.db);
  const made = await Promise.all([0, 1, 2].map(() => sessions.createSession({ flowId: 'lead', contactPhone: '31611111111', campaign: 'nov' })));
  await sessions.recordScreen(made[0]!.flowToken, 'DETAILS');
  await sessions.completeSession(made[1]!.flowToken, '{}');
  await store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('flowbridge stats', () => {
  it('prints the funnel as JSON and as text', async () => {
    const json = await cli('stats', '--json', '--flow', 'lead');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([{
      flowId: 'lead', sent: 3, opened: 2, completed: 1, inProgress: 2,
      droppedAt: [{ screen: 'DETAILS', sessions: 1 }, { screen: null, sessions: 1 }],
    }]);
    const text = await cli('stats');
    expect(text.stdout).toContain('lead: sent 3, opened 2 (66.7%), completed 1 (33.3%), in progress 2');
    expect(text.stdout).toContain('last screen DETAILS: 1');
  });

  it('exits 2 with the flag named for a bad date', async () => {
    const bad = await cli('stats', '--since', 'last tuesday');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--since must be a date');
  });
});
