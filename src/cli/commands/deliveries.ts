/**
 * `flowbridge deliveries list | show <id> | retry <id> | replay`: what
 * happened to each submission's delivery to each sink, and the operator's
 * levers — retry one job now, replay one submission or a time range (after
 * fixing a mapping: delivered jobs are written again under a new
 * idempotency key). Reads the database named by the configuration, like
 * `serve`. On PostgreSQL a running server picks reset jobs up within its
 * queue sweep (≤ 30 s); on SQLite at its next poll.
 *
 * Exit codes: 0 done; 1 not found, or not possible in the job's state;
 * 2 usage, configuration or database error.
 * @module
 */
import type { Command } from 'commander';
import { isAppError } from '../../core/errors.js';
import { createDeliveryQueries, parseDeliveryState, parseLimit, parseTimeArg, type DeliveryDetail, type DeliveryJobView } from '../../services/delivery/delivery-queries.js';
import { createDeliveryReplay, type ReplayReport, type ReplayTarget } from '../../services/delivery/replay.js';
import { createDeliveryRepo } from '../../store/repos/delivery-repo.js';
import type { StoreDatabase } from '../../store/create-database.js';
import { out, withStore } from '../cli-context.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../exit-codes.js';

interface ListOptions { state?: string; sink?: string; flow?: string; submission?: string; since?: string; until?: string; limit?: string; json?: boolean }
interface ReplayOptions { submission?: string; from?: string; to?: string; sink?: string; flow?: string; dryRun?: boolean; json?: boolean }

const help = `
States: pending (waiting for its next attempt), running, delivered, failed (the
sink refused it: its own message and the field are kept), dead (gave up after
FLOWBRIDGE_DELIVERY_MAX_ATTEMPTS / _MAX_AGE_HOURS).
Times: ISO-8601 (2026-11-26T08:00:00Z; 2026-11-26 = midnight UTC) or a duration
ago: 90m, 24h, 7d.
retry/replay only reset the rows: a running server picks them up at its next
poll (SQLite) or queue sweep (PostgreSQL, within 30 s); the admin API
(POST /api/deliveries/…) starts them at once.
Exit codes: 0 ok, 1 not found or not possible in the job's state, 2 usage or database error.`;

/** Run with the store; AppErrors NOT_FOUND / CONFLICT exit 1, USAGE_INVALID and others exit 2. */
async function run(body: (store: StoreDatabase) => Promise<void>): Promise<number> {
  return withStore(async ({ store }) => {
    try {
      await body(store);
      return EXIT_OK;
    } catch (error) {
      if (!isAppError(error, 'NOT_FOUND') && !isAppError(error, 'CONFLICT')) throw error;
      process.stderr.write(`${error.message}\n`);
      return EXIT_FAILURE;
    }
  });
}

/** Parse flags before touching the database: a usage error exits 2 with the flag named. */
function parsed<T>(parse: () => T): T | undefined {
  try {
    return parse();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = EXIT_USAGE;
    return undefined;
  }
}

/** One line per job. */
export function formatJobLine(j: DeliveryJobView): string {
  const when = j.state === 'delivered' ? `delivered ${j.deliveredAt ?? ''}` : j.state === 'pending' ? `next ${j.nextAttemptAt ?? ''}` : `updated ${j.updatedAt}`;
  const error = j.lastError === null || j.state === 'delivered' ? '' : `  ${j.field === null ? '' : `[${j.field}] `}${j.lastError}`;
  return `${j.id}  ${j.state.padEnd(9)} ${j.sink}  submission ${j.submissionId}  attempts ${j.attempts}  ${when}${error}`;
}

/** The detail of one job as text. */
export function formatDetail(d: DeliveryDetail): string {
  const j = d.job;
  const lines = [
    `delivery ${j.id}`,
    `  sink:        ${j.sink} (${j.sinkType})`,
    `  state:       ${j.state}${j.nextAttemptAt === null ? '' : `, next attempt ${j.nextAttemptAt}`}`,
    `  submission:  ${j.submissionId} (flow ${j.flowId}${d.submission === null ? '' : `, contact ${d.submission.contactPhone}, ${d.submission.createdAt}`})`,
    `  key:         ${j.idempotencyKey} (generation ${j.generation})`,
    `  attempts:    ${j.attempts}`,
  ];
  if (j.lastError !== null) lines.push(`  last error:  ${j.lastError}`);
  if (j.field !== null) lines.push(`  field:       ${j.field}`);
  if (j.externalId !== null) lines.push(`  external id: ${j.externalId}`);
  for (const a of d.attempts) {
    lines.push(`  #${a.n}${a.generation > 0 ? ` (g${a.generation})` : ''} ${a.finishedAt} ${a.outcome}${a.field === null ? '' : ` [${a.field}]`}${a.reason === null ? '' : `: ${a.reason}`}${a.retryAfterMs === null ? '' : ` (retry after ${a.retryAfterMs} ms)`}`);
  }
  return lines.join('\n');
}

