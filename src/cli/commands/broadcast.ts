/**
 * `flowbridge broadcast create | start | pause | resume | cancel | status | list`:
 * template broadcasts of a flow to a CSV contact list (issue 7). `create`
 * prints every refused row with its line number; `start` and `resume` send
 * in the foreground (Ctrl-C stops sending; the broadcast stays running and
 * `start` continues it) unless `--detach` leaves the sending to the server.
 *
 * The objects (store, catalogue, sender) come from an `open` function:
 * by default `broadcast-context.ts` builds them from the configuration;
 * tests pass their own.
 *
 * Exit codes: 0 done; 1 the list or the broadcast's state refuses it (no
 * usable row, not approved template, cancelled…) or sending paused on an
 * error; 2 usage, unknown id, I/O.
 * @module
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { isAppError } from '../../core/errors.js';
import type { BroadcastRunner, RunEnd } from '../../services/broadcast/broadcast-runner.js';
import { broadcastStatusJson, type BroadcastService, type BroadcastStatus } from '../../services/broadcast/broadcast-service.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../exit-codes.js';

/** What the commands work with; `close` releases the database. */
export interface BroadcastCliContext {
  readonly service: BroadcastService;
  /** Present when this process can send (Graph credentials); otherwise start/resume only mark the broadcast running. */
  readonly runner?: BroadcastRunner;
  close(): Promise<void>;
}

/** Opens the context (built by the composition root from the configuration). */
export type OpenBroadcastContext = () => Promise<BroadcastCliContext>;

const help = `
Contact list: CSV with a header row; a phone column (phone, mobile, wa_id, …),
optional name, and opt_in (yes/true/1) unless --opted-in; other columns are kept.
Numbers are normalised to E.164 (--region for numbers without a country code).
Exit codes: 0 ok, 1 refused (no usable row, state, template) or paused on an error, 2 usage/I/O.`;

const paramsHelp = `
Template body parameters come from each row's columns:
  positional {{1}} {{2}}…  --param first_name --param city (columns in order),
                           or the columns named 1, 2… when no --param is given
  named {{first_name}}     the column of that name, or --param first_name=given_name
                           ({{name}} also reads the list's name column)
When the template can be read at Meta (FLOWBRIDGE_WABA_ID set), its placeholders
decide: a missing column refuses the whole list (exit 1, the column named); a row
with an empty value, a line break, a tab or more than 4 consecutive spaces in one
is refused by its line number and not queued.
Example: flowbridge broadcast create --flow survey --list contacts.csv \\
           --param first_name --param city`;

