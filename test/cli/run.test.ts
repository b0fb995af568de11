import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneScreen } from '../runtime/flows.js';
import { PUBLIC_KEY_FILE, signUpAnswer, signUpFlow, startLoopback, type Loopback } from '../runtime/loopback-server.js';

const root = new URL('../../', import.meta.url).pathname;
const meta = '/work/shared/fixtures/meta/';
const tmp = mkdtempSync(join(tmpdir(), 'flowbridge-run-'));

function file(name: string, content: unknown): string {
  const path = join(tmp, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/flowbridge.js', 'run', ...args], { cwd: root, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Run interactively: each time stderr shows `waitFor`, type `keys`. */
function interactive(flowFile: string, script: Array<[waitFor: string, keys: string]>): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/flowbridge.js', 'run', flowFile], { cwd: root });
    let stdout = '';
    let seen = '';
    let step = 0;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      seen += d.toString();
      const next = script[step];
      if (next && seen.includes(next[0])) {
        step++;
        seen = '';
        child.stdin.write(next[1]);
      }
    });
    child.on('close', (code) => resolve({ code, stdout }));
  });
}

const contact = oneScreen('7.3', [
  { type: 'TextInput', name: 'email', label: 'Email', 'input-type': 'email', required: true },
  { type: 'Dropdown', name: 'topic', label: 'Topic', 'data-source': [{ id: 'sales', title: 'Sales' }, { id: 'help', title: 'Help' }] },
  { type: 'Footer', label: 'Send', 'on-click-action': { name: 'complete', payload: { email: '${form.email}', topic: '${form.topic}', source: 'cli' } } },
]);

describe('flowbridge run', () => {
  it('--auto completes a Meta fixture and prints response_json (exit 0)', async () => {
    const r = await cli(`${meta}v2.1_load_re_engagement.json`, '--auto', '--flow-token', 'T1');
    expect(r.code).toBe(0);
    const response = JSON.parse(r.stdout);
    expect(Object.keys(response).sort()).toEqual(['email', 'firstName', 'flow_token', 'lastName']);
    expect(response.flow_token).toBe('T1');
  });

  it('--answers plays the given values (exit 0)', async () => {
    const r = await cli(file('contact.json', contact), '--answers', file('answers.json', { ONLY: { email: 'ann@example.com', topic: 'help', $press: 'footer' } }));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ email: 'ann@example.com', topic: 'help', source: 'cli', flow_token: 'flowbridge-run' });
  });

  it('blocked answers exit 1 with the field errors on stderr', async () => {
    const r = await cli(file('contact2.json', contact), '--answers', file('bad.json', { ONLY: { email: 'not-an-email' } }));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('email: Enter a valid email address.');
  });

  it('--data feeds the first screen (global refs read it later)', async () => {
    const r = await cli(`${meta}v4.0_global_fields.json`, '--auto', '--data', file('data.json', { field2: 'from --data' }));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).field2).toBe('from --data');
  });

  it('usage and I/O errors exit 2', async () => {
    const [missing, notJson, both, noKey] = await Promise.all([
      cli(join(tmp, 'missing.json'), '--auto'),
      cli(file('notjson.json', '{nope'), '--auto'),
      cli(`${meta}v2.1_sign_in.json`, '--auto', '--answers', file('a.json', {})),
      cli(`${meta}v2.1_sign_in.json`, '--auto', '--endpoint', 'http://127.0.0.1:1/'),
    ]);
    expect([missing.code, notJson.code, both.code, noKey.code]).toEqual([2, 2, 2, 2]);
    expect(both.stderr).toContain('either --auto or --answers');
    expect(noKey.stderr).toContain('--endpoint needs --public-key');
  });

  it('interactive mode asks for each input and presses the chosen target', async () => {
    const r = await interactive(file('contact3.json', contact), [['Email', 'ann@example.com\r'], ['Topic', '\u001b[B\r'], ['Next', '\r']]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ email: 'ann@example.com', topic: 'help', source: 'cli', flow_token: 'flowbridge-run' });
  });

  describe('with a real encrypted endpoint', () => {
    let server: Loopback;
    beforeAll(async () => {
      server = await startLoopback(signUpAnswer);
    });
    afterAll(() => server.close());

    it('--endpoint/--public-key: INIT, data_exchange, completion params (exit 0)', async () => {
      const r = await cli(file('signup.json', signUpFlow), '--endpoint', server.url, '--public-key', PUBLIC_KEY_FILE, '--auto', '--flow-token', 'T9');
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({ flow_token: 'T9', email: 'user@example.com' });
      expect(server.requests.map((q): unknown => q.action)).toEqual(['INIT', 'data_exchange']);
    });
  });
});
