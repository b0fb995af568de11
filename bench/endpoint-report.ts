/**
 * Printing of the endpoint benchmark: one line per run, then the summary with
 * every figure, its ratio to the same-run RSA ceiling and the issue's goals.
 * @module
 */
import type { LoadResult } from './endpoint-load.js';
import type { BenchKind } from './endpoint-setup.js';
import { CORES, formatBound, formatCpu, type RunCpu } from './endpoint-run-cpu.js';

/** One measured run and the ceiling it is compared with. */
export interface Row {
  readonly label: string;
  readonly kind: BenchKind;
  readonly concurrency: number;
  readonly processes: number;
  readonly result: LoadResult;
  /** Raw RSA decrypts/s of as many processes, same run. */
  readonly ceiling: number;
  /**
   * The raw rate measured just before and just after this run (c=64 rows):
   * the VM's speed drifts by tens of percent within a minute, so these rows
   * are compared with their mean rather than with the run-wide one.
   */
  readonly around?: readonly [before: number, after: number];
  /** CPU the generator and the server spent during the run. */
  readonly cpu?: RunCpu;
  /** The bare node:http floor (bench/endpoint-floor.ts), not `flowbridge serve`. */
  readonly floor?: boolean;
}

/** Inputs of {@link printSummary}. */
export interface Summary {
  readonly rows: readonly Row[];
  readonly raw1: number;
  readonly rawN: number;
  /** CPU µs one raw decrypt took, measured in the 1- and N-process loops. */
  readonly rsaCpuUs: readonly [number, number];
  readonly workers: number;
  /** RSA threads a single server process unwraps on (defaultRsaThreads). */
  readonly rsaThreads: number;
  /** From the built bundle (how a deployment runs). */
  readonly firstPingMs: number;
  /** From the TypeScript sources through tsx (development). */
  readonly firstPingTsxMs: number;
  readonly loadAtStart: number;
  readonly loadAtEnd: number;
}

const GOAL_SINGLE = 0.85;
const GOAL_CLUSTER = 0.9;
const GOAL_P99_MS = 60;

function ms(v: number | null): string {
  // A run with no answer has no percentiles (NaN arrives over IPC as null).
  if (v === null || !Number.isFinite(v)) return 'n/a';
  return `${v.toFixed(v < 10 ? 2 : 1)} ms`;
}

function others(r: LoadResult): string {
  const statuses = Object.entries(r.otherStatus).map(([s, n]) => `${s}×${n}`).join(' ');
  return `${statuses === '' ? '' : ` other ${statuses}`}${r.errors > 0 ? ` errors ${r.errors}` : ''}${r.hanging > 0 ? ` HANGING ${r.hanging}` : ''}`;
}

/**
 * The raw rate of one process that a row's CPU figures use for "1 decrypt":
 * the rate measured around the row when there is one (per process), else the
 * run-wide mean, so a line never mixes two references.
 */
export function decryptRate(row: Row, raw1: number): number {
  return row.around === undefined ? raw1 : row.ceiling / row.processes;
}

/** One line for one run. */
export function formatLoad(row: Row): string {
  const r = row.result;
  const ratio = r.reqPerSec / row.ceiling;
  const around = row.around === undefined ? '' : ` measured around it (${row.around[0].toFixed(0)}/s before, ${row.around[1].toFixed(0)}/s after)`;
  const base = `${row.label.padEnd(34)} ${r.reqPerSec.toFixed(0).padStart(6)} req/s  p50 ${ms(r.p50).padStart(9)}  p99 ${ms(r.p99).padStart(9)}  ×${ratio.toFixed(2)} of raw RSA${around}`;
  if (row.concurrency < 1024) return `${base}${others(r)}`;
  return `${base}  | sent ${r.sent}: ok<1s ${r.ok}, late ${r.late} (${r.lateFromConnect} only from waiting > 0.9 s for the TCP accept; ${r.slowConnects} such connects), 503 ${r.shed} (slowest 503 after connect ${ms(r.shedMaxMs)}), max ${ms(r.max)} (slowest on a new connection ${ms(r.slowestOnNew)}, on a reused one ${ms(r.slowestOnReused)}); generator's own event-loop delay up to ${ms(r.generatorLagMaxMs)}${others(r)}`;
}

/** A run went wrong beyond slowness: wrong statuses, transport errors or hanging requests. */
function broken(r: LoadResult, concurrency: number): boolean {
  return r.hanging > 0 || r.errors > 0 || Object.keys(r.otherStatus).length > 0 || (concurrency < 1024 && (r.late > 0 || r.shed > 0));
}

