/**
 * `flowbridge run <flow.json>`: play a Flow in the terminal with the headless
 * WhatsApp client emulator (src/core/runtime) — answers from a file, auto-
 * generated answers, or interactive prompts — and print the `response_json`
 * the nfm_reply webhook would carry.
 * @module
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { checkbox, confirm, input, select } from '@inquirer/prompts';
import { autoFill, createFlowRuntime, type EndpointClient, type FlowRuntime, type ScreenView } from '../../core/runtime/index.js';
import { createEndpointClient } from '../../core/runtime/endpoint/endpoint-client.js';
import { fetchPost } from '../../whatsapp/http-post.js';
import { createNodeFlowCrypto } from '../../whatsapp/node-flow-crypto.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../exit-codes.js';

interface RunCliOptions {
  data?: string;
  screen?: string;
  endpoint?: string;
  publicKey?: string;
  flowToken: string;
  answers?: string;
  auto?: boolean;
  maxSteps: string;
  events?: boolean;
}

/** Answers file: per screen id, input values and what to press (`$press`, default the footer). */
type Answers = Record<string, Record<string, unknown>>;

class UsageError extends Error {}

const help = `
Answers file format: {"SCREEN_ID": {"input-name": value, "$press": "footer"}}
  "$press" is "footer" (default), an EmbeddedLink text, an OptIn name (its
  "Read more") or a NavigationList item id/title. Dates are "YYYY-MM-DD".

Exit codes: 0 the flow completed (response_json printed on stdout), 1 it
cannot complete (blocking errors on stderr), 2 usage or I/O error.

Examples:
  $ flowbridge run flow.json --auto
  $ flowbridge run flow.json --answers answers.json --flow-token T1
  $ flowbridge run flow.json --data first-screen-data.json
  $ flowbridge run flow.json --endpoint https://example.com/flow --public-key public.pem --auto`;

/** Register `run` on the program. */
export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('Run a Flow with the WhatsApp client emulator and print the response_json of its completion.')
    .argument('<flow>', 'Flow JSON file')
    .option('--data <file>', 'JSON object: data of the first screen (flow_action_payload.data); default its __example__ values')
    .option('--screen <id>', 'screen to open with (flow_action navigate); default the entry screen')
    .option('--endpoint <url>', 'data-exchange endpoint of an endpoint-powered flow (opens with INIT unless --data/--screen is given)')
    .option('--public-key <file>', 'PEM public key the endpoint decrypts with (required with --endpoint)')
    .option('--flow-token <token>', 'flow_token to send and to echo in response_json', 'flowbridge-run')
    .option('--answers <file>', 'answers per screen (see below)')
    .option('--auto', 'fill every input with generated valid values')
    .option('--max-steps <n>', 'stop after this many screens/presses', '50')
    .option('--events', 'print the event log (endpoint calls, errors) to stderr')
    .addHelpText('after', help)
    .action(async (flow: string, options: RunCliOptions) => {
      process.exitCode = await runRun(flow, options);
    });
}

async function readJson(file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${what} ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UsageError(`${what} ${file} is not JSON`);
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The encrypted endpoint client: node crypto, fetch, the 10 s client timeout. */
async function endpointClient(url: string, keyFile: string): Promise<EndpointClient> {
  let publicKeyPem: string;
  try {
    publicKeyPem = await readFile(keyFile, 'utf8');
  } catch {
    throw new UsageError(`cannot read public key ${keyFile}`);
  }
  return createEndpointClient({ url, publicKeyPem, crypto: createNodeFlowCrypto(), post: fetchPost });
}

async function runRun(flowFile: string, options: RunCliOptions): Promise<number> {
  let runtime: FlowRuntime;
  let answers: Answers | undefined;
  const maxSteps = Number(options.maxSteps);
  try {
    if (options.auto && options.answers) throw new UsageError('use either --auto or --answers, not both');
    if (options.endpoint && !options.publicKey) throw new UsageError('--endpoint needs --public-key');
    if (!Number.isInteger(maxSteps) || maxSteps < 1) throw new UsageError('--max-steps must be a positive integer');
    const flow = await readJson(flowFile, 'flow');
    const data = options.data ? await readJson(options.data, 'data file') : undefined;
    if (data !== undefined && !isRecord(data)) throw new UsageError('--data must hold a JSON object');
    if (options.answers) {
      const parsed = await readJson(options.answers, 'answers file');
      if (!isRecord(parsed) || !Object.values(parsed).every(isRecord)) throw new UsageError('answers must be {"SCREEN_ID": {"input": value}}');
      answers = parsed as Answers;
    }
    const endpoint = options.endpoint && options.publicKey ? await endpointClient(options.endpoint, options.publicKey) : undefined;
    const created = createFlowRuntime(flow, {
      flowToken: options.flowToken,
      ...(data ? { initialData: data } : {}),
      ...(options.screen ? { initialScreen: options.screen } : {}),
      // With --data or --screen the flow is opened as if sent with flow_action navigate, even with an endpoint.
      ...(endpoint ? { endpoint, openWith: data || options.screen ? ('navigate' as const) : ('data_exchange' as const) } : { openWith: 'navigate' as const }),
    });
    if (typeof created === 'string') {
      process.stderr.write(`flowbridge run: ${created}\n`);
      return EXIT_FAILURE;
    }
    runtime = created;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`flowbridge run: ${error.message}\n`);
    return EXIT_USAGE;
  }
  await runtime.start();
  let stuck: string | undefined;
  if (options.auto) stuck = (await autoFill(runtime, maxSteps)).stuck?.reason;
  else if (answers) stuck = await playAnswers(runtime, answers, maxSteps);
  else {
    try {
      stuck = await playInteractive(runtime);
    } catch (error) {
      // Ctrl-C or end of input: inquirer rejects with ExitPromptError.
      if (!(error instanceof Error && error.name === 'ExitPromptError')) throw error;
      stuck = 'the prompt was closed before the flow completed';
    }
  }
  if (options.events) for (const e of runtime.events) process.stderr.write(`${JSON.stringify(e)}\n`);
  if (runtime.status === 'completed' && runtime.response) {
    process.stdout.write(`${JSON.stringify(runtime.response, null, 2)}\n`);
    return EXIT_OK;
  }
  process.stderr.write(describeStuck(runtime.view(), stuck));
  return EXIT_FAILURE;
}

