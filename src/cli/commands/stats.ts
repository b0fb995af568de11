/**
 * `flowbridge stats`: the funnel of each flow — sent, opened, completed,
 * in progress and where people dropped off — from the sessions store.
 * @module
 */
import type { Command } from 'commander';
import { createFlowStatsRepo, type FlowFunnel } from '../../store/repos/flow-stats-repo.js';
import { out, withStore } from '../cli-context.js';
import { EXIT_OK, EXIT_USAGE } from '../exit-codes.js';

interface StatsOptions {
  flow?: string;
  campaign?: string;
  since?: string;
  until?: string;
  json?: boolean;
}

const pct = (part: number, whole: number): string => (whole === 0 ? '–' : `${Math.round((part / whole) * 1000) / 10}%`);

/** Human-readable funnel lines. */
export function formatFunnel(f: FlowFunnel): string {
  const lines = [
    `${f.flowId}: sent ${f.sent}, opened ${f.opened} (${pct(f.opened, f.sent)}), completed ${f.completed} (${pct(f.completed, f.sent)}), in progress ${f.inProgress}`,
  ];
  for (const d of f.droppedAt) lines.push(`  not completed, last screen ${d.screen ?? '(never reached the endpoint)'}: ${d.sessions}`);
  return lines.join('\n');
}

function isoOrUndefined(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new Error(`${flag} must be a date or time such as 2026-11-01 or 2026-11-01T12:00:00Z, got "${value}"`);
  return new Date(t).toISOString();
}

/** Register `stats`. */
export function registerStatsCommand(program: Command): void {
  program
    .command('stats')
    .description('Per-flow funnel: sent, opened, completed, in progress, and drop-off by last screen.')
    .option('--flow <id>', 'only this flow')
    .option('--campaign <id>', 'only sessions of this campaign / broadcast')
    .option('--since <time>', 'sessions sent at or after this time')
    .option('--until <time>', 'sessions sent before this time')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nOpened = reached the endpoint at least once or completed; flows without an endpoint only show completions.\nExit codes: 0 ok, 2 usage or database error.')
    .action(async (options: StatsOptions) => {
      let since: string | undefined;
      let until: string | undefined;
      try {
        since = isoOrUndefined(options.since, '--since');
        until = isoOrUndefined(options.until, '--until');
      } catch (error) {
        process.stderr.write(`${(error as Error).message}\n`);
        process.exitCode = EXIT_USAGE;
        return;
      }
      process.exitCode = await withStore(async ({ store }) => {
        const funnels = await createFlowStatsRepo(store.db).funnels({
          ...(options.flow === undefined ? {} : { flowId: options.flow }),
          ...(options.campaign === undefined ? {} : { campaign: options.campaign }),
          ...(since === undefined ? {} : { since }),
          ...(until === undefined ? {} : { until }),
        });
        if (options.json === true) out(JSON.stringify(funnels, null, 2));
        else out(funnels.length === 0 ? 'no sessions yet' : funnels.map(formatFunnel).join('\n'));
        return EXIT_OK;
      });
    });
}
