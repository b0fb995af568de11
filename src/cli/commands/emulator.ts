/**
 * `flowbridge emulator`: run the local Meta emulator (Graph API + Cloud API
 * + virtual phones) on its own until Ctrl-C, and print what to point
 * `flowbridge serve` at: base URL, access token, WABA and phone number ids,
 * the app secret webhooks are signed with, and virtual phone numbers.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { parsePhoneScripts, type PhoneScripts } from '../../emulator/phones/phone-script.js';
import { verifyCallbackUrl } from '../../emulator/phones/webhook-poster.js';
import { startSandbox, virtualPhoneNumbers, type Sandbox } from '../../emulator/sandbox.js';
import { EXIT_OK, EXIT_USAGE } from '../exit-codes.js';

/** Options as commander hands them over. */
export interface EmulatorCliOptions {
  port: string;
  webhookUrl?: string;
  appSecret?: string;
  accessToken?: string;
  verifyToken?: string;
  phones: string;
  mps: string;
  auto?: boolean;
  script?: string;
}

/** Where the command writes, and what stops it (tests pass their own). */
export interface EmulatorIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Resolves when the emulator should stop (default: SIGINT or SIGTERM). */
  readonly stop?: Promise<void>;
  /** Called once the emulator is listening (tests use it to reach it). */
  readonly onStarted?: (sandbox: Sandbox) => void;
  readonly env?: NodeJS.ProcessEnv;
}

const help = `
Phones: every number the emulator accepts a message for is a virtual phone. It
posts sent/delivered/read status webhooks to --webhook-url, signed with the app
secret (X-Hub-Signature-256). With --auto it also opens each flow it receives,
calls the flow's endpoint_uri with real encryption (the public key registered
with POST /{PHONE_NUMBER_ID}/whatsapp_business_encryption, e.g. by
\`flowbridge keys register\`), fills it with generated answers and posts the
nfm_reply completion. --script <file.json> gives answers per screen, or rules
for a share of the phones:
  {"population": [{"share": 0.1, "behaviour": {"abandonAt": 2}},
                  {"share": 0.1, "behaviour": {"invalidFirst": {}}}],
   "phones": {"15551000001": {"answers": {"SCREEN": {"email": "a@b.example"}}}}}

The app secret is --app-secret, else FLOWBRIDGE_APP_SECRET (its first entry),
else a fresh one printed at start.

Examples:
  $ flowbridge emulator --webhook-url http://127.0.0.1:8080/webhooks/whatsapp --auto
  $ flowbridge emulator --port 0 --phones 5 --script phones.json`;

/** Register `emulator` on the program. */
export function registerEmulatorCommand(program: Command): void {
  program
    .command('emulator')
    .description('Run a local emulator of Meta\'s Graph and Cloud APIs with virtual phones (no Meta account needed).')
    .option('--port <n>', 'TCP port on 127.0.0.1 (0: any free port)', '8090')
    .option('--webhook-url <url>', 'where to post webhooks: your server\'s /webhooks/whatsapp')
    .option('--app-secret <secret>', 'app secret to sign webhooks and endpoint requests with')
    .option('--verify-token <token>', 'check --webhook-url first as Meta does (GET hub.challenge with this hub.verify_token)')
    .option('--access-token <token>', 'access token the emulator accepts (default: generated)')
    .option('--phones <n>', 'list this many virtual phone numbers, their 24-hour window open', '3')
    .option('--mps <n>', 'messages per second the emulator accepts before answering 130429', '80')
    .option('--auto', 'phones open every flow they receive and complete it with generated answers')
    .option('--script <file>', 'phone behaviour script (JSON, see below); implies opening flows')
    .addHelpText('after', help)
    .action(async (options: EmulatorCliOptions) => {
      process.exitCode = await runEmulator(options, { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) });
    });
}

class UsageError extends Error {}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