/** Human description of why the flow did not complete. */
function describeStuck(view: ScreenView, reason: string | undefined): string {
  const lines = [`flowbridge run: the flow did not complete (status ${view.status}${view.screen ? `, screen ${view.screen}` : ''})`];
  if (reason) lines.push(`  reason: ${reason}`);
  if (view.banner) lines.push(`  ${view.banner.kind}: ${view.banner.text}`);
  for (const c of view.components) if (c.error) lines.push(`  ${c.name ?? c.type}: ${c.error}`);
  return `${lines.join('\n')}\n`;
}

async function playAnswers(runtime: FlowRuntime, answers: Answers, maxSteps: number): Promise<string | undefined> {
  for (let step = 0; runtime.status === 'active'; step++) {
    if (step >= maxSteps) return 'step limit reached';
    const screen = runtime.view().screen;
    const given = answers[screen] ?? {};
    for (const [name, value] of Object.entries(given)) {
      if (name === '$press') continue;
      const r = await runtime.answer(name, value);
      if (!r.ok) return `screen ${screen}: ${r.reason ?? 'cannot set'} (input '${name}')`;
      if (runtime.status !== 'active' || runtime.view().screen !== screen) break;
    }
    if (runtime.status !== 'active') break;
    if (runtime.view().screen !== screen) continue;
    const target = typeof given.$press === 'string' ? given.$press : 'footer';
    const r = await runtime.press(target);
    if (!r.ok) return r.reason;
  }
  return undefined;
}

function render(view: ScreenView): void {
  const out: string[] = [`\n== ${view.title || view.screen} ==`];
  if (view.banner) out.push(`[${view.banner.kind}] ${view.banner.text}`);
  for (const c of view.components) {
    if (c.text !== undefined) out.push(Array.isArray(c.text) ? c.text.join('\n') : c.text);
    if (c.error) out.push(`  ! ${c.name ?? c.type}: ${c.error}`);
  }
  process.stderr.write(`${out.join('\n')}\n`);
}

const promptContext = { output: process.stderr };

async function askInputs(runtime: FlowRuntime, view: ScreenView): Promise<void> {
  for (const c of view.components) {
    if (!c.name || !c.enabled || c.type === 'NavigationList') continue;
    const label = typeof c.label === 'string' ? c.label : c.name;
    const message = `${label}${c.required ? ' *' : ''}`;
    const choices = (c.options ?? []).map((o) => ({ name: o.title, value: o.id, disabled: !o.enabled, checked: o.selected }));
    if (c.type === 'OptIn') await runtime.answer(c.name, await confirm({ message, default: c.value === true }, promptContext));
    else if (c.type === 'CheckboxGroup' || c.type === 'ChipsSelector') await runtime.answer(c.name, await checkbox({ message, choices }, promptContext));
    else if (choices.length > 0) await runtime.answer(c.name, await select({ message, choices }, promptContext));
    else if (c.type === 'PhotoPicker' || c.type === 'DocumentPicker') process.stderr.write(`(${c.name}: file uploads cannot be emulated interactively; use --auto)\n`);
    else if (c.type === 'CalendarPicker' && c.constraints?.mode === 'range') {
      const range: Record<string, string> = {};
      for (const end of ['start-date', 'end-date']) range[end] = await input({ message: `${c.name} ${end} (YYYY-MM-DD)` }, promptContext);
      await runtime.answer(c.name, range);
    }
    else {
      const hint = c.type === 'DatePicker' || c.type === 'CalendarPicker' ? ' (YYYY-MM-DD)' : '';
      const current = typeof c.value === 'string' ? c.value : '';
      await runtime.answer(c.name, await input({ message: message + hint, default: current }, promptContext));
    }
    if (runtime.status !== 'active' || runtime.view().screen !== view.screen) return;
  }
}

async function playInteractive(runtime: FlowRuntime): Promise<string | undefined> {
  while (runtime.status === 'active') {
    const view = runtime.view();
    render(view);
    await askInputs(runtime, view);
    if (runtime.status !== 'active' || runtime.view().screen !== view.screen) continue;
    const now = runtime.view();
    const targets = [
      ...(now.footer ? [{ name: `[${now.footer.label}]`, value: 'footer' }] : []),
      ...now.components.filter((c) => c.type === 'EmbeddedLink').map((c) => ({ name: `link: ${String(c.text)}`, value: String(c.text) })),
      ...now.components.filter((c) => c.type === 'NavigationList').flatMap((c) => (c.options ?? []).map((o) => ({ name: `> ${o.title}`, value: o.id }))),
      ...now.components.filter((c) => c.readMore && c.name).map((c) => ({ name: `read more: ${c.name ?? ''}`, value: c.name ?? '' })),
      { name: now.canGoBack ? '< back' : 'close the flow', value: '$back' },
    ];
    const choice = await select({ message: 'Next', choices: targets }, promptContext);
    const r = choice === '$back' ? await runtime.back() : await runtime.press(choice);
    if (!r.ok && r.reason !== 'blocked') process.stderr.write(`(${r.reason ?? 'failed'})\n`);
  }
  return runtime.status === 'closed' ? 'closed by the person' : undefined;
}
