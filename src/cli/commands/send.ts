/**
 * `flowbridge send --to <phone> --flow <id|name> [--template T] [--mode auto|interactive|template]
 * [--campaign C] [--idempotency-key K] [--param V | --param name=V]… [--json]`: send one flow of the
 * project to one person — the interactive flow message inside the 24-hour
 * window, the flow's FLOW-button template outside it — through the same
 * sender the API and broadcasts use. `--param` fills the template body's
 * placeholders (syntax and checks in `send-params.ts`).
 *
 * Exit codes: 0 sent (or an earlier send with the same key returned); 1 not
 * sent (not published, no template, Meta refused); 2 usage, bad phone
 * number, unknown flow, configuration or project file problem.
 * @module
 */
import type { Command } from 'commander';
import type { SendFlowResult } from '../../services/flow-sender.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import { collectParam, PARAM_HELP, parseSendParams } from './send-params.js';
import { CliUsageError, cliFlowSender, cliGuard, graphFromConfig, loadCliCatalogue, readCliConfig, withDatabase } from './messaging-context.js';

interface SendCliOptions {
  to: string;
  flow: string;
  mode: string;
  template?: string;
  templateLanguage?: string;
  campaign?: string;
  idempotencyKey?: string;
  param: string[];
  json?: boolean;
}

const MODES = ['auto', 'interactive', 'template'] as const;

const help = `
Needs FLOWBRIDGE_ACCESS_TOKEN, FLOWBRIDGE_PHONE_NUMBER_ID and the project file
(FLOWBRIDGE_PROJECT_FILE, default ./flowbridge.yaml) naming the flow, its
message texts and its template; the flow must be published (flowbridge publish).
--mode auto (default) sends the interactive message when the contact wrote in
the last 24 hours (as recorded from webhooks), else the template.
Exit codes: 0 sent, 1 not sent (not published, no template, Meta refused — e.g.
a wrong number of --param for the template), 2 usage/config/bad number/unknown
flow/bad --param value.
${PARAM_HELP}

Examples:
  $ flowbridge send --to +31612345678 --flow signup
  $ flowbridge send --to 31612345678 --flow signup --mode template --idempotency-key order-1234
  $ flowbridge send --to +31612345678 --flow signup --mode template --param Ann --param Delft`;

/** Register `send` on the program. */
export function registerSendCommand(program: Command): void {
  program
    .command('send')
    .description('Send a flow of the project to one WhatsApp number.')
    .requiredOption('--to <phone>', 'recipient in international form, e.g. +31612345678')
    .requiredOption('--flow <id|name>', 'flow id (or name) from the project file')
    .option('--template <name>', 'send this approved FLOW-button template instead of the flow\'s own (template sends)')
    .option('--template-language <code>', 'language of --template (default: the flow\'s template language, else en_US)')
    .option('--mode <mode>', `${MODES.join(' | ')}`, 'auto')
    .option('--campaign <name>', 'campaign stored on the session')
    .option('--idempotency-key <key>', 'the same key never sends twice')
    .option('--param <value>', 'value of the next positional body placeholder {{1}}, {{2}}… (repeat, in order), or name=value for a named one', collectParam, [])
    .option('--json', 'print the result as JSON')
    .addHelpText('after', help)
    .action(async (options: SendCliOptions) => {
      process.exitCode = await cliGuard('send', () => runSend(options));
    });
}

/** Exit code of a sender result. */
export function sendExitCode(result: SendFlowResult): number {
  if (result.ok) return EXIT_OK;
  return result.code === 'bad_phone' || result.code === 'unknown_flow' ? EXIT_USAGE : EXIT_FAILURE;
}

async function runSend(options: SendCliOptions): Promise<number> {
  if (!(MODES as readonly string[]).includes(options.mode)) throw new CliUsageError(`--mode must be one of ${MODES.join(', ')}, got "${options.mode}".`);
  const bodyParameters = parseSendParams(options.param);
  const config = readCliConfig();
  const catalogue = await loadCliCatalogue(config);
  const graph = graphFromConfig(config, { needPhone: true });
  const result = await withDatabase(config, async (store) => {
    const sender = cliFlowSender(store, catalogue, graph);
    const flowId = catalogue.get(options.flow)?.id ?? catalogue.list().find((f) => f.name === options.flow)?.id ?? options.flow;
    return sender.send({
      flowId, to: options.to, entry: 'cli', mode: options.mode as (typeof MODES)[number],
      ...(options.template !== undefined && { template: { name: options.template, ...(options.templateLanguage !== undefined && { language: options.templateLanguage }) } }),
      ...(options.campaign !== undefined && { campaign: options.campaign }),
      ...(options.idempotencyKey !== undefined && { idempotencyKey: `cli:${options.idempotencyKey}` }),
      ...(bodyParameters.length > 0 && { bodyParameters }),
    });
  });
  if (options.json === true) {
    const { graphError, ...rest } = result.ok ? { ...result, graphError: undefined } : result;
    process.stdout.write(`${JSON.stringify({ ...rest, ...(graphError && { graphCode: graphError.graphCode, retryable: graphError.retryable, retryAfterMs: graphError.retryAfterMs }) }, null, 2)}\n`);
  } else if (result.ok) {
    process.stdout.write(`${result.repeated ? 'already sent' : 'sent'}: ${result.kind} message ${result.wamid} to ${result.waId} (send ${result.sendId})\n`);
  } else {
    process.stderr.write(`flowbridge send: not sent (${result.code}): ${result.message}\n`);
  }
  return sendExitCode(result);
}