async function readScripts(options: EmulatorCliOptions): Promise<PhoneScripts> {
  if (options.script === undefined) return options.auto ? {} : { default: { open: false } };
  let text: string;
  try {
    text = await readFile(options.script, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read the script ${options.script}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = parsePhoneScripts(text);
  if (!parsed.ok) throw new UsageError(`the script ${options.script} is invalid:\n  ${parsed.problems.join('\n  ')}`);
  return parsed.scripts;
}

function checkOptions(options: EmulatorCliOptions): { port: number; phones: number; mps: number } {
  const port = Number(options.port);
  if (!/^\d+$/.test(options.port) || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535, got "${options.port}"`);
  const phones = Number(options.phones);
  if (!/^\d+$/.test(options.phones) || phones > 10_000) throw new UsageError(`--phones must be a number from 0 to 10000, got "${options.phones}"`);
  if (options.webhookUrl !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(options.webhookUrl);
    } catch {
      url = undefined;
    }
    if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw new UsageError(`--webhook-url must be an http(s) URL such as http://127.0.0.1:8080/webhooks/whatsapp, got "${options.webhookUrl}"`);
  }
  if (options.appSecret === '') throw new UsageError('--app-secret must not be empty');
  if (options.verifyToken !== undefined && options.webhookUrl === undefined) throw new UsageError('--verify-token needs --webhook-url: it is the URL that is checked');
  const mps = Number(options.mps);
  if (!/^\d+$/.test(options.mps) || mps < 1 || mps > 100_000) throw new UsageError(`--mps must be a number from 1 to 100000, got "${options.mps}"`);
  return { port, phones, mps };
}

function banner(s: Sandbox, numbers: readonly string[], secretShown: string, webhookUrl: string | undefined, opensFlows: boolean): string {
  return [
    `Flowbridge emulator listening on ${s.url}`,
    '',
    `  Graph API base URL   ${s.url}`,
    `  access token         ${s.accessToken}`,
    `  WABA id              ${s.wabaId}`,
    `  phone number id      ${s.phoneNumberId} (display number ${s.displayPhoneNumber})`,
    `  app secret           ${secretShown}`,
    `  webhooks go to       ${webhookUrl ?? '(nowhere: pass --webhook-url)'}`,
    `  throughput           ${s.emulator.options.mps} messages per second`,
    `  phones open flows    ${opensFlows ? 'yes' : 'no (pass --auto or --script)'}`,
    `  virtual phones       ${numbers.length > 0 ? numbers.join(', ') : '(any number you send to)'}`,
    '',
    'Point `flowbridge serve` at it:',
    `  FLOWBRIDGE_GRAPH_API_BASE_URL=${s.url}`,
    `  FLOWBRIDGE_ACCESS_TOKEN=${s.accessToken}`,
    `  FLOWBRIDGE_PHONE_NUMBER_ID=${s.phoneNumberId}`,
    '  FLOWBRIDGE_APP_SECRET=<the app secret above>',
    '',
    'Ctrl-C stops it.',
    '',
  ].join('\n');
}

/** Run the emulator until `io.stop` (or a signal); resolves to the exit code. */
export async function runEmulator(options: EmulatorCliOptions, io: EmulatorIo): Promise<number> {
  let sandbox: Sandbox;
  let numbers: string[];
  let secretShown: string;
  let opensFlows: boolean;
  try {
    const { port, phones, mps } = checkOptions(options);
    const scripts = await readScripts(options);
    if (options.webhookUrl !== undefined && options.verifyToken !== undefined) {
      const check = await verifyCallbackUrl(options.webhookUrl, options.verifyToken);
      if (!check.ok) throw new UsageError(`webhook verification of ${options.webhookUrl} failed: ${check.reason}`);
      io.err(`webhook URL verified (hub.challenge echoed)\n`);
    }
    opensFlows = scripts.default?.open !== false || (scripts.population ?? []).length > 0 || Object.keys(scripts.phones ?? {}).length > 0;
    const fromEnv = (io.env ?? process.env).FLOWBRIDGE_APP_SECRET?.split(',')[0]?.trim();
    const given = options.appSecret ?? (fromEnv || undefined);
    const appSecret = given ?? randomBytes(16).toString('hex');
    secretShown = given === undefined ? `${appSecret} (generated: set FLOWBRIDGE_APP_SECRET to it)` : options.appSecret !== undefined ? '(the one given with --app-secret)' : '(FLOWBRIDGE_APP_SECRET)';
    sandbox = await startSandbox({
      appSecret, port, scripts, mps,
      ...(options.webhookUrl !== undefined && { webhookUrl: options.webhookUrl }),
      ...(options.accessToken !== undefined && { accessToken: options.accessToken }),
      log: (line) => io.err(`${line}\n`),
    });
    numbers = virtualPhoneNumbers(phones);
    for (const n of numbers) sandbox.emulator.receiveInbound(n);
  } catch (err) {
    io.err(`flowbridge emulator: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT_USAGE;
  }
  io.out(banner(sandbox, numbers, secretShown, options.webhookUrl, opensFlows));
  io.onStarted?.(sandbox);
  await (io.stop ?? untilSignal());
  await sandbox.close();
  io.err('emulator stopped\n');
  return EXIT_OK;
}
