/**
 * `flowbridge publish <flow.json> --name N --category C [--endpoint-uri U]
 * [--publish] [--json] --waba-id W [--flow-id ID]`: validate locally, then
 * create or update the flow at Meta, upload the file, show Meta's
 * validation errors at the file's lines, and publish on request. Re-running
 * with unchanged content does nothing (no Graph call).
 *
 * Exit codes: 0 saved, published or unchanged; 1 local findings, Meta's
 * validation errors or a refused publish; 2 usage, configuration, I/O or
 * Graph API failure.
 * @module
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { createPublishService, type MappedValidationError, type PublishOutcome } from '../../services/publish.js';
import { createPublishedFlowRepo } from '../../store/repos/published-flow-repo.js';
import { FLOW_CATEGORIES, type FlowCategory } from '../../whatsapp/graph/index.js';
import { EXIT_FAILURE, EXIT_OK } from '../exit-codes.js';
import { CliUsageError, cliGuard, graphFromConfig, readCliConfig, withDatabase } from './messaging-context.js';

interface PublishCliOptions {
  name: string;
  category: string[];
  endpointUri?: string;
  publish?: boolean;
  json?: boolean;
  wabaId: string;
  flowId?: string;
}

const help = `
Credentials: FLOWBRIDGE_ACCESS_TOKEN, FLOWBRIDGE_GRAPH_API_BASE_URL (the emulator
offline), FLOWBRIDGE_GRAPH_API_VERSION; what was published is stored in
FLOWBRIDGE_DATABASE_URL so that sends find the live flow by --flow-id.
Categories: ${FLOW_CATEGORIES.join(', ')} (repeat --category or separate by commas).
Published flows are immutable at Meta: publishing changed JSON makes a new draft;
the published version keeps being sent until the draft is published.
Exit codes: 0 saved/published/unchanged, 1 validation errors or publish refused, 2 usage/config/I/O/Graph API.

Examples:
  $ flowbridge publish flow.json --name signup --category SIGN_UP --waba-id 1029 --publish
  $ flowbridge publish flow.json --name signup --category SIGN_UP,OTHER --waba-id 1029 --json`;

const collect = (value: string, previous: string[] = []): string[] => [...previous, ...value.split(',').map((v) => v.trim()).filter((v) => v !== '')];

/** Register `publish` on the program. */
export function registerPublishCommand(program: Command): void {
  program
    .command('publish')
    .description('Validate a Flow JSON file, upload it to Meta as a flow, and publish it on request.')
    .argument('<flow.json>', 'Flow JSON file')
    .requiredOption('--name <name>', 'flow name at Meta (unique per WhatsApp Business Account)')
    .requiredOption('--category <category>', 'flow category (repeatable)', collect)
    .requiredOption('--waba-id <id>', 'WhatsApp Business Account id the flow lives under')
    .option('--endpoint-uri <url>', 'data-exchange endpoint URL (https)')
    .option('--flow-id <id>', 'project flow id to store the result under (default: the name)')
    .option('--publish', 'publish after a clean upload')
    .option('--json', 'print the outcome as JSON')
    .addHelpText('after', help)
    .action(async (file: string, options: PublishCliOptions) => {
      process.exitCode = await cliGuard('publish', () => runPublish(file, options));
    });
}

function checkOptions(options: PublishCliOptions): FlowCategory[] {
  const bad = options.category.filter((c) => !(FLOW_CATEGORIES as readonly string[]).includes(c));
  if (bad.length > 0) throw new CliUsageError(`unknown categor${bad.length === 1 ? 'y' : 'ies'} ${bad.join(', ')}. Fix: use ${FLOW_CATEGORIES.join(', ')}.`);
  if (!/^\d+$/.test(options.wabaId)) throw new CliUsageError(`--waba-id must be the numeric WhatsApp Business Account id, got "${options.wabaId}".`);
  if (options.endpointUri !== undefined && !/^https?:\/\/\S+$/.test(options.endpointUri)) throw new CliUsageError(`--endpoint-uri must be an https:// URL, got "${options.endpointUri}".`);
  if (options.name.trim() === '') throw new CliUsageError('--name must not be empty.');
  return options.category as FlowCategory[];
}

async function runPublish(file: string, options: PublishCliOptions): Promise<number> {
  const categories = checkOptions(options);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CliUsageError(`cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)}).`);
  }
  const config = readCliConfig();
  const graph = graphFromConfig(config, { wabaId: options.wabaId });
  const outcome = await withDatabase(config, (store) =>
    createPublishService({ graph, records: createPublishedFlowRepo(store.db) }).publish({
      text, flowId: options.flowId ?? options.name, name: options.name, categories, endpointUri: options.endpointUri, publish: options.publish === true, wabaId: options.wabaId,
    }),
  );
  process.stdout.write(options.json === true ? `${JSON.stringify({ file, ...outcome }, null, 2)}\n` : formatOutcome(file, outcome));
  return outcome.status === 'invalid_local' || outcome.status === 'validation_errors' || outcome.status === 'publish_refused' ? EXIT_FAILURE : EXIT_OK;
}

function place(file: string, e: MappedValidationError): string {
  const where = e.span === undefined ? file : `${file}:${e.span.line_start}:${e.span.column_start}`;
  return `${where} error ${e.code} ${e.message}${e.pointer === undefined ? '' : ` (${e.pointer === '' ? 'root' : e.pointer})`}\n`;
}

/** Human-readable outcome, one fact per line. */
export function formatOutcome(file: string, o: PublishOutcome): string {
  switch (o.status) {
    case 'invalid_local':
      return `${o.findings.map((f) => place(file, { code: f.code, message: `${f.severity === 'warning' ? '(warning) ' : ''}${f.message}`, pointer: f.pointer, span: f.span })).join('')}${file}: not uploaded: fix the errors above first (flowbridge validate ${file}).\n`;
    case 'unchanged':
      return `${file}: unchanged since the last publish; Meta flow ${o.record.metaFlowId} is ${o.record.status}. Nothing to do.\n`;
    case 'saved':
    case 'published':
    case 'validation_errors':
    case 'publish_refused': {
      const lines = [`${file}: Meta flow ${o.record.metaFlowId} "${o.record.name}": ${o.steps.join(', ') || 'no change'}`];
      if (o.replacedFlowId !== undefined) lines.push(`${file}: flow ${o.replacedFlowId} is published and immutable at Meta, so a new draft flow ${o.record.metaFlowId} was created; ${o.record.liveMetaFlowId ?? 'no flow'} stays live until it is published.`);
      for (const e of o.errors) lines.push(place(file, e).trimEnd());
      if (o.status === 'validation_errors') lines.push(`${file}: Meta reported ${o.errors.length} validation error(s); the draft is saved, fix them and publish again.`);
      if (o.status === 'publish_refused') lines.push(`${file}: Meta refused to publish: ${o.message ?? ''}`);
      if (o.status === 'published') lines.push(`${file}: published; sends of flow "${o.record.flowId}" use Meta flow ${o.record.metaFlowId}.`);
      if (o.status === 'saved') lines.push(`${file}: saved as ${o.record.status}; add --publish to publish it.`);
      return `${lines.join('\n')}\n`;
    }
  }
}