function out(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

function describeStatus(s: BroadcastStatus): string {
  const b = s.broadcast;
  const c = s.counters;
  const lines = [
    `broadcast ${b.id} — flow ${b.flowId}, template ${b.template ?? '(none)'}, ${b.rate} mps: ${b.state}${b.error ? ` (${b.error})` : ''}`,
    `  total ${c.total}  queued ${c.queued}  sent ${c.sent}  delivered ${c.delivered}  read ${c.read}  failed ${c.failed}  skipped ${c.skipped}  opened ${c.opened}  completed ${c.completed}`,
    ...s.failures.map((r) => `  failed: line ${r.line} +${r.waId}: ${r.error ?? r.errorCode ?? 'unknown error'}`),
  ];
  return lines.join('\n');
}

/** Run a body against an opened context, mapping failures to exit codes with the error's message (never a secret). */
async function withContext(open: OpenBroadcastContext, body: (ctx: BroadcastCliContext) => Promise<number>): Promise<number> {
  let ctx: BroadcastCliContext | undefined;
  try {
    ctx = await open();
    return await body(ctx);
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    process.stderr.write(`error: ${text}\n`);
    if (isAppError(error) && error.details !== undefined && Array.isArray(error.details.rejected)) {
      for (const r of error.details.rejected as Array<{ reason: string }>) process.stderr.write(`  ${r.reason}\n`);
    }
    return isAppError(error) && (error.code === 'CONFLICT' || error.status === 422 || error.name === 'ContactListError') ? EXIT_FAILURE : EXIT_USAGE;
  } finally {
    await ctx?.close();
  }
}

/** Send in the foreground until the broadcast ends or Ctrl-C. */
async function sendForeground(ctx: BroadcastCliContext, id: string): Promise<number> {
  if (ctx.runner === undefined) {
    out(`broadcast ${id} is running; this process has no Graph API credentials, so the server sends it (flowbridge serve).`);
    return EXIT_OK;
  }
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  const ticker = setInterval(() => {
    void ctx.service.status(id).then((s) => process.stderr.write(`  sent ${s.counters.sent}/${s.counters.total}, failed ${s.counters.failed}, queued ${s.counters.queued}\n`), () => undefined);
  }, 2000);
  let end: RunEnd;
  try {
    end = await ctx.runner.run(id, abort.signal);
  } finally {
    clearInterval(ticker);
    process.off('SIGINT', onSigint);
  }
  const status = await ctx.service.status(id);
  out(describeStatus(status));
  if (end === 'lease_held') out('another process (the server?) is sending this broadcast; follow it with `flowbridge broadcast status`.');
  if (end === 'stopped') out(`stopped sending; the broadcast is still running: \`flowbridge broadcast start ${id}\` continues it, \`pause\` pauses it.`);
  return end === 'paused' && status.broadcast.error !== null ? EXIT_FAILURE : EXIT_OK;
}

interface CreateOptions { flow: string; list: string; region?: string; optedIn?: boolean; rate?: string; param: string[]; json?: boolean }

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** Built from the configuration on first use (so other commands do not load the database drivers). */
const openFromConfig: OpenBroadcastContext = async () => (await import('./broadcast-context.js')).openBroadcastContext();

/** Register `broadcast` and its subcommands; `open` gives them their objects (default: from the configuration). */
export function registerBroadcastCommand(program: Command, open: OpenBroadcastContext = openFromConfig): void {
  const cmd = program.command('broadcast').description('Send a flow\'s template to a CSV contact list at a set rate; pause, resume, cancel, follow it.').addHelpText('after', help);
  cmd
    .command('create')
    .description('Create a broadcast (draft) from a contact list; prints every refused row with its line number.')
    .requiredOption('--flow <id>', 'flow id of the project')
    .requiredOption('--list <file>', 'CSV contact list')
    .option('--region <code>', 'ISO country code for numbers written without +country code, e.g. NL')
    .option('--opted-in', 'every contact of the list opted in (no opt_in column needed)')
    .option('--rate <mps>', 'messages per second (default FLOWBRIDGE_BROADCAST_RATE, 80)')
    .option('--param <column>', 'column filling the next positional body placeholder {{1}}, {{2}}… (repeat, in order); placeholder=column for a named one', collect, [])
    .option('--json', 'print the result as JSON')
    .addHelpText('after', paramsHelp)
    .action(async (options: CreateOptions) => {
      process.exitCode = await withContext(open, async (ctx) => {
        const rate = options.rate === undefined ? undefined : Number(options.rate);
        if (rate !== undefined && !Number.isFinite(rate)) throw new Error(`--rate must be a number of messages per second, got "${options.rate}"`);
        const csv = readFileSync(options.list, 'utf8');
        const created = await ctx.service.create({ flowId: options.flow, csv, region: options.region, optedIn: options.optedIn, rate, ...(options.param.length > 0 && { params: options.param }) });
        if (options.json === true) {
          out(JSON.stringify({ id: created.broadcast.id, recipients: created.recipients, rejected: created.rejected, bodyParameters: created.bodyParameters }, null, 2));
        } else {
          out(`created broadcast ${created.broadcast.id}: ${created.recipients} recipients, ${created.rejected.length} rows refused`);
          if (created.bodyParameters.length > 0) out(`template body parameters: ${created.bodyParameters.map((p) => `{{${p.placeholder}}} ← ${p.column}`).join(', ')}`);
          for (const r of created.rejected) out(`  ${r.reason}`);
          out(`next: flowbridge broadcast start ${created.broadcast.id}`);
        }
        return EXIT_OK;
      });
    });
  for (const action of ['start', 'resume'] as const) {
    cmd
      .command(`${action} <id>`)
      .description(action === 'start' ? 'Start sending (in the foreground unless --detach).' : 'Resume a paused broadcast (in the foreground unless --detach).')
      .option('--detach', 'only mark it running; the server sends it')
      .action(async (id: string, options: { detach?: boolean }) => {
        process.exitCode = await withContext(open, async (ctx) => {
          const b = await ctx.service[action](id);
          out(`broadcast ${b.id}: ${b.state}`);
          return options.detach === true ? EXIT_OK : sendForeground(ctx, id);
        });
      });
  }
  for (const action of ['pause', 'cancel'] as const) {
    cmd
      .command(`${action} <id>`)
      .description(action === 'pause' ? 'Pause: no new sends until resumed.' : 'Cancel: recipients not sent yet are skipped for good.')
      .action(async (id: string) => {
        process.exitCode = await withContext(open, async (ctx) => {
          const b = await ctx.service[action](id);
          out(`broadcast ${b.id}: ${b.state}`);
          return EXIT_OK;
        });
      });
  }
  cmd
    .command('list')
    .description('The newest broadcasts with their state.')
    .action(async () => {
      process.exitCode = await withContext(open, async (ctx) => {
        const list = await ctx.service.list();
        out(list.length === 0 ? 'no broadcasts yet: flowbridge broadcast create --flow <id> --list contacts.csv' : list.map((b) => `${b.id}  ${b.state.padEnd(9)}  flow ${b.flowId}  ${b.rate} mps  created ${b.createdAt.toISOString()}`).join('\n'));
        return EXIT_OK;
      });
    });
  cmd
    .command('status <id>')
    .description('Progress: queued, sent, delivered, read, failed, opened, completed.')
    .option('--json', 'print as JSON')
    .action(async (id: string, options: { json?: boolean }) => {
      process.exitCode = await withContext(open, async (ctx) => {
        const status = await ctx.service.status(id);
        out(options.json === true ? JSON.stringify(broadcastStatusJson(status), null, 2) : describeStatus(status));
        return EXIT_OK;
      });
    });
}
