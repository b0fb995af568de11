/**
 * CPU cost per request of the endpoint benchmark's runs, and the throughput
 * bound it implies on this machine: every answered request costs the load
 * generator G µs and the server (primary and workers) S µs of CPU, all on the
 * same `cores`, so no run can exceed cores × 1e6 / (G + S) req/s; and even a
 * server that did nothing but its one RSA decrypt (D = 1e6 / raw 1-process
 * rate) could not exceed cores × 1e6 / (G + D). Figures come from /proc
 * counters read just before the job is handed to the generator and just
 * after its result is back (so the generator's share includes receiving the
 * job: a few ms per run).
 * @module
 */
import { availableParallelism } from 'node:os';
import type { LoadResult } from './endpoint-load.js';
import { CLK_TCK, cpuSpent, processTree, sampleCpu, type CpuSpent } from './endpoint-cpu.js';

/** CPU spent during one run. */
export interface RunCpu {
  readonly generator: CpuSpent;
  /** The server process and its descendants (cluster primary + workers). */
  readonly server: CpuSpent;
  /** The bench's own process (hands out jobs, otherwise idle). */
  readonly parent: CpuSpent;
  /** All CPUs of the machine, from /proc/stat (tick resolution). */
  readonly machineBusyUs: number;
  readonly wallUs: number;
}

/** A run's result and its CPU. */
export interface Measured {
  readonly result: LoadResult;
  readonly cpu: RunCpu;
}

/** Cores shared by generator and server. */
export const CORES = availableParallelism();

/** Sample now; `stop()` samples again and returns what was spent in between. */
export function startCpuProbe(generatorPid: number, serverPid: number): { stop(): RunCpu } {
  const generator = processTree(generatorPid);
  const serverBefore = processTree(serverPid);
  const before = sampleCpu([...generator, ...serverBefore, process.pid]);
  return {
    stop() {
      const server = [...new Set([...serverBefore, ...processTree(serverPid)])];
      const after = sampleCpu([...generator, ...server, process.pid]);
      return {
        generator: cpuSpent(before, after, generator), server: cpuSpent(before, after, server), parent: cpuSpent(before, after, [process.pid]),
        machineBusyUs: (after.machineBusyNs - before.machineBusyNs) / 1000, wallUs: (after.at - before.at) * 1000,
      };
    },
  };
}

/** Per answered request, µs of CPU. */
export interface PerRequest {
  readonly generatorUs: number;
  readonly serverUs: number;
  /** One raw decrypt, 1e6 / raw 1-process rate. */
  readonly rsaUs: number;
  /** cores × 1e6 / (generator + server): the most this machine allows with these costs. */
  readonly bound: number;
  /** cores × 1e6 / (generator + one decrypt): the same for a server that only decrypts. */
  readonly idealBound: number;
}

/** Per-request figures of a run (undefined when nothing was answered). */
export function perRequest(result: LoadResult, cpu: RunCpu, raw1: number): PerRequest | undefined {
  const answered = result.ok + result.late;
  if (answered === 0) return undefined;
  const generatorUs = cpu.generator.us / answered;
  const serverUs = cpu.server.us / answered;
  const rsaUs = 1e6 / raw1;
  return { generatorUs, serverUs, rsaUs, bound: (CORES * 1e6) / (generatorUs + serverUs), idealBound: (CORES * 1e6) / (generatorUs + rsaUs) };
}

/** CPU the rest of the machine used during the run (other programs), µs; tick resolution. */
function othersUs(cpu: RunCpu): number {
  return Math.max(0, cpu.machineBusyUs - cpu.generator.us - cpu.server.us - cpu.parent.us);
}

function cores(us: number, wallUs: number): string {
  return (us / wallUs).toFixed(2);
}

/** utime+stime disagreeing with schedstat by more than tick resolution (threads exited mid-run, or a counter misread). */
function mismatch(spent: CpuSpent): string {
  const slackUs = (2 * spent.processes * 1e6) / CLK_TCK + 0.02 * spent.us;
  const notes = [spent.lost ? 'a process EXITED mid-run, its time is missing' : '', Math.abs(spent.statUs - spent.us) > slackUs ? `utime+stime says ${(spent.statUs / 1000).toFixed(0)} ms` : ''];
  const text = notes.filter((n) => n !== '').join(', ');
  return text === '' ? '' : ` (${text})`;
}

/** The CPU line printed under a run's line. */
export function formatCpu(row: { readonly result: LoadResult; readonly cpu?: RunCpu }, raw1: number): string {
  const cpu = row.cpu;
  if (cpu === undefined) return '    cpu: not measured';
  const machine = `run: generator ${cores(cpu.generator.us, cpu.wallUs)} cores${mismatch(cpu.generator)}, server ${cores(cpu.server.us, cpu.wallUs)} cores over ${cpu.server.processes} processes${mismatch(cpu.server)}, `
    + `machine busy ${cores(cpu.machineBusyUs, cpu.wallUs)} of ${CORES} cores (others ${cores(othersUs(cpu), cpu.wallUs)})`;
  const p = perRequest(row.result, cpu, raw1);
  if (p === undefined) return `    cpu ${machine}`;
  return `    cpu per answered request: generator ${p.generatorUs.toFixed(0)} µs, server ${p.serverUs.toFixed(0)} µs `
    + `(non-RSA ${(p.serverUs - p.rsaUs).toFixed(0)} µs over 1 decrypt = ${p.rsaUs.toFixed(0)} µs) | ${machine}`;
}

/**
 * The bound sentence appended to a cluster goal line. `rsaCpuUsN` (CPU µs per
 * decrypt in the N-process loop) gives the decrypt ceiling of min(N, cores)
 * cores had they been free: the measured raw N-process rate is lower when
 * other programs share the machine, which flatters every ratio to it.
 */
export function formatBound(result: LoadResult, cpu: RunCpu | undefined, raw1: number, rawN: number, processes: number, rsaCpuUsN: number): string {
  const p = cpu === undefined ? undefined : perRequest(result, cpu, raw1);
  if (cpu === undefined || p === undefined) return '';
  const free = (Math.min(processes, CORES) * 1e6) / rsaCpuUsN;
  const of = (v: number): string => `${(v / rawN).toFixed(2)} of raw ${processes}-process (${(v / free).toFixed(2)} of the ${free.toFixed(0)}/s that ${Math.min(processes, CORES)} free cores decrypt at ${rsaCpuUsN.toFixed(0)} µs CPU each)`;
  return `; on ${CORES} cores with the generator costing ${p.generatorUs.toFixed(0)} µs/request and the server ${p.serverUs.toFixed(0)} µs/request `
    + `the ceiling is ${p.bound.toFixed(0)}/s = ${of(p.bound)}, reached ${(result.reqPerSec / p.bound).toFixed(2)} of it; `
    + `even a server that only decrypts (${p.rsaUs.toFixed(0)} µs/request) tops out at ${p.idealBound.toFixed(0)}/s = ${of(p.idealBound)}`
    + `; other programs used ${cores(othersUs(cpu), cpu.wallUs)} of the ${CORES} cores during this run`;
}
