import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerPublishCommand } from '../../src/cli/commands/publish.js';
import { registerSendCommand } from '../../src/cli/commands/send.js';
import type { LoopbackServer } from '../fakes/shared/loopback-server.js';
import { startEmulatorProxy } from './send-kit.js';
import { PHONE, simpleFlowJson, startHarness, TOKEN, WABA, type Harness } from '../graph/harness.js';

let h: Harness;
let proxy: LoopbackServer;
let dir: string;
const out: string[] = [];

/** Run `publish`/`send` in-process as src/cli/main.ts would (they are registered there by the coordinator). */
async function cli(...argv: string[]): Promise<number> {
  const program = new Command('flowbridge').exitOverride();
  registerPublishCommand(program);
  registerSendCommand(program);
  process.exitCode = undefined;
  try {
    await program.parseAsync(argv, { from: 'user' });
    return Number(process.exitCode ?? 0);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    throw error;
  }
}

beforeAll(async () => {
  h = await startHarness();
  // A recording proxy in front of the emulator: counts the Graph calls the CLI makes.
  proxy = await startEmulatorProxy(h.url);
  dir = mkdtempSync(join(tmpdir(), 'fb-publish-cli-'));
  writeFileSync(join(dir, 'flow.json'), simpleFlowJson());
  writeFileSync(join(dir, 'bad.json'), simpleFlowJson().replace('"TextBody"', '"TextBodyy"'));
  writeFileSync(join(dir, 'flowbridge.yaml'), 'flows:\n  - id: signup\n    flow: ./flow.json\n    message: { body: "Sign up for the event", cta: "Sign up", template: signup_tpl, templateLanguage: en_US }\n');
});
afterAll(async () => {
  await proxy.close();
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  out.length = 0;
  process.exitCode = undefined;
});

function env(): void {
  vi.stubEnv('FLOWBRIDGE_ACCESS_TOKEN', TOKEN);
  vi.stubEnv('FLOWBRIDGE_GRAPH_API_BASE_URL', proxy.url);
  vi.stubEnv('FLOWBRIDGE_PHONE_NUMBER_ID', PHONE);
  vi.stubEnv('FLOWBRIDGE_DATABASE_URL', `sqlite:${join(dir, 'fb.db')}`);
  vi.stubEnv('FLOWBRIDGE_PROJECT_FILE', join(dir, 'flowbridge.yaml'));
  const grab = (chunk: unknown): boolean => (out.push(String(chunk)), true);
  vi.spyOn(process.stdout, 'write').mockImplementation(grab);
  vi.spyOn(process.stderr, 'write').mockImplementation(grab);
}

const publishArgs = (file = 'flow.json') => ['publish', join(dir, file), '--name', 'signup', '--category', 'SIGN_UP', '--waba-id', WABA];

describe('flowbridge publish and send', () => {
  it('publish: local errors exit 1 with file:line:col and no Graph call; usage problems exit 2', async () => {
    env();
    expect(await cli(...publishArgs('bad.json'), '--publish')).toBe(1);
    const line = simpleFlowJson().split('\n').findIndex((l) => l.includes('"TextBody"')) + 1;
    expect(out.join('')).toContain(`bad.json:${line}:`);
    expect(proxy.requests).toHaveLength(0);
    expect(await cli('publish', join(dir, 'flow.json'), '--name', 'x', '--category', 'NOPE', '--waba-id', WABA)).toBe(2);
    expect(await cli(...publishArgs('missing.json'))).toBe(2);
    expect(out.join('')).toMatch(/unknown category NOPE[\s\S]*cannot read/);
    vi.stubEnv('FLOWBRIDGE_ACCESS_TOKEN', '');
    expect(await cli(...publishArgs())).toBe(2);
    expect(out.join('')).toContain('FLOWBRIDGE_ACCESS_TOKEN');
    expect(out.join('')).not.toContain(TOKEN);
  });

  it('publish then send: the send finds the live flow stored by publish; a re-run publishes nothing', async () => {
    env();
    expect(await cli(...publishArgs(), '--publish')).toBe(0);
    expect(out.join('')).toMatch(/created, uploaded, published/);
    const flowId = [...h.emulator.state.flows.values()].find((f) => f.name === 'signup')?.id ?? '';
    expect(h.emulator.state.flows.get(flowId)?.status).toBe('PUBLISHED');
    const before = proxy.requests.length;
    out.length = 0;
    expect(await cli(...publishArgs(), '--publish', '--json')).toBe(0);
    expect(JSON.parse(out.join('')).status).toBe('unchanged');
    expect(proxy.requests.length).toBe(before);

    // Outside the window without a template at Meta: Meta's 132001, exit 1.
    out.length = 0;
    expect(await cli('send', '--to', '+31612345678', '--flow', 'signup')).toBe(1);
    expect(out.join('')).toMatch(/not sent \(graph_error\)/);
    await h.graph.createTemplate({ name: 'signup_tpl', language: 'en_US', category: 'UTILITY', body: 'Sign up', flowButton: { text: 'Sign up', flow: { id: flowId } } });
    out.length = 0;
    expect(await cli('send', '--to', '+31612345678', '--flow', 'signup', '--idempotency-key', 'once', '--json')).toBe(0);
    const sent = JSON.parse(out.join(''));
    expect(sent).toMatchObject({ ok: true, kind: 'template', waId: '31612345678', repeated: false });
    expect(h.emulator.state.messages.at(-1)?.flow).toMatchObject({ flowId, flowToken: sent.flowToken });
    out.length = 0;
    expect(await cli('send', '--to', '31612345678', '--flow', 'signup', '--idempotency-key', 'once')).toBe(0);
    expect(out.join('')).toMatch(/^already sent: template/);
    expect(h.emulator.state.messages).toHaveLength(1);

    // --template picks another approved template; the request to Meta names it.
    await h.graph.createTemplate({ name: 'signup_reminder', language: 'nl', category: 'UTILITY', body: 'Nog even aanmelden?', flowButton: { text: 'Aanmelden', flow: { id: flowId } } });
    out.length = 0;
    expect(await cli('send', '--to', '+31612345679', '--flow', 'signup', '--template', 'signup_reminder', '--template-language', 'nl', '--json')).toBe(0);
    expect(JSON.parse(out.join(''))).toMatchObject({ ok: true, kind: 'template' });
    const reminder = proxy.requests.filter((r) => r.path.endsWith('/messages')).at(-1);
    expect(JSON.parse(reminder?.body ?? '{}')).toMatchObject({ type: 'template', template: { name: 'signup_reminder', language: { code: 'nl' } } });
    expect(h.emulator.state.messages).toHaveLength(2);

    expect(await cli('send', '--to', 'call me', '--flow', 'signup')).toBe(2);
    expect(await cli('send', '--to', '+31612345678', '--flow', 'nope')).toBe(2);
    expect(await cli('send', '--to', '+31612345678', '--flow', 'signup', '--mode', 'fax')).toBe(2);
  });
});