/** Print the summary; returns true when a run was broken (the bench then exits 1). */
export function printSummary(s: Summary): boolean {
  const find = (processes: number, kind: BenchKind, c: number): Row | undefined =>
    s.rows.find((r) => r.floor !== true && r.processes === processes && r.kind === kind && r.concurrency === c);
  const verdict = (ok: boolean): string => (ok ? 'met' : 'MISSED');
  const lines: string[] = ['', '=== summary ==='];
  lines.push(`raw RSA-OAEP private decrypt (mean of the measurements before and after the runs it is compared with): ${s.raw1.toFixed(0)}/s on 1 process; ${s.rawN.toFixed(0)}/s on ${s.workers} processes (×${(s.rawN / s.raw1).toFixed(2)}); `
    + `CPU per decrypt ${s.rsaCpuUs[0].toFixed(0)} µs on 1 process, ${s.rsaCpuUs[1].toFixed(0)} µs on ${s.workers} (1e6/rate on 1 process: ${(1e6 / s.raw1).toFixed(0)} µs)`
    + (s.rawN < 0.9 * Math.min(s.workers, CORES) * s.raw1 ? `; the ${s.workers}-process rate is below ×${(0.9 * Math.min(s.workers, CORES)).toFixed(1)}: other programs were using the cores` : ''));
  const arounds = s.rows.flatMap((r) => (r.around === undefined || r.processes !== 1 ? [] : [...r.around]));
  if (arounds.length > 0) {
    lines.push(`c=64 runs are compared with the raw rate measured just before and after each: on 1 process it ranged ${Math.min(...arounds).toFixed(0)}–${Math.max(...arounds).toFixed(0)}/s within this run`);
  }
  for (const row of s.rows) lines.push(formatLoad(row), formatCpu(row, decryptRate(row, s.raw1)));
  lines.push('goals:');
  for (const kind of ['ping', 'INIT', 'data_exchange'] as const) {
    const one = find(1, kind, 64);
    if (one !== undefined) {
      const ratio = one.result.reqPerSec / one.ceiling;
      lines.push(`  1 process ${kind} c=64: ${ratio.toFixed(2)} of the raw 1-process rate (goal ≥ ${GOAL_SINGLE}) ${verdict(ratio >= GOAL_SINGLE)}; p99 ${ms(one.result.p99)} (goal < ${GOAL_P99_MS} ms) ${verdict(one.result.p99 < GOAL_P99_MS)}`
        + `; the process unwraps on ${s.rsaThreads} RSA thread${s.rsaThreads === 1 ? '' : 's'}, so it may use more than one core: ${(one.result.reqPerSec / s.rawN).toFixed(2)} of the raw ${s.workers}-process rate`);
    }
    const many = find(s.workers, kind, 64);
    if (many !== undefined) {
      const ratio = many.result.reqPerSec / many.ceiling;
      lines.push(`  ${s.workers} workers ${kind} c=64: ${ratio.toFixed(2)} of raw ${s.workers}-process (goal ≥ ${GOAL_CLUSTER}) ${verdict(ratio >= GOAL_CLUSTER)}; p99 ${ms(many.result.p99)}`
        + formatBound(many.result, many.cpu, decryptRate(many, s.raw1), many.ceiling, s.workers, s.rsaCpuUs[1]));
    }
  }
  for (const row of s.rows.filter((r) => r.floor === true)) {
    const ratio = row.result.reqPerSec / s.rawN;
    const served = find(row.processes, row.kind, row.concurrency);
    lines.push(`  reference: a bare node:http endpoint doing only the protocol's crypto on its event loop, ${row.processes} workers ${row.kind} c=${row.concurrency}: ${ratio.toFixed(2)} of raw ${row.processes}-process`
      + (served === undefined ? '' : `; flowbridge serve reached ×${(served.result.reqPerSec / row.result.reqPerSec).toFixed(2)} of it`)
      + ' (the bound that holds for any server is the CPU one in the cluster lines above)');
  }
  for (const row of s.rows.filter((r) => r.concurrency === 1024)) {
    const r = row.result;
    const ok = r.late === 0 && r.hanging === 0 && r.errors === 0 && Object.keys(r.otherStatus).length === 0 && r.shedMaxMs < 1000;
    lines.push(`  ${row.label}: ${r.ok} answered < 1 s, ${r.shed} refused with 503 (slowest ${ms(r.shedMaxMs)}), ${r.late} late (${r.lateFromConnect} of them only from the TCP accept wait), ${r.hanging} hanging, ${r.errors} errors ${verdict(ok)}`);
  }
  lines.push(`  process start → first answered ping: ${s.firstPingMs.toFixed(0)} ms built (goal < 1000 ms) ${verdict(s.firstPingMs < 1000)}; ${s.firstPingTsxMs.toFixed(0)} ms from sources via tsx`);
  lines.push(`machine load average: ${s.loadAtStart.toFixed(2)} at start, ${s.loadAtEnd.toFixed(2)} at end`);
  console.log(lines.join('\n'));
  return s.rows.some((r) => broken(r.result, r.concurrency));
}