function formatReport(r: ReplayReport): string {
  const verb = r.dryRun ? 'would' : 'will';
  const lines = [`${r.dryRun ? 'dry run: ' : ''}${r.matched} deliveries matched; ${r.redelivered.length} delivered ones ${verb} be written again (new idempotency key), ${r.reset.length} failed/dead/pending ones ${verb} be retried now, ${r.skipped.length} skipped`];
  for (const s of r.skipped) lines.push(`  skipped ${s.id} (${s.sink}, ${s.state}): ${s.reason}`);
  return lines.join('\n');
}

/** Register `deliveries` and its subcommands. */
export function registerDeliveriesCommand(program: Command): void {
  const deliveries = program.command('deliveries').description('Inspect, retry and replay deliveries of submissions to sinks.').addHelpText('after', help);

  deliveries
    .command('list')
    .description('Deliveries, newest first.')
    .option('--state <state>', 'pending, running, delivered, failed or dead')
    .option('--sink <name>', 'only this sink (its name in the project file)')
    .option('--flow <id>', 'only this flow')
    .option('--submission <id>', 'only this submission')
    .option('--since <time>', 'created at or after')
    .option('--until <time>', 'created before')
    .option('--limit <n>', 'at most n rows (default 100, max 1000)')
    .option('--json', 'print JSON')
    .action(async (o: ListOptions) => {
      const now = new Date();
      const query = parsed(() => ({
        state: o.state === undefined ? undefined : parseDeliveryState(o.state, '--state'),
        sinkName: o.sink, flowId: o.flow, submissionId: o.submission,
        since: o.since === undefined ? undefined : parseTimeArg(o.since, now, '--since'),
        until: o.until === undefined ? undefined : parseTimeArg(o.until, now, '--until'),
        limit: o.limit === undefined ? undefined : parseLimit(o.limit, '--limit'),
      }));
      if (query === undefined) return;
      process.exitCode = await run(async (store) => {
        const queries = createDeliveryQueries(createDeliveryRepo(store.db));
        const jobs = await queries.list(query);
        if (o.json === true) return out(JSON.stringify(jobs, null, 2));
        const counts = Object.entries(await queries.counts()).map(([state, n]) => `${state} ${n}`).join(', ');
        out(`${jobs.length === 0 ? 'no deliveries match' : jobs.map(formatJobLine).join('\n')}\nall deliveries: ${counts}`);
      });
    });

  deliveries
    .command('show <id>')
    .description('One delivery: its attempts, last error and the field it names.')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { json?: boolean }) => {
      process.exitCode = await run(async (store) => {
        const detail = await createDeliveryQueries(createDeliveryRepo(store.db)).show(id);
        out(o.json === true ? JSON.stringify(detail, null, 2) : formatDetail(detail));
      });
    });

  deliveries
    .command('retry <id>')
    .description('Attempt a failed, dead or waiting delivery again now (same idempotency key).')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { json?: boolean }) => {
      process.exitCode = await run(async (store) => {
        const repo = createDeliveryRepo(store.db);
        const job = await createDeliveryReplay({ db: store.db, repo }).retry(id);
        const view = (await createDeliveryQueries(repo).show(job.id)).job;
        out(o.json === true ? JSON.stringify(view, null, 2) : `delivery ${job.id} to ${job.sinkName} is pending again, due now`);
      });
    });

  deliveries
    .command('replay')
    .description('Deliver one submission, or every submission of a time range, again.')
    .option('--submission <id>', 'replay this submission')
    .option('--from <time>', 'start of the range (inclusive)')
    .option('--to <time>', 'end of the range (exclusive)')
    .option('--sink <name>', 'only to this sink (default: all of its sinks)')
    .option('--flow <id>', 'with a range: only this flow')
    .option('--dry-run', 'report what would be replayed without changing anything')
    .option('--json', 'print JSON')
    .action(async (o: ReplayOptions) => {
      const now = new Date();
      const target = parsed((): ReplayTarget => {
        const range = o.from !== undefined || o.to !== undefined;
        if ((o.submission === undefined) === !range) throw new Error('Give either --submission <id> or both --from <time> and --to <time>.');
        if (o.submission !== undefined) {
          if (o.flow !== undefined) throw new Error('--flow only goes with a range (--from/--to).');
          return { submissionId: o.submission, sinkName: o.sink };
        }
        if (o.from === undefined || o.to === undefined) throw new Error('A range needs both --from <time> and --to <time>.');
        const from = parseTimeArg(o.from, now, '--from');
        const to = parseTimeArg(o.to, now, '--to');
        if (from.getTime() >= to.getTime()) throw new Error(`--from (${from.toISOString()}) must be before --to (${to.toISOString()}).`);
        return { from, to, sinkName: o.sink, flowId: o.flow };
      });
      if (target === undefined) return;
      process.exitCode = await run(async (store) => {
        const report = await createDeliveryReplay({ db: store.db, repo: createDeliveryRepo(store.db) }).replay(target, { dryRun: o.dryRun === true });
        out(o.json === true ? JSON.stringify(report, null, 2) : formatReport(report));
      });
    });
}
