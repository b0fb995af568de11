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

describe('flowbridge send --param, against the Graph emulator', () => {
  const messages = () => proxy.requests.filter((r) => r.path.endsWith('/messages'));
  async function withTemplates(): Promise<void> {
    env();
    expect(await cli(...publishArgs(), '--publish')).toBe(0);
    const flowId = [...h.emulator.state.flows.values()].find((f) => f.name === 'signup')?.id ?? '';
    const button = { type: 'BUTTONS', buttons: [{ type: 'FLOW', text: 'Go', flow_id: flowId }] };
    for (const [name, text, format] of [['signup_params', 'Hi {{1}}, see you in {{2}}', 'POSITIONAL'], ['named_tpl', 'Hi {{first_name}} in {{city}}', 'NAMED']]) {
      const res = await fetch(`${h.url}/v23.0/${WABA}/message_templates`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ name, language: 'en_US', category: 'MARKETING', parameter_format: format, components: [{ type: 'BODY', text }, button] }) });
      expect([200, 400]).toContain(res.status); // 400: created by an earlier test of this file
    }
    out.length = 0;
  }
  const send = (to: string, template: string, ...params: string[]) =>
    cli('send', '--to', to, '--flow', 'signup', '--mode', 'template', '--template', template, '--template-language', 'en_US', ...params.flatMap((p) => ['--param', p]), '--json');

  it('positional values in order, \\= for a literal "=": the exact body component goes to Graph', async () => {
    await withTemplates();
    expect(await send('+31600000002', 'signup_params', 'Ann', 'x\\=1 \\= C:\\dir')).toBe(0);
    const sent = JSON.parse(out.join(''));
    expect(JSON.parse(messages().at(-1)!.body)).toEqual({
      messaging_product: 'whatsapp', recipient_type: 'individual', to: '31600000002', type: 'template',
      template: {
        name: 'signup_params', language: { code: 'en_US' },
        components: [
          { type: 'body', parameters: [{ type: 'text', text: 'Ann' }, { type: 'text', text: 'x=1 = C:\\dir' }] },
          { type: 'button', sub_type: 'flow', index: '0', parameters: [{ type: 'action', action: { flow_token: sent.flowToken } }] },
        ],
      },
    });
    expect(await send('+31600000003', 'named_tpl', 'first_name=Ann', '{{city}}=a=b')).toBe(0);
    expect(JSON.parse(messages().at(-1)!.body).template.components[0]).toEqual({ type: 'body', parameters: [{ type: 'text', parameter_name: 'first_name', text: 'Ann' }, { type: 'text', parameter_name: 'city', text: 'a=b' }] });
  });

  it('a wrong count is Meta\'s 132000: not sent, exit 1, with the reason', async () => {
    await withTemplates();
    expect(await cli('send', '--to', '+31600000004', '--flow', 'signup', '--mode', 'template', '--template', 'signup_params', '--param', 'Ann')).toBe(1);
    expect(out.join('')).toMatch(/not sent \(graph_error\): The template's parameters do not match its placeholders.*\(1\) does not match the expected number of params \(2\)/);
  });

  it('bad values and mixed named/positional exit 2 with the fix, before any Graph call', async () => {
    await withTemplates();
    const before = messages().length;
    const cases: Array<[string[], RegExp]> = [
      [['Ann', ''], /--param 2 \(""\) is empty \(WhatsApp refuses an empty parameter\)/],
      [['two\nlines', 'b'], /--param 1 \("two\\nlines"\) contains a line break; WhatsApp refuses template parameters with line breaks, tabs or more than 4 consecutive spaces/],
      [['a\tb', 'b'], /--param 1 .* contains a tab/],
      [['Ann', 'a     b'], /--param 2 .* contains more than 4 consecutive spaces/],
      [['first_name=Ann', 'Delft'], /--param 2 \("Delft"\) has no name but the first parameter is named "first_name".*Fix: write every --param as name=value .* or none of them .* as \\=/],
      [['Ann', 'city=Delft'], /--param 2 \("city=Delft"\) is named "city" but the first parameter has no name/],
      [['Hello = x'], /--param 1 \("Hello = x"\) is named "Hello ": a placeholder name is lower-case letters.*literal "=" in a positional value as \\=/],
      [['1=Ann'], /--param 1 .* positional placeholders \{\{1\}\}, \{\{2\}\}… take no name/],
    ];
    for (const [params, message] of cases) {
      out.length = 0;
      expect(await send('+31600000005', 'signup_params', ...params)).toBe(2);
      expect(out.join('')).toMatch(message);
    }
    expect(messages()).toHaveLength(before);
    out.length = 0;
    expect(await cli('send', '--help')).toBe(0);
    expect(out.join('')).toMatch(/--param <value>[\s\S]*A literal "=" in a positional value is written \\= \(--param 'x\\=1' sends x=1\)/);
  });
});
